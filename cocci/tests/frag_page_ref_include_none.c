// SPDX-License-Identifier: GPL-2.0
/*
 * Negative: nothing is converted (a bio_vec's page, a raw page count), so
 * no include is added even though an anchor is there.
 */
#include <linux/skbuff.h>

static void bvec(struct bio_vec *bv)
{
	get_page(bv->bv_page);
}

static void raw(skb_frag_t *frag)
{
	page_ref_inc(skb_frag_page(frag));
}
