// SPDX-License-Identifier: GPL-2.0
/*
 * A fragment initialized from another's raw handle: converting the read
 * would drop the tag of the copy.  Reported only.
 */

static unsigned int clone_frag(const skb_frag_t *frag, skb_frag_t *out)
{
	skb_frag_t copy = {
		.netmem = frag->netmem,
		.len = frag->len,
		.offset = frag->offset,
	};

	*out = copy;
	return copy.len;
}

/* The handle itself in a plain local: a read, converted. */
static netmem_ref plain_local(const skb_frag_t *frag)
{
	netmem_ref n = frag->netmem;

	return n;
}
