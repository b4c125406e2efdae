// SPDX-License-Identifier: GPL-2.0
/*
 * The cursor or the index moves between the fetch and the reference:
 * converting would take the reference on the next fragment.  Reported.
 */

static void cursor_moves(skb_frag_t *frag)
{
	struct page *page;

	page = skb_frag_page(frag);
	frag++;
	put_page(page);
}

static void index_moves(struct skb_shared_info *sh, int i)
{
	struct page *page = skb_frag_page(&sh->frags[i]);

	i += 1;
	get_page(page);
}

static void index_incremented(struct skb_shared_info *sh)
{
	int i = 0;
	netmem_ref netmem;

	netmem = skb_frag_netmem(&sh->frags[i]);
	i++;
	put_netmem(netmem);
}

static void side_effect(skb_frag_t *frags, int i)
{
	struct page *page = skb_frag_page(&frags[i++]);

	put_page(page);
}
