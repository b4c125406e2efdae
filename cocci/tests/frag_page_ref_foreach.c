// SPDX-License-Identifier: GPL-2.0
/*
 * The pages of skb_frag_foreach_page() are pages of the fragment, not
 * always its first: a reference on one is reported, never converted.
 */

static void ref_each(skb_frag_t *frag)
{
	struct page *p;
	u32 p_off, p_len, copied;

	skb_frag_foreach_page(frag, skb_frag_off(frag), skb_frag_size(frag),
			      p, p_off, p_len, copied) {
		get_page(p);
	}
}
