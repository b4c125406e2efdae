/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal declarations for compiling the Coccinelle tests with
 * gcc -fsyntax-only (scripts/cocci-test.sh): just enough of the kernel's
 * skb, page, page_pool, scatterlist, bio and pipe APIs that a conversion
 * which does not compile (an rvalue stored to, a wrong argument type, a
 * helper that does not exist) fails the test.  Not the kernel's
 * definitions: only their types.
 */
#ifndef COCCI_TEST_H
#define COCCI_TEST_H

typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned long size_t;
typedef unsigned int gfp_t;
typedef unsigned int grant_ref_t;
typedef unsigned long pgprot_t;
typedef unsigned int vm_fault_t;
typedef unsigned long dma_addr_t;
#define __force
#define GFP_KERNEL 0u
#define GFP_ATOMIC 1u
#define PAGE_SIZE 4096ul
#define PAGE_SHIFT 12
#define MAX_SKB_FRAGS 17
#define EINVAL 22
#define ENOMEM 12
#define EINTR 4
#define likely(x) (x)
#define unlikely(x) (x)
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define swap(a, b) do { __typeof__(a) __t = (a); (a) = (b); (b) = __t; } while (0)
#define xchg(p, v) __atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define WARN_ON(x) (!!(x))
#define WARN_ON_ONCE(x) (!!(x))
#define BUG_ON(x) ((void)(x))
#define scoped_guard(_name, args...) for (int __sg = 0; !__sg; __sg = 1)

typedef unsigned long __bitwise_netmem;
typedef __bitwise_netmem netmem_ref;

struct page { unsigned long flags; };
struct folio { struct page page; };
struct net_iov;
struct page_pool;
struct bio;
struct sock;
struct xdp_mem_info { u32 type; };
struct xdp_rxq_info { struct xdp_mem_info mem; };
struct vm_area_struct { unsigned long vm_start; };
struct vm_fault { struct vm_area_struct *vma; unsigned long address; };
struct scatterlist { unsigned long page_link; unsigned int offset, length; };
struct bio_vec { struct page *bv_page; unsigned int bv_len, bv_offset; };
struct pipe_buffer { struct page *page; unsigned int offset, len; };
struct pipe_inode_info;
struct splice_pipe_desc { struct page **pages; };
struct page_frag { struct page *page; u32 offset, size; };
struct sk_msg;
typedef struct { int lock; } spinlock_t;

typedef struct skb_frag {
	netmem_ref netmem;
	unsigned int len;
	unsigned int offset;
} skb_frag_t;

struct skb_shared_info {
	u8 flags;
	u8 nr_frags;
	struct sk_buff *frag_list;
	skb_frag_t frags[MAX_SKB_FRAGS];
};

struct sk_buff {
	unsigned int len, data_len, truesize;
	unsigned char *head, *data;
	u8 pp_recycle;
	struct sock *sk;
};

struct xdp_buff {
	void *data;
	struct xdp_rxq_info *rxq;
};

struct xdp_frame {
	void *data;
	struct xdp_mem_info mem;
};

struct tls_record_info {
	u32 num_frags;
	skb_frag_t frags[MAX_SKB_FRAGS];
};

struct skb_frag_destructor {
	int refs;
	struct page *page;
	void (*destroy)(struct skb_frag_destructor *d);
};

/* skbuff.h, skbuff_ref.h */
struct skb_shared_info *skb_shinfo(const struct sk_buff *skb);
struct page *skb_frag_page(const skb_frag_t *frag);
netmem_ref skb_frag_netmem(const skb_frag_t *frag);
void *skb_frag_address(const skb_frag_t *frag);
void *skb_frag_address_safe(const skb_frag_t *frag);
unsigned int skb_frag_size(const skb_frag_t *frag);
unsigned int skb_frag_off(const skb_frag_t *frag);
void skb_frag_size_add(skb_frag_t *frag, int delta);
bool skb_frag_is_net_iov(const skb_frag_t *frag);
bool skb_frag_has_destructor(const skb_frag_t *frag);
bool skb_frag_can_coalesce(const skb_frag_t *prev, const skb_frag_t *frag);
void skb_frag_page_copy(skb_frag_t *fragto, const skb_frag_t *fragfrom);
void __skb_frag_ref(skb_frag_t *frag);
void __skb_frag_unref(skb_frag_t *frag, bool recycle);
void skb_frag_ref(struct sk_buff *skb, int f);
void skb_frag_unref(struct sk_buff *skb, int f);
void skb_frag_fill_page_desc(skb_frag_t *frag, struct page *page, int off,
			     int size);
void skb_frag_fill_netmem_desc(skb_frag_t *frag, netmem_ref netmem, int off,
			       int size);
void skb_fill_page_desc(struct sk_buff *skb, int i, struct page *page,
			int off, int size);
void skb_fill_netmem_desc(struct sk_buff *skb, int i, netmem_ref netmem,
			  int off, int size);
void skb_add_rx_frag(struct sk_buff *skb, int i, struct page *page, int off,
		     int size, unsigned int truesize);
void skb_page_unref(netmem_ref netmem, bool recycle);
bool napi_pp_put_page(netmem_ref netmem);
int __pskb_pull_tail(struct sk_buff *skb, int delta);
int pskb_trim(struct sk_buff *skb, unsigned int len);
void consume_skb(struct sk_buff *skb);
void kfree_skb(struct sk_buff *skb);
unsigned int skb_headlen(const struct sk_buff *skb);
struct skb_shared_info *xdp_get_shared_info_from_buff(const struct xdp_buff *xdp);
struct skb_shared_info *xdp_get_shared_info_from_frame(const struct xdp_frame *f);
bool xdp_buff_has_frags(const struct xdp_buff *xdp);
void __xdp_return(void *data, struct xdp_mem_info *mem, bool napi_direct,
		  struct xdp_buff *xdp);
int __splice_segment(struct page *page, unsigned int poff, unsigned int plen,
		     unsigned int *off, unsigned int *len, struct sk_buff *skb,
		     struct splice_pipe_desc *spd, bool linear, struct sock *sk,
		     struct pipe_inode_info *pipe);
bool spd_fill_page(struct splice_pipe_desc *spd, struct pipe_inode_info *pipe,
		   struct page *page, unsigned int *len, unsigned int offset,
		   bool linear, struct sock *sk);
void sk_mem_charge(struct sock *sk, int size);
int sk_msg_page_add(struct sk_msg *msg, struct page *page, u32 len, u32 off);
/* for skb_frag_foreach_page() */
#define skb_frag_foreach_page(f, f_off, f_len, p, p_off, p_len, copied) \
	for (p = skb_frag_page(f) + ((f_off) >> PAGE_SHIFT), copied = 0, \
	     p_off = (f_off), p_len = (f_len); copied < (f_len); \
	     copied += p_len, p++, p_off = 0, p_len = (f_len))

/* netmem.h */
struct page *netmem_to_page(netmem_ref netmem);
netmem_ref page_to_netmem(struct page *page);
netmem_ref netmem_compound_head(netmem_ref netmem);
bool netmem_is_net_iov(netmem_ref netmem);
bool netmem_is_pp(netmem_ref netmem);
void get_netmem(netmem_ref netmem);
void put_netmem(netmem_ref netmem);

/* mm.h */
struct page *alloc_page(gfp_t gfp);
void get_page(struct page *page);
void put_page(struct page *page);
void __free_page(struct page *page);
void __free_pages(struct page *page, unsigned int order);
int page_count(const struct page *page);
int page_ref_count(const struct page *page);
void page_ref_inc(struct page *page);
void page_ref_dec(struct page *page);
void page_ref_add(struct page *page, int nr);
void page_ref_sub(struct page *page, int nr);
bool page_ref_dec_and_test(struct page *page);
bool put_page_testzero(struct page *page);
bool get_page_unless_zero(struct page *page);
struct folio *page_folio(struct page *page);
void folio_get(struct folio *folio);
void folio_put(struct folio *folio);
void folio_put_refs(struct folio *folio, int refs);
struct page *compound_head(struct page *page);
struct page *nth_page(struct page *page, int n);
struct page *virt_to_head_page(const void *x);
struct page *virt_to_page(const void *x);
void *page_address(const struct page *page);
unsigned long page_to_pfn(const struct page *page);
void *kmap_local_page(struct page *page);
void kunmap_local(const void *addr);
void *memcpy(void *dst, const void *src, size_t n);
int vm_insert_page(struct vm_area_struct *vma, unsigned long addr,
		   struct page *page);
int vm_insert_pages(struct vm_area_struct *vma, unsigned long addr,
		    struct page **pages, unsigned long *num);
int vm_map_pages(struct vm_area_struct *vma, struct page **pages,
		 unsigned long num);
int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr,
		    unsigned long pfn, unsigned long size, pgprot_t prot);
vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr,
			  unsigned long pfn);

/* page_pool */
void page_pool_put_full_page(struct page_pool *pool, struct page *page,
			     bool allow_direct);
void page_pool_put_page(struct page_pool *pool, struct page *page,
			unsigned int dma_sync_size, bool allow_direct);
void page_pool_recycle_direct(struct page_pool *pool, struct page *page);
void page_pool_put_full_netmem(struct page_pool *pool, netmem_ref netmem,
			       bool allow_direct);
void page_pool_ref_netmem(netmem_ref netmem);

/* scatterlist, bio, xen */
void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
		 unsigned int offset);
void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int len);
void sg_unmark_end(struct scatterlist *sg);
struct page *sg_page(struct scatterlist *sg);
int bio_add_page(struct bio *bio, struct page *page, unsigned int len,
		 unsigned int off);
void __bio_add_page(struct bio *bio, struct page *page, unsigned int len,
		    unsigned int off);
void bvec_set_page(struct bio_vec *bv, struct page *page, unsigned int len,
		   unsigned int offset);
void gnttab_end_foreign_access(grant_ref_t ref, struct page *page);

/* locks, for scoped_guard() */
void spin_lock(spinlock_t *lock);

/* The tests' own helpers. */
void use(netmem_ref n);
void use_page(struct page *page);
void do_something(skb_frag_t *frag);
void driver_keep_page(void *ring, struct page *page);
void refill(skb_frag_t *frag);

#endif
