/* Small machines for unit tests, built without a scenario file. */
#ifndef TIERSIM_TESTS_MACHINE_FIXTURE_H
#define TIERSIM_TESTS_MACHINE_FIXTURE_H

#include <glib.h>

#include "models/machine.h"
#include "models/params.h"
#include "sim/engine.h"

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

#endif
