// SPDX-License-Identifier: GPL-2.0-only
/// Use the accessors instead of the raw page handle of an skb fragment.
///
/// Bit 1 of skb_frag_t's netmem handle marks a destructor-wrapped page: the
/// handle then points at a struct skb_frag_destructor, not at a page or a
/// net_iov.  Only the accessors may look at the handle itself; everything
/// else has to go through them, which resolve the tag.
///
/// Patch mode turns a read of frag->netmem into skb_frag_netmem(frag) and
/// a copy of the handle from one fragment to another (a statement of its
/// own) into skb_frag_page_copy(), which keeps the tag.  Copying a whole
/// skb_frag_t is fine and is not reported.  Only a handle whose fragment
/// is known to be an skb fragment is touched: an expression of type
/// skb_frag_t or struct skb_frag (pointer or not, an element of an array of
/// them), or frags[i] of a struct skb_shared_info, skb_shinfo() or
/// xdp_get_shared_info_from_buff/frame().  Sites that are only reported:
///  - a comparison of a raw handle with anything (another raw handle, an
///    accessor's result): skb_frag_can_coalesce() when it is "same page or
///    same wrapper", else compare the accessors' results;
///  - a cast of the raw handle (its bits looked at), or the handle given to
///    the netmem member of an initializer (a fragment built from another);
///  - any other store into the handle, ++/--, compound assignments (no
///    accessor sets it alone: use skb_frag_fill_netmem_desc() or
///    skb_frag_fill_destructor_desc()), its address taken, the handle
///    given to READ_ONCE(), WRITE_ONCE(), swap(), xchg() or another macro;
///  - every read and copy in a function that also does one of the above
///    (a handle saved, then stored back, would lose the tag);
///  - ->frags[i].netmem of an expression whose type the rule cannot see
///    (a driver's own structure may have frags with a netmem member).
///
/// Code inside scoped_guard() is parsed only with the macro file kept
/// next to this rule: SPFLAGS="--macro-file <dir>/frag_macros.h".
///
/// The accessor definitions (include/linux/skbuff.h, skbuff_ref.h,
/// net/core/skb_frag_destructor.c) are never matched.
///
// Confidence: High
// Comments: patch mode touches only typed skb fragments; the rest is reported
// Options: --no-includes --include-headers
// Keywords: skb_frag_t, netmem, skb_frag_netmem, SKB_FRAG_DESTRUCTOR

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import re

ACCESSOR_FILES = ("include/linux/skbuff.h", "include/linux/skbuff_ref.h",
		  "net/core/skb_frag_destructor.c")

# The file being processed.  Rules that run after a transformation see it
# under a temporary name (.../cocci_small_output-<pid>-<hash>-<name>).
current = [None]
_TMP = re.compile(r'(?:^|/)cocci_small_output-[0-9]+-[0-9a-f]+-[^/]*$')

def fname(p):
	f = p[0].file
	if _TMP.search(f) and current[0]:
		return current[0]
	return f

def accessor_file(p):
	f = fname(p)
	return any(f == a or f.endswith("/" + a) for a in ACCESSOR_FILES)

def key(p):
	"""The span of expression A@p."""
	return (fname(p), p[0].line, p[0].column, p[0].line_end, p[0].column_end)

def end_key(p):
	"""Where an expression ends: E->netmem@p in a transformation is on the
	field name, so only its end is the end of the access."""
	return (fname(p), p[0].line_end, p[0].column_end)

# End of each raw access -> its span.
ends = {}

def fn_key(p):
	return (fname(p), p[0].current_element)

# Every typed raw access (key -> True), what each is when it is not a plain
# read (key -> kind), and the functions that write a handle.
raw = {}
kinds = {}
writers = set()

def add_raw(p):
	if not _TMP.search(p[0].file):
		current[0] = p[0].file
	if not accessor_file(p):
		raw[key(p)] = True
		ends[end_key(p)] = key(p)
		fn_of[key(p)] = p[0].current_element

def is_raw(p):
	return key(p) in raw

def mark(p, kind):
	if is_raw(p):
		kinds.setdefault(key(p), kind)

WRITES = ("store", "address", "macro")

def mark_write(p, kind):
	if is_raw(p):
		mark(p, kind)
		if kinds[key(p)] in WRITES:
			writers.add(fn_key(p))

# Macros and helpers that take the handle as an lvalue (or must see the
# field itself): the accessor's result cannot stand there.
LVALUE = ("READ_ONCE", "WRITE_ONCE", "swap", "xchg", "cmpxchg",
	  "try_cmpxchg", "smp_load_acquire", "smp_store_release", "data_race",
	  "smp_store_mb", "cmpxchg_relaxed", "xchg_relaxed", "offsetof",
	  "typeof", "__typeof__")

def lvalue_macro(m):
	return m in LVALUE or re.match(r'^[A-Z_][A-Z0-9_]*$', m) is not None

def kind(p):
	return kind_at(key(p))

def kind_at(k):
	c = kinds.get(k, "read")
	if c in ("read", "copy", "copied") and (k[0], fn_of.get(k)) in writers:
		return "tainted-" + c
	return c

fn_of = {}

def convertible(p, what):
	"""Is the access ending at p (the field name of E->netmem@p) one to
	convert as what?"""
	k = ends.get(end_key(p))
	return k is not None and kind_at(k) == what

MSG = {
	"read": "raw read of the fragment's page handle: use skb_frag_netmem()",
	"copy": "handle copied from another fragment: use skb_frag_page_copy()",
	"copied": None,
	"compare": "raw page handle compared: skb_frag_can_coalesce() for"
		   " \"same page or same wrapper\", else compare the accessors'"
		   " results (not converted)",
	"cast": "raw page handle cast, its bits looked at: use"
		" skb_frag_netmem() or skb_frag_has_destructor() (not converted)",
	"store": "raw store into the fragment's page handle: fill the fragment"
		 " with skb_frag_fill_netmem_desc() or"
		 " skb_frag_fill_destructor_desc() (not converted)",
	"address": "address of the fragment's page handle taken (not converted)",
	"init": "raw page handle copied into an initializer: fill the new"
		" fragment with skb_frag_page_copy() (not converted)",
	"macro": "raw page handle used as an lvalue or by a macro (not"
		 " converted)",
	"tainted-read": "raw read of the fragment's page handle in a function"
			" that also writes a handle (a saved handle stored"
			" back loses the tag): use skb_frag_netmem() and the"
			" fill helpers (not converted)",
	"tainted-copy": "handle copied from another fragment in a function"
			" that also writes a handle: use skb_frag_page_copy()"
			" (not converted)",
	"tainted-copied": None,
	"untyped": "->frags[].netmem of a structure that may not be"
		   " skb_shared_info: if it is, use skb_frag_netmem() (not"
		   " converted)",
}

reported = set()

def message(p, k=None):
	if key(p) in reported:
		return None
	reported.add(key(p))
	m = MSG[k or kind(p)]
	if m is None:
		return None
	return "WARNING: %s in %s()" % (m, p[0].current_element)

untyped = set()

def add_untyped(p):
	if not accessor_file(p) and not is_raw(p):
		untyped.add(key(p))

// Every raw access of the handle of a typed skb fragment: an expression of
// type skb_frag_t or struct skb_frag (pointer or not; frags[i] of an array
// of them has that type), or frags[i] of a struct skb_shared_info.
// ptr_to_array is disabled: with it, frag->netmem also matches
// frag[i].netmem, and the index would be lost.

@rawp disable ptr_to_array@
typedef skb_frag_t;
{skb_frag_t *, struct skb_frag *} f;
expression A;
position p;
@@

\( A@p \& f->netmem \)

@script:python@
p << rawp.p;
@@
add_raw(p)

@rawv disable ptr_to_array@
{skb_frag_t, struct skb_frag} v;
struct skb_shared_info *s;
struct skb_shared_info sv;
expression A, I, X;
position p;
@@

\( A@p \& \(v.netmem\|s->frags[I].netmem\|sv.frags[I].netmem\|
	skb_shinfo(X)->frags[I].netmem\|
	xdp_get_shared_info_from_buff(X)->frags[I].netmem\|
	xdp_get_shared_info_from_frame(X)->frags[I].netmem\) \)

@script:python@
p << rawv.p;
@@
add_raw(p)

// What each access is.  Copies first (statements of their own), then
// everything that writes the handle or needs it as an lvalue, then the
// reads whose meaning a conversion would change.

@copy depends on rawp || rawv disable ptr_to_array@
expression A, B;
position p : script:python() { is_raw(p) };
position q : script:python() { is_raw(q) };
@@

A@p = B@q;

@script:python@
p << copy.p;
q << copy.q;
@@
mark(p, "copy")
mark(q, "copied")

@store depends on rawp || rawv disable ptr_to_array@
expression A, X;
assignment operator aop;
position p : script:python() { is_raw(p) };
@@

\(A@p aop X\|A@p++\|A@p--\|++A@p\|--A@p\)

@script:python@
p << store.p;
@@
mark_write(p, "store")

@addr depends on rawp || rawv disable ptr_to_array@
expression A;
position p : script:python() { is_raw(p) };
@@

\( &A@p \)

@script:python@
p << addr.p;
@@
mark_write(p, "address")

@macro depends on rawp || rawv disable ptr_to_array@
identifier M;
expression A;
position p : script:python() { is_raw(p) };
@@

M(..., A@p, ...)

@script:python@
M << macro.M;
p << macro.p;
@@
if lvalue_macro(M):
	mark_write(p, "macro")

@cmp depends on rawp || rawv disable ptr_to_array@
expression A, X;
binary operator op = {==, !=, <, <=, >, >=};
position p : script:python() { is_raw(p) };
@@

A@p op X

@script:python@
p << cmp.p;
@@
mark(p, "compare")

@cmp2 depends on rawp || rawv disable ptr_to_array@
expression A, X;
binary operator op = {==, !=, <, <=, >, >=};
position p : script:python() { is_raw(p) };
@@

X op A@p

@script:python@
p << cmp2.p;
@@
mark(p, "compare")

@cast depends on rawp || rawv disable ptr_to_array, drop_cast@
type T;
expression A;
position p : script:python() { is_raw(p) };
@@

\( (T)A@p \)

@script:python@
p << cast.p;
@@
mark(p, "cast")

// A raw handle given to the netmem member of an initializer (a fragment
// built from another): a conversion would drop the tag of the copy.

@init depends on rawp || rawv disable ptr_to_array@
type T;
identifier I;
expression A;
position p : script:python() { is_raw(p) };
@@

T I = { ..., .netmem = A@p, ... };

@script:python@
p << init.p;
@@
mark(p, "init")

// ->frags[i].netmem of something the rule cannot type: reported only.

@untyped_frags disable ptr_to_array@
expression A, E, I;
position p;
@@

\( A@p \& \(E->frags[I].netmem\|E.frags[I].netmem\) \)

@script:python@
p << untyped_frags.p;
@@
add_untyped(p)

// Patch mode, in one rule: a rule that runs after a transformation of the
// same function no longer sees the positions found above.

@depends on patch && (rawp || rawv) disable ptr_to_array@
expression E, E1, E2;
position p : script:python() { convertible(p, "read") };
position c : script:python() { convertible(c, "copy") };
@@

(
- E1->netmem@c = E2->netmem
+ skb_frag_page_copy(E1, E2)
|
- E1->netmem@c = E2.netmem
+ skb_frag_page_copy(E1, &E2)
|
- E1.netmem@c = E2->netmem
+ skb_frag_page_copy(&E1, E2)
|
- E1.netmem@c = E2.netmem
+ skb_frag_page_copy(&E1, &E2)
|
- E->netmem@p
+ skb_frag_netmem(E)
|
- E.netmem@p
+ skb_frag_netmem(&E)
)

// Other modes: every raw access (the source of a copy is reported with it).

@r depends on !patch && (rawp || rawv || untyped_frags)
  disable ptr_to_array@
expression A;
position p : script:python() { (is_raw(p) and MSG[kind(p)] is not None) or
			       key(p) in untyped };
@@

* A@p

@script:python depends on report@
p << r.p;
@@
m = message(p, "untyped" if key(p) in untyped else None)
if m:
	coccilib.report.print_report(p[0], m)

@script:python depends on org@
p << r.p;
@@
m = message(p, "untyped" if key(p) in untyped else None)
if m:
	coccilib.org.print_todo(p[0], m)
