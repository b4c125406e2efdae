// SPDX-License-Identifier: GPL-2.0
/*
 * A copy that is not a statement of its own cannot become
 * skb_frag_page_copy() (void): reported, and it taints the function.
 */

static netmem_ref chained(skb_frag_t *to, const skb_frag_t *from)
{
	netmem_ref n;

	n = (to->netmem = from->netmem);
	return n;
}

static bool copied_and_tested(skb_frag_t *to, const skb_frag_t *from)
{
	if ((to->netmem = from->netmem))
		return true;
	return false;
}
