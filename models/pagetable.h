/*
 * pagetable.h - dense per-page state and the (pid, virtual page) map.
 *
 * Every page a task touches gets a page id (1, 2, ...; 0 means "none") the
 * first time, and keeps it for the whole run wherever its contents go:
 * a node, zswap, the swap device. Per-page state is one 16-byte PageInfo in
 * a dense array indexed by id.
 *
 * The map is two-level: an open-addressing hash of (pid, vpage / 512) gives
 * a leaf of 512 page ids (2 KiB), so a dense region costs 4 bytes per page
 * plus one hash slot per 512 pages, and a run of accesses within one leaf
 * skips the hash through a one-entry cache. Sparse address spaces cost up
 * to one leaf per touched page: that is the trade for the dense case.
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
    PAGE_LOC_ZSWAP = 0xfffd,
    PAGE_LOC_SWAP = 0xfffe,
};

enum {
    PAGE_ACTIVE = 1u << 0,     /* on the active list (else inactive) */
    PAGE_REFERENCED = 1u << 1, /* accessed since reclaim last looked (PTE young) */
    PAGE_DIRTY = 1u << 2,      /* written since its contents were last stored */
    PAGE_SHADOW = 1u << 3,     /* aux holds a workingset shadow (evicted) */
    PAGE_ZERO = 1u << 4,       /* on swap as a same-filled page: no I/O */
    PAGE_ISOLATED = 1u << 5,   /* off the LRU while reclaim works on it */
};

typedef struct PageInfo {
    uint32_t aux; /* zswap entry id, or the eviction shadow */
    uint16_t loc; /* node id, PAGE_LOC_ZSWAP or PAGE_LOC_SWAP */
    uint8_t flags;
    uint8_t gen; /* content generation, feeds the compressibility model */
} PageInfo;

typedef struct PtSlot {
    uint64_t chunk; /* vpage >> PT_LEAF_SHIFT */
    uint32_t pid;
    uint32_t leaf; /* leaf index + 1; 0 = empty slot */
} PtSlot;

typedef struct PageTable {
    PageInfo *pages;  /* pages[0] unused */
    uint32_t n_pages; /* ids in use: 1..n_pages */
    uint32_t cap_pages;
    PtSlot *slots;
    uint32_t slot_mask;
    uint32_t n_slots_used;
    uint32_t **leaves;
    uint32_t n_leaves, cap_leaves;
    /* one-entry cache */
    uint32_t cache_pid;
    uint64_t cache_chunk;
    uint32_t *cache_leaf;
} PageTable;

void pt_init(PageTable *pt);
void pt_clear(PageTable *pt);

/* The page id of (pid, vpage), 0 if never touched. */
static inline uint32_t pt_lookup(PageTable *pt, uint32_t pid, uint64_t vpage);
/* The page id of (pid, vpage), creating it (zeroed PageInfo) if new;
 * *created tells which. */
uint32_t pt_lookup_or_create(PageTable *pt, uint32_t pid, uint64_t vpage, bool *created);
/* Bytes the page table holds (for the bytes-per-page benchmark). */
size_t pt_memory_bytes(const PageTable *pt);

uint32_t *pt_find_leaf(PageTable *pt, uint32_t pid, uint64_t chunk, bool create);

static inline uint32_t pt_lookup(PageTable *pt, uint32_t pid, uint64_t vpage)
{
    uint64_t chunk = vpage >> PT_LEAF_SHIFT;
    uint32_t *leaf;
    if (pt->cache_leaf && pt->cache_pid == pid && pt->cache_chunk == chunk)
        leaf = pt->cache_leaf;
    else if (!(leaf = pt_find_leaf(pt, pid, chunk, false)))
        return 0;
    return leaf[vpage & (PT_LEAF_PAGES - 1)];
}

#endif
