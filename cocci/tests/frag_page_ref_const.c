// SPDX-License-Identifier: GPL-2.0
/*
 * A fragment reached through a const pointer: __skb_frag_ref() and
 * __skb_frag_unref() take a non-const one, so the conversion would not
 * build.  Reported only; the same code on a non-const fragment converts.
 */

static void const_frags(const skb_frag_t *frag,
			const struct skb_shared_info *sh, int i)
{
	struct page *page = skb_frag_page(&sh->frags[i + 1]);

	get_page(skb_frag_page(frag));
	put_page(skb_frag_page(&sh->frags[i]));
	put_page(page);
}

static void plain_frags(skb_frag_t *frag, struct skb_shared_info *sh, int i)
{
	get_page(skb_frag_page(frag));
	put_page(skb_frag_page(&sh->frags[i]));
}
