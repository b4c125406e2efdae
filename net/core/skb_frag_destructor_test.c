// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for skb fragment destructors.
 *
 * Every case wraps pages it owns, hands them to real skb functions and
 * checks three things: the destroy callback has not run while any
 * reference remains and has run exactly once after the last one, the
 * wrapped page's own refcount is never touched, and the bytes read back
 * with skb_copy_bits() are the bytes written.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/skb_frag_destructor.h>
#include <linux/skbuff.h>
#include <linux/skbuff_ref.h>
#include <net/gro.h>
#include <net/netmem.h>
#include <net/page_pool/helpers.h>

#define FDT_HEADROOM	64
#define FDT_LINEAR	64
#define FDT_GSO_SIZE	1000

struct fdt_wrapper {
	struct skb_frag_destructor destructor;
	int calls;
	int page_refs;	/* the page's refcount when it was wrapped */
};

static void fdt_destroy(struct skb_frag_destructor *destructor)
{
	struct fdt_wrapper *w = container_of(destructor, struct fdt_wrapper,
					     destructor);

	w->calls++;
}

KUNIT_DEFINE_ACTION_WRAPPER(fdt_put_page_action, put_page, struct page *);
KUNIT_DEFINE_ACTION_WRAPPER(fdt_kfree_skb_action, kfree_skb, struct sk_buff *);

static u8 fdt_byte(u8 seed, unsigned int i)
{
	return seed ^ (i * 7) ^ (i >> 8);
}

static void fdt_fill(void *buf, unsigned int len, u8 seed)
{
	u8 *p = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = fdt_byte(seed, i);
}

/* A page the test owns, with a pattern in it, released at test exit. */
static struct page *fdt_page(struct kunit *test, u8 seed)
{
	struct page *page = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, fdt_put_page_action,
						  page));
	fdt_fill(page_address(page), PAGE_SIZE, seed);
	return page;
}

static struct fdt_wrapper *fdt_wrap(struct kunit *test, struct page *page)
{
	struct fdt_wrapper *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_EQ(test, 0, skb_frag_destructor_init(&w->destructor, page,
							  fdt_destroy));
	w->page_refs = page_ref_count(page);
	return w;
}

static void fdt_expect_untouched(struct kunit *test, struct fdt_wrapper *w)
{
	KUNIT_EXPECT_EQ(test, page_ref_count(w->destructor.page), w->page_refs);
}

/* Track an skb so that a failing assertion does not leak it. */
static struct sk_buff *fdt_track(struct kunit *test, struct sk_buff *skb)
{
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, fdt_kfree_skb_action,
						  skb));
	return skb;
}

/* Stop tracking an skb that a function under test took over. */
static void fdt_untrack(struct kunit *test, struct sk_buff *skb)
{
	kunit_remove_action(test, fdt_kfree_skb_action, skb);
}

static void fdt_free(struct kunit *test, struct sk_buff *skb)
{
	kunit_release_action(test, fdt_kfree_skb_action, skb);
}

/* An skb with @linear bytes of pattern @seed in its head, no frags. */
static struct sk_buff *fdt_skb(struct kunit *test, unsigned int linear,
			       u8 seed)
{
	struct sk_buff *skb;

	skb = fdt_track(test, alloc_skb(FDT_HEADROOM + linear, GFP_KERNEL));
	skb_reserve(skb, FDT_HEADROOM);
	fdt_fill(skb_put(skb, linear), linear, seed);
	return skb;
}

static void fdt_add_frag(struct kunit *test, struct sk_buff *skb,
			 struct fdt_wrapper *w, unsigned int off,
			 unsigned int size)
{
	int i = skb_shinfo(skb)->nr_frags;

	KUNIT_ASSERT_EQ(test, 0,
			skb_fill_destructor_desc(skb, i, &w->destructor,
						 off, size));
	skb->len += size;
	skb->data_len += size;
	skb->truesize += size;
}

static void fdt_add_page_frag(struct kunit *test, struct sk_buff *skb,
			      struct page *page, unsigned int off,
			      unsigned int size)
{
	get_page(page);
	skb_fill_page_desc(skb, skb_shinfo(skb)->nr_frags, page, off, size);
	skb->len += size;
	skb->data_len += size;
	skb->truesize += size;
}

/* Drop the creator's own reference once everything is handed off. */
static void fdt_handoff(struct kunit *test, struct fdt_wrapper *w)
{
	skb_frag_destructor_put(&w->destructor);
}

/* Compare @len bytes of @skb at @off with @expect. */
static void fdt_check(struct kunit *test, const struct sk_buff *skb,
		      unsigned int off, const void *expect, unsigned int len)
{
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, 0, skb_copy_bits(skb, off, buf, len));
	KUNIT_EXPECT_MEMEQ(test, buf, expect, len);
}

static const void *fdt_page_data(struct fdt_wrapper *w, unsigned int off)
{
	return page_address(w->destructor.page) + off;
}

/*
 * The standard skb: FDT_LINEAR bytes of pattern 0xa5 in the head, then
 * @nr frags of @size bytes each, consecutive in one wrapped page.
 */
static struct sk_buff *fdt_std_skb(struct kunit *test, struct fdt_wrapper *w,
				   int nr, unsigned int size)
{
	struct sk_buff *skb = fdt_skb(test, FDT_LINEAR, 0xa5);
	int i;

	for (i = 0; i < nr; i++)
		fdt_add_frag(test, skb, w, i * size, size);
	return skb;
}

static void fdt_check_std(struct kunit *test, const struct sk_buff *skb,
			  struct fdt_wrapper *w, unsigned int frag_bytes)
{
	u8 head[FDT_LINEAR];

	KUNIT_ASSERT_EQ(test, skb->len, FDT_LINEAR + frag_bytes);
	fdt_fill(head, FDT_LINEAR, 0xa5);
	fdt_check(test, skb, 0, head, FDT_LINEAR);
	fdt_check(test, skb, FDT_LINEAR, fdt_page_data(w, 0), frag_bytes);
}

static void fdt_test_free(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 1));
	struct sk_buff *skb = fdt_std_skb(test, w, 1, 1000);

	fdt_handoff(test, w);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	KUNIT_EXPECT_PTR_EQ(test, skb_frag_page(&skb_shinfo(skb)->frags[0]),
			    w->destructor.page);
	fdt_check_std(test, skb, w, 1000);
	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

static void fdt_test_creator_last(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 2));
	struct sk_buff *skb = fdt_std_skb(test, w, 1, 1000);

	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_handoff(test, w);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

static void fdt_test_clone(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 3));
	struct sk_buff *skb = fdt_std_skb(test, w, 2, 700);
	struct sk_buff *clone;

	fdt_handoff(test, w);
	clone = fdt_track(test, skb_clone(skb, GFP_KERNEL));
	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_check_std(test, clone, w, 1400);
	fdt_free(test, clone);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

static void fdt_test_pskb_copy(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 4));
	struct sk_buff *skb = fdt_std_skb(test, w, 2, 700);
	struct sk_buff *copy;

	fdt_handoff(test, w);
	copy = fdt_track(test, pskb_copy(skb, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, skb_shinfo(copy)->nr_frags, 2);
	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_check_std(test, copy, w, 1400);
	fdt_free(test, copy);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

/* skb_copy() copies the data: the copy holds no reference. */
static void fdt_test_skb_copy(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 5));
	struct sk_buff *skb = fdt_std_skb(test, w, 2, 700);
	struct sk_buff *copy;

	fdt_handoff(test, w);
	copy = fdt_track(test, skb_copy(skb, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, skb_shinfo(copy)->nr_frags, 0);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_check_std(test, copy, w, 1400);
	fdt_free(test, copy);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

static void fdt_test_expand_head_clone(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 6));
	struct sk_buff *skb = fdt_std_skb(test, w, 2, 700);
	struct sk_buff *clone;

	fdt_handoff(test, w);
	clone = fdt_track(test, skb_clone(skb, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0, pskb_expand_head(clone, 32, 32, GFP_KERNEL));
	KUNIT_EXPECT_PTR_NE(test, skb_shinfo(clone), skb_shinfo(skb));
	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_check_std(test, clone, w, 1400);
	fdt_free(test, clone);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

/* Pulling a whole frag into the head releases it at once. */
static void fdt_test_pull_whole_frag(struct kunit *test)
{
	struct fdt_wrapper *w1 = fdt_wrap(test, fdt_page(test, 7));
	struct fdt_wrapper *w2 = fdt_wrap(test, fdt_page(test, 8));
	struct sk_buff *skb = fdt_skb(test, FDT_LINEAR, 0xa5);
	u8 head[FDT_LINEAR];

	fdt_add_frag(test, skb, w1, 100, 300);
	fdt_add_frag(test, skb, w2, 0, 500);
	fdt_handoff(test, w1);
	fdt_handoff(test, w2);

	KUNIT_ASSERT_NOT_NULL(test, __pskb_pull_tail(skb, 300));
	KUNIT_EXPECT_EQ(test, skb_headlen(skb), FDT_LINEAR + 300);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 1);
	KUNIT_EXPECT_EQ(test, w1->calls, 1);
	KUNIT_EXPECT_EQ(test, w2->calls, 0);

	fdt_fill(head, FDT_LINEAR, 0xa5);
	fdt_check(test, skb, 0, head, FDT_LINEAR);
	fdt_check(test, skb, FDT_LINEAR, fdt_page_data(w1, 100), 300);
	fdt_check(test, skb, FDT_LINEAR + 300, fdt_page_data(w2, 0), 500);

	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w1->calls, 1);
	KUNIT_EXPECT_EQ(test, w2->calls, 1);
	fdt_expect_untouched(test, w1);
	fdt_expect_untouched(test, w2);
}

static void fdt_test_pull_part_frag(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 9));
	struct sk_buff *skb = fdt_std_skb(test, w, 1, 1000);

	fdt_handoff(test, w);
	KUNIT_ASSERT_NOT_NULL(test, __pskb_pull_tail(skb, 10));
	KUNIT_EXPECT_EQ(test, skb_headlen(skb), FDT_LINEAR + 10);
	KUNIT_EXPECT_EQ(test, skb_frag_off(&skb_shinfo(skb)->frags[0]), 10);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_check_std(test, skb, w, 1000);
	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

struct fdt_split_case {
	const char *name;
	unsigned int at;
};

static const struct fdt_split_case fdt_split_cases[] = {
	{ .name = "inside_header", .at = FDT_LINEAR / 2 },
	{ .name = "inside_frag", .at = FDT_LINEAR + 500 },
	{ .name = "frag_boundary", .at = FDT_LINEAR + 700 },
};

KUNIT_ARRAY_PARAM_DESC(fdt_split, fdt_split_cases, name);

static void fdt_test_split(struct kunit *test)
{
	const struct fdt_split_case *c = test->param_value;
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 10));
	struct sk_buff *skb = fdt_std_skb(test, w, 2, 700);
	struct sk_buff *skb1 = fdt_skb(test, 0, 0);
	u8 *all = kunit_kmalloc(test, FDT_LINEAR + 1400, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, all);
	KUNIT_ASSERT_EQ(test, 0, skb_copy_bits(skb, 0, all, skb->len));
	KUNIT_ASSERT_EQ(test, 0, pskb_expand_head(skb1, 0, FDT_LINEAR,
						  GFP_KERNEL));
	fdt_handoff(test, w);

	skb_split(skb, skb1, c->at);
	KUNIT_EXPECT_EQ(test, skb->len, c->at);
	KUNIT_EXPECT_EQ(test, skb1->len, FDT_LINEAR + 1400 - c->at);
	fdt_check(test, skb, 0, all, c->at);
	fdt_check(test, skb1, 0, all + c->at, skb1->len);

	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_free(test, skb1);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

/* skb_shift() merging part of a frag into the same wrapper's last frag. */
static void fdt_test_shift_merge(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 11));
	struct sk_buff *tgt = fdt_skb(test, 0, 0);
	struct sk_buff *skb = fdt_skb(test, 0, 0);

	fdt_add_frag(test, tgt, w, 0, 500);
	fdt_add_frag(test, skb, w, 500, 500);
	fdt_handoff(test, w);

	KUNIT_ASSERT_EQ(test, 200, skb_shift(tgt, skb, 200));
	KUNIT_EXPECT_EQ(test, skb_shinfo(tgt)->nr_frags, 1);
	KUNIT_EXPECT_EQ(test, tgt->len, 700);
	KUNIT_EXPECT_EQ(test, skb->len, 300);
	fdt_check(test, tgt, 0, fdt_page_data(w, 0), 700);
	fdt_check(test, skb, 0, fdt_page_data(w, 700), 300);

	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_free(test, tgt);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

/*
 * skb_shift() must not merge a wrapped page into a plain frag of the same
 * page: the merged frag would drop the wrapper's reference early.
 */
static void fdt_test_shift_plain_neighbour(struct kunit *test)
{
	struct page *page = fdt_page(test, 12);
	struct fdt_wrapper *w = fdt_wrap(test, page);
	struct sk_buff *tgt = fdt_skb(test, 0, 0);
	struct sk_buff *skb = fdt_skb(test, 0, 0);
	int refs = page_ref_count(page);

	fdt_add_page_frag(test, tgt, page, 0, 500);
	fdt_add_frag(test, skb, w, 500, 500);
	w->page_refs = page_ref_count(page);
	fdt_handoff(test, w);

	KUNIT_ASSERT_EQ(test, 500, skb_shift(tgt, skb, 500));
	KUNIT_EXPECT_EQ(test, skb_shinfo(tgt)->nr_frags, 2);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_check(test, tgt, 0, page_address(page), 1000);

	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_free(test, tgt);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), refs);
}

struct fdt_coalesce_case {
	const char *name;
	bool cloned;
	bool pp_recycle;
};

static const struct fdt_coalesce_case fdt_coalesce_cases[] = {
	{ .name = "plain" },
	{ .name = "cloned", .cloned = true },
	{ .name = "pp_recycle", .pp_recycle = true },
	{ .name = "pp_recycle_cloned", .cloned = true, .pp_recycle = true },
};

KUNIT_ARRAY_PARAM_DESC(fdt_coalesce, fdt_coalesce_cases, name);

static void fdt_test_try_coalesce(struct kunit *test)
{
	const struct fdt_coalesce_case *c = test->param_value;
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 13));
	struct sk_buff *to = fdt_std_skb(test, w, 1, 600);
	struct sk_buff *from = fdt_skb(test, 0, 0);
	struct sk_buff *clone = NULL;
	bool stolen;
	int delta;

	fdt_add_frag(test, from, w, 600, 900);
	to->pp_recycle = c->pp_recycle;
	from->pp_recycle = c->pp_recycle;
	if (c->cloned)
		clone = fdt_track(test, skb_clone(from, GFP_KERNEL));
	fdt_handoff(test, w);

	KUNIT_ASSERT_TRUE(test, skb_try_coalesce(to, from, &stolen, &delta));
	KUNIT_EXPECT_EQ(test, skb_shinfo(to)->nr_frags, 2);
	fdt_untrack(test, from);
	kfree_skb_partial(from, stolen);
	if (clone)
		fdt_free(test, clone);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_check_std(test, to, w, 1500);
	fdt_free(test, to);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

static void fdt_gso_init(struct sk_buff *skb)
{
	skb_reset_mac_header(skb);
	skb_pull(skb, 8);
	skb_reset_network_header(skb);
	skb_reset_transport_header(skb);
	skb->protocol = htons(ETH_P_ATALK);
	skb_shinfo(skb)->gso_size = FDT_GSO_SIZE;
}

/* Free a segment list, the wrapper firing only with the last segment. */
static void fdt_free_segs(struct kunit *test, struct sk_buff *segs,
			  struct fdt_wrapper *w, const u8 *expect, int nr)
{
	struct sk_buff *cur, *next;
	int i = 0;

	for (cur = segs; cur; cur = cur->next)
		fdt_track(test, cur);
	for (cur = segs; cur; cur = next, i++) {
		next = cur->next;
		KUNIT_EXPECT_EQ(test, cur->len, 8 + FDT_GSO_SIZE);
		fdt_check(test, cur, 8, expect + i * FDT_GSO_SIZE,
			  FDT_GSO_SIZE);
		skb_mark_not_on_list(cur);
		KUNIT_EXPECT_EQ(test, w->calls, 0);
		fdt_free(test, cur);
	}
	KUNIT_EXPECT_EQ(test, i, nr);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
}

static void fdt_test_segment_frags(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 14));
	struct sk_buff *skb = fdt_skb(test, 8, 0x11);
	struct sk_buff *segs;

	fdt_gso_init(skb);
	fdt_add_frag(test, skb, w, 0, 1500);
	fdt_add_frag(test, skb, w, 1500, 1500);
	fdt_handoff(test, w);

	segs = skb_segment(skb, NETIF_F_SG | NETIF_F_HW_CSUM);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, segs);
	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_free_segs(test, segs, w, fdt_page_data(w, 0), 3);
	fdt_expect_untouched(test, w);
}

static void fdt_test_segment_frag_list(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 15));
	struct sk_buff *skb = fdt_skb(test, 8, 0x11);
	struct sk_buff *member[2], *segs;
	int i;

	fdt_gso_init(skb);
	fdt_add_frag(test, skb, w, 0, FDT_GSO_SIZE);
	for (i = 0; i < 2; i++) {
		member[i] = fdt_skb(test, 0, 0);
		fdt_add_frag(test, member[i], w, (i + 1) * FDT_GSO_SIZE,
			     FDT_GSO_SIZE);
		/* From here on, freeing skb frees the member. */
		fdt_untrack(test, member[i]);
		if (i)
			member[i - 1]->next = member[i];
		else
			skb_shinfo(skb)->frag_list = member[i];
		skb->len += member[i]->len;
		skb->data_len += member[i]->len;
		skb->truesize += member[i]->truesize;
	}
	fdt_handoff(test, w);

	segs = skb_segment(skb, NETIF_F_SG | NETIF_F_HW_CSUM);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, segs);
	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_free_segs(test, segs, w, fdt_page_data(w, 0), 3);
	fdt_expect_untouched(test, w);
}

static void fdt_test_zerocopy(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 16));
	struct sk_buff *from = fdt_std_skb(test, w, 2, 700);
	struct sk_buff *to;
	int hlen;

	fdt_handoff(test, w);
	hlen = skb_zerocopy_headlen(from);
	KUNIT_EXPECT_EQ(test, hlen, FDT_LINEAR);
	to = fdt_skb(test, 0, 0);
	KUNIT_ASSERT_EQ(test, 0, pskb_expand_head(to, 0, hlen, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0, skb_zerocopy(to, from, from->len, hlen));
	KUNIT_EXPECT_EQ(test, skb_shinfo(to)->nr_frags, 2);
	fdt_free(test, from);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_check_std(test, to, w, 1400);
	fdt_free(test, to);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

static void fdt_test_gro_receive(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 17));
	struct net_device *dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);
	struct sk_buff *p = fdt_skb(test, 0, 0);
	struct sk_buff *skb = fdt_skb(test, 0, 0);

	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->gro_max_size = GRO_LEGACY_MAX_SIZE;
	dev->gro_ipv4_max_size = GRO_LEGACY_MAX_SIZE;
	fdt_add_frag(test, p, w, 0, 1000);
	fdt_add_frag(test, skb, w, 1000, 1000);
	fdt_handoff(test, w);
	p->dev = dev;
	skb->dev = dev;
	NAPI_GRO_CB(p)->last = p;
	NAPI_GRO_CB(p)->count = 1;
	NAPI_GRO_CB(skb)->count = 1;

	KUNIT_ASSERT_EQ(test, 0, skb_gro_receive(p, skb));
	KUNIT_EXPECT_EQ(test, (int)NAPI_GRO_CB(skb)->free, NAPI_GRO_FREE);
	KUNIT_EXPECT_EQ(test, skb_shinfo(p)->nr_frags, 2);
	KUNIT_EXPECT_EQ(test, p->len, 2000);
	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_check(test, p, 0, fdt_page_data(w, 0), 2000);
	fdt_free(test, p);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

/* Tagged and plain frags side by side through clone, copy and free. */
static void fdt_test_mixed(struct kunit *test)
{
	struct page *plain = fdt_page(test, 18);
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 19));
	struct sk_buff *skb = fdt_skb(test, 0, 0);
	struct sk_buff *clone, *copy;
	int plain_refs = page_ref_count(plain);

	fdt_add_page_frag(test, skb, plain, 0, 300);
	fdt_add_frag(test, skb, w, 0, 400);
	fdt_add_page_frag(test, skb, plain, 300, 300);
	fdt_handoff(test, w);

	clone = fdt_track(test, skb_clone(skb, GFP_KERNEL));
	copy = fdt_track(test, pskb_copy(clone, GFP_KERNEL));
	fdt_check(test, copy, 0, page_address(plain), 300);
	fdt_check(test, copy, 300, fdt_page_data(w, 0), 400);
	fdt_check(test, copy, 700, page_address(plain) + 300, 300);
	KUNIT_EXPECT_EQ(test, page_ref_count(plain), plain_refs + 4);

	fdt_free(test, skb);
	fdt_free(test, clone);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_free(test, copy);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	KUNIT_EXPECT_EQ(test, page_ref_count(plain), plain_refs);
	fdt_expect_untouched(test, w);
}

/* One wrapper on several frags of several skbs. */
static void fdt_test_many_frags(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 20));
	struct sk_buff *skb[3];
	int i;

	for (i = 0; i < 3; i++)
		skb[i] = fdt_std_skb(test, w, 4, 250);
	KUNIT_EXPECT_EQ(test, refcount_read(&w->destructor.ref), 13);
	fdt_handoff(test, w);
	for (i = 0; i < 3; i++) {
		fdt_check_std(test, skb[i], w, 1000);
		KUNIT_EXPECT_EQ(test, w->calls, 0);
		fdt_free(test, skb[i]);
	}
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

KUNIT_DEFINE_ACTION_WRAPPER(fdt_pool_destroy_action, page_pool_destroy,
			    struct page_pool *);

struct fdt_pp_page {
	struct page_pool *pool;
	struct page *page;
};

static void fdt_pp_put_action(void *arg)
{
	struct fdt_pp_page *pp = arg;

	page_pool_put_full_page(pp->pool, pp->page, false);
}

/*
 * A pp_recycle skb never hands a wrapped page to page_pool, even when the
 * wrapped page itself came from a page_pool.
 */
static void fdt_test_pp_recycle(struct kunit *test)
{
	struct page_pool_params params = {
		.order = 0,
		.pool_size = 16,
		.nid = NUMA_NO_NODE,
	};
	struct fdt_pp_page *pp = kunit_kzalloc(test, sizeof(*pp), GFP_KERNEL);
	struct sk_buff *skb, *clone;
	struct fdt_wrapper *w;
	long pp_refs;

	KUNIT_ASSERT_NOT_NULL(test, pp);
	pp->pool = page_pool_create(&params);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pp->pool);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, fdt_pool_destroy_action,
						  pp->pool));
	pp->page = page_pool_dev_alloc_pages(pp->pool);
	KUNIT_ASSERT_NOT_NULL(test, pp->page);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, fdt_pp_put_action, pp));
	fdt_fill(page_address(pp->page), PAGE_SIZE, 21);
	pp_refs = atomic_long_read(&pp->page->pp_ref_count);

	w = fdt_wrap(test, pp->page);
	skb = fdt_std_skb(test, w, 2, 700);
	skb->pp_recycle = 1;
	fdt_handoff(test, w);
	clone = fdt_track(test, skb_clone(skb, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0, pskb_expand_head(clone, 0, 0, GFP_KERNEL));
	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_check_std(test, clone, w, 1400);
	fdt_free(test, clone);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pp->page->pp_ref_count),
			pp_refs);
	fdt_expect_untouched(test, w);
}

/* A net_iov handle and a tagged one resolve to different things. */
static void fdt_test_net_iov(struct kunit *test)
{
	struct page *page = fdt_page(test, 22);
	struct fdt_wrapper *w = fdt_wrap(test, page);
	struct net_iov *niov = kunit_kzalloc(test, sizeof(*niov), GFP_KERNEL);
	skb_frag_t frags[2] = {};

	KUNIT_ASSERT_NOT_NULL(test, niov);
	skb_frag_fill_netmem_desc(&frags[0], net_iov_to_netmem(niov), 0, 100);
	KUNIT_ASSERT_EQ(test, 0,
			skb_frag_fill_destructor_desc(&frags[1], &w->destructor,
						      0, 100));

	KUNIT_EXPECT_TRUE(test, skb_frag_is_net_iov(&frags[0]));
	KUNIT_EXPECT_FALSE(test, skb_frag_has_destructor(&frags[0]));
	KUNIT_EXPECT_NULL(test, skb_frag_page(&frags[0]));
	KUNIT_EXPECT_NULL(test, skb_frag_to_destructor(&frags[0]));
	KUNIT_EXPECT_PTR_EQ(test, skb_frag_net_iov(&frags[0]), niov);
	KUNIT_EXPECT_TRUE(test, skb_frag_netmem(&frags[0]) ==
				net_iov_to_netmem(niov));

	KUNIT_EXPECT_FALSE(test, skb_frag_is_net_iov(&frags[1]));
	KUNIT_EXPECT_TRUE(test, skb_frag_has_destructor(&frags[1]));
	KUNIT_EXPECT_PTR_EQ(test, skb_frag_page(&frags[1]), page);
	KUNIT_EXPECT_PTR_EQ(test, skb_frag_to_destructor(&frags[1]),
			    &w->destructor);
	KUNIT_EXPECT_NULL(test, skb_frag_net_iov(&frags[1]));
	KUNIT_EXPECT_TRUE(test, skb_frag_netmem(&frags[1]) ==
				page_to_netmem(page));
	KUNIT_EXPECT_FALSE(test, skb_frag_can_coalesce(&frags[0], &frags[1]));

	/* The wrapped frag's references go to the wrapper, recycling or not;
	 * a net_iov is left to the page_pool paths, as before destructors.
	 */
	__skb_frag_ref(&frags[1]);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&niov->pp_ref_count), 0);
	KUNIT_EXPECT_EQ(test, refcount_read(&w->destructor.ref), 3);
	__skb_frag_ref(&frags[1]);
	KUNIT_EXPECT_EQ(test, refcount_read(&w->destructor.ref), 4);
	__skb_frag_unref(&frags[1], true);
	__skb_frag_unref(&frags[1], false);
	__skb_frag_unref(&frags[1], true);
	KUNIT_EXPECT_EQ(test, refcount_read(&w->destructor.ref), 1);
	fdt_handoff(test, w);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	fdt_expect_untouched(test, w);
}

static void fdt_test_coalesce_rules(struct kunit *test)
{
	struct page *page = fdt_page(test, 23);
	struct fdt_wrapper *w = fdt_wrap(test, page);
	struct fdt_wrapper *w2 = fdt_wrap(test, page);
	struct sk_buff *skb = fdt_skb(test, 0, 0);
	skb_frag_t plain = {}, tagged = {}, tagged2 = {}, other = {};

	skb_frag_fill_page_desc(&plain, page, 0, 100);
	KUNIT_ASSERT_EQ(test, 0,
			skb_frag_fill_destructor_desc(&tagged, &w->destructor,
						      100, 100));
	KUNIT_ASSERT_EQ(test, 0,
			skb_frag_fill_destructor_desc(&tagged2, &w->destructor,
						      200, 100));
	KUNIT_ASSERT_EQ(test, 0,
			skb_frag_fill_destructor_desc(&other, &w2->destructor,
						      200, 100));

	KUNIT_EXPECT_FALSE(test, skb_frag_can_coalesce(&plain, &tagged));
	KUNIT_EXPECT_TRUE(test, skb_frag_can_coalesce(&tagged, &tagged2));
	KUNIT_EXPECT_FALSE(test, skb_frag_can_coalesce(&tagged, &other));

	fdt_add_frag(test, skb, w, 0, 100);
	KUNIT_EXPECT_FALSE(test, skb_can_coalesce(skb, 1, page, 100));
	fdt_add_page_frag(test, skb, page, 100, 100);
	KUNIT_EXPECT_TRUE(test, skb_can_coalesce(skb, 2, page, 200));

	__skb_frag_unref(&tagged, false);
	__skb_frag_unref(&tagged2, false);
	__skb_frag_unref(&other, false);
	fdt_handoff(test, w);
	fdt_handoff(test, w2);
	KUNIT_EXPECT_EQ(test, w2->calls, 1);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
}

struct fdt_init_case {
	const char *name;
	unsigned int misalign;
	bool no_page;
	bool no_destroy;
};

static const struct fdt_init_case fdt_init_cases[] = {
	{ .name = "misaligned_by_1", .misalign = 1 },
	{ .name = "misaligned_by_2", .misalign = 2 },
	{ .name = "null_page", .no_page = true },
	{ .name = "null_callback", .no_destroy = true },
};

KUNIT_ARRAY_PARAM_DESC(fdt_init, fdt_init_cases, name);

/* Bad wrappers are refused and nothing is written. */
static void fdt_test_init_refused(struct kunit *test)
{
	const struct fdt_init_case *c = test->param_value;
	struct page *page = fdt_page(test, 24);
	u8 *buf = kunit_kzalloc(test, 2 * sizeof(struct skb_frag_destructor),
				GFP_KERNEL);
	struct skb_frag_destructor *d;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	d = (struct skb_frag_destructor *)(buf + c->misalign);
	err = skb_frag_destructor_init(d, c->no_page ? NULL : page,
				       c->no_destroy ? NULL : fdt_destroy);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(buf, 2 * sizeof(*d)));
}

/* Attaching a destroyed wrapper, or past MAX_SKB_FRAGS, is refused. */
static void fdt_test_attach_refused(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 25));
	struct sk_buff *skb = fdt_skb(test, 0, 0);
	skb_frag_t frag = {};
	int err;

	err = skb_fill_destructor_desc(skb, MAX_SKB_FRAGS, &w->destructor,
				       0, 100);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 0);
	fdt_handoff(test, w);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	err = skb_frag_fill_destructor_desc(&frag, &w->destructor, 0, 100);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_FALSE(test, skb_frag_has_destructor(&frag));
	err = skb_fill_destructor_desc(skb, 0, &w->destructor, 0, 100);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 0);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
}

/* A put too many warns through refcount_t and never fires twice. */
static void fdt_test_double_put(struct kunit *test)
{
	struct fdt_wrapper *w = fdt_wrap(test, fdt_page(test, 26));
	struct sk_buff *skb = fdt_std_skb(test, w, 1, 100);

	fdt_handoff(test, w);
	fdt_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	skb_frag_destructor_put(&w->destructor);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	/* refcount_t saw the underflow: it warned and saturated. */
	KUNIT_EXPECT_EQ(test, refcount_read(&w->destructor.ref),
			(unsigned int)REFCOUNT_SATURATED);
	skb_frag_destructor_put(&w->destructor);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	/* A get after the end revives nothing either. */
	skb_frag_destructor_get(&w->destructor);
	skb_frag_destructor_put(&w->destructor);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	KUNIT_EXPECT_EQ(test, refcount_read(&w->destructor.ref),
			(unsigned int)REFCOUNT_SATURATED);
	fdt_expect_untouched(test, w);
}

/*
 * Allocation failures on the copy paths.  Each operation runs once with
 * the first fault point on its way failed, once with the second, and so
 * on (current->fail_nth, what /proc/<pid>/fail-nth sets), until a run
 * gets through without reaching the armed point.  Whatever the operation
 * made of the skb is freed again: after every run the callback has fired
 * exactly once and the page's refcount is untouched.  GFP_ATOMIC, because
 * failslab leaves allocations that may reclaim alone by default.
 */
enum fdt_fault_op {
	FDT_FAULT_EXPAND_HEAD,
	FDT_FAULT_PSKB_COPY,
	FDT_FAULT_SKB_COPY,
	FDT_FAULT_PULL_TAIL,
	FDT_FAULT_SEGMENT,
	FDT_FAULT_SEGMENT_NO_SG,
	FDT_FAULT_ORPHAN_RX,
};

struct fdt_fault_param {
	const char *name;
	enum fdt_fault_op op;
};

static const struct fdt_fault_param fdt_fault_params[] = {
	{ "pskb_expand_head", FDT_FAULT_EXPAND_HEAD },
	{ "pskb_copy", FDT_FAULT_PSKB_COPY },
	{ "skb_copy", FDT_FAULT_SKB_COPY },
	{ "__pskb_pull_tail", FDT_FAULT_PULL_TAIL },
	{ "skb_segment", FDT_FAULT_SEGMENT },
	{ "skb_segment_no_sg", FDT_FAULT_SEGMENT_NO_SG },
	{ "skb_orphan_frags_rx", FDT_FAULT_ORPHAN_RX },
};

static void fdt_fault_desc(const struct fdt_fault_param *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fdt_fault, fdt_fault_params, fdt_fault_desc);

#define FDT_FAULT_MAX_POINTS	64

#ifdef CONFIG_FAULT_INJECTION
static void fdt_fail_nth_set(unsigned int nth)
{
	WRITE_ONCE(current->fail_nth, nth);
}

static unsigned int fdt_fail_nth_get(void)
{
	return READ_ONCE(current->fail_nth);
}
#else
static void fdt_fail_nth_set(unsigned int nth)
{
}

static unsigned int fdt_fail_nth_get(void)
{
	return 0;
}
#endif

/* Free a list of segments, checking their bytes. */
static void fdt_fault_free_segs(struct kunit *test, struct sk_buff *segs,
				struct fdt_wrapper *w)
{
	struct sk_buff *next;
	int i;

	for (i = 0; segs; segs = next, i++) {
		next = segs->next;
		fdt_track(test, segs);
		fdt_check(test, segs, 8, fdt_page_data(w, i * FDT_GSO_SIZE),
			  FDT_GSO_SIZE);
		fdt_free(test, segs);
	}
	KUNIT_EXPECT_EQ(test, i, 3);
}

/*
 * Run @op on @skb and free what it made; false if it failed.  Only the
 * operation itself runs with the fault point armed.
 */
static bool fdt_fault_run(struct kunit *test, enum fdt_fault_op op,
			  struct sk_buff *skb, struct fdt_wrapper *w,
			  unsigned int nth, unsigned int *left)
{
	unsigned int len = skb->len;
	struct sk_buff *out = NULL;
	bool ok = false;

	fdt_fail_nth_set(nth);
	switch (op) {
	case FDT_FAULT_EXPAND_HEAD:
	case FDT_FAULT_PULL_TAIL:
	case FDT_FAULT_ORPHAN_RX:
		/* A clone, so that the frags must be shared by reference. */
		out = skb_clone(skb, GFP_ATOMIC);
		ok = !!out;
		if (!ok)
			break;
		if (op == FDT_FAULT_EXPAND_HEAD)
			ok = !pskb_expand_head(out, 0, 0, GFP_ATOMIC);
		else if (op == FDT_FAULT_PULL_TAIL)
			ok = __pskb_pull_tail(out, 500);
		else	/* local delivery copies the wrapped frags */
			ok = !skb_orphan_frags_rx(out, GFP_ATOMIC);
		break;
	case FDT_FAULT_PSKB_COPY:
		out = pskb_copy(skb, GFP_ATOMIC);
		ok = !!out;
		break;
	case FDT_FAULT_SKB_COPY:
		out = skb_copy(skb, GFP_ATOMIC);
		ok = !!out;
		break;
	case FDT_FAULT_SEGMENT:
	case FDT_FAULT_SEGMENT_NO_SG:
		out = skb_segment(skb, op == FDT_FAULT_SEGMENT ?
				  NETIF_F_SG | NETIF_F_HW_CSUM : 0);
		ok = !IS_ERR(out);
		if (!ok)
			out = NULL;
		break;
	}
	*left = fdt_fail_nth_get();
	fdt_fail_nth_set(0);

	if (op == FDT_FAULT_SEGMENT || op == FDT_FAULT_SEGMENT_NO_SG) {
		if (ok)
			fdt_fault_free_segs(test, out, w);
		return ok;
	}
	if (!out)
		return false;
	fdt_track(test, out);
	/* The bytes of a successful copy, or of a clone left as it was. */
	fdt_check(test, out, FDT_LINEAR, fdt_page_data(w, 0),
		  len - FDT_LINEAR);
	fdt_free(test, out);
	return ok;
}

static void fdt_test_alloc_failure(struct kunit *test)
{
	const struct fdt_fault_param *p = test->param_value;
	bool segment = p->op == FDT_FAULT_SEGMENT ||
		       p->op == FDT_FAULT_SEGMENT_NO_SG;
	struct page *page = fdt_page(test, 27);
	unsigned int nth, left = 0, failed = 0;

	if (!IS_ENABLED(CONFIG_FAILSLAB))
		kunit_skip(test, "needs CONFIG_FAILSLAB");

	for (nth = 1; nth <= FDT_FAULT_MAX_POINTS; nth++) {
		struct fdt_wrapper *w = fdt_wrap(test, page);
		struct sk_buff *skb;

		if (segment) {
			skb = fdt_skb(test, 8, 0x11);
			fdt_gso_init(skb);
			fdt_add_frag(test, skb, w, 0, 1500);
			fdt_add_frag(test, skb, w, 1500, 1500);
		} else {
			skb = fdt_std_skb(test, w, 3, 1000);
		}
		fdt_handoff(test, w);

		if (!fdt_fault_run(test, p->op, skb, w, nth, &left))
			failed++;
		KUNIT_EXPECT_EQ(test, w->calls, 0);
		fdt_free(test, skb);
		KUNIT_EXPECT_EQ(test, w->calls, 1);
		fdt_expect_untouched(test, w);
		/* Not armed any more: the run passed all its fault points. */
		if (left)
			break;
	}
	kunit_info(test, "%s: %u fault points, %u runs failed\n", p->name,
		   nth - 1, failed);
	/* The loop ended with a run that reached no armed point ... */
	KUNIT_EXPECT_NE(test, left, 0);
	/* ... and the operation met at least one failure before it. */
	KUNIT_EXPECT_GT(test, failed, 0U);
}

static struct kunit_case fdt_cases[] = {
	KUNIT_CASE(fdt_test_free),
	KUNIT_CASE(fdt_test_creator_last),
	KUNIT_CASE(fdt_test_clone),
	KUNIT_CASE(fdt_test_pskb_copy),
	KUNIT_CASE(fdt_test_skb_copy),
	KUNIT_CASE(fdt_test_expand_head_clone),
	KUNIT_CASE(fdt_test_pull_whole_frag),
	KUNIT_CASE(fdt_test_pull_part_frag),
	KUNIT_CASE_PARAM(fdt_test_split, fdt_split_gen_params),
	KUNIT_CASE(fdt_test_shift_merge),
	KUNIT_CASE(fdt_test_shift_plain_neighbour),
	KUNIT_CASE_PARAM(fdt_test_try_coalesce, fdt_coalesce_gen_params),
	KUNIT_CASE(fdt_test_segment_frags),
	KUNIT_CASE(fdt_test_segment_frag_list),
	KUNIT_CASE(fdt_test_zerocopy),
	KUNIT_CASE(fdt_test_gro_receive),
	KUNIT_CASE(fdt_test_mixed),
	KUNIT_CASE(fdt_test_many_frags),
	KUNIT_CASE(fdt_test_pp_recycle),
	KUNIT_CASE(fdt_test_net_iov),
	KUNIT_CASE(fdt_test_coalesce_rules),
	KUNIT_CASE_PARAM(fdt_test_init_refused, fdt_init_gen_params),
	KUNIT_CASE(fdt_test_attach_refused),
	KUNIT_CASE(fdt_test_double_put),
	KUNIT_CASE_PARAM(fdt_test_alloc_failure, fdt_fault_gen_params),
	{}
};

static struct kunit_suite fdt_suite = {
	.name = "net_frag_destructor",
	.test_cases = fdt_cases,
};

kunit_test_suite(fdt_suite);

MODULE_DESCRIPTION("KUnit tests for skb fragment destructors");
MODULE_LICENSE("GPL");
