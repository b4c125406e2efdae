// SPDX-License-Identifier: GPL-2.0
/*
 * Not a test: issue 5, item 5.  In one boot, for each payload size, send
 * SUNRPC-style records (record marker, a 128-byte head kvec, the payload
 * in pages) over a loopback TCP connection of init_net with
 * xprt_sock_sendmsg_destructors(): once through the copy path (no
 * wrappers: the pages are copied from the bvec iterator, as
 * xprt_sock_sendmsg() does today); once more through the copy path but
 * waiting after each record for its ACK, the same one-record-at-a-time
 * pattern as the next; and once zero-copy, each page wrapped in a struct
 * skb_frag_destructor, the sender waiting after each record for the last
 * callback as xprt_release() does.
 *
 * Each size and path runs for SB_RUN_NS of wall time.  UML has no
 * fine-grained sched_clock(): task CPU time advances by whole jiffies
 * (10 ms at HZ=100), charged to the task running when the tick comes, so
 * it is a sampled figure; the runs are long enough for a few hundred
 * samples each.
 *
 * Measured:
 *  - CPU time of the sending kthread (task_sched_runtime(): it includes the
 *    softirq work run in its context, which on loopback is also the
 *    receive-side TCP processing of the segments it sends) and of the
 *    receiving kthread (kernel_recvmsg() into a 64 KiB buffer, and the ACK
 *    processing run in its context), per payload byte;
 *  - for zero-copy, the delay from the ACK that covers the last byte of a
 *    record (seen by a NF_INET_LOCAL_IN hook, before TCP processes it) to
 *    the last destructor callback of that record (median and maximum).
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/rtnetlink.h>
#include <linux/sched/cputime.h>
#include <linux/skb_frag_destructor.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/sunrpc/msg_prot.h>
#include <linux/sunrpc/xdr.h>
#include <linux/tcp.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "socklib.h"

#define SB_HEAD		128
#define SB_RUN_NS	(2 * NSEC_PER_SEC)	/* per size and path */
#define SB_MIN_ITERS	64U
#define SB_MAX_DELAYS	65536U		/* ACK-to-callback samples kept */
#define SB_TIMEOUT	(10 * HZ)

struct sb_send {
	atomic_t outstanding;
	ktime_t t_cb;
	struct completion done;
};

struct sb_page {
	struct skb_frag_destructor destructor;
	struct sb_send *send;
};

static void sb_destroy(struct skb_frag_destructor *destructor)
{
	struct sb_send *send = container_of(destructor, struct sb_page,
					    destructor)->send;

	if (atomic_dec_and_test(&send->outstanding)) {
		send->t_cb = ktime_get();
		complete(&send->done);
	}
}

/* Time of the first ACK from the peer that covers @target. */
struct sb_ack {
	struct nf_hook_ops ops;
	__be16 port;		/* the sender's local port */
	u32 target;
	ktime_t t_ack;		/* 0 until seen */
	struct completion acked;
};

static unsigned int sb_ack_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct sb_ack *ack = priv;
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	struct tcphdr _th;

	if (iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	th = skb_header_pointer(skb, iph->ihl * 4, sizeof(_th), &_th);
	if (!th || !th->ack || th->dest != READ_ONCE(ack->port))
		return NF_ACCEPT;
	if (!ktime_to_ns(READ_ONCE(ack->t_ack)) &&
	    (s32)(ntohl(th->ack_seq) - READ_ONCE(ack->target)) >= 0) {
		WRITE_ONCE(ack->t_ack, ktime_get());
		complete(&ack->acked);
	}
	return NF_ACCEPT;
}

struct sb_rx {
	struct socket *sock;
	struct completion done;
	u64 bytes;
	u64 cpu_ns;
	int err;
};

static int sb_rx_fn(void *data)
{
	struct sb_rx *rx = data;
	void *buf = kmalloc(SZ_64K, GFP_KERNEL);
	u64 start = task_sched_runtime(current);

	/* Until the sender shuts its side down. */
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
	rx->cpu_ns = task_sched_runtime(current) - start;
	kfree(buf);
	complete(&rx->done);
	return 0;
}

static struct socket *sb_socket(struct kunit *test)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, 0, sock_create_kern(&init_net, AF_INET,
						  SOCK_STREAM, IPPROTO_TCP,
						  &sock));
	sock_no_linger(sock->sk);
	sock->sk->sk_rcvtimeo = SB_TIMEOUT;
	sock->sk->sk_sndtimeo = SB_TIMEOUT;
	return sock;
}

static int sb_cmp(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

struct sb_result {
	u64 tx_ns, rx_ns, wall_ns;
	s64 delay_med, delay_max;
	unsigned int iters, delays;
};

enum sb_path { SB_COPY, SB_COPY_ACKED, SB_ZC };

static const char * const sb_path_names[] = {
	[SB_COPY] = "copy", [SB_COPY_ACKED] = "copy+ack", [SB_ZC] = "zc",
};

static void sb_run(struct kunit *test, size_t size, enum sb_path path,
		   struct sb_result *res)
{
	unsigned int npages = size / PAGE_SIZE, i, j;
	bool zc = path == SB_ZC;
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct socket *listener, *client, *server;
	struct skb_frag_destructor **dtors;
	struct msg_frag_destructors fd;
	struct xdr_buf xdr = {};
	struct task_struct *thread;
	struct sb_page *wrapped;
	struct sb_send send;
	struct sb_ack *ack;
	struct page **pages;
	struct sb_rx rx;
	s64 *delays;
	u64 tx0;
	ktime_t w0, end;
	void *head;

	pages = kunit_kcalloc(test, npages, sizeof(*pages), GFP_KERNEL);
	wrapped = kunit_kcalloc(test, npages, sizeof(*wrapped), GFP_KERNEL);
	dtors = kunit_kcalloc(test, npages, sizeof(*dtors), GFP_KERNEL);
	delays = kunit_kcalloc(test, SB_MAX_DELAYS, sizeof(*delays),
			       GFP_KERNEL);
	head = kunit_kzalloc(test, SB_HEAD, GFP_KERNEL);
	ack = kunit_kzalloc(test, sizeof(*ack), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, pages && wrapped && dtors && delays && head &&
			  ack);
	for (j = 0; j < npages; j++) {
		pages[j] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[j]);
		memset(page_address(pages[j]), j, PAGE_SIZE);
		wrapped[j].send = &send;
		dtors[j] = &wrapped[j].destructor;
	}
	xdr.head[0].iov_base = head;
	xdr.head[0].iov_len = SB_HEAD;
	xdr.pages = pages;
	xdr.page_len = size;
	xdr.len = SB_HEAD + size;
	xdr.buflen = xdr.len;
	KUNIT_ASSERT_EQ(test, 0, xdr_alloc_bvec(&xdr, GFP_KERNEL));
	fd.bvec = xdr.bvec;
	fd.destructors = dtors;
	fd.nr = npages;

	listener = sb_socket(test);
	KUNIT_ASSERT_EQ(test, 0, kernel_bind(listener, (struct sockaddr *)&addr,
					     sizeof(addr)));
	KUNIT_ASSERT_EQ(test, (int)sizeof(addr),
			kernel_getsockname(listener, (struct sockaddr *)&addr));
	KUNIT_ASSERT_EQ(test, 0, kernel_listen(listener, 1));
	client = sb_socket(test);
	KUNIT_ASSERT_EQ(test, 0, kernel_connect(client, (struct sockaddr *)&addr,
						sizeof(addr), 0));
	KUNIT_ASSERT_EQ(test, 0, kernel_accept(listener, &server, 0));
	sock_release(listener);
	server->sk->sk_rcvtimeo = SB_TIMEOUT;

	ack->port = inet_sk(client->sk)->inet_sport;
	init_completion(&ack->acked);
	ack->ops.hook = sb_ack_hook;
	ack->ops.priv = ack;
	ack->ops.pf = NFPROTO_IPV4;
	ack->ops.hooknum = NF_INET_LOCAL_IN;
	ack->ops.priority = NF_IP_PRI_FIRST;
	KUNIT_ASSERT_EQ(test, 0, nf_register_net_hook(&init_net, &ack->ops));

	rx.sock = server;
	rx.bytes = 0;
	init_completion(&rx.done);
	thread = kthread_run(sb_rx_fn, &rx, "socklib_bench_rx");
	KUNIT_ASSERT_FALSE(test, IS_ERR(thread));

	memset(res, 0, sizeof(*res));
	tx0 = task_sched_runtime(current);
	w0 = ktime_get();
	end = ktime_add_ns(w0, SB_RUN_NS);
	for (i = 0; i < SB_MIN_ITERS || ktime_before(ktime_get(), end); i++) {
		struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
		rpc_fraghdr marker = cpu_to_be32(RPC_LAST_STREAM_FRAGMENT |
						 xdr.len);
		unsigned int sent = 0;
		int err;

		if (zc) {
			atomic_set(&send.outstanding, npages);
			init_completion(&send.done);
			for (j = 0; j < npages; j++)
				skb_frag_destructor_init(&wrapped[j].destructor,
							 pages[j], sb_destroy);
		}
		reinit_completion(&ack->acked);
		WRITE_ONCE(ack->t_ack, 0);
		WRITE_ONCE(ack->target, READ_ONCE(tcp_sk(client->sk)->write_seq) +
			   4 + xdr.len);
		err = xprt_sock_sendmsg_destructors(client, &msg, &xdr, 0,
						    marker, zc ? &fd : NULL,
						    &sent);
		if (err || sent != 4 + xdr.len) {
			KUNIT_FAIL(test, "send %u: %d, sent %u", i, err, sent);
			break;
		}
		res->iters++;
		if (path == SB_COPY_ACKED &&
		    !wait_for_completion_timeout(&ack->acked, SB_TIMEOUT)) {
			KUNIT_FAIL(test, "no ACK for send %u", i);
			break;
		}
		if (!zc)
			continue;
		for (j = 0; j < npages; j++)
			skb_frag_destructor_put(&wrapped[j].destructor);
		if (!wait_for_completion_timeout(&send.done, SB_TIMEOUT)) {
			KUNIT_FAIL(test, "no callback for send %u", i);
			break;
		}
		if (ktime_to_ns(READ_ONCE(ack->t_ack)) &&
		    res->delays < SB_MAX_DELAYS)
			delays[res->delays++] =
				ktime_to_ns(ktime_sub(send.t_cb,
						      READ_ONCE(ack->t_ack)));
	}
	kernel_sock_shutdown(client, SHUT_WR);
	res->tx_ns = task_sched_runtime(current) - tx0;
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&rx.done,
							  3 * SB_TIMEOUT), 0UL);
	res->wall_ns = ktime_to_ns(ktime_sub(ktime_get(), w0));
	res->rx_ns = rx.cpu_ns;
	KUNIT_EXPECT_EQ(test, rx.err, 0);
	KUNIT_EXPECT_EQ(test, rx.bytes, (u64)res->iters * (4 + xdr.len));

	nf_unregister_net_hook(&init_net, &ack->ops);
	sock_release(client);
	sock_release(server);
	xdr_free_bvec(&xdr);
	for (j = 0; j < npages; j++)
		put_page(pages[j]);

	if (res->delays) {
		sort(delays, res->delays, sizeof(*delays), sb_cmp, NULL);
		res->delay_med = delays[res->delays / 2];
		res->delay_max = delays[res->delays - 1];
	}
}

static void sb_print(struct kunit *test, size_t size, enum sb_path path,
		     const struct sb_result *r)
{
	u64 bytes = (u64)r->iters * size;
	u64 tx = div64_u64(r->tx_ns * 1000, bytes);	/* ps per byte */
	u64 rx = div64_u64(r->rx_ns * 1000, bytes);
	u64 mbps = div64_u64(bytes * 1000, r->wall_ns ? r->wall_ns : 1);

	kunit_info(test,
		   "%5zuK %-8s %7u %4llu.%03llu %4llu.%03llu %4llu.%03llu %6llu %9lld %9lld %u\n",
		   size >> 10, sb_path_names[path], r->iters,
		   tx / 1000, tx % 1000, rx / 1000, rx % 1000,
		   (tx + rx) / 1000, (tx + rx) % 1000, mbps,
		   r->delays ? r->delay_med : -1LL,
		   r->delays ? r->delay_max : -1LL,
		   r->delays);
}

static void sb_bench(struct kunit *test)
{
	static const size_t sizes[] = { SZ_4K, SZ_16K, SZ_64K, SZ_256K,
					SZ_1M };
	struct sb_result r;
	int err, i;

	rtnl_lock();
	err = dev_open(init_net.loopback_dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);

	/* Warm up: one round not reported. */
	sb_run(test, SZ_64K, SB_COPY, &r);
	sb_run(test, SZ_64K, SB_ZC, &r);

	kunit_info(test, "  size path        iters tx_ns/B  rx_ns/B sum_ns/B   MB/s ack2cb_med_ns ack2cb_max_ns samples\n");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		enum sb_path path;

		for (path = SB_COPY; path <= SB_ZC; path++) {
			sb_run(test, sizes[i], path, &r);
			sb_print(test, sizes[i], path, &r);
		}
	}
}

static struct kunit_case sb_cases[] = {
	KUNIT_CASE_SLOW(sb_bench),
	{}
};

static struct kunit_suite sb_suite = {
	.name = "sunrpc_socklib_bench",
	.test_cases = sb_cases,
};

kunit_test_suite(sb_suite);
