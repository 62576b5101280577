/* Tests of memory tiers, demotion and NUMA-balancing promotion. */
#include <glib.h>

#include "machine_fixture.h"
#include "models/machine_impl.h"
#include "models/tiers.h"
#include "traces/generator.h"

#define BASE (1ULL << 20)
#define MS   1000000LL

static void test_tier_assignment(void)
{
    MachineParams p;
    fixture_params(&p, 3, 1024, 0);
    p.nodes[1].kind = NODE_KIND_CXL;
    p.nodes[2].kind = NODE_KIND_DRAM; /* CPU-less DRAM, no performance data */
    int adist[TS_MAX_NODES], tier[TS_MAX_NODES];
    tiers_compute(&p, adist, tier);
    g_assert_cmpint(adist[0], ==, 576);
    g_assert_cmpint(tier[0], ==, 4);
    g_assert_cmpint(adist[1], ==, 2880); /* dax/kmem default */
    g_assert_cmpint(tier[1], ==, 22);
    g_assert_cmpint(tier[2], ==, 4);
    /* performance data: twice the latency and half the bandwidth -> 2304, tier 18 */
    p.nodes[0].bandwidth_gbps = 80;
    p.nodes[1].bandwidth_gbps = 40;
    p.nodes[1].read_latency_ns = 2 * p.nodes[0].read_latency_ns;
    p.nodes[1].write_latency_ns = 2 * p.nodes[0].write_latency_ns;
    tiers_compute(&p, adist, tier);
    g_assert_cmpint(adist[1], ==, 2304);
    g_assert_cmpint(tier[1], ==, 18);
    /* an explicit abstract distance wins */
    p.nodes[2].abstract_distance = 1000;
    tiers_compute(&p, adist, tier);
    g_assert_cmpint(tier[2], ==, 7);
    machine_params_clear(&p);
}

static void test_demotion_targets(void)
{
    /* nodes 0, 1: DRAM with CPUs; 2, 3: CXL; 4: a slower CXL tier */
    MachineParams p;
    fixture_params(&p, 5, 1024, 0);
    fixture_node_cpus(&p, 1, 2, 2);
    for (int n = 2; n < 5; n++)
        p.nodes[n].kind = NODE_KIND_CXL;
    p.nodes[4].abstract_distance = 4000;
    int d[5][5] = {{10, 20, 20, 30, 40},
                   {20, 10, 30, 20, 40},
                   {20, 30, 10, 30, 25},
                   {30, 20, 30, 10, 25},
                   {40, 40, 25, 25, 10}};
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            p.distance[i][j] = d[i][j];
    SimEngine *eng = sim_engine_new();
    Machine *m = machine_new(&p, eng, NULL);
    g_assert_true(m->top_tier[0] && m->top_tier[1]);
    g_assert_false(m->top_tier[2] || m->top_tier[4]);
    g_assert_cmpuint(m->demotion_preferred[0], ==, 1u << 2); /* nearest of the next tier */
    g_assert_cmpuint(m->demotion_preferred[1], ==, 1u << 3);
    g_assert_cmpuint(m->demotion_allowed[0], ==, (1u << 2) | (1u << 3) | (1u << 4));
    g_assert_cmpuint(m->demotion_preferred[2], ==, 1u << 4); /* CXL demotes to the slower tier */
    g_assert_cmpuint(m->demotion_allowed[2], ==, 1u << 4);
    g_assert_cmpuint(m->demotion_preferred[4], ==, 0); /* the lowest tier has none */
    machine_free(m);
    /* ties: both nodes of the next tier at the same distance */
    p.distance[0][3] = p.distance[3][0] = 20;
    m = machine_new(&p, eng, NULL);
    g_assert_cmpuint(m->demotion_preferred[0], ==, (1u << 2) | (1u << 3));
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* DRAM (node 0, CPUs) and CXL (node 1), 512 pages each; min 32 low 40 high
 * 48 (min_free_kbytes 128 split over the two nodes gives 16 each; the
 * fixture's formula is exercised elsewhere, so only relations are used). */
static Machine *tier_machine(SimEngine *eng, MachineParams *p, bool demotion, NumaBalancing nb)
{
    fixture_params(p, 2, 512, 0);
    p->nodes[1].kind = NODE_KIND_CXL;
    p->kernel.demotion_enabled = demotion;
    p->kernel.numa_balancing = nb;
    p->kernel.numa_scan_period_ns = 100 * MS;
    Machine *m = machine_new(p, eng, NULL);
    g_assert_nonnull(m);
    return m;
}

static void test_demotion_instead_of_swap(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    Mempolicy bind0 = {MPOL_MODE_BIND, 1u << 0};
    fixture_params(&p, 2, 512, 0);
    p.nodes[1].kind = NODE_KIND_CXL;
    p.kernel.demotion_enabled = true;
    p.tasks[0].mempolicy = bind0;
    Machine *m = machine_new(&p, eng, NULL);
    for (uint64_t v = 0; v < 800; v++) {
        fixture_touch(m, 1, BASE + v, ACCESS_WRITE);
        fixture_settle(eng);
    }
    uint64_t demoted =
        machine_vm_total(m, VM_PGDEMOTE_KSWAPD) + machine_vm_total(m, VM_PGDEMOTE_DIRECT);
    g_assert_cmpuint(demoted, >, 250);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGDEMOTE_KSWAPD) +
                         machine_node_vm(m, 0, VM_PGDEMOTE_DIRECT),
                     ==, demoted); /* counted on the source lruvec */
    g_assert_cmpuint(machine_vm_total(m, VM_PSWPOUT), ==, 0);
    g_assert_cmpuint(machine_node_inactive_anon(m, 1) + machine_node_active_anon(m, 1), ==,
                     demoted);
    /* demoted pages count as reclaimed for their node */
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGSTEAL_KSWAPD) +
                         machine_node_vm(m, 0, VM_PGSTEAL_DIRECT),
                     ==, demoted);
    /* the oldest pages went first */
    g_assert_cmpint(machine_page_location(m, 1, BASE), ==, 1);
    g_assert_cmpint(machine_page_location(m, 1, BASE + 799), ==, 0);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* When the target has no free page above min and no reserves may be used,
 * demotion fails (pgdemote_fail) and the page is swapped out. */
static void test_demotion_fallback_to_swap(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    fixture_params(&p, 2, 512, 0);
    p.nodes[1].kind = NODE_KIND_CXL;
    p.kernel.demotion_enabled = true;
    Mempolicy bind1 = {MPOL_MODE_BIND, 1u << 1};
    Mempolicy bind0 = {MPOL_MODE_BIND, 1u << 0};
    g_free(p.tasks);
    p.n_tasks = 2;
    p.tasks = g_new0(TaskParams, 2);
    p.tasks[0] = (TaskParams){1, 0, bind0};
    p.tasks[1] = (TaskParams){2, 1, bind1};
    Machine *m = machine_new(&p, eng, NULL);
    /* fill the CXL node down to min without running its kswapd */
    const Watermarks *wm1 = machine_node_wmarks(m, 1);
    for (uint64_t v = 0; machine_node_free_pages(m, 1) > wm1->min; v++)
        fixture_touch(m, 2, BASE + v, ACCESS_WRITE);
    for (uint64_t v = 0; v < 700; v++)
        fixture_touch(m, 1, BASE + 100000 + v, ACCESS_WRITE);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGDEMOTE_FAIL), >, 0);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PSWPOUT), >, 0);
    fixture_check(m);
    fixture_settle(eng);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

static void noop(SimEngine *eng, void *ctx, uint64_t arg)
{
}

static void advance_to(SimEngine *eng, int64_t t)
{
    sim_schedule_at(eng, t, noop, NULL, 0);
    sim_run(eng, t);
}

/* Promotion needs pages under the default policy on a slow node (only
 * those are NUMA-balanced): node 2 (DRAM, CPU 1, 256 pages) is task 1's
 * local node; once it is at low, its zonelist [2, 1, 0] sends task 1's new
 * pages to the CXL node 1. Node 0 (DRAM, CPU 0, 2048 pages) is where CPU 0's
 * hint faults promote to. Returns the first vpage placed on node 1. */
static Machine *promo_machine(SimEngine *eng, MachineParams *p, int64_t rate_mbps,
                              uint64_t n_on_cxl, uint64_t *first_cxl)
{
    fixture_params(p, 3, 2048, 0);
    p->nodes[1].kind = NODE_KIND_CXL;
    p->nodes[2].capacity_bytes = 256 * 4096;
    fixture_node_cpus(p, 2, 1, 1);
    int d[3][3] = {{10, 20, 30}, {20, 10, 15}, {30, 15, 10}};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            p->distance[i][j] = d[i][j];
    p->tasks[0].cpu = 1;
    p->kernel.numa_balancing = NUMA_BALANCING_TIERING;
    p->kernel.numa_scan_period_ns = 100 * MS;
    p->kernel.numa_promote_rate_limit_mbps = rate_mbps;
    Machine *m = machine_new(p, eng, NULL);
    uint64_t v = BASE;
    while (machine_node_free_pages(m, 2) > machine_node_wmarks(m, 2)->low)
        fixture_touch(m, 1, v++, ACCESS_WRITE);
    *first_cxl = v;
    for (uint64_t i = 0; i < n_on_cxl; i++, v++) {
        fixture_touch(m, 1, v, ACCESS_WRITE);
        g_assert_cmpint(machine_page_location(m, 1, v), ==, 1);
    }
    return m;
}

static int64_t touch_from_cpu0(Machine *m, uint64_t vpage)
{
    PageAccess a = {0, vpage, 1, 0, ACCESS_READ};
    return machine_access(m, &a);
}

/* A page on the CXL node is armed by the scanner at 100 ms; a hint fault
 * within the hot threshold promotes it to the faulting CPU's node, one
 * after it does not. */
static void test_promotion_hot_threshold(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    uint64_t c;
    Machine *m = promo_machine(eng, &p, 65536, 2, &c);
    advance_to(eng, 100 * MS); /* the scanner arms both pages at 100 ms */
    advance_to(eng, 150 * MS);
    machine_stop_background(m); /* no more scans */
    touch_from_cpu0(m, c);      /* 50 ms after the scan: hot */
    g_assert_cmpint(machine_page_location(m, 1, c), ==, 0);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGPROMOTE_SUCCESS), ==, 1);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGPROMOTE_CANDIDATE), ==, 1);
    g_assert_cmpuint(machine_node_vm(m, 1, VM_NUMA_HINT_FAULTS), ==, 1);
    /* c + 1, armed at 100 ms, faults at 1250 ms: 1150 ms >= 1000, not hot */
    advance_to(eng, 1250 * MS);
    touch_from_cpu0(m, c + 1);
    g_assert_cmpint(machine_page_location(m, 1, c + 1), ==, 1);
    g_assert_cmpuint(machine_node_vm(m, 1, VM_NUMA_HINT_FAULTS), ==, 2);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGPROMOTE_SUCCESS), ==, 1);
    fixture_check(m);
    sim_engine_free(eng);
    machine_free(m);
    machine_params_clear(&p);
}

/* With a rate limit of 1 MB/s (256 pages/s), at most 256 candidates of one
 * second are promoted. */
static void test_promotion_rate_limit(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    uint64_t c;
    Machine *m = promo_machine(eng, &p, 1, 600, &c);
    advance_to(eng, 100 * MS);
    machine_stop_background(m);
    advance_to(eng, 110 * MS);
    for (uint64_t v = 0; v < 600; v++)
        touch_from_cpu0(m, c + v);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGPROMOTE_CANDIDATE), ==, 600);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGPROMOTE_SUCCESS), ==, 256);
    int on_dram = 0;
    for (uint64_t v = 0; v < 600; v++)
        on_dram += machine_page_location(m, 1, c + v) == 0;
    g_assert_cmpint(on_dram, ==, 256);
    fixture_check(m);
    sim_engine_free(eng);
    machine_free(m);
    machine_params_clear(&p);
}

/* Pages under a non-default policy are not NUMA-balanced (MPOL_F_MOF): the
 * armed page's next access is an ordinary hit. */
static void test_bound_pages_not_promoted(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    Machine *m = tier_machine(eng, &p, false, NUMA_BALANCING_TIERING);
    Mempolicy pref1 = {MPOL_MODE_PREFERRED, 1u << 1};
    machine_mbind(m, 1, BASE, 1, &pref1);
    fixture_touch(m, 1, BASE, ACCESS_WRITE);
    g_assert_cmpint(machine_page_location(m, 1, BASE), ==, 1);
    advance_to(eng, 100 * MS);
    machine_stop_background(m);
    advance_to(eng, 150 * MS);
    int64_t t = fixture_touch(m, 1, BASE, ACCESS_READ);
    g_assert_cmpint(t, ==, 250); /* the CXL node's latency, no hint fault */
    g_assert_cmpint(machine_page_location(m, 1, BASE), ==, 1);
    g_assert_cmpuint(machine_vm_total(m, VM_NUMA_HINT_FAULTS), ==, 0);
    fixture_check(m);
    sim_engine_free(eng);
    machine_free(m);
    machine_params_clear(&p);
}

/* Pages on the top tier are never armed in tiering mode; the classic mode
 * moves a page after two hint faults from the same remote node. */
static void test_scanner_modes(void)
{
    SimEngine *eng = sim_engine_new();
    MachineParams p;
    Machine *m = tier_machine(eng, &p, false, NUMA_BALANCING_TIERING);
    fixture_touch(m, 1, BASE, ACCESS_WRITE); /* on DRAM */
    advance_to(eng, 250 * MS);
    machine_stop_background(m);
    fixture_touch(m, 1, BASE, ACCESS_READ);
    g_assert_cmpuint(machine_vm_total(m, VM_NUMA_HINT_FAULTS), ==, 0);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng); /* it still holds the first machine's scanner event */

    eng = sim_engine_new();
    fixture_params(&p, 2, 512, 1); /* both nodes have a CPU: 0 and 1 */
    p.kernel.numa_balancing = NUMA_BALANCING_NORMAL;
    p.kernel.numa_scan_period_ns = 100 * MS;
    m = machine_new(&p, eng, NULL);
    PageAccess a = {0, BASE, 1, 0, ACCESS_WRITE}; /* faulted in from CPU 0: node 0 */
    machine_access(m, &a);
    a.cpu = 1;
    for (int round = 1; round <= 2; round++) {
        advance_to(eng, sim_now(eng) + 100 * MS); /* armed again */
        machine_access(m, &a);
    }
    g_assert_cmpuint(machine_vm_total(m, VM_NUMA_HINT_FAULTS), ==, 2);
    g_assert_cmpint(machine_page_location(m, 1, BASE), ==, 1);
    g_assert_cmpuint(machine_node_vm(m, 1, VM_NUMA_PAGES_MIGRATED), ==, 1);
    fixture_check(m);
    machine_stop_background(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* Demotion, promotion, zswap and reclaim together, with every model's
 * invariant checker after every engine step, for every placement policy. */
static void test_conservation_with_tiering(gconstpointer data)
{
    const char *policy = data;
    MachineParams p;
    fixture_params(&p, 3, 384, 0);
    p.nodes[1].kind = NODE_KIND_CXL;
    p.nodes[2].kind = NODE_KIND_CXL;
    p.nodes[2].abstract_distance = 4000; /* a slower CXL tier below node 1 */
    p.kernel.demotion_enabled = true;
    p.kernel.numa_balancing = NUMA_BALANCING_TIERING;
    p.kernel.numa_scan_period_ns = 2 * MS;
    p.kernel.numa_promote_rate_limit_mbps = 8;
    fixture_zswap(&p, policy, 1500);
    g_free(p.tasks);
    p.n_tasks = 2;
    p.tasks = g_new0(TaskParams, 2);
    p.tasks[0] = (TaskParams){1, 0, {MPOL_MODE_DEFAULT, 0}};
    p.tasks[1] = (TaskParams){2, 1, {MPOL_MODE_BIND, 1u << 1}};
    SimEngine *eng = sim_engine_new();
    Machine *m = machine_new(&p, eng, NULL);
    GenPhase ph[3] = {
        {1, "a", GEN_SEQUENTIAL, 900 * 4096, 1, 0, 1.0, 1e7, 0.99, 0.2, 0.8},
        {2, "b", GEN_UNIFORM, 400 * 4096, 0, 3000, 0.5, 1e7, 0.99, 0.2, 0.8},
        {1, "a", GEN_HOTCOLD, 900 * 4096, 0, 8000, 0.2, 1e6, 0.99, 0.2, 0.9},
    };
    GenSpec spec = {3, ph};
    TraceSource *src = gen_source_new(&spec, 4096, 3);
    FixtureReplay r;
    fixture_replay(eng, m, src, &r);
    g_assert_false(machine_oom(m));
    g_assert_cmpuint(
        machine_vm_total(m, VM_PGDEMOTE_KSWAPD) + machine_vm_total(m, VM_PGDEMOTE_DIRECT), >, 0);
    g_assert_cmpuint(machine_vm_total(m, VM_NUMA_HINT_FAULTS), >, 0);
    g_assert_cmpuint(machine_vm_total(m, VM_ZSWPOUT), >, 0);
    g_assert_cmpuint(r.checks, >, 10000);
    fixture_check(m);
    trace_source_free(src);
    sim_engine_free(eng);
    machine_free(m);
    machine_params_clear(&p);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tiering/tiers/assignment", test_tier_assignment);
    g_test_add_func("/tiering/demotion/targets", test_demotion_targets);
    g_test_add_func("/tiering/demotion/instead-of-swap", test_demotion_instead_of_swap);
    g_test_add_func("/tiering/demotion/fallback-to-swap", test_demotion_fallback_to_swap);
    g_test_add_func("/tiering/promotion/hot-threshold", test_promotion_hot_threshold);
    g_test_add_func("/tiering/promotion/rate-limit", test_promotion_rate_limit);
    g_test_add_func("/tiering/promotion/bound-pages-not-promoted", test_bound_pages_not_promoted);
    g_test_add_func("/tiering/numa-balancing/scanner-modes", test_scanner_modes);
    static const char *const policies[] = {"task", "local", "origin", "strict"};
    for (int i = 0; i < 4; i++) {
        char *path = g_strdup_printf("/tiering/conservation/%s", policies[i]);
        g_test_add_data_func(path, policies[i], test_conservation_with_tiering);
        g_free(path);
    }
    return g_test_run();
}
