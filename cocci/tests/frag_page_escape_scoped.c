// SPDX-License-Identifier: GPL-2.0
/* Inside scoped_guard() (cocci/frag_macros.h). */

static void under_lock(struct sk_buff *nskb, skb_frag_t *frag, spinlock_t *lock)
{
	scoped_guard(spinlock, lock) {
		skb_fill_page_desc(nskb, 0, skb_frag_page(frag), 0, 100);
	}
}
