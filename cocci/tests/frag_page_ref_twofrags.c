// SPDX-License-Identifier: GPL-2.0
/*
 * A local set from two fragments: on some path the reference is on the
 * other one.  Reported, and spatch does not stop on the file.
 */

static void either(struct skb_shared_info *sh, bool second)
{
	struct page *page;

	page = skb_frag_page(&sh->frags[0]);
	if (second)
		page = skb_frag_page(&sh->frags[1]);
	put_page(page);
}

static void in_loop(struct skb_shared_info *sh)
{
	struct page *page = skb_frag_page(&sh->frags[0]);
	int i;

	for (i = 1; i < sh->nr_frags; i++) {
		put_page(page);
		page = skb_frag_page(&sh->frags[i]);
	}
}

/* One after the other, each used once right away: both converted. */
static void one_after_the_other(struct skb_shared_info *sh)
{
	struct page *page;

	page = skb_frag_page(&sh->frags[0]);
	put_page(page);
	page = skb_frag_page(&sh->frags[1]);
	put_page(page);
}
