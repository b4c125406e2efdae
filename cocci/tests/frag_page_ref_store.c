// SPDX-License-Identifier: GPL-2.0
/*
 * The page is stored in a driver structure or a pipe buffer, or handed to
 * a helper that keeps it: the reference is that holder's, dropped later
 * with put_page() on the page, not a fragment reference.  Reported.
 */

struct rx_buf {
	struct page *page;
};

static void keep_in_ring(struct rx_buf *buf, skb_frag_t *frag)
{
	get_page(skb_frag_page(frag));
	buf->page = skb_frag_page(frag);
}

static void keep_local_in_ring(struct rx_buf *ring, skb_frag_t *frag, int i)
{
	struct page *page = skb_frag_page(frag);

	get_page(page);
	ring[i].page = page;
}

static void to_pipe(struct pipe_buffer *pbuf, skb_frag_t *frag)
{
	get_page(skb_frag_page(frag));
	*pbuf = (struct pipe_buffer){ .page = skb_frag_page(frag) };
}

static void to_helper(void *ring, skb_frag_t *frag)
{
	get_page(skb_frag_page(frag));
	driver_keep_page(ring, skb_frag_page(frag));
}

static void to_helper_by_address(struct scatterlist *sg, skb_frag_t *frag)
{
	get_page(skb_frag_page(frag));
	sg_set_buf(sg, skb_frag_address(frag), skb_frag_size(frag));
}

static void in_initializer(skb_frag_t *frag)
{
	struct bio_vec bv = { .bv_page = skb_frag_page(frag) };

	get_page(skb_frag_page(frag));
	use_page(bv.bv_page);
}
