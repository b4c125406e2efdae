// SPDX-License-Identifier: GPL-2.0
/* Copies of the handle between fragments become skb_frag_page_copy(). */

static void move_frag(struct sk_buff *to, struct sk_buff *from, int i, int j)
{
	skb_frag_t *fragto = &skb_shinfo(to)->frags[j];
	const skb_frag_t *fragfrom = &skb_shinfo(from)->frags[i];

	fragto->netmem = fragfrom->netmem;
	skb_shinfo(to)->frags[j + 1].netmem = fragfrom->netmem;
	fragto->netmem = skb_shinfo(from)->frags[i + 1].netmem;
	__skb_frag_ref(fragto);
}

static void copy_value(skb_frag_t *fragto, struct skb_frag frag)
{
	skb_frag_t tmp;

	tmp.netmem = frag.netmem;
	fragto->netmem = tmp.netmem;
}
