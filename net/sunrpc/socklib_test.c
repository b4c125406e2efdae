// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sending the pages of an xdr_buf zero-copy with
 * xprt_sock_sendmsg_destructors(), over kernel sockets on the loopback
 * device of init_net.
 */

#include <kunit/test.h>
#include <linux/completion.h>
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
#include <linux/sunrpc/clnt.h>
#include <linux/sunrpc/msg_prot.h>
#include <linux/sunrpc/xprt.h>
#include <linux/sunrpc/xdr.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <linux/wait_bit.h>
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
KUNIT_DEFINE_ACTION_WRAPPER(st_zc_handoff_action, xprt_zc_handoff,
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

/*
 * A request's completion: its count of transmissions the stack holds drops
 * to zero only once the data was acknowledged, and the pages' refcounts
 * were never touched.
 */
static void st_test_zc_completion(struct kunit *test)
{
	atomic_t *pending = kunit_kzalloc(test, sizeof(*pending), GFP_KERNEL);
	struct st_req *req = st_req(test);
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	unsigned int len = 4 + ST_LEN, sent = 0;
	u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct socket *client, *server;
	struct msghdr rmsg = {};
	struct xprt_zc *zc;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, pending);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	zc = xprt_zc_alloc(&req->xdr, pending, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, zc);
	/* Should an assertion fail, the sockets go first, then the handoff. */
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, st_zc_handoff_action,
						  zc));
	KUNIT_EXPECT_EQ(test, atomic_read(pending), 1);

	st_tcp_pair(test, &client, &server);
	st_hold(server);
	KUNIT_EXPECT_EQ(test, 0,
			xprt_sock_sendmsg_destructors(client, &msg, &req->xdr,
						      0,
						      *(rpc_fraghdr *)req->expect,
						      &zc->fd, &sent));
	KUNIT_EXPECT_EQ(test, sent, len);
	kunit_release_action(test, st_zc_handoff_action, zc);
	KUNIT_EXPECT_EQ(test, atomic_read(pending), 1);
	release_sock(server->sk);

	KUNIT_ASSERT_EQ(test, (int)len,
			kernel_recvmsg(server, &rmsg, &kv, 1, len,
				       MSG_WAITALL));
	KUNIT_EXPECT_MEMEQ(test, buf, req->expect, len);
	KUNIT_EXPECT_GT(test, wait_var_event_timeout(pending,
						     !atomic_read(pending),
						     ST_TIMEOUT), 0L);
	for (i = 0; i < ARRAY_SIZE(req->pages); i++)
		KUNIT_EXPECT_EQ(test, page_ref_count(req->pages[i]),
				req->wrapped[i].page_refs);
}

/* Data that cannot be spliced is copied: no wrappers, nothing to wait for. */
static void st_test_zc_fallback(struct kunit *test)
{
	atomic_t *pending = kunit_kzalloc(test, sizeof(*pending), GFP_KERNEL);
	struct st_req *req = st_req(test);
	void *slab = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct page *page;

	KUNIT_ASSERT_NOT_NULL(test, pending);
	KUNIT_ASSERT_NOT_NULL(test, slab);

	/* A slab page: TCP could not splice it. */
	page = req->xdr.bvec[1].bv_page;
	req->xdr.bvec[1].bv_page = virt_to_page(slab);
	KUNIT_EXPECT_NULL(test, xprt_zc_alloc(&req->xdr, pending, GFP_KERNEL));
	req->xdr.bvec[1].bv_page = page;

	/* No page data. */
	req->xdr.page_len = 0;
	req->xdr.page_base = 0;
	KUNIT_EXPECT_NULL(test, xprt_zc_alloc(&req->xdr, pending, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, atomic_read(pending), 0);

	/* And a handoff of nothing is nothing. */
	xprt_zc_handoff(NULL);
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

static int st_server_fn(void *data)
{
	struct st_server *srv = data;
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	__be32 hdr[2], reply[7];
	struct kvec kv = { .iov_base = reply, .iov_len = sizeof(reply) };
	struct socket *conn = NULL;
	unsigned int len;
	u8 *rec = NULL;

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

	reply[0] = cpu_to_be32(RPC_LAST_STREAM_FRAGMENT | 24);
	reply[1] = hdr[1];
	reply[2] = cpu_to_be32(RPC_REPLY);
	reply[3] = cpu_to_be32(RPC_MSG_ACCEPTED);
	reply[4] = cpu_to_be32(RPC_AUTH_NULL);
	reply[5] = 0;
	reply[6] = cpu_to_be32(RPC_SUCCESS);
	if (kernel_sendmsg(conn, &msg, &kv, 1, sizeof(reply)) !=
	    sizeof(reply))
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
 * Drops every data segment sent to @port, as a dead link would, and sends
 * SIGKILL to @victim at the first: the call's pages are then held by the
 * client's retransmit queue and nothing else.
 */
struct st_drop {
	struct nf_hook_ops ops;
	__be16 port;
	struct task_struct *victim;
	atomic_t dropped;
};

static unsigned int st_drop_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct st_drop *drop = priv;
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	struct tcphdr _th;
	unsigned int thoff;

	if (iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	thoff = iph->ihl * 4;
	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || th->dest != drop->port || skb->len <= thoff + th->doff * 4)
		return NF_ACCEPT;
	if (atomic_inc_return(&drop->dropped) == 1)
		send_sig(SIGKILL, drop->victim, 1);
	kfree_skb(skb);
	return NF_STOLEN;
}

static void st_drop_unregister(void *data)
{
	struct st_drop *drop = data;

	nf_unregister_net_hook(&init_net, &drop->ops);
}

/* Neither the RPC timeout nor TCP_USER_TIMEOUT ends the test's wait. */
static const struct rpc_timeout st_rpc_long_timeout = {
	.to_initval = 6 * ST_TIMEOUT,
	.to_maxval = 6 * ST_TIMEOUT,
	.to_retries = 0,
};

/*
 * A task killed while its pages sit unacknowledged in the retransmit queue
 * of a connection that lost everything: xprt_release() aborts the
 * transport, TCP frees its queues, and the task is released at once,
 * not after TCP's user timeout, with every page handed back.
 */
static void st_test_rpc_killed(struct kunit *test)
{
	struct page **pages = kunit_kcalloc(test, 2, sizeof(*pages),
					    GFP_KERNEL);
	struct st_drop *drop = kunit_kzalloc(test, sizeof(*drop), GFP_KERNEL);
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
	struct rpc_clnt *clnt;
	int i, ret;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_NOT_NULL(test, drop);
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

	drop->port = addr.sin_port;
	drop->victim = current;
	drop->ops.hook = st_drop_hook;
	drop->ops.priv = drop;
	drop->ops.pf = NFPROTO_IPV4;
	drop->ops.hooknum = NF_INET_LOCAL_OUT;
	drop->ops.priority = NF_IP_PRI_FIRST;
	KUNIT_ASSERT_EQ(test, 0, nf_register_net_hook(&init_net, &drop->ops));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, st_drop_unregister,
						  drop));

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
	KUNIT_EXPECT_GE(test, atomic_read(&drop->dropped), 1);
	/* Not after the RPC timeout or TCP_USER_TIMEOUT (30 s). */
	KUNIT_EXPECT_LT(test, elapsed, (unsigned long)ST_TIMEOUT);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, page_ref_count(pages[i]), 1);
	rpc_shutdown_client(clnt);
}

static struct kunit_case st_cases[] = {
	KUNIT_CASE(st_test_tcp_record),
	KUNIT_CASE(st_test_tcp_resume),
	KUNIT_CASE(st_test_udp_copies),
	KUNIT_CASE(st_test_zc_completion),
	KUNIT_CASE(st_test_zc_fallback),
	KUNIT_CASE(st_test_rpc_call),
	KUNIT_CASE(st_test_rpc_killed),
	{}
};

static struct kunit_suite st_suite = {
	.name = "sunrpc_socklib_zerocopy",
	.test_cases = st_cases,
};

kunit_test_suite(st_suite);
