// SPDX-License-Identifier: GPL-2.0
/* The page reached through skb_frag_address(), into a scatterlist. */

static void sg_of_address(struct scatterlist *sg, skb_frag_t *frag)
{
	void *va = skb_frag_address(frag);

	sg_set_buf(sg, skb_frag_address(frag), skb_frag_size(frag));
	sg_set_buf(sg + 1, va, skb_frag_size(frag));
}

static void head_page(struct sk_buff *skb, skb_frag_t *frag)
{
	skb_add_rx_frag(skb, 0, virt_to_head_page(skb_frag_address(frag)), 0,
			skb_frag_size(frag), PAGE_SIZE);
}
