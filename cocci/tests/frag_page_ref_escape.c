// SPDX-License-Identifier: GPL-2.0
/* References that belong to another user of the page: reported only. */

static int tls_push_record(struct sock *sk, struct tls_record_info *record,
			   struct scatterlist *sg_tx_data)
{
	skb_frag_t *frag;
	int i;

	for (i = 0; i < record->num_frags; i++) {
		frag = &record->frags[i];
		sg_unmark_end(&sg_tx_data[i]);
		sg_set_page(&sg_tx_data[i], skb_frag_page(frag),
			    skb_frag_size(frag), skb_frag_off(frag));
		sk_mem_charge(sk, skb_frag_size(frag));
		get_page(skb_frag_page(frag));
	}
	return 0;
}

static void release_rx_buf(struct sk_buff *skb, grant_ref_t ref)
{
	struct page *page;

	page = skb_frag_page(&skb_shinfo(skb)->frags[0]);
	get_page(page);
	gnttab_end_foreign_access(ref, page);
	kfree_skb(skb);
}

static void fill_other(struct sk_buff *nskb, skb_frag_t *frag)
{
	get_page(skb_frag_page(frag));
	skb_fill_page_desc(nskb, 0, skb_frag_page(frag), skb_frag_off(frag),
			   skb_frag_size(frag));
}
