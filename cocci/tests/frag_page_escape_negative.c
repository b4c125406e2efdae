// SPDX-License-Identifier: GPL-2.0
/* Not a fragment's page, or not handed anywhere: nothing reported. */

static void negative(struct sk_buff *skb, struct bio *bio, struct bio_vec *bv,
		     struct scatterlist *sg, netmem_ref netmem,
		     struct page_frag *pfrag)
{
	skb_frag_t *frag = &skb_shinfo(skb)->frags[0];
	struct page *page;

	bio_add_page(bio, bv->bv_page, bv->bv_len, bv->bv_offset);
	get_page(bv->bv_page);
	sg_set_page(sg, pfrag->page, 100, pfrag->offset);
	skb_fill_netmem_desc(skb, 1, netmem, 0, 100);
	page = skb_frag_page(frag);
	memcpy(page_address(page), skb->data, 10);
	page = alloc_page(GFP_KERNEL);
	get_page(page);
	__skb_frag_ref(frag);
	__skb_frag_unref(frag, false);
}
