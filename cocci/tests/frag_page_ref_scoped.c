// SPDX-License-Identifier: GPL-2.0
/* References inside scoped_guard() are seen (cocci/frag_macros.h). */

static void under_lock(struct skb_shared_info *sh, spinlock_t *lock, int i)
{
	scoped_guard(spinlock, lock) {
		put_page(skb_frag_page(&sh->frags[i]));
	}
	scoped_guard(spinlock, lock)
		get_page(skb_frag_page(&sh->frags[i + 1]));
}
