/*
 * lru.h - one LRU list of a node, as a FIFO ring of page entries.
 *
 * The classic two-list LRU adds pages at the head and takes them from the
 * tail (reclaim scans the inactive tail; activation and deactivation move a
 * tail page to the other list's head), so a list is a queue: a ring buffer.
 * Compared with links in every page this needs no per-page pointers and
 * turns list walks into sequential reads, so reclaim can prefetch the pages
 * it will look at next.
 *
 * Removal from the middle (a page migrated by NUMA balancing) is lazy: the
 * page's LRU epoch changes, which makes its ring entry stale, and whoever
 * pops a stale entry skips it. An entry is the page id and the page's 8-bit
 * epoch when it was added, so a page may leave and re-enter a list while
 * its old entry is still queued. The epoch changes only on such a removal;
 * before it wraps, every list is compacted (reclaim.c), so an old entry is
 * never mistaken for a live one. A list is also compacted when its stale
 * entries exceed a quarter of its live ones.
 *
 * count is the number of live entries; stale the number of stale ones still
 * in the ring. Cost: push and pop O(1); the ring doubles when full.
 */
#ifndef TIERSIM_MODELS_LRU_H
#define TIERSIM_MODELS_LRU_H

#include <glib.h>
#include <stdint.h>

typedef struct LruList {
    uint64_t *ring; /* cap entries (id | epoch << 32), cap a power of two */
    uint64_t cap;
    uint64_t head;  /* next slot to fill */
    uint64_t tail;  /* oldest entry: the next one reclaim looks at */
    uint64_t count; /* live entries */
    uint64_t stale; /* stale entries still in the ring */
} LruList;

static inline uint64_t lru_entry(uint32_t id, uint8_t epoch)
{
    return (uint64_t)id | ((uint64_t)epoch << 32);
}
static inline uint32_t lru_entry_id(uint64_t e)
{
    return (uint32_t)e;
}
static inline uint8_t lru_entry_epoch(uint64_t e)
{
    return (uint8_t)(e >> 32);
}

static inline uint64_t lru_ring_len(const LruList *l)
{
    return l->head - l->tail;
}

static inline void lru_clear(LruList *l)
{
    g_free(l->ring);
    l->ring = NULL;
    l->cap = l->head = l->tail = l->count = l->stale = 0;
}

static inline void lru_grow(LruList *l)
{
    uint64_t len = lru_ring_len(l);
    uint64_t ncap = l->cap ? l->cap * 2 : 1024;
    uint64_t *nr = g_new(uint64_t, ncap);
    for (uint64_t i = 0; i < len; i++)
        nr[i] = l->ring[(l->tail + i) & (l->cap - 1)];
    g_free(l->ring);
    l->ring = nr;
    l->cap = ncap;
    l->tail = 0;
    l->head = len;
}

static inline void lru_push(LruList *l, uint64_t entry)
{
    if (lru_ring_len(l) == l->cap)
        lru_grow(l);
    l->ring[l->head++ & (l->cap - 1)] = entry;
    l->count++;
}

/* The entry i places from the tail (0 = the tail); i < lru_ring_len. */
static inline uint64_t lru_peek(const LruList *l, uint64_t i)
{
    return l->ring[(l->tail + i) & (l->cap - 1)];
}

/* Removes the tail entry, live or stale; the caller adjusts count/stale. */
static inline uint64_t lru_pop_raw(LruList *l)
{
    g_assert(l->head != l->tail);
    return l->ring[l->tail++ & (l->cap - 1)];
}

#endif
