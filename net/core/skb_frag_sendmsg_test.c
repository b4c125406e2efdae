// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sending destructor-wrapped pages through sendmsg().
 *
 * An in-kernel sender passes MSG_SPLICE_PAGES | MSG_FRAG_DESTRUCTORS and a
 * struct msg_frag_destructors with its ITER_BVEC message.  The cases here
 * check skb_splice_destructors_from_iter() on its own, then send over real
 * TCP connections on the loopback device of init_net: the sender's
 * callback runs once, only after the data was acknowledged and every skb
 * holding it, retransmissions and the receiver's queue included, is gone;
 * the receiver reads exactly the bytes that were sent; and the wrapped
 * page's refcount is never touched.  A control case shows the corruption
 * the destructors fix: with plain MSG_SPLICE_PAGES, a page the sender
 * rewrites after sendmsg() returned goes out rewritten when TCP retransmits.
 */

#include <kunit/test.h>
#include <linux/bvec.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/rtnetlink.h>
#include <linux/skb_frag_destructor.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <net/hotdata.h>
#include <net/inet_common.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

#define SM_TIMEOUT	(5 * HZ)

struct sm_wrapper {
	struct skb_frag_destructor destructor;
	struct completion done;
	atomic_t calls;
	int page_refs;		/* the page's refcount when it was wrapped */
	atomic_t *sent_after;	/* a counter to sample in the callback */
	int sent_after_seen;
	u8 reuse;		/* when set, the callback refills the page */
};

static u8 sm_byte(u8 seed, unsigned int i)
{
	return seed ^ (i * 13) ^ (i >> 8);
}

static void sm_fill(void *buf, unsigned int len, u8 seed)
{
	u8 *p = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = sm_byte(seed, i);
}

static void sm_destroy(struct skb_frag_destructor *destructor)
{
	struct sm_wrapper *w = container_of(destructor, struct sm_wrapper,
					    destructor);

	if (w->sent_after)
		w->sent_after_seen = atomic_read(w->sent_after);
	/* What a sender does once told: reuse the page straight away. */
	if (w->reuse)
		sm_fill(page_address(destructor->page), PAGE_SIZE, w->reuse);
	atomic_inc(&w->calls);
	complete(&w->done);
}

KUNIT_DEFINE_ACTION_WRAPPER(sm_put_page_action, put_page, struct page *);
KUNIT_DEFINE_ACTION_WRAPPER(sm_kfree_skb_action, kfree_skb, struct sk_buff *);
KUNIT_DEFINE_ACTION_WRAPPER(sm_sock_release_action, sock_release,
			    struct socket *);

static const u8 *sm_expected(struct kunit *test, u8 seed, unsigned int off,
			     unsigned int len)
{
	u8 *buf = kunit_kmalloc(test, off + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	sm_fill(buf, off + len, seed);
	return buf + off;
}

static struct page *sm_page(struct kunit *test, u8 seed)
{
	struct page *page = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sm_put_page_action,
						  page));
	sm_fill(page_address(page), PAGE_SIZE, seed);
	return page;
}

/*
 * Wrappers must outlive every skb that may point at them, so tests make
 * them before their sockets and skbs: KUnit releases in reverse order.
 */
static struct sm_wrapper *sm_wrap(struct kunit *test, u8 seed)
{
	struct sm_wrapper *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct page *page = sm_page(test, seed);

	KUNIT_ASSERT_NOT_NULL(test, w);
	init_completion(&w->done);
	KUNIT_ASSERT_EQ(test, 0, skb_frag_destructor_init(&w->destructor, page,
							  sm_destroy));
	w->page_refs = page_ref_count(page);
	return w;
}

static void sm_expect_untouched(struct kunit *test, struct sm_wrapper *w)
{
	KUNIT_EXPECT_EQ(test, page_ref_count(w->destructor.page), w->page_refs);
}

static unsigned int sm_refs(struct sm_wrapper *w)
{
	return refcount_read(&w->destructor.ref);
}

static void sm_wait(struct kunit *test, struct sm_wrapper *w)
{
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&w->done, SM_TIMEOUT),
			0UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->calls), 1);
}

static struct sk_buff *sm_skb(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sm_kfree_skb_action,
						  skb));
	return skb;
}

static void sm_free(struct kunit *test, struct sk_buff *skb)
{
	kunit_release_action(test, sm_kfree_skb_action, skb);
}

/* Segments of one page of @w each, merged only where they continue. */
static void sm_test_splice_coalesce(struct kunit *test)
{
	struct sm_wrapper *w0 = sm_wrap(test, 1), *w1 = sm_wrap(test, 2);
	struct bio_vec bvec[4];
	struct skb_frag_destructor *dtors[4] = {
		&w0->destructor, &w0->destructor, &w1->destructor,
		&w0->destructor,
	};
	struct msg_frag_destructors fd = {
		.bvec = bvec, .destructors = dtors, .nr = ARRAY_SIZE(bvec),
	};
	struct sk_buff *skb = sm_skb(test);
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	struct iov_iter iter;

	bvec_set_page(&bvec[0], w0->destructor.page, 1000, 0);
	bvec_set_page(&bvec[1], w0->destructor.page, 2000, 1000);
	bvec_set_page(&bvec[2], w1->destructor.page, 500, 100);
	bvec_set_page(&bvec[3], w0->destructor.page, 1096, 3000);
	iov_iter_bvec(&iter, ITER_SOURCE, bvec, ARRAY_SIZE(bvec), 4596);

	KUNIT_EXPECT_EQ(test, 4596L,
			skb_splice_destructors_from_iter(skb, &iter, &fd,
							 8192));
	KUNIT_EXPECT_EQ(test, iov_iter_count(&iter), 0UL);
	KUNIT_EXPECT_EQ(test, skb->len, 4596U);
	KUNIT_EXPECT_EQ(test, skb->data_len, 4596U);
	KUNIT_ASSERT_EQ(test, shinfo->nr_frags, 3);
	KUNIT_EXPECT_PTR_EQ(test, skb_frag_to_destructor(&shinfo->frags[0]),
			    &w0->destructor);
	KUNIT_EXPECT_EQ(test, skb_frag_off(&shinfo->frags[0]), 0U);
	KUNIT_EXPECT_EQ(test, skb_frag_size(&shinfo->frags[0]), 3000U);
	KUNIT_EXPECT_PTR_EQ(test, skb_frag_to_destructor(&shinfo->frags[1]),
			    &w1->destructor);
	KUNIT_EXPECT_EQ(test, skb_frag_off(&shinfo->frags[1]), 100U);
	/* Contiguous with frag 0, but frag 1 is in between. */
	KUNIT_EXPECT_PTR_EQ(test, skb_frag_to_destructor(&shinfo->frags[2]),
			    &w0->destructor);
	KUNIT_EXPECT_EQ(test, skb_frag_off(&shinfo->frags[2]), 3000U);
	KUNIT_EXPECT_EQ(test, skb_frag_size(&shinfo->frags[2]), 1096U);
	KUNIT_EXPECT_PTR_EQ(test, skb_frag_page(&shinfo->frags[2]),
			    w0->destructor.page);

	/* One reference per fragment, plus the creator's. */
	KUNIT_EXPECT_EQ(test, sm_refs(w0), 3U);
	KUNIT_EXPECT_EQ(test, sm_refs(w1), 2U);
	sm_expect_untouched(test, w0);
	sm_expect_untouched(test, w1);

	skb_frag_destructor_put(&w0->destructor);
	skb_frag_destructor_put(&w1->destructor);
	KUNIT_EXPECT_EQ(test, atomic_read(&w0->calls), 0);
	sm_free(test, skb);
	KUNIT_EXPECT_EQ(test, atomic_read(&w0->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&w1->calls), 1);
	sm_expect_untouched(test, w0);
}

/* A plain reference to the page never absorbs wrapped data, nor the reverse. */
static void sm_test_splice_after_plain(struct kunit *test)
{
	struct sm_wrapper *w = sm_wrap(test, 3);
	struct page *page = w->destructor.page;
	struct skb_frag_destructor *dtors[1] = { &w->destructor };
	struct bio_vec bvec[1];
	struct msg_frag_destructors fd = {
		.bvec = bvec, .destructors = dtors, .nr = 1,
	};
	struct sk_buff *skb = sm_skb(test);
	struct iov_iter iter;

	get_page(page);
	skb_fill_page_desc(skb, 0, page, 0, 1000);
	skb_len_add(skb, 1000);

	bvec_set_page(&bvec[0], page, 1000, 1000);
	iov_iter_bvec(&iter, ITER_SOURCE, bvec, 1, 1000);
	KUNIT_EXPECT_EQ(test, 1000L,
			skb_splice_destructors_from_iter(skb, &iter, &fd,
							 1000));
	KUNIT_ASSERT_EQ(test, skb_shinfo(skb)->nr_frags, 2);
	KUNIT_EXPECT_FALSE(test,
			   skb_frag_has_destructor(&skb_shinfo(skb)->frags[0]));
	KUNIT_EXPECT_TRUE(test,
			  skb_frag_has_destructor(&skb_shinfo(skb)->frags[1]));
	KUNIT_EXPECT_EQ(test, skb->len, 2000U);

	/* And a plain page appended after the wrapper stays separate. */
	KUNIT_EXPECT_EQ(test, 0, skb_append_pagefrags(skb, page, 2000, 100,
						      MAX_SKB_FRAGS));
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 3);
	skb_len_add(skb, 100);

	skb_frag_destructor_put(&w->destructor);
	sm_free(test, skb);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->calls), 1);
	/* The two plain references were dropped, the wrapper's never taken. */
	KUNIT_EXPECT_EQ(test, page_ref_count(page), w->page_refs);
}

/*
 * A segment without a wrapper, or whose wrapper holds another page, is
 * refused; what came before it is kept and the iterator stops there.
 */
static void sm_test_splice_unwrapped(struct kunit *test)
{
	struct sm_wrapper *w = sm_wrap(test, 4), *other = sm_wrap(test, 5);
	struct page *plain = sm_page(test, 6);
	int plain_refs = page_ref_count(plain);
	struct skb_frag_destructor *dtors[3] = {
		&w->destructor, NULL, &other->destructor,
	};
	struct bio_vec bvec[3];
	struct msg_frag_destructors fd = {
		.bvec = bvec, .destructors = dtors, .nr = 3,
	};
	struct sk_buff *skb = sm_skb(test);
	struct iov_iter iter;

	bvec_set_page(&bvec[0], w->destructor.page, 100, 0);
	bvec_set_page(&bvec[1], plain, 100, 0);
	bvec_set_page(&bvec[2], w->destructor.page, 100, 200);
	iov_iter_bvec(&iter, ITER_SOURCE, bvec, 3, 300);

	KUNIT_EXPECT_EQ(test, 100L,
			skb_splice_destructors_from_iter(skb, &iter, &fd,
							 300));
	KUNIT_EXPECT_EQ(test, iov_iter_count(&iter), 200UL);
	KUNIT_EXPECT_EQ(test, -EINVAL,
			skb_splice_destructors_from_iter(skb, &iter, &fd,
							 300));
	KUNIT_EXPECT_EQ(test, iov_iter_count(&iter), 200UL);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 1);
	KUNIT_EXPECT_EQ(test, skb->len, 100U);
	KUNIT_EXPECT_EQ(test, page_ref_count(plain), plain_refs);

	/* Skip the plain page: the third wrapper holds the wrong page. */
	iov_iter_advance(&iter, 100);
	KUNIT_EXPECT_EQ(test, -EINVAL,
			skb_splice_destructors_from_iter(skb, &iter, &fd,
							 300));
	KUNIT_EXPECT_EQ(test, sm_refs(other), 1U);

	/* Not a bvec iterator over the wrappers' array at all. */
	iov_iter_bvec(&iter, ITER_SOURCE, &bvec[0], 1, 100);
	fd.bvec = &bvec[1];
	KUNIT_EXPECT_EQ(test, -EINVAL,
			skb_splice_destructors_from_iter(skb, &iter, &fd,
							 100));
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 1);

	skb_frag_destructor_put(&w->destructor);
	skb_frag_destructor_put(&other->destructor);
	KUNIT_EXPECT_EQ(test, atomic_read(&other->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->calls), 0);
	sm_free(test, skb);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->calls), 1);
	sm_expect_untouched(test, w);
}

/* A full skb takes nothing more: TCP starts a new segment on -EMSGSIZE. */
static void sm_test_splice_full(struct kunit *test)
{
	size_t limit = READ_ONCE(net_hotdata.sysctl_max_skb_frags);
	struct sm_wrapper *w = sm_wrap(test, 7);
	struct skb_frag_destructor *dtors[1] = { &w->destructor };
	struct bio_vec bvec[1];
	struct msg_frag_destructors fd = {
		.bvec = bvec, .destructors = dtors, .nr = 1,
	};
	struct sk_buff *skb = sm_skb(test);
	struct iov_iter iter;
	size_t i;

	/* Fill every fragment with a separate, non-contiguous piece. */
	for (i = 0; i < limit; i++) {
		bvec_set_page(&bvec[0], w->destructor.page, 1, 2 * i);
		iov_iter_bvec(&iter, ITER_SOURCE, bvec, 1, 1);
		KUNIT_ASSERT_EQ(test, 1L,
				skb_splice_destructors_from_iter(skb, &iter,
								 &fd, 1));
	}
	KUNIT_EXPECT_EQ(test, (size_t)skb_shinfo(skb)->nr_frags, limit);

	bvec_set_page(&bvec[0], w->destructor.page, 1, 2 * limit + 1);
	iov_iter_bvec(&iter, ITER_SOURCE, bvec, 1, 1);
	KUNIT_EXPECT_EQ(test, -EMSGSIZE,
			skb_splice_destructors_from_iter(skb, &iter, &fd, 1));
	/* But data that continues the last fragment still fits. */
	bvec_set_page(&bvec[0], w->destructor.page, 1, 2 * (limit - 1) + 1);
	iov_iter_bvec(&iter, ITER_SOURCE, bvec, 1, 1);
	KUNIT_EXPECT_EQ(test, 1L,
			skb_splice_destructors_from_iter(skb, &iter, &fd, 1));
	KUNIT_EXPECT_EQ(test, sm_refs(w), (unsigned int)limit + 1);

	skb_frag_destructor_put(&w->destructor);
	sm_free(test, skb);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->calls), 1);
	sm_expect_untouched(test, w);
}

/* Kernel sockets over the loopback device of init_net. */

static struct socket *sm_socket(struct kunit *test, int type, int proto)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, 0, sock_create_kern(&init_net, AF_INET, type,
						  proto, &sock));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  sm_sock_release_action,
						  sock));
	/*
	 * Closing sends a reset and frees the queues at once, so no skb
	 * outlives a failed test's wrappers.
	 */
	sock_no_linger(sock->sk);
	sock->sk->sk_rcvtimeo = SM_TIMEOUT;
	sock->sk->sk_sndtimeo = SM_TIMEOUT;
	return sock;
}

/* Under KUnit nothing has brought lo up; that also adds 127.0.0.1. */
static void sm_loopback_up(struct kunit *test)
{
	int err;

	rtnl_lock();
	err = dev_open(init_net.loopback_dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
}

static struct sockaddr_in sm_bind_lo(struct kunit *test, struct socket *sock)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	KUNIT_ASSERT_EQ(test, 0, kernel_bind(sock, (struct sockaddr *)&addr,
					     sizeof(addr)));
	KUNIT_ASSERT_EQ(test, (int)sizeof(addr),
			kernel_getsockname(sock, (struct sockaddr *)&addr));
	return addr;
}

static void sm_tcp_pair(struct kunit *test, struct socket **client,
			struct socket **server)
{
	struct socket *listener;
	struct sockaddr_in addr;

	sm_loopback_up(test);
	listener = sm_socket(test, SOCK_STREAM, IPPROTO_TCP);
	addr = sm_bind_lo(test, listener);
	KUNIT_ASSERT_EQ(test, 0, kernel_listen(listener, 1));
	*client = sm_socket(test, SOCK_STREAM, IPPROTO_TCP);
	KUNIT_ASSERT_EQ(test, 0,
			kernel_connect(*client, (struct sockaddr *)&addr,
				       sizeof(addr), 0));
	KUNIT_ASSERT_EQ(test, 0, kernel_accept(listener, server, 0));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  sm_sock_release_action,
						  *server));
	sock_no_linger((*server)->sk);
	(*server)->sk->sk_rcvtimeo = SM_TIMEOUT;
}

/* Send @nr segments, one per wrapper or, without wrappers, plain pages. */
static int sm_send(struct socket *sock, struct bio_vec *bvec,
		   struct skb_frag_destructor **dtors, unsigned int nr,
		   size_t len)
{
	struct msg_frag_destructors fd = {
		.bvec = bvec, .destructors = dtors, .nr = nr,
	};
	struct msghdr msg = { .msg_flags = MSG_SPLICE_PAGES };

	if (dtors) {
		msg.msg_flags |= MSG_FRAG_DESTRUCTORS;
		msg.msg_frag_destructors = &fd;
	}
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bvec, nr, len);
	return sock_sendmsg(sock, &msg);
}

static void sm_recv_check(struct kunit *test, struct socket *sock,
			  const void *expect, unsigned int len)
{
	u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	struct msghdr msg = {};
	struct kvec kv;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	kv.iov_base = buf;
	kv.iov_len = len;
	KUNIT_ASSERT_EQ(test, (int)len,
			kernel_recvmsg(sock, &msg, &kv, 1, len, MSG_WAITALL));
	KUNIT_EXPECT_MEMEQ(test, buf, expect, len);
}

/* Everything the sender wrote is acknowledged and no skb is queued. */
static void sm_expect_all_acked(struct kunit *test, struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	lock_sock(sk);
	KUNIT_EXPECT_EQ(test, tp->snd_una, tp->write_seq);
	KUNIT_EXPECT_TRUE(test, tcp_write_queue_empty(sk));
	KUNIT_EXPECT_TRUE(test, tcp_rtx_queue_empty(sk));
	release_sock(sk);
}

/*
 * Three wrapped pages, one of them in two contiguous segments.  While the
 * receiver holds its socket, the data sits unacknowledged in the sender's
 * retransmit queue; after it let go and read everything, each callback has
 * run exactly once.
 */
static void sm_test_tcp(struct kunit *test)
{
	struct sm_wrapper *w[3] = {
		sm_wrap(test, 0x10), sm_wrap(test, 0x20), sm_wrap(test, 0x30),
	};
	struct skb_frag_destructor *dtors[4] = {
		&w[0]->destructor, &w[0]->destructor, &w[1]->destructor,
		&w[2]->destructor,
	};
	struct socket *client, *server;
	struct bio_vec bvec[4];
	struct tcp_sock *tp;
	u8 *expect;
	int i;

	bvec_set_page(&bvec[0], w[0]->destructor.page, 1000, 0);
	bvec_set_page(&bvec[1], w[0]->destructor.page, PAGE_SIZE - 1000, 1000);
	bvec_set_page(&bvec[2], w[1]->destructor.page, PAGE_SIZE, 0);
	bvec_set_page(&bvec[3], w[2]->destructor.page, 500, 7);
	expect = kunit_kmalloc(test, 2 * PAGE_SIZE + 500, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, expect);
	sm_fill(expect, PAGE_SIZE, 0x10);
	sm_fill(expect + PAGE_SIZE, PAGE_SIZE, 0x20);
	memcpy(expect + 2 * PAGE_SIZE, sm_expected(test, 0x30, 7, 500), 500);

	for (i = 0; i < ARRAY_SIZE(w); i++)
		w[i]->reuse = 0xff;

	sm_tcp_pair(test, &client, &server);
	tp = tcp_sk(client->sk);

	/* Segments for a socket its owner holds wait in its backlog, unacked. */
	lock_sock_nested(server->sk, SINGLE_DEPTH_NESTING);
	KUNIT_EXPECT_EQ(test, (int)(2 * PAGE_SIZE + 500),
			sm_send(client, bvec, dtors, ARRAY_SIZE(bvec),
				2 * PAGE_SIZE + 500));
	for (i = 0; i < ARRAY_SIZE(w); i++)
		skb_frag_destructor_put(&w[i]->destructor);

	/*
	 * Unacknowledged, so still queued.  Read without lock_sock(): taking
	 * a second socket lock of the same class while the receiver's is held
	 * is a lockdep report, and with no ACK possible nothing changes these
	 * two but this thread.
	 */
	KUNIT_EXPECT_EQ(test, READ_ONCE(tp->write_seq) - READ_ONCE(tp->snd_una),
			(u32)(2 * PAGE_SIZE + 500));
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		KUNIT_EXPECT_EQ(test, atomic_read(&w[i]->calls), 0);
		sm_expect_untouched(test, w[i]);
	}

	/* The ACK goes out; the receive queue still holds the data. */
	release_sock(server->sk);
	for (i = 0; i < ARRAY_SIZE(w); i++)
		sm_expect_untouched(test, w[i]);

	sm_recv_check(test, server, expect, 2 * PAGE_SIZE + 500);
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		sm_wait(test, w[i]);
		sm_expect_untouched(test, w[i]);
	}
	sm_expect_all_acked(test, client->sk);
}

/*
 * inet_sendmsg() decides again on the proto it calls: a caller that
 * reaches it without sock_sendmsg() (as after a proto was replaced between
 * the two checks) still gets a copy from UDP.
 */
static void sm_test_inet_sendmsg_copies(struct kunit *test)
{
	struct sm_wrapper *w = sm_wrap(test, 0x70);
	struct skb_frag_destructor *dtors[1] = { &w->destructor };
	struct socket *rx, *tx;
	struct sockaddr_in addr;
	struct bio_vec bvec[1];
	struct msghdr msg = {};
	struct msg_frag_destructors fd = {
		.bvec = bvec, .destructors = dtors, .nr = 1,
	};

	sm_loopback_up(test);
	rx = sm_socket(test, SOCK_DGRAM, IPPROTO_UDP);
	addr = sm_bind_lo(test, rx);
	tx = sm_socket(test, SOCK_DGRAM, IPPROTO_UDP);

	bvec_set_page(&bvec[0], w->destructor.page, 1000, 50);
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bvec, 1, 1000);
	msg.msg_name = &addr;
	msg.msg_namelen = sizeof(addr);
	msg.msg_flags = MSG_SPLICE_PAGES | MSG_FRAG_DESTRUCTORS;
	msg.msg_frag_destructors = &fd;
	KUNIT_ASSERT_TRUE(test, READ_ONCE(tx->ops)->sendmsg == inet_sendmsg);
	KUNIT_EXPECT_EQ(test, 1000, inet_sendmsg(tx, &msg, 1000));
	KUNIT_EXPECT_EQ(test, msg.msg_flags, 0);
	KUNIT_EXPECT_EQ(test, sm_refs(w), 1U);
	sm_expect_untouched(test, w);

	skb_frag_destructor_put(&w->destructor);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->calls), 1);
	memset(page_address(w->destructor.page), 0, PAGE_SIZE);

	sm_recv_check(test, rx, sm_expected(test, 0x70, 50, 1000), 1000);
}

/*
 * Only TCP's own sendmsg() attaches wrappers.  Elsewhere (UDP here) the
 * data is copied: the stack holds no reference once sendmsg() returned,
 * and the receiver gets the bytes of the time of the send.
 */
static void sm_test_udp_copies(struct kunit *test)
{
	struct sm_wrapper *w = sm_wrap(test, 0x40);
	struct skb_frag_destructor *dtors[1] = { &w->destructor };
	struct socket *rx, *tx;
	struct sockaddr_in addr;
	struct bio_vec bvec[1];
	struct msghdr msg = {};
	struct msg_frag_destructors fd = {
		.bvec = bvec, .destructors = dtors, .nr = 1,
	};

	sm_loopback_up(test);
	rx = sm_socket(test, SOCK_DGRAM, IPPROTO_UDP);
	addr = sm_bind_lo(test, rx);
	tx = sm_socket(test, SOCK_DGRAM, IPPROTO_UDP);

	bvec_set_page(&bvec[0], w->destructor.page, 1000, 50);
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bvec, 1, 1000);
	msg.msg_name = &addr;
	msg.msg_namelen = sizeof(addr);
	msg.msg_flags = MSG_SPLICE_PAGES | MSG_FRAG_DESTRUCTORS;
	msg.msg_frag_destructors = &fd;
	KUNIT_EXPECT_EQ(test, 1000, sock_sendmsg(tx, &msg));
	KUNIT_EXPECT_EQ(test, sm_refs(w), 1U);
	sm_expect_untouched(test, w);

	skb_frag_destructor_put(&w->destructor);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->calls), 1);
	memset(page_address(w->destructor.page), 0, PAGE_SIZE);

	sm_recv_check(test, rx, sm_expected(test, 0x40, 50, 1000), 1000);
}

/*
 * A netfilter hook that loses every data segment @sk sends while @hold is
 * set, as a broken link would: TCP believes they were sent and retransmits
 * on a timer.  The test clears @hold once it has checked what it wants to
 * see while the data cannot get through, so no check depends on how soon
 * TCP retransmits.
 */
struct sm_drop {
	struct nf_hook_ops ops;
	struct sock *sk;
	bool hold;
	atomic_t dropped;
	atomic_t sent;		/* data segments let through */
};

static unsigned int sm_drop_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct sm_drop *drop = priv;
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	struct tcphdr _th;
	unsigned int thoff;

	if (!state->sk || state->sk != READ_ONCE(drop->sk) ||
	    iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	thoff = iph->ihl * 4;
	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || skb->len <= thoff + th->doff * 4)
		return NF_ACCEPT;

	if (READ_ONCE(drop->hold)) {
		atomic_inc(&drop->dropped);
		kfree_skb(skb);
		return NF_STOLEN;
	}
	atomic_inc(&drop->sent);
	return NF_ACCEPT;
}

static void sm_drop_unregister(void *data)
{
	struct sm_drop *drop = data;

	nf_unregister_net_hook(&init_net, &drop->ops);
}

static struct sm_drop *sm_drop(struct kunit *test)
{
	struct sm_drop *drop = kunit_kzalloc(test, sizeof(*drop), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, drop);
	drop->ops.hook = sm_drop_hook;
	drop->ops.priv = drop;
	drop->ops.pf = NFPROTO_IPV4;
	drop->ops.hooknum = NF_INET_LOCAL_OUT;
	drop->ops.priority = NF_IP_PRI_FIRST;
	KUNIT_ASSERT_EQ(test, 0, nf_register_net_hook(&init_net, &drop->ops));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, sm_drop_unregister,
						  drop));
	return drop;
}

/* Until @nr data segments were lost, at most SM_TIMEOUT. */
static void sm_wait_dropped(struct kunit *test, struct sm_drop *drop, int nr)
{
	unsigned long end = jiffies + SM_TIMEOUT;

	while (atomic_read(&drop->dropped) < nr && time_before(jiffies, end))
		msleep(20);
	KUNIT_ASSERT_GE(test, atomic_read(&drop->dropped), nr);
}

static u32 sm_total_retrans(struct sock *sk)
{
	u32 retrans;

	lock_sock(sk);
	retrans = tcp_sk(sk)->total_retrans;
	release_sock(sk);
	return retrans;
}

/*
 * The first transmission and a retransmission are lost.  The callback
 * reuses the page at once, as a sender would, so had it run before the
 * retransmission that gets through, the receiver would read the new bytes;
 * it reads the original ones.
 */
static void sm_test_tcp_retransmit(struct kunit *test)
{
	struct sm_wrapper *w = sm_wrap(test, 0x50);
	struct skb_frag_destructor *dtors[1] = { &w->destructor };
	struct sm_drop *drop = sm_drop(test);
	struct socket *client, *server;
	struct bio_vec bvec[1];
	struct tcp_sock *tp;

	sm_tcp_pair(test, &client, &server);
	tp = tcp_sk(client->sk);
	WRITE_ONCE(drop->hold, true);
	WRITE_ONCE(drop->sk, client->sk);
	w->sent_after = &drop->sent;
	w->reuse = 0x51;

	bvec_set_page(&bvec[0], w->destructor.page, PAGE_SIZE, 0);
	KUNIT_ASSERT_EQ(test, (int)PAGE_SIZE,
			sm_send(client, bvec, dtors, 1, PAGE_SIZE));
	skb_frag_destructor_put(&w->destructor);

	/* The send and at least one retransmission are lost. */
	sm_wait_dropped(test, drop, 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&drop->sent), 0);
	lock_sock(client->sk);
	KUNIT_EXPECT_EQ(test, tp->write_seq - tp->snd_una, (u32)PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, tcp_rtx_queue_empty(client->sk));
	release_sock(client->sk);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->calls), 0);
	sm_expect_untouched(test, w);

	/* Let the next retransmission through. */
	WRITE_ONCE(drop->hold, false);
	sm_recv_check(test, server, sm_expected(test, 0x50, 0, PAGE_SIZE),
		      PAGE_SIZE);
	sm_wait(test, w);
	KUNIT_EXPECT_GE(test, w->sent_after_seen, 1);
	KUNIT_EXPECT_GE(test, sm_total_retrans(client->sk), 2U);
	sm_expect_all_acked(test, client->sk);
	sm_expect_untouched(test, w);
}

/*
 * The control: plain MSG_SPLICE_PAGES takes page references, and
 * sendmsg() returning says nothing about when they go.  A sender that
 * rewrites its page then has its new bytes retransmitted in place of the
 * ones it sent.  Should this case ever fail, the retransmission no longer
 * shows the bug and sm_test_tcp_retransmit proves nothing.
 */
static void sm_test_tcp_retransmit_plain(struct kunit *test)
{
	struct page *page = sm_page(test, 0x60);
	struct sm_drop *drop = sm_drop(test);
	struct socket *client, *server;
	struct bio_vec bvec[1];

	sm_tcp_pair(test, &client, &server);
	WRITE_ONCE(drop->hold, true);
	WRITE_ONCE(drop->sk, client->sk);

	bvec_set_page(&bvec[0], page, PAGE_SIZE, 0);
	KUNIT_ASSERT_EQ(test, (int)PAGE_SIZE,
			sm_send(client, bvec, NULL, 1, PAGE_SIZE));
	sm_wait_dropped(test, drop, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&drop->sent), 0);

	/* Nothing got through yet: the sender rewrites its page. */
	sm_fill(page_address(page), PAGE_SIZE, 0x61);
	WRITE_ONCE(drop->hold, false);

	sm_recv_check(test, server, sm_expected(test, 0x61, 0, PAGE_SIZE),
		      PAGE_SIZE);
	KUNIT_EXPECT_GE(test, atomic_read(&drop->sent), 1);
	KUNIT_EXPECT_GE(test, sm_total_retrans(client->sk), 1U);
}

static struct kunit_case sm_cases[] = {
	KUNIT_CASE(sm_test_splice_coalesce),
	KUNIT_CASE(sm_test_splice_after_plain),
	KUNIT_CASE(sm_test_splice_unwrapped),
	KUNIT_CASE(sm_test_splice_full),
	KUNIT_CASE(sm_test_tcp),
	KUNIT_CASE(sm_test_inet_sendmsg_copies),
	KUNIT_CASE(sm_test_udp_copies),
	KUNIT_CASE(sm_test_tcp_retransmit),
	KUNIT_CASE(sm_test_tcp_retransmit_plain),
	{}
};

static struct kunit_suite sm_suite = {
	.name = "net_frag_sendmsg",
	.test_cases = sm_cases,
};

kunit_test_suite(sm_suite);

MODULE_DESCRIPTION("KUnit tests for sending destructor-wrapped pages");
MODULE_LICENSE("GPL");
