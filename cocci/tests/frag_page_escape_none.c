// SPDX-License-Identifier: GPL-2.0
/* The new sinks with pages that are not a fragment's: nothing reported. */

static int not_frags(struct vm_area_struct *vma, struct scatterlist *sg,
		     struct page *page, void *buf, struct page_pool *pool,
		     skb_frag_t *frag)
{
	sg_set_buf(sg, buf, 100);
	page_pool_put_full_page(pool, page, false);
	__free_page(alloc_page(GFP_KERNEL));
	memcpy(buf, skb_frag_address(frag), skb_frag_size(frag));
	return remap_pfn_range(vma, 0, page_to_pfn(page), PAGE_SIZE, 0);
}
