// SPDX-License-Identifier: GPL-2.0
/* ++, --, compound assignments and &: stores, reported only. */

static void bump(skb_frag_t *frag, struct skb_shared_info *sh)
{
	frag->netmem++;
	--sh->frags[0].netmem;
	frag->netmem |= 2ul;
	sh->frags[1].netmem += PAGE_SIZE;
}

static netmem_ref *where(skb_frag_t *frag)
{
	return &frag->netmem;
}
