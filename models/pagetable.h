/*
 * pagetable.h - dense per-page state and the (pid, virtual page) map.
 *
 * Every page a task touches keeps one 8-byte PageInfo for the whole run,
 * wherever its contents go (a node, zswap, the swap device). PageInfos live
 * in leaves of 512 consecutive virtual pages of one pid; an open-addressing
 * hash of (pid, vpage / 512) finds the leaf, and a one-entry cache skips the
 * hash for runs of accesses within a leaf. A resident hit therefore touches
 * one hash slot and the page's own 8 bytes: one cache miss, not two.
 *
 * A page's id is its leaf number times 512 plus its offset (leaf 0 is never
 * used, so id 0 means "none"); pt_page() turns an id back into its
 * PageInfo. Ids are stable and dense within a leaf. A dense region costs
 * 8 bytes per page plus one hash slot per 512 pages; a sparse address space
 * costs up to one 4 KiB leaf per touched page: the trade for the dense case.
 *
 * Cost: lookup O(1) expected; growth doubles arrays (amortised O(1)).
 */
#ifndef TIERSIM_MODELS_PAGETABLE_H
#define TIERSIM_MODELS_PAGETABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PT_LEAF_SHIFT 9
#define PT_LEAF_PAGES (1u << PT_LEAF_SHIFT)

/* Where a page's contents are. Values below PAGE_LOC_ZSWAP are node ids. */
enum {
    PAGE_LOC_ZSWAP = 0xfd,
    PAGE_LOC_SWAP = 0xfe,
};

enum {
    PAGE_ACTIVE = 1u << 0,     /* on the active list (else inactive) */
    PAGE_REFERENCED = 1u << 1, /* accessed since reclaim last looked (PTE young) */
    PAGE_DIRTY = 1u << 2,      /* written since its contents were last stored */
    PAGE_SHADOW = 1u << 3,     /* evicted: a workingset shadow exists */
    PAGE_ZERO = 1u << 4,       /* on swap as a same-filled page: no I/O */
    PAGE_NUMA_HINT = 1u << 5,  /* armed by the NUMA-balancing scanner (PROT_NONE) */
    PAGE_TOUCHED = 1u << 6,    /* the slot holds a page (untouched slots are all zero) */
};

typedef struct PageInfo {
    uint32_t aux;      /* not resident: zswap entry id or the eviction shadow;
                        * resident: NUMA-balancing scan time (ms) or last accessing node */
    uint8_t loc;       /* node id, PAGE_LOC_ZSWAP or PAGE_LOC_SWAP */
    uint8_t lru_epoch; /* tells this page's live LRU entry from stale ones (lru.h) */
    uint8_t flags;
    uint8_t gen; /* content generation, feeds the compressibility model */
} PageInfo;

typedef struct PtSlot {
    uint64_t chunk; /* vpage >> PT_LEAF_SHIFT */
    uint32_t pid;
    uint32_t leaf; /* leaf number (>= 1); 0 = empty slot */
} PtSlot;

typedef struct PageTable {
    PageInfo **leaves; /* leaves[0] unused */
    uint32_t n_leaves; /* including the unused leaf 0 */
    uint32_t cap_leaves;
    uint64_t n_pages; /* pages touched */
    PtSlot *slots;
    uint32_t slot_mask;
    uint32_t n_slots_used;
    /* one-entry cache */
    uint32_t cache_pid;
    uint32_t cache_leaf;
    uint64_t cache_chunk;
} PageTable;

void pt_init(PageTable *pt);
void pt_clear(PageTable *pt);

/* The leaf number of (pid, chunk), 0 if none (create=false). */
uint32_t pt_find_leaf(PageTable *pt, uint32_t pid, uint64_t chunk, bool create);

static inline PageInfo *pt_page(const PageTable *pt, uint32_t id)
{
    return &pt->leaves[id >> PT_LEAF_SHIFT][id & (PT_LEAF_PAGES - 1)];
}

/* The id of (pid, vpage), 0 if never touched. */
static inline uint32_t pt_lookup(PageTable *pt, uint32_t pid, uint64_t vpage)
{
    uint64_t chunk = vpage >> PT_LEAF_SHIFT;
    uint32_t leaf = pt->cache_leaf;
    if (!(leaf && pt->cache_pid == pid && pt->cache_chunk == chunk) &&
        !(leaf = pt_find_leaf(pt, pid, chunk, false)))
        return 0;
    uint32_t id = (leaf << PT_LEAF_SHIFT) | (uint32_t)(vpage & (PT_LEAF_PAGES - 1));
    return (pt_page(pt, id)->flags & PAGE_TOUCHED) ? id : 0;
}

/* The id of (pid, vpage), creating the page (PAGE_TOUCHED, rest zero) if
 * new; *created tells which. */
uint32_t pt_lookup_or_create(PageTable *pt, uint32_t pid, uint64_t vpage, bool *created);

/* Iteration over every touched page: ids in increasing order. */
static inline uint32_t pt_first_id(const PageTable *pt)
{
    return PT_LEAF_PAGES;
}
static inline uint32_t pt_end_id(const PageTable *pt)
{
    return pt->n_leaves << PT_LEAF_SHIFT;
}

/* Bytes the page table holds (for the bytes-per-page benchmark). */
size_t pt_memory_bytes(const PageTable *pt);

#endif
