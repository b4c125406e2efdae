// SPDX-License-Identifier: GPL-2.0
/* References through a local set from the accessors. */

static void put_xdp_frags(struct xdp_buff *xdp)
{
	struct skb_shared_info *shinfo;
	struct page *xdp_page;
	int i;

	if (xdp_buff_has_frags(xdp)) {
		shinfo = xdp_get_shared_info_from_buff(xdp);
		for (i = 0; i < shinfo->nr_frags; i++) {
			xdp_page = skb_frag_page(&shinfo->frags[i]);
			put_page(xdp_page);
		}
	}
}

static void hold_frag(skb_frag_t *frag)
{
	struct page *page = skb_frag_page(frag);

	get_page(page);
}

static void drop_netmem(skb_frag_t *frag)
{
	netmem_ref netmem;

	netmem = skb_frag_netmem(frag);
	put_netmem(netmem);
}

/* The local has other uses: reported, not converted. */
static void *hold_and_map(skb_frag_t *frag)
{
	struct page *page = skb_frag_page(frag);

	get_page(page);
	return page_address(page) + skb_frag_off(frag);
}
