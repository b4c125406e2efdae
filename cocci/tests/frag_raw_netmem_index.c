// SPDX-License-Identifier: GPL-2.0
/*
 * An element of an array of fragments keeps its index (ptr_to_array would
 * turn frags[i].netmem into skb_frag_netmem(frags), fragment 0).
 */

static netmem_ref nth_handle(skb_frag_t *frags, int i)
{
	return frags[i].netmem;
}

static void copy_nth(skb_frag_t *to, const skb_frag_t *from, int i, int j)
{
	to[j].netmem = from[i].netmem;
}

static netmem_ref nth_of_array(struct sk_buff *skb, int i)
{
	skb_frag_t frags[MAX_SKB_FRAGS];

	frags[i + 1] = skb_shinfo(skb)->frags[i];
	return frags[i + 1].netmem;
}

static netmem_ref first(skb_frag_t *frags)
{
	return frags->netmem;
}
