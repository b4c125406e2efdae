// SPDX-License-Identifier: GPL-2.0
/*
 * A file that gains __skb_frag_ref() or __skb_frag_unref() gets
 * <linux/skbuff_ref.h>, once, after the first anchor include it has.
 */
#include <linux/workqueue.h>
#include <net/tcp.h>
#include <linux/netdevice.h>
#include "driver.h"

static void put_xdp_frags(struct skb_shared_info *shinfo)
{
	struct page *xdp_page;
	int i;

	for (i = 0; i < shinfo->nr_frags; i++) {
		xdp_page = skb_frag_page(&shinfo->frags[i]);
		put_page(xdp_page);
	}
}

static void lro_merge(struct skb_shared_info *hssi, int idx)
{
	get_page(skb_frag_page(&hssi->frags[idx]));
}
