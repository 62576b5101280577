/*
 * trace_stats.c - counters, distinct pages and exact reuse distances.
 *
 * Pages live in an open-addressing table (linear probing, load <= 1/2)
 * mapping (pid, vpage) to a dense page index. Each page has one position:
 * the time stamp of its latest access. A Fenwick tree over positions has a
 * 1 at each page's position, so the distinct pages touched since page p's
 * last access are the marks after last[p]. When the positions run out, the
 * live ones are renumbered 0..pages-1 in order (rev[] maps a position back
 * to its page) and the tree rebuilt: O(capacity), every ~pages accesses.
 */
#include "traces/trace_stats.h"

#include <math.h>
#include <string.h>

struct TraceStats {
    uint32_t page_size;
    uint64_t records, reads, writes;
    int64_t t_first, t_last;

    /* pids: a sorted array; the last one seen short-circuits lookups */
    GArray *pids;
    uint32_t last_pid;
    gboolean have_pid;

    /* pages */
    uint64_t *key_vpage;
    uint32_t *key_pid;
    uint64_t *last; /* position of each page's latest access */
    uint64_t n_pages, pages_cap;
    uint32_t *slots; /* page index + 1, 0 = empty */
    uint64_t n_slots;

    /* Fenwick tree over positions [0, cap) */
    int32_t *bit;
    uint64_t *rev; /* position -> page index */
    uint64_t pos_cap, next_pos;

    /* reuse distance counts, indexed by distance */
    uint64_t *dist;
    uint64_t dist_cap;
    uint64_t reuses, dist_max;
    double dist_sum;
};

static inline uint64_t mix(uint64_t vpage, uint32_t pid)
{
    uint64_t x = vpage ^ ((uint64_t)pid * 0x9e3779b97f4a7c15ULL);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

TraceStats *trace_stats_new(uint32_t page_size)
{
    TraceStats *st = g_new0(TraceStats, 1);
    st->page_size = page_size;
    st->pids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    st->n_slots = 1024;
    st->slots = g_new0(uint32_t, st->n_slots);
    st->pages_cap = 256;
    st->key_vpage = g_new(uint64_t, st->pages_cap);
    st->key_pid = g_new(uint32_t, st->pages_cap);
    st->last = g_new(uint64_t, st->pages_cap);
    st->pos_cap = 1024;
    st->bit = g_new0(int32_t, st->pos_cap + 1);
    st->rev = g_new(uint64_t, st->pos_cap);
    st->dist_cap = 256;
    st->dist = g_new0(uint64_t, st->dist_cap);
    return st;
}

void trace_stats_free(TraceStats *st)
{
    if (!st)
        return;
    g_array_free(st->pids, TRUE);
    g_free(st->key_vpage);
    g_free(st->key_pid);
    g_free(st->last);
    g_free(st->slots);
    g_free(st->bit);
    g_free(st->rev);
    g_free(st->dist);
    g_free(st);
}

static void note_pid(TraceStats *st, uint32_t pid)
{
    if (st->have_pid && pid == st->last_pid)
        return;
    st->have_pid = TRUE;
    st->last_pid = pid;
    guint lo = 0, hi = st->pids->len;
    const uint32_t *a = (const uint32_t *)(void *)st->pids->data;
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (a[mid] < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < st->pids->len && a[lo] == pid)
        return;
    g_array_insert_val(st->pids, lo, pid);
}

/* ---- Fenwick tree (1-based inside) ---- */

static void bit_add(TraceStats *st, uint64_t pos, int32_t v)
{
    for (uint64_t i = pos + 1; i <= st->pos_cap; i += i & (0 - i))
        st->bit[i] += v;
}

/* Marks at positions [0, pos]. */
static uint64_t bit_prefix(const TraceStats *st, uint64_t pos)
{
    int64_t s = 0;
    for (uint64_t i = pos + 1; i > 0; i -= i & (0 - i))
        s += st->bit[i];
    return (uint64_t)s;
}

/* Renumbers the live positions 0..n_pages-1 and sizes the tree for at
 * least as many further accesses. */
static void compact(TraceStats *st)
{
    uint64_t live = 0;
    for (uint64_t pos = 0; pos < st->next_pos; pos++) {
        uint64_t page = st->rev[pos];
        if (page != UINT64_MAX && st->last[page] == pos) {
            st->rev[live] = page;
            st->last[page] = live;
            live++;
        }
    }
    uint64_t want = MAX(2 * live + 1024, st->pos_cap);
    if (want > st->pos_cap) {
        uint64_t *rev = g_new(uint64_t, want);
        memcpy(rev, st->rev, live * sizeof(uint64_t));
        g_free(st->rev);
        st->rev = rev;
        g_free(st->bit);
        st->bit = g_new0(int32_t, want + 1);
        st->pos_cap = want;
    } else {
        memset(st->bit, 0, (st->pos_cap + 1) * sizeof(int32_t));
    }
    /* Linear-time build: every live position holds a 1. */
    for (uint64_t i = 1; i <= live; i++) {
        st->bit[i] += 1;
        uint64_t j = i + (i & (0 - i));
        if (j <= st->pos_cap)
            st->bit[j] += st->bit[i];
    }
    for (uint64_t i = live + 1; i <= st->pos_cap; i++) {
        uint64_t j = i + (i & (0 - i));
        if (j <= st->pos_cap)
            st->bit[j] += st->bit[i];
    }
    st->next_pos = live;
}

static void grow_slots(TraceStats *st)
{
    uint64_t n = st->n_slots * 2;
    uint32_t *slots = g_new0(uint32_t, n);
    for (uint64_t p = 0; p < st->n_pages; p++) {
        uint64_t i = mix(st->key_vpage[p], st->key_pid[p]) & (n - 1);
        while (slots[i])
            i = (i + 1) & (n - 1);
        slots[i] = (uint32_t)(p + 1);
    }
    g_free(st->slots);
    st->slots = slots;
    st->n_slots = n;
}

static void record_distance(TraceStats *st, uint64_t d)
{
    if (d >= st->dist_cap) {
        uint64_t n = st->dist_cap;
        while (n <= d)
            n *= 2;
        st->dist = g_renew(uint64_t, st->dist, n);
        memset(st->dist + st->dist_cap, 0, (n - st->dist_cap) * sizeof(uint64_t));
        st->dist_cap = n;
    }
    st->dist[d]++;
    st->reuses++;
    st->dist_sum += (double)d;
    if (d > st->dist_max)
        st->dist_max = d;
}

static void access_page(TraceStats *st, uint64_t vpage, uint32_t pid)
{
    if (st->next_pos == st->pos_cap)
        compact(st);
    uint64_t mask = st->n_slots - 1;
    uint64_t i = mix(vpage, pid) & mask;
    uint64_t page;
    for (;;) {
        uint32_t s = st->slots[i];
        if (s == 0) {
            /* A new page: a cold access. */
            if (st->n_pages == st->pages_cap) {
                st->pages_cap *= 2;
                st->key_vpage = g_renew(uint64_t, st->key_vpage, st->pages_cap);
                st->key_pid = g_renew(uint32_t, st->key_pid, st->pages_cap);
                st->last = g_renew(uint64_t, st->last, st->pages_cap);
            }
            page = st->n_pages++;
            g_assert(page < UINT32_MAX);
            st->key_vpage[page] = vpage;
            st->key_pid[page] = pid;
            st->slots[i] = (uint32_t)(page + 1);
            if (st->n_pages * 2 > st->n_slots)
                grow_slots(st);
            break;
        }
        page = s - 1;
        if (st->key_vpage[page] == vpage && st->key_pid[page] == pid) {
            uint64_t prev = st->last[page];
            uint64_t d = bit_prefix(st, st->next_pos - 1) - bit_prefix(st, prev);
            record_distance(st, d);
            bit_add(st, prev, -1);
            st->rev[prev] = UINT64_MAX;
            break;
        }
        i = (i + 1) & mask;
    }
    uint64_t pos = st->next_pos++;
    st->last[page] = pos;
    st->rev[pos] = page;
    bit_add(st, pos, 1);
}

void trace_stats_add(TraceStats *st, const PageAccess *recs, gsize n)
{
    for (gsize i = 0; i < n; i++) {
        const PageAccess *a = &recs[i];
        if (st->records == 0)
            st->t_first = a->time_ns;
        st->t_last = a->time_ns;
        st->records++;
        if (a->op == ACCESS_WRITE)
            st->writes++;
        else
            st->reads++;
        note_pid(st, a->pid);
        access_page(st, a->vpage, a->pid);
    }
}

static uint64_t percentile(const TraceStats *st, double q)
{
    if (st->reuses == 0)
        return 0;
    /* Nearest rank: the smallest distance with at least ceil(q * n) at or
     * below it. */
    uint64_t want = (uint64_t)ceil(q * (double)st->reuses);
    if (want == 0)
        want = 1;
    uint64_t cum = 0;
    for (uint64_t d = 0; d <= st->dist_max; d++) {
        cum += st->dist[d];
        if (cum >= want)
            return d;
    }
    return st->dist_max;
}

void trace_stats_summary(TraceStats *st, TraceStatsSummary *out)
{
    memset(out, 0, sizeof(*out));
    out->records = st->records;
    out->reads = st->reads;
    out->writes = st->writes;
    out->n_pids = st->pids->len;
    out->pids = (const uint32_t *)(void *)st->pids->data;
    out->distinct_pages = st->n_pages;
    out->footprint_bytes = st->n_pages * st->page_size;
    out->time_first_ns = st->records ? st->t_first : 0;
    out->time_last_ns = st->records ? st->t_last : 0;
    out->reuses = st->reuses;
    out->reuse_median_pages = percentile(st, 0.5);
    out->reuse_p90_pages = percentile(st, 0.9);
    out->reuse_max_pages = st->dist_max;
    out->reuse_mean_pages = st->reuses ? st->dist_sum / (double)st->reuses : 0;
}
