// SPDX-License-Identifier: GPL-2.0-only
/// Find places where the page of an skb fragment leaves the fragment API.
///
/// skb_frag_page() and skb_frag_netmem() return the page of a fragment,
/// the wrapped page for a destructor-wrapped fragment.  The wrapper's
/// destroy callback runs when the last fragment reference is dropped, so
/// the page must not be handed to anything that can outlive the fragment
/// without a fragment reference (or a copy of the data): another skb filled
/// by page, a pipe buffer (splice), a user mapping (vm_insert_page(s)), a
/// bio or bio_vec, a scatterlist or sk_msg, a Xen grant, or a plain page
/// reference.
/// The page may be used directly or through a local variable assigned from
/// the accessors (nth_page(), page + n, netmem_to_page() and the like are
/// followed too).  Each site has to be decided by hand, so this rule has
/// no patch mode: MODE=patch changes nothing.
///
/// The accessor definitions (include/linux/skbuff.h, skbuff_ref.h,
/// net/core/skb_frag_destructor.c) are not reported.
///
// Confidence: Moderate
// Options: --no-includes --include-headers
// Keywords: skb_frag_page, skb_frag_netmem, SKB_FRAG_DESTRUCTOR, splice

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import re

ACCESSOR_FILES = ("include/linux/skbuff.h", "include/linux/skbuff_ref.h",
		  "net/core/skb_frag_destructor.c")

# Wrappers that keep an expression pointing into the same page.
_WRAP = r'(?:nth_page|compound_head|netmem_to_page|page_to_netmem|' \
	r'netmem_compound_head|page_folio)\s*\(\s*'
_FRAG_CALL = re.compile(r'^(?:' + _WRAP + r')*skb_frag_(?:page|netmem)\s*\(')
_LOCAL = re.compile(r'^(?:' + _WRAP + r')*\(?\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)?' +
		    r'(?:\s*[-+,)].*)?$')

# (file, line, name) of every use of a local that may hold a frag's page.
frag_local_uses = set()

def accessor_file(p):
	f = p[0].file
	return any(f == a or f.endswith("/" + a) for a in ACCESSOR_FILES)

def frag_value(x, p):
	"""Does expression x (at p) evaluate to a frag's page or netmem?"""
	if accessor_file(p):
		return False
	x = x.strip()
	if _FRAG_CALL.match(x):
		return True
	m = _LOCAL.match(x)
	return m is not None and \
		(p[0].file, p[0].line, m.group(1)) in frag_local_uses

def record_local(p, name):
	frag_local_uses.add((p[0].file, p[0].line, name))

def frag_of(x):
	"""Expression text as spatch prints it, with C spacing."""
	x = re.sub(r'\s+', ' ', x.strip())
	x = re.sub(r' ?(->|\.|\[|\]|\)|,|\+\+|--) ?', lambda m: m.group(1) +
		   (' ' if m.group(1) == ',' else ''), x)
	x = re.sub(r'([A-Za-z0-9_\]]) \(', r'\1(', x)
	x = re.sub(r'\( ?& ', '(&', x)
	x = re.sub(r'\( ', '(', x)
	return x

KIND = {}
for _k, _names in (
	("another skb's fragment filled by page, no frag reference",
	 ("skb_fill_page_desc", "__skb_fill_page_desc", "skb_fill_page_desc_noacc",
	  "__skb_fill_page_desc_noacc", "skb_fill_netmem_desc",
	  "__skb_fill_netmem_desc", "__skb_fill_netmem_desc_noacc",
	  "skb_add_rx_frag", "skb_add_rx_frag_netmem", "skb_frag_fill_page_desc",
	  "skb_frag_fill_netmem_desc", "skb_append_pagefrags")),
	("pipe buffer (splice)", ("spd_fill_page", "__splice_segment")),
	("user mapping", ("vm_insert_page", "vm_insert_pages")),
	("bio", ("bio_add_page", "__bio_add_page", "bio_add_pc_page")),
	("scatterlist", ("sg_set_page", "sg_assign_page")),
	("sk_msg", ("sk_msg_page_add",)),
	("granted to another domain (Xen)", ("gnttab_end_foreign_access",
	 "gnttab_page_grant_foreign_access_ref_one")),
	("bio_vec", ("bvec_set_page",)),
	("page reference outside the frag API",
	 ("get_page", "put_page", "page_ref_inc", "page_ref_dec", "page_ref_add",
	  "page_ref_sub", "folio_get", "folio_put", "get_netmem", "put_netmem",
	  "page_pool_ref_netmem", "napi_pp_put_page", "skb_page_unref")),
	):
	for _n in _names:
		KIND[_n] = _k

# Positions reported, for the context rule at the end.
hits = set()

def key(p):
	return (p[0].file, p[0].line, p[0].column)

def is_hit(p):
	return key(p) in hits

def sink_of(call):
	m = re.match(r'\s*([A-Za-z_][A-Za-z0-9_]*)', call)
	return m.group(1) if m else call

def message(call, x, p):
	"""Report text for a call taking x, or None when x is not a frag page."""
	if not frag_value(x, p):
		return None
	hits.add(key(p))
	sink = sink_of(call)
	fn = p[0].current_element
	extra = ""
	if sink in ("sg_set_page", "sg_assign_page") and fn == "__skb_to_sgvec":
		extra = "; every skb_to_sgvec() caller must hold the skb while" \
			" it uses the scatterlist"
	return "WARNING: frag page %s passed to %s() in %s(): %s%s" % \
		(frag_of(x), sink, fn, KIND.get(sink, sink), extra)

def store_message(what, x, p):
	if not frag_value(x, p):
		return None
	hits.add(key(p))
	return "WARNING: frag page %s stored in %s in %s(): stored outside" \
		" the skb" % (frag_of(x), frag_of(what), p[0].current_element)

// Only files that use the accessors.  Every other rule depends on this one,
// so --use-gitgrep and --use-idutils skip every other file.

@has depends on !patch@
expression F;
@@

\(skb_frag_page\|skb_frag_netmem\)(F)

// Locals that may hold a frag's page: every use after the assignment, on
// some path without another assignment.  The second round follows a local
// set from another (netmem = skb_frag_netmem(f); page = netmem_to_page(netmem)).

@loc1 depends on has exists@
idexpression P;
expression F, E;
position q;
@@

P = \(skb_frag_page\|skb_frag_netmem\)(F)
... when != P = E
    when any
P@q

@script:python depends on has@
P << loc1.P;
q << loc1.q;
@@
record_local(q, P)

@loc2 depends on has exists@
idexpression P;
expression X, E;
position p0 : script:python(X) { frag_value(X, p0) };
position q;
@@

P = X@p0
... when != P = E
    when any
P@q

@script:python depends on has@
P << loc2.P;
q << loc2.q;
@@
record_local(q, P)

// Calls that take the page, by the position of the page argument.  The
// script rules decide whether the argument is a frag page (no script
// constraints here: with them spatch no longer skips unrelated files).

@call1 depends on has@
expression C, X;
position p;
@@

\( C \& \(__splice_segment\|get_page\|put_page\|page_ref_inc\|page_ref_dec\|
	page_ref_add\|page_ref_sub\|get_netmem\|put_netmem\|
	page_pool_ref_netmem\|napi_pp_put_page\|skb_page_unref\|folio_get\|
	folio_put\)(X@p, ...) \)

@script:python depends on report@
C << call1.C;
X << call1.X;
p << call1.p;
@@
m = message(C, X, p)
if m:
	coccilib.report.print_report(p[0], m)

@script:python depends on org@
C << call1.C;
X << call1.X;
p << call1.p;
@@
m = message(C, X, p)
if m:
	coccilib.org.print_todo(p[0], m)

@script:python depends on context@
C << call1.C;
X << call1.X;
p << call1.p;
@@
message(C, X, p)

@call2 depends on has@
expression C, E1, X;
position p;
@@

\( C \& \(skb_frag_fill_page_desc\|skb_frag_fill_netmem_desc\|
	skb_append_pagefrags\|bio_add_page\|__bio_add_page\|sg_set_page\|
	sg_assign_page\|bvec_set_page\|sk_msg_page_add\|
	gnttab_end_foreign_access\)(E1, X@p, ...) \)

@script:python depends on report@
C << call2.C;
X << call2.X;
p << call2.p;
@@
m = message(C, X, p)
if m:
	coccilib.report.print_report(p[0], m)

@script:python depends on org@
C << call2.C;
X << call2.X;
p << call2.p;
@@
m = message(C, X, p)
if m:
	coccilib.org.print_todo(p[0], m)

@script:python depends on context@
C << call2.C;
X << call2.X;
p << call2.p;
@@
message(C, X, p)

@call3 depends on has@
expression C, E1, E2, X;
position p;
@@

\( C \& \(skb_fill_page_desc\|__skb_fill_page_desc\|skb_fill_page_desc_noacc\|
	__skb_fill_page_desc_noacc\|skb_fill_netmem_desc\|
	__skb_fill_netmem_desc\|__skb_fill_netmem_desc_noacc\|skb_add_rx_frag\|
	skb_add_rx_frag_netmem\|spd_fill_page\|vm_insert_page\|bio_add_pc_page\|
	gnttab_page_grant_foreign_access_ref_one\)(E1, E2, X@p, ...) \)

@script:python depends on report@
C << call3.C;
X << call3.X;
p << call3.p;
@@
m = message(C, X, p)
if m:
	coccilib.report.print_report(p[0], m)

@script:python depends on org@
C << call3.C;
X << call3.X;
p << call3.p;
@@
m = message(C, X, p)
if m:
	coccilib.org.print_todo(p[0], m)

@script:python depends on context@
C << call3.C;
X << call3.X;
p << call3.p;
@@
message(C, X, p)

// Stores of the page into pipe buffers, bio_vecs and arrays of pages
// (splice_pipe_desc.pages, the batch handed to vm_insert_pages()).

@store depends on has@
struct pipe_buffer *buf;
struct bio_vec *bvp;
struct bio_vec bv;
expression A, I, W, X;
position p;
@@

\( W = X@p \& \(buf->page\|bvp->bv_page\|bv.bv_page\|A[I]\) = X \)

@script:python depends on report@
X << store.X;
W << store.W;
p << store.p;
@@
m = store_message(W, X, p)
if m:
	coccilib.report.print_report(p[0], m)

@script:python depends on org@
X << store.X;
W << store.W;
p << store.p;
@@
m = store_message(W, X, p)
if m:
	coccilib.org.print_todo(p[0], m)

@script:python depends on context@
X << store.X;
W << store.W;
p << store.p;
@@
store_message(W, X, p)

// Context mode: mark every page found above.

@depends on context@
expression X;
position p : script:python() { is_hit(p) };
@@

* X@p
