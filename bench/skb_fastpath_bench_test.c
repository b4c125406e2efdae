// SPDX-License-Identifier: GPL-2.0
/*
 * Not part of the series: fast-path timings for bench/.  The same file is
 * built into the base kernel and the series kernel (scripts/bench-fastpath.sh
 * copies it in), and the two are run alternately.  In the series kernel it
 * also times destructor-wrapped fragments (SKB_FRAG_DESTRUCTOR is defined).
 *
 * Each benchmark runs ITERS operations, REPS times, and prints the median,
 * minimum and maximum in picoseconds per operation:
 *   bench <name> <plain|tagged> <median> <min> <max>
 */
#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/skbuff_ref.h>
#include <linux/sort.h>
#ifdef SKB_FRAG_DESTRUCTOR
#include <linux/skb_frag_destructor.h>
#endif

#define ITERS		20000
#define REPS		11
#define NR_FRAGS	4
#define FRAG_LEN	1024
#define HDR_LEN		64
#define GSO_SIZE	1000

struct bench {
	struct kunit *test;
	struct page *page;
	bool tagged;
	struct sk_buff *skb;	/* a prebuilt skb for the read-only benches */
	unsigned long sink;
#ifdef SKB_FRAG_DESTRUCTOR	/* last: the fields above stay where they are */
	struct skb_frag_destructor dtor;
#endif
};

#ifdef SKB_FRAG_DESTRUCTOR
static void bench_destroy(struct skb_frag_destructor *d)
{
}
#endif

/*
 * Fill NR_FRAGS tagged frags; the base kernel has none.  Both kernels run
 * the same test of b->tagged in bench_skb(), so that the plain path is the
 * same benchmark code in both and differs only in what the series changed.
 */
static noinline int bench_fill_tagged(struct bench *b, struct sk_buff *skb)
{
#ifdef SKB_FRAG_DESTRUCTOR
	int i, err;

	for (i = 0; i < NR_FRAGS; i++) {
		err = skb_fill_destructor_desc(skb, i, &b->dtor,
					       i * FRAG_LEN, FRAG_LEN);
		if (err)
			return err;
	}
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}

/* An skb with a linear header and NR_FRAGS fragments of one page. */
static struct sk_buff *bench_skb(struct bench *b, bool gso)
{
	struct sk_buff *skb = alloc_skb(HDR_LEN + 64, GFP_KERNEL);
	int i;

	if (!skb)
		return NULL;
	skb_reserve(skb, 32);
	skb_put(skb, HDR_LEN);
	if (b->tagged) {
		if (bench_fill_tagged(b, skb)) {
			kfree_skb(skb);
			return NULL;
		}
	} else {
		for (i = 0; i < NR_FRAGS; i++) {
			get_page(b->page);
			skb_fill_page_desc(skb, i, b->page, i * FRAG_LEN,
					   FRAG_LEN);
		}
	}
	skb->len += NR_FRAGS * FRAG_LEN;
	skb->data_len = NR_FRAGS * FRAG_LEN;
	skb->truesize += NR_FRAGS * FRAG_LEN;
	if (gso) {
		/* As net_test.c's GSO cases: data at the start of the payload. */
		skb_reset_mac_header(skb);
		skb_pull(skb, HDR_LEN);
		skb_reset_network_header(skb);
		skb_reset_transport_header(skb);
		skb->protocol = htons(ETH_P_ATALK);
		skb_shinfo(skb)->gso_size = GSO_SIZE;
	}
	return skb;
}

static void op_frag_page(struct bench *b)
{
	const struct skb_shared_info *sh = skb_shinfo(b->skb);
	int i;

	for (i = 0; i < NR_FRAGS; i++) {
		struct page *p = skb_frag_page(&sh->frags[i]);

		OPTIMIZER_HIDE_VAR(p);
		b->sink += (unsigned long)p;
	}
}

static void op_ref_unref(struct bench *b)
{
	skb_frag_t *f = &skb_shinfo(b->skb)->frags[0];

	__skb_frag_ref(f);
	__skb_frag_unref(f, false);
}

static void op_clone(struct bench *b)
{
	consume_skb(skb_clone(b->skb, GFP_KERNEL));
}

static void op_pskb_copy(struct bench *b)
{
	consume_skb(pskb_copy(b->skb, GFP_KERNEL));
}

static void op_build(struct bench *b)
{
	consume_skb(bench_skb(b, false));
}

static void op_pull_tail(struct bench *b)
{
	struct sk_buff *skb = bench_skb(b, false);

	/* A whole fragment and part of the next. */
	if (skb && !__pskb_pull_tail(skb, FRAG_LEN + FRAG_LEN / 2))
		b->sink++;
	consume_skb(skb);
}

static void op_segment(struct bench *b)
{
	struct sk_buff *skb = bench_skb(b, true), *segs, *next;

	if (!skb)
		return;
	segs = skb_segment(skb, NETIF_F_SG | NETIF_F_HW_CSUM);
	if (!IS_ERR(segs)) {
		for (; segs; segs = next) {
			next = segs->next;
			consume_skb(segs);
		}
	}
	consume_skb(skb);
}

static const struct bench_op {
	const char *name;
	void (*fn)(struct bench *b);
	unsigned int per_iter;	/* operations per call */
} bench_ops[] = {
	{ "frag_page", op_frag_page, NR_FRAGS },
	{ "frag_ref_unref", op_ref_unref, 1 },
	{ "clone_free", op_clone, 1 },
	{ "pskb_copy_free", op_pskb_copy, 1 },
	{ "build_free", op_build, 1 },
	{ "pull_tail_free", op_pull_tail, 1 },
	{ "segment_free", op_segment, 1 },
};

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void bench_run(struct kunit *test, bool tagged)
{
	struct bench b = { .test = test, .tagged = tagged };
	u64 t[REPS];
	int o, r, i;

	b.page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b.page);
#ifdef SKB_FRAG_DESTRUCTOR
	KUNIT_ASSERT_EQ(test, skb_frag_destructor_init(&b.dtor, b.page,
						       bench_destroy), 0);
#endif
	b.skb = bench_skb(&b, false);
	KUNIT_ASSERT_NOT_NULL(test, b.skb);

	for (o = 0; o < ARRAY_SIZE(bench_ops); o++) {
		const struct bench_op *op = &bench_ops[o];

		for (i = 0; i < ITERS / 10; i++)	/* warm up */
			op->fn(&b);
		for (r = 0; r < REPS; r++) {
			u64 t0 = ktime_get_ns();

			for (i = 0; i < ITERS; i++)
				op->fn(&b);
			t[r] = (ktime_get_ns() - t0) * 1000 /
			       ((u64)ITERS * op->per_iter);
		}
		sort(t, REPS, sizeof(t[0]), cmp_u64, NULL);
		kunit_info(test, "bench %s %s %llu %llu %llu\n", op->name,
			   tagged ? "tagged" : "plain", t[REPS / 2], t[0],
			   t[REPS - 1]);
	}
	kfree_skb(b.skb);
	/* Every fragment reference the benches took is gone again. */
	KUNIT_EXPECT_EQ(test, page_ref_count(b.page), 1);
#ifdef SKB_FRAG_DESTRUCTOR
	KUNIT_EXPECT_EQ(test, refcount_read(&b.dtor.ref), 1);
	skb_frag_destructor_put(&b.dtor);
#endif
	__free_page(b.page);
	KUNIT_EXPECT_NE(test, b.sink, 0UL);
}

static void skb_fastpath_plain(struct kunit *test)
{
	bench_run(test, false);
}

static void skb_fastpath_tagged(struct kunit *test)
{
#ifdef SKB_FRAG_DESTRUCTOR
	bench_run(test, true);
#else
	kunit_skip(test, "no fragment destructors in this kernel");
#endif
}

static struct kunit_case skb_fastpath_cases[] = {
	KUNIT_CASE_SLOW(skb_fastpath_plain),
	KUNIT_CASE_SLOW(skb_fastpath_tagged),
	{}
};

static struct kunit_suite skb_fastpath_suite = {
	.name = "net_skb_fastpath_bench",
	.test_cases = skb_fastpath_cases,
};
kunit_test_suite(skb_fastpath_suite);

MODULE_DESCRIPTION("skb fragment fast-path timings (benchmark only)");
MODULE_LICENSE("GPL");
