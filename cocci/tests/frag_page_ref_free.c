// SPDX-License-Identifier: GPL-2.0
/*
 * Freeing a fragment's page, raw refcount tests and reads: never a frag
 * reference.  Reported only.
 */

static void free_frags(skb_frag_t *frags, int n)
{
	int i;

	for (i = 0; i < n; i++)
		__free_page(skb_frag_page(frags + i));
}

static bool raw_counts(skb_frag_t *frag)
{
	struct page *page = skb_frag_page(frag);

	if (page_ref_dec_and_test(skb_frag_page(frag)))
		return true;
	if (put_page_testzero(skb_frag_page(frag)))
		return true;
	if (!get_page_unless_zero(skb_frag_page(frag)))
		return false;
	return page_count(page) == 1;
}

static void folio_forms(skb_frag_t *frag, int n)
{
	folio_get(page_folio(skb_frag_page(frag)));
	folio_put_refs(page_folio(skb_frag_page(frag)), n);
}
