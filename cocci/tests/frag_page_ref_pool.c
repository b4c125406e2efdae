// SPDX-License-Identifier: GPL-2.0
/*
 * page_pool and XDP returns of a fragment's page (mvneta, bnxt, fbnic,
 * net/core/xdp.c, filter.c): a wrapped page is not a page_pool page.
 * Reported only.
 */

static void mvneta_like(struct page_pool *pool, struct skb_shared_info *sinfo,
			int i)
{
	page_pool_put_full_page(pool, skb_frag_page(&sinfo->frags[i]), true);
}

static void fbnic_like(struct page_pool *pool, struct skb_shared_info *shinfo,
		       int nr_frags, int budget)
{
	struct page *page;

	page = skb_frag_page(&shinfo->frags[nr_frags]);
	page_pool_put_full_page(pool, page, !!budget);
}

static void netmem_forms(struct page_pool *pool, skb_frag_t *frag)
{
	page_pool_put_full_netmem(pool, skb_frag_netmem(frag), false);
	page_pool_recycle_direct(pool, skb_frag_page(frag));
	napi_pp_put_page(skb_frag_netmem(frag));
}

static void xdp_return_frags(struct xdp_buff *xdp, struct xdp_mem_info *mem)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_buff(xdp);
	int i;

	for (i = 0; i < sinfo->nr_frags; i++) {
		struct page *page = skb_frag_page(&sinfo->frags[i]);

		__xdp_return(page_address(page), mem, false, NULL);
	}
}
