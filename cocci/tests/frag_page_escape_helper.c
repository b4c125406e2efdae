// SPDX-License-Identifier: GPL-2.0
/*
 * A helper of the same file that takes a page reference and fills another
 * skb with it (net/wireless/util.c's __frame_add_frag()): its callers that
 * pass a fragment's page are reported, directly or through a local.
 */

static void frame_add_frag(struct sk_buff *skb, struct page *page, void *ptr,
			   int len, int size)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	int page_offset;

	get_page(page);
	page_offset = ptr - page_address(page);
	skb_add_rx_frag(skb, sh->nr_frags, page, page_offset, len, size);
}

static void amsdu_copy_frag(struct sk_buff *skb, struct sk_buff *frame, int len)
{
	const skb_frag_t *frag = &skb_shinfo(skb)->frags[0];
	struct page *frag_page;

	frag_page = skb_frag_page(frag);
	frame_add_frag(frame, frag_page, skb_frag_address(frag), len, len);
	frame_add_frag(frame, skb_frag_page(frag + 1),
		       skb_frag_address(frag + 1), len, len);
}

/* The same helper with another page: nothing. */
static void linear_part(struct sk_buff *skb, struct sk_buff *frame, int len)
{
	frame_add_frag(frame, virt_to_head_page(skb->head), skb->data, len, len);
}
