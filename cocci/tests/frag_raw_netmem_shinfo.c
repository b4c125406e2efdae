// SPDX-License-Identifier: GPL-2.0
/*
 * Fragments of a struct skb_shared_info reached every typed way: a pointer,
 * a value, skb_shinfo(), xdp_get_shared_info_from_buff/frame().
 */

static netmem_ref xdp_first(struct xdp_buff *xdp, struct xdp_frame *xdpf)
{
	return xdp_get_shared_info_from_buff(xdp)->frags[0].netmem |
	       xdp_get_shared_info_from_frame(xdpf)->frags[1].netmem;
}

static netmem_ref by_value(struct skb_shared_info sinfo, int i)
{
	return sinfo.frags[i].netmem;
}

static void move_last(struct sk_buff *to, struct xdp_buff *xdp, int n)
{
	struct skb_shared_info *sinfo = xdp_get_shared_info_from_buff(xdp);

	skb_shinfo(to)->frags[n].netmem = sinfo->frags[n - 1].netmem;
}
