// SPDX-License-Identifier: GPL-2.0
/* User mappings by pfn, by page array and by vmf. */

static int map_pfn(struct vm_area_struct *vma, unsigned long addr,
		   skb_frag_t *frag)
{
	if (remap_pfn_range(vma, addr, page_to_pfn(skb_frag_page(frag)),
			    PAGE_SIZE, 0))
		return -EINVAL;
	return vmf_insert_pfn(vma, addr + PAGE_SIZE,
			      page_to_pfn(skb_frag_page(frag + 1)));
}

static int map_pages(struct vm_area_struct *vma, struct sk_buff *skb,
		     struct page **pages)
{
	int i;

	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++)
		pages[i] = skb_frag_page(&skb_shinfo(skb)->frags[i]);
	return vm_map_pages(vma, pages, i);
}
