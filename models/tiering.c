/*
 * tiering.c - memory tiers, demotion targets, demotion during reclaim and
 * promotion by NUMA balancing (KERNEL.md 4.6-4.8).
 *
 * Tiers: abstract distance per node (models/tiers.h), tier = adist >> 7.
 * The top tier is every tier up to the slowest one holding a node with
 * CPUs. Demotion targets (establish_demotion_targets): a node's preferred
 * targets are the nodes of the next slower tier at the smallest distance
 * from it; its allowed set is every node of every slower tier; the lowest
 * tier has none. next_demotion_node picks at random among the preferred.
 *
 * Demotion (demote_folio_list, alloc_demote_folio): the target node alone
 * first, then any allowed node, with GFP_NOWAIT | __GFP_NOMEMALLOC: the
 * low watermark, kswapd woken, then min; no reserves, no direct reclaim. A
 * demoted page counts as reclaimed for its node (pgsteal) and as
 * pgdemote_kswapd/direct on it (the source lruvec); a failure counts
 * pgdemote_fail (tiersim's name) and the page goes to swap.
 *
 * NUMA balancing: a scanner event every numa_balancing_scan_period arms
 * numa_balancing_scan_size_mb worth of resident pages (tiering mode: only
 * pages on non-top-tier nodes), recording the scan time; the next access to
 * an armed page is a hint fault.
 *   tiering: promote to the faulting CPU's node if it is top tier and has
 *     room above promo + max(1 GiB, node/16); else only if the hint-fault
 *     latency is under the hot threshold and the candidate count of the
 *     current second is within the rate limit; the migration itself needs
 *     free pages above high, else it fails and wakes the target's kswapd
 *     (which then reclaims to the promo watermark). Every 60 s the hot
 *     threshold moves by 1/8 of its default towards the rate limit.
 *   normal: two-access filter: a page is moved to the faulting CPU's node
 *     when two consecutive hint faults come from that node.
 */
#include "models/machine_impl.h"

#include "models/tiers.h"

#define MS                  1000000LL
#define NB_ADJUST_PERIOD_MS 60000

void tiering_init(Machine *m)
{
    const MachineParams *p = &m->params;
    tiers_compute(p, m->adist, m->tier);
    int top = -1; /* slowest tier holding a CPU node */
    for (int n = 0; n < m->n_nodes; n++)
        if (p->nodes[n].n_cpus > 0 && m->tier[n] > top)
            top = m->tier[n];
    for (int n = 0; n < m->n_nodes; n++)
        m->top_tier[n] = m->tier[n] <= top;
    for (int n = 0; n < m->n_nodes; n++) {
        int next = -1; /* the next slower tier that has nodes */
        for (int k = 0; k < m->n_nodes; k++)
            if (m->tier[k] > m->tier[n] && (next < 0 || m->tier[k] < next))
                next = m->tier[k];
        m->demotion_preferred[n] = m->demotion_allowed[n] = 0;
        if (next < 0)
            continue;
        int best = -1;
        for (int k = 0; k < m->n_nodes; k++) {
            if (m->tier[k] > m->tier[n])
                m->demotion_allowed[n] |= 1ULL << k;
            if (m->tier[k] == next && (best < 0 || p->distance[n][k] < best))
                best = p->distance[n][k];
        }
        for (int k = 0; k < m->n_nodes; k++)
            if (m->tier[k] == next && p->distance[n][k] == best)
                m->demotion_preferred[n] |= 1ULL << k;
    }
    for (int n = 0; n < m->n_nodes; n++)
        m->nb_hot_threshold_ms[n] = p->kernel.numa_hot_threshold_ms;
}

bool tiering_demote(Machine *m, NodeState *nd, uint32_t id, ReclaimCtx *rc)
{
    if (!m->params.kernel.demotion_enabled || !m->demotion_preferred[nd->id])
        return false;
    NodeMask pref = m->demotion_preferred[nd->id];
    int count = __builtin_popcountll(pref);
    int target = nodemask_nth(pref, count > 1 ? rng_below(&m->rng, (uint64_t)count) : 0);
    int local = m->cpu_node[rc->cpu];
    int nid = machine_alloc_page(m, target, 1ULL << target, local, ALLOC_NORESERVE, NULL);
    if (nid < 0)
        nid = machine_alloc_page(m, target, m->demotion_allowed[nd->id], local, ALLOC_NORESERVE,
                                 NULL);
    if (nid < 0) {
        nd->vm[VM_PGDEMOTE_FAIL]++;
        return false;
    }
    PageInfo *pg = pt_page(&m->pt, id);
    pg->loc = (uint8_t)nid;
    pg->flags &= (uint8_t)~PAGE_NUMA_HINT;
    lru_add_page(m, nid, id, false);
    /* counted on the source lruvec, as shrink_inactive_list does */
    nd->vm[rc->kswapd ? VM_PGDEMOTE_KSWAPD : VM_PGDEMOTE_DIRECT]++;
    /* the source page is freed by the caller with its folio batch */
    rc->cost_ns += m->params.costs.migrate_ns;
    return true;
}

/* ---- NUMA balancing ------------------------------------------------------------ */

static void scanner_event(SimEngine *eng, void *ctx, uint64_t arg)
{
    Machine *m = ctx;
    const KernelParams *k = &m->params.kernel;
    uint64_t budget = ((uint64_t)k->numa_scan_size_mb << 20) / m->page_size;
    uint32_t end = pt_end_id(&m->pt);
    uint32_t first = pt_first_id(&m->pt);
    if (m->nb_cursor < first || m->nb_cursor >= end)
        m->nb_cursor = first;
    uint32_t now_ms = (uint32_t)(sim_now(eng) / MS);
    uint64_t looked = 0;
    uint32_t id = m->nb_cursor;
    while (budget > 0 && looked < (uint64_t)(end - first)) {
        PageInfo *pg = pt_page(&m->pt, id);
        if ((pg->flags & PAGE_TOUCHED) && pg->loc < m->n_nodes) {
            budget--;
            if (k->numa_balancing == NUMA_BALANCING_NORMAL) {
                pg->flags |= PAGE_NUMA_HINT; /* aux keeps the last faulting node + 1 */
            } else if (!m->top_tier[pg->loc]) {
                pg->flags |= PAGE_NUMA_HINT;
                pg->aux = now_ms;
            }
        }
        looked++;
        if (++id >= end)
            id = first;
    }
    m->nb_cursor = id;
    m->nb_scan_event = sim_schedule_in(eng, k->numa_scan_period_ns, scanner_event, m, 0);
}

void tiering_start(Machine *m)
{
    if (m->params.kernel.numa_balancing == NUMA_BALANCING_OFF)
        return;
    m->nb_scan_event =
        sim_schedule_in(m->eng, m->params.kernel.numa_scan_period_ns, scanner_event, m, 0);
    m->nb_scan_pending = true;
}

void tiering_stop(Machine *m)
{
    if (m->nb_scan_pending)
        sim_cancel(m->eng, m->nb_scan_event);
    m->nb_scan_pending = false;
}

/* pgdat_free_space_enough */
static bool free_space_enough(const Machine *m, int nid)
{
    const NodeState *nd = &m->nodes[nid];
    uint64_t enough = (1ULL << 30) / m->page_size;
    if (nd->capacity_pages / 16 > enough)
        enough = nd->capacity_pages / 16;
    return nd->free_pages > nd->wm.promo + enough;
}

/* numa_promotion_adjust_threshold, once per NB_ADJUST_PERIOD_MS. */
static void adjust_threshold(Machine *m, int dst, int64_t now_ms, uint64_t rate_pages)
{
    if (now_ms - m->nb_period_start_ms[dst] < NB_ADJUST_PERIOD_MS)
        return;
    int64_t def = m->params.kernel.numa_hot_threshold_ms;
    int64_t step = 2 * def / 16;
    uint64_t ref = rate_pages * (NB_ADJUST_PERIOD_MS / 1000);
    uint64_t got = m->nb_period_candidates[dst];
    int64_t th = m->nb_hot_threshold_ms[dst];
    if (got * 10 > ref * 11)
        th = th - step > step ? th - step : step;
    else if (got * 10 < ref * 9)
        th = th + step < 2 * def ? th + step : 2 * def;
    m->nb_hot_threshold_ms[dst] = th;
    m->nb_period_start_ms[dst] = now_ms;
    m->nb_period_candidates[dst] = 0;
}

/* Moves a resident page to node dst if dst has free pages above high. */
static bool migrate_page(Machine *m, uint32_t id, int dst, int64_t *cost)
{
    PageInfo *pg = pt_page(&m->pt, id);
    int src = pg->loc;
    NodeState *d = &m->nodes[dst];
    if (d->free_pages <= d->wm.high + 1) {
        /* in tiering mode kswapd of the target makes room (to promo) */
        if (m->params.kernel.numa_balancing == NUMA_BALANCING_TIERING)
            kswapd_wake(m, dst);
        return false;
    }
    bool active = pg->flags & PAGE_ACTIVE;
    lru_forget(m, src, id);
    machine_free_page(m, src);
    d->free_pages--;
    d->vm[d->p->zone == ZONE_TYPE_MOVABLE ? VM_PGALLOC_MOVABLE : VM_PGALLOC_NORMAL]++;
    pg->loc = (uint8_t)dst;
    lru_add_page(m, dst, id, active);
    d->vm[VM_NUMA_PAGES_MIGRATED]++;
    *cost += m->params.costs.migrate_ns;
    return true;
}

int64_t tiering_hint_fault(Machine *m, uint32_t id, int cpu_node)
{
    PageInfo *pg = pt_page(&m->pt, id);
    const KernelParams *k = &m->params.kernel;
    int src = pg->loc;
    int64_t cost = m->params.costs.fault_ns;
    pg->flags &= (uint8_t)~PAGE_NUMA_HINT;
    m->nodes[src].vm[VM_NUMA_HINT_FAULTS]++;
    if (src == cpu_node)
        return cost;
    if (k->numa_balancing == NUMA_BALANCING_NORMAL) {
        /* aux: the node of the previous hint fault + 1 (0: none yet) */
        if (pg->aux == (uint32_t)cpu_node + 1)
            migrate_page(m, id, cpu_node, &cost);
        else
            pg->aux = (uint32_t)cpu_node + 1;
        return cost;
    }
    /* tiering */
    if (m->top_tier[src] || !m->top_tier[cpu_node])
        return cost;
    int64_t now_ms = sim_now(m->eng) / MS;
    uint64_t rate_pages = ((uint64_t)k->numa_promote_rate_limit_mbps << 20) / m->page_size;
    if (free_space_enough(m, cpu_node)) {
        m->nb_hot_threshold_ms[cpu_node] = k->numa_hot_threshold_ms; /* reset */
    } else {
        int64_t latency = (int64_t)((uint32_t)now_ms - pg->aux);
        adjust_threshold(m, cpu_node, now_ms, rate_pages);
        if (latency >= m->nb_hot_threshold_ms[cpu_node])
            return cost;
        if (now_ms - m->nb_window_start_ms[cpu_node] >= 1000) {
            m->nb_window_start_ms[cpu_node] = now_ms;
            m->nb_window_candidates[cpu_node] = 0;
        }
        m->nodes[cpu_node].vm[VM_PGPROMOTE_CANDIDATE]++;
        m->nb_period_candidates[cpu_node]++;
        if (m->nb_window_candidates[cpu_node]++ >= rate_pages)
            return cost;
    }
    if (migrate_page(m, id, cpu_node, &cost))
        m->nodes[cpu_node].vm[VM_PGPROMOTE_SUCCESS]++;
    return cost;
}
