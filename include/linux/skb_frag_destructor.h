/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Destructors for pages handed to the network stack as skb fragments.
 */
#ifndef _LINUX_SKB_FRAG_DESTRUCTOR_H
#define _LINUX_SKB_FRAG_DESTRUCTOR_H

#include <linux/refcount.h>
#include <linux/types.h>

struct bio_vec;
struct page;

/**
 * struct skb_frag_destructor - a page whose release by the stack is reported
 * @ref: references on the wrapper.  The creator holds one from
 *	skb_frag_destructor_init(); every fragment that points at the
 *	wrapper holds one more.
 * @page: the wrapped page.  The network stack never takes or drops a
 *	reference on it while it is wrapped: the creator owns it.
 * @destroy: called exactly once, when the last reference is dropped.
 *
 * A fragment whose page handle has %SKB_FRAG_DESTRUCTOR set points at one
 * of these instead of at a page.  The creator embeds the wrapper in its
 * own object and gets back to that object with container_of() in
 * @destroy; one wrapper wraps one page.
 *
 * Context: @destroy runs wherever the last reference is dropped: in
 * process context, in softirq context (TX completion, TCP ACK processing,
 * timers) or with bottom halves disabled, on any CPU.  It must not sleep.
 * It may also run synchronously inside the creator's own calls into the
 * stack (sendmsg, kfree_skb(), skb_frag_destructor_put()), so it must not
 * take a lock the creator holds around those calls, and locks it shares
 * with process context need the _bh variants.  When it runs, no skb refers
 * to @page any more and the creator may reuse or free the page and the
 * wrapper.
 */
struct skb_frag_destructor {
	refcount_t ref;
	struct page *page;
	void (*destroy)(struct skb_frag_destructor *destructor);
} __aligned(4);

/**
 * struct msg_frag_destructors - page wrappers for a MSG_SPLICE_PAGES send
 * @bvec: the bio_vec array the message's ITER_BVEC iterator was set up on
 * @destructors: one wrapper per element of @bvec: @destructors[i] wraps
 *	@bvec[i].bv_page, and @bvec[i] must lie within that one page
 * @nr: the number of elements of @bvec and of @destructors
 *
 * An in-kernel sender points &msghdr.msg_frag_destructors at one of these
 * and sets %MSG_FRAG_DESTRUCTORS together with %MSG_SPLICE_PAGES.  Each
 * fragment the stack fills from @bvec[i] then takes a reference on
 * @destructors[i] instead of on the page, so the wrapper's destroy callback
 * tells the sender when the stack, retransmissions included, has let go of
 * the page.  The sender keeps its own references until sendmsg() returns.
 */
struct msg_frag_destructors {
	const struct bio_vec *bvec;
	struct skb_frag_destructor * const *destructors;
	unsigned int nr;
};

int skb_frag_destructor_init(struct skb_frag_destructor *destructor,
			     struct page *page,
			     void (*destroy)(struct skb_frag_destructor *));
void skb_frag_destructor_get(struct skb_frag_destructor *destructor);
void skb_frag_destructor_put(struct skb_frag_destructor *destructor);

#endif /* _LINUX_SKB_FRAG_DESTRUCTOR_H */
