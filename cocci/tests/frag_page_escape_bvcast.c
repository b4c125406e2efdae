// SPDX-License-Identifier: GPL-2.0
/*
 * KCM's kcm_write_msgs(): the frags array cast to bio_vecs (a raw cast,
 * not skb_frag_page()).  Reported; other casts are not.
 */

static void send_frags(struct sk_buff *skb, skb_frag_t *frags,
		       const struct bio_vec **bvp, void **other)
{
	*bvp = (const struct bio_vec *)skb_shinfo(skb)->frags;
	*bvp = (struct bio_vec *)frags;
	*other = (void *)skb_shinfo(skb)->frags;
	use_page(skb_frag_page(frags));
}
