// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sending the pages of an xdr_buf zero-copy with
 * xprt_sock_sendmsg_destructors(), over kernel sockets on the loopback
 * device of init_net.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/refcount.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/rtnetlink.h>
#include <linux/sched/signal.h>
#include <linux/skb_frag_destructor.h>
#include <linux/skbuff.h>
#include <linux/sock_diag.h>
#include <linux/sunrpc/clnt.h>
#include <linux/sunrpc/msg_prot.h>
#include <linux/sunrpc/xprt.h>
#include <linux/sunrpc/xprtsock.h>
#include <linux/sunrpc/xdr.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "socklib.h"

#define ST_TIMEOUT	(5 * HZ)
#define ST_HEAD		100
#define ST_PAGE_BASE	200
#define ST_PAGE_LEN	(PAGE_SIZE + 300)
#define ST_TAIL		50
#define ST_LEN		(ST_HEAD + ST_PAGE_LEN + ST_TAIL)

struct st_page {
	struct skb_frag_destructor destructor;
	struct completion done;
	atomic_t calls;
	int page_refs;
};

struct st_req {
	struct xdr_buf xdr;
	struct page *pages[2];
	struct st_page wrapped[2];
	struct skb_frag_destructor *dtors[2];
	struct msg_frag_destructors fd;
	u8 *expect;		/* the record as it goes on the wire */
};

KUNIT_DEFINE_ACTION_WRAPPER(st_put_page_action, put_page, struct page *);
KUNIT_DEFINE_ACTION_WRAPPER(st_sock_release_action, sock_release,
			    struct socket *);
KUNIT_DEFINE_ACTION_WRAPPER(st_free_bvec_action, xdr_free_bvec,
			    struct xdr_buf *);
KUNIT_DEFINE_ACTION_WRAPPER(st_zc_put_action, xprt_zc_put,
			    struct xprt_zc *);

static void st_destroy(struct skb_frag_destructor *destructor)
{
	struct st_page *p = container_of(destructor, struct st_page,
					 destructor);

	/* The request may reuse its page now; do so at once. */
	memset(page_address(destructor->page), 0xee, PAGE_SIZE);
	atomic_inc(&p->calls);
	complete(&p->done);
}

static void st_fill(u8 *buf, unsigned int len, u8 seed)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		buf[i] = seed ^ (i * 11) ^ (i >> 8);
}

/*
 * An RPC-like request: a head, ST_PAGE_LEN bytes of page data starting
 * ST_PAGE_BASE into the first of two wrapped pages, and a tail.  Made
 * before any socket, so that it outlives every skb that may point at it.
 */
static struct st_req *st_req(struct kunit *test)
{
	struct st_req *req = kunit_kzalloc(test, sizeof(*req), GFP_KERNEL);
	struct xdr_buf *xdr;
	u8 *head, *tail;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, req);
	xdr = &req->xdr;
	head = kunit_kmalloc(test, ST_HEAD, GFP_KERNEL);
	tail = kunit_kmalloc(test, ST_TAIL, GFP_KERNEL);
	req->expect = kunit_kmalloc(test, sizeof(rpc_fraghdr) + ST_LEN,
				    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, head);
	KUNIT_ASSERT_NOT_NULL(test, tail);
	KUNIT_ASSERT_NOT_NULL(test, req->expect);
	st_fill(head, ST_HEAD, 0x11);
	st_fill(tail, ST_TAIL, 0x22);

	for (i = 0; i < ARRAY_SIZE(req->pages); i++) {
		struct st_page *p = &req->wrapped[i];

		req->pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, req->pages[i]);
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test,
							  st_put_page_action,
							  req->pages[i]));
		st_fill(page_address(req->pages[i]), PAGE_SIZE, 0x33 + i);
		init_completion(&p->done);
		KUNIT_ASSERT_EQ(test, 0,
				skb_frag_destructor_init(&p->destructor,
							 req->pages[i],
							 st_destroy));
		p->page_refs = page_ref_count(req->pages[i]);
		req->dtors[i] = &p->destructor;
	}

	xdr->head[0].iov_base = head;
	xdr->head[0].iov_len = ST_HEAD;
	xdr->pages = req->pages;
	xdr->page_base = ST_PAGE_BASE;
	xdr->page_len = ST_PAGE_LEN;
	xdr->tail[0].iov_base = tail;
	xdr->tail[0].iov_len = ST_TAIL;
	xdr->len = ST_LEN;
	xdr->buflen = ST_LEN;
	KUNIT_ASSERT_EQ(test, xdr_buf_pagecount(xdr), ARRAY_SIZE(req->pages));
	KUNIT_ASSERT_EQ(test, 0, xdr_alloc_bvec(xdr, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, st_free_bvec_action,
						  xdr));
	req->fd.bvec = xdr->bvec;
	req->fd.destructors = req->dtors;
	req->fd.nr = ARRAY_SIZE(req->pages);

	*(rpc_fraghdr *)req->expect = cpu_to_be32(RPC_LAST_STREAM_FRAGMENT |
						  ST_LEN);
	memcpy(req->expect + 4, head, ST_HEAD);
	memcpy(req->expect + 4 + ST_HEAD,
	       page_address(req->pages[0]) + ST_PAGE_BASE,
	       PAGE_SIZE - ST_PAGE_BASE);
	memcpy(req->expect + 4 + ST_HEAD + PAGE_SIZE - ST_PAGE_BASE,
	       page_address(req->pages[1]), ST_PAGE_LEN - PAGE_SIZE +
	       ST_PAGE_BASE);
	memcpy(req->expect + 4 + ST_HEAD + ST_PAGE_LEN, tail, ST_TAIL);
	return req;
}

/*
 * Hand the pages off, then wait for the request's completion: every page
 * released by the stack.  Those in @held were sent zero-copy, so the stack
 * still holds them until the data is acknowledged: the caller holds
 * @server's socket lock (st_hold()), so its segments wait in the backlog,
 * unacknowledged; it is released here.  The others were copied or not
 * sent, and are released at once.
 */
static void st_handoff_and_wait(struct kunit *test, struct st_req *req,
				struct socket *server, unsigned int off,
				unsigned long held)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(req->wrapped); i++)
		skb_frag_destructor_put(&req->wrapped[i].destructor);
	for (i = 0; i < ARRAY_SIZE(req->wrapped); i++)
		KUNIT_EXPECT_EQ(test, atomic_read(&req->wrapped[i].calls),
				held & BIT(i) ? 0 : 1);

	if (server) {
		/* The ACK goes out; local delivery made copies. */
		release_sock(server->sk);
		unsigned int len = 4 + ST_LEN - off;
		u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);
		struct kvec kv = { .iov_base = buf, .iov_len = len };
		struct msghdr msg = {};

		KUNIT_ASSERT_NOT_NULL(test, buf);
		KUNIT_ASSERT_EQ(test, (int)len,
				kernel_recvmsg(server, &msg, &kv, 1, len,
					       MSG_WAITALL));
		KUNIT_EXPECT_MEMEQ(test, buf, req->expect + off, len);
	}

	for (i = 0; i < ARRAY_SIZE(req->wrapped); i++) {
		struct st_page *p = &req->wrapped[i];

		KUNIT_ASSERT_GT(test,
				wait_for_completion_timeout(&p->done,
							    ST_TIMEOUT),
				0UL);
		KUNIT_EXPECT_EQ(test, atomic_read(&p->calls), 1);
		KUNIT_EXPECT_EQ(test, page_ref_count(p->destructor.page),
				p->page_refs);
	}
}

static struct socket *st_socket(struct kunit *test, int type, int proto)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, 0, sock_create_kern(&init_net, AF_INET, type,
						  proto, &sock));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  st_sock_release_action,
						  sock));
	sock_no_linger(sock->sk);
	sock->sk->sk_rcvtimeo = ST_TIMEOUT;
	return sock;
}

static struct sockaddr_in st_bind_lo(struct kunit *test, struct socket *sock)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int err;

	/* Under KUnit nothing has brought lo up; that also adds 127.0.0.1. */
	rtnl_lock();
	err = dev_open(init_net.loopback_dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);

	KUNIT_ASSERT_EQ(test, 0, kernel_bind(sock, (struct sockaddr *)&addr,
					     sizeof(addr)));
	KUNIT_ASSERT_EQ(test, (int)sizeof(addr),
			kernel_getsockname(sock, (struct sockaddr *)&addr));
	return addr;
}

static void st_tcp_pair(struct kunit *test, struct socket **client,
			struct socket **server)
{
	struct socket *listener = st_socket(test, SOCK_STREAM, IPPROTO_TCP);
	struct sockaddr_in addr = st_bind_lo(test, listener);

	KUNIT_ASSERT_EQ(test, 0, kernel_listen(listener, 1));
	*client = st_socket(test, SOCK_STREAM, IPPROTO_TCP);
	KUNIT_ASSERT_EQ(test, 0,
			kernel_connect(*client, (struct sockaddr *)&addr,
				       sizeof(addr), 0));
	KUNIT_ASSERT_EQ(test, 0, kernel_accept(listener, server, 0));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  st_sock_release_action,
						  *server));
	sock_no_linger((*server)->sk);
	(*server)->sk->sk_rcvtimeo = ST_TIMEOUT;
}

/*
 * Segments for a socket its owner holds wait in its backlog, unacked, so
 * the sender's retransmit queue keeps the pages.  A different subclass
 * from the sender's own socket lock, which sendmsg() takes.
 */
static void st_hold(struct socket *server)
{
	lock_sock_nested(server->sk, SINGLE_DEPTH_NESTING);
}

static void st_send(struct kunit *test, struct socket *sock,
		    struct st_req *req, unsigned int base, rpc_fraghdr marker)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	unsigned int sent = 0;

	KUNIT_EXPECT_EQ(test, 0,
			xprt_sock_sendmsg_destructors(sock, &msg, &req->xdr,
						      base, marker, &req->fd,
						      &sent));
	KUNIT_EXPECT_EQ(test, sent,
			(marker ? 4 : 0) + ST_LEN - base);
	/* Nothing of the page send leaks into the caller's flags. */
	KUNIT_EXPECT_EQ(test, msg.msg_flags, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* A whole record: the page data goes zero-copy, head and tail copied. */
static void st_test_tcp_record(struct kunit *test)
{
	struct st_req *req = st_req(test);
	struct socket *client, *server;

	st_tcp_pair(test, &client, &server);
	st_hold(server);
	st_send(test, client, req, 0, *(rpc_fraghdr *)req->expect);
	st_handoff_and_wait(test, req, server, 0, BIT(0) | BIT(1));
}

/*
 * Resuming a partial send from inside the page data, as xs_tcp_send_request()
 * does after -EAGAIN: the wrappers are found past the skipped segments.
 */
static void st_test_tcp_resume(struct kunit *test)
{
	unsigned int off = 4 + ST_HEAD + PAGE_SIZE - ST_PAGE_BASE + 10;
	struct st_req *req = st_req(test);
	struct socket *client, *server;

	st_tcp_pair(test, &client, &server);
	st_hold(server);
	st_send(test, client, req, off, *(rpc_fraghdr *)req->expect);
	/* Only the second page was sent. */
	st_handoff_and_wait(test, req, server, off, BIT(1));
}

/* UDP cannot attach wrappers: the pages are copied, never held. */
static void st_test_udp_copies(struct kunit *test)
{
	struct st_req *req = st_req(test);
	struct socket *rx = st_socket(test, SOCK_DGRAM, IPPROTO_UDP);
	struct sockaddr_in addr = st_bind_lo(test, rx);
	struct socket *tx = st_socket(test, SOCK_DGRAM, IPPROTO_UDP);
	u8 *buf = kunit_kzalloc(test, ST_LEN + 1, GFP_KERNEL);
	struct kvec kv = { .iov_base = buf, .iov_len = ST_LEN + 1 };
	struct msghdr msg = {};

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, 0, kernel_connect(tx, (struct sockaddr *)&addr,
						sizeof(addr), 0));
	st_send(test, tx, req, 0, 0);
	st_handoff_and_wait(test, req, NULL, 0, 0);

	KUNIT_ASSERT_EQ(test, (int)ST_LEN,
			kernel_recvmsg(rx, &msg, &kv, 1, ST_LEN + 1, 0));
	KUNIT_EXPECT_MEMEQ(test, buf, req->expect + 4, ST_LEN);
}

/* Wait, bounded, until the stack let go of every page @zc wraps. */
static bool st_zc_wait_idle(struct xprt_zc *zc, unsigned long timeout)
{
	unsigned long end = jiffies + timeout;

	while (xprt_zc_busy(zc)) {
		if (time_after(jiffies, end))
			return false;
		msleep(20);
	}
	return true;
}

/*
 * A request's wrappers: made once, used for two transmissions (the second
 * on another connection, as after a reconnect), busy until the data of
 * both was acknowledged and the owner handed them off, and the pages'
 * refcounts never touched.
 */
static void st_test_zc_completion(struct kunit *test)
{
	struct st_req *req = st_req(test);
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	unsigned int len = 4 + ST_LEN, sent = 0;
	u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct socket *client[2], *server[2];
	enum xprt_zc_reason reason;
	struct msghdr rmsg = {};
	struct xprt_zc *zc;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	zc = xprt_zc_alloc(&req->xdr, GFP_KERNEL, &reason);
	KUNIT_ASSERT_NOT_NULL(test, zc);
	KUNIT_EXPECT_EQ(test, reason, XPRT_ZC_OK);
	/* Should an assertion fail, the sockets go first, then the wrappers. */
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, st_zc_put_action, zc));
	KUNIT_EXPECT_TRUE(test, xprt_zc_matches(zc, &req->xdr));

	for (i = 0; i < 2; i++) {
		st_tcp_pair(test, &client[i], &server[i]);
		/* Both receivers held at once: one lockdep subclass each. */
		lock_sock_nested(server[i]->sk, SINGLE_DEPTH_NESTING + 1 + i);
		KUNIT_EXPECT_EQ(test, 0,
				xprt_sock_sendmsg_destructors(client[i], &msg,
							      &req->xdr, 0,
							      *(rpc_fraghdr *)req->expect,
							      &zc->fd, &sent));
		KUNIT_EXPECT_EQ(test, sent, len);
	}
	xprt_zc_handoff(zc);
	KUNIT_EXPECT_FALSE(test, xprt_zc_matches(zc, &req->xdr));

	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_TRUE(test, xprt_zc_busy(zc));
		release_sock(server[i]->sk);
		memset(buf, 0, len);
		KUNIT_ASSERT_EQ(test, (int)len,
				kernel_recvmsg(server[i], &rmsg, &kv, 1, len,
					       MSG_WAITALL));
		KUNIT_EXPECT_MEMEQ(test, buf, req->expect, len);
	}
	KUNIT_EXPECT_TRUE(test, st_zc_wait_idle(zc, ST_TIMEOUT));
	for (i = 0; i < ARRAY_SIZE(req->pages); i++)
		KUNIT_EXPECT_EQ(test, page_ref_count(req->pages[i]),
				req->wrapped[i].page_refs);
}

/* Data that cannot be spliced is copied: no wrappers, nothing to wait for. */
static void st_test_zc_fallback(struct kunit *test)
{
	struct st_req *req = st_req(test);
	void *slab = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	enum xprt_zc_reason reason;
	struct page *page;

	KUNIT_ASSERT_NOT_NULL(test, slab);

	/* A slab page: TCP could not splice it. */
	page = req->xdr.bvec[1].bv_page;
	req->xdr.bvec[1].bv_page = virt_to_page(slab);
	KUNIT_EXPECT_NULL(test, xprt_zc_alloc(&req->xdr, GFP_KERNEL, &reason));
	KUNIT_EXPECT_EQ(test, reason, XPRT_ZC_UNSPLICABLE);
	req->xdr.bvec[1].bv_page = page;

	/* No page data. */
	req->xdr.page_len = 0;
	req->xdr.page_base = 0;
	KUNIT_EXPECT_NULL(test, xprt_zc_alloc(&req->xdr, GFP_KERNEL, &reason));
	KUNIT_EXPECT_EQ(test, reason, XPRT_ZC_OK);

	/* And nothing is nothing. */
	xprt_zc_handoff(NULL);
	xprt_zc_put(NULL);
}

/*
 * A whole RPC over a real client transport (xs_tcp_send_request()) to a
 * server thread that replies after reading only the call's XID and reads
 * the rest, the page data, ST_SERVER_DELAY later.  The call completes once
 * the stack has let go of its pages; the test then reuses them at once,
 * and the server, reading later, must still get the bytes that were sent:
 * what local delivery queued for it is a copy.
 */
#define ST_PROGRAM		0x20099999
#define ST_SERVER_DELAY		(HZ / 4)
#define ST_RPC_LEN		(2 * PAGE_SIZE)

struct st_rpc_args {
	struct page **pages;
};

static void st_rpc_encode(struct rpc_rqst *req, struct xdr_stream *xdr,
			  const void *data)
{
	const struct st_rpc_args *args = data;

	xdr_write_pages(xdr, args->pages, 0, ST_RPC_LEN);
}

static void st_rpc_encode_page(struct rpc_rqst *req, struct xdr_stream *xdr,
			       const void *data)
{
	const struct st_rpc_args *args = data;

	xdr_write_pages(xdr, args->pages, 0, PAGE_SIZE);
}

static int st_rpc_decode(struct rpc_rqst *req, struct xdr_stream *xdr,
			 void *data)
{
	return 0;
}

static const struct rpc_procinfo st_rpc_procs[] = {
	[1] = {
		.p_proc = 1,
		.p_encode = st_rpc_encode,
		.p_decode = st_rpc_decode,
		.p_arglen = 1,
		.p_replen = 1,
		.p_statidx = 1,
		.p_name = "PAGES",
	},
	[2] = {
		.p_proc = 2,
		.p_encode = st_rpc_encode_page,
		.p_decode = st_rpc_decode,
		.p_arglen = 1,
		.p_replen = 1,
		.p_statidx = 2,
		.p_name = "PAGE",
	},
};

static unsigned int st_rpc_counts[ARRAY_SIZE(st_rpc_procs)];

static const struct rpc_version st_rpc_version1 = {
	.number = 1,
	.nrprocs = ARRAY_SIZE(st_rpc_procs),
	.procs = st_rpc_procs,
	.counts = st_rpc_counts,
};

static const struct rpc_version *st_rpc_versions[] = {
	[1] = &st_rpc_version1,
};

static struct rpc_stat st_rpc_stats;

static const struct rpc_program st_rpc_program = {
	.name = "socklib_test",
	.number = ST_PROGRAM,
	.nrvers = ARRAY_SIZE(st_rpc_versions),
	.version = st_rpc_versions,
	.stats = &st_rpc_stats,
};

/*
 * The server thread may outlive a failed test: it owns the listener, its
 * connection and this structure (shared through @ref), and gives up within
 * its sockets' timeouts.
 */
struct st_server {
	refcount_t ref;
	struct socket *listener;
	struct completion done;
	bool replied;
	bool data_ok;
	u8 expect[ST_RPC_LEN];	/* the page data */
};

static void st_server_put(struct st_server *srv)
{
	if (refcount_dec_and_test(&srv->ref))
		kfree(srv);
}

KUNIT_DEFINE_ACTION_WRAPPER(st_server_put_action, st_server_put,
			    struct st_server *);

static int st_read(struct socket *sock, void *buf, unsigned int len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {};

	return kernel_recvmsg(sock, &msg, &kv, 1, len, MSG_WAITALL);
}

/* Reply SUCCESS, with no results, to the call @xid. */
static int st_reply(struct socket *conn, __be32 xid)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	__be32 reply[7] = {
		cpu_to_be32(RPC_LAST_STREAM_FRAGMENT | 24), xid,
		cpu_to_be32(RPC_REPLY), cpu_to_be32(RPC_MSG_ACCEPTED),
		cpu_to_be32(RPC_AUTH_NULL), 0, cpu_to_be32(RPC_SUCCESS),
	};
	struct kvec kv = { .iov_base = reply, .iov_len = sizeof(reply) };

	if (kernel_sendmsg(conn, &msg, &kv, 1, sizeof(reply)) !=
	    sizeof(reply))
		return -EIO;
	return 0;
}

static int st_server_fn(void *data)
{
	struct st_server *srv = data;
	struct socket *conn = NULL;
	unsigned int len;
	u8 *rec = NULL;
	__be32 hdr[2];

	if (kernel_accept(srv->listener, &conn, 0)) {
		conn = NULL;
		goto out;
	}
	sock_no_linger(conn->sk);
	conn->sk->sk_rcvtimeo = ST_TIMEOUT;
	conn->sk->sk_sndtimeo = ST_TIMEOUT;
	if (st_read(conn, hdr, sizeof(hdr)) != sizeof(hdr))
		goto out;
	len = (be32_to_cpu(hdr[0]) & RPC_FRAGMENT_SIZE_MASK) - 4;
	if (len < ST_RPC_LEN || len > 2 * ST_RPC_LEN)
		goto out;

	if (st_reply(conn, hdr[1]))
		goto out;
	WRITE_ONCE(srv->replied, true);

	schedule_timeout_uninterruptible(ST_SERVER_DELAY);
	rec = kmalloc(len, GFP_KERNEL);
	if (!rec)
		goto out;
	if (st_read(conn, rec, len) != len)
		goto out;
	srv->data_ok = !memcmp(rec + len - ST_RPC_LEN, srv->expect,
			       ST_RPC_LEN);
out:
	kfree(rec);
	if (conn)
		sock_release(conn);
	sock_release(srv->listener);
	complete(&srv->done);
	st_server_put(srv);
	return 0;
}

static const struct rpc_timeout st_rpc_timeout = {
	.to_initval = ST_TIMEOUT,
	.to_maxval = ST_TIMEOUT,
	.to_retries = 0,
};

static void st_test_rpc_call(struct kunit *test)
{
	struct page **pages = kunit_kcalloc(test, 2, sizeof(*pages),
					    GFP_KERNEL);
	struct st_rpc_args args = { .pages = pages };
	struct rpc_message msg = {
		.rpc_proc = &st_rpc_procs[1],
		.rpc_argp = &args,
	};
	struct rpc_create_args cargs = {
		.net = &init_net,
		.protocol = XPRT_TRANSPORT_TCP,
		.servername = "localhost",
		.program = &st_rpc_program,
		.version = 1,
		.authflavor = RPC_AUTH_NULL,
		.timeout = &st_rpc_timeout,
		.flags = RPC_CLNT_CREATE_NOPING | RPC_CLNT_CREATE_NONPRIVPORT,
	};
	struct task_struct *thread;
	struct sockaddr_in addr;
	bool replied;
	struct st_server *srv;
	struct rpc_clnt *clnt;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	srv = kzalloc(sizeof(*srv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, srv);
	refcount_set(&srv->ref, 1);
	init_completion(&srv->done);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, st_server_put_action,
						  srv));
	for (i = 0; i < 2; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test,
							  st_put_page_action,
							  pages[i]));
		st_fill(page_address(pages[i]), PAGE_SIZE, 0x44 + i);
		memcpy(srv->expect + i * PAGE_SIZE, page_address(pages[i]),
		       PAGE_SIZE);
	}

	srv->listener = st_socket(test, SOCK_STREAM, IPPROTO_TCP);
	addr = st_bind_lo(test, srv->listener);
	KUNIT_ASSERT_EQ(test, 0, kernel_listen(srv->listener, 1));
	/* From here on the server thread releases the listener. */
	kunit_remove_action(test, st_sock_release_action, srv->listener);
	refcount_inc(&srv->ref);
	thread = kthread_run(st_server_fn, srv, "socklib_test_srv");
	if (IS_ERR(thread)) {
		sock_release(srv->listener);
		refcount_dec(&srv->ref);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(thread));
		return;
	}

	cargs.address = (struct sockaddr *)&addr;
	cargs.addrsize = sizeof(addr);
	clnt = rpc_create(&cargs);
	/* On failure, the server's accept() times out. */
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, clnt);

	/* A soft call: an RPC timeout and the bounded release wait. */
	KUNIT_EXPECT_EQ(test, 0, rpc_call_sync(clnt, &msg, RPC_TASK_SOFT));
	/* The call returned: the stack must have let go of the pages. */
	replied = READ_ONCE(srv->replied);
	KUNIT_EXPECT_TRUE(test, replied);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, page_ref_count(pages[i]), 1);
	/* Reusing the pages now cannot change what was sent. */
	for (i = 0; i < 2; i++)
		memset(page_address(pages[i]), 0, PAGE_SIZE);

	/* The server gives up within its sockets' timeouts. */
	if (wait_for_completion_timeout(&srv->done, 3 * ST_TIMEOUT))
		KUNIT_EXPECT_TRUE(test, srv->data_ok);
	else
		KUNIT_FAIL(test, "the server thread did not finish");
	rpc_shutdown_client(clnt);
}

/*
 * The data segments sent to a port (@dport) or by one connection
 * (@cookie) are dropped, as by a dead link, or, with @clone, let through
 * with a clone kept, as by a device that still holds an skb after the
 * data was acknowledged; @victim, if set, gets a SIGKILL at the first.
 */
struct st_hook {
	struct nf_hook_ops ops;
	__be16 dport;
	u64 cookie;
	bool clone;
	struct task_struct *victim;
	atomic_t hits;
	struct sk_buff_head clones;
};

static unsigned int st_hook_fn(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct st_hook *hook = priv;
	const struct tcphdr *th;
	struct sk_buff *clone;
	struct tcphdr _th;
	unsigned int thoff;

	if (iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	thoff = iph->ihl * 4;
	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || skb->len <= thoff + th->doff * 4)
		return NF_ACCEPT;
	if (hook->dport && th->dest != hook->dport)
		return NF_ACCEPT;
	/* One connection, even if the next one has the same ports. */
	if (hook->cookie &&
	    (!skb->sk || !sk_fullsock(skb->sk) ||
	     atomic64_read(&skb->sk->sk_cookie) != hook->cookie))
		return NF_ACCEPT;
	if (atomic_inc_return(&hook->hits) == 1 && hook->victim)
		send_sig(SIGKILL, hook->victim, 1);
	if (hook->clone) {
		clone = skb_clone(skb, GFP_ATOMIC);
		if (clone)
			skb_queue_tail(&hook->clones, clone);
		return NF_ACCEPT;
	}
	kfree_skb(skb);
	return NF_STOLEN;
}

static void st_hook_unregister(void *data)
{
	struct st_hook *hook = data;

	nf_unregister_net_hook(&init_net, &hook->ops);
	skb_queue_purge(&hook->clones);
}

static struct st_hook *st_hook(struct kunit *test, __be16 dport, bool clone)
{
	struct st_hook *hook = kunit_kzalloc(test, sizeof(*hook), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, hook);
	skb_queue_head_init(&hook->clones);
	hook->dport = dport;
	hook->clone = clone;
	hook->ops.hook = st_hook_fn;
	hook->ops.priv = hook;
	hook->ops.pf = NFPROTO_IPV4;
	hook->ops.hooknum = NF_INET_LOCAL_OUT;
	hook->ops.priority = NF_IP_PRI_FIRST;
	KUNIT_ASSERT_EQ(test, 0, nf_register_net_hook(&init_net, &hook->ops));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, st_hook_unregister,
						  hook));
	return hook;
}

/* Neither the RPC timeout nor TCP_USER_TIMEOUT ends the test's wait. */
static const struct rpc_timeout st_rpc_long_timeout = {
	.to_initval = 6 * ST_TIMEOUT,
	.to_maxval = 6 * ST_TIMEOUT,
	.to_retries = 0,
};

/* The client's transport, with a reference. */
static struct rpc_xprt *st_clnt_xprt(struct rpc_clnt *clnt)
{
	struct rpc_xprt *xprt;

	rcu_read_lock();
	xprt = xprt_get(rcu_dereference(clnt->cl_xprt));
	rcu_read_unlock();
	return xprt;
}

/* Which connection the transport is on (the same: no reconnect). */
static unsigned int st_cookie(const struct rpc_xprt *xprt)
{
	return READ_ONCE(xprt->connect_cookie);
}

/* Wait, bounded, until @page's refcount is @refs. */
static bool st_page_refs_settle(struct page *page, int refs,
				unsigned long timeout)
{
	unsigned long end = jiffies + timeout;

	while (page_ref_count(page) != refs) {
		if (time_after(jiffies, end))
			return false;
		msleep(20);
	}
	return true;
}

/*
 * A synchronous task killed while its pages sit unacknowledged in the
 * retransmit queue of a connection that loses everything: the caller is
 * detached and returns at once, nothing is reset, and the pages stay
 * allocated, held by the stack, until it lets go of them.  That happens
 * here when the link comes back: the retransmission is acknowledged.
 */
static void st_test_rpc_killed(struct kunit *test)
{
	struct page **pages = kunit_kcalloc(test, 2, sizeof(*pages),
					    GFP_KERNEL);
	struct st_rpc_args args = { .pages = pages };
	struct rpc_message msg = {
		.rpc_proc = &st_rpc_procs[1],
		.rpc_argp = &args,
	};
	struct rpc_create_args cargs = {
		.net = &init_net,
		.protocol = XPRT_TRANSPORT_TCP,
		.servername = "localhost",
		.program = &st_rpc_program,
		.version = 1,
		.authflavor = RPC_AUTH_NULL,
		.timeout = &st_rpc_long_timeout,
		.flags = RPC_CLNT_CREATE_NOPING | RPC_CLNT_CREATE_NONPRIVPORT,
	};
	struct socket *listener;
	struct sockaddr_in addr;
	unsigned long elapsed;
	struct rpc_xprt *xprt;
	struct rpc_clnt *clnt;
	struct st_hook *hook;
	unsigned int cookie;
	int i, ret;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < 2; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test,
							  st_put_page_action,
							  pages[i]));
	}

	/* The kernel completes the handshake; nobody needs to accept(). */
	listener = st_socket(test, SOCK_STREAM, IPPROTO_TCP);
	addr = st_bind_lo(test, listener);
	KUNIT_ASSERT_EQ(test, 0, kernel_listen(listener, 1));

	hook = st_hook(test, addr.sin_port, false);
	hook->victim = current;

	cargs.address = (struct sockaddr *)&addr;
	cargs.addrsize = sizeof(addr);
	clnt = rpc_create(&cargs);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, clnt);

	allow_signal(SIGKILL);
	elapsed = jiffies;
	ret = rpc_call_sync(clnt, &msg, RPC_TASK_SOFT);
	elapsed = jiffies - elapsed;
	flush_signals(current);
	disallow_signal(SIGKILL);

	KUNIT_EXPECT_NE(test, ret, 0);
	KUNIT_EXPECT_GE(test, atomic_read(&hook->hits), 1);
	/* Not after the RPC timeout or TCP_USER_TIMEOUT (30 s). */
	KUNIT_EXPECT_LT(test, elapsed, (unsigned long)ST_TIMEOUT);

	/* Detached: nothing reset, the pages still held by the stack. */
	xprt = st_clnt_xprt(clnt);
	cookie = st_cookie(xprt);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&xprt->zc_stats.detached), 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&xprt->zc_stats.aborts), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&xprt->zc_stats.purges), 0L);
	KUNIT_EXPECT_TRUE(test, xprt_connected(xprt));
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, page_ref_count(pages[i]), 2);

	/* The link comes back: the retransmission is acknowledged. */
	kunit_release_action(test, st_hook_unregister, hook);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_TRUE(test, st_page_refs_settle(pages[i], 1,
							    6 * ST_TIMEOUT));
	/* No reconnect, no reset. */
	KUNIT_EXPECT_EQ(test, st_cookie(xprt), cookie);
	KUNIT_EXPECT_TRUE(test, xprt_connected(xprt));
	xprt_put(xprt);
	rpc_shutdown_client(clnt);
}

/*
 * A server for many calls and connections: it replies to every call it
 * reads and counts calls whose page data is not ST_PATTERN.  Reads block
 * without a timeout (a blackout must not end the connection from this
 * side); st_rsrv_stop() shuts the sockets down.  Refcounted, as
 * st_server, so that the thread may outlive a failed test.
 */
#define ST_PATTERN	0x5a
#define ST_RSRV_MAX	(4 * PAGE_SIZE)

struct st_rsrv {
	refcount_t ref;
	struct mutex lock;	/* @conn */
	struct socket *listener;
	struct socket *conn;
	struct completion done;
	bool stop;
	atomic_t conns;
	atomic_t calls;
	atomic_t bad;
	struct sockaddr_in addr;
};

static void st_rsrv_put(struct st_rsrv *srv)
{
	if (refcount_dec_and_test(&srv->ref)) {
		sock_release(srv->listener);
		kfree(srv);
	}
}

static void st_rsrv_serve(struct st_rsrv *srv, struct socket *conn, u8 *rec)
{
	unsigned int len;
	__be32 hdr[2];

	for (;;) {
		if (st_read(conn, hdr, sizeof(hdr)) != sizeof(hdr))
			return;
		len = (be32_to_cpu(hdr[0]) & RPC_FRAGMENT_SIZE_MASK) - 4;
		if (len < PAGE_SIZE || len > ST_RSRV_MAX)
			return;
		if (st_read(conn, rec, len) != len)
			return;
		/* The page data ends the call. */
		if (memchr_inv(rec + len - PAGE_SIZE, ST_PATTERN, PAGE_SIZE))
			atomic_inc(&srv->bad);
		atomic_inc(&srv->calls);
		if (st_reply(conn, hdr[1]))
			return;
	}
}

static int st_rsrv_fn(void *data)
{
	struct st_rsrv *srv = data;
	struct socket *conn;
	u8 *rec;

	rec = kmalloc(ST_RSRV_MAX, GFP_KERNEL);
	srv->listener->sk->sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
	while (rec && !READ_ONCE(srv->stop)) {
		if (kernel_accept(srv->listener, &conn, 0))
			break;
		conn->sk->sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
		mutex_lock(&srv->lock);
		srv->conn = conn;
		mutex_unlock(&srv->lock);
		atomic_inc(&srv->conns);
		st_rsrv_serve(srv, conn, rec);
		mutex_lock(&srv->lock);
		srv->conn = NULL;
		mutex_unlock(&srv->lock);
		sock_release(conn);
	}
	kfree(rec);
	complete(&srv->done);
	st_rsrv_put(srv);
	return 0;
}

static void st_rsrv_stop(void *data)
{
	struct st_rsrv *srv = data;

	WRITE_ONCE(srv->stop, true);
	kernel_sock_shutdown(srv->listener, SHUT_RDWR);
	mutex_lock(&srv->lock);
	if (srv->conn)
		kernel_sock_shutdown(srv->conn, SHUT_RDWR);
	mutex_unlock(&srv->lock);
	wait_for_completion_timeout(&srv->done, ST_TIMEOUT);
	st_rsrv_put(srv);
}

static struct st_rsrv *st_rsrv_start(struct kunit *test)
{
	struct task_struct *thread;
	struct st_rsrv *srv;

	srv = kzalloc(sizeof(*srv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, srv);
	refcount_set(&srv->ref, 1);
	mutex_init(&srv->lock);
	init_completion(&srv->done);
	srv->listener = st_socket(test, SOCK_STREAM, IPPROTO_TCP);
	srv->addr = st_bind_lo(test, srv->listener);
	KUNIT_ASSERT_EQ(test, 0, kernel_listen(srv->listener, 4));
	kunit_remove_action(test, st_sock_release_action, srv->listener);
	refcount_inc(&srv->ref);
	thread = kthread_run(st_rsrv_fn, srv, "socklib_test_rsrv");
	if (IS_ERR(thread)) {
		refcount_dec(&srv->ref);
		st_rsrv_put(srv);
		KUNIT_FAIL_AND_ABORT(test, "kthread_run: %ld", PTR_ERR(thread));
	}
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, st_rsrv_stop, srv));
	return srv;
}

KUNIT_DEFINE_ACTION_WRAPPER(st_shutdown_client_action, rpc_shutdown_client,
			    struct rpc_clnt *);
KUNIT_DEFINE_ACTION_WRAPPER(st_xprt_put_action, xprt_put, struct rpc_xprt *);

/* A client of @srv, shut down when the test ends; *@xprt its transport. */
static struct rpc_clnt *st_clnt(struct kunit *test, struct st_rsrv *srv,
				const struct rpc_timeout *timeout,
				struct rpc_xprt **xprt)
{
	struct rpc_create_args cargs = {
		.net = &init_net,
		.protocol = XPRT_TRANSPORT_TCP,
		.address = (struct sockaddr *)&srv->addr,
		.addrsize = sizeof(srv->addr),
		.servername = "localhost",
		.program = &st_rpc_program,
		.version = 1,
		.authflavor = RPC_AUTH_NULL,
		.timeout = timeout,
		.flags = RPC_CLNT_CREATE_NOPING | RPC_CLNT_CREATE_NONPRIVPORT,
	};
	struct rpc_clnt *clnt = rpc_create(&cargs);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, clnt);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  st_shutdown_client_action,
						  clnt));
	*xprt = st_clnt_xprt(clnt);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, st_xprt_put_action,
						  *xprt));
	return clnt;
}

/* @nr pages filled with ST_PATTERN, freed when the test ends. */
static struct page **st_pages(struct kunit *test, unsigned int nr)
{
	struct page **pages = kunit_kcalloc(test, nr, sizeof(*pages),
					    GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < nr; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test,
							  st_put_page_action,
							  pages[i]));
		memset(page_address(pages[i]), ST_PATTERN, PAGE_SIZE);
	}
	return pages;
}

static long st_zc_stat(const atomic_long_t *v)
{
	return atomic_long_read(v);
}

/* Asynchronous calls, one page each. */
struct st_async {
	atomic_t left;
	atomic_t ok;
	atomic_t early;		/* done while the stack held the page */
	struct completion all;
};

struct st_call {
	struct st_async *async;
	struct page *page;
	struct st_rpc_args args;
};

static void st_async_done(struct rpc_task *task, void *data)
{
	struct st_call *call = data;

	if (!task->tk_status)
		atomic_inc(&call->async->ok);
	if (page_ref_count(call->page) != 1)
		atomic_inc(&call->async->early);
}

static void st_async_release(void *data)
{
	struct st_call *call = data;

	if (atomic_dec_and_test(&call->async->left))
		complete(&call->async->all);
}

static const struct rpc_call_ops st_async_ops = {
	.rpc_call_done = st_async_done,
	.rpc_release = st_async_release,
};

static struct st_async *st_async_start(struct kunit *test,
				       struct rpc_clnt *clnt,
				       struct page **pages, unsigned int nr)
{
	struct st_async *async = kunit_kzalloc(test, sizeof(*async),
					       GFP_KERNEL);
	struct st_call *calls = kunit_kcalloc(test, nr, sizeof(*calls),
					      GFP_KERNEL);
	struct rpc_message msg = { .rpc_proc = &st_rpc_procs[2] };
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, async);
	KUNIT_ASSERT_NOT_NULL(test, calls);
	atomic_set(&async->left, nr);
	init_completion(&async->all);
	for (i = 0; i < nr; i++) {
		calls[i].async = async;
		calls[i].page = pages[i];
		calls[i].args.pages = &calls[i].page;
		msg.rpc_argp = &calls[i].args;
		/* rpc_release runs on failure too. */
		rpc_call_async(clnt, &msg, RPC_TASK_SOFT, &st_async_ops,
			       &calls[i]);
	}
	return async;
}

/*
 * Give the transport @to as its own timeout, before it connects: the
 * bound of a request's wait for the stack, and TCP's user timeout.
 */
static void st_xprt_timeout(struct rpc_xprt *xprt,
			    const struct rpc_timeout *to)
{
	struct sock_xprt *transport = container_of(xprt, struct sock_xprt,
						   xprt);

	spin_lock(&xprt->transport_lock);
	xprt->timeout = to;
	set_bit(XPRT_SOCK_UPD_TIMEOUT, &transport->sock_state);
	spin_unlock(&xprt->transport_lock);
}

/* Let the transport's socket queue @bytes before sendmsg() waits. */
static void st_xprt_sndbuf(struct kunit *test, struct rpc_xprt *xprt,
			   int bytes)
{
	struct sock_xprt *transport = container_of(xprt, struct sock_xprt,
						   xprt);
	struct sock *sk = transport->inet;

	KUNIT_ASSERT_NOT_NULL(test, sk);
	lock_sock(sk);
	sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
	WRITE_ONCE(sk->sk_sndbuf, bytes);
	release_sock(sk);
}

static int st_wait_qlen(struct rpc_wait_queue *queue, unsigned int qlen,
			unsigned long timeout)
{
	unsigned long end = jiffies + timeout;

	while (READ_ONCE(queue->qlen) < qlen && time_before(jiffies, end))
		msleep(20);
	return READ_ONCE(queue->qlen);
}

/*
 * The soft calls time out after 2 s; the transport's bound for the wait
 * that follows, and TCP's user timeout, are 2 x 2 s.
 */
static const struct rpc_timeout st_rpc_stall_timeout = {
	.to_initval = 2 * HZ,
	.to_maxval = 2 * HZ,
	.to_retries = 1,
};

#define ST_STALL_CALLS	1024

struct st_stall_param {
	const char *name;
	bool peer_returns;
};

static const struct st_stall_param st_stall_params[] = {
	{ "peer_acks", true },
	{ "transport_timeout", false },
};

static void st_stall_desc(const struct st_stall_param *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(st_stall, st_stall_params, st_stall_desc);

/*
 * 1024 asynchronous soft calls to a peer that stopped acknowledging: they
 * time out, and then wait for the stack on the transport's queue, not in
 * rpciod, which meanwhile completes a call on another transport within a
 * second.  Every call completes once the peer acknowledges, or once the
 * transport's own bound closes the connection the pages are held on; none
 * while the stack still holds its page.
 */
static void st_test_rpc_stalled(struct kunit *test)
{
	const struct st_stall_param *param = test->param_value;
	struct rpc_message msg = { .rpc_proc = &st_rpc_procs[2] };
	struct st_rsrv *srv = st_rsrv_start(test);
	struct st_rsrv *other = st_rsrv_start(test);
	struct page **pages = st_pages(test, ST_STALL_CALLS + 2);
	struct rpc_xprt *xprt, *other_xprt;
	struct rpc_clnt *clnt, *other_clnt;
	struct st_async *async, *quick;
	struct st_rpc_args args;
	struct st_hook *hook;
	unsigned int i, cookie;
	unsigned long t0;
	long waited;

	clnt = st_clnt(test, srv, &st_rpc_stall_timeout, &xprt);
	st_xprt_timeout(xprt, &st_rpc_stall_timeout);
	other_clnt = st_clnt(test, other, &st_rpc_timeout, &other_xprt);

	/* Connected, with room for every call in the socket. */
	args.pages = &pages[ST_STALL_CALLS];
	msg.rpc_argp = &args;
	KUNIT_ASSERT_EQ(test, 0, rpc_call_sync(clnt, &msg, RPC_TASK_SOFT));
	st_xprt_sndbuf(test, xprt, 32 << 20);

	waited = st_zc_stat(&xprt->zc_stats.waited);
	cookie = st_cookie(xprt);
	hook = st_hook(test, srv->addr.sin_port, false);
	async = st_async_start(test, clnt, pages, ST_STALL_CALLS);
	KUNIT_EXPECT_EQ(test, st_wait_qlen(&xprt->zerocopy, ST_STALL_CALLS,
					   10 * HZ), ST_STALL_CALLS);
	KUNIT_EXPECT_EQ(test, atomic_read(&async->left), ST_STALL_CALLS);

	/* rpciod is free: a call on another transport completes at once. */
	t0 = jiffies;
	quick = st_async_start(test, other_clnt, &pages[ST_STALL_CALLS + 1],
			       1);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&quick->all, HZ),
			0UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&quick->ok), 1);
	KUNIT_EXPECT_LE(test, jiffies - t0, (unsigned long)HZ);
	KUNIT_EXPECT_EQ(test, atomic_read(&async->left), ST_STALL_CALLS);

	if (param->peer_returns)
		kunit_release_action(test, st_hook_unregister, hook);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&async->all,
							  12 * ST_TIMEOUT),
			0UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&async->early), 0);
	KUNIT_EXPECT_EQ(test, st_zc_stat(&xprt->zc_stats.waited) - waited,
			(long)ST_STALL_CALLS);
	KUNIT_EXPECT_EQ(test, st_zc_stat(&xprt->zc_stats.detached), 0L);
	if (param->peer_returns) {
		KUNIT_EXPECT_EQ(test, st_zc_stat(&xprt->zc_stats.aborts), 0L);
		KUNIT_EXPECT_EQ(test, st_cookie(xprt), cookie);
		KUNIT_EXPECT_EQ(test, atomic_read(&srv->conns), 1);
	} else {
		/* One connection closed, by the first call past the bound. */
		KUNIT_EXPECT_GE(test, st_zc_stat(&xprt->zc_stats.purges), 1L);
		KUNIT_EXPECT_LE(test, st_zc_stat(&xprt->zc_stats.purges), 1L);
	}
	for (i = 0; i < ST_STALL_CALLS; i++)
		KUNIT_EXPECT_EQ(test, page_ref_count(pages[i]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&srv->bad), 0);
}

/* A synchronous writer in its own thread, which the test may kill. */
struct st_writer {
	struct rpc_clnt *clnt;
	struct page *page;
	struct task_struct *thread;
	struct completion done;
	unsigned long returned;
	int status;
};

struct st_writers {
	unsigned int nr;
	struct st_writer w[];
};

static int st_writer_fn(void *data)
{
	struct st_writer *w = data;
	struct st_rpc_args args = { .pages = &w->page };
	struct rpc_message msg = {
		.rpc_proc = &st_rpc_procs[2],
		.rpc_argp = &args,
	};

	allow_signal(SIGKILL);
	w->status = rpc_call_sync(w->clnt, &msg, 0);
	w->returned = jiffies;
	complete_all(&w->done);
	return 0;
}

/*
 * Registered before the client, so run after its shutdown, which ends a
 * writer's call if the test failed before: the threads have exited before
 * their st_writer is freed.
 */
static void st_writers_reap(void *data)
{
	struct st_writers *ws = data;
	unsigned int i;

	for (i = 0; i < ws->nr; i++) {
		if (!ws->w[i].thread)
			continue;
		kthread_stop(ws->w[i].thread);
		put_task_struct(ws->w[i].thread);
	}
}

static struct st_writers *st_writers(struct kunit *test, unsigned int nr)
{
	struct st_writers *ws;
	unsigned int i;

	ws = kunit_kzalloc(test, struct_size(ws, w, nr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ws);
	ws->nr = nr;
	for (i = 0; i < nr; i++)
		init_completion(&ws->w[i].done);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, st_writers_reap, ws));
	return ws;
}

static void st_writer_start(struct kunit *test, struct st_writer *w,
			    struct rpc_clnt *clnt, struct page *page)
{
	struct task_struct *thread;

	w->clnt = clnt;
	w->page = page;
	thread = kthread_run(st_writer_fn, w, "st_writer");
	KUNIT_ASSERT_FALSE(test, IS_ERR(thread));
	get_task_struct(thread);
	w->thread = thread;
}

#define ST_WRITERS	16

/*
 * 16 writers share a transport; the link stops carrying data, and one of
 * them is killed while its page sits unacknowledged.  It returns at once;
 * nothing is reset and nothing reconnects; when the link comes back the
 * other 15 complete, and the killed writer's page is released then.
 */
static void st_test_rpc_writer_killed(struct kunit *test)
{
	struct st_writers *ws = st_writers(test, ST_WRITERS);
	struct st_rsrv *srv = st_rsrv_start(test);
	struct page **pages = st_pages(test, ST_WRITERS + 1);
	struct st_writer *w = ws->w;
	struct rpc_xprt *xprt;
	struct rpc_clnt *clnt;
	struct st_hook *hook;
	unsigned long killed;
	unsigned int cookie;
	int i;

	clnt = st_clnt(test, srv, &st_rpc_long_timeout, &xprt);
	/* Connected, with room for every call in the socket. */
	{
		struct st_rpc_args args = { .pages = &pages[ST_WRITERS] };
		struct rpc_message msg = {
			.rpc_proc = &st_rpc_procs[2],
			.rpc_argp = &args,
		};

		KUNIT_ASSERT_EQ(test, 0, rpc_call_sync(clnt, &msg, 0));
	}
	st_xprt_sndbuf(test, xprt, 4 << 20);
	cookie = st_cookie(xprt);
	hook = st_hook(test, srv->addr.sin_port, false);

	for (i = 0; i < ST_WRITERS; i++)
		st_writer_start(test, &w[i], clnt, pages[i]);
	/* Every page is in the stack, none acknowledged. */
	for (i = 0; i < ST_WRITERS; i++)
		KUNIT_EXPECT_TRUE(test, st_page_refs_settle(pages[i], 2,
							    ST_TIMEOUT));

	killed = jiffies;
	send_sig(SIGKILL, w[0].thread, 1);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&w[0].done, HZ),
			0UL);
	KUNIT_EXPECT_NE(test, w[0].status, 0);
	KUNIT_EXPECT_LE(test, w[0].returned - killed, (unsigned long)HZ);
	KUNIT_EXPECT_EQ(test, page_ref_count(pages[0]), 2);
	KUNIT_EXPECT_EQ(test, st_zc_stat(&xprt->zc_stats.detached), 1L);

	kunit_release_action(test, st_hook_unregister, hook);
	for (i = 1; i < ST_WRITERS; i++) {
		KUNIT_EXPECT_GT(test,
				wait_for_completion_timeout(&w[i].done,
							    6 * ST_TIMEOUT),
				0UL);
		KUNIT_EXPECT_EQ(test, w[i].status, 0);
		KUNIT_EXPECT_EQ(test, page_ref_count(pages[i]), 1);
	}
	KUNIT_EXPECT_TRUE(test, st_page_refs_settle(pages[0], 1, ST_TIMEOUT));
	KUNIT_EXPECT_EQ(test, st_cookie(xprt), cookie);
	KUNIT_EXPECT_EQ(test, atomic_read(&srv->conns), 1);
	KUNIT_EXPECT_EQ(test, st_zc_stat(&xprt->zc_stats.aborts), 0L);
	KUNIT_EXPECT_EQ(test, st_zc_stat(&xprt->zc_stats.purges), 0L);
	KUNIT_EXPECT_EQ(test, atomic_read(&srv->bad), 0);
}

/*
 * A call's data is lost on connection A; the client reconnects (as after
 * a server failover) and retransmits on B.  Closing A frees its queues at
 * once (linger 0), so the call completes on B as soon as B delivers it,
 * with its pages released, not after A's orphan gives up; B is not reset.
 */
static void st_test_rpc_reconnect(struct kunit *test)
{
	struct st_writer *w = st_writers(test, 1)->w;
	struct st_rsrv *srv = st_rsrv_start(test);
	struct page **pages = st_pages(test, 2);
	struct sock_xprt *transport;
	struct rpc_xprt *xprt;
	struct rpc_clnt *clnt;
	struct st_hook *hook;
	unsigned long t0;

	clnt = st_clnt(test, srv, &st_rpc_long_timeout, &xprt);
	transport = container_of(xprt, struct sock_xprt, xprt);

	/* Connect, then lose everything A sends. */
	{
		struct st_rpc_args args = { .pages = &pages[1] };
		struct rpc_message msg = {
			.rpc_proc = &st_rpc_procs[2],
			.rpc_argp = &args,
		};

		KUNIT_ASSERT_EQ(test, 0, rpc_call_sync(clnt, &msg, 0));
	}
	KUNIT_ASSERT_NOT_NULL(test, transport->inet);
	hook = st_hook(test, 0, false);
	/* Set before the hook sees anything of the connection's. */
	hook->cookie = sock_gen_cookie(transport->inet);

	st_writer_start(test, w, clnt, pages[0]);
	KUNIT_EXPECT_TRUE(test, st_page_refs_settle(pages[0], 2, ST_TIMEOUT));
	KUNIT_EXPECT_GE(test, atomic_read(&hook->hits), 1);

	/* A's data stays lost; B's goes through. */
	t0 = jiffies;
	xprt_force_disconnect(xprt);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&w->done,
							  ST_TIMEOUT), 0UL);
	KUNIT_EXPECT_EQ(test, w->status, 0);
	KUNIT_EXPECT_LT(test, jiffies - t0, (unsigned long)ST_TIMEOUT);
	KUNIT_EXPECT_EQ(test, page_ref_count(pages[0]), 1);
	KUNIT_EXPECT_EQ(test, st_zc_stat(&xprt->zc_stats.purges), 1L);
	KUNIT_EXPECT_EQ(test, st_zc_stat(&xprt->zc_stats.aborts), 0L);
	KUNIT_EXPECT_EQ(test, atomic_read(&srv->conns), 2);
	KUNIT_EXPECT_TRUE(test, xprt_connected(xprt));
	KUNIT_EXPECT_EQ(test, atomic_read(&srv->bad), 0);
}

/* The wait's bound passes quickly (1 s); so does TCP's user timeout. */
static const struct rpc_timeout st_rpc_short_timeout = {
	.to_initval = HZ,
	.to_maxval = HZ,
	.to_retries = 0,
};

/*
 * The data was acknowledged, but a clone below TCP (as a device queue)
 * still holds the pages: the call waits past the transport's bound, and
 * nothing is aborted, since a reset would not free a clone; it completes
 * once the clone is freed.
 */
static void st_test_rpc_acked_clone(struct kunit *test)
{
	struct st_rsrv *srv = st_rsrv_start(test);
	struct page **pages = st_pages(test, 1);
	struct st_async *async;
	struct rpc_xprt *xprt;
	struct rpc_clnt *clnt;
	struct st_hook *hook;

	clnt = st_clnt(test, srv, &st_rpc_short_timeout, &xprt);
	st_xprt_timeout(xprt, &st_rpc_short_timeout);
	hook = st_hook(test, srv->addr.sin_port, true);
	async = st_async_start(test, clnt, pages, 1);

	/* Replied to, waiting for the clone, past the bound. */
	KUNIT_EXPECT_EQ(test, st_wait_qlen(&xprt->zerocopy, 1, ST_TIMEOUT), 1);
	msleep(jiffies_to_msecs(2 * HZ + HZ / 2));
	KUNIT_EXPECT_EQ(test, atomic_read(&srv->calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&async->left), 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(xprt->zerocopy.qlen), 1U);
	KUNIT_EXPECT_EQ(test, st_zc_stat(&xprt->zc_stats.aborts), 0L);
	KUNIT_EXPECT_TRUE(test, xprt_connected(xprt));
	KUNIT_EXPECT_EQ(test, atomic_read(&srv->conns), 1);

	skb_queue_purge(&hook->clones);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&async->all,
							  ST_TIMEOUT), 0UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&async->ok), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&async->early), 0);
	KUNIT_EXPECT_EQ(test, st_zc_stat(&xprt->zc_stats.waited), 1L);
	KUNIT_EXPECT_EQ(test, st_zc_stat(&xprt->zc_stats.aborts), 0L);
}

#ifdef CONFIG_FAULT_INJECTION
/*
 * failslab leaves allocations that may reclaim alone unless told
 * otherwise, and reports every failure; its debugfs files are the only
 * switches.  Set them for the test, restored after it.
 */
struct st_failslab {
	bool *ignore_reclaim;
	unsigned long *verbose;
	unsigned long old_verbose;
};

static void *st_debugfs_value(struct dentry *dir, const char *name)
{
	struct dentry *file = debugfs_lookup(name, dir);
	void *val = NULL;

	if (!IS_ERR_OR_NULL(file)) {
		val = d_inode(file)->i_private;
		dput(file);
	}
	return val;
}

static void st_failslab_restore(void *data)
{
	struct st_failslab *fs = data;

	*fs->ignore_reclaim = true;
	*fs->verbose = fs->old_verbose;
}

static bool st_failslab_reclaim(struct kunit *test)
{
	struct st_failslab *fs = kunit_kzalloc(test, sizeof(*fs), GFP_KERNEL);
	struct dentry *dir = debugfs_lookup("failslab", NULL);

	if (!fs || IS_ERR_OR_NULL(dir))
		return false;
	fs->ignore_reclaim = st_debugfs_value(dir, "ignore-gfp-wait");
	fs->verbose = st_debugfs_value(dir, "verbose");
	dput(dir);
	if (!fs->ignore_reclaim || !fs->verbose)
		return false;
	fs->old_verbose = *fs->verbose;
	*fs->ignore_reclaim = false;
	*fs->verbose = 0;
	return !kunit_add_action_or_reset(test, st_failslab_restore, fs);
}

/*
 * The wrappers cannot be allocated: the call's page data is copied, the
 * transport counts it, and the server gets the right bytes.  Every fault
 * point of a call is failed in turn (current->fail_nth) until a few past
 * the wrappers'; those that fail something else fail the call or retry
 * it, which is not what is checked here.
 */
static void st_test_rpc_nomem(struct kunit *test)
{
	struct st_rsrv *srv = st_rsrv_start(test);
	struct page **pages = st_pages(test, 1);
	struct st_rpc_args args = { .pages = pages };
	struct rpc_message msg = {
		.rpc_proc = &st_rpc_procs[2],
		.rpc_argp = &args,
	};
	long nomem, sends, calls;
	unsigned int nth, hit = 0;
	struct rpc_xprt *xprt;
	struct rpc_clnt *clnt;
	int ret;

	if (!st_failslab_reclaim(test))
		kunit_skip(test, "needs failslab's debugfs files");
	clnt = st_clnt(test, srv, &st_rpc_timeout, &xprt);
	KUNIT_ASSERT_EQ(test, 0, rpc_call_sync(clnt, &msg, RPC_TASK_SOFT));

	for (nth = 1; nth < 512 && (!hit || nth < hit + 4); nth++) {
		nomem = st_zc_stat(&xprt->zc_stats.fallbacks[XPRT_ZC_NOMEM]);
		sends = st_zc_stat(&xprt->zc_stats.sends);
		calls = atomic_read(&srv->calls);
		WRITE_ONCE(current->fail_nth, nth);
		ret = rpc_call_sync(clnt, &msg, RPC_TASK_SOFT);
		WRITE_ONCE(current->fail_nth, 0);
		if (st_zc_stat(&xprt->zc_stats.fallbacks[XPRT_ZC_NOMEM]) ==
		    nomem)
			continue;
		/* The wrappers' allocation failed: copied, and right. */
		if (!hit)
			hit = nth;
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, st_zc_stat(&xprt->zc_stats.sends), sends);
		KUNIT_EXPECT_EQ(test, atomic_read(&srv->calls), calls + 1);
		KUNIT_EXPECT_EQ(test, page_ref_count(pages[0]), 1);
	}
	kunit_info(test, "fault points tried: %u, the wrappers' first: %u\n",
		   nth - 1, hit);
	KUNIT_EXPECT_GE(test, hit, 1U);
	KUNIT_EXPECT_EQ(test, atomic_read(&srv->bad), 0);
}
#else
static void st_test_rpc_nomem(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_FAULT_INJECTION");
}
#endif

static struct kunit_case st_cases[] = {
	KUNIT_CASE(st_test_tcp_record),
	KUNIT_CASE(st_test_tcp_resume),
	KUNIT_CASE(st_test_udp_copies),
	KUNIT_CASE(st_test_zc_completion),
	KUNIT_CASE(st_test_zc_fallback),
	KUNIT_CASE(st_test_rpc_call),
	KUNIT_CASE_SLOW(st_test_rpc_killed),
	KUNIT_CASE_PARAM_ATTR(st_test_rpc_stalled, st_stall_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_SLOW(st_test_rpc_writer_killed),
	KUNIT_CASE_SLOW(st_test_rpc_reconnect),
	KUNIT_CASE_SLOW(st_test_rpc_acked_clone),
	KUNIT_CASE(st_test_rpc_nomem),
	{}
};

static struct kunit_suite st_suite = {
	.name = "sunrpc_socklib_zerocopy",
	.test_cases = st_cases,
};

kunit_test_suite(st_suite);
