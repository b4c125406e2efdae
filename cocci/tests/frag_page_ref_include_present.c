// SPDX-License-Identifier: GPL-2.0
/* A file that already includes <linux/skbuff_ref.h> does not get it twice. */
#include <linux/skbuff.h>
#include <linux/skbuff_ref.h>
#include <net/tcp.h>

static void unwind(skb_frag_t *frags, int n)
{
	int j;

	for (j = 0; j < n; j++)
		put_page(skb_frag_page(&frags[j]));
}
