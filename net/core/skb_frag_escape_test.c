// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the places where a fragment's page leaves the skb.
 *
 * Splice, skb_send_sock(), zerocopy orphaning, page_pool copies, generic
 * XDP and local delivery each hand the bytes of an skb to something that
 * can outlive it.  Every case here gives such a real kernel function an skb
 * with a destructor-wrapped fragment and checks that the creator's
 * callback runs only when the last holder has let go of the wrapper, or at
 * once when the function copied the data, that the copy is intact after
 * the creator has overwritten its page, and that the wrapped page's own
 * refcount is never touched.
 */

#include <kunit/test.h>
#include <linux/bpf.h>
#include <linux/etherdevice.h>
#include <linux/file.h>
#include <linux/filter.h>
#include <linux/fs.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/pipe_fs_i.h>
#include <linux/rtnetlink.h>
#include <linux/skb_frag_destructor.h>
#include <linux/skbuff.h>
#include <linux/skbuff_ref.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/page_pool/helpers.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/xdp.h>

#define ESC_HEADROOM	128
#define ESC_LINEAR	64

struct esc_wrapper {
	struct skb_frag_destructor destructor;
	int calls;
	int page_refs;	/* the page's refcount when it was wrapped */
};

static void esc_destroy(struct skb_frag_destructor *destructor)
{
	struct esc_wrapper *w = container_of(destructor, struct esc_wrapper,
					     destructor);

	w->calls++;
}

KUNIT_DEFINE_ACTION_WRAPPER(esc_put_page_action, put_page, struct page *);
KUNIT_DEFINE_ACTION_WRAPPER(esc_kfree_skb_action, kfree_skb, struct sk_buff *);
KUNIT_DEFINE_ACTION_WRAPPER(esc_fput_action, fput, struct file *);
KUNIT_DEFINE_ACTION_WRAPPER(esc_sock_release_action, sock_release,
			    struct socket *);
KUNIT_DEFINE_ACTION_WRAPPER(esc_pool_destroy_action, page_pool_destroy,
			    struct page_pool *);

static u8 esc_byte(u8 seed, unsigned int i)
{
	return seed ^ (i * 7) ^ (i >> 8);
}

static void esc_fill(void *buf, unsigned int len, u8 seed)
{
	u8 *p = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = esc_byte(seed, i);
}

/* A page the test owns, with pattern @seed in it, released at test exit. */
static struct page *esc_page(struct kunit *test, u8 seed)
{
	struct page *page = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, esc_put_page_action,
						  page));
	esc_fill(page_address(page), PAGE_SIZE, seed);
	return page;
}

static struct esc_wrapper *esc_wrap(struct kunit *test, u8 seed)
{
	struct esc_wrapper *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct page *page = esc_page(test, seed);

	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_EQ(test, 0, skb_frag_destructor_init(&w->destructor, page,
							  esc_destroy));
	w->page_refs = page_ref_count(page);
	return w;
}

/* Drop the creator's own reference once everything is handed off. */
static void esc_handoff(struct esc_wrapper *w)
{
	skb_frag_destructor_put(&w->destructor);
}

static void esc_expect_untouched(struct kunit *test, struct esc_wrapper *w)
{
	KUNIT_EXPECT_EQ(test, page_ref_count(w->destructor.page), w->page_refs);
}

/*
 * What the creator does once its callback has run: reuse the page.  A
 * holder that still looked at the page instead of a copy would now read
 * zeroes.
 */
static void esc_reuse(struct kunit *test, struct esc_wrapper *w)
{
	KUNIT_ASSERT_EQ(test, w->calls, 1);
	memset(page_address(w->destructor.page), 0, PAGE_SIZE);
}

/* The bytes the creator had put in its page before reusing it. */
static const void *esc_expected(struct kunit *test, u8 seed,
				unsigned int off, unsigned int len)
{
	u8 *buf = kunit_kmalloc(test, off + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	esc_fill(buf, off + len, seed);
	return buf + off;
}

static struct sk_buff *esc_track(struct kunit *test, struct sk_buff *skb)
{
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, esc_kfree_skb_action,
						  skb));
	return skb;
}

/* Stop tracking an skb that a function under test took over. */
static void esc_untrack(struct kunit *test, struct sk_buff *skb)
{
	kunit_remove_action(test, esc_kfree_skb_action, skb);
}

static void esc_free(struct kunit *test, struct sk_buff *skb)
{
	kunit_release_action(test, esc_kfree_skb_action, skb);
}

/* An skb with @linear bytes of pattern @seed in its head, no frags. */
static struct sk_buff *esc_skb(struct kunit *test, unsigned int linear,
			       u8 seed)
{
	struct sk_buff *skb;

	skb = esc_track(test, alloc_skb(ESC_HEADROOM + linear, GFP_KERNEL));
	skb_reserve(skb, ESC_HEADROOM);
	esc_fill(skb_put(skb, linear), linear, seed);
	return skb;
}

static void esc_add_frag(struct kunit *test, struct sk_buff *skb,
			 struct esc_wrapper *w, unsigned int off,
			 unsigned int size)
{
	int i = skb_shinfo(skb)->nr_frags;

	KUNIT_ASSERT_EQ(test, 0,
			skb_fill_destructor_desc(skb, i, &w->destructor,
						 off, size));
	skb->len += size;
	skb->data_len += size;
	skb->truesize += size;
}

static void esc_add_page_frag(struct sk_buff *skb, struct page *page,
			      unsigned int off, unsigned int size)
{
	get_page(page);
	skb_fill_page_desc(skb, skb_shinfo(skb)->nr_frags, page, off, size);
	skb->len += size;
	skb->data_len += size;
	skb->truesize += size;
}

static void esc_check(struct kunit *test, const struct sk_buff *skb,
		      unsigned int off, const void *expect, unsigned int len)
{
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, 0, skb_copy_bits(skb, off, buf, len));
	KUNIT_EXPECT_MEMEQ(test, buf, expect, len);
}

static void esc_expect_no_wrapped_frag(struct kunit *test,
				       const struct sk_buff *skb,
				       struct esc_wrapper *w)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	int i;

	for (i = 0; i < shinfo->nr_frags; i++) {
		KUNIT_EXPECT_FALSE(test,
				   skb_frag_has_destructor(&shinfo->frags[i]));
		KUNIT_EXPECT_PTR_NE(test, skb_frag_page(&shinfo->frags[i]),
				    w->destructor.page);
	}
}

/*
 * Read and drop what a datagram socket still queues, so that a case that
 * fails before reading frees its skbs now, while the wrappers they may
 * point at are still there (a UDP socket is destroyed after an RCU grace
 * period, when KUnit has freed them).
 */
static void esc_drain(void *arg)
{
	struct socket *sock = arg;
	struct msghdr msg = {};
	struct kvec kv = {};

	while (kernel_recvmsg(sock, &msg, &kv, 1, 0,
			      MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
}

static struct socket *esc_socket(struct kunit *test, int type, int proto)
{
	struct socket *sock;

	KUNIT_ASSERT_EQ(test, 0, sock_create_kern(&init_net, AF_INET, type,
						  proto, &sock));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  esc_sock_release_action,
						  sock));
	/*
	 * Linger 0: a TCP socket released at test exit frees its queues at
	 * once, before KUnit frees the wrappers its skbs may point at.
	 */
	if (type == SOCK_STREAM)
		sock_no_linger(sock->sk);
	else
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test, esc_drain,
							  sock));
	return sock;
}

/* Local delivery needs the loopback device up (it brings 127.0.0.1). */
static void esc_loopback_up(struct kunit *test)
{
	int err;

	rtnl_lock();
	err = dev_open(init_net.loopback_dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, err, 0);
}

static struct sockaddr_in esc_bind_lo(struct kunit *test,
				      struct socket *sock)
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

/* A connected TCP pair over loopback. */
static void esc_tcp_pair(struct kunit *test, struct socket **client,
			 struct socket **server)
{
	struct socket *listener;
	struct sockaddr_in addr;

	esc_loopback_up(test);
	listener = esc_socket(test, SOCK_STREAM, IPPROTO_TCP);
	addr = esc_bind_lo(test, listener);
	KUNIT_ASSERT_EQ(test, 0, kernel_listen(listener, 1));
	*client = esc_socket(test, SOCK_STREAM, IPPROTO_TCP);
	KUNIT_ASSERT_EQ(test, 0,
			kernel_connect(*client, (struct sockaddr *)&addr,
				       sizeof(addr), 0));
	KUNIT_ASSERT_EQ(test, 0, kernel_accept(listener, server, 0));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  esc_sock_release_action,
						  *server));
	sock_no_linger((*server)->sk);
}

/*
 * Receive @len bytes from @sock and compare them with @expect.  A stream
 * socket waits for all of them; a datagram must be exactly @len long.
 */
static void esc_recv_check(struct kunit *test, struct socket *sock,
			   const void *expect, unsigned int len)
{
	bool stream = sock->type == SOCK_STREAM;
	unsigned int size = stream ? len : len + 1;
	u8 *buf = kunit_kzalloc(test, size, GFP_KERNEL);
	struct msghdr msg = {};
	struct kvec kv;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	kv.iov_base = buf;
	kv.iov_len = size;
	sock->sk->sk_rcvtimeo = 5 * HZ;
	KUNIT_ASSERT_EQ(test, (int)len,
			kernel_recvmsg(sock, &msg, &kv, 1, size,
				       stream ? MSG_WAITALL : MSG_DONTWAIT));
	KUNIT_EXPECT_MEMEQ(test, buf, expect, len);
}

/* ---- splice ---- */

struct esc_pipe {
	struct file *files[2];	/* read end, write end */
	struct pipe_inode_info *pipe;
	struct socket *sock;
};

static struct esc_pipe *esc_pipe(struct kunit *test)
{
	struct esc_pipe *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, 0, create_pipe_files(p->files, 0));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, esc_fput_action,
						  p->files[0]));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, esc_fput_action,
						  p->files[1]));
	p->pipe = get_pipe_info(p->files[1], true);
	KUNIT_ASSERT_NOT_NULL(test, p->pipe);
	/* The socket whose page fragment receives the copies. */
	p->sock = esc_socket(test, SOCK_STREAM, IPPROTO_TCP);
	return p;
}

static int esc_splice(struct esc_pipe *p, struct sk_buff *skb,
		      unsigned int off, unsigned int len)
{
	int ret;

	pipe_lock(p->pipe);
	ret = skb_splice_bits(skb, p->sock->sk, off, p->pipe, len, 0);
	pipe_unlock(p->pipe);
	return ret;
}

static void esc_pipe_check(struct kunit *test, struct esc_pipe *p,
			   const void *expect, unsigned int len)
{
	u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	loff_t pos = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, (ssize_t)len,
			kernel_read(p->files[0], buf, len, &pos));
	KUNIT_EXPECT_MEMEQ(test, buf, expect, len);
}

/* A wrapped fragment spliced into a pipe is copied, not referenced. */
static void esc_test_splice(struct kunit *test)
{
	struct esc_wrapper *w = esc_wrap(test, 1);
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0xa5);
	struct esc_pipe *p = esc_pipe(test);

	esc_add_frag(test, skb, w, 100, 1500);
	esc_handoff(w);

	KUNIT_ASSERT_EQ(test, 1500, esc_splice(p, skb, ESC_LINEAR, 1500));
	esc_expect_untouched(test, w);
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	esc_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_reuse(test, w);
	esc_pipe_check(test, p, esc_expected(test, 1, 100, 1500), 1500);
	esc_expect_untouched(test, w);
}

/*
 * Head, a plain page, and a wrapped page spanning a page boundary of the
 * socket's page fragment, spliced from the middle of the head: only the
 * plain page is referenced by the pipe.
 */
static void esc_test_splice_mixed(struct kunit *test)
{
	struct esc_wrapper *w = esc_wrap(test, 2);
	struct page *plain = esc_page(test, 3);
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0xa5);
	struct esc_pipe *p = esc_pipe(test);
	int plain_refs = page_ref_count(plain);
	unsigned int len = ESC_LINEAR - 16 + 500 + 3000;
	u8 *expect = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, expect);
	esc_add_page_frag(skb, plain, 0, 500);
	esc_add_frag(test, skb, w, 1000, 3000);
	esc_handoff(w);
	esc_fill(expect, ESC_LINEAR, 0xa5);
	memmove(expect, expect + 16, ESC_LINEAR - 16);
	memcpy(expect + ESC_LINEAR - 16, page_address(plain), 500);
	memcpy(expect + ESC_LINEAR - 16 + 500,
	       esc_expected(test, 2, 1000, 3000), 3000);

	KUNIT_ASSERT_EQ(test, (int)len, esc_splice(p, skb, 16, len));
	esc_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	/* The plain page is still spliced without a copy. */
	KUNIT_EXPECT_EQ(test, page_ref_count(plain), plain_refs + 1);
	esc_reuse(test, w);
	esc_pipe_check(test, p, expect, len);
	KUNIT_EXPECT_EQ(test, page_ref_count(plain), plain_refs);
	esc_expect_untouched(test, w);
}

/* A wrapped fragment in the frag_list of the spliced skb. */
static void esc_test_splice_frag_list(struct kunit *test)
{
	struct esc_wrapper *w = esc_wrap(test, 4);
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0xa5);
	struct sk_buff *list = esc_skb(test, 0, 0);
	struct esc_pipe *p = esc_pipe(test);

	esc_add_frag(test, list, w, 0, 800);
	esc_handoff(w);
	esc_untrack(test, list);
	skb_shinfo(skb)->frag_list = list;
	skb->len += list->len;
	skb->data_len += list->len;
	skb->truesize += list->truesize;

	KUNIT_ASSERT_EQ(test, 700, esc_splice(p, skb, ESC_LINEAR + 100, 700));
	esc_expect_untouched(test, w);
	esc_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_reuse(test, w);
	esc_pipe_check(test, p, esc_expected(test, 4, 100, 700), 700);
}

/* ---- skb_send_sock() ---- */

/* skb_send_sock() into TCP: the receiving socket queues copies. */
static void esc_test_send_sock(struct kunit *test)
{
	struct esc_wrapper *w = esc_wrap(test, 5);
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0xa5);
	struct socket *client, *server;
	u8 *expect = kunit_kmalloc(test, ESC_LINEAR + 2000, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, expect);
	esc_tcp_pair(test, &client, &server);
	esc_add_frag(test, skb, w, 0, 1200);
	esc_add_frag(test, skb, w, 2000, 800);
	esc_handoff(w);
	esc_fill(expect, ESC_LINEAR, 0xa5);
	memcpy(expect + ESC_LINEAR, esc_expected(test, 5, 0, 1200), 1200);
	memcpy(expect + ESC_LINEAR + 1200, esc_expected(test, 5, 2000, 800),
	       800);

	KUNIT_ASSERT_EQ(test, ESC_LINEAR + 2000,
			skb_send_sock(client->sk, skb, 0, skb->len));
	/* TCP may still hold the data in both sockets; not the page. */
	esc_expect_untouched(test, w);
	esc_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_reuse(test, w);
	esc_recv_check(test, server, expect, ESC_LINEAR + 2000);
	esc_expect_untouched(test, w);
}

/* skb_send_sock_locked() from an offset inside a wrapped fragment. */
static void esc_test_send_sock_locked(struct kunit *test)
{
	struct esc_wrapper *w = esc_wrap(test, 6);
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0xa5);
	struct socket *client, *server;
	int ret;

	esc_tcp_pair(test, &client, &server);
	esc_add_frag(test, skb, w, 0, 3000);
	esc_handoff(w);

	lock_sock(client->sk);
	ret = skb_send_sock_locked(client->sk, skb, ESC_LINEAR + 500, 2000);
	release_sock(client->sk);
	KUNIT_ASSERT_EQ(test, ret, 2000);
	esc_expect_untouched(test, w);
	esc_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_reuse(test, w);
	esc_recv_check(test, server, esc_expected(test, 6, 500, 2000), 2000);
}

/* ---- local delivery ---- */

/*
 * A UDP datagram whose payload is a wrapped fragment, sent to a local
 * socket through the loopback device.  skb_orphan_frags_rx() copies it on
 * delivery, so the creator's callback does not wait for the receiver.
 */
static void esc_test_loopback_udp(struct kunit *test)
{
	struct esc_wrapper *w = esc_wrap(test, 7);
	struct sk_buff *skb = esc_skb(test, 0, 0);
	struct flowi4 fl4 = {
		.daddr = htonl(INADDR_LOOPBACK),
		.saddr = htonl(INADDR_LOOPBACK),
		.flowi4_proto = IPPROTO_UDP,
	};
	struct sockaddr_in addr;
	struct socket *sock;
	struct udphdr *uh;
	struct iphdr *iph;
	struct rtable *rt;
	int err;

	esc_loopback_up(test);
	sock = esc_socket(test, SOCK_DGRAM, IPPROTO_UDP);
	addr = esc_bind_lo(test, sock);

	esc_add_frag(test, skb, w, 200, 2000);
	esc_handoff(w);
	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = addr.sin_port;
	uh->dest = addr.sin_port;
	uh->len = htons(skb->len);
	uh->check = 0;
	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->frag_off = htons(IP_DF);
	iph->saddr = fl4.saddr;
	iph->daddr = fl4.daddr;
	skb->protocol = htons(ETH_P_IP);

	rt = ip_route_output_key(&init_net, &fl4);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rt));
	skb_dst_set(skb, &rt->dst);

	esc_untrack(test, skb);
	err = ip_local_out(&init_net, NULL, skb);
	KUNIT_ASSERT_EQ(test, err, 0);

	/*
	 * Delivered (the loopback softirq ran when ip_local_out() enabled
	 * bottom halves again) and queued as a copy: nothing holds the
	 * wrapper any more, although nobody has read the datagram.
	 */
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_expect_untouched(test, w);
	esc_reuse(test, w);
	esc_recv_check(test, sock, esc_expected(test, 7, 200, 2000), 2000);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_expect_untouched(test, w);
}

/* ---- zerocopy orphaning ---- */

struct esc_ubuf {
	struct ubuf_info ubuf;
	int completions;
};

static void esc_ubuf_complete(struct sk_buff *skb, struct ubuf_info *uarg,
			      bool zerocopy_success)
{
	struct esc_ubuf *u = container_of(uarg, struct esc_ubuf, ubuf);

	u->completions++;
}

static const struct ubuf_info_ops esc_ubuf_ops = {
	.complete = esc_ubuf_complete,
};

/* A zerocopy skb: a wrapped fragment and a plain one, then the uarg. */
static struct sk_buff *esc_zcopy_skb(struct kunit *test, struct esc_wrapper *w,
				     struct page *plain, struct esc_ubuf **pu,
				     u8 flags)
{
	struct esc_ubuf *u = kunit_kzalloc(test, sizeof(*u), GFP_KERNEL);
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0xa5);

	KUNIT_ASSERT_NOT_NULL(test, u);
	esc_add_frag(test, skb, w, 0, 1000);
	esc_add_page_frag(skb, plain, 0, 1000);
	esc_handoff(w);
	u->ubuf.ops = &esc_ubuf_ops;
	u->ubuf.flags = SKBFL_ZEROCOPY_FRAG | flags;
	refcount_set(&u->ubuf.refcnt, 1);
	skb_zcopy_init(skb, &u->ubuf);
	*pu = u;
	return skb;
}

static void esc_check_orphaned(struct kunit *test, struct sk_buff *skb,
			       struct esc_wrapper *w, struct page *plain,
			       u8 seed, struct esc_ubuf *u)
{
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	KUNIT_EXPECT_EQ(test, u->completions, 1);
	KUNIT_EXPECT_NULL(test, skb_zcopy(skb));
	esc_expect_no_wrapped_frag(test, skb, w);
	esc_reuse(test, w);
	esc_check(test, skb, ESC_LINEAR, esc_expected(test, seed, 0, 1000),
		  1000);
	esc_check(test, skb, ESC_LINEAR + 1000, page_address(plain), 1000);
	esc_expect_untouched(test, w);
}

static void esc_test_orphan_frags(struct kunit *test)
{
	struct esc_wrapper *w = esc_wrap(test, 8);
	struct page *plain = esc_page(test, 9);
	int plain_refs = page_ref_count(plain);
	struct esc_ubuf *u;
	struct sk_buff *skb = esc_zcopy_skb(test, w, plain, &u, 0);

	KUNIT_ASSERT_EQ(test, 0, skb_orphan_frags(skb, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, page_ref_count(plain), plain_refs);
	esc_check_orphaned(test, skb, w, plain, 8, u);
	esc_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
}

/* The receive side copies even when the sender said not to orphan. */
static void esc_test_orphan_frags_rx(struct kunit *test)
{
	struct esc_wrapper *w = esc_wrap(test, 10);
	struct page *plain = esc_page(test, 11);
	struct esc_ubuf *u;
	struct sk_buff *skb = esc_zcopy_skb(test, w, plain, &u,
					    SKBFL_DONT_ORPHAN);

	KUNIT_ASSERT_EQ(test, 0, skb_orphan_frags(skb, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	KUNIT_ASSERT_EQ(test, 0, skb_orphan_frags_rx(skb, GFP_KERNEL));
	esc_check_orphaned(test, skb, w, plain, 10, u);
	esc_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
}

/*
 * An skb without a zerocopy uarg, as on loopback delivery to a packet tap:
 * skb_orphan_frags_rx() gives the receiving clone a private copy of its
 * wrapped fragments, and only the sender's skb still holds the wrapper.
 */
static void esc_test_orphan_frags_rx_wrapped(struct kunit *test)
{
	struct esc_wrapper *w = esc_wrap(test, 12);
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0xa5);
	struct sk_buff *clone;

	esc_add_frag(test, skb, w, 0, 1000);
	esc_handoff(w);
	/* What tells skb_orphan_frags_rx() to look at the frags. */
	KUNIT_EXPECT_TRUE(test, skb_has_shared_frag(skb));
	clone = esc_track(test, skb_clone(skb, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0, skb_orphan_frags_rx(clone, GFP_ATOMIC));
	KUNIT_EXPECT_FALSE(test, skb_has_frag_destructor(clone));
	KUNIT_EXPECT_TRUE(test, skb_has_frag_destructor(skb));
	KUNIT_EXPECT_EQ(test, w->calls, 0);
	/* Only the original holds the wrapper now. */
	esc_free(test, skb);
	esc_reuse(test, w);
	esc_check(test, clone, ESC_LINEAR, esc_expected(test, 12, 0, 1000),
		  1000);
	esc_free(test, clone);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_expect_untouched(test, w);
	/* __skb_tstamp_tx() passes a clone that may have failed. */
	KUNIT_EXPECT_EQ(test, 0, skb_orphan_frags_rx(NULL, GFP_ATOMIC));
}

/* Put @list on @skb's frag_list, as skb_gro_receive() chains it. */
static void esc_chain(struct kunit *test, struct sk_buff *skb,
		      struct sk_buff *list)
{
	esc_untrack(test, list);
	skb_shinfo(skb)->frag_list = list;
	skb_shinfo(skb)->flags |= skb_shinfo(list)->flags & SKBFL_FRAG_FLAGS;
	skb->len += list->len;
	skb->data_len += list->len;
	skb->truesize += list->truesize;
}

/*
 * A wrapped fragment on the frag_list, as GRO on a veth peer can chain it:
 * skb_orphan_frags_rx() replaces the member by a copy.  "clone": the skb
 * delivered is a clone (a tap's, or TCP's transmit clone), whose members
 * are shared with the original: only the clone's list changes.
 */
static const bool esc_frag_list_cloned[] = { false, true };

static void esc_frag_list_desc(const bool *cloned, char *desc)
{
	strscpy(desc, *cloned ? "clone" : "own", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(esc_frag_list, esc_frag_list_cloned, esc_frag_list_desc);

static void esc_test_orphan_frags_rx_frag_list(struct kunit *test)
{
	bool cloned = *(const bool *)test->param_value;
	struct esc_wrapper *w = esc_wrap(test, 19);
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0xa5);
	struct sk_buff *list = esc_skb(test, 0, 0);
	struct sk_buff *rx = skb;

	esc_add_frag(test, list, w, 100, 900);
	esc_handoff(w);
	esc_chain(test, skb, list);
	KUNIT_EXPECT_FALSE(test, skb_has_frag_destructor(skb));

	if (cloned)
		rx = esc_track(test, skb_clone(skb, GFP_KERNEL));
	KUNIT_ASSERT_EQ(test, 0, skb_orphan_frags_rx(rx, GFP_ATOMIC));
	KUNIT_ASSERT_NOT_NULL(test, skb_shinfo(rx)->frag_list);
	KUNIT_EXPECT_PTR_NE(test, skb_shinfo(rx)->frag_list, list);
	KUNIT_EXPECT_FALSE(test,
			   skb_has_frag_destructor(skb_shinfo(rx)->frag_list));
	KUNIT_EXPECT_EQ(test, rx->len, ESC_LINEAR + 900);
	if (cloned) {
		KUNIT_EXPECT_PTR_EQ(test, skb_shinfo(skb)->frag_list, list);
		KUNIT_EXPECT_EQ(test, w->calls, 0);
		esc_free(test, skb);
	}
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_reuse(test, w);
	esc_check(test, rx, ESC_LINEAR, esc_expected(test, 19, 100, 900), 900);
	esc_free(test, rx);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_expect_untouched(test, w);
}

/*
 * A 64 KB frag_list member, as GRO builds it from full-sized segments: the
 * copy that replaces it is made of order-0 pages, so that it does not
 * depend on a high-order GFP_ATOMIC allocation in softirq.  Then every
 * fault point on the way (current->fail_nth, slab and page allocations)
 * is failed in turn: each failure leaves a consistent skb, and every
 * callback runs once the skb is freed.
 */
#define ESC_BIG_FRAGS	16

static struct sk_buff *esc_big_chain(struct kunit *test,
				     struct esc_wrapper **w)
{
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0xa5);
	struct sk_buff *list = esc_skb(test, 0, 0);
	int i;

	for (i = 0; i < ESC_BIG_FRAGS; i++) {
		w[i] = esc_wrap(test, 40 + i);
		esc_add_frag(test, list, w[i], 0, PAGE_SIZE);
		esc_handoff(w[i]);
	}
	esc_chain(test, skb, list);
	return skb;
}

static void esc_test_orphan_frags_rx_big_member(struct kunit *test)
{
	struct esc_wrapper *w[ESC_BIG_FRAGS];
	unsigned int nth, left = 0;
	struct sk_buff *skb, *list;
	int i;

	skb = esc_big_chain(test, w);
	KUNIT_ASSERT_EQ(test, 0, skb_orphan_frags_rx(skb, GFP_ATOMIC));
	list = skb_shinfo(skb)->frag_list;
	KUNIT_ASSERT_NOT_NULL(test, list);
	KUNIT_EXPECT_FALSE(test, skb_has_frag_destructor(list));
	KUNIT_EXPECT_FALSE(test,
			   skb_shinfo(skb)->flags & SKBFL_FRAG_DESTRUCTOR);
	/* Not one linear copy of 64 KB: the head stays, the data is paged. */
	KUNIT_EXPECT_EQ(test, skb_headlen(list), 0);
	KUNIT_EXPECT_EQ(test, list->len, ESC_BIG_FRAGS * PAGE_SIZE);
	for (i = 0; i < skb_shinfo(list)->nr_frags; i++) {
		struct page *page = skb_frag_page(&skb_shinfo(list)->frags[i]);

		KUNIT_EXPECT_EQ(test, compound_order(page), 0);
	}
	for (i = 0; i < ESC_BIG_FRAGS; i++) {
		esc_reuse(test, w[i]);
		esc_expect_untouched(test, w[i]);
	}
	for (i = 0; i < ESC_BIG_FRAGS; i++)
		esc_check(test, skb, ESC_LINEAR + i * PAGE_SIZE,
			  esc_expected(test, 40 + i, 0, PAGE_SIZE), PAGE_SIZE);
	esc_free(test, skb);

	if (!IS_ENABLED(CONFIG_FAILSLAB) || !IS_ENABLED(CONFIG_FAIL_PAGE_ALLOC))
		return;
	for (nth = 1; nth <= 64; nth++) {
		int err;

		skb = esc_big_chain(test, w);
		WRITE_ONCE(current->fail_nth, nth);
		err = skb_orphan_frags_rx(skb, GFP_ATOMIC);
		left = READ_ONCE(current->fail_nth);
		WRITE_ONCE(current->fail_nth, 0);
		if (!err)
			esc_check(test, skb, ESC_LINEAR,
				  esc_expected(test, 40, 0, PAGE_SIZE),
				  PAGE_SIZE);
		esc_free(test, skb);
		for (i = 0; i < ESC_BIG_FRAGS; i++) {
			KUNIT_EXPECT_EQ(test, w[i]->calls, 1);
			esc_expect_untouched(test, w[i]);
		}
		if (left)
			break;
	}
	kunit_info(test, "%u fault points\n", nth - 1);
	KUNIT_EXPECT_NE(test, left, 0);
}

/* ---- holders without a bound ---- */

/*
 * A driver that frees transmitted skbs only on a later transmit (virtio_net
 * without TX NAPI) orphans them with skb_orphan_frags_unbounded(): wrapped
 * frags are copied, plain ones stay the device's.
 */
static void esc_test_orphan_frags_unbounded(struct kunit *test)
{
	struct sk_buff *other = esc_skb(test, ESC_LINEAR, 0x3c);
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0x3c);
	struct esc_wrapper *w = esc_wrap(test, 23);
	struct page *plain = esc_page(test, 24);

	esc_add_frag(test, skb, w, 100, 900);
	esc_handoff(w);
	esc_add_page_frag(other, plain, 0, 500);

	KUNIT_EXPECT_EQ(test, 0, skb_orphan_frags_unbounded(other, GFP_ATOMIC));
	KUNIT_EXPECT_PTR_EQ(test, skb_frag_page(&skb_shinfo(other)->frags[0]),
			    plain);

	KUNIT_EXPECT_EQ(test, 0, skb_orphan_frags_unbounded(skb, GFP_ATOMIC));
	KUNIT_EXPECT_FALSE(test, skb_has_frag_destructor(skb));
	esc_reuse(test, w);
	esc_check(test, skb, ESC_LINEAR, esc_expected(test, 23, 100, 900), 900);
	esc_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_expect_untouched(test, w);
}

static void esc_purge_err_queue(void *arg)
{
	struct sock *sk = arg;

	skb_queue_purge(&sk->sk_error_queue);
}

/*
 * An SO_WIFI_STATUS ack (skb_complete_wifi_ack(), as mac80211 sends it
 * for a clone of the transmitted skb) waits on the error queue until the
 * socket is read: sock_queue_err_skb() gives it a copy, and the callback
 * follows the transmit side alone.
 */
static void esc_test_err_queue(struct kunit *test)
{
	struct socket *sock = esc_socket(test, SOCK_DGRAM, IPPROTO_UDP);
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0x5a);
	struct esc_wrapper *w = esc_wrap(test, 25);
	struct sk_buff *clone, *err_skb;

	/* Registered after the wrapper: runs before it is freed. */
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, esc_purge_err_queue,
						  sock->sk));
	esc_add_frag(test, skb, w, 100, 900);
	esc_handoff(w);
	skb_set_owner_w(skb, sock->sk);
	clone = skb_clone_sk(skb);
	KUNIT_ASSERT_NOT_NULL(test, clone);
	skb_complete_wifi_ack(clone, true);

	esc_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_reuse(test, w);

	err_skb = sock_dequeue_err_skb(sock->sk);
	KUNIT_ASSERT_NOT_NULL(test, err_skb);
	esc_track(test, err_skb);
	KUNIT_EXPECT_TRUE(test, err_skb->wifi_acked);
	esc_check(test, err_skb, ESC_LINEAR, esc_expected(test, 25, 100, 900),
		  900);
	esc_free(test, err_skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_expect_untouched(test, w);
}

/* ---- page_pool and XDP ---- */

static struct page_pool *esc_pool(struct kunit *test)
{
	struct page_pool_params params = {
		.order = 0,
		.pool_size = 16,
		.nid = NUMA_NO_NODE,
	};
	struct page_pool *pool = page_pool_create(&params);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pool);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, esc_pool_destroy_action,
						  pool));
	return pool;
}

/*
 * Two wrapped fragments and a head, as a driver would receive them; too
 * long for the head of a page_pool copy, so the copy has a fragment too.
 */
static struct sk_buff *esc_rx_skb(struct kunit *test, struct esc_wrapper *w)
{
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0xa5);

	esc_add_frag(test, skb, w, 0, 2000);
	esc_add_frag(test, skb, w, 2000, 2000);
	esc_handoff(w);
	return skb;
}

static void esc_check_rx_copy(struct kunit *test, struct sk_buff *skb,
			      struct esc_wrapper *w, u8 seed)
{
	u8 head[ESC_LINEAR];

	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_expect_no_wrapped_frag(test, skb, w);
	esc_reuse(test, w);
	KUNIT_ASSERT_EQ(test, skb->len, ESC_LINEAR + 4000);
	esc_fill(head, ESC_LINEAR, 0xa5);
	esc_check(test, skb, 0, head, ESC_LINEAR);
	esc_check(test, skb, ESC_LINEAR, esc_expected(test, seed, 0, 4000),
		  4000);
	esc_expect_untouched(test, w);
}

static void esc_test_pp_cow_data(struct kunit *test)
{
	struct page_pool *pool = esc_pool(test);
	struct esc_wrapper *w = esc_wrap(test, 13);
	struct sk_buff *skb = esc_rx_skb(test, w);
	struct sk_buff *orig = skb;
	int err;

	esc_untrack(test, skb);
	local_bh_disable();
	err = skb_pp_cow_data(pool, &skb, XDP_PACKET_HEADROOM);
	local_bh_enable();
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_PTR_NE(test, skb, orig);
	esc_track(test, skb);
	KUNIT_EXPECT_TRUE(test, skb->pp_recycle);
	esc_check_rx_copy(test, skb, w, 13);
	esc_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
}

static unsigned int esc_xdp_prog_func(const void *ctx,
				      const struct bpf_insn *insn);

struct esc_xdp {
	struct bpf_prog_aux aux;
	struct esc_wrapper *w;
	int runs;
	int calls_seen;		/* w->calls when the program ran */
	int frags_seen;
	int wrapped_seen;	/* frags that were, or held, the wrapped page */
	struct bpf_prog prog;	/* ends in a flexible array */
};

static struct esc_xdp *esc_xdp_prog(struct kunit *test, struct esc_wrapper *w,
				    bool has_frags)
{
	struct esc_xdp *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, x);
	x->aux.xdp_has_frags = has_frags;
	x->prog.aux = &x->aux;
	x->prog.type = BPF_PROG_TYPE_XDP;
	x->prog.bpf_func = esc_xdp_prog_func;
	x->w = w;
	return x;
}

/*
 * The "XDP program", run with bottom halves disabled: it records what the
 * buffer it is given holds, for the test to check afterwards.
 */
static unsigned int esc_xdp_prog_func(const void *ctx,
				      const struct bpf_insn *insn)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	struct esc_xdp *x = container_of(insn, struct esc_xdp, prog.insnsi[0]);
	struct skb_shared_info *sinfo;
	int i;

	x->runs++;
	x->calls_seen = x->w->calls;
	if (!xdp_buff_has_frags(xdp))
		return XDP_PASS;
	sinfo = xdp_get_shared_info_from_buff(xdp);
	for (i = 0; i < sinfo->nr_frags; i++) {
		const skb_frag_t *frag = &sinfo->frags[i];

		x->frags_seen++;
		if (skb_frag_has_destructor(frag) ||
		    skb_frag_page(frag) == x->w->destructor.page)
			x->wrapped_seen++;
	}
	return XDP_PASS;
}

static void esc_xdp_generic(struct kunit *test, bool has_frags, u8 seed)
{
	struct esc_wrapper *w = esc_wrap(test, seed);
	struct sk_buff *skb = esc_rx_skb(test, w);
	struct esc_xdp *x = esc_xdp_prog(test, w, has_frags);
	struct sk_buff *orig = skb;
	int act;

	skb->dev = init_net.loopback_dev;
	skb_reset_mac_header(skb);
	__skb_pull(skb, ETH_HLEN);
	esc_untrack(test, skb);

	rcu_read_lock();
	local_bh_disable();
	act = do_xdp_generic(&x->prog, &skb);
	local_bh_enable();
	rcu_read_unlock();

	KUNIT_ASSERT_EQ(test, act, XDP_PASS);
	esc_track(test, skb);
	KUNIT_EXPECT_EQ(test, x->runs, 1);
	KUNIT_EXPECT_EQ(test, x->calls_seen, 1);
	KUNIT_EXPECT_EQ(test, x->wrapped_seen, 0);
	if (has_frags) {
		/* A page_pool copy, fragments and all. */
		KUNIT_EXPECT_PTR_NE(test, skb, orig);
		KUNIT_EXPECT_EQ(test, x->frags_seen, 1);
	} else {
		KUNIT_EXPECT_FALSE(test, skb_is_nonlinear(skb));
		KUNIT_EXPECT_EQ(test, x->frags_seen, 0);
	}
	__skb_push(skb, ETH_HLEN);
	esc_check_rx_copy(test, skb, w, seed);
	esc_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
}

/* Generic XDP with a frags-aware program: copied into page_pool pages. */
static void esc_test_xdp_generic_frags(struct kunit *test)
{
	esc_xdp_generic(test, true, 14);
}

/* Generic XDP with a linear-only program: the skb is linearized. */
static void esc_test_xdp_generic_linear(struct kunit *test)
{
	esc_xdp_generic(test, false, 15);
}

/* skb_cow_data_for_xdp() refuses a linear-only program and copies nothing. */
static void esc_test_cow_data_for_xdp(struct kunit *test)
{
	struct page_pool *pool = esc_pool(test);
	struct esc_wrapper *w = esc_wrap(test, 16);
	struct sk_buff *skb = esc_rx_skb(test, w);
	struct esc_xdp *linear = esc_xdp_prog(test, w, false);
	struct esc_xdp *frags = esc_xdp_prog(test, w, true);
	struct sk_buff *orig = skb;

	int err;

	local_bh_disable();
	err = skb_cow_data_for_xdp(pool, &skb, &linear->prog);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, skb, orig);
	KUNIT_EXPECT_EQ(test, w->calls, 0);

	esc_untrack(test, skb);
	local_bh_disable();
	err = skb_cow_data_for_xdp(pool, &skb, &frags->prog);
	local_bh_enable();
	KUNIT_ASSERT_EQ(test, err, 0);
	esc_track(test, skb);
	KUNIT_EXPECT_PTR_NE(test, skb, orig);
	esc_check_rx_copy(test, skb, w, 16);
}

/*
 * skb_has_frag_destructor() decides whether esp_output_head() may move the
 * fragments into a scatterlist: it looks at the skb's own frags only.
 */
static void esc_test_has_frag_destructor(struct kunit *test)
{
	struct esc_wrapper *w = esc_wrap(test, 17);
	struct page *plain = esc_page(test, 18);
	struct sk_buff *skb = esc_skb(test, ESC_LINEAR, 0xa5);
	struct sk_buff *list = esc_skb(test, 0, 0);

	KUNIT_EXPECT_FALSE(test, skb_has_frag_destructor(skb));
	esc_add_page_frag(skb, plain, 0, 100);
	KUNIT_EXPECT_FALSE(test, skb_has_frag_destructor(skb));
	esc_add_frag(test, list, w, 0, 100);
	KUNIT_EXPECT_TRUE(test, skb_has_frag_destructor(list));
	esc_untrack(test, list);
	skb_shinfo(skb)->frag_list = list;
	skb->len += list->len;
	skb->data_len += list->len;
	KUNIT_EXPECT_FALSE(test, skb_has_frag_destructor(skb));
	esc_add_frag(test, skb, w, 100, 100);
	esc_add_page_frag(skb, plain, 100, 100);
	KUNIT_EXPECT_TRUE(test, skb_has_frag_destructor(skb));
	esc_handoff(w);
	esc_free(test, skb);
	KUNIT_EXPECT_EQ(test, w->calls, 1);
	esc_expect_untouched(test, w);
}

static struct kunit_case esc_cases[] = {
	KUNIT_CASE(esc_test_splice),
	KUNIT_CASE(esc_test_splice_mixed),
	KUNIT_CASE(esc_test_splice_frag_list),
	KUNIT_CASE(esc_test_send_sock),
	KUNIT_CASE(esc_test_send_sock_locked),
	KUNIT_CASE(esc_test_loopback_udp),
	KUNIT_CASE(esc_test_orphan_frags),
	KUNIT_CASE(esc_test_orphan_frags_rx),
	KUNIT_CASE(esc_test_orphan_frags_rx_wrapped),
	KUNIT_CASE_PARAM(esc_test_orphan_frags_rx_frag_list,
			 esc_frag_list_gen_params),
	KUNIT_CASE(esc_test_orphan_frags_rx_big_member),
	KUNIT_CASE(esc_test_orphan_frags_unbounded),
	KUNIT_CASE(esc_test_err_queue),
	KUNIT_CASE(esc_test_pp_cow_data),
	KUNIT_CASE(esc_test_xdp_generic_frags),
	KUNIT_CASE(esc_test_xdp_generic_linear),
	KUNIT_CASE(esc_test_cow_data_for_xdp),
	KUNIT_CASE(esc_test_has_frag_destructor),
	{}
};

static struct kunit_suite esc_suite = {
	.name = "net_frag_escape",
	.test_cases = esc_cases,
};

kunit_test_suite(esc_suite);

MODULE_DESCRIPTION("KUnit tests for skb fragment pages that leave the skb");
MODULE_LICENSE("GPL");
