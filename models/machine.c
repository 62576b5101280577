/*
 * machine.c - machine setup, page allocation with mempolicy and zonelist
 * fallback, and the access path. Reclaim lives in reclaim.c.
 */
#include "models/machine_impl.h"

#include "models/zswap.h"

#include <math.h>
#include <string.h>

#define TIERSIM_ERROR_MACHINE g_quark_from_static_string("tiersim-machine")

/* ---- setup ------------------------------------------------------------- */

/* build_zonelists' node order: the local node first, then by SLIT distance,
 * with ties going to nodes after the local one and to CPU-less nodes, then
 * to the lowest id (find_next_best_node without the node_load spreading). */
static void build_zonelist(Machine *m, int local)
{
    NodeState *nd = &m->nodes[local];
    bool used[TS_MAX_NODES] = {false};
    nd->zonelist[0] = local;
    used[local] = true;
    nd->zonelist_len = 1;
    while (nd->zonelist_len < m->n_nodes) {
        int best = -1;
        int best_val = 0;
        for (int n = 0; n < m->n_nodes; n++) {
            if (used[n])
                continue;
            int val = m->params.distance[local][n] + (n < local) + (m->params.nodes[n].n_cpus > 0);
            if (best < 0 || val < best_val) {
                best = n;
                best_val = val;
            }
        }
        used[best] = true;
        nd->zonelist[nd->zonelist_len++] = best;
    }
}

/* kswapd binds to its node's CPUs only when there are some; otherwise it
 * runs unbound, which tiersim models as the first CPU of the nearest node
 * with CPUs (the observation of KERNEL.md 7 on a CPU-less node). */
static void place_kswapd(Machine *m, int nid)
{
    NodeState *nd = &m->nodes[nid];
    int best = -1;
    for (int n = 0; n < m->n_nodes; n++) {
        if (m->params.nodes[n].n_cpus == 0)
            continue;
        if (n == nid) {
            best = n;
            break;
        }
        if (best < 0 || m->params.distance[nid][n] < m->params.distance[nid][best])
            best = n;
    }
    nd->kswapd_cpu_node = best;
    nd->kswapd_cpu = m->params.nodes[best].cpus[0];
    for (int i = 1; i < m->params.nodes[best].n_cpus; i++)
        if (m->params.nodes[best].cpus[i] < nd->kswapd_cpu)
            nd->kswapd_cpu = m->params.nodes[best].cpus[i];
}

static void task_free(gpointer p)
{
    Task *t = p;
    if (t->regions)
        g_array_free(t->regions, TRUE);
    g_free(t);
}

static Task *task_add(Machine *m, uint32_t pid, int cpu, const Mempolicy *pol)
{
    Task *t = g_new0(Task, 1);
    t->pid = pid;
    t->cpu = cpu;
    t->policy = *pol;
    t->il_prev = -1;
    g_ptr_array_add(m->task_list, t);
    g_hash_table_insert(m->tasks, GUINT_TO_POINTER(pid), t);
    return t;
}

Machine *machine_new(const MachineParams *params, SimEngine *eng, GError **error)
{
    if (params->n_nodes < 1 || params->n_nodes > TS_MAX_NODES) {
        g_set_error(error, TIERSIM_ERROR_MACHINE, 0, "machine: %d nodes (1..%d expected)",
                    params->n_nodes, TS_MAX_NODES);
        return NULL;
    }
    Machine *m = g_new0(Machine, 1);
    machine_params_copy(&m->params, params);
    m->eng = eng;
    m->page_size = params->page_size;
    m->n_nodes = params->n_nodes;
    for (int c = 0; c < TS_MAX_CPUS; c++)
        m->cpu_node[c] = -1;
    m->first_cpu = -1;
    for (int n = 0; n < m->n_nodes; n++) {
        const NodeParams *np = &m->params.nodes[n];
        for (int i = 0; i < np->n_cpus; i++) {
            m->cpu_node[np->cpus[i]] = n;
            if (m->first_cpu < 0 || np->cpus[i] < m->first_cpu)
                m->first_cpu = np->cpus[i];
        }
    }
    if (m->first_cpu < 0) {
        g_set_error(error, TIERSIM_ERROR_MACHINE, 0, "machine: no node has a CPU");
        machine_free(m);
        return NULL;
    }
    Watermarks wm[TS_MAX_NODES];
    m->min_free_kbytes = wmark_compute(&m->params, wm);
    for (int n = 0; n < m->n_nodes; n++) {
        NodeState *nd = &m->nodes[n];
        nd->id = n;
        nd->p = &m->params.nodes[n];
        nd->capacity_pages = nd->p->capacity_bytes / m->page_size;
        nd->free_pages = nd->capacity_pages;
        nd->wm = wm[n];
        m->has_movable |= nd->p->zone == ZONE_TYPE_MOVABLE;
        nd->bw_bytes_per_ns = nd->p->bandwidth_gbps; /* GB/s = bytes/ns */
        build_zonelist(m, n);
        place_kswapd(m, n);
    }
    pt_init(&m->pt);
    m->tasks = g_hash_table_new(g_direct_hash, g_direct_equal);
    m->task_list = g_ptr_array_new_with_free_func(task_free);
    for (int i = 0; i < params->n_tasks; i++)
        task_add(m, params->tasks[i].pid, params->tasks[i].cpu, &params->tasks[i].mempolicy);
    m->swap_capacity_pages = params->swap.capacity_bytes / m->page_size;
    compress_init(&m->compress, &params->compress, m->page_size, params->seed);
    rng_init(&m->rng, params->seed, RNG_STREAM_MACHINE);
    tiering_init(m);
    tiering_start(m);
    if (params->kernel.zswap.enabled) {
        m->zswap = zswap_new(m, error);
        if (!m->zswap) {
            machine_free(m);
            return NULL;
        }
    }
    return m;
}

void machine_free(Machine *m)
{
    if (!m)
        return;
    zswap_free(m->zswap);
    for (int n = 0; n < m->n_nodes; n++) {
        lru_clear(&m->nodes[n].inactive);
        lru_clear(&m->nodes[n].active);
    }
    pt_clear(&m->pt);
    if (m->tasks)
        g_hash_table_destroy(m->tasks);
    if (m->task_list)
        g_ptr_array_free(m->task_list, TRUE);
    compress_clear(&m->compress);
    machine_params_clear(&m->params);
    g_free(m);
}

/* A pid the scenario did not declare (traces may hold any) gets the default
 * policy on the CPU its first record names, else the machine's first CPU. */
Task *machine_task(Machine *m, uint32_t pid, int cpu_hint)
{
    if (m->last_task && m->last_task->pid == pid)
        return m->last_task;
    Task *t = g_hash_table_lookup(m->tasks, GUINT_TO_POINTER(pid));
    if (!t) {
        Mempolicy def = {MPOL_MODE_DEFAULT, 0};
        t = task_add(m, pid, cpu_hint >= 0 ? cpu_hint : m->first_cpu, &def);
    }
    m->last_task = t;
    return t;
}

void machine_mbind(Machine *m, uint32_t pid, uint64_t first_vpage, uint64_t n_pages,
                   const Mempolicy *policy)
{
    Task *t = machine_task(m, pid, -1);
    if (!t->regions)
        t->regions = g_array_new(FALSE, FALSE, sizeof(Region));
    Region r = {first_vpage, first_vpage + n_pages, *policy};
    guint i = 0;
    while (i < t->regions->len && g_array_index(t->regions, Region, i).first < first_vpage)
        i++;
    g_array_insert_val(t->regions, i, r);
}

static const Mempolicy *region_policy(const Task *t, uint64_t vpage)
{
    if (!t->regions)
        return NULL;
    guint lo = 0, hi = t->regions->len;
    while (lo < hi) { /* last region with first <= vpage */
        guint mid = (lo + hi) / 2;
        if (g_array_index(t->regions, Region, mid).first <= vpage)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const Region *r = &g_array_index(t->regions, Region, lo - 1);
    return vpage < r->end ? &r->policy : NULL;
}

/* ---- mempolicy ---------------------------------------------------------- */

int nodemask_nth(NodeMask mask, uint64_t n)
{
    int count = __builtin_popcountll(mask);
    n %= (uint64_t)count;
    for (int i = 0; i < TS_MAX_NODES; i++)
        if ((mask >> i) & 1) {
            if (n == 0)
                return i;
            n--;
        }
    return -1;
}

/* What alloc_pages_mpol makes of a policy (KERNEL.md 4.10): the preferred
 * node whose zonelist is walked, and the nodemask filtering it (0 = any).
 * Interleave uses the page's index when the allocation has a VMA (ilx), and
 * the task's round-robin cursor otherwise. */
void machine_resolve_policy(Machine *m, const Mempolicy *pol, int local_nid, uint64_t ilx,
                            bool have_ilx, Task *task, int *preferred, NodeMask *mask)
{
    *mask = 0;
    switch (pol->mode) {
    case MPOL_MODE_DEFAULT:
        *preferred = local_nid;
        break;
    case MPOL_MODE_PREFERRED:
        *preferred = __builtin_ctzll(pol->nodes);
        break;
    case MPOL_MODE_BIND:
        *preferred = local_nid;
        *mask = pol->nodes;
        break;
    case MPOL_MODE_INTERLEAVE:
        if (have_ilx || !task) {
            *preferred = nodemask_nth(pol->nodes, ilx);
        } else {
            int next = -1;
            for (int i = task->il_prev + 1; i < TS_MAX_NODES && next < 0; i++)
                if ((pol->nodes >> i) & 1)
                    next = i;
            if (next < 0)
                next = __builtin_ctzll(pol->nodes);
            task->il_prev = next;
            *preferred = next;
        }
        break;
    }
}

/* ---- page allocation ------------------------------------------------------ */

void node_count(Machine *m, int nid, VmItem item, uint64_t n)
{
    m->nodes[nid].vm[item] += n;
}

static void take_page(Machine *m, int nid, int preferred, int local_nid)
{
    NodeState *nd = &m->nodes[nid];
    g_assert(nd->free_pages > 0);
    nd->free_pages--;
    nd->vm[nd->p->zone == ZONE_TYPE_MOVABLE ? VM_PGALLOC_MOVABLE : VM_PGALLOC_NORMAL]++;
    /* zone_statistics */
    if (nid == preferred) {
        nd->vm[VM_NUMA_HIT]++;
    } else {
        nd->vm[VM_NUMA_MISS]++;
        m->nodes[preferred].vm[VM_NUMA_FOREIGN]++;
    }
    nd->vm[nid == local_nid ? VM_NUMA_LOCAL : VM_NUMA_OTHER]++;
}

uint64_t machine_cross_zs_pages(const Machine *m, int nid)
{
    return m->zswap ? zswap_cross_pages(m->zswap, nid) : 0;
}

void machine_free_page(Machine *m, int nid)
{
    NodeState *nd = &m->nodes[nid];
    nd->free_pages++;
    g_assert(nd->free_pages <= nd->capacity_pages);
    nd->vm[VM_PGFREE]++;
}

/* First node of the list (filtered by mask) whose free pages exceed `mark`
 * (0 = any free page), or -1. */
static int first_above(Machine *m, const int *zl, int n, NodeMask mask, int which)
{
    for (int i = 0; i < n; i++) {
        int nid = zl[i];
        if (mask && !((mask >> nid) & 1))
            continue;
        const NodeState *nd = &m->nodes[nid];
        uint64_t mark = which == 2 ? nd->wm.low : which == 1 ? nd->wm.min : 0;
        if (nd->free_pages > mark)
            return nid;
    }
    return -1;
}

/*
 * The page allocator, for one order-0 page (KERNEL.md 4.2):
 *   fast path: the zonelist of `preferred`, filtered by `mask`, at low;
 *   slow path: wake kswapd on every node of that list that is not
 *     balanced, retry at min;
 *   ALLOC_NOWAIT (a reclaimer: PF_MEMALLOC): drop the nodemask and walk the
 *     same zonelist without watermarks;
 *   ALLOC_THISNODE: the same steps on the preferred node alone;
 *   ALLOC_USER: direct reclaim over the list, retrying at min, until a page
 *     is found or reclaim makes no progress MAX_RECLAIM_RETRIES times
 *     (then the simulated machine is out of memory).
 * Returns the node or -1. Direct reclaim's time is added to direct->cost_ns.
 */
int machine_alloc_page(Machine *m, int preferred, NodeMask mask, int local_nid, AllocMode mode,
                       ReclaimCtx *direct)
{
    const int *zl = m->nodes[preferred].zonelist;
    int n = m->nodes[preferred].zonelist_len;
    if (mode == ALLOC_THISNODE) {
        zl = &m->nodes[preferred].id;
        n = 1;
        mask = 0;
    }
    int nid = first_above(m, zl, n, mask, 2);
    if (nid < 0) {
        for (int i = 0; i < n; i++)
            if (!mask || ((mask >> zl[i]) & 1))
                kswapd_wake(m, zl[i]);
        nid = first_above(m, zl, n, mask, 1);
    }
    if (nid < 0 && (mode == ALLOC_NOWAIT || mode == ALLOC_THISNODE))
        nid = first_above(m, zl, n, 0, 0); /* PF_MEMALLOC: no watermarks, no nodemask */
    if (nid < 0 && mode == ALLOC_USER) {
        int no_progress = 0;
        while (nid < 0 && no_progress < MAX_RECLAIM_RETRIES) {
            node_count(m, preferred, m->has_movable ? VM_ALLOCSTALL_MOVABLE : VM_ALLOCSTALL_NORMAL,
                       1);
            m->nodes[preferred].ts[TS_DIRECT_RECLAIM_ENTRIES]++;
            /* Attributable to other nodes' zsmalloc pages when, without
             * them, some allowed node would have been above min. */
            for (int i = 0; i < n; i++) {
                const NodeState *c = &m->nodes[zl[i]];
                if ((!mask || ((mask >> zl[i]) & 1)) &&
                    c->free_pages + machine_cross_zs_pages(m, zl[i]) > c->wm.min) {
                    m->nodes[preferred].ts[TS_DIRECT_RECLAIM_ZS_CROSS]++;
                    break;
                }
            }
            int64_t before = direct->cost_ns;
            uint64_t got = direct_reclaim(m, zl, n, mask, direct);
            m->nodes[preferred].ts[TS_DIRECT_RECLAIM_STALL_NS] +=
                (uint64_t)(direct->cost_ns - before);
            no_progress = got ? 0 : no_progress + 1;
            nid = first_above(m, zl, n, mask, 1);
        }
    }
    if (nid >= 0) {
        /* zone_statistics compares with the first zone the request allowed */
        int first = preferred;
        for (int i = 0; i < n; i++)
            if (!mask || ((mask >> zl[i]) & 1)) {
                first = zl[i];
                break;
            }
        take_page(m, nid, first, local_nid);
    }
    return nid;
}

/* ---- access path ------------------------------------------------------------ */

static inline void account_access(Machine *m, NodeState *nd, uint8_t op, int64_t lat)
{
    nd->ts[TS_ACCESSES]++;
    nd->ts[TS_ACCESS_LATENCY_NS] += (uint64_t)lat;
    nd->ts[op ? TS_ACCESS_WRITES : TS_ACCESS_READS]++;
    lathist_add(&m->lat, lat);
    m->total_stall_ns += lat;
}

/*
 * Loaded latency. Each access moves one cache line (ACCESS_BYTES). The
 * utilisation rho of a node over the last window (at least BW_WINDOW_NS of
 * simulated time) sets the queueing delay of the next one, as the mean wait
 * of an M/D/1 queue in units of the idle latency: rho / (2 (1 - rho)),
 * with rho capped at 0.98. Cheap (one add per access), deterministic, and
 * enough for the direction of Colloid's observation that a loaded DRAM
 * tier can be slower than an idle CXL one; not a DRAM timing model.
 */
#define ACCESS_BYTES 64
#define BW_WINDOW_NS 100000

static void bw_roll(NodeState *nd, int64_t now)
{
    int64_t elapsed = now - nd->bw_window_start_ns;
    double rho = (double)nd->bw_window_bytes / (nd->bw_bytes_per_ns * (double)elapsed);
    if (rho > 0.98)
        rho = 0.98;
    nd->bw_delay_permille = (int64_t)llround(1000.0 * rho / (2.0 * (1.0 - rho)));
    nd->bw_window_start_ns = now;
    nd->bw_window_bytes = 0;
}

static inline int64_t node_latency(Machine *m, NodeState *nd, uint8_t op)
{
    int64_t base = op ? nd->p->write_latency_ns : nd->p->read_latency_ns;
    if (nd->bw_bytes_per_ns <= 0)
        return base;
    int64_t now = sim_now(m->eng);
    if (now - nd->bw_window_start_ns >= BW_WINDOW_NS)
        bw_roll(nd, now);
    nd->bw_window_bytes += ACCESS_BYTES;
    return base + base * nd->bw_delay_permille / 1000;
}

/* Brings a page in: first touch, or swap-in from the device. Returns the
 * service time. */
static int64_t access_fault(Machine *m, const PageAccess *a, uint32_t id)
{
    Task *task = machine_task(m, a->pid, a->cpu);
    int cpu = a->cpu >= 0 ? a->cpu : task->cpu;
    int local = m->cpu_node[cpu];
    g_assert(local >= 0);
    const Mempolicy *pol = region_policy(task, a->vpage);
    if (!pol)
        pol = &task->policy;
    int preferred;
    NodeMask mask;
    machine_resolve_policy(m, pol, local, a->vpage, true, task, &preferred, &mask);

    ReclaimCtx rc = {.kswapd = false, .cpu = cpu, .task = task};
    int64_t cost = m->params.costs.fault_ns;
    int nid = machine_alloc_page(m, preferred, mask, local, ALLOC_USER, &rc);
    cost += rc.cost_ns;
    if (nid < 0) {
        /* The kernel would invoke the OOM killer; the simulation stops. */
        node_count(m, preferred, VM_OOM_KILL, 1);
        m->oom = true;
        lathist_add(&m->lat, cost);
        m->total_stall_ns += cost;
        return cost;
    }
    NodeState *nd = &m->nodes[nid];
    nd->vm[VM_PGFAULT]++;

    bool created = false;
    if (!id)
        id = pt_lookup_or_create(&m->pt, a->pid, a->vpage, &created);
    PageInfo *pg = pt_page(&m->pt, id);
    bool activate = false;
    if (created) {
        nd->ts[TS_FIRST_TOUCH_FAULTS]++;
    } else if (pg->loc == PAGE_LOC_ZSWAP) {
        nd->vm[VM_PGMAJFAULT]++;
        nd->vm[VM_ZSWPIN]++;
        m->swap_used_pages--;
        pg->aux = zswap_load(m->zswap, pg->aux, &cost);
    } else {
        g_assert(pg->loc == PAGE_LOC_SWAP);
        nd->vm[VM_PGMAJFAULT]++;
        m->swap_used_pages--;
        if (pg->flags & PAGE_ZERO) {
            nd->vm[VM_SWPIN_ZERO]++;
        } else {
            nd->vm[VM_PSWPIN]++;
            cost += m->params.swap.read_latency_ns;
            if (m->zswap && (pg->flags & PAGE_SHADOW))
                zswap_note_disk_swapin(m->zswap, (int)(pg->aux >> SHADOW_AGE_BITS));
        }
    }
    if (!created) {
        if (pg->flags & PAGE_SHADOW) {
            /* workingset_refault: recent if the refault distance fits in the
             * eviction node's active list (anon, swap available). */
            int ev_nid = pg->aux >> SHADOW_AGE_BITS;
            uint32_t dist =
                ((uint32_t)m->nodes[ev_nid].nonresident_age - pg->aux) & SHADOW_AGE_MASK;
            nd->vm[VM_WORKINGSET_REFAULT_ANON]++;
            if (dist <= m->nodes[ev_nid].active.count) {
                nd->vm[VM_WORKINGSET_ACTIVATE_ANON]++;
                activate = true;
            }
        }
        pg->flags &= (uint8_t) ~(PAGE_ZERO | PAGE_SHADOW);
        pg->aux = 0;
    }
    pg->loc = (uint8_t)nid;
    /* The access that follows the fault sets the PTE's accessed bit. */
    pg->flags |= PAGE_REFERENCED;
    if (a->op == ACCESS_WRITE)
        pg->flags |= PAGE_DIRTY;
    lru_add_page(m, nid, id, activate);
    if (activate)
        nd->nonresident_age++;
    cost += node_latency(m, nd, a->op);
    account_access(m, nd, a->op, cost);
    return cost;
}

int64_t machine_access(Machine *m, const PageAccess *a)
{
    uint32_t id = pt_lookup(&m->pt, a->pid, a->vpage);
    if (G_LIKELY(id)) {
        PageInfo *pg = pt_page(&m->pt, id);
        if (G_LIKELY(pg->loc < TS_MAX_NODES)) {
            int64_t lat = 0;
            if (G_UNLIKELY(pg->flags & PAGE_NUMA_HINT)) {
                /* Only pages under the default policy are NUMA-balanced
                 * (MPOL_F_MOF): for others the scan is as if it skipped
                 * their VMA. */
                Task *t = machine_task(m, a->pid, a->cpu);
                const Mempolicy *pol = region_policy(t, a->vpage);
                if (!pol)
                    pol = &t->policy;
                if (pol->mode == MPOL_MODE_DEFAULT)
                    lat = tiering_hint_fault(m, id, m->cpu_node[a->cpu >= 0 ? a->cpu : t->cpu]);
                else
                    pg->flags &= (uint8_t)~PAGE_NUMA_HINT;
            }
            pg->flags |= PAGE_REFERENCED | (a->op == ACCESS_WRITE ? PAGE_DIRTY : 0);
            NodeState *nd = &m->nodes[pg->loc];
            lat += node_latency(m, nd, a->op);
            account_access(m, nd, a->op, lat);
            return lat;
        }
    }
    return access_fault(m, a, id);
}

/* ---- views ------------------------------------------------------------------ */

void machine_stop_background(Machine *m)
{
    tiering_stop(m);
}

bool machine_oom(const Machine *m)
{
    return m->oom;
}

const MachineParams *machine_params(const Machine *m)
{
    return &m->params;
}

int machine_n_nodes(const Machine *m)
{
    return m->n_nodes;
}

uint32_t machine_page_size(const Machine *m)
{
    return m->page_size;
}

uint64_t machine_min_free_kbytes(const Machine *m)
{
    return m->min_free_kbytes;
}

const Watermarks *machine_node_wmarks(const Machine *m, int nid)
{
    return &m->nodes[nid].wm;
}

uint64_t machine_node_capacity_pages(const Machine *m, int nid)
{
    return m->nodes[nid].capacity_pages;
}

uint64_t machine_node_free_pages(const Machine *m, int nid)
{
    return m->nodes[nid].free_pages;
}

uint64_t machine_node_inactive_anon(const Machine *m, int nid)
{
    return m->nodes[nid].inactive.count;
}

uint64_t machine_node_active_anon(const Machine *m, int nid)
{
    return m->nodes[nid].active.count;
}

uint64_t machine_node_zspages(const Machine *m, int nid)
{
    return m->nodes[nid].zs_pages;
}

uint64_t machine_node_vm(const Machine *m, int nid, VmItem item)
{
    return m->nodes[nid].vm[item];
}

uint64_t machine_node_ts(const Machine *m, int nid, TsItem item)
{
    return m->nodes[nid].ts[item];
}

uint64_t machine_vm_total(const Machine *m, VmItem item)
{
    uint64_t s = 0;
    for (int n = 0; n < m->n_nodes; n++)
        s += m->nodes[n].vm[item];
    return s;
}

uint64_t machine_ts_total(const Machine *m, TsItem item)
{
    uint64_t s = 0;
    for (int n = 0; n < m->n_nodes; n++)
        s += m->nodes[n].ts[item];
    return s;
}

int machine_zonelist(const Machine *m, int nid, int *order)
{
    memcpy(order, m->nodes[nid].zonelist, sizeof(int) * m->nodes[nid].zonelist_len);
    return m->nodes[nid].zonelist_len;
}

int machine_cpu_node(const Machine *m, int cpu)
{
    return cpu >= 0 && cpu < TS_MAX_CPUS ? m->cpu_node[cpu] : -1;
}

int machine_kswapd_cpu_node(const Machine *m, int nid)
{
    return m->nodes[nid].kswapd_cpu_node;
}

bool machine_kswapd_running(const Machine *m, int nid)
{
    return m->nodes[nid].kswapd_running;
}

int machine_kswapd_failures(const Machine *m, int nid)
{
    return m->nodes[nid].kswapd_failures;
}

uint64_t machine_swap_used_pages(const Machine *m)
{
    return m->swap_used_pages;
}

uint64_t machine_pages_touched(const Machine *m)
{
    return m->pt.n_pages;
}

int machine_page_location(Machine *m, uint32_t pid, uint64_t vpage)
{
    uint32_t id = pt_lookup(&m->pt, pid, vpage);
    return id ? pt_page(&m->pt, id)->loc : -1;
}

double machine_bytes_per_page(const Machine *m)
{
    /* the page table and page state, plus the LRU rings */
    size_t bytes = pt_memory_bytes(&m->pt);
    for (int n = 0; n < m->n_nodes; n++)
        bytes += (m->nodes[n].inactive.cap + m->nodes[n].active.cap) * sizeof(uint64_t);
    return m->pt.n_pages ? (double)bytes / (double)m->pt.n_pages : 0.0;
}

uint64_t machine_latency_count(const Machine *m)
{
    return m->lat.count;
}

double machine_latency_mean_ns(const Machine *m)
{
    return m->lat.count ? (double)m->lat.sum_ns / (double)m->lat.count : 0.0;
}

int64_t machine_latency_percentile_ns(const Machine *m, double pct)
{
    return lathist_percentile(&m->lat, pct);
}

const LatHist *machine_latency_hist(const Machine *m)
{
    return &m->lat;
}

int64_t machine_total_stall_ns(const Machine *m)
{
    return m->total_stall_ns;
}

gboolean machine_check(Machine *m, GError **error)
{
    return reclaim_check(m, error) && (!m->zswap || zswap_check(m->zswap, error));
}

struct Zswap *machine_zswap(Machine *m)
{
    return m->zswap;
}
