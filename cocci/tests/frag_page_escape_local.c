// SPDX-License-Identifier: GPL-2.0
/* Through locals, and expressions that stay in the same page. */

static void locals(struct sk_buff *skb, struct bio *bio, struct scatterlist *sg,
		   unsigned int offset)
{
	skb_frag_t *f = &skb_shinfo(skb)->frags[0];
	struct page *page = skb_frag_page(f);
	netmem_ref netmem = skb_frag_netmem(f);
	struct page *p2;

	p2 = netmem_to_page(netmem);
	bio_add_page(bio, page, 100, 0);
	sg_set_page(sg, page + (offset >> PAGE_SHIFT), 100, 0);
	sg_set_page(sg, nth_page(skb_frag_page(f), 1), 100, 0);
	__bio_add_page(bio, p2, 100, 0);
	if (offset)
		page = alloc_page(GFP_KERNEL);
	get_page(page);
}
