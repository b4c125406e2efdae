// SPDX-License-Identifier: GPL-2.0
/*
 * Destructors for pages handed to the network stack as skb fragments.
 *
 * A creator (a storage or RPC transport, a hypervisor backend) wraps a page
 * it owns in a struct skb_frag_destructor and attaches the wrapper to skb
 * fragments.  The stack counts references on the wrapper instead of on the
 * page, through clones, copies, pull-ups and retransmissions, and calls the
 * creator back once the last of them is gone.
 */

#include <linux/align.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/skb_frag_destructor.h>
#include <linux/skbuff_ref.h>

/* The destructor tag lives in the low bits of the fragment's page handle,
 * which therefore cannot grow: skb_frag_t and skb_shared_info keep the
 * sizes they had before per-fragment destructors.
 */
static_assert(!IS_ENABLED(CONFIG_64BIT) || sizeof(skb_frag_t) == 16);
static_assert(!IS_ENABLED(CONFIG_64BIT) || MAX_SKB_FRAGS != 17 ||
	      sizeof(struct skb_shared_info) == 320);
static_assert(sizeof(skb_frag_t) ==
	      sizeof(netmem_ref) + 2 * sizeof(unsigned int));
/* A wrapper must leave both tag bits of its address clear. */
static_assert(__alignof__(struct skb_frag_destructor) >
	      SKB_FRAG_HANDLE_TAGS);
static_assert((NET_IOV & SKB_FRAG_DESTRUCTOR) == 0);

/**
 * skb_frag_destructor_init - prepare a page wrapper
 * @destructor: the wrapper, embedded in the caller's object
 * @page: the page to wrap; the caller keeps ownership of it
 * @destroy: called once when the stack and the caller have dropped every
 *	reference; see &struct skb_frag_destructor for its context
 *
 * On success the caller holds the only reference and drops it with
 * skb_frag_destructor_put() once it has attached the wrapper to every
 * fragment it wants, so @destroy cannot run while the caller is still
 * building skbs.
 *
 * Must not be called on a wrapper that is still in use.
 *
 * Return: 0, or -EINVAL (with a warning) when @destructor is not aligned
 * to 4 bytes, or @page or @destroy is NULL.
 */
int skb_frag_destructor_init(struct skb_frag_destructor *destructor,
			     struct page *page,
			     void (*destroy)(struct skb_frag_destructor *))
{
	if (WARN_ON_ONCE(!IS_ALIGNED((unsigned long)destructor, 4) ||
			 !page || !destroy))
		return -EINVAL;

	refcount_set(&destructor->ref, 1);
	destructor->page = page;
	destructor->destroy = destroy;
	return 0;
}
EXPORT_SYMBOL_GPL(skb_frag_destructor_init);

/**
 * skb_frag_destructor_get - take a reference on a page wrapper
 * @destructor: the wrapper
 *
 * The caller must already hold a reference; taking one on a wrapper whose
 * count reached zero warns through refcount_t.
 */
void skb_frag_destructor_get(struct skb_frag_destructor *destructor)
{
	refcount_inc(&destructor->ref);
}
EXPORT_SYMBOL_GPL(skb_frag_destructor_get);

/**
 * skb_frag_destructor_put - drop a reference on a page wrapper
 * @destructor: the wrapper
 *
 * Calls @destructor->destroy when this was the last reference.  Dropping
 * more references than were taken warns through refcount_t and never calls
 * @destroy a second time.
 *
 * Context: any context; @destroy runs in the caller's context.
 */
void skb_frag_destructor_put(struct skb_frag_destructor *destructor)
{
	if (refcount_dec_and_test(&destructor->ref))
		destructor->destroy(destructor);
}
EXPORT_SYMBOL_GPL(skb_frag_destructor_put);

/**
 * __skb_frag_ref_tagged - take a reference on a destructor-wrapped fragment
 * @handle: the fragment's page handle; it points at a
 *	&struct skb_frag_destructor
 *
 * Slow path of __skb_frag_ref(), out of line so that a plain page costs
 * what it did before destructors: the fragment's reference is one on the
 * wrapper, the page's own refcount is not touched.  It takes the handle
 * rather than the fragment, so that the callers' loops need not keep a
 * fragment pointer for it.
 */
void __skb_frag_ref_tagged(netmem_ref handle)
{
	unsigned long tagged = (__force unsigned long)handle;

	skb_frag_destructor_get(__skb_frag_handle_destructor(tagged));
}
EXPORT_SYMBOL(__skb_frag_ref_tagged);

/**
 * __skb_frag_unref_tagged - drop a reference on a fragment with a tagged handle
 * @handle: the fragment's page handle
 *
 * Slow path of __skb_frag_unref(), reached when napi_pp_put_page() did not
 * take the fragment.  A destructor-wrapped page drops a reference on its
 * wrapper, which may call the creator's destroy callback.  A net_iov here
 * did not come from a page_pool, or sits in an skb that does not recycle:
 * it cannot be released as a page, so warn and leave it, as
 * netmem_to_page() refuses it.
 */
void __skb_frag_unref_tagged(netmem_ref handle)
{
	unsigned long tagged = (__force unsigned long)handle;

	if (WARN_ON_ONCE(!(tagged & SKB_FRAG_DESTRUCTOR)))
		return;
	skb_frag_destructor_put(__skb_frag_handle_destructor(tagged));
}
EXPORT_SYMBOL(__skb_frag_unref_tagged);

/**
 * skb_frag_attach_destructor - point a fragment at a page wrapper
 * @frag: the fragment; its offset and size are kept
 * @destructor: an initialised wrapper the caller holds a reference on
 *
 * Replaces the page handle of @frag with a tagged handle to @destructor and
 * takes a reference on the wrapper for the fragment.  A page handle @frag
 * held before is overwritten, not released: attach to an empty fragment or
 * to one filled without a page reference.  An skb that holds @frag must
 * carry %SKBFL_FRAG_FLAGS, as skb_fill_destructor_desc() sets them: local
 * delivery copies wrapped frags only from skbs marked
 * %SKBFL_FRAG_DESTRUCTOR, and in-place writers copy frags marked
 * %SKBFL_SHARED_FRAG first.
 *
 * The caller must hold a reference on @destructor.  A wrapper whose count
 * already reached zero is refused rather than revived, which catches some
 * use after destroy, not all of it.
 *
 * Not exported: its users are built in (TCP's MSG_FRAG_DESTRUCTORS path).
 *
 * Return: 0, or -EINVAL with a warning when @destructor is NULL, misaligned,
 * has no page or callback, or its count is zero.  @frag is untouched then.
 */
int skb_frag_attach_destructor(skb_frag_t *frag,
			       struct skb_frag_destructor *destructor)
{
	unsigned long handle = (unsigned long)destructor;

	if (WARN_ON_ONCE(!destructor || handle & SKB_FRAG_HANDLE_TAGS ||
			 !destructor->destroy || !destructor->page))
		return -EINVAL;
	if (WARN_ON_ONCE(!refcount_inc_not_zero(&destructor->ref)))
		return -EINVAL;

	frag->netmem = (__force netmem_ref)(handle | SKB_FRAG_DESTRUCTOR);
	return 0;
}

/**
 * skb_fill_destructor_desc - fill a fragment of an skb with a wrapped page
 * @skb: the buffer; its frags must not be managed by a zerocopy user
 * @i: index of the fragment to fill
 * @destructor: an initialised wrapper the caller holds a reference on
 * @off: offset of the data in the wrapped page
 * @size: length of the data
 *
 * Like skb_fill_page_desc(): sets fragment @i, makes it the last one and
 * propagates the page's pfmemalloc flag.  The fragment takes its own
 * reference on @destructor.  The caller updates @skb's len, data_len and
 * truesize.  @skb is marked %SKBFL_SHARED_FRAG, as the page is not the
 * stack's to write into, and %SKBFL_FRAG_DESTRUCTOR, as
 * skb_orphan_frags_rx() looks for wrapped frags only in skbs that carry
 * it.  Both travel with the frag wherever the stack moves it.
 *
 * Not exported: its users are built in (TCP's MSG_FRAG_DESTRUCTORS path).
 *
 * Return: 0, or -EINVAL with a warning when @i is out of range, @skb's
 * frags are managed (they would never be released), or @destructor is
 * refused by skb_frag_attach_destructor().
 */
int skb_fill_destructor_desc(struct sk_buff *skb, int i,
			     struct skb_frag_destructor *destructor,
			     int off, int size)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	int err;

	if (WARN_ON_ONCE(i < 0 || i >= MAX_SKB_FRAGS || skb_zcopy_managed(skb)))
		return -EINVAL;

	err = skb_frag_fill_destructor_desc(&shinfo->frags[i], destructor,
					    off, size);
	if (err)
		return err;

	shinfo->nr_frags = i + 1;
	shinfo->flags |= SKBFL_FRAG_FLAGS;
	if (page_is_pfmemalloc(compound_head(destructor->page)))
		skb->pfmemalloc = true;
	return 0;
}
