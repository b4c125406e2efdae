// SPDX-License-Identifier: GPL-2.0
/* Comparisons, other stores and the address: reported, never changed. */

static bool same_handle(const skb_frag_t *a, struct sk_buff *skb, int i)
{
	return a->netmem == skb_shinfo(skb)->frags[i].netmem;
}

static bool other_handle(const skb_frag_t *a, const skb_frag_t *b)
{
	return a->netmem != b->netmem;
}

static void set_handle(skb_frag_t *frag, struct page *page)
{
	frag->netmem = page_to_netmem(page);
}

static netmem_ref *handle_ptr(skb_frag_t *frag)
{
	return &frag->netmem;
}
