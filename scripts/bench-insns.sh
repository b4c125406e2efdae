#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The plain-page fast path, instruction by instruction (issue 16): builds
# net/core/skbuff.o and net/core/gro.o of the base tree and of the series
# tree for x86_64 defconfig with CONFIG_PAGE_POOL=y (as distribution
# kernels have it; defconfig alone leaves it off and so hides the
# pp_recycle argument), out of tree in build/insns-base and
# build/insns-$INSNS_NAME, and compares the functions that walk fragments.
#
# CONFIG_PAGE_POOL has no prompt (it is selected by its users), so
# `scripts/config --enable PAGE_POOL` alone does not survive olddefconfig:
# the configuration enables INSNS_PP_USER (default VETH, which selects
# nothing but PAGE_POOL) and checks that CONFIG_PAGE_POOL=y.
#
# For every function (INSNS_FUNCS; the default list is the frag paths of
# issue 16 and the out-of-line functions their loops are inlined into) it
# prints base and series instruction counts (inside the symbol's size, so
# the alignment padding and the next function's 16-byte call-padding
# prefix are not counted; objdump --disassemble=SYM prints them too) and
# writes a unified diff of the normalized disassembly (addresses dropped,
# jumps inside the function as LBL, calls and relocations by symbol,
# section-relative offsets dropped) to build/results/insns/<fn>.diff
# (build/results/insns-$INSNS_NAME/ for another INSNS_NAME).
#
# Then the fragment loops: the innermost cycles of those functions that
# reference or release a page (page->_refcount, napi_pp_put_page,
# __folio_put, the series' out-of-line tagged helpers).  For each loop it
# walks every simple path from the loop head back to it, three times: for
# a plain page, a net_iov and a wrapped handle.  The handle is followed
# from its load (frags[k].netmem, at shinfo + 0x30 + 16k or through a frag
# pointer) through copies, spills and masks, and a je/jne right after a
# test of its tag bits goes the way that kind of handle goes; a plain page
# never enters a WARN (ud2) block.  The paths are grouped into cases by
# what they call (and what a tested call such as napi_pp_put_page()
# returned), and the script prints per case the shortest and longest
# iteration of base and series and the two shortest paths side by side,
# aligned by instruction.  It ends with every plain-page (and net_iov)
# case where the series runs more instructions than base.  The
# frag-unref loop of skb_release_data() is the one issue 16 is about.
#
# SERIES_SRC (default: build/linux) is the series tree, BASE_SRC (default:
# build/linux-base) the base; both are only read.  Writes
# build/results/insns/{trees.txt,table.md,loops.txt,summary.txt,<fn>.diff}.
# Fails only when a build fails.
set -euo pipefail
. "$(dirname "$0")/common.sh"

BASE_SRC=${BASE_SRC:-$BASE_TREE}
SERIES_SRC=${SERIES_SRC:-$WORKTREE}
NAME=${INSNS_NAME:-series}
PP_USER=${INSNS_PP_USER:-VETH}
JOBS=${JOBS:-2}
OBJS="net/core/skbuff.o net/core/gro.o"
FUNCS=${INSNS_FUNCS:-"skb_release_data skb_release_all __kfree_skb
	kfree_skb_reason sk_skb_reason_drop kfree_skb_list_reason consume_skb
	napi_consume_skb __napi_kfree_skb skb_clone __skb_clone __pskb_pull_tail
	skb_segment skb_try_coalesce napi_pp_put_page skb_gro_receive"}
OUT=$RESULTS/insns
[ "$NAME" = series ] || OUT=$RESULTS/insns-$NAME
mkdir -p "$OUT"
rm -f "$OUT"/*.diff
prepend_ccache

# What a tree is: its commit and whether it has uncommitted edits.
describe() {	# src
	local rev dirty=""
	rev=$(git -C "$1" --no-optional-locks rev-parse --short=12 HEAD 2>/dev/null) ||
		{ echo "$1 (not a git tree)"; return; }
	git -C "$1" --no-optional-locks diff --quiet HEAD -- 2>/dev/null ||
		dirty=" + uncommitted edits (diff sha1 $(git -C "$1" --no-optional-locks diff HEAD -- | sha1sum | cut -c1-12))"
	echo "$1 at $rev$dirty"
}

build() {	# name src
	local o=$BUILD/insns-$1 src
	src=$(cd "$2" && pwd)
	# A build directory belongs to one source tree.
	if [ -f "$o/.insns-src" ] && [ "$(cat "$o/.insns-src")" != "$src" ]; then
		note "$o was built from $(cat "$o/.insns-src"): starting afresh"
		rm -rf "$o"
	fi
	mkdir -p "$o"
	echo "$src" > "$o/.insns-src"
	note "$1: $(describe "$src")"
	{
		if [ ! -f "$o/.config" ]; then
			make -s -C "$src" O="$o" ARCH=x86_64 defconfig &&
			"$src/scripts/config" --file "$o/.config" --enable "$PP_USER" --enable PAGE_POOL &&
			make -s -C "$src" O="$o" ARCH=x86_64 olddefconfig
		fi &&
		nice -n 5 make -s -C "$src" O="$o" ARCH=x86_64 -j"$JOBS" prepare &&
		nice -n 5 make -s -C "$src" O="$o" ARCH=x86_64 -j"$JOBS" $OBJS
	} > "$o/build.log" 2>&1 || { tail -40 "$o/build.log"; die "$1 build failed ($src)"; }
	grep -qx CONFIG_PAGE_POOL=y "$o/.config" ||
		die "$o/.config: CONFIG_PAGE_POOL is not y (INSNS_PP_USER=$PP_USER)"
}

build base "$BASE_SRC"
build "$NAME" "$SERIES_SRC"

{
	echo "base:   $(describe "$BASE_SRC")"
	echo "$NAME: $(describe "$SERIES_SRC")"
	echo "config: x86_64 defconfig + CONFIG_$PP_USER=y (CONFIG_PAGE_POOL=y), $(${CC:-gcc} --version | head -1)"
} > "$OUT/trees.txt"
cat "$OUT/trees.txt"

# The comparison; a failure of it is reported, not fatal (only builds are).
python3 - "$BUILD/insns-base" "$BUILD/insns-$NAME" "$OUT" "$NAME" $FUNCS <<'EOF' ||
import difflib
import re
import subprocess
import sys

base_dir, series_dir, out, name = sys.argv[1:5]
funcs = sys.argv[5:]
OBJS = ["net/core/skbuff.o", "net/core/gro.o"]
SUFFIX = re.compile(r"^(?P<fn>[A-Za-z0-9_]+)(?P<sfx>(\.(isra|part|constprop|cold|lto_priv)(\.\d+)?)*)$")
# A loop that references or releases a fragment's page.
PAGE_CALLS = {"napi_pp_put_page", "__folio_put", "__skb_frag_ref_tagged",
              "__skb_frag_unref_tagged", "put_page", "folio_put",
              "skb_page_unref"}
PAGE_REF = re.compile(r"^lock (inc|dec|add|sub|xadd)\w*\s.*\b0x34\(%")	# page->_refcount
COND = re.compile(r"^j(?!mp)[a-z]+$")


class Insn:
    def __init__(self, addr, mnem, ops, target, tsym):
        self.addr, self.mnem, self.ops = addr, mnem, ops
        self.target, self.tsym = target, tsym	# jump target address and symbol
        self.reloc = None
        self.norm = None


def parse(obj):
    """{symbol: [Insn]} for the text symbols of obj, cut at st_size."""
    sizes = {}
    for line in subprocess.run(["nm", "-S", "--defined-only", obj], check=True,
                               capture_output=True, text=True).stdout.splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in "tT":
            sizes[f[3]] = (int(f[0], 16), int(f[1], 16))
    dis = subprocess.run(["objdump", "-d", "-r", "--no-show-raw-insn", obj], check=True,
                         capture_output=True, text=True).stdout
    fns, cur, last = {}, None, None
    for line in dis.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if m:
            cur = m.group(1) if m.group(1) in sizes else None
            if cur:
                fns[cur] = []
            last = None
            continue
        if cur is None:
            continue
        m = re.match(r"^\s+[0-9a-f]+: (R_X86_64_\w+)\s+(\S+)", line)
        if m:
            if last is not None and last.reloc is None:
                last.reloc = m.group(2)
            continue
        m = re.match(r"^\s+([0-9a-f]+):\t(.*)$", line)
        if not m:
            continue
        addr = int(m.group(1), 16)
        start, size = sizes[cur]
        if addr >= start + size:
            last = None
            continue
        text = re.sub(r"\s+", " ", m.group(2).strip())
        text = re.sub(r"\s*#.*$", "", text)
        parts = text.split(" ", 1)
        mnem, ops = parts[0], parts[1] if len(parts) > 1 else ""
        while mnem in ("lock", "rep", "repz", "repnz", "notrack", "bnd", "data16", "cs", "ds") and ops:
            p = ops.split(" ", 1)
            mnem, ops = mnem + " " + p[0], p[1] if len(p) > 1 else ""
        target = tsym = None
        t = re.match(r"^([0-9a-f]+) <([^>]+)>$", ops)
        if t:
            target, tsym = int(t.group(1), 16), t.group(2)
        last = Insn(addr, mnem, ops, target, tsym)
        fns[cur].append(last)
    for sym, ins in fns.items():
        start = sizes[sym][0]
        for i in ins:
            i.off = i.addr - start
    return fns, sizes


def relsym(r):
    r = re.sub(r"-0x4$", "", r)
    if r.startswith("."):	# section-relative: the offset moves with the layout
        r = re.sub(r"[+-]0x[0-9a-f]+$", "", r)
    return r


def normalize(sym, ins):
    base = SUFFIX.match(sym).group("fn") if SUFFIX.match(sym) else sym
    for i in ins:
        ops = i.ops
        if i.tsym is not None:
            tbase = re.sub(r"[+-]0x[0-9a-f]+$", "", i.tsym)
            if i.reloc:
                ops = relsym(i.reloc)
            elif tbase == sym or tbase.split(".")[0] == base:
                ops = "LBL"
            else:
                ops = tbase
        elif i.reloc:
            r = relsym(i.reloc)
            if "0x0(%rip)" in ops:
                ops = ops.replace("0x0(%rip)", r + "(%rip)")
            else:
                ops = re.sub(r"\$0x0\b", "$" + r, ops, count=1) if "$0x0" in ops else ops + " <" + r + ">"
        i.norm = (i.mnem + " " + ops).strip()


def load(d):
    fns, where = {}, {}
    for o in OBJS:
        f, _ = parse(f"{d}/{o}")
        for s, ins in f.items():
            normalize(s, ins)
            fns[s] = ins
            where[s] = o
    return fns, where


B, Bwhere = load(base_dir)
S, Swhere = load(series_dir)


def variants(fns, fn):
    """fn and its compiler clones (.isra, .part, .constprop, .cold)."""
    out = []
    for s in fns:
        m = SUFFIX.match(s)
        if m and m.group("fn") == fn:
            out.append(s)
    return sorted(out, key=lambda s: (s != fn, s))


rows = []
for fn in funcs:
    syms = variants(B, fn)
    for s in variants(S, fn):
        if s not in syms:
            syms.append(s)
    if not syms:
        rows.append((fn, None, None))
        continue
    for s in syms:
        b, se = B.get(s), S.get(s)
        rows.append((s, b, se))
        bl = [i.norm for i in b] if b else []
        sl = [i.norm for i in se] if se else []
        with open(f"{out}/{s}.diff", "w") as f:
            f.writelines(l + "\n" for l in difflib.unified_diff(
                bl, sl, f"base/{s}", f"{name}/{s}", n=3, lineterm=""))


def cnt(x):
    return "-" if x is None else str(len(x))


print()
table = [f"| function | base insns | {name} insns | delta |", "|---|---|---|---|"]
for s, b, se in rows:
    if b is None and se is None:
        table.append(f"| {s} | (inlined) | (inlined) | |")
        continue
    d = (len(se) if se else 0) - (len(b) if b else 0)
    table.append(f"| {s} | {cnt(b) if b else '(inlined)'} | {cnt(se) if se else '(inlined)'} | {d:+d} |")
print("\n".join(table))
with open(f"{out}/table.md", "w") as f:
    f.write("\n".join(table) + "\n")


# --- loops -----------------------------------------------------------------

def ends_block(i):
    return i.mnem.startswith("j") or i.mnem.startswith("ret") or i.mnem == "ud2"


def cfg(ins):
    """Basic blocks (lists of Insn) and successor lists by block index.
    Edge kinds: 'fall', 'taken'."""
    start = ins[0].addr
    lo, hi = start, ins[-1].addr
    leaders = {ins[0].addr}
    for k, i in enumerate(ins):
        internal = i.target is not None and lo <= i.target <= hi and not i.reloc
        if i.mnem.startswith("j") and internal:
            leaders.add(i.target)
        if ends_block(i) and k + 1 < len(ins):
            leaders.add(ins[k + 1].addr)
    blocks, cur = [], []
    for i in ins:
        if i.addr in leaders and cur:
            blocks.append(cur)
            cur = []
        cur.append(i)
    blocks.append(cur)
    at = {b[0].addr: n for n, b in enumerate(blocks)}
    succ = []
    for n, b in enumerate(blocks):
        last, s = b[-1], []
        internal = last.target is not None and last.target in at and not last.reloc
        uncond = last.mnem.startswith("jmp") or last.mnem.startswith("ret")
        if not uncond and n + 1 < len(blocks):
            s.append((n + 1, "fall"))
        if last.mnem.startswith("j") and internal:
            s.append((at[last.target], "taken"))
        succ.append(s)
    return blocks, succ


def sccs(nodes, succ):
    """Strongly connected components of the subgraph on nodes (iterative
    Tarjan); succ(v) gives v's successors."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(succ(root)))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in nodes:
                    continue
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(succ(w))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = set()
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.add(w)
                        if w == v:
                            break
                    out.append(comp)
    return out


def cyclic(comp, succ):
    v = next(iter(comp))
    return len(comp) > 1 or any(w == v for w, _ in succ[v])


def innermost_loops(blocks, succ, nodes, is_page):
    """(head, body) of the innermost cycles among nodes whose body
    satisfies is_page.  A cycle's head is its entry block (the first by
    address if it has several); inner cycles are found by cutting the
    edges back to the head."""
    res = []
    pred = [[] for _ in blocks]
    for a, ss in enumerate(succ):
        for w, _ in ss:
            pred[w].append(a)
    for comp in sccs(nodes, lambda v: [w for w, _ in succ[v]]):
        if not cyclic(comp, succ) or not is_page(comp):
            continue
        entries = [v for v in comp if any(p not in comp for p in pred[v]) or v == 0]
        head = min(entries or comp, key=lambda v: blocks[v][0].addr)
        inner = []
        rest = comp - {head}
        for sub in sccs(rest, lambda v: [w for w, _ in succ[v] if w != head]):
            if cyclic(sub, succ) and is_page(sub):
                inner = innermost_loops(blocks, succ, sub, is_page)
                break
        res.extend(inner or [(head, comp)])
    return res


def page_loop(blocks, body):
    for n in body:
        for i in blocks[n]:
            if i.mnem.startswith("call") and i.norm.split(" ", 1)[-1] in PAGE_CALLS:
                return True
            if PAGE_REF.match(i.norm):
                return True
    return False


def warn_block(b):
    return any(i.mnem == "ud2" for i in b)


# The handle's kinds, by its tag bits: what the fragment holds.
KINDS = (("plain page", 0), ("net_iov", 1), ("wrapped", 2))
REG = {}
for r in "abcd":
    for n in (f"{r}l", f"{r}h", f"{r}x", f"e{r}x", f"r{r}x"):
        REG[n] = f"r{r}x"
for r in ("si", "di", "bp", "sp"):
    for n in (f"{r}l", r, f"e{r}", f"r{r}"):
        REG[n] = f"r{r}"
for k in range(8, 16):
    for n in (f"r{k}b", f"r{k}w", f"r{k}d", f"r{k}"):
        REG[n] = f"r{k}"
CLOBBER = {"rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11"}
# A load of a fragment's handle: skb_shinfo(skb)->frags[k].netmem is at
# shinfo + 0x30 + 16 * k; through a frag pointer it is at 0.
HLOAD = re.compile(r"^mov[q]? (0x([0-9a-f]+))?\(%(?!rsp)[a-z0-9]+(,%[a-z0-9]+,\d)?\),%(r[a-z0-9]+)$")
NOWRITE = ("test", "cmp", "bt", "push", "call", "j", "nop", "ud2", "lock", "prefetch")


def split_ops(ops):
    out, depth, cur = [], 0, ""
    for c in ops:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += c
    return out + [cur] if cur else out


def reg(op):
    return REG.get(op[1:]) if op.startswith("%") else None


def step(state, i):
    """The handle-tracking state after instruction i: register -> mask of
    the handle it holds (None: the whole handle).  Returns (state, cond):
    cond is the mask of handle bits i tests, if it tests some."""
    ops = split_ops(i.ops)
    # Spills and reloads of a tracked register.
    if i.mnem in ("mov", "movq") and len(ops) == 2:
        if reg(ops[0]) in state and ops[1].endswith("(%rsp)"):
            return {**state, "stack" + ops[1]: state[reg(ops[0])]}, None
        if ops[0].endswith("(%rsp)") and reg(ops[1]):
            st = dict(state)
            st.pop(reg(ops[1]), None)
            if "stack" + ops[0] in state:
                st[reg(ops[1])] = state["stack" + ops[0]]
            return st, None
        if ops[1].endswith("(%rsp)"):
            st = dict(state)
            st.pop("stack" + ops[1], None)
            return st, None
    m = HLOAD.match(i.mnem + " " + i.ops)
    if m and (m.group(2) is None or
              (int(m.group(2), 16) >= 0x30 and (int(m.group(2), 16) - 0x30) % 16 == 0)):
        st = dict(state)
        st[REG.get(m.group(4))] = None
        return st, None
    if i.mnem.startswith("call"):
        return {r: v for r, v in state.items() if r not in CLOBBER}, None
    if i.mnem.startswith("test") and len(ops) == 2:
        a, d = ops
        r = reg(d)
        if r and r not in state and a == "$0x3":
            # Both tag bits at once: a handle built in the loop (the head
            # fragment skb_segment() makes from the linear part).
            state = {**state, r: None}
        if r in state:
            mask = state[r]
            if a.startswith("$"):
                t = int(a[1:], 16) & (mask if mask is not None else ~0)
            elif reg(a) == r:
                t = mask if mask is not None else ~0
            else:
                t = 0
            if t and t & 3 == t:
                return state, t
        return state, None
    if i.mnem.startswith(NOWRITE) or not ops:
        return state, None
    d = reg(ops[-1])
    if d is None:
        return state, None
    st = dict(state)
    st.pop(d, None)
    if i.mnem.startswith("mov") and len(ops) == 2 and reg(ops[0]) in state and \
            not i.mnem.startswith(("movz", "movs")):
        st[d] = state[reg(ops[0])]
    elif i.mnem.startswith("and") and len(ops) == 2 and ops[0].startswith("$") and d in state:
        imm = int(ops[0][1:], 16)
        if imm & 3 == imm:
            st[d] = imm & (state[d] if state[d] is not None else 3)
    return st, None


def edges(blocks, succ, v, body, state, tag):
    """v's successors in the loop that a handle with tag bits @tag can take,
    each with the result of a tested call, if any, and the state after v.
    Only a test of the handle right before a je/jne decides the branch."""
    b = blocks[v]
    cond = None
    for k, i in enumerate(b):
        state, c = step(state, i)
        if k == len(b) - 2:
            cond = c
    j = b[-1].mnem
    decided = None
    if cond is not None and len(b) >= 2 and j in ("je", "jz", "jne", "jnz"):
        zf = (tag & cond) == 0
        decided = "taken" if zf == (j in ("je", "jz")) else "fall"
    callres = (len(b) >= 3 and b[-3].mnem.startswith("call") and
               re.match(r"^test %(al|eax),%(al|eax)$", b[-2].norm) and j in ("jne", "je"))
    out = []
    for w, kind in succ[v]:
        if w not in body or (tag == 0 and warn_block(blocks[w])):
            continue
        if decided and kind != decided:
            continue
        res = None
        if callres:
            true = (kind == "taken") == (j == "jne")
            res = f"{b[-3].norm.split(' ', 1)[-1]}()={'true' if true else 'false'}"
        out.append((w, res, state))
    return out


def iterations(blocks, succ, head, body, limit=100000):
    """One iteration per kind of handle and case: the simple paths from the
    loop head back to it that a handle of that kind can take (branches on
    its tag bits decided, plain pages never in a WARN block), grouped by
    what they call (and what a tested call returned); for each the shortest
    path and the longest count, as (count, [block], longest count).  Also
    the blocks plain pages reach."""
    best, plain = {}, set()
    for kind, tag in KINDS:
        n = [0]

        def walk(v, path, seen, sig, cnt, state):
            n[0] += 1
            if n[0] > limit:
                return
            cnt += len(blocks[v])
            path = path + [v]
            sig = sig + [i.norm.split(" ", 1)[-1] for i in blocks[v]
                         if i.mnem.startswith("call") and i.norm.split(" ", 1)[-1] != "__fentry__"]
            for w, res, st in edges(blocks, succ, v, body, state, tag):
                s2 = sig + [res] if res else sig
                if w == head:
                    key = (kind, tuple(_dedup(s2)))
                    lo, lp, hi = best.get(key, (cnt, path, cnt))
                    if cnt < lo:
                        lo, lp = cnt, path
                    best[key] = (lo, lp, max(hi, cnt))
                    if tag == 0:
                        plain.update(path)
                elif w not in seen:
                    walk(w, path, seen | {w}, s2, cnt, st)

        walk(head, [], {head}, [], 0, {})
    return best, plain


def _dedup(sig):
    """A call followed by its tested result reads as the result alone."""
    out = []
    for x in sig:
        if out and x.endswith(("()=true", "()=false")) and x.split("()=")[0] == out[-1]:
            out[-1] = x
        else:
            out.append(x)
    return out


def frag_loops(ins):
    if not ins:
        return []
    blocks, succ = cfg(ins)
    found = innermost_loops(blocks, succ, set(range(len(blocks))),
                            lambda body: page_loop(blocks, body))
    res = []
    for h, body in sorted(found, key=lambda x: blocks[x[0]][0].addr):
        iters, plain = iterations(blocks, succ, h, body)
        res.append((blocks, h, body, plain, iters))
    return res


def render(blocks, body, plain):
    lines = []
    for n in sorted(body, key=lambda n: blocks[n][0].addr):
        mark = " " if n in plain else "*"
        for i in blocks[n]:
            text = i.norm
            if text.endswith(" LBL") and i.target is not None:
                text = text[:-3] + f"+{i.target - i.addr + i.off:#x}"
            lines.append((n in plain, f"{mark} +{i.off:#05x}  {text}", i))
    return lines


def side_by_side(bl, sl, width=58):
    """Plain-page instructions of both loops, aligned by normalized text."""
    a = [x for x in bl if x[0]]
    b = [x for x in sl if x[0]]
    sm = difflib.SequenceMatcher(None, [x[2].norm for x in a], [x[2].norm for x in b], autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        for k in range(max(i2 - i1, j2 - j1)):
            l = a[i1 + k][1] if i1 + k < i2 else ""
            r = b[j1 + k][1] if j1 + k < j2 else ""
            sep = " " if tag == "equal" else "|" if (l and r) else "<" if l else ">"
            out.append(f"{l[:width]:<{width}} {sep} {r[:width]}")
    same = [x[2].norm for x in a] == [x[2].norm for x in b]
    return out, same, len(a), len(b)


report = []
summary = []
worse = []
worse_iov = []
for s, b, se in rows:
    if b is None and se is None:
        continue
    lb, ls = frag_loops(b), frag_loops(se)
    if not lb and not ls:
        continue
    # Pair each base loop with the most similar series loop.
    def seq(l):
        return [i.norm for n in sorted(l[2], key=lambda n: l[0][n][0].addr) for i in l[0][n]]
    pairs, free = [], list(range(len(ls)))
    for x in lb:
        best = max(free, key=lambda y: difflib.SequenceMatcher(
            None, seq(x), seq(ls[y]), autojunk=False).ratio(), default=None)
        if best is not None:
            free.remove(best)
        pairs.append((x, ls[best] if best is not None else None))
    pairs += [(None, ls[y]) for y in free]
    report.append(f"== {s}: {len(lb)} fragment loop(s) in base, {len(ls)} in {name}")
    lb = [p[0] for p in pairs]
    ls = [p[1] for p in pairs]
    for k in range(len(pairs)):
        bl = render(lb[k][0], lb[k][2], lb[k][3]) if lb[k] else []
        sl = render(ls[k][0], ls[k][2], ls[k][3]) if ls[k] else []
        _, _, na, nb = side_by_side(bl, sl)
        head_b = f"+{lb[k][0][lb[k][1]][0].off:#x}" if lb[k] else "-"
        head_s = f"+{ls[k][0][ls[k][1]][0].off:#x}" if ls[k] else "-"
        ib = lb[k][4] if lb[k] else {}
        iS = ls[k][4] if ls[k] else {}
        order = {kind: n for n, (kind, _) in enumerate(KINDS)}
        cases = sorted(set(ib) | set(iS), key=lambda c: (order[c[0]], len(c[1]), c[1]))
        line = (f"{s} loop {k + 1} (head base {head_b}, {name} {head_s}): "
                f"whole loop base {len(bl)}, {name} {len(sl)} insns; "
                f"plain-page blocks base {na}, {name} {nb}")
        report += ["", line, "",
                   "One iteration, head to head, shortest..longest path per case (case:",
                   "what the fragment holds, the calls made and what a tested call",
                   "returned):", "",
                   f"| case | base insns | {name} insns | delta |", "|---|---|---|---|"]
        def mm(x):
            return "-" if not x else str(x[0]) if x[0] == x[2] else f"{x[0]}..{x[2]}"
        def path_lines(blocks, path):
            return [x for n in path for x in render(blocks, {n}, {n})]
        details = []
        for c in cases:
            cb, cs = ib.get(c), iS.get(c)
            label = c[0] + ", " + (" -> ".join(c[1]) or "no call")
            if c[0] == "wrapped":	# base has no tag bit 1: not a case there
                if not cs:
                    continue
                cb = None
            d = ""
            if cb and cs:
                d = f"{cs[0] - cb[0]:+d}" + (f"..{cs[2] - cb[2]:+d}" if (cb[0], cs[0]) != (cb[2], cs[2]) else "")
            report.append(f"| {label} | {mm(cb)} | {mm(cs)} | {d} |")
            if c[0] == "wrapped":
                continue
            if cb and cs and (cs[0] > cb[0] or cs[2] > cb[2]):
                (worse if c[0] == "plain page" else worse_iov).append(
                    f"{s} loop {k + 1}, {label}: base {mm(cb)}, {name} {mm(cs)} ({d})")
            summary.append(f"{s} loop {k + 1}, {label}: base {mm(cb)}, "
                           f"{name} {mm(cs)} ({d or 'n/a'})")
            pb = path_lines(lb[k][0], cb[1]) if cb else []
            ps = path_lines(ls[k][0], cs[1]) if cs else []
            sbs, same, x, y = side_by_side(pb, ps)
            details += ["", f"case '{label}', shortest path: base {x} insns, {name} {y} insns"
                        + (" (same instruction sequence)" if same else ""), "",
                        f"{'base':<58}   {name}"] + sbs
        report += details
        report.append("")
        report.append("whole loops, in address order ('*': no plain-page iteration runs it):")
        w = max([len(x[1]) for x in bl] + [10])
        for q in range(max(len(bl), len(sl))):
            l = bl[q][1] if q < len(bl) else ""
            r = sl[q][1] if q < len(sl) else ""
            report.append(f"{l:<{w}}   {r}")
        report.append("")

with open(f"{out}/loops.txt", "w") as f:
    f.write("\n".join(report) + "\n")
print()
print("\n".join(report))
print()
print(f"Loop iterations per case, shortest..longest path (details: {out}/loops.txt):")
for l in summary:
    print("  " + l)
print()
verdict = []
if worse:
    verdict.append(f"Plain-page cases where {name} runs more instructions than base:")
    verdict += ["  " + l for l in worse]
else:
    verdict.append(f"No plain-page case runs more instructions in {name} than in base.")
if worse_iov:
    verdict.append(f"net_iov cases where {name} runs more instructions than base:")
    verdict += ["  " + l for l in worse_iov]
print("\n".join(verdict))
with open(f"{out}/summary.txt", "w") as f:
    f.write("\n".join(summary + [""] + verdict) + "\n")
EOF
	echo "warning: the instruction comparison failed; the objects are in $BUILD/insns-{base,$NAME}" >&2
