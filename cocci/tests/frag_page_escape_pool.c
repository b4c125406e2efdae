// SPDX-License-Identifier: GPL-2.0
/*
 * page_pool puts, XDP returns and frees of a fragment's page: the page
 * leaves the skb without the frag API (mvneta, fbnic, funeth, xdp.c).
 */

static void pool_puts(struct page_pool *pool, struct skb_shared_info *sinfo,
		      struct xdp_mem_info *mem, int i)
{
	struct page *page = skb_frag_page(&sinfo->frags[i]);

	page_pool_put_full_page(pool, skb_frag_page(&sinfo->frags[i]), true);
	page_pool_put_full_netmem(pool, skb_frag_netmem(&sinfo->frags[i]), false);
	__xdp_return(page_address(page), mem, false, NULL);
	__free_page(skb_frag_page(&sinfo->frags[i + 1]));
}
