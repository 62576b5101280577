/*
 * zswap.c - see zswap.h.
 */
#include "models/zswap.h"

#include <string.h>

#include "models/machine_impl.h"
#include "models/placement.h"
#include "models/tiers.h"

#define TIERSIM_ERROR_ZSWAP g_quark_from_static_string("tiersim-zswap")
#define SHRINK_BATCH        128
#define DEFAULT_SEEKS       2

typedef struct ZswapEntry {
    uint32_t page_id; /* 0: free entry (next free in `next`) */
    ZsHandle handle;
    uint32_t length;
    uint32_t shadow;
    uint32_t prev, next; /* LRU links by entry id */
    uint16_t origin;
    uint8_t referenced;
} ZswapEntry;

typedef struct ZswapLru {
    uint32_t head, tail; /* head: oldest (walked first); tail: newest */
    uint64_t count;
} ZswapLru;

struct Zswap {
    Machine *m; /* borrowed: the machine owns the zswap */
    const PlacementPolicy *policy;
    ZsPool *pool;
    uint32_t page_size;
    int n_nodes;

    ZswapEntry *entries; /* entries[0] unused */
    uint32_t n_entries, cap_entries, free_head;
    ZswapLru lru[TS_MAX_NODES];
    uint64_t disk_swapins[TS_MAX_NODES];

    uint64_t max_pages, accept_pages;
    bool reached_full;
    bool worker_queued;
    uint64_t stored, stored_incompressible;
    uint64_t counters[ZSWAP_NR_COUNTERS];
    uint64_t strict_rejects;

    /* the allocation under way (read by the page provider) */
    PlacementRequest cur_req;
    int cur_local;
    int cur_origin;
    int shrink_target; /* node whose LRU a writeback aims at, else -1 */

    int tier[TS_MAX_NODES];
    uint64_t alloc_pages[TS_MAX_NODES][TS_MAX_NODES];     /* [data][origin] */
    uint64_t wb_freed[TS_MAX_NODES][TS_MAX_NODES];        /* [target][freed on] */
    uint64_t stored_bytes[2][TS_MAX_NODES][TS_MAX_NODES]; /* [direct?][data][origin], cumulative */
    ZswapInversion inv[2];
    int64_t inv_last_ns;
};

#define ZC_NAME(id, name) name,
static const char *const zc_names[] = {ZSWAP_COUNTERS(ZC_NAME)};
#undef ZC_NAME

const char *zswap_counter_name(ZswapCounter c)
{
    return zc_names[c];
}

/* ---- the page provider: zsmalloc pages are machine pages -------------------- */

/* A shared pool asks without a node (-1): the policy decides for every page,
 * as alloc_page() resolves the reclaimer's mempolicy once per page (an
 * interleave cursor moves per page, not per store). A partitioned pool
 * passes the node it decided once per store. */
static int provider_alloc(void *ctx, int preferred, bool strict)
{
    Zswap *z = ctx;
    Machine *m = z->m;
    NodeMask mask = 0;
    if (preferred < 0) {
        PlacementDecision d;
        z->policy->decide(&z->cur_req, &d);
        preferred = d.preferred;
        mask = d.mask;
    }
    int nid = machine_alloc_page(m, preferred, strict ? 0 : mask, z->cur_local,
                                 strict ? ALLOC_THISNODE : ALLOC_NOWAIT, NULL);
    if (nid < 0)
        return -1;
    NodeState *nd = &m->nodes[nid];
    nd->zs_pages++;
    nd->ts[TS_ZS_PAGES_ALLOCATED]++;
    if (nid != z->cur_origin)
        nd->ts[TS_ZS_PAGES_ALLOCATED_CROSS]++;
    z->alloc_pages[nid][z->cur_origin]++;
    return nid;
}

static void provider_free(void *ctx, int nid)
{
    Zswap *z = ctx;
    z->m->nodes[nid].zs_pages--;
    machine_free_page(z->m, nid);
    if (z->shrink_target >= 0)
        z->wb_freed[z->shrink_target][nid]++;
}

/* ---- metrics ------------------------------------------------------------------ */

/* Integrates inversion bytes up to now and recomputes them from the pool's
 * byte matrix. */
static void update_inversions(Zswap *z, bool count_event, int origin)
{
    int64_t now = sim_now(z->m->eng);
    double dt = (double)(now - z->inv_last_ns) / 1e9;
    for (int r = 0; r < 2; r++)
        z->inv[r].byte_seconds += (double)z->inv[r].bytes_now * dt;
    z->inv_last_ns = now;
    uint64_t before[2] = {z->inv[0].bytes_now, z->inv[1].bytes_now};
    uint64_t now_b[2] = {0, 0};
    for (int d = 0; d < z->n_nodes; d++)
        for (int o = 0; o < z->n_nodes; o++) {
            if (z->tier[d] < z->tier[o])
                now_b[0] += zs_pool_bytes(z->pool, d, (unsigned)o);
            else if (z->tier[d] > z->tier[o])
                now_b[1] += zs_pool_bytes(z->pool, d, (unsigned)o);
        }
    for (int r = 0; r < 2; r++) {
        z->inv[r].bytes_now = now_b[r];
        if (now_b[r] > z->inv[r].bytes_peak)
            z->inv[r].bytes_peak = now_b[r];
        if (count_event && now_b[r] > before[r])
            z->inv[r].events++;
    }
    (void)origin;
}

void zswap_inversion(Zswap *z, bool reverse, ZswapInversion *out)
{
    update_inversions(z, false, -1);
    *out = z->inv[reverse ? 1 : 0];
}

/* ---- entries and LRUs ------------------------------------------------------------ */

static uint32_t entry_alloc(Zswap *z)
{
    if (z->free_head) {
        uint32_t id = z->free_head;
        z->free_head = z->entries[id].next;
        return id;
    }
    if (z->n_entries + 1 >= z->cap_entries) {
        uint32_t ncap = z->cap_entries ? z->cap_entries * 2 : 1024;
        z->entries = g_renew(ZswapEntry, z->entries, ncap);
        z->cap_entries = ncap;
    }
    return ++z->n_entries;
}

static void entry_release(Zswap *z, uint32_t id)
{
    memset(&z->entries[id], 0, sizeof(ZswapEntry));
    z->entries[id].next = z->free_head;
    z->free_head = id;
}

static void lru_append(Zswap *z, uint32_t id)
{
    ZswapEntry *e = &z->entries[id];
    ZswapLru *l = &z->lru[e->origin];
    e->next = 0;
    e->prev = l->tail;
    if (l->tail)
        z->entries[l->tail].next = id;
    else
        l->head = id;
    l->tail = id;
    l->count++;
}

static void lru_remove(Zswap *z, uint32_t id)
{
    ZswapEntry *e = &z->entries[id];
    ZswapLru *l = &z->lru[e->origin];
    if (e->prev)
        z->entries[e->prev].next = e->next;
    else
        l->head = e->next;
    if (e->next)
        z->entries[e->next].prev = e->prev;
    else
        l->tail = e->prev;
    e->prev = e->next = 0;
    l->count--;
}

/* ---- setup ------------------------------------------------------------------------ */

Zswap *zswap_new(Machine *m, GError **error)
{
    const MachineParams *p = &m->params;
    const PlacementPolicy *pol = placement_policy_find(p->placement);
    if (!pol) {
        g_set_error(error, TIERSIM_ERROR_ZSWAP, 0, "unknown placement policy '%s'", p->placement);
        return NULL;
    }
    Zswap *z = g_new0(Zswap, 1);
    z->m = m;
    z->policy = pol;
    z->page_size = m->page_size;
    z->n_nodes = m->n_nodes;
    z->shrink_target = -1;
    ZsPoolParams zp;
    zs_pool_params_init(&zp);
    zp.page_size = m->page_size;
    zp.chain_size = p->kernel.zsmalloc.chain_size;
    zp.rule = p->kernel.zsmalloc.rule;
    zp.n_nodes = m->n_nodes;
    zp.n_tags = m->n_nodes;
    zp.partitioned = pol->partitioned;
    ZsPageProvider prov = {provider_alloc, provider_free, z};
    z->pool = zs_pool_new(&zp, &prov, error);
    if (!z->pool) {
        g_free(z);
        return NULL;
    }
    uint64_t total = 0;
    for (int n = 0; n < m->n_nodes; n++)
        total += m->nodes[n].capacity_pages;
    z->max_pages = total * (uint64_t)p->kernel.zswap.max_pool_percent / 100;
    z->accept_pages = z->max_pages * (uint64_t)p->kernel.zswap.accept_threshold_percent / 100;
    int adist[TS_MAX_NODES];
    tiers_compute(p, adist, z->tier);
    return z;
}

void zswap_free(Zswap *z)
{
    if (!z)
        return;
    zs_pool_free(z->pool);
    g_free(z->entries);
    g_free(z);
}

/* ---- the global limit worker ------------------------------------------------------- */

static bool writeback_entry(Zswap *z, uint32_t id, ReclaimCtx *rc);

/* shrink_worker: one entry per node per round (shrink_memcg on the root
 * memcg), until the pool is back under the accept threshold; gives up after
 * MAX_RECLAIM_RETRIES rounds that wrote nothing back. Runs as one event per
 * round, each after the time the previous round took. */
static void worker_event(SimEngine *eng, void *ctx, uint64_t failures)
{
    Zswap *z = ctx;
    if (zs_pool_total_pages(z->pool) <= z->accept_pages || failures >= MAX_RECLAIM_RETRIES) {
        z->worker_queued = false;
        return;
    }
    ReclaimCtx rc = {.kswapd = true, .cpu = z->m->first_cpu};
    bool any = false;
    for (int n = 0; n < z->n_nodes; n++) {
        uint32_t id = z->lru[n].head;
        if (!id)
            continue;
        ZswapEntry *e = &z->entries[id];
        if (e->referenced) { /* second chance */
            e->referenced = 0;
            lru_remove(z, id);
            lru_append(z, id);
            continue;
        }
        z->shrink_target = n;
        any |= writeback_entry(z, id, &rc);
        z->shrink_target = -1;
    }
    /* like shrink_worker, failures only accumulate within one run */
    sim_schedule_in(eng, rc.cost_ns > 0 ? rc.cost_ns : 1, worker_event, z, failures + !any);
}

static void queue_worker(Zswap *z)
{
    if (z->worker_queued)
        return;
    z->worker_queued = true;
    sim_schedule_in(z->m->eng, 0, worker_event, z, 0);
}

/* ---- store / load ------------------------------------------------------------------- */

static bool check_limits(Zswap *z)
{
    uint64_t total = zs_pool_total_pages(z->pool);
    if (total >= z->max_pages) {
        z->counters[ZSWAP_POOL_LIMIT_HIT]++;
        z->reached_full = true;
    } else if (z->reached_full && total <= z->accept_pages) {
        z->reached_full = false;
    }
    return !z->reached_full;
}

bool zswap_store(Zswap *z, uint32_t page_id, int origin, CompressResult cr, uint32_t shadow,
                 ReclaimCtx *rc)
{
    Machine *m = z->m;
    if (!check_limits(z)) {
        queue_worker(z);
        return false;
    }
    Compressor c = m->params.kernel.zswap.compressor;
    rc->cost_ns += m->params.costs.compress_ns[c];
    uint32_t len = cr.bytes;
    if (len >= z->page_size) {
        if (m->params.kernel.zswap.incompressible == ZSWAP_INCOMPRESSIBLE_REJECT) {
            z->counters[ZSWAP_REJECT_COMPRESS_POOR]++;
            return false;
        }
        len = z->page_size; /* stored raw (v6.18) */
    }
    PlacementRequest req = {m, origin, rc->kswapd, m->cpu_node[rc->cpu], (struct Task *)rc->task};
    PlacementDecision d = {-1, 0, false};
    if (z->policy->partitioned)
        z->policy->decide(&req, &d); /* the partition, once per store */
    z->cur_req = req;
    z->cur_local = req.reclaim_cpu_node;
    z->cur_origin = origin;
    unsigned flags = d.strict && m->params.strict_fallback ? ZS_MALLOC_FALLBACK : 0;
    ZsHandle h = 0;
    ZsStatus st = zs_malloc(z->pool, len, d.preferred, (unsigned)origin, flags, &h);
    if (st != ZS_OK) {
        if (st == ZS_ENOSPC)
            z->counters[ZSWAP_REJECT_COMPRESS_POOR]++;
        else
            z->counters[ZSWAP_REJECT_ALLOC_FAIL]++;
        if (d.strict)
            z->strict_rejects++;
        if (z->reached_full)
            queue_worker(z);
        return false;
    }
    ZsObjNodes on;
    zs_obj_nodes(z->pool, h, &on);
    for (int i = 0; i < on.n; i++)
        z->stored_bytes[!rc->kswapd][on.nid[i]][origin] += on.bytes[i];
    uint32_t id = entry_alloc(z);
    ZswapEntry *e = &z->entries[id];
    *e = (ZswapEntry){page_id, h, len, shadow, 0, 0, (uint16_t)origin, 1};
    lru_append(z, id);
    z->stored++;
    if (len == z->page_size)
        z->stored_incompressible++;
    m->nodes[origin].vm[VM_ZSWPOUT]++;
    pt_page(&m->pt, page_id)->aux = id;
    update_inversions(z, true, origin);
    return true;
}

static void entry_free(Zswap *z, uint32_t id)
{
    ZswapEntry *e = &z->entries[id];
    lru_remove(z, id);
    zs_free(z->pool, e->handle);
    z->stored--;
    if (e->length == z->page_size)
        z->stored_incompressible--;
    entry_release(z, id);
    update_inversions(z, false, -1);
}

uint32_t zswap_load(Zswap *z, uint32_t id, int64_t *cost_ns)
{
    ZswapEntry *e = &z->entries[id];
    uint32_t shadow = e->shadow;
    if (e->length < z->page_size)
        *cost_ns += z->m->params.costs.decompress_ns[z->m->params.kernel.zswap.compressor];
    entry_free(z, id);
    return shadow;
}

/* zswap_writeback_entry: decompress, write to the swap device (the slot is
 * already the page's), free the entry. The bounce page the kernel allocates
 * by the writer's mempolicy is transient and not modelled. */
static bool writeback_entry(Zswap *z, uint32_t id, ReclaimCtx *rc)
{
    Machine *m = z->m;
    ZswapEntry *e = &z->entries[id];
    uint32_t page_id = e->page_id;
    int origin = e->origin;
    uint32_t shadow = e->shadow;
    if (e->length < z->page_size)
        rc->cost_ns += m->params.costs.decompress_ns[m->params.kernel.zswap.compressor];
    rc->cost_ns += m->params.costs.swap_submit_ns;
    entry_free(z, id);
    PageInfo *pg = pt_page(&m->pt, page_id);
    pg->loc = PAGE_LOC_SWAP;
    pg->aux = shadow;
    m->nodes[origin].vm[VM_ZSWPWB]++;
    m->nodes[origin].vm[VM_PSWPOUT]++;
    z->counters[ZSWAP_WRITTEN_BACK_PAGES]++;
    return true;
}

/* The zswap shrinker's count for node nid: LRU length less the disk
 * swap-ins since the last count (protection), scaled by the pool's
 * compression (pool pages / stored pages). */
static uint64_t shrinker_count(Zswap *z, int nid)
{
    uint64_t freeable = z->lru[nid].count;
    uint64_t prot = z->disk_swapins[nid] < freeable ? z->disk_swapins[nid] : freeable;
    z->disk_swapins[nid] -= prot;
    freeable -= prot;
    if (!freeable || !z->stored)
        return 0;
    return freeable * zs_pool_total_pages(z->pool) / z->stored;
}

/* do_shrink_slab's arithmetic: delta = (freeable >> priority) * 4 / seeks,
 * scanned in batches of SHRINK_BATCH while at least a batch (or everything
 * freeable) is left; nr_deferred carry-over is not modelled. */
static uint64_t slab_scan_target(uint64_t freeable, int priority)
{
    uint64_t total = (freeable >> priority) * 4 / DEFAULT_SEEKS;
    if (total > freeable * 2)
        total = freeable * 2;
    uint64_t scanned = 0;
    while (total && (total >= SHRINK_BATCH || total >= freeable)) {
        uint64_t batch = total < SHRINK_BATCH ? total : SHRINK_BATCH;
        scanned += batch;
        total -= batch;
    }
    return scanned;
}

void zswap_shrink_slab(Zswap *z, int nid, int priority, ReclaimCtx *rc)
{
    const MachineParams *p = &z->m->params;
    if (p->kernel.zswap.shrinker_enabled) {
        uint64_t scan = slab_scan_target(shrinker_count(z, nid), priority);
        z->shrink_target = nid;
        for (uint64_t i = 0; i < scan && z->lru[nid].head; i++) {
            uint32_t id = z->lru[nid].head;
            ZswapEntry *e = &z->entries[id];
            lru_remove(z, id);
            lru_append(z, id); /* rotate before writeback, as the kernel does */
            if (e->referenced) {
                e->referenced = 0;
                continue;
            }
            writeback_entry(z, id, rc);
        }
        z->shrink_target = -1;
    }
    /* The zsmalloc pool shrinker: not NUMA-aware, so every node's reclaim
     * runs it; count = sum of freeable, scan = full compaction. */
    uint64_t freeable = zs_pool_shrinker_count(z->pool);
    if (freeable && slab_scan_target(freeable, priority)) {
        zs_compact(z->pool);
        update_inversions(z, false, -1);
    }
}

void zswap_note_disk_swapin(Zswap *z, int nid)
{
    z->disk_swapins[nid]++;
}

/* ---- views ---------------------------------------------------------------------------- */

uint64_t zswap_counter(const Zswap *z, ZswapCounter c)
{
    return z->counters[c];
}

uint64_t zswap_stored_pages(const Zswap *z)
{
    return z->stored;
}

uint64_t zswap_stored_incompressible_pages(const Zswap *z)
{
    return z->stored_incompressible;
}

uint64_t zswap_pool_pages(const Zswap *z)
{
    return zs_pool_total_pages(z->pool);
}

uint64_t zswap_max_pool_pages(const Zswap *z)
{
    return z->max_pages;
}

const ZsPool *zswap_pool(const Zswap *z)
{
    return z->pool;
}

const char *zswap_policy_name(const Zswap *z)
{
    return z->policy->name;
}

uint64_t zswap_bytes(const Zswap *z, int data, int origin)
{
    return zs_pool_bytes(z->pool, data, (unsigned)origin);
}

uint64_t zswap_alloc_pages(const Zswap *z, int data, int origin)
{
    return z->alloc_pages[data][origin];
}

uint64_t zswap_cross_pages(const Zswap *z, int nid)
{
    uint64_t all = 0, cross = 0;
    for (int o = 0; o < z->n_nodes; o++) {
        uint64_t b = zs_pool_bytes(z->pool, nid, (unsigned)o);
        all += b;
        if (o != nid)
            cross += b;
    }
    if (!cross)
        return 0;
    return (uint64_t)((unsigned __int128)zs_pool_node_pages(z->pool, nid) * cross / all);
}

int zswap_node_tier(const Zswap *z, int nid)
{
    return z->tier[nid];
}

uint64_t zswap_strict_rejects(const Zswap *z)
{
    return z->strict_rejects;
}

uint64_t zswap_strict_fallbacks(const Zswap *z)
{
    ZsPoolStats st;
    zs_pool_get_stats(z->pool, &st);
    return st.fallbacks;
}

uint64_t zswap_stored_bytes_kswapd(const Zswap *z, int data, int origin)
{
    return z->stored_bytes[0][data][origin];
}

uint64_t zswap_stored_bytes_direct(const Zswap *z, int data, int origin)
{
    return z->stored_bytes[1][data][origin];
}

uint64_t zswap_wb_freed(const Zswap *z, int target, int freed_on)
{
    return z->wb_freed[target][freed_on];
}

gboolean zswap_check(Zswap *z, GError **error)
{
    if (!zs_pool_check(z->pool, error))
        return FALSE;
    uint64_t listed = 0;
    for (int n = 0; n < z->n_nodes; n++) {
        uint64_t c = 0;
        for (uint32_t id = z->lru[n].head; id; id = z->entries[id].next) {
            const ZswapEntry *e = &z->entries[id];
            if (e->origin != n || !zs_handle_valid(z->pool, e->handle) ||
                zs_obj_len(z->pool, e->handle) != e->length ||
                pt_page(&z->m->pt, e->page_id)->loc != PAGE_LOC_ZSWAP ||
                pt_page(&z->m->pt, e->page_id)->aux != id) {
                g_set_error(error, TIERSIM_ERROR_ZSWAP, 0,
                            "zswap entry %u on LRU %d is inconsistent with its page or handle", id,
                            n);
                return FALSE;
            }
            if (++c > z->n_entries)
                break;
        }
        if (c != z->lru[n].count) {
            g_set_error(error, TIERSIM_ERROR_ZSWAP, 0,
                        "zswap LRU %d: %" G_GUINT64_FORMAT " linked, count %" G_GUINT64_FORMAT, n,
                        c, z->lru[n].count);
            return FALSE;
        }
        listed += c;
    }
    if (listed != z->stored || listed != zs_pool_n_objects(z->pool)) {
        g_set_error(error, TIERSIM_ERROR_ZSWAP, 0,
                    "zswap: %" G_GUINT64_FORMAT " entries listed, %" G_GUINT64_FORMAT
                    " stored, %" G_GUINT64_FORMAT " zsmalloc objects",
                    listed, z->stored, zs_pool_n_objects(z->pool));
        return FALSE;
    }
    for (int n = 0; n < z->n_nodes; n++)
        if (zs_pool_node_pages(z->pool, n) != z->m->nodes[n].zs_pages) {
            g_set_error(error, TIERSIM_ERROR_ZSWAP, 0,
                        "node %d: zsmalloc says %" G_GUINT64_FORMAT
                        " pages, the node %" G_GUINT64_FORMAT,
                        n, zs_pool_node_pages(z->pool, n), z->m->nodes[n].zs_pages);
            return FALSE;
        }
    return TRUE;
}
