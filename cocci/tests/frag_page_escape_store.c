// SPDX-License-Identifier: GPL-2.0
/* Stores into pipe buffers, bio_vecs and arrays of pages. */

static int zerocopy(struct sk_buff *skb, struct vm_area_struct *vma,
		    unsigned long address, struct page **pages)
{
	const skb_frag_t *frags = skb_shinfo(skb)->frags;
	unsigned long pages_to_map = 0;
	struct page *page;

	page = skb_frag_page(frags);
	pages[pages_to_map++] = page;
	return vm_insert_pages(vma, address, pages, &pages_to_map);
}

static void to_pipe(struct pipe_buffer *buf, struct bio_vec *bv,
		    struct bio_vec bvec, skb_frag_t *frag)
{
	buf->page = skb_frag_page(frag);
	bv->bv_page = skb_frag_page(frag);
	bvec.bv_page = skb_frag_page(frag);
}
