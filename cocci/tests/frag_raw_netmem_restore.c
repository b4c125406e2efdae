// SPDX-License-Identifier: GPL-2.0
/*
 * A handle saved and stored back: converting the read would store the
 * wrapped page back without its tag.  Every access of a function that
 * writes a handle is reported, none converted.
 */

static void save_restore(skb_frag_t *frag, netmem_ref tmp)
{
	netmem_ref saved = frag->netmem;

	frag->netmem = tmp;
	do_something(frag);
	frag->netmem = saved;
}

static void rotate(struct sk_buff *skb)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	netmem_ref first = sh->frags[0].netmem;

	sh->frags[0].netmem = sh->frags[1].netmem;
	sh->frags[1].netmem = first;
}

/* Reads alone, in a function that writes nothing: converted. */
static netmem_ref read_only(skb_frag_t *frag)
{
	netmem_ref saved = frag->netmem;

	do_something(frag);
	return saved;
}
