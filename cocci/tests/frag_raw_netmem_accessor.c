// cocci-test-path: include/linux/skbuff.h
/* The accessor definitions own the raw handle: nothing happens here. */

static inline bool skb_frag_has_destructor(const skb_frag_t *frag)
{
	return (__force unsigned long)frag->netmem & SKB_FRAG_DESTRUCTOR;
}

static inline netmem_ref skb_frag_netmem(const skb_frag_t *frag)
{
	unsigned long handle = (__force unsigned long)frag->netmem;

	if (unlikely(handle & SKB_FRAG_DESTRUCTOR))
		return page_to_netmem(__skb_frag_handle_destructor(handle)->page);

	return frag->netmem;
}

static inline void skb_frag_page_copy(skb_frag_t *fragto,
				      const skb_frag_t *fragfrom)
{
	fragto->netmem = fragfrom->netmem;
}

static inline bool skb_frag_can_coalesce(const skb_frag_t *prev,
					 const skb_frag_t *frag)
{
	return prev->netmem == frag->netmem &&
	       skb_frag_off(frag) == skb_frag_off(prev) + skb_frag_size(prev);
}
