// SPDX-License-Identifier: GPL-2.0
/* References taken or dropped directly on a fragment's page. */

static void lro_merge(struct sk_buff *hskb, struct sk_buff *skb, int idx)
{
	struct skb_shared_info *hssi = skb_shinfo(hskb);
	struct skb_shared_info *ssi = skb_shinfo(skb);
	u8 hfrag_idx = hssi->nr_frags;

	memcpy(&hssi->frags[hfrag_idx], &ssi->frags[idx], sizeof(skb_frag_t));
	get_page(skb_frag_page(&hssi->frags[hfrag_idx]));
	hssi->nr_frags++;
}

static void lro_reset(struct sk_buff *skb)
{
	struct skb_shared_info *ssi = skb_shinfo(skb);
	u8 i;

	for (i = 0; i < ssi->nr_frags; i++)
		put_page(skb_frag_page(&ssi->frags[i]));
	ssi->nr_frags = 0;
}

static void other_forms(struct sk_buff *skb, skb_frag_t *frag)
{
	folio_get(page_folio(skb_frag_page(frag)));
	folio_put(page_folio(skb_frag_page(frag)));
	get_page(netmem_to_page(skb_frag_netmem(frag)));
	put_page(netmem_to_page(skb_frag_netmem(frag)));
	get_netmem(skb_frag_netmem(frag));
	put_netmem(skb_frag_netmem(frag));
	skb_page_unref(skb_frag_netmem(frag), skb->pp_recycle);
}

/* Raw and page_pool counts, and a reference on another page: reported. */
static void not_converted(struct sk_buff *skb, skb_frag_t *frag, int n)
{
	page_ref_inc(skb_frag_page(frag));
	page_ref_add(skb_frag_page(frag), n - 1);
	page_ref_dec(skb_frag_page(frag));
	page_pool_ref_netmem(skb_frag_netmem(frag));
	napi_pp_put_page(skb_frag_netmem(frag));
	get_page(compound_head(skb_frag_page(frag)));
}
