/*
 * reclaim.c - the anon LRU, page-out, kswapd and direct reclaim.
 *
 * Classic two-list LRU per node (KERNEL.md 4.5): pages enter the inactive
 * list (anon pages start inactive since 5.9); reclaim takes pages from the
 * inactive tail; a page whose referenced bit is set is activated instead of
 * reclaimed; when inactive_is_low the active tail is deactivated with its
 * referenced bit cleared (anon pages are never kept active by references).
 *
 * kswapd (KERNEL.md 4.3) runs as a chain of engine events, one per batch of
 * SWAP_CLUSTER_MAX pages scanned; each event is scheduled after the
 * simulated time the previous batch took. A run walks priorities 12 .. 1;
 * each priority is a pass scanning (list size >> priority) pages; the
 * priority drops when a pass reclaimed fewer than max(high, 32) pages. The
 * run ends when the node is balanced; a run that exhausts its priorities
 * without reclaiming anything counts a failure, and 16 failures make the
 * node hopeless until some reclaim there succeeds.
 */
#include "models/machine_impl.h"

#include "models/zswap.h"

#include <string.h>

#define TIERSIM_ERROR_CHECK g_quark_from_static_string("tiersim-check")
/* Reclaim reads pages in LRU order, which is random in memory: prefetch the
 * page this many places behind the tail. */
#define PREFETCH_AHEAD 8
#define FREE_BATCH     31 /* PAGEVEC_SIZE: folios per folio_batch */

/* ---- LRU lists ------------------------------------------------------------- */

void lru_add_page(Machine *m, int nid, uint32_t id, bool active)
{
    NodeState *nd = &m->nodes[nid];
    PageInfo *pg = pt_page(&m->pt, id);
    if (active)
        pg->flags |= PAGE_ACTIVE;
    else
        pg->flags &= (uint8_t)~PAGE_ACTIVE;
    lru_push(active ? &nd->active : &nd->inactive, lru_entry(id, pg->lru_epoch));
}

static bool entry_live(const Machine *m, const NodeState *nd, bool active, uint64_t e)
{
    const PageInfo *pg = pt_page(&m->pt, lru_entry_id(e));
    return pg->loc == nd->id && pg->lru_epoch == lru_entry_epoch(e) &&
           !!(pg->flags & PAGE_ACTIVE) == active;
}

/* Takes the page at the tail of a list, skipping stale entries; 0 when the
 * list is empty. */
static uint32_t lru_take_tail(Machine *m, NodeState *nd, bool active)
{
    LruList *l = active ? &nd->active : &nd->inactive;
    while (l->count) {
        if (lru_ring_len(l) > PREFETCH_AHEAD)
            __builtin_prefetch(pt_page(&m->pt, lru_entry_id(lru_peek(l, PREFETCH_AHEAD))), 1);
        uint64_t e = lru_pop_raw(l);
        if (entry_live(m, nd, active, e)) {
            l->count--;
            return lru_entry_id(e);
        }
        g_assert(l->stale > 0);
        l->stale--;
    }
    return 0;
}

/* Drops the stale entries of a list, keeping the live ones in order, so
 * that stale entries never pile up (and an 8-bit epoch never has to tell
 * apart entries 256 re-additions apart). O(ring length). */
static void lru_compact(Machine *m, NodeState *nd, bool active)
{
    LruList *l = active ? &nd->active : &nd->inactive;
    uint64_t kept = 0, len = lru_ring_len(l);
    for (uint64_t i = 0; i < len; i++) {
        uint64_t e = lru_peek(l, i);
        if (entry_live(m, nd, active, e))
            l->ring[(l->tail + kept++) & (l->cap - 1)] = e;
    }
    g_assert(kept == l->count);
    l->head = l->tail + kept;
    l->stale = 0;
}

void lru_forget(Machine *m, int nid, uint32_t id)
{
    NodeState *nd = &m->nodes[nid];
    PageInfo *pg = pt_page(&m->pt, id);
    LruList *l = (pg->flags & PAGE_ACTIVE) ? &nd->active : &nd->inactive;
    g_assert(l->count > 0);
    l->count--;
    l->stale++;
    /* Its entry is stale from now on. The epoch changes only here, so a
     * stale entry could only be mistaken for a live one after 256 moves of
     * the same page: when the epoch wraps, drop every stale entry first. */
    if (++pg->lru_epoch == 0) {
        for (int n = 0; n < m->n_nodes; n++) {
            lru_compact(m, &m->nodes[n], false);
            lru_compact(m, &m->nodes[n], true);
        }
    } else if (l->stale > 64 + l->count / 4) {
        lru_compact(m, nd, pg->flags & PAGE_ACTIVE);
    }
}

/* inactive_is_low: the inactive:active target ratio is int_sqrt(10 * GiB)
 * of the node's anon LRU (1 below 1 GiB). */
static bool inactive_is_low(const Machine *m, const NodeState *nd)
{
    uint64_t total = nd->inactive.count + nd->active.count;
    uint64_t gb = (total * m->page_size) >> 30;
    uint64_t ratio = gb ? wmark_int_sqrt(10 * gb) : 1;
    return nd->inactive.count * ratio < nd->active.count;
}

/* ---- page-out ------------------------------------------------------------------ */

/* The workingset shadow of a page evicted from nd now; ages the node's
 * nonresident clock. */
static uint32_t take_shadow(NodeState *nd)
{
    uint32_t shadow =
        ((uint32_t)nd->id << SHADOW_AGE_BITS) | ((uint32_t)nd->nonresident_age & SHADOW_AGE_MASK);
    nd->nonresident_age++;
    return shadow;
}

/* Swaps one isolated page out of node nd: the zero-page shortcut, else
 * zswap, else (zswap disabled or rejecting) the swap device. Every path
 * needs a swap slot. Returns false when there is none, and the caller
 * activates the page (add_to_swap failing). */
static bool page_out(Machine *m, NodeState *nd, uint32_t id, ReclaimCtx *rc)
{
    PageInfo *pg = pt_page(&m->pt, id);
    if (m->swap_used_pages >= m->swap_capacity_pages)
        return false;
    if (pg->flags & PAGE_DIRTY) {
        pg->gen++;
        pg->flags &= (uint8_t)~PAGE_DIRTY;
    }
    CompressResult cr = compress_page(&m->compress, id, pg->gen);
    uint32_t shadow = take_shadow(nd);
    m->swap_used_pages++;
    pg->flags |= PAGE_SHADOW;
    pg->flags &= (uint8_t)~PAGE_NUMA_HINT; /* unmapped: the PROT_NONE mark goes with the PTE */
    /* The page stays allocated until the caller frees its batch: zswap
     * allocates while it is still on the node. */
    if (cr.zero) {
        nd->vm[VM_SWPOUT_ZERO]++;
        pg->flags |= PAGE_ZERO;
        pg->loc = PAGE_LOC_SWAP;
        pg->aux = shadow;
    } else if (m->zswap && zswap_store(m->zswap, id, nd->id, cr, shadow, rc)) {
        pg->loc = PAGE_LOC_ZSWAP; /* aux: the entry, set by zswap */
    } else {
        nd->vm[VM_PSWPOUT]++;
        rc->cost_ns += m->params.costs.swap_submit_ns;
        pg->loc = PAGE_LOC_SWAP;
        pg->aux = shadow;
    }
    return true;
}

/* ---- shrinking ------------------------------------------------------------------ */

static void shrink_active(Machine *m, NodeState *nd, uint64_t nr)
{
    uint64_t moved = 0;
    while (moved < nr && nd->active.count) {
        uint32_t id = lru_take_tail(m, nd, true);
        PageInfo *pg = pt_page(&m->pt, id);
        pg->flags &= (uint8_t)~PAGE_REFERENCED;
        lru_add_page(m, nd->id, id, false);
        moved++;
    }
    nd->vm[VM_PGREFILL] += moved;
    nd->vm[VM_PGDEACTIVATE] += moved;
}

/* Scans up to nr pages from the inactive tail; returns pages reclaimed.
 * Reclaimed pages are freed in batches of FREE_BATCH after their swap-out,
 * as shrink_folio_list frees its folio_batch: the zsmalloc pages of a store
 * are allocated while the page being stored, and the rest of its batch, are
 * still on the node. */
static uint64_t shrink_inactive(Machine *m, NodeState *nd, uint64_t nr, ReclaimCtx *rc)
{
    uint64_t scanned = 0, reclaimed = 0, unfreed = 0;
    while (scanned < nr && nd->inactive.count) {
        uint32_t id = lru_take_tail(m, nd, false);
        scanned++;
        PageInfo *pg = pt_page(&m->pt, id);
        if (pg->flags & PAGE_REFERENCED) {
            pg->flags &= (uint8_t)~PAGE_REFERENCED;
            lru_add_page(m, nd->id, id, true);
            nd->vm[VM_PGACTIVATE]++;
            nd->nonresident_age++;
            continue;
        }
        if (tiering_demote(m, nd, id, rc) || page_out(m, nd, id, rc)) {
            reclaimed++;
            if (++unfreed == FREE_BATCH)
                for (; unfreed; unfreed--)
                    machine_free_page(m, nd->id);
        } else {
            lru_add_page(m, nd->id, id, true);
            nd->vm[VM_PGACTIVATE]++;
            nd->ts[TS_SWAP_FULL_ACTIVATIONS]++;
        }
    }
    for (; unfreed; unfreed--)
        machine_free_page(m, nd->id);
    nd->vm[rc->kswapd ? VM_PGSCAN_KSWAPD : VM_PGSCAN_DIRECT] += scanned;
    if (rc->kswapd && nd->kswapd_run_cross)
        nd->ts[TS_PGSCAN_ZS_CROSS] += scanned;
    nd->vm[VM_PGSCAN_ANON] += scanned;
    nd->vm[rc->kswapd ? VM_PGSTEAL_KSWAPD : VM_PGSTEAL_DIRECT] += reclaimed;
    nd->vm[VM_PGSTEAL_ANON] += reclaimed;
    rc->cost_ns += (int64_t)scanned * m->params.costs.reclaim_scan_ns;
    rc->nr_scanned += scanned;
    rc->nr_reclaimed += reclaimed;
    if (reclaimed)
        nd->kswapd_failures = 0;
    return reclaimed;
}

/* One chunk of a shrink_node pass: ages the active list if the inactive one
 * is low, then scans up to SWAP_CLUSTER_MAX inactive pages. */
static uint64_t shrink_chunk(Machine *m, NodeState *nd, uint64_t nr, ReclaimCtx *rc)
{
    if (inactive_is_low(m, nd))
        shrink_active(m, nd, nr);
    return shrink_inactive(m, nd, nr, rc);
}

/* ---- direct reclaim ---------------------------------------------------------------- */

/* try_to_free_pages: priorities 12 .. 0; at each, every node of the
 * allocation's zonelist (filtered by its nodemask) is shrunk by
 * (LRU size >> priority) pages, stopping once SWAP_CLUSTER_MAX pages were
 * reclaimed. Returns pages reclaimed. */
uint64_t direct_reclaim(Machine *m, const int *zonelist, int n, NodeMask mask, ReclaimCtx *rc)
{
    uint64_t reclaimed = 0;
    for (int prio = DEF_PRIORITY; prio >= 0 && reclaimed < SWAP_CLUSTER_MAX; prio--) {
        for (int i = 0; i < n && reclaimed < SWAP_CLUSTER_MAX; i++) {
            int nid = zonelist[i];
            if (mask && !((mask >> nid) & 1))
                continue;
            NodeState *nd = &m->nodes[nid];
            if (m->zswap)
                zswap_shrink_slab(m->zswap, nid, prio, rc);
            uint64_t target = (nd->inactive.count + nd->active.count) >> prio;
            while (target > 0 && reclaimed < SWAP_CLUSTER_MAX) {
                uint64_t chunk = target < SWAP_CLUSTER_MAX ? target : SWAP_CLUSTER_MAX;
                uint64_t before = rc->nr_scanned;
                reclaimed += shrink_chunk(m, nd, chunk, rc);
                target -= chunk;
                if (rc->nr_scanned == before && !nd->inactive.count && !nd->active.count)
                    break;
            }
        }
    }
    return reclaimed;
}

/* ---- kswapd -------------------------------------------------------------------------- */

/* pgdat_balanced: free pages above high, or above promo when NUMA balancing
 * runs in tiering mode (headroom for promotions). */
bool node_balanced(const Machine *m, int nid)
{
    const NodeState *nd = &m->nodes[nid];
    uint64_t mark =
        m->params.kernel.numa_balancing == NUMA_BALANCING_TIERING ? nd->wm.promo : nd->wm.high;
    return nd->free_pages > mark;
}

static void kswapd_event(SimEngine *eng, void *ctx, uint64_t nid);

static void kswapd_start_pass(Machine *m, NodeState *nd, ReclaimCtx *rc)
{
    if (m->zswap)
        zswap_shrink_slab(m->zswap, nd->id, nd->kswapd_priority, rc);
    nd->kswapd_pass_target = (nd->inactive.count + nd->active.count) >> nd->kswapd_priority;
    nd->kswapd_pass_scanned = 0;
    nd->kswapd_pass_reclaimed = 0;
}

static void kswapd_start_run(Machine *m, NodeState *nd, ReclaimCtx *rc)
{
    nd->kswapd_priority = DEF_PRIORITY;
    nd->kswapd_run_reclaimed = 0;
    nd->vm[VM_PAGEOUTRUN]++;
    kswapd_start_pass(m, nd, rc);
}

void kswapd_wake(Machine *m, int nid)
{
    NodeState *nd = &m->nodes[nid];
    if (nd->kswapd_running || nd->kswapd_failures >= MAX_RECLAIM_RETRIES || node_balanced(m, nid))
        return;
    nd->kswapd_running = true;
    nd->ts[TS_KSWAPD_WAKEUPS]++;
    /* Attributable to other nodes' zsmalloc pages when, without them, the
     * node would have been balanced and kswapd not woken. */
    uint64_t mark =
        m->params.kernel.numa_balancing == NUMA_BALANCING_TIERING ? nd->wm.promo : nd->wm.high;
    nd->kswapd_run_cross = nd->free_pages + machine_cross_zs_pages(m, nid) > mark;
    if (nd->kswapd_run_cross)
        nd->ts[TS_KSWAPD_WAKEUPS_ZS_CROSS]++;
    nd->kswapd_run_pending = true; /* the first event starts the run */
    sim_schedule_in(m->eng, 0, kswapd_event, m, (uint64_t)nid);
}

static void kswapd_event(SimEngine *eng, void *ctx, uint64_t arg)
{
    Machine *m = ctx;
    NodeState *nd = &m->nodes[arg];
    ReclaimCtx rc = {.kswapd = true, .cpu = nd->kswapd_cpu, .task = NULL};
    if (nd->kswapd_run_pending) {
        nd->kswapd_run_pending = false;
        kswapd_start_run(m, nd, &rc);
    }
    for (;;) {
        if (node_balanced(m, nd->id)) {
            nd->kswapd_running = false;
            return;
        }
        if (nd->kswapd_pass_scanned >= nd->kswapd_pass_target ||
            (!nd->inactive.count && !nd->active.count)) {
            /* End of a pass: lower the priority unless it reclaimed enough. */
            uint64_t enough = nd->wm.high > SWAP_CLUSTER_MAX ? nd->wm.high : SWAP_CLUSTER_MAX;
            if (nd->kswapd_pass_reclaimed < enough)
                nd->kswapd_priority--;
            if (nd->kswapd_priority < 1) {
                if (!nd->kswapd_run_reclaimed) {
                    nd->kswapd_failures++;
                    if (nd->kswapd_failures >= MAX_RECLAIM_RETRIES) {
                        nd->ts[TS_KSWAPD_GAVE_UP]++;
                        nd->kswapd_running = false;
                        return;
                    }
                }
                kswapd_start_run(m, nd, &rc);
            } else {
                kswapd_start_pass(m, nd, &rc);
            }
            continue;
        }
        uint64_t left = nd->kswapd_pass_target - nd->kswapd_pass_scanned;
        uint64_t chunk = left < SWAP_CLUSTER_MAX ? left : SWAP_CLUSTER_MAX;
        uint64_t before = rc.nr_scanned;
        uint64_t got = shrink_chunk(m, nd, chunk, &rc);
        nd->kswapd_pass_scanned += chunk;
        nd->kswapd_pass_reclaimed += got;
        nd->kswapd_run_reclaimed += got;
        if (rc.nr_scanned > before || rc.cost_ns > 0)
            break;
    }
    nd->ts[TS_KSWAPD_BATCHES]++;
    sim_schedule_in(eng, rc.cost_ns > 0 ? rc.cost_ns : 1, kswapd_event, m, arg);
}

/* ---- invariants ---------------------------------------------------------------------- */

static gboolean check_list(Machine *m, NodeState *nd, LruList *l, bool active, uint64_t *count,
                           GError **error)
{
    const char *name = active ? "active" : "inactive";
    if (lru_ring_len(l) != l->count + l->stale || lru_ring_len(l) > l->cap) {
        g_set_error(error, TIERSIM_ERROR_CHECK, 0,
                    "node %d %s list: ring holds %" G_GUINT64_FORMAT
                    " entries, count %" G_GUINT64_FORMAT " + stale %" G_GUINT64_FORMAT,
                    nd->id, name, lru_ring_len(l), l->count, l->stale);
        return FALSE;
    }
    uint64_t live = 0;
    for (uint64_t i = 0; i < lru_ring_len(l); i++) {
        uint64_t e = lru_peek(l, i);
        uint32_t id = lru_entry_id(e);
        if (id < pt_first_id(&m->pt) || id >= pt_end_id(&m->pt) ||
            !(pt_page(&m->pt, id)->flags & PAGE_TOUCHED)) {
            g_set_error(error, TIERSIM_ERROR_CHECK, 0,
                        "node %d %s list: entry %" G_GUINT64_FORMAT " names no page (%u)", nd->id,
                        name, i, id);
            return FALSE;
        }
        live += entry_live(m, nd, active, e);
    }
    if (live != l->count) {
        g_set_error(error, TIERSIM_ERROR_CHECK, 0,
                    "node %d %s list: %" G_GUINT64_FORMAT
                    " live entries, count says %" G_GUINT64_FORMAT,
                    nd->id, name, live, l->count);
        return FALSE;
    }
    *count += live;
    return TRUE;
}

bool reclaim_check(Machine *m, GError **error)
{
    uint64_t resident[TS_MAX_NODES] = {0};
    uint64_t on_swap = 0, in_zswap = 0;
    uint64_t touched = 0;
    for (uint32_t id = pt_first_id(&m->pt); id < pt_end_id(&m->pt); id++) {
        const PageInfo *pg = pt_page(&m->pt, id);
        if (!(pg->flags & PAGE_TOUCHED))
            continue;
        touched++;
        if (pg->loc < m->n_nodes)
            resident[pg->loc]++;
        else if (pg->loc == PAGE_LOC_SWAP)
            on_swap++;
        else if (pg->loc == PAGE_LOC_ZSWAP)
            in_zswap++;
        else {
            g_set_error(error, TIERSIM_ERROR_CHECK, 0, "page %u: location %u is no place", id,
                        pg->loc);
            return FALSE;
        }
    }
    if (touched != m->pt.n_pages) {
        g_set_error(error, TIERSIM_ERROR_CHECK, 0,
                    "page table: %" G_GUINT64_FORMAT " pages marked, %" G_GUINT64_FORMAT " counted",
                    touched, m->pt.n_pages);
        return FALSE;
    }
    for (int n = 0; n < m->n_nodes; n++) {
        NodeState *nd = &m->nodes[n];
        uint64_t listed = 0;
        if (!check_list(m, nd, &nd->inactive, false, &listed, error) ||
            !check_list(m, nd, &nd->active, true, &listed, error))
            return FALSE;
        if (listed != resident[n]) {
            g_set_error(error, TIERSIM_ERROR_CHECK, 0,
                        "node %d: %" G_GUINT64_FORMAT " pages resident but %" G_GUINT64_FORMAT
                        " on its LRU lists",
                        n, resident[n], listed);
            return FALSE;
        }
        if (nd->free_pages + resident[n] + nd->zs_pages != nd->capacity_pages) {
            g_set_error(error, TIERSIM_ERROR_CHECK, 0,
                        "node %d: free %" G_GUINT64_FORMAT " + anon %" G_GUINT64_FORMAT
                        " + zsmalloc %" G_GUINT64_FORMAT " != capacity %" G_GUINT64_FORMAT,
                        n, nd->free_pages, resident[n], nd->zs_pages, nd->capacity_pages);
            return FALSE;
        }
    }
    if (on_swap + in_zswap != m->swap_used_pages) {
        g_set_error(error, TIERSIM_ERROR_CHECK, 0,
                    "swap: %" G_GUINT64_FORMAT " slots used but %" G_GUINT64_FORMAT
                    " pages on swap and %" G_GUINT64_FORMAT " in zswap",
                    m->swap_used_pages, on_swap, in_zswap);
        return FALSE;
    }
    return TRUE;
}
