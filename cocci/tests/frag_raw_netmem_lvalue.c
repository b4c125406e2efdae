// SPDX-License-Identifier: GPL-2.0
/*
 * The handle as an lvalue: READ_ONCE(), WRITE_ONCE(), swap(), xchg() need
 * the field itself.  Reported, nothing converted in these functions.
 */

static netmem_ref read_once(skb_frag_t *a)
{
	return READ_ONCE(a->netmem);
}

static void write_once(skb_frag_t *b, netmem_ref n)
{
	WRITE_ONCE(b->netmem, n);
}

static void swap_handles(skb_frag_t *a, skb_frag_t *b)
{
	swap(a->netmem, b->netmem);
}

static netmem_ref exchange(struct skb_shared_info *sh, int i, netmem_ref n)
{
	netmem_ref old = sh->frags[i].netmem;

	use(xchg(&sh->frags[i].netmem, n));
	return old;
}
