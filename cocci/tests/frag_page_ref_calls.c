// SPDX-License-Identifier: GPL-2.0
/*
 * A call between the fetch and the reference may refill, pull, trim or
 * free the fragments: the page may no longer be the fragment's.  Reported.
 * Only a few pure calls (skb_frag_size(), page_address(), ...) may stand
 * there, and then the reference is converted.
 */

static void refilled(skb_frag_t *frag, struct page *other)
{
	struct page *page = skb_frag_page(frag);

	skb_frag_fill_page_desc(frag, other, 0, 100);
	put_page(page);
}

static void pulled(struct sk_buff *skb)
{
	struct page *page = skb_frag_page(&skb_shinfo(skb)->frags[0]);

	__pskb_pull_tail(skb, 100);
	put_page(page);
}

static void trimmed(struct sk_buff *skb, unsigned int len)
{
	struct page *page = skb_frag_page(&skb_shinfo(skb)->frags[1]);

	if (pskb_trim(skb, len))
		return;
	get_page(page);
}

static void consumed(struct sk_buff *skb)
{
	struct page *page = skb_frag_page(&skb_shinfo(skb)->frags[0]);

	consume_skb(skb);
	get_page(page);
}

static void through_helper(skb_frag_t *frag)
{
	struct page *page = skb_frag_page(frag);

	refill(frag);
	put_page(page);
}

static void store_between(skb_frag_t *frag, skb_frag_t *other)
{
	struct page *page = skb_frag_page(frag);

	other->len = 0;
	put_page(page);
}

/* Pure calls and plain locals in between: converted. */
static unsigned int pure_between(skb_frag_t *frag)
{
	unsigned int len;
	struct page *page = skb_frag_page(frag);

	len = skb_frag_size(frag) + skb_frag_off(frag);
	put_page(page);
	return len;
}
