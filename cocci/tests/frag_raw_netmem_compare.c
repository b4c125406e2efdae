// SPDX-License-Identifier: GPL-2.0
/*
 * A raw handle compared with an accessor's result, a constant or another
 * handle: the conversion would change what is compared.  Reported only;
 * a truth test is the same on the accessor and is converted.
 */

static bool same_as_accessor(const skb_frag_t *f, const skb_frag_t *g)
{
	return f->netmem == skb_frag_netmem(g);
}

static bool is_page(const skb_frag_t *f, struct page *page)
{
	return page_to_netmem(page) != f->netmem;
}

static bool ordered(struct sk_buff *skb, int i)
{
	return skb_shinfo(skb)->frags[i].netmem < skb_shinfo(skb)->frags[i + 1].netmem;
}

static bool empty(const skb_frag_t *f)
{
	return !f->netmem;
}
