// SPDX-License-Identifier: GPL-2.0
/* Designated initializers of a bio_vec or a pipe buffer. */

static void bvec_init(skb_frag_t *frag, struct bio *bio)
{
	struct bio_vec bv = {
		.bv_page = skb_frag_page(frag),
		.bv_len = skb_frag_size(frag),
		.bv_offset = skb_frag_off(frag),
	};

	__bio_add_page(bio, bv.bv_page, bv.bv_len, bv.bv_offset);
}

static void pipe_init(skb_frag_t *frag, struct pipe_buffer *out)
{
	struct page *page = skb_frag_page(frag);
	struct pipe_buffer buf = { .page = page, .len = skb_frag_size(frag) };

	*out = buf;
}

/* Not a fragment's page: nothing. */
static void other_init(struct page *page, struct pipe_buffer *out)
{
	struct pipe_buffer buf = { .page = page };

	*out = buf;
}
