// SPDX-License-Identifier: GPL-2.0
/* Reads of the raw handle become skb_frag_netmem(). */

static int skb_pp_frag_ref(struct sk_buff *skb)
{
	struct skb_shared_info *shinfo;
	netmem_ref head_netmem;
	int i;

	shinfo = skb_shinfo(skb);
	for (i = 0; i < shinfo->nr_frags; i++) {
		head_netmem = netmem_compound_head(shinfo->frags[i].netmem);
		if (likely(netmem_is_pp(head_netmem)))
			page_pool_ref_netmem(head_netmem);
		else
			page_ref_inc(netmem_to_page(head_netmem));
	}
	return 0;
}

static bool frag_is_iov(const skb_frag_t *frag, struct skb_frag *other)
{
	return netmem_is_net_iov(frag->netmem) ||
	       netmem_is_net_iov(other->netmem);
}

static netmem_ref first_netmem(struct sk_buff *skb)
{
	return skb_shinfo(skb)->frags[0].netmem;
}

static netmem_ref copy_netmem(const skb_frag_t *frag)
{
	skb_frag_t local = *frag;

	return local.netmem;
}

/* Not fragments: left alone. */
struct pp_entry {
	unsigned long netmem;
};

static void not_frags(struct pp_entry *e, struct bio_vec *bv, netmem_ref n,
		      skb_frag_t *to, const skb_frag_t *from)
{
	e->netmem = (unsigned long)n;
	bv->bv_page = netmem_to_page(n);
	*to = *from;
}
