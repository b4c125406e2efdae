// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized KUnit tests for skb fragment destructors.
 *
 * Random sequences of the skb operations that move, share or copy
 * fragments (clone, pskb_copy(), skb_copy(), __pskb_pull_tail(),
 * pskb_expand_head(), pskb_trim(), skb_split(), skb_shift(),
 * skb_try_coalesce(), skb_segment(), skb_zerocopy(), frag_list chaining as
 * GRO does it, skb_orphan_frags_rx() and free) run over skbs that hold a
 * mix of destructor-wrapped and plain page fragments.  After every step
 * the whole state is checked against a model:
 *
 * - the bytes of every skb the test holds, read with skb_copy_bits();
 * - every sk_buff's users count: one for the test's handle plus one for
 *   each frag_list (of a distinct skb_shared_info) that it is on;
 * - every shared info's dataref: the number of sk_buffs pointing at it;
 * - each skb's data_len: its frags plus its frag_list members;
 * - each wrapper's refcount: the creator's reference until it is handed
 *   off, plus one per fragment slot pointing at the wrapper in any shared
 *   info reachable from the test's skbs (clones share a shared info, a
 *   member on two frag_lists is counted once);
 * - the destroy callback has not run while a reference remains, and has
 *   run exactly once after the last one went;
 * - the wrapped pages' own refcounts never change, the plain pages'
 *   refcounts are one per fragment slot;
 * - every skb that holds a wrapped fragment, itself or on its frag_list,
 *   carries FRT_DTOR_FLAG, the flag skb_orphan_frags_rx() looks for;
 * - after skb_orphan_frags_rx(), no wrapped fragment is left in the skb.
 *
 * A sequence stops at its first failure and prints its seed and steps;
 * the test then goes on with the next sequence and in the end counts the
 * failing sequences by the check they failed first.  Replay one with the
 * boot parameters skb_frag_random_test.seed=<seed> and
 * skb_frag_random_test.seqs=1 (kunit.py run --kernel_args ...); .steps=
 * sets the length of the sequences and .ops= a mask of the operations
 * used (bit numbers of enum frt_op), to narrow a failure down.
 *
 * The first cases reproduce two frag_list bugs of skb_orphan_frags_rx()
 * step by step: a frag_list shared by a pskb_copy() or an uncloned clone
 * that the copy of the wrapped members must leave alone, and a
 * pskb_copy() of a GRO head without frags of its own that must keep the
 * flag.
 */

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/skb_frag_destructor.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/gso.h>

/* The flag that marks an skb which may hold wrapped frags. */
#define FRT_DTOR_FLAG		SKBFL_FRAG_DESTRUCTOR

#define FRT_WRAPPERS		4
#define FRT_PLAIN		2
#define FRT_SLOTS		8
#define FRT_MAX_LEN		8192
#define FRT_HEADROOM		64
#define FRT_HDR			8	/* mac header of skb_segment() */
#define FRT_MAX_FRAG		700
#define FRT_MAX_SKBS		128	/* distinct sk_buffs in one census */
#define FRT_MAX_MEMBERS		64	/* members of one frag_list */
#define FRT_MAX_DEPTH		4	/* frag_lists of frag_list members */
#define FRT_MAX_STEPS		64
#define FRT_STEP_LEN		48
#define FRT_MSGS		8	/* messages printed per failure */
#define FRT_REPORTS		3	/* failing sequences printed */
#define FRT_KINDS		16	/* kinds of first failures counted */
#define FRT_SEED		0x6672616764746f72ULL

static unsigned long long frt_seed = FRT_SEED;
module_param_named(seed, frt_seed, ullong, 0444);
MODULE_PARM_DESC(seed, "seed of the first random sequence");

static unsigned int frt_seqs = 10000;
module_param_named(seqs, frt_seqs, uint, 0444);
MODULE_PARM_DESC(seqs, "number of random sequences");

static unsigned int frt_ops = ~0U;
module_param_named(ops, frt_ops, uint, 0444);
MODULE_PARM_DESC(ops, "mask of the operations to use (1 << enum frt_op)");

static unsigned int frt_steps = 20;
module_param_named(steps, frt_steps, uint, 0444);
MODULE_PARM_DESC(steps, "steps per random sequence");

/* The random operations; the ops parameter masks them by this number. */
enum frt_op {
	FRT_NEW,
	FRT_CLONE,
	FRT_PSKB_COPY,
	FRT_SKB_COPY,
	FRT_PULL,
	FRT_EXPAND,
	FRT_TRIM,
	FRT_SPLIT,
	FRT_SHIFT,
	FRT_COALESCE,
	FRT_SEGMENT,
	FRT_ZEROCOPY,
	FRT_CHAIN,
	FRT_ORPHAN,
	FRT_FREE,
	FRT_HANDOFF,
	FRT_NR_OPS
};

struct frt_wrapper {
	struct skb_frag_destructor destructor;
	struct page *page;
	int page_refs;		/* the page's refcount when it was wrapped */
	int calls;
	bool handed_off;
	bool dirty;		/* still referenced after teardown: leaked */
	unsigned int id;
};

struct frt_slot {
	struct sk_buff *skb;
	unsigned int len;
	u8 *expect;
};

struct frt_state {
	struct kunit *test;
	struct rnd_state rnd;
	u64 seed;
	bool random;
	unsigned int seq;
	unsigned int step;
	unsigned int nr_steps;
	char steps[FRT_MAX_STEPS][FRT_STEP_LEN];
	bool failed;		/* a check failed in this sequence */
	bool unsafe;		/* skb references do not add up */
	unsigned int msgs;
	unsigned int reports;
	/* What the failing sequences failed on first, and a seed of each. */
	const char *kind[FRT_KINDS];
	unsigned int kind_seqs[FRT_KINDS];
	u64 kind_seed[FRT_KINDS];
	unsigned int ops_done[FRT_NR_OPS];
	unsigned int next_id;

	struct frt_wrapper *wrap[FRT_WRAPPERS];
	int nr_wrap;
	struct page *plain[FRT_PLAIN];
	int plain_refs[FRT_PLAIN];
	bool plain_dirty[FRT_PLAIN];
	int nr_plain;
	struct frt_slot slot[FRT_SLOTS];
	u8 *scratch;
	u8 *saved;

	/* The census of the last check. */
	struct sk_buff *skbs[FRT_MAX_SKBS];
	int users[FRT_MAX_SKBS];
	int nr_skbs;
	struct skb_shared_info *shinfos[FRT_MAX_SKBS];
	int sh_skbs[FRT_MAX_SKBS];
	int nr_shinfos;
	int wrap_slots[FRT_WRAPPERS];
	int plain_slots[FRT_PLAIN];
	bool census_ok;
};

static __printf(2, 3) void frt_fail(struct frt_state *st, const char *fmt, ...)
{
	char msg[192];
	va_list args;
	int i;

	for (i = 0; !st->failed && st->random && i < FRT_KINDS; i++) {
		if (!st->kind[i]) {
			st->kind[i] = fmt;
			st->kind_seed[i] = st->seed;
		}
		if (st->kind[i] == fmt) {
			st->kind_seqs[i]++;
			break;
		}
	}
	st->failed = true;
	if (st->reports >= FRT_REPORTS || st->msgs >= FRT_MSGS)
		return;
	st->msgs++;
	va_start(args, fmt);
	vscnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	if (st->random)
		KUNIT_FAIL(st->test, "seq %u seed %llu step %u: %s", st->seq,
			   st->seed, st->step, msg);
	else
		KUNIT_FAIL(st->test, "step %u: %s", st->step, msg);
}

static __printf(2, 3) void frt_log(struct frt_state *st, const char *fmt, ...)
{
	va_list args;

	st->step = st->nr_steps + 1;
	if (st->nr_steps >= FRT_MAX_STEPS)
		return;
	va_start(args, fmt);
	vscnprintf(st->steps[st->nr_steps++], FRT_STEP_LEN, fmt, args);
	va_end(args);
}

static void frt_print_steps(struct frt_state *st)
{
	unsigned int i;

	if (st->random)
		kunit_info(st->test, "seq %u seed %llu failed after %u steps (replay: skb_frag_random_test.seed=%llu skb_frag_random_test.seqs=1 skb_frag_random_test.steps=%u):\n",
			   st->seq, st->seed, st->nr_steps, st->seed,
			   frt_steps);
	for (i = 0; i < st->nr_steps; i++)
		kunit_info(st->test, "  %2u: %s\n", i + 1, st->steps[i]);
}

static u32 frt_rand(struct frt_state *st, u32 n)
{
	return n ? prandom_u32_state(&st->rnd) % n : 0;
}

static u8 frt_byte(unsigned int id, unsigned int i)
{
	return id * 73 + i * 7 + (i >> 8) * 13;
}

static void frt_fill_page(struct page *page, unsigned int id)
{
	u8 *p = page_address(page);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = frt_byte(id, i);
}

static bool frt_page_intact(struct page *page, unsigned int id)
{
	const u8 *p = page_address(page);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		if (p[i] != frt_byte(id, i))
			return false;
	return true;
}

static void frt_destroy(struct skb_frag_destructor *destructor)
{
	struct frt_wrapper *w = container_of(destructor, struct frt_wrapper,
					     destructor);

	w->calls++;
}

/* Wrap a fresh pattern-filled page; the creator holds the only reference. */
static struct frt_wrapper *frt_new_wrapper(struct frt_state *st)
{
	struct frt_wrapper *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return NULL;
	w->page = alloc_page(GFP_KERNEL);
	if (!w->page) {
		kfree(w);
		return NULL;
	}
	w->id = ++st->next_id;
	frt_fill_page(w->page, w->id);
	if (skb_frag_destructor_init(&w->destructor, w->page, frt_destroy)) {
		__free_page(w->page);
		kfree(w);
		return NULL;
	}
	w->page_refs = page_ref_count(w->page);
	return w;
}

static int frt_slot_of(struct frt_state *st, const struct sk_buff *skb)
{
	int i;

	for (i = 0; i < FRT_SLOTS; i++)
		if (st->slot[i].skb == skb)
			return i;
	return -1;
}

static int frt_wrapper_of(struct frt_state *st, const struct page *page)
{
	int i;

	for (i = 0; i < st->nr_wrap; i++)
		if (st->wrap[i]->page == page)
			return i;
	return -1;
}

static int frt_plain_of(struct frt_state *st, const struct page *page)
{
	int i;

	for (i = 0; i < st->nr_plain; i++)
		if (st->plain[i] == page)
			return i;
	return -1;
}

/* Count the frag slots of one shared info, per wrapper and plain page. */
static void frt_count_frags(struct frt_state *st,
			    const struct skb_shared_info *sh, int idx)
{
	int i, k;

	if (sh->nr_frags > MAX_SKB_FRAGS) {
		frt_fail(st, "skb #%d: nr_frags %u", idx, sh->nr_frags);
		st->census_ok = false;
		return;
	}
	for (i = 0; i < sh->nr_frags; i++) {
		const skb_frag_t *frag = &sh->frags[i];
		struct page *page;

		page = skb_frag_page(frag);
		k = frt_wrapper_of(st, page);
		if (skb_frag_has_destructor(frag)) {
			if (k < 0)
				frt_fail(st, "skb #%d frag %d: unknown wrapper",
					 idx, i);
			else
				st->wrap_slots[k]++;
			continue;
		}
		if (k >= 0) {
			frt_fail(st, "skb #%d frag %d: wrapped page %d as a plain frag",
				 idx, i, k);
			continue;
		}
		k = frt_plain_of(st, page);
		if (k >= 0)
			st->plain_slots[k]++;
	}
}

/*
 * Add @skb to the census: one more reference to it (a handle or a
 * frag_list), and, the first time its shared info is seen, its frags and
 * its frag_list.
 */
static void frt_visit(struct frt_state *st, struct sk_buff *skb, int depth)
{
	struct skb_shared_info *sh;
	struct sk_buff *list;
	int i, n = 0;

	for (i = 0; i < st->nr_skbs; i++) {
		if (st->skbs[i] == skb) {
			st->users[i]++;
			return;
		}
	}
	if (st->nr_skbs == FRT_MAX_SKBS || depth > FRT_MAX_DEPTH) {
		frt_fail(st, "more than %d skbs or frag_list depth %d",
			 FRT_MAX_SKBS, depth);
		st->census_ok = false;
		return;
	}
	st->skbs[st->nr_skbs] = skb;
	st->users[st->nr_skbs++] = 1;

	sh = skb_shinfo(skb);
	for (i = 0; i < st->nr_shinfos; i++) {
		if (st->shinfos[i] == sh) {
			st->sh_skbs[i]++;
			return;
		}
	}
	st->shinfos[st->nr_shinfos] = sh;
	st->sh_skbs[st->nr_shinfos++] = 1;
	frt_count_frags(st, sh, st->nr_skbs - 1);

	for (list = sh->frag_list; list && st->census_ok; list = list->next) {
		if (++n > FRT_MAX_MEMBERS) {
			frt_fail(st, "frag_list of skb #%d: a loop?",
				 st->nr_skbs - 1);
			st->census_ok = false;
			return;
		}
		frt_visit(st, list, depth + 1);
	}
}

static bool frt_census(struct frt_state *st)
{
	int i;

	st->nr_skbs = 0;
	st->nr_shinfos = 0;
	st->census_ok = true;
	memset(st->wrap_slots, 0, sizeof(st->wrap_slots));
	memset(st->plain_slots, 0, sizeof(st->plain_slots));
	for (i = 0; i < FRT_SLOTS && st->census_ok; i++)
		if (st->slot[i].skb)
			frt_visit(st, st->slot[i].skb, 0);
	return st->census_ok;
}

/* Does @skb hold a wrapped frag in its own frags? */
static bool frt_wrapped(const struct sk_buff *skb)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);
	int i;

	for (i = 0; i < sh->nr_frags; i++)
		if (skb_frag_has_destructor(&sh->frags[i]))
			return true;
	return false;
}

/* Does @skb hold a wrapped frag, itself or on its frag_list? */
static bool frt_tree_wrapped(const struct sk_buff *skb, int depth)
{
	const struct sk_buff *list;

	if (frt_wrapped(skb))
		return true;
	if (depth >= FRT_MAX_DEPTH)
		return false;
	skb_walk_frags(skb, list)
		if (frt_tree_wrapped(list, depth + 1))
			return true;
	return false;
}

static void frt_check_skb(struct frt_state *st, int idx)
{
	const struct sk_buff *skb = st->skbs[idx];
	const struct skb_shared_info *sh;
	const struct sk_buff *list;
	unsigned int paged = 0;
	int i;

	sh = skb_shinfo(skb);
	if (refcount_read(&skb->users) != st->users[idx]) {
		frt_fail(st, "skb #%d (slot %d): users %u, expected %d (handle and frag_lists)",
			 idx, frt_slot_of(st, skb), refcount_read(&skb->users),
			 st->users[idx]);
		st->unsafe = true;
	}
	for (i = 0; i < sh->nr_frags; i++)
		paged += skb_frag_size(&sh->frags[i]);
	skb_walk_frags(skb, list)
		paged += list->len;
	if (paged != skb->data_len || skb->data_len > skb->len) {
		frt_fail(st, "skb #%d: len %u data_len %u, frags and frag_list %u",
			 idx, skb->len, skb->data_len, paged);
		st->unsafe = true;
	}
	if (!(sh->flags & FRT_DTOR_FLAG) && frt_tree_wrapped(skb, 0))
		frt_fail(st, "skb #%d (slot %d): holds wrapped frags%s without FRT_DTOR_FLAG",
			 idx, frt_slot_of(st, skb),
			 skb_has_frag_list(skb) ? " (frag_list)" : "");
}

static void frt_check_shinfo(struct frt_state *st, int idx)
{
	int dataref = atomic_read(&st->shinfos[idx]->dataref) &
		      SKB_DATAREF_MASK;
	int i;

	if (dataref != st->sh_skbs[idx]) {
		frt_fail(st, "shinfo #%d: dataref %d, %d skbs point at it",
			 idx, dataref, st->sh_skbs[idx]);
		st->unsafe = true;
	}
	if (st->sh_skbs[idx] < 2)
		return;
	for (i = 0; i < st->nr_skbs; i++) {
		if (skb_shinfo(st->skbs[i]) == st->shinfos[idx] &&
		    !st->skbs[i]->cloned) {
			frt_fail(st, "skb #%d shares shinfo #%d but is not cloned",
				 i, idx);
			st->unsafe = true;
		}
	}
}

static void frt_check_wrapper(struct frt_state *st, int k)
{
	struct frt_wrapper *w = st->wrap[k];
	int expect, ref;

	expect = !w->handed_off + st->wrap_slots[k];
	ref = refcount_read(&w->destructor.ref);

	if (ref != expect)
		frt_fail(st, "wrapper %d: refcount %d, expected %d (%s%d frag slots)",
			 k, ref, expect, w->handed_off ? "" : "creator + ",
			 st->wrap_slots[k]);
	if (w->calls != !expect)
		frt_fail(st, "wrapper %d: destroy ran %d times with %d references expected",
			 k, w->calls, expect);
	if (page_ref_count(w->page) != w->page_refs)
		frt_fail(st, "wrapper %d: page refcount %d, was %d", k,
			 page_ref_count(w->page), w->page_refs);
}

static void frt_check_bytes(struct frt_state *st, int s)
{
	struct frt_slot *slot = &st->slot[s];
	struct sk_buff *skb = slot->skb;
	unsigned int i;
	int err;

	if (skb->len != slot->len) {
		frt_fail(st, "slot %d: len %u, expected %u", s, skb->len,
			 slot->len);
		return;
	}
	err = skb_copy_bits(skb, 0, st->scratch, slot->len);
	if (err) {
		frt_fail(st, "slot %d: skb_copy_bits() = %d", s, err);
		return;
	}
	if (!memcmp(st->scratch, slot->expect, slot->len))
		return;
	for (i = 0; st->scratch[i] == slot->expect[i]; i++)
		;
	frt_fail(st, "slot %d: byte %u of %u is %#x, expected %#x", s, i,
		 slot->len, st->scratch[i], slot->expect[i]);
}

/* Check every invariant; false when the skbs cannot be freed safely. */
static bool frt_check(struct frt_state *st)
{
	int i;

	if (!frt_census(st)) {
		st->unsafe = true;
		return false;
	}
	for (i = 0; i < st->nr_skbs; i++)
		frt_check_skb(st, i);
	for (i = 0; i < st->nr_shinfos; i++)
		frt_check_shinfo(st, i);
	for (i = 0; i < st->nr_wrap; i++)
		frt_check_wrapper(st, i);
	for (i = 0; i < st->nr_plain; i++) {
		int expect = st->plain_refs[i] + st->plain_slots[i];

		if (page_ref_count(st->plain[i]) != expect)
			frt_fail(st, "plain page %d: refcount %d, expected %d",
				 i, page_ref_count(st->plain[i]), expect);
	}
	if (st->unsafe)
		return false;
	for (i = 0; i < FRT_SLOTS; i++)
		if (st->slot[i].skb)
			frt_check_bytes(st, i);
	return true;
}

/* Put @skb into free slot @s, its bytes being @len bytes at @expect. */
static void frt_set(struct frt_state *st, int s, struct sk_buff *skb,
		    const u8 *expect, unsigned int len)
{
	st->slot[s].skb = skb;
	st->slot[s].len = len;
	if (expect != st->slot[s].expect)
		memmove(st->slot[s].expect, expect, len);
}

static void frt_append(struct frt_state *st, int s, const u8 *data,
		       unsigned int len)
{
	memcpy(st->slot[s].expect + st->slot[s].len, data, len);
	st->slot[s].len += len;
}

static void frt_clear(struct frt_state *st, int s)
{
	st->slot[s].skb = NULL;
	st->slot[s].len = 0;
}

/* An skb with @headlen random bytes in its head and no frags. */
static bool frt_new(struct frt_state *st, int s, unsigned int headlen)
{
	struct sk_buff *skb = alloc_skb(FRT_HEADROOM + headlen, GFP_KERNEL);

	if (!skb) {
		frt_fail(st, "alloc_skb() failed");
		return false;
	}
	skb_reserve(skb, FRT_HEADROOM);
	prandom_bytes_state(&st->rnd, skb_put(skb, headlen), headlen);
	frt_set(st, s, skb, skb->data, headlen);
	return true;
}

static void frt_add_wrapped(struct frt_state *st, int s, int k,
			    unsigned int off, unsigned int size)
{
	struct sk_buff *skb = st->slot[s].skb;
	struct frt_wrapper *w = st->wrap[k];
	int err;

	err = skb_fill_destructor_desc(skb, skb_shinfo(skb)->nr_frags,
				       &w->destructor, off, size);
	if (err) {
		frt_fail(st, "skb_fill_destructor_desc() = %d", err);
		return;
	}
	skb->len += size;
	skb->data_len += size;
	skb->truesize += size;
	frt_append(st, s, page_address(w->page) + off, size);
}

static void frt_add_plain(struct frt_state *st, int s, int k,
			  unsigned int off, unsigned int size)
{
	struct sk_buff *skb = st->slot[s].skb;
	struct page *page = st->plain[k];

	get_page(page);
	skb_fill_page_desc(skb, skb_shinfo(skb)->nr_frags, page, off, size);
	skb->len += size;
	skb->data_len += size;
	skb->truesize += size;
	frt_append(st, s, page_address(page) + off, size);
}

/* Chain slot @m onto the frag_list of slot @h, as skb_gro_receive() does. */
static bool frt_chain(struct frt_state *st, int h, int m)
{
	struct sk_buff *head = st->slot[h].skb;
	struct sk_buff *skb = st->slot[m].skb;
	struct sk_buff **tail;

	frt_log(st, "chain s%d <- s%d", h, m);
	/* GRO never chains onto or from a clone. */
	if (skb_unclone(head, GFP_KERNEL) || skb_unclone(skb, GFP_KERNEL)) {
		frt_fail(st, "skb_unclone() failed");
		return false;
	}
	for (tail = &skb_shinfo(head)->frag_list; *tail; tail = &(*tail)->next)
		;
	*tail = skb;
	__skb_header_release(skb);
	head->len += skb->len;
	head->data_len += skb->len;
	head->truesize += skb->truesize;
	skb_shinfo(head)->flags |= skb_shinfo(skb)->flags &
				   (SKBFL_SHARED_FRAG | FRT_DTOR_FLAG);
	frt_append(st, h, st->slot[m].expect, st->slot[m].len);
	frt_clear(st, m);
	return true;
}

/* skb_clone(), pskb_copy() or skb_copy() of slot @a into slot @b. */
static void frt_dup(struct frt_state *st, int a, int b, enum frt_op op)
{
	static const char * const names[] = {
		[FRT_CLONE] = "skb_clone",
		[FRT_PSKB_COPY] = "pskb_copy",
		[FRT_SKB_COPY] = "skb_copy",
	};
	struct sk_buff *skb = st->slot[a].skb, *n;

	frt_log(st, "%s s%d -> s%d", names[op], a, b);
	if (op == FRT_CLONE)
		n = skb_clone(skb, GFP_KERNEL);
	else if (op == FRT_PSKB_COPY)
		n = pskb_copy(skb, GFP_KERNEL);
	else
		n = skb_copy(skb, GFP_KERNEL);
	if (!n)
		frt_fail(st, "%s() failed", names[op]);
	else
		frt_set(st, b, n, st->slot[a].expect, st->slot[a].len);
}

static void frt_pull(struct frt_state *st, int a, unsigned int delta)
{
	frt_log(st, "__pskb_pull_tail s%d %u", a, delta);
	if (!__pskb_pull_tail(st->slot[a].skb, delta))
		frt_fail(st, "__pskb_pull_tail() failed");
}

static void frt_expand(struct frt_state *st, int a, int nhead, int ntail)
{
	int err;

	frt_log(st, "pskb_expand_head s%d %d %d%s", a, nhead, ntail,
		skb_cloned(st->slot[a].skb) ? " (clone)" : "");
	err = pskb_expand_head(st->slot[a].skb, nhead, ntail, GFP_KERNEL);
	if (err)
		frt_fail(st, "pskb_expand_head() = %d", err);
}

static void frt_trim(struct frt_state *st, int a, unsigned int len)
{
	int err;

	frt_log(st, "pskb_trim s%d %u", a, len);
	err = pskb_trim(st->slot[a].skb, len);
	if (err)
		frt_fail(st, "pskb_trim() = %d", err);
	else
		st->slot[a].len = len;
}

static void frt_orphan(struct frt_state *st, int a)
{
	struct sk_buff *skb = st->slot[a].skb;
	int err;

	frt_log(st, "skb_orphan_frags_rx s%d", a);
	err = skb_orphan_frags_rx(skb, GFP_KERNEL);
	if (err)
		frt_fail(st, "skb_orphan_frags_rx() = %d", err);
	else if (frt_tree_wrapped(skb, 0))
		frt_fail(st, "slot %d: wrapped frags%s left after skb_orphan_frags_rx()",
			 a, frt_wrapped(skb) ? "" : " on the frag_list");
}

static void frt_free(struct frt_state *st, int a)
{
	frt_log(st, "free s%d", a);
	kfree_skb(st->slot[a].skb);
	frt_clear(st, a);
}

static void frt_handoff(struct frt_state *st, int k)
{
	frt_log(st, "handoff w%d", k);
	st->wrap[k]->handed_off = true;
	skb_frag_destructor_put(&st->wrap[k]->destructor);
}

/*
 * Undo what the census says would be freed twice (an skb with fewer users
 * than references to it), so that freeing the test's skbs is safe even
 * after a failure.  An skb with more users than references is leaked.
 */
static void frt_repair(struct frt_state *st)
{
	int i, n;

	for (i = 0; i < st->nr_skbs; i++)
		for (n = refcount_read(&st->skbs[i]->users);
		     n > 0 && n < st->users[i]; n++)
			skb_get(st->skbs[i]);
}

/*
 * Free the test's skbs, drop the creator's references and check that
 * every destroy callback ran once and no page was touched.  Wrappers and
 * pages that are still referenced are leaked (an skb may still point at
 * them) and, @again for another sequence, replaced; the others are made
 * ready for it.
 */
static void frt_teardown(struct frt_state *st, bool again)
{
	bool safe = true;
	int i;

	if (st->failed || st->unsafe) {
		safe = frt_census(st);
		if (safe)
			frt_repair(st);
	}
	for (i = 0; i < FRT_SLOTS; i++) {
		if (safe && st->slot[i].skb)
			kfree_skb(st->slot[i].skb);
		frt_clear(st, i);
	}
	for (i = 0; i < st->nr_wrap; i++) {
		struct frt_wrapper *w = st->wrap[i];
		bool clean;

		if (!w->handed_off) {
			if (w->calls || refcount_read(&w->destructor.ref) != 1)
				frt_fail(st, "teardown: wrapper %d: ref %d, %d destroys before put",
					 i, refcount_read(&w->destructor.ref),
					 w->calls);
			w->handed_off = true;
			skb_frag_destructor_put(&w->destructor);
		}
		clean = w->calls == 1 && !refcount_read(&w->destructor.ref) &&
			page_ref_count(w->page) == w->page_refs &&
			frt_page_intact(w->page, w->id);
		if (!clean) {
			frt_fail(st, "teardown: wrapper %d: ref %d, %d destroys, page %d/%d%s",
				 i, refcount_read(&w->destructor.ref), w->calls,
				 page_ref_count(w->page), w->page_refs,
				 frt_page_intact(w->page, w->id) ? "" :
				 ", page written");
			/* Leak it: a lost skb may still point at it. */
			w->dirty = true;
			if (!again)
				continue;
			st->wrap[i] = frt_new_wrapper(st);
			if (!st->wrap[i]) {
				st->nr_wrap = i;
				break;
			}
			continue;
		}
		if (!again)
			continue;
		if (skb_frag_destructor_init(&w->destructor, w->page,
					     frt_destroy))
			frt_fail(st, "skb_frag_destructor_init() failed");
		w->calls = 0;
		w->handed_off = false;
	}
	for (i = 0; i < st->nr_plain; i++) {
		if (page_ref_count(st->plain[i]) == st->plain_refs[i])
			continue;
		frt_fail(st, "teardown: plain page %d: refcount %d, expected %d",
			 i, page_ref_count(st->plain[i]), st->plain_refs[i]);
		st->plain_dirty[i] = true;
		if (!again)
			continue;
		st->plain_dirty[i] = false;
		st->plain[i] = alloc_page(GFP_KERNEL);
		if (!st->plain[i]) {
			st->nr_plain = i;
			break;
		}
		frt_fill_page(st->plain[i], ++st->next_id);
		st->plain_refs[i] = page_ref_count(st->plain[i]);
	}
}

static void frt_release(void *data)
{
	struct frt_state *st = data;
	int i;

	frt_teardown(st, false);
	for (i = 0; i < st->nr_wrap; i++) {
		if (!st->wrap[i]->dirty) {
			__free_page(st->wrap[i]->page);
			kfree(st->wrap[i]);
		}
	}
	for (i = 0; i < st->nr_plain; i++)
		if (!st->plain_dirty[i])
			__free_page(st->plain[i]);
}

static struct frt_state *frt_alloc(struct kunit *test, int nr_wrap,
				   int nr_plain)
{
	struct frt_state *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, st);
	st->test = test;
	st->scratch = kunit_kmalloc(test, FRT_MAX_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st->scratch);
	st->saved = kunit_kmalloc(test, FRT_MAX_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st->saved);
	for (i = 0; i < FRT_SLOTS; i++) {
		st->slot[i].expect = kunit_kmalloc(test, FRT_MAX_LEN,
						   GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, st->slot[i].expect);
	}
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, frt_release,
							   st));
	for (i = 0; i < nr_wrap; i++) {
		st->wrap[i] = frt_new_wrapper(st);
		KUNIT_ASSERT_NOT_NULL(test, st->wrap[i]);
		st->nr_wrap++;
	}
	for (i = 0; i < nr_plain; i++) {
		st->plain[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, st->plain[i]);
		st->nr_plain++;
		frt_fill_page(st->plain[i], ++st->next_id);
		st->plain_refs[i] = page_ref_count(st->plain[i]);
	}
	return st;
}

/*
 * The GRO-style chain of the regression cases: slot 0 is a head with
 * FRT_HEADROOM bytes in its linear part, a wrapped frag (wrapper 0) if
 * @head_wrapped and a plain frag, chained with three members of one frag
 * each, wrapped ('w') or plain ('p') as @members says; the first wrapped
 * member uses wrapper 0, the next wrapper 1.
 */
static void frt_gro_chain(struct frt_state *st, bool head_wrapped,
			  const char *members, struct sk_buff **member)
{
	int i, k = 0;

	KUNIT_ASSERT_TRUE(st->test, frt_new(st, 0, FRT_HEADROOM));
	if (head_wrapped)
		frt_add_wrapped(st, 0, 0, 2000, 300);
	frt_add_plain(st, 0, 0, 2000, 200);
	for (i = 1; i <= 3; i++) {
		KUNIT_ASSERT_TRUE(st->test, frt_new(st, i, 0));
		if (members[i - 1] == 'w')
			frt_add_wrapped(st, i, k++, i * 500, 500);
		else
			frt_add_plain(st, i, 0, i * 500, 500);
	}
	for (i = 1; i <= 3; i++) {
		member[i - 1] = st->slot[i].skb;
		frt_chain(st, 0, i);
	}
	KUNIT_ASSERT_FALSE(st->test, st->failed);
	KUNIT_ASSERT_TRUE(st->test, frt_check(st));
	KUNIT_ASSERT_FALSE(st->test, st->failed);
}

static void frt_expect_members(struct frt_state *st, struct sk_buff *skb,
			       struct sk_buff **member, int nr)
{
	struct sk_buff *list = skb_shinfo(skb)->frag_list;
	int i;

	for (i = 0; i < nr; i++, list = list->next) {
		KUNIT_EXPECT_PTR_EQ_MSG(st->test, list, member[i],
					"member %d of the original's frag_list",
					i);
		if (list != member[i])
			return;
	}
	KUNIT_EXPECT_NULL(st->test, list);
}

/*
 * skb_orphan_frags_rx() of a pskb_copy() of a GRO chain must not touch the
 * frag_list it shares with the original: it replaces the copy's wrapped
 * members, and the original keeps its own, so the wrappers are held by the
 * original's members only.
 */
static void frt_test_fraglist_shared_copy(struct kunit *test)
{
	struct frt_state *st = frt_alloc(test, 2, 1);
	struct sk_buff *member[3];
	struct sk_buff *list;
	int i;

	frt_gro_chain(st, false, "wpw", member);
	frt_dup(st, 0, 1, FRT_PSKB_COPY);
	if (!frt_check(st))
		return;
	frt_orphan(st, 1);
	frt_expect_members(st, st->slot[0].skb, member, 3);
	i = 0;
	skb_walk_frags(st->slot[1].skb, list) {
		KUNIT_EXPECT_FALSE_MSG(test, frt_wrapped(list),
				       "member %d of the copy", i);
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, 3);
	/* Creator + the original's member each. */
	KUNIT_EXPECT_EQ(test, refcount_read(&st->wrap[0]->destructor.ref), 2);
	KUNIT_EXPECT_EQ(test, refcount_read(&st->wrap[1]->destructor.ref), 2);
	if (!frt_check(st))
		return;
	frt_free(st, 0);
	if (!frt_check(st))
		return;
	KUNIT_EXPECT_EQ(test, refcount_read(&st->wrap[0]->destructor.ref), 1);
	KUNIT_EXPECT_EQ(test, refcount_read(&st->wrap[1]->destructor.ref), 1);
	frt_handoff(st, 0);
	frt_handoff(st, 1);
	KUNIT_EXPECT_EQ(test, st->wrap[0]->calls, 1);
	KUNIT_EXPECT_EQ(test, st->wrap[1]->calls, 1);
	if (!frt_check(st))
		return;
	frt_free(st, 1);
	frt_check(st);
}

/*
 * The same with skb_clone() and the creator's references dropped first:
 * skb_orphan_frags_rx() unclones the clone (skb_clone_fraglist()), and
 * destroy must still run once both skbs are freed.
 */
static void frt_test_fraglist_shared_clone(struct kunit *test)
{
	struct frt_state *st = frt_alloc(test, 2, 1);
	struct sk_buff *member[3];

	frt_gro_chain(st, false, "wpw", member);
	frt_dup(st, 0, 1, FRT_CLONE);
	frt_handoff(st, 0);
	frt_handoff(st, 1);
	if (!frt_check(st))
		return;
	frt_orphan(st, 1);
	frt_expect_members(st, st->slot[0].skb, member, 3);
	if (!frt_check(st))
		return;
	frt_free(st, 1);
	if (!frt_check(st))
		return;
	KUNIT_EXPECT_EQ(test, st->wrap[0]->calls, 0);
	KUNIT_EXPECT_EQ(test, st->wrap[1]->calls, 0);
	frt_free(st, 0);
	KUNIT_EXPECT_EQ(test, st->wrap[0]->calls, 1);
	KUNIT_EXPECT_EQ(test, st->wrap[1]->calls, 1);
	frt_check(st);
}

/*
 * A GRO chain whose head's own frags were pulled into its linear part
 * still has wrapped frags on its frag_list: a pskb_copy() of it must carry
 * the flag, so that skb_orphan_frags_rx() copies them and the creator's
 * callback does not wait for the copy.
 */
static void frt_test_fraglist_pulled_head_copy(struct kunit *test)
{
	struct frt_state *st = frt_alloc(test, 2, 1);
	struct sk_buff *member[3];
	struct sk_buff *list;

	frt_gro_chain(st, true, "wwp", member);
	frt_pull(st, 0, 500);
	KUNIT_ASSERT_EQ(test, skb_shinfo(st->slot[0].skb)->nr_frags, 0);
	if (!frt_check(st))
		return;
	frt_dup(st, 0, 1, FRT_PSKB_COPY);
	KUNIT_EXPECT_TRUE(test, skb_shinfo(st->slot[1].skb)->flags &
				FRT_DTOR_FLAG);
	if (!frt_check(st))
		return;
	frt_orphan(st, 1);
	skb_walk_frags(st->slot[1].skb, list)
		KUNIT_EXPECT_FALSE(test, frt_wrapped(list));
	if (!frt_check(st))
		return;
	/* The transmit side is done: the copy must not hold the pages. */
	frt_free(st, 0);
	frt_handoff(st, 0);
	frt_handoff(st, 1);
	KUNIT_EXPECT_EQ(test, st->wrap[0]->calls, 1);
	KUNIT_EXPECT_EQ(test, st->wrap[1]->calls, 1);
	if (!frt_check(st))
		return;
	frt_free(st, 1);
	frt_check(st);
}

static const char *const frt_op_names[FRT_NR_OPS] = {
	[FRT_NEW] = "new",
	[FRT_CLONE] = "clone",
	[FRT_PSKB_COPY] = "pskb_copy",
	[FRT_SKB_COPY] = "skb_copy",
	[FRT_PULL] = "pull",
	[FRT_EXPAND] = "expand",
	[FRT_TRIM] = "trim",
	[FRT_SPLIT] = "split",
	[FRT_SHIFT] = "shift",
	[FRT_COALESCE] = "coalesce",
	[FRT_SEGMENT] = "segment",
	[FRT_ZEROCOPY] = "zerocopy",
	[FRT_CHAIN] = "chain",
	[FRT_ORPHAN] = "orphan",
	[FRT_FREE] = "free",
	[FRT_HANDOFF] = "handoff",
};

static const u8 frt_weights[FRT_NR_OPS] = {
	[FRT_NEW] = 4,
	[FRT_CLONE] = 3,
	[FRT_PSKB_COPY] = 3,
	[FRT_SKB_COPY] = 1,
	[FRT_PULL] = 2,
	[FRT_EXPAND] = 2,
	[FRT_TRIM] = 1,
	[FRT_SPLIT] = 2,
	[FRT_SHIFT] = 2,
	[FRT_COALESCE] = 2,
	[FRT_SEGMENT] = 2,
	[FRT_ZEROCOPY] = 1,
	[FRT_CHAIN] = 4,
	[FRT_ORPHAN] = 3,
	[FRT_FREE] = 2,
	[FRT_HANDOFF] = 1,
};

/* A random used (@used) or free slot other than @not, or -1. */
static int frt_pick(struct frt_state *st, bool used, int not)
{
	int i, n = 0, pick;

	for (i = 0; i < FRT_SLOTS; i++)
		if (!st->slot[i].skb == !used && i != not)
			n++;
	if (!n)
		return -1;
	pick = frt_rand(st, n);
	for (i = 0; i < FRT_SLOTS; i++)
		if (!st->slot[i].skb == !used && i != not && !pick--)
			return i;
	return -1;
}

static int frt_nr_free(struct frt_state *st)
{
	int i, n = 0;

	for (i = 0; i < FRT_SLOTS; i++)
		n += !st->slot[i].skb;
	return n;
}

static bool frt_rand_new(struct frt_state *st)
{
	int s = frt_pick(st, false, -1);
	unsigned int headlen, nr, i;

	if (s < 0)
		return false;
	headlen = frt_rand(st, 4) ? FRT_HDR + frt_rand(st, 120) : 0;
	nr = frt_rand(st, 4) + !headlen;
	frt_log(st, "new s%d: head %u, %u frags", s, headlen, nr);
	if (!frt_new(st, s, headlen))
		return true;
	for (i = 0; i < nr; i++) {
		unsigned int off = frt_rand(st, PAGE_SIZE - 1);
		unsigned int size = 1 + frt_rand(st, min_t(unsigned int,
							     FRT_MAX_FRAG,
							     PAGE_SIZE - off));
		int k = frt_rand(st, st->nr_wrap);

		if (frt_rand(st, 3) && !st->wrap[k]->handed_off)
			frt_add_wrapped(st, s, k, off, size);
		else
			frt_add_plain(st, s, frt_rand(st, st->nr_plain), off,
				      size);
	}
	return true;
}

static bool frt_rand_copy(struct frt_state *st, enum frt_op op)
{
	int a, b;

	a = frt_pick(st, true, -1);
	b = frt_pick(st, false, -1);
	if (a < 0 || b < 0)
		return false;
	frt_dup(st, a, b, op);
	return true;
}

static bool frt_rand_pull(struct frt_state *st)
{
	const struct skb_shared_info *sh;
	struct sk_buff *skb;
	unsigned int delta;
	int a, i;

	a = frt_pick(st, true, -1);
	if (a < 0)
		return false;
	skb = st->slot[a].skb;
	sh = skb_shinfo(skb);
	if (!skb->data_len)
		return false;
	delta = 1 + frt_rand(st, skb->data_len);
	/* Often exactly the skb's own frags, leaving it a frag_list only. */
	if (sh->nr_frags && frt_rand(st, 2))
		for (i = 0, delta = 0; i < sh->nr_frags; i++)
			delta += skb_frag_size(&sh->frags[i]);
	frt_pull(st, a, delta);
	return true;
}

static bool frt_rand_expand(struct frt_state *st)
{
	int a = frt_pick(st, true, -1);

	if (a < 0)
		return false;
	if (skb_cloned(st->slot[a].skb) && frt_rand(st, 2))
		frt_expand(st, a, 0, 0);
	else
		frt_expand(st, a, frt_rand(st, 64), frt_rand(st, 256));
	return true;
}

static bool frt_rand_trim(struct frt_state *st)
{
	int a = frt_pick(st, true, -1);

	if (a < 0 || !st->slot[a].len)
		return false;
	frt_trim(st, a, frt_rand(st, st->slot[a].len));
	return true;
}

static bool frt_rand_split(struct frt_state *st)
{
	struct sk_buff *skb, *skb1;
	unsigned int len, headlen;
	int a, b;

	a = frt_pick(st, true, -1);
	b = frt_pick(st, false, -1);
	if (a < 0 || b < 0)
		return false;
	skb = st->slot[a].skb;
	if (skb->len < 2 || skb_has_frag_list(skb))
		return false;
	len = 1 + frt_rand(st, skb->len - 1);
	frt_log(st, "skb_split s%d -> s%d at %u%s", a, b, len,
		skb_cloned(skb) ? " (clone)" : "");
	/* As tcp_fragment(): the split skb is never a clone. */
	if (skb_unclone(skb, GFP_KERNEL)) {
		frt_fail(st, "skb_unclone() failed");
		return true;
	}
	headlen = skb_headlen(skb);
	skb1 = alloc_skb(FRT_HEADROOM + (len < headlen ? headlen - len : 0),
			 GFP_KERNEL);
	if (!skb1) {
		frt_fail(st, "alloc_skb() failed");
		return true;
	}
	skb_reserve(skb1, FRT_HEADROOM);
	skb_split(skb, skb1, len);
	if (skb->truesize >= skb1->data_len +
	    SKB_TRUESIZE(skb_end_offset(skb)))
		skb->truesize -= skb1->data_len;
	skb1->truesize += skb1->data_len;
	frt_set(st, b, skb1, st->slot[a].expect + len, st->slot[a].len - len);
	st->slot[a].len = len;
	return true;
}

static bool frt_rand_shift(struct frt_state *st)
{
	int a = frt_pick(st, true, -1);
	int b = frt_pick(st, true, a);
	struct sk_buff *tgt, *skb;
	unsigned int len;
	int ret;

	if (a < 0 || b < 0)
		return false;
	tgt = st->slot[a].skb;
	skb = st->slot[b].skb;
	if (skb_headlen(skb) || !skb->len || skb_has_frag_list(skb) ||
	    skb_has_frag_list(tgt) || tgt->len + skb->len > FRT_MAX_LEN)
		return false;
	len = 1 + frt_rand(st, skb->len);
	frt_log(st, "skb_shift s%d <- s%d %u", a, b, len);
	ret = skb_shift(tgt, skb, len);
	if (!ret)
		return true;
	if (ret != len) {
		frt_fail(st, "skb_shift() = %d, asked %u", ret, len);
		return true;
	}
	frt_append(st, a, st->slot[b].expect, len);
	frt_set(st, b, skb, st->slot[b].expect + len, st->slot[b].len - len);
	if (!skb->len)
		frt_free(st, b);
	return true;
}

static bool frt_rand_coalesce(struct frt_state *st)
{
	int a = frt_pick(st, true, -1);
	int b = frt_pick(st, true, a);
	struct sk_buff *to, *from;
	bool stolen;
	int delta;

	if (a < 0 || b < 0)
		return false;
	to = st->slot[a].skb;
	from = st->slot[b].skb;
	if (to->len + from->len > FRT_MAX_LEN)
		return false;
	/* skb_put() into the tailroom of a non-linear skb would BUG. */
	if (from->len <= skb_tailroom(to) && skb_is_nonlinear(to))
		return false;
	/* It warns when from's truesize does not cover its frags. */
	if (!skb_headlen(from) &&
	    from->truesize < SKB_TRUESIZE(skb_end_offset(from)) + from->len)
		return false;
	frt_log(st, "skb_try_coalesce s%d <- s%d%s", a, b,
		skb_cloned(from) ? " (clone)" : "");
	if (!skb_try_coalesce(to, from, &stolen, &delta))
		return true;
	frt_append(st, a, st->slot[b].expect, st->slot[b].len);
	frt_clear(st, b);
	kfree_skb_partial(from, stolen);
	return true;
}

/* Check a segment that has no slot: header, then payload from @off. */
static void frt_check_seg(struct frt_state *st, struct sk_buff *seg,
			  unsigned int off)
{
	if (skb_copy_bits(seg, 0, st->scratch, seg->len) ||
	    memcmp(st->scratch, st->saved, FRT_HDR) ||
	    memcmp(st->scratch + FRT_HDR, st->saved + FRT_HDR + off,
		   seg->len - FRT_HDR))
		frt_fail(st, "segment at payload %u: wrong bytes", off);
}

static bool frt_rand_segment(struct frt_state *st)
{
	netdev_features_t features = NETIF_F_HW_CSUM;
	unsigned int payload, mss, off, len, nr;
	struct sk_buff *skb, *segs, *seg, *list;
	int a, s;

	a = frt_pick(st, true, -1);
	if (a < 0)
		return false;
	skb = st->slot[a].skb;
	if (skb_headlen(skb) < FRT_HDR || skb->len <= FRT_HDR)
		return false;
	/* skb_segment() BUGs on members with linear data or no frags. */
	skb_walk_frags(skb, list)
		if (skb_headlen(list) || !skb_shinfo(list)->nr_frags ||
		    skb_has_frag_list(list))
			return false;
	payload = skb->len - FRT_HDR;
	/* At most one segment per slot, the skb's own included. */
	nr = 1 + frt_rand(st, frt_nr_free(st) + 1);
	mss = DIV_ROUND_UP(payload, nr);
	if (frt_rand(st, 4))
		features |= NETIF_F_SG;
	frt_log(st, "skb_segment s%d mss %u%s%s", a, mss,
		features & NETIF_F_SG ? " sg" : "",
		skb_has_frag_list(skb) ? " frag_list" : "");

	/* As __skb_gso_segment(): skb_segment() finds the header with it. */
	SKB_GSO_CB(skb)->mac_offset = skb_headroom(skb);
	SKB_GSO_CB(skb)->encap_level = 0;
	skb_reset_mac_header(skb);
	__skb_pull(skb, FRT_HDR);
	skb_reset_network_header(skb);
	skb_reset_transport_header(skb);
	skb->protocol = htons(ETH_P_ATALK);
	skb_shinfo(skb)->gso_size = mss;
	segs = skb_segment(skb, features);
	skb_shinfo(skb)->gso_size = 0;
	if (IS_ERR_OR_NULL(segs)) {
		frt_log(st, "  skb_segment() = %ld", PTR_ERR(segs));
		/* Failed before or after pushing the header back. */
		if (skb->data != skb_mac_header(skb))
			__skb_push(skb, FRT_HDR);
		return true;
	}

	memcpy(st->saved, st->slot[a].expect, st->slot[a].len);
	kfree_skb(skb);
	frt_clear(st, a);
	for (off = 0; segs; segs = seg) {
		seg = segs->next;
		skb_mark_not_on_list(segs);
		skb_shinfo(segs)->gso_size = 0;
		skb_shinfo(segs)->gso_segs = 0;
		skb_shinfo(segs)->gso_type = 0;
		len = segs->len - FRT_HDR;
		if (segs->len < FRT_HDR || off + len > payload) {
			frt_fail(st, "segment of len %u at payload %u of %u",
				 segs->len, off, payload);
			kfree_skb(segs);
			continue;
		}
		s = frt_pick(st, false, -1);
		if (s < 0) {
			/* No slot left: check it and free it. */
			frt_check_seg(st, segs, off);
			kfree_skb(segs);
		} else {
			frt_set(st, s, segs, st->saved, FRT_HDR);
			frt_append(st, s, st->saved + FRT_HDR + off, len);
		}
		off += len;
	}
	if (off != payload)
		frt_fail(st, "segments hold %u of %u bytes", off, payload);
	return true;
}

static bool frt_rand_zerocopy(struct frt_state *st)
{
	struct sk_buff *from, *to;
	unsigned int hlen, len;
	int a, b, err;

	a = frt_pick(st, true, -1);
	b = frt_pick(st, false, -1);
	if (a < 0 || b < 0 || !st->slot[a].len)
		return false;
	from = st->slot[a].skb;
	hlen = skb_zerocopy_headlen(from);
	len = hlen + frt_rand(st, from->len - hlen + 1);
	frt_log(st, "skb_zerocopy s%d -> s%d %u hlen %u", a, b, len, hlen);
	to = alloc_skb(FRT_HEADROOM + hlen, GFP_KERNEL);
	if (!to) {
		frt_fail(st, "alloc_skb() failed");
		return true;
	}
	skb_reserve(to, FRT_HEADROOM);
	err = skb_zerocopy(to, from, len, hlen);
	if (err) {
		frt_fail(st, "skb_zerocopy() = %d", err);
		kfree_skb(to);
		return true;
	}
	frt_set(st, b, to, st->slot[a].expect, len);
	return true;
}

static bool frt_rand_chain(struct frt_state *st)
{
	int h = frt_pick(st, true, -1);
	int m = frt_pick(st, true, h);
	struct sk_buff *list;

	if (h < 0 || m < 0 || skb_has_frag_list(st->slot[m].skb) ||
	    !st->slot[m].len ||
	    st->slot[h].len + st->slot[m].len > FRT_MAX_LEN)
		return false;
	/*
	 * GRO chains onto a frag_list of its own: appending behind a member
	 * that another skb's frag_list shares would grow that list too (and
	 * unclone shares them all).
	 */
	if (skb_cloned(st->slot[h].skb) && skb_has_frag_list(st->slot[h].skb))
		return false;
	skb_walk_frags(st->slot[h].skb, list)
		if (skb_shared(list))
			return false;
	frt_chain(st, h, m);
	return true;
}

static bool frt_rand_op(struct frt_state *st, enum frt_op op)
{
	int a, k;

	if (!(frt_ops & BIT(op)) && op != FRT_NEW)
		return false;

	switch (op) {
	case FRT_NEW:
		return frt_rand_new(st);
	case FRT_CLONE:
	case FRT_PSKB_COPY:
	case FRT_SKB_COPY:
		return frt_rand_copy(st, op);
	case FRT_PULL:
		return frt_rand_pull(st);
	case FRT_EXPAND:
		return frt_rand_expand(st);
	case FRT_TRIM:
		return frt_rand_trim(st);
	case FRT_SPLIT:
		return frt_rand_split(st);
	case FRT_SHIFT:
		return frt_rand_shift(st);
	case FRT_COALESCE:
		return frt_rand_coalesce(st);
	case FRT_SEGMENT:
		return frt_rand_segment(st);
	case FRT_ZEROCOPY:
		return frt_rand_zerocopy(st);
	case FRT_CHAIN:
		return frt_rand_chain(st);
	case FRT_ORPHAN:
		a = frt_pick(st, true, -1);
		if (a < 0)
			return false;
		frt_orphan(st, a);
		return true;
	case FRT_FREE:
		a = frt_pick(st, true, -1);
		if (a < 0)
			return false;
		frt_free(st, a);
		return true;
	case FRT_HANDOFF:
		k = frt_rand(st, st->nr_wrap);
		if (st->wrap[k]->handed_off)
			return false;
		frt_handoff(st, k);
		return true;
	default:
		return false;
	}
}

static enum frt_op frt_rand_pick_op(struct frt_state *st)
{
	unsigned int total = 0, r;
	int op;

	for (op = 0; op < FRT_NR_OPS; op++)
		total += frt_weights[op];
	r = frt_rand(st, total);
	for (op = 0; op < FRT_NR_OPS - 1; op++) {
		if (r < frt_weights[op])
			break;
		r -= frt_weights[op];
	}
	return op;
}

static void frt_run_seq(struct frt_state *st, unsigned int steps)
{
	unsigned int step, tries;

	prandom_seed_state(&st->rnd, st->seed);
	for (tries = 0; tries < 8; tries++)
		prandom_u32_state(&st->rnd);
	st->nr_steps = 0;
	st->step = 0;
	st->failed = false;
	st->unsafe = false;
	st->msgs = 0;

	for (step = 0; step < steps && !st->failed; step++) {
		for (tries = 0; tries < 16; tries++) {
			enum frt_op op = frt_rand_pick_op(st);

			if (frt_rand_op(st, op)) {
				st->ops_done[op]++;
				break;
			}
		}
		if (!st->failed)
			frt_check(st);
	}
	frt_teardown(st, true);
	if (st->failed && st->reports < FRT_REPORTS) {
		frt_print_steps(st);
		st->reports++;
	}
}

static void frt_test_random(struct kunit *test)
{
	struct frt_state *st = frt_alloc(test, FRT_WRAPPERS, FRT_PLAIN);
	unsigned int seq, steps, failed = 0;
	char line[256];
	u64 first = 0;
	int op, len;

	steps = clamp_t(unsigned int, frt_steps, 1, FRT_MAX_STEPS);
	kunit_info(test, "seed %llu, %u sequences of %u steps\n", frt_seed,
		   frt_seqs, steps);
	st->random = true;
	for (seq = 0; seq < frt_seqs; seq++) {
		st->seq = seq;
		st->seed = frt_seed + seq * 0x9e3779b97f4a7c15ULL;
		frt_run_seq(st, steps);
		if (st->failed && !failed++)
			first = st->seed;
		if (st->nr_wrap < FRT_WRAPPERS || st->nr_plain < FRT_PLAIN) {
			KUNIT_FAIL(test, "out of memory after sequence %u", seq);
			break;
		}
		cond_resched();
	}
	for (seq = 0; seq < FRT_KINDS && st->kind[seq]; seq++)
		kunit_info(test, "%u sequences failed first on \"%s\", one with seed %llu\n",
			   st->kind_seqs[seq], st->kind[seq],
			   st->kind_seed[seq]);
	for (op = 0, len = 0; op < FRT_NR_OPS; op++)
		len += scnprintf(line + len, sizeof(line) - len, " %s %u",
				 frt_op_names[op], st->ops_done[op]);
	kunit_info(test, "operations:%s\n", line);
	if (failed)
		KUNIT_FAIL(test, "%u of %u sequences failed, the first with seed %llu",
			   failed, frt_seqs, first);
	else
		kunit_info(test, "%u sequences passed\n", frt_seqs);
}

static struct kunit_case frt_cases[] = {
	KUNIT_CASE(frt_test_fraglist_shared_copy),
	KUNIT_CASE(frt_test_fraglist_shared_clone),
	KUNIT_CASE(frt_test_fraglist_pulled_head_copy),
	KUNIT_CASE_SLOW(frt_test_random),
	{}
};

static struct kunit_suite frt_suite = {
	.name = "net_frag_random",
	.test_cases = frt_cases,
};

kunit_test_suite(frt_suite);

MODULE_DESCRIPTION("Randomized KUnit tests for skb fragment destructors");
MODULE_LICENSE("GPL");
