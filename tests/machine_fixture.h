/* Small machines for unit tests, built without a scenario file. */
#ifndef TIERSIM_TESTS_MACHINE_FIXTURE_H
#define TIERSIM_TESTS_MACHINE_FIXTURE_H

#include <glib.h>

#include "models/machine.h"
#include "models/params.h"
#include "models/zsmalloc.h"
#include "models/zswap.h"
#include "sim/engine.h"
#include "traces/source.h"

/* n nodes of `pages` pages each; node 0 has CPUs 0 and 1, the others none
 * unless cpus_per_node > 0 gives every node that many CPUs. zswap off,
 * min_free_kbytes 128 (pages_min 32), 1 GiB swap. */
static inline void fixture_params(MachineParams *p, int n, uint64_t pages, int cpus_per_node)
{
    machine_params_init_defaults(p);
    p->n_nodes = n;
    int cpu = 0;
    for (int i = 0; i < n; i++) {
        NodeParams *np = &p->nodes[i];
        np->id = i;
        np->kind = i == 0 || cpus_per_node ? NODE_KIND_DRAM : NODE_KIND_CXL;
        np->capacity_bytes = pages * 4096;
        np->read_latency_ns = np->write_latency_ns = i == 0 || cpus_per_node ? 100 : 250;
        np->abstract_distance = -1;
        int k = cpus_per_node ? cpus_per_node : (i == 0 ? 2 : 0);
        np->n_cpus = k;
        np->cpus = k ? g_new(int, k) : NULL;
        for (int c = 0; c < k; c++)
            np->cpus[c] = cpu++;
    }
    p->kernel.min_free_kbytes = 128;
    p->kernel.zswap.enabled = FALSE;
    p->swap.capacity_bytes = 1ULL << 30;
    p->n_tasks = 1;
    p->tasks = g_new0(TaskParams, 1);
    p->tasks[0].pid = 1;
    p->tasks[0].cpu = 0;
}

/* Runs every pending engine event (kswapd batches). */
static inline void fixture_settle(SimEngine *eng)
{
    sim_run(eng, INT64_MAX);
}

static inline int64_t fixture_touch(Machine *m, uint32_t pid, uint64_t vpage, int op)
{
    PageAccess a = {0, vpage, pid, -1, (uint8_t)op};
    return machine_access(m, &a);
}

static inline void fixture_check(Machine *m)
{
    GError *error = NULL;
    if (!machine_check(m, &error))
        g_error("invariant: %s", error->message);
}

/* Makes node nid a DRAM node (latency 100) with CPUs [first_cpu, first_cpu + n). */
static inline void fixture_node_cpus(MachineParams *p, int nid, int first_cpu, int n)
{
    NodeParams *np = &p->nodes[nid];
    g_free(np->cpus);
    np->kind = NODE_KIND_DRAM;
    np->read_latency_ns = np->write_latency_ns = 100;
    np->n_cpus = n;
    np->cpus = g_new(int, n);
    for (int c = 0; c < n; c++)
        np->cpus[c] = first_cpu + c;
}

/* Replaces the tasks by n tasks: pid i + 1 on cpus[i] with policy pols[i]. */
static inline void fixture_tasks(MachineParams *p, int n, const int *cpus, const Mempolicy *pols)
{
    g_free(p->tasks);
    p->n_tasks = n;
    p->tasks = g_new0(TaskParams, n);
    for (int i = 0; i < n; i++)
        p->tasks[i] = (TaskParams){i + 1, cpus[i], pols[i]};
}

/* zswap on with placement `policy`; every page compresses to `bytes` (fixed
 * model, no zero pages); the writeback shrinker off, so that reclaim stores
 * without writing back unless a test turns it on. */
static inline void fixture_zswap(MachineParams *p, const char *policy, uint32_t bytes)
{
    p->kernel.zswap.enabled = TRUE;
    p->kernel.zswap.shrinker_enabled = FALSE;
    g_free(p->placement);
    p->placement = g_strdup(policy);
    p->compress.model = COMPRESS_FIXED;
    p->compress.compressed_bytes = bytes;
    p->compress.zero_fraction = 0;
}

static inline Machine *fixture_machine(const MachineParams *p, SimEngine *eng)
{
    GError *error = NULL;
    Machine *m = machine_new(p, eng, &error);
    if (!m)
        g_error("machine_new: %s", error->message);
    return m;
}

/* Touches vpages [first, first + n) of pid once each, writing, in order. */
static inline void fixture_touch_range(Machine *m, uint32_t pid, uint64_t first, uint64_t n)
{
    for (uint64_t v = 0; v < n; v++)
        fixture_touch(m, pid, first + v, 1);
}

/* The zspages of a pool, in the order of their lowest live handle (the order
 * they were made in, as long as nothing was freed), written as the nodes of
 * their pages: "100 111" is a zspage with its first page on node 1 and the
 * other two on node 0, then one with all three on node 1. Nodes < 10. */
static inline char *fixture_zspage_nodes(const ZsPool *pool)
{
    GString *s = g_string_new(NULL);
    GArray *seen = g_array_new(FALSE, FALSE, sizeof(ZsZspageId));
    uint64_t live = zs_pool_n_objects(pool), found = 0;
    for (ZsHandle h = 1; found < live && h < (1u << 24); h++) {
        if (!zs_handle_valid(pool, h))
            continue;
        found++;
        ZsZspageId id = zs_obj_zspage(pool, h);
        gboolean dup = FALSE;
        for (guint i = 0; i < seen->len && !dup; i++)
            dup = g_array_index(seen, ZsZspageId, i) == id;
        if (dup)
            continue;
        g_array_append_val(seen, id);
        int nids[ZS_CHAIN_SIZE_MAX];
        int n = zs_zspage_nodes(pool, id, nids, ZS_CHAIN_SIZE_MAX);
        if (s->len)
            g_string_append_c(s, ' ');
        for (int i = 0; i < n; i++)
            g_string_append_c(s, (char)('0' + nids[i]));
    }
    g_array_free(seen, TRUE);
    return g_string_free(s, FALSE);
}

/* `first` followed by `n` copies of `rest`, space separated ("100" then
 * "111" x 2 gives "100 111 111"); first may be empty. */
static inline char *fixture_repeat(const char *first, const char *rest, int n)
{
    GString *s = g_string_new(first);
    for (int i = 0; i < n; i++) {
        if (s->len)
            g_string_append_c(s, ' ');
        g_string_append(s, rest);
    }
    return g_string_free(s, FALSE);
}

/* ---- replaying a trace source with the invariant checks after every event ---- */

typedef struct FixtureReplay {
    Machine *m;
    TraceSource *src; /* borrowed */
    PageAccess buf[256];
    gssize pos, len;
    int64_t lag;
    uint64_t checks;
} FixtureReplay;

static inline int64_t fixture_replay_stream(SimEngine *eng, void *ctx, int64_t now)
{
    FixtureReplay *r = ctx;
    r->lag += machine_access(r->m, &r->buf[r->pos++]);
    if (!machine_oom(r->m) && r->pos == r->len) {
        r->len = trace_source_read(r->src, r->buf, G_N_ELEMENTS(r->buf), NULL);
        r->pos = 0;
    }
    if (machine_oom(r->m) || r->len <= 0) {
        machine_stop_background(r->m); /* the scanner stops, the engine drains */
        return -1;
    }
    return r->buf[r->pos].time_ns + r->lag;
}

static inline void fixture_replay_check(SimEngine *eng, void *ctx)
{
    FixtureReplay *r = ctx;
    fixture_check(r->m);
    r->checks++;
}

/* Replays src on m to the end, with machine_check after every engine step. */
static inline void fixture_replay(SimEngine *eng, Machine *m, TraceSource *src, FixtureReplay *r)
{
    *r = (FixtureReplay){.m = m, .src = src};
    r->len = trace_source_read(src, r->buf, G_N_ELEMENTS(r->buf), NULL);
    g_assert_cmpint(r->len, >, 0);
    sim_set_stream(eng, r->buf[0].time_ns, fixture_replay_stream, r);
    sim_set_check(eng, 1, fixture_replay_check, r);
    sim_run(eng, INT64_MAX);
    sim_set_check(eng, 0, NULL, NULL);
}

#endif
