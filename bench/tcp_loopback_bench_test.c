// SPDX-License-Identifier: GPL-2.0
/*
 * Not part of the series: loopback TCP throughput for bench/.  The same
 * file is built into the base kernel and the series kernel
 * (scripts/bench-heads.sh copies it in) and scripts/bench-throughput.sh
 * boots them alternately.
 *
 * A kernel TCP connection over lo in init_net; a kthread receives, the
 * test thread sends TOTAL bytes in CHUNK sized sendmsg() calls, REPS
 * times per mode, and prints the median, minimum and maximum in MB/s:
 *   bench tcp_stream <copy|splice> <median> <min> <max>
 * "copy" sends from a kernel buffer (kvec: TCP copies into its own page
 * frags); "splice" sends the same pages with MSG_SPLICE_PAGES (TCP puts
 * the caller's pages into the skbs as frags: the frag ref/unref path).
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/inet.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/sort.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#define TOTAL		(1UL << 30)
#define CHUNK		(64U << 10)
#define CHUNK_PAGES	(CHUNK / PAGE_SIZE)
#define REPS		7

struct tput_rx {
	struct socket *sock;
	unsigned long want;
	unsigned long got;
	int err;
	struct completion done;
	void *buf;
};

static int tput_rx_thread(void *data)
{
	struct tput_rx *rx = data;

	while (rx->got < rx->want) {
		struct msghdr msg = {};
		struct kvec kv = { .iov_base = rx->buf, .iov_len = CHUNK };
		int n = kernel_recvmsg(rx->sock, &msg, &kv, 1, CHUNK, 0);

		if (n <= 0) {
			rx->err = n ? n : -EPIPE;
			break;
		}
		rx->got += n;
	}
	complete(&rx->done);
	return 0;
}

static int tput_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void tput_release(void *sock)
{
	sock_release(sock);
}

KUNIT_DEFINE_ACTION_WRAPPER(tput_put_page, put_page, struct page *);

static struct socket *tput_socket(struct kunit *test)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, 0, sock_create_kern(&init_net, AF_INET,
						  SOCK_STREAM, IPPROTO_TCP,
						  &sock));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, tput_release, sock));
	return sock;
}

/* Send TOTAL bytes once; returns MB/s (10^6 bytes per second). */
static u64 tput_run(struct kunit *test, struct socket *tx,
		    struct socket *rxsock, struct page **pages, void *buf,
		    bool splice)
{
	struct tput_rx rx = { .sock = rxsock, .want = TOTAL };
	struct task_struct *t;
	unsigned long sent = 0;
	ktime_t start;
	u64 ns;

	init_completion(&rx.done);
	rx.buf = kunit_kmalloc(test, CHUNK, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rx.buf);
	t = kthread_run(tput_rx_thread, &rx, "tput_rx");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));

	start = ktime_get();
	while (sent < TOTAL) {
		struct msghdr msg = {};
		struct bio_vec bv[CHUNK_PAGES];
		struct kvec kv = { .iov_base = buf, .iov_len = CHUNK };
		int i, n;

		if (splice) {
			for (i = 0; i < CHUNK_PAGES; i++)
				bvec_set_page(&bv[i], pages[i], PAGE_SIZE, 0);
			msg.msg_flags = MSG_SPLICE_PAGES;
			iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bv,
				      CHUNK_PAGES, CHUNK);
			n = sock_sendmsg(tx, &msg);
		} else {
			n = kernel_sendmsg(tx, &msg, &kv, 1, CHUNK);
		}
		if (n <= 0)
			break;
		sent += n;
	}
	wait_for_completion(&rx.done);
	ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	KUNIT_EXPECT_EQ(test, sent, TOTAL);
	KUNIT_EXPECT_EQ(test, rx.got, TOTAL);
	KUNIT_EXPECT_EQ(test, rx.err, 0);
	return div64_u64((u64)TOTAL * 1000, ns);
}

static void tput_test(struct kunit *test)
{
	struct socket *listener, *tx, *rx;
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct page *pages[CHUNK_PAGES];
	u64 mbs[REPS];
	void *buf;
	int mode, i, err;

	rtnl_lock();
	err = dev_open(init_net.loopback_dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);

	listener = tput_socket(test);
	KUNIT_ASSERT_EQ(test, 0, kernel_bind(listener, (struct sockaddr *)&addr,
					     sizeof(addr)));
	KUNIT_ASSERT_EQ(test, (int)sizeof(addr),
			kernel_getsockname(listener, (struct sockaddr *)&addr));
	KUNIT_ASSERT_EQ(test, 0, kernel_listen(listener, 1));
	tx = tput_socket(test);
	KUNIT_ASSERT_EQ(test, 0, kernel_connect(tx, (struct sockaddr *)&addr,
						sizeof(addr), 0));
	KUNIT_ASSERT_EQ(test, 0, kernel_accept(listener, &rx, 0));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, tput_release, rx));
	/* A stalled sender ends the receiver instead of hanging the test. */
	rx->sk->sk_rcvtimeo = 10 * HZ;

	buf = kunit_kmalloc(test, CHUNK, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0x5a, CHUNK);
	for (i = 0; i < CHUNK_PAGES; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test, tput_put_page,
							  pages[i]));
		memset(page_address(pages[i]), 0xa5, PAGE_SIZE);
	}

	for (mode = 0; mode < 2; mode++) {
		/* One untimed warm-up run. */
		tput_run(test, tx, rx, pages, buf, mode);
		for (i = 0; i < REPS; i++)
			mbs[i] = tput_run(test, tx, rx, pages, buf, mode);
		sort(mbs, REPS, sizeof(mbs[0]), tput_cmp, NULL);
		kunit_info(test, "bench tcp_stream %s %llu %llu %llu\n",
			   mode ? "splice" : "copy", mbs[REPS / 2], mbs[0],
			   mbs[REPS - 1]);
	}
}

static struct kunit_case tput_cases[] = {
	KUNIT_CASE_SLOW(tput_test),
	{}
};

static struct kunit_suite tput_suite = {
	.name = "net_tcp_loopback_bench",
	.test_cases = tput_cases,
};

kunit_test_suite(tput_suite);

MODULE_DESCRIPTION("Loopback TCP throughput, for bench/");
MODULE_LICENSE("GPL");
