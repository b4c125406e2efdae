// SPDX-License-Identifier: GPL-2.0
/*
 * Not part of the series: a probe for the benchmarks in bench/.  It asks
 * the running kernel what __alloc_skb() really allocates for each linear
 * size, so that the layouts can be compared on the allocator's own buckets
 * rather than on paper.  scripts/bench-heads.sh copies it into a tree.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

static void skb_head_probe_sizes(struct kunit *test)
{
	unsigned int size;

	kunit_info(test, "probe-sizes skb_frag_t=%zu skb_shared_info=%zu sk_buff=%zu\n",
		   sizeof(skb_frag_t), sizeof(struct skb_shared_info),
		   sizeof(struct sk_buff));

	for (size = 0; size <= 4096; size += 8) {
		struct sk_buff *skb = alloc_skb(size, GFP_KERNEL);
		size_t got;

		KUNIT_ASSERT_NOT_NULL(test, skb);
		got = ksize(skb->head);
		/* The head holds the data asked for and the shared info. */
		KUNIT_EXPECT_GE(test, got, (size_t)size + sizeof(struct skb_shared_info));
		kunit_info(test, "probe-head %u %zu %u\n", size, got,
			   skb_end_offset(skb));
		kfree_skb(skb);
	}
}

static struct kunit_case skb_head_probe_cases[] = {
	KUNIT_CASE(skb_head_probe_sizes),
	{}
};

static struct kunit_suite skb_head_probe_suite = {
	.name = "net_skb_head_probe",
	.test_cases = skb_head_probe_cases,
};
kunit_test_suite(skb_head_probe_suite);

MODULE_DESCRIPTION("skb head allocation size probe (benchmark only)");
MODULE_LICENSE("GPL");
