// cocci-test-path: include/linux/skbuff_ref.h
/* The accessor definitions (base tree version): nothing happens here. */

static inline void __skb_frag_ref(skb_frag_t *frag)
{
	get_page(skb_frag_page(frag));
}

static inline void __skb_frag_unref(skb_frag_t *frag, bool recycle)
{
	skb_page_unref(skb_frag_netmem(frag), recycle);
}
