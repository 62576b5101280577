/*
 * lru.h - one LRU list of a node, as a FIFO ring of page ids.
 *
 * The classic two-list LRU only ever adds pages at the head and takes them
 * from the tail (reclaim scans the inactive tail; activation and
 * deactivation move a tail page to the other list's head), so a list is a
 * queue: a ring buffer of page ids. Compared with links in every page this
 * halves the per-page state and turns list walks into sequential reads, so
 * reclaim can prefetch the pages it will look at next. Removing a page from
 * the middle is not supported; a model that needs it must add tombstones.
 *
 * Cost: push and pop O(1); the ring doubles when full (amortised O(1)).
 */
#ifndef TIERSIM_MODELS_LRU_H
#define TIERSIM_MODELS_LRU_H

#include <glib.h>
#include <stdint.h>

typedef struct LruList {
    uint32_t *ring; /* cap entries, cap a power of two */
    uint64_t cap;
    uint64_t head; /* next slot to fill: head - 1 is the most recent page */
    uint64_t tail; /* oldest page: the next one reclaim looks at */
    uint64_t count;
} LruList;

static inline void lru_clear(LruList *l)
{
    g_free(l->ring);
    l->ring = NULL;
    l->cap = l->head = l->tail = l->count = 0;
}

static inline void lru_grow(LruList *l)
{
    uint64_t ncap = l->cap ? l->cap * 2 : 1024;
    uint32_t *nr = g_new(uint32_t, ncap);
    for (uint64_t i = 0; i < l->count; i++)
        nr[i] = l->ring[(l->tail + i) & (l->cap - 1)];
    g_free(l->ring);
    l->ring = nr;
    l->cap = ncap;
    l->tail = 0;
    l->head = l->count;
}

static inline void lru_push(LruList *l, uint32_t id)
{
    if (l->count == l->cap)
        lru_grow(l);
    l->ring[l->head++ & (l->cap - 1)] = id;
    l->count++;
}

/* The page id i places from the tail (0 = the tail); i < count. */
static inline uint32_t lru_peek(const LruList *l, uint64_t i)
{
    return l->ring[(l->tail + i) & (l->cap - 1)];
}

static inline uint32_t lru_pop(LruList *l)
{
    g_assert(l->count > 0);
    uint32_t id = l->ring[l->tail++ & (l->cap - 1)];
    l->count--;
    return id;
}

#endif
