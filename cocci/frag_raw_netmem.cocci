// SPDX-License-Identifier: GPL-2.0-only
/// Use the accessors instead of the raw page handle of an skb fragment.
///
/// Bit 1 of skb_frag_t's netmem handle marks a destructor-wrapped page: the
/// handle then points at a struct skb_frag_destructor, not at a page or a
/// net_iov.  Only the accessors may look at the handle itself; everything
/// else has to go through them, which resolve the tag.
///
/// Patch mode turns a read of frag->netmem into skb_frag_netmem(frag) and
/// a copy of the handle from one fragment to another into
/// skb_frag_page_copy(), which keeps the tag.  Copying a whole skb_frag_t
/// is fine and is not reported.  Sites that are only reported:
///  - a comparison of two raw handles: skb_frag_can_coalesce() when it is
///    "same page or same wrapper", else compare the accessors' results;
///  - any other store into the handle (no accessor sets it alone: use
///    skb_frag_fill_netmem_desc() or skb_frag_fill_destructor_desc());
///  - its address taken.
///
/// The accessor definitions (include/linux/skbuff.h, skbuff_ref.h,
/// net/core/skb_frag_destructor.c) are never matched.
///
// Confidence: High
// Options: --no-includes --include-headers
// Keywords: skb_frag_t, netmem, skb_frag_netmem, SKB_FRAG_DESTRUCTOR

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
ACCESSOR_FILES = ("include/linux/skbuff.h", "include/linux/skbuff_ref.h",
		  "net/core/skb_frag_destructor.c")

def accessor_file(p):
	f = p[0].file
	return any(f == a or f.endswith("/" + a) for a in ACCESSOR_FILES)

def outside(p):
	return not accessor_file(p)

def key(p):
	return (p[0].file, p[0].line, p[0].column)

# What each raw access is, when it is not a plain read: key -> kind.
kinds = {}

def mark(p, kind):
	kinds.setdefault(key(p), kind)

MSG = {
	"read": "raw read of the fragment's page handle: use skb_frag_netmem()",
	"copy": "handle copied from another fragment: use skb_frag_page_copy()",
	"copied": None,
	"compare": "raw page handles compared: skb_frag_can_coalesce() for"
		   " \"same page or same wrapper\", else compare the accessors'"
		   " results (not converted)",
	"store": "raw store into the fragment's page handle: fill the fragment"
		 " with skb_frag_fill_netmem_desc() or"
		 " skb_frag_fill_destructor_desc() (not converted)",
	"address": "address of the fragment's page handle taken (not converted)",
}

reported = set()

def message(p):
	if key(p) in reported:
		return None
	reported.add(key(p))
	m = MSG[kinds.get(key(p), "read")]
	if m is None:
		return None
	return "WARNING: %s in %s()" % (m, p[0].current_element)

// The handle is reached through a typed fragment (skb_frag_t or struct
// skb_frag, pointer or not) or, without type information (the rule runs
// with --no-includes), as E->frags[I].netmem or E.frags[I].netmem.

// Copies from another fragment, other stores, comparisons of two handles
// and taking the address: every raw access that is not a plain read.

@copy@
typedef skb_frag_t;
{skb_frag_t *, struct skb_frag *} f1, f2;
{skb_frag_t, struct skb_frag} v1, v2;
expression E1, E2, I1, I2;
position p, q;
@@

\(f1->netmem@p\|v1.netmem@p\|E1->frags[I1].netmem@p\|E1.frags[I1].netmem@p\)
=
\(f2->netmem@q\|v2.netmem@q\|E2->frags[I2].netmem@q\|E2.frags[I2].netmem@q\)

@script:python@
p << copy.p;
q << copy.q;
@@
mark(p, "copy")
mark(q, "copied")

@store@
{skb_frag_t *, struct skb_frag *} f;
{skb_frag_t, struct skb_frag} v;
expression E, I, X;
assignment operator aop;
position p;
@@

\(f->netmem@p\|v.netmem@p\|E->frags[I].netmem@p\|E.frags[I].netmem@p\) aop X

@script:python@
p << store.p;
@@
mark(p, "store")

@cmp@
{skb_frag_t *, struct skb_frag *} f1, f2;
{skb_frag_t, struct skb_frag} v1, v2;
expression E1, E2, I1, I2;
binary operator op = {==, !=};
position p, q;
@@

\(f1->netmem@p\|v1.netmem@p\|E1->frags[I1].netmem@p\|E1.frags[I1].netmem@p\)
op
\(f2->netmem@q\|v2.netmem@q\|E2->frags[I2].netmem@q\|E2.frags[I2].netmem@q\)

@script:python@
p << cmp.p;
q << cmp.q;
@@
mark(p, "compare")
mark(q, "copied")

@addr@
{skb_frag_t *, struct skb_frag *} f;
{skb_frag_t, struct skb_frag} v;
expression E, I;
position p;
@@

\(&f->netmem@p\|&v.netmem@p\|&E->frags[I].netmem@p\|&E.frags[I].netmem@p\)

@script:python@
p << addr.p;
@@
mark(p, "address")

// Patch mode.  Reads first: a transformation invalidates the positions
// the rules above found.  The accessor definitions are never touched.

@acc@
{skb_frag_t *, struct skb_frag *} f;
{skb_frag_t, struct skb_frag} v;
expression E, I;
position p : script:python() { accessor_file(p) };
@@

\(f->netmem@p\|v.netmem@p\|E->frags[I].netmem@p\|E.frags[I].netmem@p\)

@depends on patch@
{skb_frag_t *, struct skb_frag *} f;
{skb_frag_t, struct skb_frag} v;
expression E, I;
position p != {copy.p, copy.q, store.p, cmp.p, cmp.q, addr.p, acc.p};
@@

(
- f->netmem@p
+ skb_frag_netmem(f)
|
- v.netmem@p
+ skb_frag_netmem(&v)
|
- E->frags[I].netmem@p
+ skb_frag_netmem(&E->frags[I])
|
- E.frags[I].netmem@p
+ skb_frag_netmem(&E.frags[I])
)

// Copies of the handle between fragments.

@depends on patch@
{skb_frag_t *, struct skb_frag *} f1, f2;
{skb_frag_t, struct skb_frag} v1, v2;
expression E1, E2, I1, I2;
position p : script:python() { outside(p) };
@@

(
- f1->netmem@p = f2->netmem
+ skb_frag_page_copy(f1, f2)
|
- f1->netmem@p = v2.netmem
+ skb_frag_page_copy(f1, &v2)
|
- f1->netmem@p = E2->frags[I2].netmem
+ skb_frag_page_copy(f1, &E2->frags[I2])
|
- f1->netmem@p = E2.frags[I2].netmem
+ skb_frag_page_copy(f1, &E2.frags[I2])
|
- v1.netmem@p = f2->netmem
+ skb_frag_page_copy(&v1, f2)
|
- v1.netmem@p = v2.netmem
+ skb_frag_page_copy(&v1, &v2)
|
- v1.netmem@p = E2->frags[I2].netmem
+ skb_frag_page_copy(&v1, &E2->frags[I2])
|
- v1.netmem@p = E2.frags[I2].netmem
+ skb_frag_page_copy(&v1, &E2.frags[I2])
|
- E1->frags[I1].netmem@p = f2->netmem
+ skb_frag_page_copy(&E1->frags[I1], f2)
|
- E1->frags[I1].netmem@p = v2.netmem
+ skb_frag_page_copy(&E1->frags[I1], &v2)
|
- E1->frags[I1].netmem@p = E2->frags[I2].netmem
+ skb_frag_page_copy(&E1->frags[I1], &E2->frags[I2])
|
- E1->frags[I1].netmem@p = E2.frags[I2].netmem
+ skb_frag_page_copy(&E1->frags[I1], &E2.frags[I2])
|
- E1.frags[I1].netmem@p = f2->netmem
+ skb_frag_page_copy(&E1.frags[I1], f2)
|
- E1.frags[I1].netmem@p = v2.netmem
+ skb_frag_page_copy(&E1.frags[I1], &v2)
|
- E1.frags[I1].netmem@p = E2->frags[I2].netmem
+ skb_frag_page_copy(&E1.frags[I1], &E2->frags[I2])
|
- E1.frags[I1].netmem@p = E2.frags[I2].netmem
+ skb_frag_page_copy(&E1.frags[I1], &E2.frags[I2])
)

// Other modes: every raw access.

@r depends on !patch@
{skb_frag_t *, struct skb_frag *} f;
{skb_frag_t, struct skb_frag} v;
expression E, I;
position p : script:python() { outside(p) and kinds.get(key(p)) != "copied" };
@@

(
* f->netmem@p
|
* v.netmem@p
|
* E->frags[I].netmem@p
|
* E.frags[I].netmem@p
)

@script:python depends on report@
p << r.p;
@@
m = message(p)
if m:
	coccilib.report.print_report(p[0], m)

@script:python depends on org@
p << r.p;
@@
m = message(p)
if m:
	coccilib.org.print_todo(p[0], m)
