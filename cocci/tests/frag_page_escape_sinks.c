// SPDX-License-Identifier: GPL-2.0
/* A fragment's page handed to something that can outlive the skb. */

static void sinks(struct sk_buff *skb, struct sk_buff *nskb, skb_frag_t *frag,
		  struct bio *bio, struct scatterlist *sg, struct sk_msg *msg,
		  struct vm_area_struct *vma, unsigned long addr,
		  struct splice_pipe_desc *spd, struct pipe_inode_info *pipe)
{
	struct bio_vec bvec;

	skb_fill_page_desc(nskb, 0, skb_frag_page(frag), 0, 100);
	skb_add_rx_frag(nskb, 1, skb_frag_page(frag), 0, 100, PAGE_SIZE);
	skb_fill_netmem_desc(nskb, 2, skb_frag_netmem(frag), 0, 100);
	skb_frag_fill_page_desc(&skb_shinfo(nskb)->frags[3], skb_frag_page(frag),
				0, 100);
	__splice_segment(skb_frag_page(frag), 0, 100, NULL, NULL, skb, spd,
			 true, skb->sk, pipe);
	spd_fill_page(spd, pipe, skb_frag_page(frag), NULL, 0, false, skb->sk);
	vm_insert_page(vma, addr, skb_frag_page(frag));
	bio_add_page(bio, skb_frag_page(frag), skb_frag_size(frag),
		     skb_frag_off(frag));
	sg_set_page(sg, skb_frag_page(frag), skb_frag_size(frag),
		    skb_frag_off(frag));
	sk_msg_page_add(msg, skb_frag_page(frag), skb_frag_size(frag),
			skb_frag_off(frag));
	bvec_set_page(&bvec, skb_frag_page(frag), skb_frag_size(frag),
		      skb_frag_off(frag));
	get_page(skb_frag_page(frag));
	put_netmem(skb_frag_netmem(frag));
}

int __skb_to_sgvec(struct sk_buff *skb, struct scatterlist *sg, int offset,
		   int len, int recursion_level)
{
	skb_frag_t *frag = &skb_shinfo(skb)->frags[0];

	sg_set_page(&sg[0], skb_frag_page(frag), len, skb_frag_off(frag));
	return 1;
}
