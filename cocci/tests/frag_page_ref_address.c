// SPDX-License-Identifier: GPL-2.0
/*
 * The page reached through skb_frag_address(): virt_to_head_page() is the
 * head page, maybe not skb_frag_page().  Reported only.
 */

static void head_of_address(skb_frag_t *frag)
{
	put_page(virt_to_head_page(skb_frag_address(frag)));
}

static void through_local(skb_frag_t *frag)
{
	void *va = skb_frag_address(frag);

	get_page(virt_to_page(va));
}
