// SPDX-License-Identifier: GPL-2.0
/*
 * The reference reached from the fetch only around a loop, or on a path
 * that branches: reported.
 */

static void previous(skb_frag_t *frags, int n)
{
	struct page *page = NULL;
	int i;

	for (i = 0; i < n; i++) {
		if (page)
			put_page(page);
		page = skb_frag_page(&frags[i]);
	}
}

static void branch(skb_frag_t *frag, bool keep)
{
	struct page *page = skb_frag_page(frag);

	if (keep)
		return;
	put_page(page);
}

static void loop_header(skb_frag_t *frag, int n)
{
	struct page *page;

	for (page = skb_frag_page(frag); n; n--)
		put_page(page);
}
