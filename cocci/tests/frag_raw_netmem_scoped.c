// SPDX-License-Identifier: GPL-2.0
/* Code inside scoped_guard() is seen (cocci/frag_macros.h). */

static netmem_ref under_lock(struct sk_buff *skb, spinlock_t *lock, int i)
{
	netmem_ref n;

	scoped_guard(spinlock, lock) {
		n = skb_shinfo(skb)->frags[i].netmem;
		skb_shinfo(skb)->frags[i + 1].netmem = skb_shinfo(skb)->frags[i].netmem;
	}
	return n;
}
