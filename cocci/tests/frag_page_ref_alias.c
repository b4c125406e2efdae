// SPDX-License-Identifier: GPL-2.0
/* The skb or its shared info is pointed elsewhere in between: reported. */

static void alias_moves(struct sk_buff *skb, struct sk_buff *other, int i)
{
	struct skb_shared_info *sinfo = skb_shinfo(skb);
	struct page *page;

	page = skb_frag_page(&sinfo->frags[i]);
	sinfo = skb_shinfo(other);
	put_page(page);
}

static void skb_moves(struct sk_buff *skb, struct sk_buff *next)
{
	struct page *page = skb_frag_page(&skb_shinfo(skb)->frags[0]);

	skb = next;
	get_page(page);
}
