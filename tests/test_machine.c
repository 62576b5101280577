/* Tests of the machine model: watermarks, zonelists, mempolicy allocation
 * and fallback, the LRU, kswapd, direct reclaim, swap and conservation. */
#include <glib.h>

#include "machine_fixture.h"
#include "models/machine_impl.h"
#include "models/pagetable.h"
#include "models/watermark.h"
#include "traces/generator.h"

#define BASE (1ULL << 20)

static void test_watermarks_kernel_setups(void)
{
    /* KERNEL.md 4.1: two 64 GiB nodes. */
    MachineParams p;
    fixture_params(&p, 2, 16777216, 1);
    p.kernel.min_free_kbytes = -1;
    Watermarks wm[2];
    /* B: both ZONE_NORMAL */
    g_assert_cmpuint(wmark_compute(&p, wm), ==, 46340);
    for (int i = 0; i < 2; i++) {
        g_assert_cmpuint(wm[i].min, ==, 5792);
        g_assert_cmpuint(wm[i].low, ==, 22569);
        g_assert_cmpuint(wm[i].high, ==, 39346);
        g_assert_cmpuint(wm[i].promo, ==, 56123);
    }
    /* A: the CXL node onlined as ZONE_MOVABLE */
    p.nodes[1].zone = ZONE_TYPE_MOVABLE;
    g_assert_cmpuint(wmark_compute(&p, wm), ==, 32768);
    g_assert_cmpuint(wm[0].min, ==, 8192);
    g_assert_cmpuint(wm[0].low, ==, 24969);
    g_assert_cmpuint(wm[0].high, ==, 41746);
    g_assert_cmpuint(wm[0].promo, ==, 58523);
    g_assert_cmpuint(wm[1].min, ==, 128);
    g_assert_cmpuint(wm[1].low, ==, 16905);
    g_assert_cmpuint(wm[1].high, ==, 33682);
    g_assert_cmpuint(wm[1].promo, ==, 50459);
    machine_params_clear(&p);
}

static void test_watermarks_tiny_and_clamps(void)
{
    MachineParams p;
    fixture_params(&p, 1, 256, 0);
    Watermarks wm[1];
    wmark_compute(&p, wm);
    /* pages_min = 128 KiB / 4 = 32; tmp = max(32 / 4, 256 * 10 / 10000) = 8 */
    g_assert_cmpuint(wm[0].min, ==, 32);
    g_assert_cmpuint(wm[0].low, ==, 40);
    g_assert_cmpuint(wm[0].high, ==, 48);
    g_assert_cmpuint(wm[0].promo, ==, 56);
    g_assert_cmpuint(wmark_default_min_free_kbytes(1024), ==, 128);          /* clamp low */
    g_assert_cmpuint(wmark_default_min_free_kbytes(1ULL << 40), ==, 262144); /* clamp high */
    g_assert_cmpuint(wmark_int_sqrt(1073741824), ==, 32768);
    g_assert_cmpuint(wmark_int_sqrt(2147483647), ==, 46340);
    machine_params_clear(&p);
}

static void test_zonelist_order(void)
{
    MachineParams p;
    fixture_params(&p, 4, 1024, 1);
    int d[4][4] = {{10, 20, 12, 30}, {20, 10, 30, 12}, {12, 30, 10, 20}, {30, 12, 20, 10}};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            p.distance[i][j] = d[i][j];
    SimEngine *eng = sim_engine_new();
    Machine *m = machine_new(&p, eng, NULL);
    int order[TS_MAX_NODES];
    g_assert_cmpint(machine_zonelist(m, 0, order), ==, 4);
    g_assert_cmpint(order[0], ==, 0);
    g_assert_cmpint(order[1], ==, 2);
    g_assert_cmpint(order[2], ==, 1);
    g_assert_cmpint(order[3], ==, 3);
    machine_zonelist(m, 3, order);
    g_assert_cmpint(order[0], ==, 3);
    g_assert_cmpint(order[1], ==, 1);
    g_assert_cmpint(order[2], ==, 2);
    g_assert_cmpint(order[3], ==, 0);
    machine_free(m);
    machine_params_clear(&p);

    /* Ties: CPU-less nodes and nodes after the local one come first. */
    fixture_params(&p, 3, 1024, 0);
    g_free(p.nodes[2].cpus);
    p.nodes[2].n_cpus = 1;
    p.nodes[2].cpus = g_new(int, 1);
    p.nodes[2].cpus[0] = 5;
    m = machine_new(&p, eng, NULL);
    machine_zonelist(m, 0, order);
    g_assert_cmpint(order[1], ==, 1); /* 20 + 0 + 0 beats 20 + 0 + 1 */
    g_assert_cmpint(order[2], ==, 2);
    machine_zonelist(m, 2, order);
    g_assert_cmpint(order[1], ==, 1); /* 20 + 1 + 0 beats 20 + 1 + 1 */
    g_assert_cmpint(order[2], ==, 0);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

static void test_kswapd_of_cpuless_node(void)
{
    MachineParams p;
    fixture_params(&p, 3, 1024, 0);
    g_free(p.nodes[1].cpus);
    p.nodes[1].n_cpus = 1;
    p.nodes[1].cpus = g_new(int, 1);
    p.nodes[1].cpus[0] = 7;
    p.distance[2][0] = p.distance[0][2] = 30;
    p.distance[2][1] = p.distance[1][2] = 20;
    SimEngine *eng = sim_engine_new();
    Machine *m = machine_new(&p, eng, NULL);
    g_assert_cmpint(machine_kswapd_cpu_node(m, 0), ==, 0);
    g_assert_cmpint(machine_kswapd_cpu_node(m, 1), ==, 1);
    g_assert_cmpint(machine_kswapd_cpu_node(m, 2), ==, 1);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

static Machine *two_node_machine(SimEngine *eng, Mempolicy pol, MachineParams *p)
{
    fixture_params(p, 2, 1024, 1); /* node0 CPU 0, node1 CPU 1 */
    p->tasks[0].mempolicy = pol;
    Machine *m = machine_new(p, eng, NULL);
    g_assert_nonnull(m);
    return m;
}

static void test_mempolicy_placement(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    Mempolicy def = {MPOL_MODE_DEFAULT, 0};
    Machine *m = two_node_machine(eng, def, &p);
    fixture_touch(m, 1, BASE, ACCESS_READ);
    g_assert_cmpint(machine_page_location(m, 1, BASE), ==, 0);
    /* the record's CPU decides the local node */
    PageAccess a = {0, BASE + 1, 2, 1, ACCESS_WRITE};
    machine_access(m, &a);
    g_assert_cmpint(machine_page_location(m, 2, BASE + 1), ==, 1);
    machine_free(m);
    machine_params_clear(&p);

    Mempolicy pref = {MPOL_MODE_PREFERRED, 1u << 1};
    m = two_node_machine(eng, pref, &p);
    fixture_touch(m, 1, BASE, ACCESS_READ);
    g_assert_cmpint(machine_page_location(m, 1, BASE), ==, 1);
    g_assert_cmpuint(machine_node_vm(m, 1, VM_NUMA_HIT), ==, 1);
    g_assert_cmpuint(machine_node_vm(m, 1, VM_NUMA_OTHER), ==, 1);
    machine_free(m);
    machine_params_clear(&p);

    Mempolicy il = {MPOL_MODE_INTERLEAVE, 3};
    m = two_node_machine(eng, il, &p);
    for (uint64_t v = 0; v < 8; v++)
        fixture_touch(m, 1, BASE + v, ACCESS_READ);
    for (uint64_t v = 0; v < 8; v++)
        g_assert_cmpint(machine_page_location(m, 1, BASE + v), ==, (int)(v % 2));
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);

    /* mbind overrides the task policy for its range only */
    m = two_node_machine(eng, def, &p);
    Mempolicy bind1 = {MPOL_MODE_BIND, 1u << 1};
    machine_mbind(m, 1, BASE + 100, 10, &bind1);
    fixture_touch(m, 1, BASE + 99, ACCESS_READ);
    fixture_touch(m, 1, BASE + 100, ACCESS_READ);
    fixture_touch(m, 1, BASE + 109, ACCESS_READ);
    fixture_touch(m, 1, BASE + 110, ACCESS_READ);
    g_assert_cmpint(machine_page_location(m, 1, BASE + 99), ==, 0);
    g_assert_cmpint(machine_page_location(m, 1, BASE + 100), ==, 1);
    g_assert_cmpint(machine_page_location(m, 1, BASE + 109), ==, 1);
    g_assert_cmpint(machine_page_location(m, 1, BASE + 110), ==, 0);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* The fast path stops at low: the first allocation that finds the local
 * node at low falls back to the next node, without waking anybody. */
static void test_fallback_along_zonelist(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    Mempolicy def = {MPOL_MODE_DEFAULT, 0};
    Machine *m = two_node_machine(eng, def, &p);
    const Watermarks *wm = machine_node_wmarks(m, 0);
    uint64_t fill = machine_node_capacity_pages(m, 0) - wm->low;
    for (uint64_t v = 0; v < fill; v++)
        fixture_touch(m, 1, BASE + v, ACCESS_WRITE);
    g_assert_cmpuint(machine_node_free_pages(m, 0), ==, wm->low);
    fixture_touch(m, 1, BASE + fill, ACCESS_WRITE);
    g_assert_cmpint(machine_page_location(m, 1, BASE + fill), ==, 1);
    g_assert_cmpuint(machine_node_vm(m, 1, VM_NUMA_MISS), ==, 1);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_NUMA_FOREIGN), ==, 1);
    g_assert_cmpuint(machine_ts_total(m, TS_KSWAPD_WAKEUPS), ==, 0);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);

    /* bind keeps the page inside the mask: node 1 is never used */
    Mempolicy bind0 = {MPOL_MODE_BIND, 1u << 0};
    m = two_node_machine(eng, bind0, &p);
    for (uint64_t v = 0; v < 3000; v++)
        fixture_touch(m, 1, BASE + v, ACCESS_WRITE);
    g_assert_cmpuint(machine_node_free_pages(m, 1), ==, 1024);
    g_assert_cmpuint(machine_vm_total(m, VM_PGSTEAL_DIRECT), >, 0);
    g_assert_cmpuint(machine_node_vm(m, 1, VM_PGSCAN_DIRECT), ==, 0);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* 256 pages: min 32, low 40, high 48. */
static void test_slow_path_wakes_kswapd_then_direct_reclaim(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    fixture_params(&p, 1, 256, 0);
    Machine *m = machine_new(&p, eng, NULL);
    for (uint64_t v = 0; v < 216; v++)
        fixture_touch(m, 1, BASE + v, ACCESS_WRITE);
    g_assert_cmpuint(machine_node_free_pages(m, 0), ==, 40);
    g_assert_cmpuint(machine_node_ts(m, 0, TS_KSWAPD_WAKEUPS), ==, 0);
    /* free == low: the fast path fails, kswapd is woken, min succeeds */
    fixture_touch(m, 1, BASE + 216, ACCESS_WRITE);
    g_assert_cmpuint(machine_node_ts(m, 0, TS_KSWAPD_WAKEUPS), ==, 1);
    g_assert_true(machine_kswapd_running(m, 0));
    g_assert_cmpuint(machine_node_free_pages(m, 0), ==, 39);
    /* kswapd's events have not run: allocations continue at min ... */
    for (uint64_t v = 217; v < 224; v++)
        fixture_touch(m, 1, BASE + v, ACCESS_WRITE);
    g_assert_cmpuint(machine_node_free_pages(m, 0), ==, 32);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_ALLOCSTALL_NORMAL), ==, 0);
    /* ... until free == min: direct reclaim, charged to this access */
    int64_t t = fixture_touch(m, 1, BASE + 224, ACCESS_WRITE);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_ALLOCSTALL_NORMAL), ==, 1);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGSTEAL_DIRECT), >=, 1);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGSTEAL_DIRECT), <=, 32 + 31);
    g_assert_cmpint(t, >, p.costs.fault_ns + 100 + p.costs.reclaim_scan_ns);
    g_assert_cmpint(machine_page_location(m, 1, BASE + 224), ==, 0);
    fixture_check(m);
    /* kswapd then restores high and sleeps */
    fixture_settle(eng);
    g_assert_false(machine_kswapd_running(m, 0));
    g_assert_cmpuint(machine_node_free_pages(m, 0), >, 48);
    uint64_t stolen =
        machine_vm_total(m, VM_PGSTEAL_KSWAPD) + machine_vm_total(m, VM_PGSTEAL_DIRECT);
    g_assert_cmpuint(stolen, ==, machine_vm_total(m, VM_PSWPOUT));
    g_assert_cmpuint(stolen, ==, machine_swap_used_pages(m));
    g_assert_cmpuint(machine_node_free_pages(m, 0) + machine_node_inactive_anon(m, 0) +
                         machine_node_active_anon(m, 0),
                     ==, 256);
    g_assert_cmpuint(225 - stolen, ==,
                     machine_node_inactive_anon(m, 0) + machine_node_active_anon(m, 0));
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* kswapd worked out by hand. 256 pages: min 32, low 40, high 48. 216
 * touches leave free == low; the 217th finds no node above low, wakes
 * kswapd and is served at min (free 39). Every page's referenced bit is then
 * cleared, as if none was touched again since its fault, so each page
 * kswapd scans is reclaimed (swap device; zswap is off).
 * kswapd's run, one engine event per chunk (scan 100 ns + submit 2 us per
 * page), with pass targets (217 - reclaimed) >> priority:
 *   priorities 12..8: targets 0, nothing scanned; 7: target 1 -> 1 page,
 *     event at t=0, cost 2.1 us, free 40;
 *   6: target 216 >> 6 = 3 -> 3 pages at t=2.1 us, cost 6.3 us, free 43;
 *   5: target 213 >> 5 = 6 -> 6 pages at t=8.4 us, cost 12.6 us, free 49;
 *   at t=21 us the node is balanced (49 > 48): kswapd sleeps.
 * 10 pages reclaimed, the 10 oldest, in 3 batches of one run. */
static void test_kswapd_by_hand(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    fixture_params(&p, 1, 256, 0);
    Machine *m = machine_new(&p, eng, NULL);
    for (uint64_t v = 0; v < 217; v++)
        fixture_touch(m, 1, BASE + v, ACCESS_WRITE);
    g_assert_cmpuint(machine_node_free_pages(m, 0), ==, 39);
    g_assert_true(machine_kswapd_running(m, 0));
    for (uint64_t v = 0; v < 217; v++)
        pt_page(&m->pt, pt_lookup(&m->pt, 1, BASE + v))->flags &= (uint8_t)~PAGE_REFERENCED;
    fixture_settle(eng);
    g_assert_false(machine_kswapd_running(m, 0));
    g_assert_cmpint(sim_now(eng), ==, 21000);
    g_assert_cmpuint(machine_node_free_pages(m, 0), ==, 49);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGSCAN_KSWAPD), ==, 10);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGSTEAL_KSWAPD), ==, 10);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PSWPOUT), ==, 10);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PAGEOUTRUN), ==, 1);
    g_assert_cmpuint(machine_node_ts(m, 0, TS_KSWAPD_WAKEUPS), ==, 1);
    g_assert_cmpuint(machine_node_ts(m, 0, TS_KSWAPD_BATCHES), ==, 3);
    for (uint64_t v = 0; v < 217; v++)
        g_assert_cmpint(machine_page_location(m, 1, BASE + v), ==, v < 10 ? PAGE_LOC_SWAP : 0);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* Pages referenced again after their fault survive reclaim; pages touched
 * once go first (second chance through the active list). */
static void test_lru_second_chance(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    fixture_params(&p, 1, 512, 0);
    Machine *m = machine_new(&p, eng, NULL);
    const uint64_t hot = BASE, cold = BASE + 1000, stream = BASE + 2000;
    for (uint64_t v = 0; v < 100; v++)
        fixture_touch(m, 1, cold + v, ACCESS_WRITE);
    for (uint64_t v = 0; v < 64; v++)
        fixture_touch(m, 1, hot + v, ACCESS_WRITE);
    for (uint64_t s = 0; s < 2000; s++) {
        fixture_touch(m, 1, stream + s, ACCESS_WRITE);
        if (s % 16 == 0) {
            for (uint64_t v = 0; v < 64; v++)
                fixture_touch(m, 1, hot + v, ACCESS_READ);
            fixture_settle(eng);
        }
    }
    fixture_settle(eng);
    int hot_resident = 0, cold_resident = 0;
    for (uint64_t v = 0; v < 64; v++)
        hot_resident += machine_page_location(m, 1, hot + v) == 0;
    for (uint64_t v = 0; v < 100; v++)
        cold_resident += machine_page_location(m, 1, cold + v) == 0;
    g_assert_cmpint(hot_resident, ==, 64);
    g_assert_cmpint(cold_resident, ==, 0);
    g_assert_cmpuint(machine_vm_total(m, VM_PGACTIVATE), >, 0);
    g_assert_cmpuint(machine_vm_total(m, VM_PGDEACTIVATE), >, 0);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

static void test_swapin_and_refault(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    fixture_params(&p, 1, 256, 0);
    Machine *m = machine_new(&p, eng, NULL);
    for (uint64_t v = 0; v < 600; v++) {
        fixture_touch(m, 1, BASE + v, ACCESS_WRITE);
        fixture_settle(eng);
    }
    g_assert_cmpint(machine_page_location(m, 1, BASE), ==, PAGE_LOC_SWAP);
    uint64_t used = machine_swap_used_pages(m);
    int64_t t = fixture_touch(m, 1, BASE, ACCESS_READ);
    g_assert_cmpint(t, >=, p.swap.read_latency_ns + p.costs.fault_ns);
    g_assert_cmpint(machine_page_location(m, 1, BASE), ==, 0);
    g_assert_cmpuint(machine_vm_total(m, VM_PSWPIN), ==, 1);
    g_assert_cmpuint(machine_vm_total(m, VM_PGMAJFAULT), ==, 1);
    g_assert_cmpuint(machine_vm_total(m, VM_WORKINGSET_REFAULT_ANON), ==, 1);
    g_assert_cmpuint(machine_swap_used_pages(m), <=, used);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* With the swap device full nothing can be reclaimed: kswapd gives up after
 * 16 failed runs and the next fault that needs memory is an OOM. */
static void test_swap_full_leads_to_oom(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    fixture_params(&p, 1, 256, 0);
    p.swap.capacity_bytes = 16 * 4096;
    Machine *m = machine_new(&p, eng, NULL);
    uint64_t v = 0;
    while (!machine_oom(m) && v < 10000) {
        fixture_touch(m, 1, BASE + v++, ACCESS_WRITE);
        fixture_settle(eng);
    }
    g_assert_true(machine_oom(m));
    g_assert_cmpuint(machine_swap_used_pages(m), ==, 16);
    g_assert_cmpuint(machine_vm_total(m, VM_OOM_KILL), ==, 1);
    g_assert_cmpint(machine_kswapd_failures(m, 0), >=, 16);
    g_assert_cmpuint(machine_ts_total(m, TS_SWAP_FULL_ACTIVATIONS), >, 0);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* ---- conservation under random workloads, checked after every event ---- */

typedef struct {
    Machine *m;
    TraceSource *src;
    PageAccess buf[256];
    gssize pos, len;
    int64_t lag;
} Replay;

static int64_t replay_stream(SimEngine *eng, void *ctx, int64_t now)
{
    Replay *r = ctx;
    r->lag += machine_access(r->m, &r->buf[r->pos++]);
    if (machine_oom(r->m))
        return -1;
    if (r->pos == r->len) {
        r->len = trace_source_read(r->src, r->buf, G_N_ELEMENTS(r->buf), NULL);
        r->pos = 0;
        if (r->len <= 0)
            return -1;
    }
    return r->buf[r->pos].time_ns + r->lag;
}

static void replay_check(SimEngine *eng, void *ctx)
{
    fixture_check(((Replay *)ctx)->m);
}

static void test_conservation_random(gconstpointer data)
{
    uint64_t seed = GPOINTER_TO_UINT(data);
    MachineParams p;
    fixture_params(&p, 3, 384, 0);
    g_free(p.nodes[1].cpus);
    p.nodes[1].n_cpus = 2;
    p.nodes[1].cpus = g_new(int, 2);
    p.nodes[1].cpus[0] = 2;
    p.nodes[1].cpus[1] = 3;
    p.distance[0][2] = p.distance[2][0] = 30;
    p.seed = seed;
    g_free(p.tasks);
    p.n_tasks = 3;
    p.tasks = g_new0(TaskParams, 3);
    p.tasks[0] = (TaskParams){1, 0, {MPOL_MODE_DEFAULT, 0}};
    p.tasks[1] = (TaskParams){2, 2, {MPOL_MODE_INTERLEAVE, 7}};
    p.tasks[2] = (TaskParams){3, 3, {MPOL_MODE_BIND, 1u << 2}};
    SimEngine *eng = sim_engine_new();
    Machine *m = machine_new(&p, eng, NULL);

    GenPhase ph[4] = {
        {1, "a", GEN_ZIPF, 600 * 4096, 0, 4000, 0.5, 0, 0.9, 0.2, 0.8},
        {2, "b", GEN_UNIFORM, 500 * 4096, 0, 4000, 0.3, 0, 0.99, 0.2, 0.8},
        {3, "c", GEN_HOTCOLD, 400 * 4096, 0, 4000, 0.7, 1e6, 0.99, 0.1, 0.9},
        {1, "a", GEN_SEQUENTIAL, 600 * 4096, 2, 0, 1.0, 0, 0.99, 0.2, 0.8},
    };
    GenSpec spec = {4, ph};
    Replay r = {m, gen_source_new(&spec, 4096, seed), {{0}}, 0, 0, 0};
    r.len = trace_source_read(r.src, r.buf, G_N_ELEMENTS(r.buf), NULL);
    sim_set_stream(eng, r.buf[0].time_ns, replay_stream, &r);
    sim_set_check(eng, 1, replay_check, &r);
    sim_run(eng, INT64_MAX);
    g_assert_false(machine_oom(m));
    g_assert_cmpuint(machine_latency_count(m), ==, 4000 * 3 + 1200);
    g_assert_cmpuint(
        machine_vm_total(m, VM_PGSTEAL_KSWAPD) + machine_vm_total(m, VM_PGSTEAL_DIRECT), >, 0);
    uint64_t allocs =
        machine_vm_total(m, VM_PGALLOC_NORMAL) + machine_vm_total(m, VM_PGALLOC_MOVABLE);
    uint64_t frees = machine_vm_total(m, VM_PGFREE);
    uint64_t used = 0;
    for (int n = 0; n < 3; n++)
        used += machine_node_capacity_pages(m, n) - machine_node_free_pages(m, n);
    g_assert_cmpuint(allocs - frees, ==, used);
    fixture_check(m);
    trace_source_free(r.src);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

static void noop_event(SimEngine *eng, void *ctx, uint64_t arg)
{
}

/* A node offered more bytes per window than its bandwidth serves gets a
 * queueing delay in the next window; an idle one keeps its idle latency. */
static void test_bandwidth_loaded_latency(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    fixture_params(&p, 1, 4096, 0);
    p.nodes[0].bandwidth_gbps = 16; /* 16 bytes per ns */
    Machine *m = machine_new(&p, eng, NULL);
    for (uint64_t v = 0; v < 64; v++)
        fixture_touch(m, 1, BASE + v, ACCESS_READ);
    int64_t t = 0, lat = 0;
    /* 64 bytes every 8 ns = 8 bytes per ns: rho 0.5 -> +50% of the idle 100 ns */
    for (int i = 0; i < 30000; i++) {
        t += 8;
        sim_schedule_at(eng, t, noop_event, NULL, 0);
        sim_run(eng, t);
        lat = fixture_touch(m, 1, BASE + (uint64_t)(i % 64), ACCESS_READ);
    }
    g_assert_cmpint(lat, ==, 150);
    /* offered twice the bandwidth: capped at rho 0.98 -> +2450% */
    for (int i = 0; i < 30000; i++) {
        t += 2;
        sim_schedule_at(eng, t, noop_event, NULL, 0);
        sim_run(eng, t);
        lat = fixture_touch(m, 1, BASE + (uint64_t)(i % 64), ACCESS_READ);
    }
    g_assert_cmpint(lat, ==, 100 + 2450);
    /* after a quiet second the latency is idle again (one window to notice) */
    t += 1000000000;
    sim_schedule_at(eng, t, noop_event, NULL, 0);
    sim_run(eng, t);
    lat = fixture_touch(m, 1, BASE, ACCESS_READ);
    g_assert_cmpint(lat, ==, 100);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/machine/watermarks/kernel-setups-a-and-b", test_watermarks_kernel_setups);
    g_test_add_func("/machine/watermarks/tiny-and-clamps", test_watermarks_tiny_and_clamps);
    g_test_add_func("/machine/zonelist/distance-order-and-ties", test_zonelist_order);
    g_test_add_func("/machine/kswapd/cpuless-node-runs-on-nearest", test_kswapd_of_cpuless_node);
    g_test_add_func("/machine/mempolicy/placement", test_mempolicy_placement);
    g_test_add_func("/machine/alloc/fallback-along-zonelist", test_fallback_along_zonelist);
    g_test_add_func("/machine/alloc/slow-path-kswapd-then-direct-reclaim",
                    test_slow_path_wakes_kswapd_then_direct_reclaim);
    g_test_add_func("/machine/kswapd/worked-by-hand", test_kswapd_by_hand);
    g_test_add_func("/machine/lru/second-chance", test_lru_second_chance);
    g_test_add_func("/machine/swap/swapin-and-refault", test_swapin_and_refault);
    g_test_add_func("/machine/swap/full-leads-to-oom", test_swap_full_leads_to_oom);
    g_test_add_func("/machine/bandwidth/loaded-latency", test_bandwidth_loaded_latency);
    for (unsigned s = 1; s <= 4; s++) {
        char *path = g_strdup_printf("/machine/conservation/random-seed-%u", s);
        g_test_add_data_func(path, GUINT_TO_POINTER(s), test_conservation_random);
        g_free(path);
    }
    return g_test_run();
}
