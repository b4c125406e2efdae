// SPDX-License-Identifier: GPL-2.0-only
/// Take and drop fragment references through the skb fragment API.
///
/// get_page(skb_frag_page(f)) and put_page(skb_frag_page(f)) (and their
/// folio, netmem and skb_page_unref() forms) count a reference on the page
/// behind a fragment.  For a destructor-wrapped fragment the reference
/// belongs on the wrapper, which __skb_frag_ref() and __skb_frag_unref()
/// take and drop; for a plain page they are the same code as before.
///
/// Patch mode converts a reference taken or dropped on skb_frag_page(f) or
/// skb_frag_netmem(f), directly or through a local variable used for
/// nothing else, into __skb_frag_ref(f) / __skb_frag_unref(f, false), and
/// skb_page_unref(skb_frag_netmem(f), recycle) into
/// __skb_frag_unref(f, recycle).  These are exact for a plain page, so
/// page_pool recycling does not change.  A reference through a local is
/// converted only when it provably names the same fragment: the local is
/// set from the accessor once (not from two fragments), the fragment
/// expression has no side effects, and only straight-line code stands
/// between the fetch and the reference: no branch, loop edge or label, no
/// call but a few pure ones (skb_frag_size(), page_address(), ...), no
/// store through a pointer, and neither the local nor a variable of the
/// fragment expression (cursor, index, skb or shinfo alias) changed or
/// its address taken.  Sites that are only reported:
///  - page_ref_*(), page_count(), put_page_testzero(),
///    get_page_unless_zero(), folio_put_refs() and the like: raw counts;
///  - __free_page() and friends: a free, never a fragment reference;
///  - page_pool_ref_netmem(), napi_pp_put_page(), the page_pool puts
///    (page_pool_put_full_page/netmem(), page_pool_recycle_direct(), ...)
///    and __xdp_return(): a wrapped page is not a page_pool page;
///  - pages reached through skb_frag_address() (virt_to_head_page()) or
///    given by skb_frag_foreach_page(): maybe not skb_frag_page();
///  - a reference on a page that the same function also hands to a
///    scatterlist, bio, pipe, another skb, a driver structure, an
///    initializer or any call that may keep it: the reference is for that
///    holder and is dropped with put_page() on its page, so it must
///    become a wrapper reference held for the holder's lifetime (see
///    frag_page_escape.cocci), not a fragment reference;
///  - a reference through a local that fails any condition above.
///
/// Code inside scoped_guard() is parsed only with the macro file kept
/// next to this rule: SPFLAGS="--macro-file <dir>/frag_macros.h".
///
/// The accessor definitions (include/linux/skbuff.h, skbuff_ref.h,
/// net/core/skb_frag_destructor.c) are never matched.
///
// Confidence: Moderate (patch mode: High; the escape check is per function)
// Comments: a conversion needs the same fragment and the same reference;
//  everything else is reported
// Options: --no-includes --include-headers
// Keywords: get_page, put_page, skb_frag_page, __skb_frag_ref, __skb_frag_unref

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import re

ACCESSOR_FILES = ("include/linux/skbuff.h", "include/linux/skbuff_ref.h",
		  "net/core/skb_frag_destructor.c")

def accessor_file(p):
	f = fname(p)
	return any(f == a or f.endswith("/" + a) for a in ACCESSOR_FILES)

def norm(x):
	"""Expression text as spatch prints it, with C spacing."""
	x = re.sub(r'\s+', ' ', x.strip())
	x = re.sub(r' ?(->|\.|\[|\]|\)|,|\+\+|--) ?', lambda m: m.group(1) +
		   (' ' if m.group(1) == ',' else ''), x)
	x = re.sub(r'([A-Za-z0-9_\]]) \(', r'\1(', x)
	x = re.sub(r'\( ?& ', '(&', x)
	x = re.sub(r'\( ', '(', x)
	return x

# The file being processed.  Rules that run after a transformation see it
# under a temporary name (.../cocci_small_output-<pid>-<hash>-<name>).
current = [None]
_TMP = re.compile(r'(?:^|/)cocci_small_output-[0-9]+-[0-9a-f]+-[^/]*$')

def set_current(p):
	if not _TMP.search(p[0].file):
		current[0] = p[0].file

def fname(p):
	f = p[0].file
	return current[0] if _TMP.search(f) and current[0] else f

def key(p):
	"""Where an expression ends: X@p spans a whole call, while spatch puts
	skb_frag_page(F)@p on its closing parenthesis."""
	return (fname(p), p[0].line, p[0].column_end)

def fn_key(p):
	return (fname(p), p[0].current_element)

def callee(c):
	m = re.match(r'\s*([A-Za-z_][A-Za-z0-9_]*)', c)
	return m.group(1) if m else c

_FRAG_CALL = re.compile(r'^(?:(?:page_folio|netmem_to_page|compound_head|'
			r'netmem_compound_head|virt_to_head_page|virt_to_page|'
			r'page_address)\(\s*)*'
			r'skb_frag_(?:page|netmem|address|address_safe)\(')

# Pages (expression text) handed to escape sinks, per function.
escapes = {}
# Reference sites: key -> (verdict, message).  Verdict "ok" sites are the
# only ones the patch rules touch.
verdicts = {}
# Uses of each local per function, and those that are the assignment from
# the accessor or the reference itself.
local_uses = {}
local_known = {}

def pkey(p):
	return (p[0].line, p[0].column)

def record_local(name, pa, p):
	k = fn_key(p) + (norm(name),)
	local_known.setdefault(k, set()).update([pkey(pa), pkey(p)])

def record_use(name, u):
	k = fn_key(u) + (norm(name),)
	local_uses.setdefault(k, set()).add(pkey(u))

def local_has_other_uses(name, p):
	k = fn_key(p) + (norm(name),)
	return bool(local_uses.get(k, set()) - local_known.get(k, set()))

def record_escape(c, x, p):
	escapes.setdefault(fn_key(p), []).append((callee(c), norm(x)))

def escape_of(p, texts):
	for sink, arg in escapes.get(fn_key(p), []):
		for t in texts:
			if re.search(r'(?<![\w.>])' + re.escape(t) + r'(?![\w(])', arg):
				return sink
	return None

_ACC = re.compile(r'skb_frag_(?:page|netmem|address|address_safe)\(')

def related(texts):
	"""texts, and every accessor of the fragments they name: a page handed
	on as skb_frag_address(f) is the page of skb_frag_page(f)."""
	out = list(texts)
	for t in texts:
		m = _ACC.search(t)
		if not m:
			continue
		depth = 0
		for i in range(m.end() - 1, len(t)):
			if t[i] == "(":
				depth += 1
			elif t[i] == ")":
				depth -= 1
				if depth == 0:
					f = t[m.end():i]
					out += ["skb_frag_%s(%s)" % (a, f) for a in
						("page", "netmem", "address",
						 "address_safe")]
					break
	return out

GET = {"get_page": "page", "folio_get": "folio", "get_netmem": "netmem"}
PUT = {"put_page": "page", "folio_put": "folio", "put_netmem": "netmem"}
RAW = ("page_ref_inc", "page_ref_dec", "page_ref_add", "page_ref_sub",
       "page_ref_dec_and_test", "page_ref_sub_and_test", "put_page_testzero",
       "page_count", "page_ref_count", "get_page_unless_zero",
       "folio_try_get", "folio_ref_count", "folio_ref_add", "folio_ref_sub",
       "folio_ref_inc", "folio_ref_dec", "folio_put_refs", "folio_put_testzero",
       "page_ref_inc_return", "page_ref_dec_return")
FREE = ("__free_page", "__free_pages", "free_page", "free_pages", "put_pages_list")
PP = ("page_pool_ref_netmem", "napi_pp_put_page", "page_pool_put_full_page",
      "page_pool_put_page", "page_pool_recycle_direct",
      "page_pool_put_full_netmem", "page_pool_put_netmem",
      "page_pool_recycle_direct_netmem", "page_pool_put_defragged_page",
      "page_pool_put_unrefed_page", "page_pool_put_unrefed_netmem",
      "page_pool_unref_netmem", "page_pool_unref_page", "__xdp_return",
      "xdp_return_frag", "page_pool_ref_page", "page_pool_fragment_page")
PAGE_REFS = tuple(GET) + tuple(PUT) + ("skb_page_unref",) + RAW + FREE + PP

# Calls that may stand between a local's fetch and its reference: they
# neither change the fragments nor the variables, nor keep the page.
PURE = ("skb_frag_size", "skb_frag_off", "skb_frag_page", "skb_frag_netmem",
	"skb_frag_address", "skb_frag_address_safe", "skb_frag_is_net_iov",
	"page_address", "page_to_phys", "page_to_pfn", "page_folio",
	"netmem_to_page", "page_to_netmem", "min", "max", "min_t", "max_t",
	"likely", "unlikely", "sizeof", "skb_shinfo", "skb_headlen",
	"page_is_pfmemalloc", "netmem_is_net_iov", "PAGE_ALIGN", "ALIGN",
	"WARN_ON", "WARN_ON_ONCE", "DEBUG_NET_WARN_ON_ONCE", "offset_in_page",
	"xdp_get_shared_info_from_buff", "xdp_get_shared_info_from_frame",
	"BIT", "ARRAY_SIZE", "READ_ONCE")

# Users of a page that do not keep it: a page handed to any other call is
# handed to something that may keep it (and the reference with it).
KEEPS_NOTHING = PURE + PAGE_REFS + (
	"kmap", "kunmap", "kmap_local_page", "kmap_atomic", "kunmap_local",
	"kunmap_atomic", "page_to_virt", "lowmem_page_address", "dma_map_page",
	"dma_map_page_attrs", "dma_sync_single_for_cpu", "skb_frag_dma_map",
	"memcpy_from_page", "memcpy_to_page", "memcpy", "memset",
	"flush_dcache_page", "virt_to_page", "virt_to_head_page",
	"compound_head", "netmem_compound_head", "PageHighMem", "page_zone",
	"page_to_nid", "prefetch", "prefetchw", "net_prefetch",
	"net_prefetchw", "BUG_ON", "page_pool_get_dma_addr",
	"page_pool_dma_sync_for_cpu", "netmem_is_pp", "is_pp_netmem",
	"folio_test_large", "PageCompound", "page_ref_count",
	"__skb_frag_ref", "__skb_frag_unref", "skb_frag_ref", "skb_frag_unref",
	"csum_partial", "skb_frag_must_loop", "kmap_frag", "kunmap_frag")

_KEYWORDS = ("if", "else", "for", "while", "do", "switch", "case",
	     "default", "goto", "return", "break", "continue", "asm",
	     "__asm__")
_TOKEN = re.compile(r'\s*(/\*.*?\*/|//[^\n]*|[A-Za-z_]\w*|0[xX][0-9a-fA-F]+\w*|'
		    r'\d\w*|->|\+\+|--|<<=|>>=|[-+*/%&|^!=<>]=|&&|\|\||<<|>>|'
		    r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|.)', re.S)

def tokens(text):
	out = []
	pos = 0
	while pos < len(text):
		m = _TOKEN.match(text, pos)
		if not m or m.end() == pos:
			break
		pos = m.end()
		t = m.group(1)
		if t and not t.startswith("/*") and not t.startswith("//"):
			out.append(t)
	return out

def idents(text):
	return set(t for t in tokens(text) if re.match(r'^[A-Za-z_]\w*$', t))

def pure_expr(text):
	"""No assignment, ++/--, nor call outside PURE in expression text."""
	ts = tokens(text)
	for i, t in enumerate(ts):
		if t in ("=", "++", "--") or (t.endswith("=") and
					      t not in ("==", "!=", "<=", ">=")):
			return False
		if t == "(" and i > 0 and re.match(r'^[A-Za-z_]\w*$', ts[i - 1]) \
		   and ts[i - 1] not in PURE:
			return False
	return True

_files = {}

def source_lines(p):
	f = fname(p)
	if f not in _files:
		try:
			with open(f, errors="replace") as fh:
				_files[f] = fh.read().split("\n")
		except OSError:
			_files[f] = None
	return _files[f]

def text_between(p1, p2):
	"""Source text from the start of p1 to the start of p2 (1-based lines,
	0-based columns), or None."""
	lines = source_lines(p1)
	if lines is None:
		return None
	l1, c1 = int(p1[0].line), int(p1[0].column)
	l2, c2 = int(p2[0].line), int(p2[0].column)
	if (l2, c2) <= (l1, c1) or l2 > len(lines):
		return None
	if l1 == l2:
		return lines[l1 - 1][c1:c2]
	return "\n".join([lines[l1 - 1][c1:]] + lines[l1:l2 - 1] +
			 [lines[l2 - 1][:c2]])

def straight_between(name, frag, pa, p):
	"""Why the code between P = frag (at pa) and the reference on P (at p)
	may change which page P or frag stands for, or None when it cannot:
	straight-line code without calls (but PURE), branches, stores through
	pointers or any mention of P or of a variable of frag."""
	if not pure_expr(frag):
		return "the fragment expression has side effects"
	text = text_between(pa, p)
	if text is None:
		return "the reference comes before the fetch"
	ts = tokens(text)
	# Drop "P = frag" up to its ';' and the reference's own call prefix.
	depth = 0
	for i, t in enumerate(ts):
		if t in "([":
			depth += 1
		elif t in ")]":
			depth -= 1
		elif t == ";" and depth == 0:
			ts = ts[i + 1:]
			break
	else:
		return "the fetch is not a statement"
	while ts and (ts[-1] == "(" or ts[-1] in PAGE_REFS or
		      ts[-1] in ("page_folio", "netmem_to_page", "page_address",
				 "virt_to_head_page", "virt_to_page",
				 "page_to_netmem")):
		ts = ts[:-1]
	watch = idents(frag) | set([name])
	stmt = []
	depth = 0
	for i, t in enumerate(ts):
		if t in ("{", "}") or t in _KEYWORDS:
			return "a branch or block in between"
		if t in "([":
			depth += 1
		elif t in ")]":
			depth -= 1
			if depth < 0:
				return "the fetch is inside a loop header or an expression"
		if t == name:
			return "%s used in between" % t
		if t in watch:
			nxt = ts[i + 1] if i + 1 < len(ts) else ""
			prv = ts[i - 1] if i else ""
			if nxt in ("++", "--", "=") or prv in ("++", "--", "&") or \
			   (nxt.endswith("=") and len(nxt) > 1 and
			    nxt not in ("==", "!=", "<=", ">=")):
				return "%s changed in between" % t
		if t == "(" and i > 0 and re.match(r'^[A-Za-z_]\w*$', ts[i - 1]) \
		   and ts[i - 1] not in PURE:
			return "a call to %s() in between" % ts[i - 1]
		if t == ":" and "?" not in stmt:
			return "a label in between"
		if t in ("++", "--"):
			nb = [x for x in (ts[i - 1] if i else "", ts[i + 1] if i + 1 <
			      len(ts) else "") if re.match(r'^[A-Za-z_]\w*$', x)]
			if not nb:
				return "an increment through a pointer in between"
		if t == "=" or (t.endswith("=") and len(t) > 1 and
				t not in ("==", "!=", "<=", ">=")):
			lhs = [x for x in stmt if x not in ("const", "volatile")]
			ids = [x for x in lhs if re.match(r'^[A-Za-z_]\w*$', x)]
			if any(x in ("->", ".", "[", "]", "(", ")") for x in lhs) or \
			   len(ids) == 0 or (len(ids) == 1 and "*" in lhs):
				return "a store through a pointer in between"
		stmt.append(t)
		if t in (";", ","):
			stmt = []
	return None

# Fragment expressions of const type, per function: (file, fn, text).
const_frags = set()

def frag_arg(t):
	"""The fragment expression f of the first skb_frag_*(f) in text t."""
	m = _ACC.search(t)
	if not m:
		return None
	depth = 0
	for i in range(m.end() - 1, len(t)):
		if t[i] == "(":
			depth += 1
		elif t[i] == ")":
			depth -= 1
			if depth == 0:
				return normf(t[m.end():i])
	return None

def normf(t):
	"""norm() of a fragment expression on its own (no "(" before "&")."""
	return re.sub(r'^&\s+', '&', norm(t))

# Reference sites reached from each fetch: key -> set of fetch keys.
fetches = {}

def unwrap(x, name):
	"""The argument of x when x is exactly name(argument), else None."""
	if not x.startswith(name + "(") or not x.endswith(")"):
		return None
	depth = 0
	for i, ch in enumerate(x[len(name):]):
		if ch == "(":
			depth += 1
		elif ch == ")":
			depth -= 1
			if depth == 0 and len(name) + i != len(x) - 1:
				return None
	return x[len(name) + 1:-1]

def frag_expr(x, *names):
	"""Is x exactly names[0](names[1](...(fragment)))?"""
	for n in names:
		x = unwrap(x, n)
		if x is None:
			return False
	return True

def shape_ok(op, x):
	"""Is op(x) exactly __skb_frag_ref()/__skb_frag_unref() for a plain page?"""
	if op in ("get_page", "put_page"):
		return frag_expr(x, "skb_frag_page") or \
			frag_expr(x, "netmem_to_page", "skb_frag_netmem")
	if op in ("folio_get", "folio_put"):
		return frag_expr(x, "page_folio", "skb_frag_page")
	if op in ("get_netmem", "put_netmem", "skb_page_unref"):
		return frag_expr(x, "skb_frag_netmem")
	return False

def first_arg(c):
	"""The first argument of call text c."""
	c = c[c.index("(") + 1:]
	depth = 0
	for i, ch in enumerate(c):
		if ch in "([":
			depth += 1
		elif ch in ")]":
			if depth == 0:
				return c[:i].strip()
			depth -= 1
		elif ch == "," and depth == 0:
			return c[:i].strip()
	return c.strip()

def classify(c, x, p, local=None, pa=None):
	"""Decide one reference site: call c, whose page argument x is at p.
	For a reference through a local, x is the local and local the
	expression it was set from."""
	if accessor_file(p):
		return None
	c = norm(c)
	op = callee(c)
	x = norm(x)
	arg = first_arg(c)
	if local is None:
		if not _FRAG_CALL.match(x):
			return None
		src = x
		texts = [x]
	else:
		local = norm(local)
		if not _FRAG_CALL.match(local):
			return None
		src = "%s (= %s)" % (x, local)
		texts = [x, local]
		arg = re.sub(r'(?<![\w.>])' + re.escape(x) + r'(?!\w)', local, arg,
			     count=1)
	where = "in %s()" % p[0].current_element
	conv = "__skb_frag_ref" if op in GET else "__skb_frag_unref"
	sink = escape_of(p, related(texts))
	why = None
	if local is not None:
		fetches.setdefault(key(p), set()).add(pkey(pa) if pa else None)
		why = straight_between(x, local, pa, p) if pa else "no fetch"
		if len(fetches[key(p)]) > 1:
			why = "the local is set from more than one fragment"
	fa = frag_arg(local if local is not None else x)
	if fa is not None and fn_key(p) + (fa,) in const_frags and \
	   why is None and (op in GET or op in PUT or op == "skb_page_unref"):
		why = "the fragment is const (%s() takes a non-const one)" % conv
	if op in FREE:
		v = ("report", "%s() on frag page %s %s: frees the page, not"
		     " converted: drop a frag reference with %s()" %
		     (op, src, where, "__skb_frag_unref"))
	elif op in RAW:
		v = ("report", "%s() on frag page %s %s: raw page refcount, not"
		     " converted: take a frag reference or copy" % (op, src, where))
	elif op in PP:
		v = ("report", "%s() on frag page %s %s: page_pool reference, not"
		     " converted: a wrapped page is not a page_pool page" %
		     (op, src, where))
	elif sink:
		v = ("report", "%s() on frag page %s %s: the page also goes to"
		     " %s(), the reference is for it: not converted, hold a"
		     " wrapper reference for its lifetime" % (op, src, where, sink))
	elif local is not None and local_has_other_uses(x, p):
		v = ("report", "%s() on frag page %s %s: the local has other uses,"
		     " not converted: use %s()" % (op, src, where, conv))
	elif why is not None:
		v = ("report", "%s() on frag page %s %s: %s, not converted:"
		     " use %s() on the same fragment" % (op, src, where, why,
							 conv))
	elif not shape_ok(op, arg):
		v = ("report", "%s() on frag page %s %s: use %s() (not"
		     " converted: not the same reference)" % (op, src, where, conv))
	else:
		v = ("ok", "%s() on frag page %s %s: use %s()" %
		     (op, src, where, conv))
	old = verdicts.get(key(p))
	if old is not None and old[0] == "report" and v[0] == "ok":
		v = old
	verdicts[key(p)] = v
	return v

def foreach_ref(c, name, p):
	if accessor_file(p):
		return
	op = callee(norm(c))
	verdicts[key(p)] = ("report", "%s() on %s, a page of"
			    " skb_frag_foreach_page() in %s(): not converted,"
			    " take a frag reference on the fragment or copy" %
			    (op, norm(name), p[0].current_element))

def convertible(p):
	v = verdicts.get(key(p))
	return v is not None and v[0] == "ok"

def message(p):
	v = verdicts.get(key(p))
	return None if v is None else "WARNING: " + v[1]

reported = set()

def message_once(p):
	"""message(), once per site: a reference through a local can match
	along several paths."""
	if key(p) in reported:
		return None
	reported.add(key(p))
	return message(p)

# Locals whose assignment the patch rules removed: (file, function, local).
converted_locals = set()

def converted_local(p, name):
	return fn_key(p) + (name,) in converted_locals

// Only files that use the accessors.  Every other rule depends on this one,
// so --use-gitgrep and --use-idutils skip every other file.

@has@
expression F;
position p;
@@

\(skb_frag_page\|skb_frag_netmem\|skb_frag_address\|skb_frag_address_safe\)(F)@p

@script:python@
p << has.p;
@@
set_current(p)

// Where pages go in each function: a reference taken for one of these is
// not a fragment reference.  The same sinks as frag_page_escape.cocci.

@esc1 depends on has@
expression C, X;
position p;
@@

\( C \& __splice_segment(X@p, ...) \)

@script:python@
C << esc1.C;
X << esc1.X;
p << esc1.p;
@@
record_escape(C, X, p)

@esc2 depends on has@
expression C, E1, X;
position p;
@@

\( C \& \(skb_frag_fill_page_desc\|skb_frag_fill_netmem_desc\|
	skb_append_pagefrags\|bio_add_page\|__bio_add_page\|sg_set_page\|
	sg_assign_page\|bvec_set_page\|sk_msg_page_add\|sg_set_buf\|
	sg_init_one\|vm_map_pages\|vm_map_pages_zero\|
	gnttab_end_foreign_access\)(E1, X@p, ...) \)

@script:python@
C << esc2.C;
X << esc2.X;
p << esc2.p;
@@
record_escape(C, X, p)

@esc3 depends on has@
expression C, E1, E2, X;
position p;
@@

\( C \& \(skb_fill_page_desc\|__skb_fill_page_desc\|skb_fill_page_desc_noacc\|
	__skb_fill_page_desc_noacc\|skb_fill_netmem_desc\|
	__skb_fill_netmem_desc\|__skb_fill_netmem_desc_noacc\|skb_add_rx_frag\|
	skb_add_rx_frag_netmem\|spd_fill_page\|vm_insert_page\|
	bio_add_pc_page\|gnttab_page_grant_foreign_access_ref_one\|
	remap_pfn_range\|vmf_insert_pfn\|vmf_insert_page\|vm_insert_pfn\)(E1,
	E2, X@p, ...) \)

@script:python@
C << esc3.C;
X << esc3.X;
p << esc3.p;
@@
record_escape(C, X, p)

// Stores outside the function's locals (a driver structure, a pipe buffer,
// a bio_vec, an array of pages), designated initializers, and any other
// call the page is handed to: the page may be kept, with the reference.

@escst depends on has@
expression A, E, I, X;
identifier fld;
position p;
@@

\(E->fld\|E.fld\|*E\|A[I]\) = X@p

@script:python@
X << escst.X;
p << escst.p;
@@
record_escape("store", X, p)

@escinit depends on has@
identifier I, fld;
type T;
expression F, X;
position p;
@@

T I = { ..., .fld = \( X@p \& <+... \(skb_frag_page\|skb_frag_netmem\|
	skb_frag_address\|skb_frag_address_safe\)(F) ...+> \), ... };

@script:python@
X << escinit.X;
p << escinit.p;
@@
record_escape("initializer", X, p)

@escall depends on has@
identifier C;
expression F, X;
position p;
@@

C(..., \( X@p \& <+... \(skb_frag_page\|skb_frag_netmem\|skb_frag_address\|
	skb_frag_address_safe\)(F) ...+> \), ...)

@script:python@
C << escall.C;
X << escall.X;
p << escall.p;
@@
if C not in KEEPS_NOTHING:
	record_escape(C, X, p)

// Fragments reached through a const pointer: __skb_frag_ref() and
// __skb_frag_unref() take a non-const one, so a conversion would not build
// (-Werror=discarded-qualifiers).

@constf depends on has@
typedef skb_frag_t;
{const skb_frag_t *, const struct skb_frag *} cf;
const struct skb_shared_info *cs;
expression F, I;
position p;
@@

\(skb_frag_page\|skb_frag_netmem\|skb_frag_address\)(\( F@p \& \(cf\|&cs->frags[I]\|
	cs->frags + I\|cs->frags\) \))

@script:python@
F << constf.F;
p << constf.p;
@@
const_frags.add(fn_key(p) + (normf(F),))

// References taken or dropped directly on skb_frag_page(f) and friends.

@ref depends on has@
expression C, X;
identifier fn =~ "^(get_page|put_page|folio_get|folio_put|get_netmem|put_netmem|skb_page_unref|page_ref_inc|page_ref_dec|page_ref_add|page_ref_sub|page_pool_ref_netmem|napi_pp_put_page|__free_page|__free_pages|free_page|page_ref_dec_and_test|page_ref_sub_and_test|put_page_testzero|page_count|page_ref_count|get_page_unless_zero|folio_try_get|folio_ref_count|folio_ref_add|folio_ref_sub|folio_ref_inc|folio_ref_dec|folio_put_refs|folio_put_testzero|page_ref_inc_return|page_ref_dec_return|__xdp_return|xdp_return_frag)$";
position p;
@@

\( C \& fn(X@p, ...) \)

@script:python@
C << ref.C;
X << ref.X;
p << ref.p;
@@
classify(C, X, p)

// page_pool puts: the page is the second argument.

@ref2 depends on has@
expression C, E, X;
position p;
@@

\( C \& \(page_pool_put_full_page\|page_pool_put_page\|page_pool_recycle_direct\|
	page_pool_put_full_netmem\|page_pool_put_netmem\|
	page_pool_recycle_direct_netmem\|page_pool_put_defragged_page\|
	page_pool_put_unrefed_page\|page_pool_put_unrefed_netmem\|
	page_pool_fragment_page\)(E, X@p, ...) \)

@script:python@
C << ref2.C;
X << ref2.X;
p << ref2.p;
@@
classify(C, X, p)

// Pages of skb_frag_foreach_page(): a page of the fragment, maybe not its
// first; a reference on it is never a fragment reference.

@fe@
iterator name skb_frag_foreach_page;
expression F, E1, E2, E3, E4, E5;
identifier P;
statement S;
@@

skb_frag_foreach_page(F, E1, E2, P, E3, E4, E5) S

@fref depends on fe exists@
identifier fe.P;
expression C;
position p;
@@

\( C \& \(get_page\|put_page\|folio_get\|folio_put\|page_ref_inc\|
	page_ref_add\|page_ref_dec\|page_ref_sub\|__free_page\)(
	\(P@p\|page_folio(P@p)\), ...) \)

@script:python@
C << fref.C;
P << fe.P;
p << fref.p;
@@
foreach_ref(C, P, p)

// References through a local: P = skb_frag_page(f); ... put_page(P).

@lref depends on has exists@
idexpression P;
expression C, E, F, Y;
identifier fn =~ "^(get_page|put_page|folio_get|folio_put|get_netmem|put_netmem|skb_page_unref|page_ref_inc|page_ref_dec|page_ref_add|page_ref_sub|page_pool_ref_netmem|napi_pp_put_page|__free_page|__free_pages|free_page|page_ref_dec_and_test|page_ref_sub_and_test|put_page_testzero|page_count|page_ref_count|get_page_unless_zero|folio_try_get|folio_ref_count|folio_ref_add|folio_ref_sub|folio_ref_inc|folio_ref_dec|folio_put_refs|folio_put_testzero|page_ref_inc_return|page_ref_dec_return|__xdp_return|xdp_return_frag)$";
identifier fn2 =~ "^(page_pool_put_full_page|page_pool_put_page|page_pool_recycle_direct|page_pool_put_full_netmem|page_pool_put_netmem|page_pool_recycle_direct_netmem|page_pool_put_defragged_page|page_pool_put_unrefed_page|page_pool_put_unrefed_netmem|page_pool_fragment_page)$";
position pa, p;
@@

P@pa = \( Y \& <+... \(skb_frag_page\|skb_frag_netmem\|skb_frag_address\|
	skb_frag_address_safe\)(F) ...+> \)
... when != P = E
(
\( C \& fn(\(P@p\|page_folio(P@p)\|netmem_to_page(P@p)\|page_address(P@p)\|
	virt_to_head_page(P@p)\|virt_to_page(P@p)\), ...) \)
|
\( C \& fn2(E, \(P@p\|netmem_to_page(P@p)\|page_to_netmem(P@p)\|
	virt_to_head_page(P@p)\|virt_to_page(P@p)\), ...) \)
)

@script:python@
P << lref.P;
pa << lref.pa;
p << lref.p;
@@
record_local(P, pa, p)

@luse depends on lref@
idexpression lref.P;
position u;
@@

P@u

@script:python@
P << lref.P;
u << luse.u;
@@
record_use(P, u)

@script:python@
P << lref.P;
C << lref.C;
Y << lref.Y;
pa << lref.pa;
p << lref.p;
@@
classify(C, P, p, local=Y, pa=pa)

// Patch mode: only the sites classify() found exact and safe.

@dpatch depends on patch && has@
expression F, R;
position p : script:python() { convertible(p) };
@@

(
- get_page(skb_frag_page(F)@p)
+ __skb_frag_ref(F)
|
- get_page(netmem_to_page(skb_frag_netmem(F))@p)
+ __skb_frag_ref(F)
|
- folio_get(page_folio(skb_frag_page(F))@p)
+ __skb_frag_ref(F)
|
- get_netmem(skb_frag_netmem(F)@p)
+ __skb_frag_ref(F)
|
- put_page(skb_frag_page(F)@p)
+ __skb_frag_unref(F, false)
|
- put_page(netmem_to_page(skb_frag_netmem(F))@p)
+ __skb_frag_unref(F, false)
|
- folio_put(page_folio(skb_frag_page(F))@p)
+ __skb_frag_unref(F, false)
|
- put_netmem(skb_frag_netmem(F)@p)
+ __skb_frag_unref(F, false)
|
- skb_page_unref(skb_frag_netmem(F)@p, R)
+ __skb_frag_unref(F, R)
)

@lpatch depends on patch && has@
idexpression P;
expression F, E;
position p : script:python() { convertible(p) };
@@

(
- P = skb_frag_page(F);
  ... when != P = E
      when != F = E
(
- get_page(P@p);
+ __skb_frag_ref(F);
|
- folio_get(page_folio(P@p));
+ __skb_frag_ref(F);
|
- put_page(P@p);
+ __skb_frag_unref(F, false);
|
- folio_put(page_folio(P@p));
+ __skb_frag_unref(F, false);
)
|
- P = skb_frag_netmem(F);
  ... when != P = E
      when != F = E
(
- get_page(netmem_to_page(P@p));
+ __skb_frag_ref(F);
|
- get_netmem(P@p);
+ __skb_frag_ref(F);
|
- put_page(netmem_to_page(P@p));
+ __skb_frag_unref(F, false);
|
- put_netmem(P@p);
+ __skb_frag_unref(F, false);
)
)

@ldpatch depends on patch && has@
type T;
identifier P;
expression F, E;
position p : script:python() { convertible(p) };
@@

(
- T P = skb_frag_page(F);
  ... when != P = E
      when != F = E
(
- get_page(P@p);
+ __skb_frag_ref(F);
|
- folio_get(page_folio(P@p));
+ __skb_frag_ref(F);
|
- put_page(P@p);
+ __skb_frag_unref(F, false);
|
- folio_put(page_folio(P@p));
+ __skb_frag_unref(F, false);
)
|
- T P = skb_frag_netmem(F);
  ... when != P = E
      when != F = E
(
- get_page(netmem_to_page(P@p));
+ __skb_frag_ref(F);
|
- get_netmem(P@p);
+ __skb_frag_ref(F);
|
- put_page(netmem_to_page(P@p));
+ __skb_frag_unref(F, false);
|
- put_netmem(P@p);
+ __skb_frag_unref(F, false);
)
)

@script:python depends on lpatch@
P << lpatch.P;
p << lpatch.p;
@@
converted_locals.add(fn_key(p) + (norm(P),))

// A local left without any use loses its declaration.

@depends on patch && has && lpatch@
type T;
identifier I;
position d : script:python(I) { converted_local(d, I) };
@@

- T I@d;
  ... when != I

// __skb_frag_ref() and __skb_frag_unref() live in <linux/skbuff_ref.h>,
// which few headers include.  A file that gained a call and does not
// include it gets it after the first of these includes it has.

@has_ref_h depends on patch@
@@

#include <linux/skbuff_ref.h>

@inc1 depends on patch && (dpatch || lpatch || ldpatch) && !has_ref_h@
@@

#include <linux/skbuff.h>
+#include <linux/skbuff_ref.h>

@inc2 depends on patch && (dpatch || lpatch || ldpatch) && !has_ref_h && !inc1@
@@

#include <linux/netdevice.h>
+#include <linux/skbuff_ref.h>

@inc3 depends on patch && (dpatch || lpatch || ldpatch) && !has_ref_h && !inc1 &&
  !inc2@
@@

#include <net/sock.h>
+#include <linux/skbuff_ref.h>

@depends on patch && (dpatch || lpatch || ldpatch) && !has_ref_h && !inc1 &&
  !inc2 && !inc3@
@@

#include <net/tcp.h>
+#include <linux/skbuff_ref.h>

// Other modes: every reference site, with what to do about it.

@script:python depends on report@
p << ref.p;
@@
m = message_once(p)
if m:
	coccilib.report.print_report(p[0], m)

@script:python depends on report@
p << lref.p;
@@
m = message_once(p)
if m:
	coccilib.report.print_report(p[0], m)

@script:python depends on report@
p << ref2.p;
@@
m = message_once(p)
if m:
	coccilib.report.print_report(p[0], m)

@script:python depends on report@
p << fref.p;
@@
m = message_once(p)
if m:
	coccilib.report.print_report(p[0], m)

@script:python depends on org@
p << ref.p;
@@
m = message_once(p)
if m:
	coccilib.org.print_todo(p[0], m)

@script:python depends on org@
p << lref.p;
@@
m = message_once(p)
if m:
	coccilib.org.print_todo(p[0], m)

@script:python depends on org@
p << ref2.p;
@@
m = message_once(p)
if m:
	coccilib.org.print_todo(p[0], m)

@script:python depends on org@
p << fref.p;
@@
m = message_once(p)
if m:
	coccilib.org.print_todo(p[0], m)

@depends on context && (has || fe)@
expression X;
position p : script:python() { message(p) is not None };
@@

* X@p
