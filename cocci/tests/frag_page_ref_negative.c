// SPDX-License-Identifier: GPL-2.0
/* Pages that are not a fragment's: nothing to do. */

static void not_frags(struct bio_vec *bv, struct page *page, netmem_ref netmem,
		      struct page_frag *pfrag, skb_frag_t *frag)
{
	struct page *p = alloc_page(GFP_KERNEL);

	get_page(bv->bv_page);
	put_page(page);
	put_netmem(netmem);
	get_page(pfrag->page);
	page_ref_inc(p);
	p = skb_frag_page(frag);
	p = alloc_page(GFP_ATOMIC);
	put_page(p);
}
