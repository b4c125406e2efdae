// SPDX-License-Identifier: GPL-2.0-only
/// Find places where the page of an skb fragment leaves the fragment API.
///
/// skb_frag_page() and skb_frag_netmem() return the page of a fragment,
/// the wrapped page for a destructor-wrapped fragment.  The wrapper's
/// destroy callback runs when the last fragment reference is dropped, so
/// the page must not be handed to anything that can outlive the fragment
/// without a fragment reference (or a copy of the data): another skb filled
/// by page, a pipe buffer (splice), a user mapping (vm_insert_page(s),
/// vmf_insert_page/pfn(), remap_pfn_range(), vm_map_pages()), a bio or
/// bio_vec (also by designated initializer), a scatterlist (sg_set_page(),
/// sg_set_buf()) or sk_msg, a Xen grant, a page_pool put or __xdp_return(),
/// a free, or a plain page reference.  The fragments array cast to
/// bio_vecs is reported too: bv_page is then the raw (tagged) handle.
/// The page may be used directly or through a local variable assigned from
/// the accessors (skb_frag_address() included; nth_page(), page + n,
/// netmem_to_page(), virt_to_head_page(), page_to_pfn() and the like are
/// followed too).  Each site has to be decided by hand, so this rule has
/// no patch mode: MODE=patch and MODE=chain change nothing.
///
/// Code inside scoped_guard() is parsed only with the macro file kept
/// next to this rule: SPFLAGS="--macro-file <dir>/frag_macros.h".
///
/// The accessor definitions (include/linux/skbuff.h, skbuff_ref.h,
/// net/core/skb_frag_destructor.c) are not reported.
///
// Confidence: Moderate
// Comments: report only; every site needs a decision
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
	r'netmem_compound_head|page_folio|virt_to_head_page|virt_to_page|' \
	r'page_address|page_to_pfn|page_to_phys|virt_to_phys|' \
	r'lowmem_page_address)\s*\(\s*'
_FRAG_CALL = re.compile(r'^(?:' + _WRAP + r')*skb_frag_(?:page|netmem|address|' +
			r'address_safe)\s*\(')
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
	("user mapping", ("vm_insert_page", "vm_insert_pages", "vmf_insert_page",
	 "remap_pfn_range", "vmf_insert_pfn", "vm_insert_pfn", "vm_map_pages",
	 "vm_map_pages_zero")),
	("page_pool or XDP return of a page the pool does not own",
	 ("page_pool_put_full_page", "page_pool_put_page",
	  "page_pool_recycle_direct", "page_pool_put_full_netmem",
	  "page_pool_put_netmem", "page_pool_recycle_direct_netmem",
	  "page_pool_put_defragged_page", "page_pool_put_unrefed_page",
	  "page_pool_put_unrefed_netmem", "__xdp_return")),
	("page freed or its refcount dropped outside the frag API",
	 ("__free_page", "__free_pages", "free_page", "page_ref_dec_and_test",
	  "page_ref_sub_and_test", "put_page_testzero", "folio_put_refs",
	  "get_page_unless_zero", "folio_try_get")),
	("bio", ("bio_add_page", "__bio_add_page", "bio_add_pc_page")),
	("scatterlist", ("sg_set_page", "sg_assign_page", "sg_set_buf",
	 "sg_init_one")),
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

# Functions of the file that hand a page parameter to a sink: (file,
# function, parameter index) -> (sink, line).
helpers = {}

def record_helper(fn, n, sink, q):
	helpers.setdefault((q[0].file, fn, int(n)), (sink, q[0].line))

def helper_message(fn, n, x, p):
	h = helpers.get((p[0].file, fn, int(n)))
	if h is None or not frag_value(x, p):
		return None
	hits.add(key(p))
	return "WARNING: frag page %s passed to %s() in %s(), which hands it to" \
		" %s() (line %s): %s" % (frag_of(x), fn, p[0].current_element,
					h[0], h[1], KIND.get(h[0], h[0]))

def init_message(what, x, p):
	if not frag_value(x, p):
		return None
	hits.add(key(p))
	return "WARNING: frag page %s stored in a %s initializer in %s():" \
		" stored outside the skb" % (frag_of(x), what, p[0].current_element)

def store_message(what, x, p):
	if not frag_value(x, p):
		return None
	hits.add(key(p))
	return "WARNING: frag page %s stored in %s in %s(): stored outside" \
		" the skb" % (frag_of(x), frag_of(what), p[0].current_element)

// Only files that use the accessors.  Every other rule depends on this one,
// so --use-gitgrep and --use-idutils skip every other file.

@has@
expression F;
@@

\(skb_frag_page\|skb_frag_netmem\|skb_frag_address\|skb_frag_address_safe\)(F)

// Locals that may hold a frag's page: every use after the assignment, on
// some path without another assignment.  The second round follows a local
// set from another (netmem = skb_frag_netmem(f); page = netmem_to_page(netmem)).

@loc1 depends on has exists@
idexpression P;
expression F, E;
position q;
@@

P = \(skb_frag_page\|skb_frag_netmem\|skb_frag_address\|
	skb_frag_address_safe\)(F)
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
	folio_put\|__free_page\|__free_pages\|free_page\|page_ref_dec_and_test\|
	page_ref_sub_and_test\|put_page_testzero\|folio_put_refs\|
	get_page_unless_zero\|folio_try_get\|__xdp_return\)(X@p, ...) \)

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
	gnttab_end_foreign_access\|sg_set_buf\|sg_init_one\|vm_map_pages\|
	vm_map_pages_zero\|page_pool_put_full_page\|page_pool_put_page\|
	page_pool_recycle_direct\|page_pool_put_full_netmem\|
	page_pool_put_netmem\|page_pool_recycle_direct_netmem\|
	page_pool_put_defragged_page\|page_pool_put_unrefed_page\|
	page_pool_put_unrefed_netmem\)(E1, X@p, ...) \)

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
	gnttab_page_grant_foreign_access_ref_one\|vmf_insert_page\|
	remap_pfn_range\|vmf_insert_pfn\|vm_insert_pfn\)(E1, E2, X@p, ...) \)

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

// One level of helpers in the same file: a function that takes a page and
// hands it to one of the sinks above (net/wireless/util.c's
// __frame_add_frag(): get_page() and skb_add_rx_frag() into another skb).

@helper depends on has@
identifier fn, P;
parameter list[n] ps;
type T, TP;
identifier sink =~ "^(get_page|get_netmem|page_ref_inc|page_ref_add|folio_get|skb_fill_page_desc|__skb_fill_page_desc|skb_fill_page_desc_noacc|__skb_fill_page_desc_noacc|skb_fill_netmem_desc|__skb_fill_netmem_desc|skb_add_rx_frag|skb_add_rx_frag_netmem|skb_frag_fill_page_desc|skb_frag_fill_netmem_desc|skb_append_pagefrags|spd_fill_page|__splice_segment|vm_insert_page|bio_add_page|__bio_add_page|bio_add_pc_page|sg_set_page|sg_assign_page|bvec_set_page|sk_msg_page_add|gnttab_end_foreign_access|gnttab_page_grant_foreign_access_ref_one|page_pool_put_full_page|page_pool_put_page|page_pool_recycle_direct|__free_page)$";
position q;
@@

T fn(ps, TP P, ...)
{
  <+... sink(..., P@q, ...) ...+>
}

@script:python@
fn << helper.fn;
n << helper.n;
sink << helper.sink;
q << helper.q;
@@
record_helper(fn, n, sink, q)

@hcall depends on helper@
identifier helper.fn;
expression list[helper.n] es;
expression X;
position p;
@@

fn(es, X@p, ...)

@script:python depends on report@
fn << helper.fn;
n << helper.n;
X << hcall.X;
p << hcall.p;
@@
m = helper_message(fn, n, X, p)
if m:
	coccilib.report.print_report(p[0], m)

@script:python depends on org@
fn << helper.fn;
n << helper.n;
X << hcall.X;
p << hcall.p;
@@
m = helper_message(fn, n, X, p)
if m:
	coccilib.org.print_todo(p[0], m)

@script:python depends on context@
fn << helper.fn;
n << helper.n;
X << hcall.X;
p << hcall.p;
@@
helper_message(fn, n, X, p)

// Designated initializers of a bio_vec or a pipe buffer.

@init depends on has@
identifier I;
expression X;
position p;
@@

(
struct bio_vec I = { ..., .bv_page = X@p, ... };
|
struct pipe_buffer I = { ..., .page = X@p, ... };
)

@script:python depends on report@
X << init.X;
p << init.p;
@@
m = init_message("bio_vec or pipe_buffer", X, p)
if m:
	coccilib.report.print_report(p[0], m)

@script:python depends on org@
X << init.X;
p << init.p;
@@
m = init_message("bio_vec or pipe_buffer", X, p)
if m:
	coccilib.org.print_todo(p[0], m)

@script:python depends on context@
X << init.X;
p << init.p;
@@
init_message("bio_vec or pipe_buffer", X, p)

// The fragments reinterpreted as bio_vecs (the layouts match): bv_page is
// then the raw handle, the tagged wrapper pointer for a wrapped fragment.

@bvcast disable drop_cast@
type T;
typedef skb_frag_t;
skb_frag_t *f;
expression C, E;
position p;
@@

\( C@p \& \( (T)E->frags \| (T)E.frags \| (T)f \) \)

@script:python depends on report@
T << bvcast.T;
p << bvcast.p;
@@
if "bio_vec" in T and not accessor_file(p):
	hits.add(key(p))
	coccilib.report.print_report(p[0], "WARNING: fragments cast to %s in"
		" %s(): bv_page is the raw handle, a wrapped fragment's is the"
		" tagged wrapper: build the bio_vecs with skb_frag_page()" %
		(T, p[0].current_element))

@script:python depends on org@
T << bvcast.T;
p << bvcast.p;
@@
if "bio_vec" in T and not accessor_file(p):
	hits.add(key(p))
	coccilib.org.print_todo(p[0], "WARNING: fragments cast to %s in"
		" %s(): bv_page is the raw handle, a wrapped fragment's is the"
		" tagged wrapper: build the bio_vecs with skb_frag_page()" %
		(T, p[0].current_element))

@script:python depends on context@
T << bvcast.T;
p << bvcast.p;
@@
if "bio_vec" in T and not accessor_file(p):
	hits.add(key(p))

// Context mode: mark every page found above.

@depends on context@
expression X;
position p : script:python() { is_hit(p) };
@@

* X@p
