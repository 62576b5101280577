#include "models/pagetable.h"

#include <glib.h>
#include <string.h>

void pt_init(PageTable *pt)
{
    memset(pt, 0, sizeof(*pt));
    pt->cap_leaves = 64;
    pt->leaves = g_new0(PageInfo *, pt->cap_leaves);
    pt->n_leaves = 1; /* leaf 0 is never used: id 0 means "none" */
    pt->slot_mask = 255;
    pt->slots = g_new0(PtSlot, pt->slot_mask + 1);
}

void pt_clear(PageTable *pt)
{
    for (uint32_t i = 1; i < pt->n_leaves; i++)
        g_free(pt->leaves[i]);
    g_free(pt->leaves);
    g_free(pt->slots);
    memset(pt, 0, sizeof(*pt));
}

/* Fibonacci hashing: one multiply; the high bits are well mixed. */
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

uint32_t pt_find_leaf(PageTable *pt, uint32_t pid, uint64_t chunk, bool create)
{
    uint32_t h = slot_hash(pid, chunk) & pt->slot_mask;
    for (;;) {
        PtSlot *s = &pt->slots[h];
        if (!s->leaf)
            break;
        if (s->pid == pid && s->chunk == chunk) {
            pt->cache_pid = pid;
            pt->cache_chunk = chunk;
            pt->cache_leaf = s->leaf;
            return s->leaf;
        }
        h = (h + 1) & pt->slot_mask;
    }
    if (!create)
        return 0;
    if (pt->n_leaves == pt->cap_leaves) {
        g_assert(pt->cap_leaves < (1u << (32 - PT_LEAF_SHIFT - 1)));
        pt->cap_leaves *= 2;
        pt->leaves = g_renew(PageInfo *, pt->leaves, pt->cap_leaves);
    }
    uint32_t leaf = pt->n_leaves++;
    pt->leaves[leaf] = g_new0(PageInfo, PT_LEAF_PAGES);
    pt->slots[h] = (PtSlot){chunk, pid, leaf};
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
    uint32_t leaf = pt->cache_leaf;
    if (!(leaf && pt->cache_pid == pid && pt->cache_chunk == chunk))
        leaf = pt_find_leaf(pt, pid, chunk, true);
    uint32_t id = (leaf << PT_LEAF_SHIFT) | (uint32_t)(vpage & (PT_LEAF_PAGES - 1));
    PageInfo *pg = pt_page(pt, id);
    *created = !(pg->flags & PAGE_TOUCHED);
    if (*created) {
        pg->flags = PAGE_TOUCHED;
        pt->n_pages++;
    }
    return id;
}

size_t pt_memory_bytes(const PageTable *pt)
{
    return (size_t)(pt->n_leaves - 1) * PT_LEAF_PAGES * sizeof(PageInfo) +
           (size_t)(pt->slot_mask + 1) * sizeof(PtSlot) +
           (size_t)pt->cap_leaves * sizeof(PageInfo *);
}
