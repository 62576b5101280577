#include "models/pagetable.h"

#include <glib.h>
#include <string.h>

void pt_init(PageTable *pt)
{
    memset(pt, 0, sizeof(*pt));
    pt->cap_pages = 1024;
    pt->pages = g_new0(PageInfo, pt->cap_pages);
    pt->slot_mask = 255;
    pt->slots = g_new0(PtSlot, pt->slot_mask + 1);
}

void pt_clear(PageTable *pt)
{
    for (uint32_t i = 0; i < pt->n_leaves; i++)
        g_free(pt->leaves[i]);
    g_free(pt->leaves);
    g_free(pt->slots);
    g_free(pt->pages);
    memset(pt, 0, sizeof(*pt));
}

/* Fibonacci hashing: one multiply; the high bits are well mixed, so the
 * table index takes them (the caller masks the low bits of the result). */
static inline uint32_t slot_hash(uint32_t pid, uint64_t chunk)
{
    uint64_t h = (chunk ^ ((uint64_t)pid << 44) ^ pid) * 0x9e3779b97f4a7c15ULL;
    return (uint32_t)(h >> 32) ^ (uint32_t)(h >> 45);
}

static void grow_slots(PageTable *pt)
{
    uint32_t old_n = pt->slot_mask + 1;
    PtSlot *old = pt->slots;
    pt->slot_mask = old_n * 2 - 1;
    pt->slots = g_new0(PtSlot, old_n * 2);
    for (uint32_t i = 0; i < old_n; i++) {
        if (!old[i].leaf)
            continue;
        uint32_t h = slot_hash(old[i].pid, old[i].chunk) & pt->slot_mask;
        while (pt->slots[h].leaf)
            h = (h + 1) & pt->slot_mask;
        pt->slots[h] = old[i];
    }
    g_free(old);
}

uint32_t *pt_find_leaf(PageTable *pt, uint32_t pid, uint64_t chunk, bool create)
{
    uint32_t h = slot_hash(pid, chunk) & pt->slot_mask;
    for (;;) {
        PtSlot *s = &pt->slots[h];
        if (!s->leaf)
            break;
        if (s->pid == pid && s->chunk == chunk) {
            pt->cache_pid = pid;
            pt->cache_chunk = chunk;
            pt->cache_leaf = pt->leaves[s->leaf - 1];
            return pt->cache_leaf;
        }
        h = (h + 1) & pt->slot_mask;
    }
    if (!create)
        return NULL;
    if (pt->n_leaves == pt->cap_leaves) {
        pt->cap_leaves = pt->cap_leaves ? pt->cap_leaves * 2 : 64;
        pt->leaves = g_renew(uint32_t *, pt->leaves, pt->cap_leaves);
    }
    uint32_t *leaf = g_new0(uint32_t, PT_LEAF_PAGES);
    pt->leaves[pt->n_leaves++] = leaf;
    pt->slots[h] = (PtSlot){chunk, pid, pt->n_leaves};
    if (++pt->n_slots_used * 4 > (pt->slot_mask + 1) * 3) /* keep load below 3/4 */
        grow_slots(pt);
    pt->cache_pid = pid;
    pt->cache_chunk = chunk;
    pt->cache_leaf = leaf;
    return leaf;
}

uint32_t pt_lookup_or_create(PageTable *pt, uint32_t pid, uint64_t vpage, bool *created)
{
    uint64_t chunk = vpage >> PT_LEAF_SHIFT;
    uint32_t *leaf;
    if (pt->cache_leaf && pt->cache_pid == pid && pt->cache_chunk == chunk)
        leaf = pt->cache_leaf;
    else
        leaf = pt_find_leaf(pt, pid, chunk, true);
    uint32_t *slot = &leaf[vpage & (PT_LEAF_PAGES - 1)];
    if (*slot) {
        *created = false;
        return *slot;
    }
    if (pt->n_pages + 1 >= pt->cap_pages) {
        g_assert(pt->cap_pages < UINT32_MAX / 2);
        uint32_t ncap = pt->cap_pages * 2;
        pt->pages = g_renew(PageInfo, pt->pages, ncap);
        memset(pt->pages + pt->cap_pages, 0, sizeof(PageInfo) * (ncap - pt->cap_pages));
        pt->cap_pages = ncap;
    }
    *slot = ++pt->n_pages;
    *created = true;
    return *slot;
}

size_t pt_memory_bytes(const PageTable *pt)
{
    return (size_t)pt->cap_pages * sizeof(PageInfo) + (size_t)(pt->slot_mask + 1) * sizeof(PtSlot) +
           (size_t)pt->n_leaves * PT_LEAF_PAGES * sizeof(uint32_t) +
           (size_t)pt->cap_leaves * sizeof(uint32_t *);
}
