// SPDX-License-Identifier: GPL-2.0
/* Casts look at the handle's bits (the tag): reported only. */

static bool tagged(const skb_frag_t *frag)
{
	return (unsigned long)frag->netmem & 2ul;
}

static void *as_pointer(struct skb_shared_info *sh, int i)
{
	return (void *)sh->frags[i].netmem;
}
