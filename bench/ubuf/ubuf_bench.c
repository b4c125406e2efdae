// SPDX-License-Identifier: GPL-2.0
/*
 * Not part of the series: issue 15, "why not msg_ubuf".  Built into
 * net/sunrpc of the series tip for one run by scripts/bench-ubuf.sh
 * (bench/ubuf/bench.patch adds the Kconfig and Makefile lines).
 *
 * A SUNRPC-style record (record marker, a 128-byte head kvec, the payload
 * in pages) goes over a loopback TCP connection of init_net three ways:
 *
 *  copy  - xprt_sock_sendmsg_destructors() without wrappers: the pages are
 *          copied, the request is done when sendmsg() returns;
 *  ubuf  - the marker and head copied (MSG_MORE), then the pages with
 *          MSG_ZEROCOPY and msg->msg_ubuf: one struct ubuf_info per
 *          request with its own ubuf_info_ops, SKBFL_ZEROCOPY_FRAG |
 *          SKBFL_DONT_ORPHAN as io_uring sets them; the request completes
 *          when its ubuf_info does (the last skb that carried it went,
 *          and the sender dropped its own reference after sendmsg());
 *  dtor  - xprt_sock_sendmsg_destructors() with one struct
 *          skb_frag_destructor per page (the series), the request
 *          completes at the last callback.
 *
 * Suite ubuf_vs_destructors: correctness side by side (retransmission;
 * the MTU probe, tcp_clone_payload()).  Suite ubuf_bench: performance,
 * payload sizes x requests in flight x mechanism, with and without 1 %
 * loss of the sender's data frames.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/sched/cputime.h>
#include <linux/skb_frag_destructor.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/sunrpc/msg_prot.h>
#include <linux/sunrpc/xdr.h>
#include <linux/tcp.h>
#include <linux/wait.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "socklib.h"

#define UB_HEAD		128
#define UB_TIMEOUT	(10 * HZ)
#define UB_MAX_DELAYS	8192U
#define UB_RING		128U

enum ub_mech { UB_COPY, UB_UBUF, UB_LINK, UB_DTOR, UB_NR_MECH };

static const char * const ub_mech_names[] = {
	[UB_COPY] = "copy", [UB_UBUF] = "msg_ubuf", [UB_LINK] = "ubuf_lnk",
	[UB_DTOR] = "dtor",
};

struct ub_conn;

struct ub_req;

struct ub_dtor {
	struct skb_frag_destructor destructor;
	struct ub_req *req;
};

struct ub_req {
	struct ubuf_info ubuf;
	struct ub_req *lhead, *lnext;	/* UB_LINK: the stack */
	struct ub_conn *conn;
	unsigned int npages;
	struct page **pages;
	struct ub_dtor *wrapped;
	struct skb_frag_destructor **dtors;
	struct msg_frag_destructors fd;
	struct xdr_buf xdr;
	void *head;
	atomic_t outstanding;
	bool busy;
	bool copied;		/* ubuf: completed with zerocopy_success false */
	u32 target;		/* the stream position after the record */
	ktime_t t_ack;		/* the first ACK covering @target, or 0 */
	int extra_refs;		/* page references held at completion, the
				 * skb being freed included
				 */
	u8 reuse;		/* when set, completion refills the pages */
};

struct ub_conn {
	struct socket *client, *server;
	struct sock *sk;
	struct nf_hook_ops out_ops, in_ops;
	wait_queue_head_t wq;
	/* Requests in send order, for the ACK hook (UML is UP). */
	struct ub_req *fifo[UB_RING];
	unsigned int fifo_head, fifo_tail;
	s64 *delays;
	unsigned int ndelays;
	/* LOCAL_OUT counts of the client's data frames */
	unsigned int loss_permille;
	bool hold;		/* drop every data frame */
	atomic_t frames, segs, psh, dropped, sent;
	atomic_t probe_like;	/* frames with a request page and no uarg */
	struct ub_req *watch;	/* for @probe_like */
	u32 max_packets_out;
	atomic_t completions, copied;
};

/* ---- completion ---- */

static void ub_req_done(struct ub_req *req)
{
	struct ub_conn *conn = req->conn;
	ktime_t now = ktime_get();
	unsigned int i;
	int extra = 0;

	/* What the stack still holds of the pages when we are told it is done. */
	for (i = 0; i < req->npages; i++)
		extra += page_ref_count(req->pages[i]) - 1;
	req->extra_refs = extra;
	if (req->reuse)
		for (i = 0; i < req->npages; i++)
			memset(page_address(req->pages[i]), req->reuse,
			       PAGE_SIZE);
	if (ktime_to_ns(READ_ONCE(req->t_ack)) && conn->delays &&
	    conn->ndelays < UB_MAX_DELAYS)
		conn->delays[conn->ndelays++] =
			ktime_to_ns(ktime_sub(now, req->t_ack));
	atomic_inc(&conn->completions);
	WRITE_ONCE(req->busy, false);
	wake_up(&conn->wq);
}

static void ub_ubuf_complete(struct sk_buff *skb, struct ubuf_info *uarg,
			     bool zerocopy_success)
{
	struct ub_req *req = container_of(uarg, struct ub_req, ubuf);

	if (!zerocopy_success)
		WRITE_ONCE(req->copied, true);
	if (!refcount_dec_and_test(&uarg->refcnt))
		return;
	if (req->copied)
		atomic_inc(&req->conn->copied);
	ub_req_done(req);
}

static const struct ubuf_info_ops ub_ubuf_ops = {
	.complete = ub_ubuf_complete,
};

/*
 * The link_skb variant, io_uring's stacking (io_uring/notif.c): a request
 * whose data goes into an skb that already carries another request's
 * ubuf_info joins that one's stack and holds a reference on its head;
 * the head completes the whole stack when its own count reaches zero,
 * so a request never completes before the skbs that carried it, but may
 * complete later, with the head.
 */
static void ub_link_complete(struct sk_buff *skb, struct ubuf_info *uarg,
			     bool zerocopy_success);

static int ub_link_skb(struct sk_buff *skb, struct ubuf_info *uarg);

static const struct ubuf_info_ops ub_link_ops = {
	.complete = ub_link_complete,
	.link_skb = ub_link_skb,
};

static void ub_link_complete(struct sk_buff *skb, struct ubuf_info *uarg,
			     bool zerocopy_success)
{
	struct ub_req *req = container_of(uarg, struct ub_req, ubuf);
	struct ub_req *r, *next;

	if (!zerocopy_success)
		WRITE_ONCE(req->copied, true);
	if (!refcount_dec_and_test(&uarg->refcnt))
		return;
	if (req->lhead != req) {
		/* Drop the reference this request held on its head. */
		ub_link_complete(skb, &req->lhead->ubuf, zerocopy_success);
		return;
	}
	for (r = req; r; r = next) {
		next = r->lnext;
		r->lhead = r;
		r->lnext = NULL;
		if (r->copied)
			atomic_inc(&r->conn->copied);
		ub_req_done(r);
	}
}

static int ub_link_skb(struct sk_buff *skb, struct ubuf_info *uarg)
{
	struct ub_req *req = container_of(uarg, struct ub_req, ubuf);
	struct ubuf_info *prev_uarg = skb_zcopy(skb);
	struct ub_req *prev;

	if (!prev_uarg) {
		net_zcopy_get(uarg);
		skb_zcopy_init(skb, uarg);
		return 0;
	}
	if (prev_uarg == uarg)
		return 0;
	/* Already in a stack, or not ours: a new skb. */
	if (req->lhead != req || req->lnext || prev_uarg->ops != &ub_link_ops)
		return -EEXIST;
	prev = container_of(prev_uarg, struct ub_req, ubuf);
	req->lhead = prev->lhead;
	req->lnext = prev->lnext;
	prev->lnext = req;
	net_zcopy_get(&req->lhead->ubuf);
	return 0;
}

static void ub_dtor_destroy(struct skb_frag_destructor *destructor)
{
	struct ub_req *req = container_of(destructor, struct ub_dtor,
					  destructor)->req;

	if (atomic_dec_and_test(&req->outstanding))
		ub_req_done(req);
}

/* Page references beyond the sender's own. */
static int ub_refs(struct ub_req *req)
{
	unsigned int i;
	int extra = 0;

	for (i = 0; i < req->npages; i++)
		extra += page_ref_count(req->pages[i]) - 1;
	return extra;
}

/* ---- hooks ---- */

static bool ub_has_page(struct ub_req *req, struct sk_buff *skb)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int i, j;

	for (i = 0; i < sh->nr_frags; i++) {
		struct page *p = skb_frag_page(&sh->frags[i]);

		for (j = 0; j < req->npages; j++)
			if (p == req->pages[j])
				return true;
	}
	return false;
}

static unsigned int ub_out_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct ub_conn *conn = priv;
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	struct tcphdr _th;
	unsigned int thoff;
	struct ub_req *watch;
	u32 po;

	if (!state->sk || state->sk != READ_ONCE(conn->sk) ||
	    iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	thoff = iph->ihl * 4;
	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || skb->len <= thoff + th->doff * 4)
		return NF_ACCEPT;
	watch = READ_ONCE(conn->watch);
	if (watch && !skb_zcopy(skb) && ub_has_page(watch, skb))
		atomic_inc(&conn->probe_like);
	po = READ_ONCE(tcp_sk(state->sk)->packets_out);
	if (po > conn->max_packets_out)
		conn->max_packets_out = po;
	if (READ_ONCE(conn->hold) ||
	    (conn->loss_permille &&
	     get_random_u32_below(1000) < conn->loss_permille)) {
		atomic_inc(&conn->dropped);
		kfree_skb(skb);
		return NF_STOLEN;
	}
	atomic_inc(&conn->frames);
	atomic_add(max_t(unsigned int, 1, skb_shinfo(skb)->gso_segs),
		   &conn->segs);
	if (th->psh)
		atomic_inc(&conn->psh);
	atomic_inc(&conn->sent);
	return NF_ACCEPT;
}

/* ACKs to the client, before TCP sees them. */
static unsigned int ub_in_hook(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct ub_conn *conn = priv;
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	struct tcphdr _th;
	ktime_t now;

	if (iph->protocol != IPPROTO_TCP || !READ_ONCE(conn->sk))
		return NF_ACCEPT;
	th = skb_header_pointer(skb, iph->ihl * 4, sizeof(_th), &_th);
	if (!th || !th->ack ||
	    th->dest != inet_sk(READ_ONCE(conn->sk))->inet_sport)
		return NF_ACCEPT;
	now = ktime_get();
	while (conn->fifo_head != READ_ONCE(conn->fifo_tail)) {
		struct ub_req *req = conn->fifo[conn->fifo_head % UB_RING];

		if ((s32)(ntohl(th->ack_seq) - req->target) < 0)
			break;
		WRITE_ONCE(req->t_ack, now);
		conn->fifo_head++;
	}
	return NF_ACCEPT;
}

/* ---- connection ---- */

static struct socket *ub_socket(struct kunit *test)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, 0, sock_create_kern(&init_net, AF_INET,
						  SOCK_STREAM, IPPROTO_TCP,
						  &sock));
	sock_no_linger(sock->sk);
	sock->sk->sk_rcvtimeo = UB_TIMEOUT;
	sock->sk->sk_sndtimeo = UB_TIMEOUT;
	return sock;
}

static void ub_bufs(struct sock *sk)
{
	/*
	 * 16 MiB, whatever the sysctls say.  With 128 MiB the copy runs
	 * (which never wait) retransmitted about one segment per MB
	 * without any loss and ran at a tenth of the zero-copy rates.
	 */
	WRITE_ONCE(sk->sk_sndbuf, 16 << 20);
	WRITE_ONCE(sk->sk_rcvbuf, 16 << 20);
	sk->sk_userlocks |= SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK;
}

static void ub_connect(struct kunit *test, struct ub_conn *conn)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct socket *listener;
	int err;

	rtnl_lock();
	err = dev_open(init_net.loopback_dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);

	init_waitqueue_head(&conn->wq);
	listener = ub_socket(test);
	ub_bufs(listener->sk);
	KUNIT_ASSERT_EQ(test, 0, kernel_bind(listener, (struct sockaddr *)&addr,
					     sizeof(addr)));
	KUNIT_ASSERT_EQ(test, (int)sizeof(addr),
			kernel_getsockname(listener, (struct sockaddr *)&addr));
	KUNIT_ASSERT_EQ(test, 0, kernel_listen(listener, 1));
	conn->client = ub_socket(test);
	ub_bufs(conn->client->sk);
	KUNIT_ASSERT_EQ(test, 0, kernel_connect(conn->client,
						(struct sockaddr *)&addr,
						sizeof(addr), 0));
	KUNIT_ASSERT_EQ(test, 0, kernel_accept(listener, &conn->server, 0));
	sock_release(listener);
	conn->server->sk->sk_rcvtimeo = UB_TIMEOUT;

	conn->out_ops.hook = ub_out_hook;
	conn->out_ops.priv = conn;
	conn->out_ops.pf = NFPROTO_IPV4;
	conn->out_ops.hooknum = NF_INET_LOCAL_OUT;
	conn->out_ops.priority = NF_IP_PRI_FIRST;
	conn->in_ops = conn->out_ops;
	conn->in_ops.hook = ub_in_hook;
	conn->in_ops.hooknum = NF_INET_LOCAL_IN;
	KUNIT_ASSERT_EQ(test, 0, nf_register_net_hook(&init_net,
						      &conn->out_ops));
	KUNIT_ASSERT_EQ(test, 0, nf_register_net_hook(&init_net,
						      &conn->in_ops));
	WRITE_ONCE(conn->sk, conn->client->sk);
}

static void ub_disconnect(struct ub_conn *conn)
{
	nf_unregister_net_hook(&init_net, &conn->in_ops);
	nf_unregister_net_hook(&init_net, &conn->out_ops);
	WRITE_ONCE(conn->sk, NULL);
	sock_release(conn->client);
	sock_release(conn->server);
}

/* ---- requests ---- */

static int ub_req_init(struct ub_req *req, struct ub_conn *conn,
		       size_t size, u8 seed)
{
	unsigned int j;

	req->conn = conn;
	req->npages = size / PAGE_SIZE;
	req->pages = kcalloc(req->npages, sizeof(*req->pages), GFP_KERNEL);
	req->wrapped = kcalloc(req->npages, sizeof(*req->wrapped), GFP_KERNEL);
	req->dtors = kcalloc(req->npages, sizeof(*req->dtors), GFP_KERNEL);
	req->head = kzalloc(UB_HEAD, GFP_KERNEL);
	if (!req->pages || !req->wrapped || !req->dtors || !req->head)
		return -ENOMEM;
	for (j = 0; j < req->npages; j++) {
		req->pages[j] = alloc_page(GFP_KERNEL);
		if (!req->pages[j])
			return -ENOMEM;
		memset(page_address(req->pages[j]), seed + j, PAGE_SIZE);
		req->wrapped[j].req = req;
		req->dtors[j] = &req->wrapped[j].destructor;
	}
	req->xdr.head[0].iov_base = req->head;
	req->xdr.head[0].iov_len = UB_HEAD;
	req->xdr.pages = req->pages;
	req->xdr.page_len = size;
	req->xdr.len = UB_HEAD + size;
	req->xdr.buflen = req->xdr.len;
	if (xdr_alloc_bvec(&req->xdr, GFP_KERNEL))
		return -ENOMEM;
	req->fd.bvec = req->xdr.bvec;
	req->fd.destructors = req->dtors;
	req->fd.nr = req->npages;
	return 0;
}

static void ub_req_free(struct ub_req *req)
{
	unsigned int j;

	if (req->xdr.bvec)
		xdr_free_bvec(&req->xdr);
	for (j = 0; req->pages && j < req->npages; j++)
		if (req->pages[j])
			put_page(req->pages[j]);
	kfree(req->pages);
	kfree(req->wrapped);
	kfree(req->dtors);
	kfree(req->head);
}

/* The msg_ubuf send: marker and head copied, pages zero-copy. */
static int ub_send_ubuf(struct ub_req *req, rpc_fraghdr marker)
{
	struct socket *sock = req->conn->client;
	struct kvec kv[2] = {
		{ .iov_base = &marker, .iov_len = sizeof(marker) },
		{ .iov_base = req->head, .iov_len = UB_HEAD },
	};
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL | MSG_MORE };
	int err;

	err = kernel_sendmsg(sock, &msg, kv, 2, sizeof(marker) + UB_HEAD);
	if (err != sizeof(marker) + UB_HEAD)
		return err < 0 ? err : -EIO;
	memset(&msg, 0, sizeof(msg));
	msg.msg_flags = MSG_NOSIGNAL | MSG_ZEROCOPY;
	msg.msg_ubuf = &req->ubuf;
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, req->xdr.bvec, req->npages,
		      req->xdr.page_len);
	err = sock_sendmsg(sock, &msg);
	if (err != req->xdr.page_len)
		return err < 0 ? err : -EIO;
	return 0;
}

/*
 * Send @req once with @mech; returns with the sender's own references
 * dropped, the request busy until its completion (copy: done at once).
 */
static int ub_send(struct ub_req *req, enum ub_mech mech)
{
	struct ub_conn *conn = req->conn;
	rpc_fraghdr marker = cpu_to_be32(RPC_LAST_STREAM_FRAGMENT |
					 req->xdr.len);
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	unsigned int sent = 0, j;
	int err;

	req->t_ack = 0;
	req->copied = false;
	req->target = READ_ONCE(tcp_sk(conn->sk)->write_seq) + 4 +
		      req->xdr.len;
	if (mech != UB_COPY) {
		WRITE_ONCE(req->busy, true);
		conn->fifo[conn->fifo_tail % UB_RING] = req;
		WRITE_ONCE(conn->fifo_tail, conn->fifo_tail + 1);
	}
	switch (mech) {
	case UB_COPY:
		err = xprt_sock_sendmsg_destructors(conn->client, &msg,
						    &req->xdr, 0, marker, NULL,
						    &sent);
		if (!err && sent != 4 + req->xdr.len)
			err = -EIO;
		break;
	case UB_UBUF:
	case UB_LINK:
		req->ubuf.ops = mech == UB_LINK ? &ub_link_ops : &ub_ubuf_ops;
		req->lhead = req;
		req->lnext = NULL;
		req->ubuf.flags = SKBFL_ZEROCOPY_FRAG | SKBFL_DONT_ORPHAN;
		refcount_set(&req->ubuf.refcnt, 1);
		err = ub_send_ubuf(req, marker);
		net_zcopy_put(&req->ubuf);
		break;
	case UB_DTOR:
		atomic_set(&req->outstanding, req->npages);
		for (j = 0; j < req->npages; j++)
			skb_frag_destructor_init(&req->wrapped[j].destructor,
						 req->pages[j],
						 ub_dtor_destroy);
		err = xprt_sock_sendmsg_destructors(conn->client, &msg,
						    &req->xdr, 0, marker,
						    &req->fd, &sent);
		if (!err && sent != 4 + req->xdr.len)
			err = -EIO;
		for (j = 0; j < req->npages; j++)
			skb_frag_destructor_put(&req->wrapped[j].destructor);
		break;
	default:
		err = -EINVAL;
	}
	return err;
}

static bool ub_wait_idle(struct ub_req *req)
{
	return wait_event_timeout(req->conn->wq, !READ_ONCE(req->busy),
				  UB_TIMEOUT) > 0;
}

/* ---- receiver ---- */

struct ub_rx {
	struct socket *sock;
	struct completion done;
	u64 bytes;
	int err;
};

static int ub_rx_fn(void *data)
{
	struct ub_rx *rx = data;
	void *buf = kmalloc(SZ_64K, GFP_KERNEL);

	rx->err = buf ? 0 : -ENOMEM;
	while (buf) {
		struct kvec kv = { .iov_base = buf, .iov_len = SZ_64K };
		struct msghdr msg = {};
		int n = kernel_recvmsg(rx->sock, &msg, &kv, 1, kv.iov_len, 0);

		if (n <= 0) {
			rx->err = n;
			break;
		}
		rx->bytes += n;
	}
	kfree(buf);
	complete(&rx->done);
	return 0;
}

/* ================= correctness ================= */

KUNIT_DEFINE_ACTION_WRAPPER(ub_disconnect_action, ub_disconnect,
			    struct ub_conn *);
KUNIT_DEFINE_ACTION_WRAPPER(ub_req_free_action, ub_req_free,
			    struct ub_req *);

static struct ub_req *ub_test_req(struct kunit *test, struct ub_conn *conn,
				  size_t size, u8 seed)
{
	struct ub_req *req = kunit_kzalloc(test, sizeof(*req), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, ub_req_free_action,
						  req));
	KUNIT_ASSERT_EQ(test, 0, ub_req_init(req, conn, size, seed));
	return req;
}

static struct ub_conn *ub_test_conn(struct kunit *test)
{
	struct ub_conn *conn = kunit_kzalloc(test, sizeof(*conn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, conn);
	ub_connect(test, conn);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, ub_disconnect_action,
						  conn));
	return conn;
}

/* Read one record of @req and count the bytes that differ from @seed. */
static unsigned int ub_read_record(struct kunit *test, struct ub_conn *conn,
				   struct ub_req *req, u8 seed)
{
	unsigned int len = 4 + req->xdr.len, bad = 0, i;
	u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	struct msghdr msg = {};
	struct kvec kv = { .iov_base = buf, .iov_len = len };

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, (int)len,
			kernel_recvmsg(conn->server, &msg, &kv, 1, len,
				       MSG_WAITALL));
	for (i = 0; i < req->xdr.page_len; i++)
		if (buf[4 + UB_HEAD + i] != (u8)(seed + i / PAGE_SIZE))
			bad++;
	return bad;
}

/*
 * Patch 19's case against msg_ubuf: the first transmission and some
 * retransmissions are lost; the completion refills the pages at once, as
 * a sender would.  msg_ubuf gets this right: the retransmit queue's skb
 * carries the ubuf_info.
 */
static void ub_test_retransmit(struct kunit *test)
{
	const enum ub_mech *mech = test->param_value;
	struct ub_conn *conn = ub_test_conn(test);
	struct ub_req *req = ub_test_req(test, conn, PAGE_SIZE, 0x50);
	int i;

	req->reuse = 0x51;
	WRITE_ONCE(conn->hold, true);
	KUNIT_ASSERT_EQ(test, 0, ub_send(req, *mech));
	for (i = 0; i < 500 && atomic_read(&conn->dropped) < 2; i++)
		msleep(20);
	KUNIT_EXPECT_GE(test, atomic_read(&conn->dropped), 2);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(req->busy));
	WRITE_ONCE(conn->hold, false);
	KUNIT_EXPECT_EQ(test, 0U, ub_read_record(test, conn, req, 0x50));
	KUNIT_EXPECT_TRUE(test, ub_wait_idle(req));
	msleep(50);
	KUNIT_EXPECT_EQ(test, ub_refs(req), 0);
	KUNIT_EXPECT_GE(test, tcp_sk(conn->sk)->total_retrans, 2U);
}

/*
 * The MTU probe: with tcp_mtu_probing=2 the connection starts at
 * tcp_base_mss and tcp_mtu_probe() builds probes from the write queue
 * with tcp_clone_payload(), which takes page references but not the
 * ubuf_info of the skbs it eats.  The receiver does not read until the
 * request completed; the completion refills the pages.  The request must
 * not complete while the stack still holds its pages, and the receiver
 * must read what was sent.
 */
static void ub_test_mtu_probe(struct kunit *test)
{
	const enum ub_mech *mech = test->param_value;
	u8 saved = READ_ONCE(init_net.ipv4.sysctl_tcp_mtu_probing);
	unsigned long probes0, probes;
	struct ub_conn *conn;
	struct ub_req *req;
	unsigned int bad;
	int refs;

	WRITE_ONCE(init_net.ipv4.sysctl_tcp_mtu_probing, 2);
	conn = ub_test_conn(test);
	WRITE_ONCE(init_net.ipv4.sysctl_tcp_mtu_probing, saved);
	req = ub_test_req(test, conn, SZ_512K, 0x20);
	req->reuse = 0xee;
	WRITE_ONCE(conn->watch, req);
	probes0 = snmp_fold_field(init_net.mib.net_statistics,
				  LINUX_MIB_TCPMTUPSUCCESS);
	KUNIT_ASSERT_EQ(test, 0, ub_send(req, *mech));
	if (*mech != UB_COPY)
		KUNIT_EXPECT_TRUE(test, ub_wait_idle(req));
	/* Everything acknowledged before anything is read. */
	msleep(200);
	probes = snmp_fold_field(init_net.mib.net_statistics,
				 LINUX_MIB_TCPMTUPSUCCESS) - probes0;
	WRITE_ONCE(conn->watch, NULL);
	refs = ub_refs(req);
	bad = ub_read_record(test, conn, req, 0x20);
	kunit_info(test, "%s: %lu MTU probes acked, %d frames held request pages without a uarg, page refs at completion %d (the freed skb's included) and 200 ms later %d, %u of %u bytes read rewritten\n",
		   ub_mech_names[*mech], probes,
		   atomic_read(&conn->probe_like), req->extra_refs, refs, bad,
		   req->xdr.page_len);
	if (*mech == UB_COPY) {
		/* The control: probes were built on this connection. */
		KUNIT_EXPECT_GE(test, probes, 1UL);
		return;
	}
	KUNIT_EXPECT_EQ(test, refs, 0);
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

static const enum ub_mech ub_mechs[] = { UB_COPY, UB_UBUF, UB_LINK,
					  UB_DTOR };
static const enum ub_mech ub_zc_mechs[] = { UB_UBUF, UB_LINK, UB_DTOR };

static void ub_mech_desc(const enum ub_mech *m, char *desc)
{
	strscpy(desc, ub_mech_names[*m], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ub_mechs, ub_mechs, ub_mech_desc);
KUNIT_ARRAY_PARAM(ub_zc_mechs, ub_zc_mechs, ub_mech_desc);

static struct kunit_case ub_cases[] = {
	KUNIT_CASE_PARAM(ub_test_retransmit, ub_zc_mechs_gen_params),
	KUNIT_CASE_PARAM(ub_test_mtu_probe, ub_mechs_gen_params),
	{}
};

static struct kunit_suite ub_suite = {
	.name = "ubuf_vs_destructors",
	.test_cases = ub_cases,
};

/* ================= performance ================= */

#define UB_RUN_NS	(1 * NSEC_PER_SEC)
#define UB_MIN_ITERS	16U

static int ub_cmp(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

static void ub_bench_one(struct kunit *test, enum ub_mech mech, size_t size,
			 unsigned int inflight, unsigned int loss)
{
	struct ub_conn *conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	struct ub_req *reqs = kcalloc(inflight, sizeof(*reqs), GFP_KERNEL);
	unsigned int i, iters = 0, errors = 0;
	u64 tx0, tx_ns, bytes, wall_ns, mb100;
	struct task_struct *thread;
	ktime_t w0, end;
	struct ub_rx rx;
	s64 dmed = -1, dmax = -1;
	u32 retrans;

	KUNIT_ASSERT_TRUE(test, conn && reqs);
	conn->delays = kcalloc(UB_MAX_DELAYS, sizeof(*conn->delays),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, conn->delays);
	ub_connect(test, conn);
	for (i = 0; i < inflight; i++)
		if (ub_req_init(&reqs[i], conn, size, i)) {
			errors++;
			goto out;
		}

	rx.sock = conn->server;
	rx.bytes = 0;
	init_completion(&rx.done);
	thread = kthread_run(ub_rx_fn, &rx, "ubuf_bench_rx");
	KUNIT_ASSERT_FALSE(test, IS_ERR(thread));
	conn->loss_permille = loss;

	tx0 = task_sched_runtime(current);
	w0 = ktime_get();
	end = ktime_add_ns(w0, UB_RUN_NS);
	for (i = 0; i < UB_MIN_ITERS || ktime_before(ktime_get(), end); i++) {
		struct ub_req *req = &reqs[i % inflight];

		if (!ub_wait_idle(req)) {
			errors++;
			break;
		}
		if (ub_send(req, mech)) {
			errors++;
			break;
		}
		iters++;
	}
	for (i = 0; i < inflight; i++)
		if (!ub_wait_idle(&reqs[i]))
			errors++;
	tx_ns = task_sched_runtime(current) - tx0;
	wall_ns = ktime_to_ns(ktime_sub(ktime_get(), w0));
	conn->loss_permille = 0;
	kernel_sock_shutdown(conn->client, SHUT_WR);
	if (!wait_for_completion_timeout(&rx.done, 3 * UB_TIMEOUT))
		errors++;
	bytes = (u64)iters * (4 + UB_HEAD + size);
	if (rx.bytes != bytes)
		errors++;
	retrans = tcp_sk(conn->sk)->total_retrans;
	if (conn->ndelays) {
		sort(conn->delays, conn->ndelays, sizeof(s64), ub_cmp, NULL);
		dmed = conn->delays[conn->ndelays / 2];
		dmax = conn->delays[conn->ndelays - 1];
	}
	/* per MB figures in hundredths */
	mb100 = div64_u64(bytes, 10000) ? : 1;
	kunit_info(test,
		   "ub_bench: %-8s %5zuK %2u %3u.%u%% %7u %4llu.%03llu %6llu %6llu %6llu %4llu.%02llu %3llu.%02llu %8lld %9lld %4u %5u %6u %u\n",
		   ub_mech_names[mech], size >> 10, inflight, loss / 10,
		   loss % 10, iters,
		   div64_u64(tx_ns * 1000, bytes) / 1000,
		   div64_u64(tx_ns * 1000, bytes) % 1000,
		   div64_u64(bytes * 1000, wall_ns ? wall_ns : 1),
		   div64_u64((u64)atomic_read(&conn->frames) * 100, mb100),
		   div64_u64((u64)atomic_read(&conn->psh) * 100, mb100),
		   div64_u64((u64)atomic_read(&conn->segs) * 100, iters) / 100,
		   div64_u64((u64)atomic_read(&conn->segs) * 100, iters) % 100,
		   div64_u64((u64)retrans * 10000, mb100) / 100,
		   div64_u64((u64)retrans * 10000, mb100) % 100,
		   dmed, dmax, conn->max_packets_out,
		   atomic_read(&conn->dropped), atomic_read(&conn->copied),
		   errors);
out:
	ub_disconnect(conn);
	for (i = 0; i < inflight; i++)
		ub_req_free(&reqs[i]);
	kfree(reqs);
	kfree(conn->delays);
	kfree(conn);
}

static void ub_bench(struct kunit *test)
{
	static const size_t sizes[] = { SZ_4K, SZ_16K, SZ_64K, SZ_1M };
	static const unsigned int inflights[] = { 1, 8, 64 };
	static const unsigned int losses[] = { 0, 10 };
	unsigned int s, f, l;
	enum ub_mech m;

	/* Warm up, not reported. */
	ub_bench_one(test, UB_COPY, SZ_64K, 1, 0);
	kunit_info(test, "ub_bench: mech size inflight loss iters tx_ns/B MB/s frames/MB psh/MB segs/req retrans/MB ack2done_med_ns ack2done_max_ns max_packets_out dropped copied errors (per MB = per 10^6 bytes)\n");
	for (l = 0; l < ARRAY_SIZE(losses); l++)
		for (s = 0; s < ARRAY_SIZE(sizes); s++)
			for (f = 0; f < ARRAY_SIZE(inflights); f++)
				for (m = UB_COPY; m < UB_NR_MECH; m++)
					ub_bench_one(test, m, sizes[s],
						     inflights[f], losses[l]);
}

static struct kunit_case ub_bench_cases[] = {
	KUNIT_CASE_SLOW(ub_bench),
	{}
};

static struct kunit_suite ub_bench_suite = {
	.name = "ubuf_bench",
	.test_cases = ub_bench_cases,
};

kunit_test_suites(&ub_suite, &ub_bench_suite);
