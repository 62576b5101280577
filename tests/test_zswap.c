/* Tests of the zswap model: the pool limit and its hysteresis, exclusive
 * loads, writeback order with a second chance (global limit worker and the
 * shrinker), incompressible pages, zero pages, and conservation under random
 * workloads for every placement policy with the invariant checkers after
 * every event.
 *
 * The stores come from direct reclaim on machines whose watermarks are
 * known. Reclaim takes pages from the inactive tail in the order they were
 * first touched (every page starts referenced, is activated once and
 * deactivated in the same order), so the n-th page stored is the n-th page
 * touched on that node; the tests check this where they rely on it.
 * A reclaimed page is freed after its store, with its batch (up to 31), so
 * zswap allocates from what the node had before the batch: the machines
 * keep a reserve below min for that (PF_MEMALLOC), or a second node. */
#include <glib.h>
#include <string.h>

#include "machine_fixture.h"
#include "models/machine_impl.h" /* ReclaimCtx, to call the shrinker directly */
#include "models/pagetable.h"
#include "traces/generator.h"

#define BASE   (1ULL << 20)
#define REGION (BASE + 8192) /* a second range, far from BASE */

static const char *const POLICIES[] = {"task", "local", "origin", "strict"};

static PageAccess access_on(uint32_t pid, uint64_t vpage, int cpu, int op)
{
    PageAccess a = {0, vpage, pid, cpu, (uint8_t)op};
    return a;
}

static int64_t touch_on(Machine *m, uint32_t pid, uint64_t vpage, int cpu)
{
    PageAccess a = access_on(pid, vpage, cpu, ACCESS_READ);
    return machine_access(m, &a);
}

/* Touches new pages of REGION (pid 1) until direct reclaim has taken at
 * least `want` more pages; returns the pages it took. */
static uint64_t reclaim_at_least(Machine *m, uint64_t *next, uint64_t want)
{
    uint64_t before = machine_vm_total(m, VM_PGSTEAL_DIRECT);
    while (machine_vm_total(m, VM_PGSTEAL_DIRECT) - before < want) {
        g_assert_cmpuint(*next, <, 4096);
        fixture_touch(m, 1, REGION + (*next)++, ACCESS_WRITE);
        g_assert_false(machine_oom(m));
    }
    return machine_vm_total(m, VM_PGSTEAL_DIRECT) - before;
}

/* ---- the pool limit and its hysteresis ------------------------------------------------ */

/*
 * Node 0: 256 pages, CPU 0; node 1: 768 pages, CPU 1; min_free_kbytes 0, so
 * every watermark is 0. Total 1024 pages: max_pool_percent 2 gives a
 * 20-page pool limit, accept_threshold_percent 50 a 10-page threshold.
 * 1000-byte pages: one-page zspages of four objects, filled in store order.
 *
 * Task 1 (CPU 0, default policy) touches 200 pages B on node 0, then pages
 * of REGION (bound to node 0) until direct reclaim fills the pool: reclaim
 * takes B oldest first. A store is accepted while the pool is below 20
 * pages: the 77th makes page 20 (4 * 19 + 1), every later one finds 20 >= 20,
 * counts pool_limit_hit and goes to the swap device.
 * Reading B[0..3] back (from CPU 1: onto node 1, no reclaim) empties
 * zspage 1: 19 pages, below the limit but above the threshold: stores are
 * still all rejected, and pool_limit_hit no longer counts them.
 * Reading B[4..39] back empties zspages 2-10: 10 pages, at the threshold:
 * the next store is accepted and clears reached_full; 3 stores fill the
 * last zspage's free slots, 36 make zspages 11-19 and the 40th makes page
 * 20; the 41st is rejected with pool_limit_hit again.
 * The limit worker queued by the rejections finally finds 77 entries all
 * referenced (second chance): 16 rounds that only rotate, and it gives up
 * (MAX_RECLAIM_RETRIES) without writing anything back.
 */
static void test_limit_hysteresis(void)
{
    MachineParams p;
    fixture_params(&p, 2, 256, 1);
    p.nodes[1].capacity_bytes = 768 * 4096;
    p.kernel.min_free_kbytes = 0;
    fixture_zswap(&p, "task", 1000);
    p.kernel.zswap.max_pool_percent = 2;
    p.kernel.zswap.accept_threshold_percent = 50;
    SimEngine *eng = sim_engine_new();
    Machine *m = fixture_machine(&p, eng);
    Zswap *z = machine_zswap(m);
    g_assert_cmpuint(zswap_max_pool_pages(z), ==, 20);
    Mempolicy bind0 = {MPOL_MODE_BIND, 1u << 0};
    machine_mbind(m, 1, REGION, 4096, &bind0);

    fixture_touch_range(m, 1, BASE, 200);
    uint64_t next = 0;
    while (!zswap_counter(z, ZSWAP_POOL_LIMIT_HIT))
        reclaim_at_least(m, &next, 1);
    uint64_t a1 = machine_vm_total(m, VM_PGSTEAL_DIRECT);
    g_assert_cmpuint(a1, >, 77);
    g_assert_cmpuint(a1, <=, 200);
    g_assert_cmpuint(zswap_pool_pages(z), ==, 20);
    g_assert_cmpuint(zswap_stored_pages(z), ==, 77);
    g_assert_cmpuint(machine_vm_total(m, VM_ZSWPOUT), ==, 77);
    g_assert_cmpuint(zswap_counter(z, ZSWAP_POOL_LIMIT_HIT), ==, a1 - 77);
    g_assert_cmpuint(machine_vm_total(m, VM_PSWPOUT), ==, a1 - 77);
    for (uint64_t v = 0; v < a1; v++)
        g_assert_cmpint(machine_page_location(m, 1, BASE + v), ==,
                        v < 77 ? PAGE_LOC_ZSWAP : PAGE_LOC_SWAP);
    fixture_check(m);

    /* 19 pages: between the threshold and the limit */
    for (uint64_t v = 0; v < 4; v++)
        touch_on(m, 1, BASE + v, 1);
    g_assert_cmpint(machine_page_location(m, 1, BASE), ==, 1);
    g_assert_cmpuint(zswap_pool_pages(z), ==, 19);
    uint64_t hits = zswap_counter(z, ZSWAP_POOL_LIMIT_HIT);
    uint64_t pswpout = machine_vm_total(m, VM_PSWPOUT);
    uint64_t a2 = reclaim_at_least(m, &next, 1);
    g_assert_cmpuint(zswap_pool_pages(z), ==, 19);
    g_assert_cmpuint(zswap_stored_pages(z), ==, 73);
    g_assert_cmpuint(machine_vm_total(m, VM_ZSWPOUT), ==, 77);
    g_assert_cmpuint(zswap_counter(z, ZSWAP_POOL_LIMIT_HIT), ==, hits);
    g_assert_cmpuint(machine_vm_total(m, VM_PSWPOUT), ==, pswpout + a2);
    fixture_check(m);

    /* 10 pages: at the threshold, stores are accepted again */
    for (uint64_t v = 4; v < 40; v++)
        touch_on(m, 1, BASE + v, 1);
    g_assert_cmpuint(zswap_pool_pages(z), ==, 10);
    g_assert_cmpuint(zswap_stored_pages(z), ==, 37);
    pswpout = machine_vm_total(m, VM_PSWPOUT);
    uint64_t a3 = reclaim_at_least(m, &next, 41);
    g_assert_cmpuint(machine_vm_total(m, VM_ZSWPOUT), ==, 77 + 40);
    g_assert_cmpuint(zswap_stored_pages(z), ==, 77);
    g_assert_cmpuint(zswap_pool_pages(z), ==, 20);
    g_assert_cmpuint(zswap_counter(z, ZSWAP_POOL_LIMIT_HIT), ==, hits + a3 - 40);
    g_assert_cmpuint(machine_vm_total(m, VM_PSWPOUT), ==, pswpout + a3 - 40);
    for (int c = 0; c < ZSWAP_NR_COUNTERS; c++)
        if (c != ZSWAP_POOL_LIMIT_HIT)
            g_assert_cmpuint(zswap_counter(z, (ZswapCounter)c), ==, 0);
    fixture_check(m);

    fixture_settle(eng);
    g_assert_cmpuint(zswap_counter(z, ZSWAP_WRITTEN_BACK_PAGES), ==, 0);
    g_assert_cmpuint(zswap_pool_pages(z), ==, 20);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* ---- writeback by the global limit worker ---------------------------------------------- */

/*
 * One node of 300 pages, min_free_kbytes 128 (min 32, low 40, high 48);
 * max_pool_percent 1 (3 pages), accept_threshold_percent 34 (1 page). The
 * 269th touch finds the node at min and reclaims directly: pages 0-8 are
 * stored (4 * 2 + 1; the zsmalloc pages come from the reserve below min),
 * the rest of that reclaim is rejected and the limit worker is queued. The worker takes one entry
 * of node 0's LRU per round: rounds 1-9 find pages 0-8 referenced (new entries are) and rotate
 * them, clearing the bit (9 failed rounds, under the 16 that would stop it); rounds 10-17 write
 * back pages 0-7, oldest first, freeing zspages 1 and 2; the pool is then at the threshold and the
 * worker stops. Page 8 stays in zswap. Page 0, read again, comes from the swap device.
 */
static void test_worker_writeback_order(void)
{
    MachineParams p;
    fixture_params(&p, 1, 300, 0);
    fixture_zswap(&p, "task", 1000);
    p.kernel.zswap.max_pool_percent = 1;
    p.kernel.zswap.accept_threshold_percent = 34;
    SimEngine *eng = sim_engine_new();
    Machine *m = fixture_machine(&p, eng);
    Zswap *z = machine_zswap(m);
    g_assert_cmpuint(zswap_max_pool_pages(z), ==, 3);

    fixture_touch_range(m, 1, BASE, 268);
    g_assert_cmpuint(machine_node_free_pages(m, 0), ==, 32);
    fixture_touch(m, 1, BASE + 268, ACCESS_WRITE);
    uint64_t a = machine_vm_total(m, VM_PGSTEAL_DIRECT);
    g_assert_cmpuint(a, >, 9);
    /* kswapd, woken at low, will find the node balanced */
    g_assert_cmpuint(machine_node_free_pages(m, 0), >, 48);
    g_assert_cmpuint(zswap_stored_pages(z), ==, 9);
    g_assert_cmpuint(zswap_pool_pages(z), ==, 3);
    g_assert_cmpuint(machine_vm_total(m, VM_PSWPOUT), ==, a - 9);
    for (uint64_t v = 0; v < a; v++)
        g_assert_cmpint(machine_page_location(m, 1, BASE + v), ==,
                        v < 9 ? PAGE_LOC_ZSWAP : PAGE_LOC_SWAP);

    fixture_settle(eng);
    g_assert_cmpuint(zswap_counter(z, ZSWAP_WRITTEN_BACK_PAGES), ==, 8);
    g_assert_cmpuint(machine_vm_total(m, VM_ZSWPWB), ==, 8);
    g_assert_cmpuint(machine_vm_total(m, VM_PSWPOUT), ==, a - 9 + 8);
    g_assert_cmpuint(zswap_pool_pages(z), ==, 1);
    g_assert_cmpuint(zswap_stored_pages(z), ==, 1);
    for (uint64_t v = 0; v < 9; v++)
        g_assert_cmpint(machine_page_location(m, 1, BASE + v), ==,
                        v < 8 ? PAGE_LOC_SWAP : PAGE_LOC_ZSWAP);
    fixture_check(m);

    uint64_t used = machine_swap_used_pages(m);
    int64_t t = fixture_touch(m, 1, BASE, ACCESS_READ);
    g_assert_cmpint(t, ==, p.costs.fault_ns + p.swap.read_latency_ns + 100);
    g_assert_cmpint(machine_page_location(m, 1, BASE), ==, 0);
    g_assert_cmpuint(machine_vm_total(m, VM_PSWPIN), ==, 1);
    g_assert_cmpuint(machine_vm_total(m, VM_ZSWPIN), ==, 0);
    g_assert_cmpuint(machine_swap_used_pages(m), ==, used - 1);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* ---- writeback by the shrinker ---------------------------------------------------------- */

/*
 * One node of 300 pages, min 32, the shrinker on, 1000-byte pages. The
 * 269th touch reclaims n pages directly into zswap (the stores all happen at
 * priority 0, after the shrinker of that priority ran on an empty pool, so
 * nothing is written back then). The n % 4 newest pages are read back, which empties the last
 * zspage: n' = 4 P' entries in P' full zspages, pages 0 .. n'-1 in store
 * order. The shrinker's count is then n' * P' / n' = P' and at priority 0
 * it scans 2 P' = n' / 2 entries, rotating each before looking at it:
 *   call 1 rotates pages 0 .. n'/2-1 and clears their referenced bit;
 *   call 2 does the same for the younger half: nothing written back yet;
 *   call 3 writes back pages 0 .. n'/2-1, oldest first.
 * After a disk swap-in of page 0, the next count is reduced by one
 * (protection): (n'/2 - 1) * pool / stored, and the scan is twice that.
 */
static void test_shrinker_second_chance(void)
{
    MachineParams p;
    fixture_params(&p, 1, 300, 0);
    fixture_zswap(&p, "task", 1000);
    p.kernel.zswap.shrinker_enabled = TRUE;
    SimEngine *eng = sim_engine_new();
    Machine *m = fixture_machine(&p, eng);
    Zswap *z = machine_zswap(m);

    fixture_touch_range(m, 1, BASE, 269);
    uint64_t n = machine_vm_total(m, VM_ZSWPOUT);
    g_assert_cmpuint(n, ==, machine_vm_total(m, VM_PGSTEAL_DIRECT));
    g_assert_cmpuint(n, >=, 32);
    g_assert_cmpuint(zswap_counter(z, ZSWAP_WRITTEN_BACK_PAGES), ==, 0);
    for (uint64_t v = n - n % 4; v < n; v++)
        fixture_touch(m, 1, BASE + v, ACCESS_READ);
    uint64_t n2 = n - n % 4, pages = n2 / 4;
    g_assert_cmpuint(zswap_stored_pages(z), ==, n2);
    g_assert_cmpuint(zswap_pool_pages(z), ==, pages);
    for (uint64_t v = 0; v < n2; v++)
        g_assert_cmpint(machine_page_location(m, 1, BASE + v), ==, PAGE_LOC_ZSWAP);

    ReclaimCtx rc = {.kswapd = true, .cpu = 0};
    zswap_shrink_slab(z, 0, 0, &rc);
    zswap_shrink_slab(z, 0, 0, &rc);
    g_assert_cmpuint(zswap_counter(z, ZSWAP_WRITTEN_BACK_PAGES), ==, 0);
    g_assert_cmpint(rc.cost_ns, ==, 0);
    zswap_shrink_slab(z, 0, 0, &rc);
    uint64_t wb = n2 / 2;
    g_assert_cmpuint(zswap_counter(z, ZSWAP_WRITTEN_BACK_PAGES), ==, wb);
    g_assert_cmpuint(machine_vm_total(m, VM_ZSWPWB), ==, wb);
    g_assert_cmpint(rc.cost_ns, ==,
                    (int64_t)wb * (p.costs.decompress_ns[COMPRESSOR_LZO] + p.costs.swap_submit_ns));
    for (uint64_t v = 0; v < n2; v++)
        g_assert_cmpint(machine_page_location(m, 1, BASE + v), ==,
                        v < wb ? PAGE_LOC_SWAP : PAGE_LOC_ZSWAP);
    g_assert_cmpuint(zswap_stored_pages(z), ==, n2 - wb);
    g_assert_cmpuint(zswap_pool_pages(z), ==, pages - wb / 4);
    fixture_check(m);

    fixture_touch(m, 1, BASE, ACCESS_READ);
    g_assert_cmpuint(machine_vm_total(m, VM_PSWPIN), ==, 1);
    uint64_t pool = zswap_pool_pages(z), stored = zswap_stored_pages(z);
    uint64_t scan = 2 * ((stored - 1) * pool / stored);
    zswap_shrink_slab(z, 0, 0, &rc);
    g_assert_cmpuint(zswap_counter(z, ZSWAP_WRITTEN_BACK_PAGES), ==, wb + scan);
    for (uint64_t v = wb; v < n2; v++)
        g_assert_cmpint(machine_page_location(m, 1, BASE + v), ==,
                        v < wb + scan ? PAGE_LOC_SWAP : PAGE_LOC_ZSWAP);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/*
 * do_shrink_slab scans in batches of SHRINK_BATCH (128) while at least a
 * batch, or everything freeable, is left of its target. One node of 1024
 * pages, min 32, the shrinker on: reclaim stores n pages, and the
 * n % 4 newest are read back, leaving n' = 4 P' entries in P' full
 * zspages with 64 <= P' < 128. The count is P', the target at priority 0 is
 * 2 P' (between 128 and 255): one batch of 128 is scanned and the rest
 * (less than a batch and less than P') is left. So each call looks at 128
 * entries: the first n' / 128 calls only clear referenced bits (oldest
 * first), and the next one clears the rest and writes back the
 * 128 (n' / 128 + 1) - n' oldest entries.
 */
static void test_shrinker_batches(void)
{
    MachineParams p;
    fixture_params(&p, 1, 1024, 0);
    fixture_zswap(&p, "task", 1000);
    p.kernel.zswap.shrinker_enabled = TRUE;
    SimEngine *eng = sim_engine_new();
    Machine *m = fixture_machine(&p, eng);
    Zswap *z = machine_zswap(m);

    uint64_t v = 0;
    while (machine_vm_total(m, VM_ZSWPOUT) < 300)
        fixture_touch(m, 1, BASE + v++, ACCESS_WRITE);
    uint64_t n = machine_vm_total(m, VM_ZSWPOUT);
    g_assert_cmpuint(n, ==, machine_vm_total(m, VM_PGSTEAL_DIRECT));
    g_assert_cmpuint(zswap_counter(z, ZSWAP_WRITTEN_BACK_PAGES), ==, 0);
    for (uint64_t i = n - n % 4; i < n; i++)
        fixture_touch(m, 1, BASE + i, ACCESS_READ);
    n -= n % 4;
    g_assert_cmpuint(zswap_pool_pages(z), ==, n / 4);
    g_assert_cmpuint(n / 4, >=, 64);
    g_assert_cmpuint(n / 4, <, 128);

    ReclaimCtx rc = {.kswapd = true, .cpu = 0};
    for (uint64_t k = 0; k < n / 128; k++) {
        zswap_shrink_slab(z, 0, 0, &rc);
        g_assert_cmpuint(zswap_counter(z, ZSWAP_WRITTEN_BACK_PAGES), ==, 0);
    }
    zswap_shrink_slab(z, 0, 0, &rc);
    uint64_t wb = 128 * (n / 128 + 1) - n;
    g_assert_cmpuint(zswap_counter(z, ZSWAP_WRITTEN_BACK_PAGES), ==, wb);
    for (uint64_t i = 0; i < n; i++)
        g_assert_cmpint(machine_page_location(m, 1, BASE + i), ==,
                        i < wb ? PAGE_LOC_SWAP : PAGE_LOC_ZSWAP);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* ---- exclusive load -------------------------------------------------------------------- */

/*
 * Node 0 (CPU 0) and node 1 (CPU 1), 256 pages each, watermarks 0. Task 1
 * has the default policy; pages B (20) are touched from CPU 0 (node 0),
 * then REGION, bound to node 0, until direct reclaim: B is stored first,
 * B[0..3] in one zspage. A load frees the entry (stored_pages and the pool
 * drop, the swap slot is released) and allocates the page as a first touch
 * would: B has no region, so the task's default policy on the faulting
 * CPU decides (CPU 1: node 1; CPU 0: node 0); a REGION page follows the
 * region's bind policy (node 0) even when faulted from CPU 1. The fault
 * costs the fault entry, the decompression and the access, no swap I/O.
 */
static void test_exclusive_load(void)
{
    MachineParams p;
    fixture_params(&p, 2, 256, 1);
    p.kernel.min_free_kbytes = 0;
    fixture_zswap(&p, "task", 1000);
    SimEngine *eng = sim_engine_new();
    Machine *m = fixture_machine(&p, eng);
    Zswap *z = machine_zswap(m);
    Mempolicy bind0 = {MPOL_MODE_BIND, 1u << 0};
    machine_mbind(m, 1, REGION, 4096, &bind0);
    fixture_touch_range(m, 1, BASE, 20);
    uint64_t next = 0;
    uint64_t n = reclaim_at_least(m, &next, 24);
    g_assert_cmpuint(zswap_stored_pages(z), ==, n);
    for (uint64_t v = 0; v < 20; v++)
        g_assert_cmpint(machine_page_location(m, 1, BASE + v), ==, PAGE_LOC_ZSWAP);
    g_assert_cmpint(machine_page_location(m, 1, REGION), ==, PAGE_LOC_ZSWAP);
    g_assert_cmpuint(machine_node_free_pages(m, 0), >, 4);
    uint64_t pool = zswap_pool_pages(z), used = machine_swap_used_pages(m);
    int64_t load_ns = p.costs.fault_ns + p.costs.decompress_ns[COMPRESSOR_LZO] + 100;

    g_assert_cmpint(touch_on(m, 1, BASE, 1), ==, load_ns);
    g_assert_cmpint(machine_page_location(m, 1, BASE), ==, 1);
    g_assert_cmpint(touch_on(m, 1, BASE + 1, 0), ==, load_ns);
    g_assert_cmpint(machine_page_location(m, 1, BASE + 1), ==, 0);
    g_assert_cmpint(touch_on(m, 1, REGION, 1), ==, load_ns);
    g_assert_cmpint(machine_page_location(m, 1, REGION), ==, 0);
    g_assert_cmpuint(machine_vm_total(m, VM_ZSWPIN), ==, 3);
    g_assert_cmpuint(machine_node_vm(m, 1, VM_ZSWPIN), ==, 1);
    g_assert_cmpuint(machine_vm_total(m, VM_PGMAJFAULT), ==, 3);
    g_assert_cmpuint(zswap_stored_pages(z), ==, n - 3);
    g_assert_cmpuint(zs_pool_n_objects(zswap_pool(z)), ==, n - 3);
    g_assert_cmpuint(machine_swap_used_pages(m), ==, used - 3);
    g_assert_cmpuint(zswap_pool_pages(z), ==, pool);
    /* the fourth object of zspage 1 goes: the zspage is freed */
    touch_on(m, 1, BASE + 2, 1);
    g_assert_cmpuint(zswap_pool_pages(z), ==, pool);
    touch_on(m, 1, BASE + 3, 1);
    g_assert_cmpuint(zswap_pool_pages(z), ==, pool - 1);
    /* no copy is left behind: a second access is a plain hit */
    g_assert_cmpint(touch_on(m, 1, BASE, 1), ==, 100);
    g_assert_cmpuint(machine_vm_total(m, VM_ZSWPIN), ==, 5);
    g_assert_cmpuint(machine_vm_total(m, VM_PSWPIN), ==, 0);
    fixture_check(m);
    fixture_settle(eng);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* ---- incompressible pages ------------------------------------------------------------- */

/*
 * Node 0 (DRAM, CPUs) and node 1 (CXL), 512 pages, min_free_kbytes 256:
 * min 32, low 40 on both. Task 1 on CPU 0, default policy, REGION bound to
 * node 0: 480 touches take node 0 to min, the 481st reclaims it directly.
 * Every page "compresses" to 4096 bytes (or more, clamped to the page).
 *   store (v6.18): kept raw in a one-page, one-object huge zspage per page.
 *     The reclaim is the one of test_placement's direct_reclaim_remote: a
 *     batch of 28, then one of 32. During batch 1 node 0 stays at 32, below
 *     low: the 28 raw pages come from node 1 (the default policy on CPU 0
 *     walks node 0's zonelist). Batch 1 freed, node 0 has 60: stores 29-48
 *     take node 0's pages down to 40 (low), stores 49-59 fall back to node 1;
 *     the 31st store of the batch (59) frees 31, and store 60 takes node 0's
 *     page (71 down to 70). Raw storage saves nothing: node 0 ends with 71
 *     free after 60 pages reclaimed, 21 of them replaced by raw copies.
 *     A raw load costs no decompression.
 *   reject (older kernels): reject_compress_poor, and the page goes to the
 *     swap device.
 */
static void test_incompressible(gconstpointer data)
{
    gboolean reject = GPOINTER_TO_INT(data);
    for (int round = 0; round < 2; round++) {
        MachineParams p;
        fixture_params(&p, 2, 512, 0);
        p.kernel.min_free_kbytes = 256;
        fixture_zswap(&p, "task", round ? 5000 : 4096);
        if (reject)
            p.kernel.zswap.incompressible = ZSWAP_INCOMPRESSIBLE_REJECT;
        SimEngine *eng = sim_engine_new();
        Machine *m = fixture_machine(&p, eng);
        Zswap *z = machine_zswap(m);
        Mempolicy bind0 = {MPOL_MODE_BIND, 1u << 0};
        machine_mbind(m, 1, REGION, 4096, &bind0);
        fixture_touch_range(m, 1, REGION, 480);
        g_assert_cmpuint(machine_node_free_pages(m, 0), ==, 32);
        fixture_touch(m, 1, REGION + 480, ACCESS_WRITE);
        uint64_t n = machine_vm_total(m, VM_PGSTEAL_DIRECT);
        g_assert_cmpuint(n, ==, 60);
        if (reject) {
            g_assert_cmpuint(zswap_counter(z, ZSWAP_REJECT_COMPRESS_POOR), ==, n);
            g_assert_cmpuint(machine_vm_total(m, VM_PSWPOUT), ==, n);
            g_assert_cmpuint(machine_vm_total(m, VM_ZSWPOUT), ==, 0);
            g_assert_cmpuint(zswap_pool_pages(z), ==, 0);
            g_assert_cmpint(machine_page_location(m, 1, REGION), ==, PAGE_LOC_SWAP);
        } else {
            const ZsClassInfo *c = zs_obj_class(zswap_pool(z), 1);
            g_assert_true(c->huge);
            g_assert_cmpuint(c->size, ==, 4096);
            g_assert_cmpuint(zswap_counter(z, ZSWAP_REJECT_COMPRESS_POOR), ==, 0);
            g_assert_cmpuint(machine_vm_total(m, VM_ZSWPOUT), ==, n);
            g_assert_cmpuint(machine_vm_total(m, VM_PSWPOUT), ==, 0);
            g_assert_cmpuint(zswap_stored_pages(z), ==, n);
            g_assert_cmpuint(zswap_stored_incompressible_pages(z), ==, n);
            g_assert_cmpuint(zs_pool_compressed_bytes(zswap_pool(z)), ==, n * 4096);
            char *a = fixture_repeat("", "1", 28);
            char *b = fixture_repeat(a, "0", 20);
            char *want = fixture_repeat(b, "1", 11);
            g_free(a);
            g_free(b);
            a = want;
            want = fixture_repeat(a, "0", 1);
            g_free(a);
            char *got = fixture_zspage_nodes(zswap_pool(z));
            g_assert_cmpstr(got, ==, want);
            g_free(got);
            g_free(want);
            g_assert_cmpuint(machine_node_zspages(m, 1), ==, 39);
            g_assert_cmpuint(machine_node_zspages(m, 0), ==, 21);
            g_assert_cmpuint(machine_node_free_pages(m, 0), ==, 71 - 1);
            /* a raw load: fault, no decompression, the access */
            g_assert_cmpint(fixture_touch(m, 1, REGION, ACCESS_READ), ==, p.costs.fault_ns + 100);
            g_assert_cmpuint(zswap_stored_incompressible_pages(z), ==, n - 1);
        }
        fixture_check(m);
        machine_free(m);
        machine_params_clear(&p);
        sim_engine_free(eng);
    }
}

/* ---- zero pages ---------------------------------------------------------------------- */

/*
 * Every page same-filled (zero_fraction 1): reclaim marks the swap slot
 * zero and never calls zswap (swpout_zero; no zswpout, no pswpout, no pool
 * page); the swap-in reads nothing (swpin_zero, only the fault is paid).
 * With zero_fraction 0.5 the two paths add up to the pages reclaimed.
 * One node of 256 pages, min 32: the 225th touch reclaims directly.
 */
static void test_zero_pages(void)
{
    for (int half = 0; half < 2; half++) {
        MachineParams p;
        fixture_params(&p, 1, 256, 0);
        fixture_zswap(&p, "origin", 1000);
        p.compress.zero_fraction = half ? 0.5 : 1.0;
        SimEngine *eng = sim_engine_new();
        Machine *m = fixture_machine(&p, eng);
        Zswap *z = machine_zswap(m);
        fixture_touch_range(m, 1, BASE, 225);
        uint64_t n = machine_vm_total(m, VM_PGSTEAL_DIRECT);
        g_assert_cmpuint(n, >=, 32);
        uint64_t zero = machine_vm_total(m, VM_SWPOUT_ZERO);
        g_assert_cmpuint(zero + machine_vm_total(m, VM_ZSWPOUT), ==, n);
        g_assert_cmpuint(machine_vm_total(m, VM_PSWPOUT), ==, 0);
        g_assert_cmpuint(machine_swap_used_pages(m), ==, n);
        g_assert_cmpuint(zswap_stored_pages(z), ==, n - zero);
        if (!half) {
            g_assert_cmpuint(zero, ==, n);
            g_assert_cmpuint(zswap_pool_pages(z), ==, 0);
            g_assert_cmpint(fixture_touch(m, 1, BASE, ACCESS_READ), ==, p.costs.fault_ns + 100);
            g_assert_cmpuint(machine_vm_total(m, VM_SWPIN_ZERO), ==, 1);
            g_assert_cmpuint(machine_vm_total(m, VM_PSWPIN), ==, 0);
            g_assert_cmpuint(machine_vm_total(m, VM_ZSWPIN), ==, 0);
        } else {
            g_assert_cmpuint(zero, >, 0);
            g_assert_cmpuint(zero, <, n);
        }
        fixture_check(m);
        machine_free(m);
        machine_params_clear(&p);
        sim_engine_free(eng);
    }
}

/* ---- conservation under random workloads ------------------------------------------------ */

/*
 * The placement machine of test_placement (nodes 0 and 2 DRAM with CPUs,
 * node 1 CXL) with three tasks of different mempolicies, a small pool limit
 * so that the limit, the worker and the shrinker all run, a size
 * distribution with incompressible and zero pages, and machine_check (all
 * models: LRUs, node page counts, swap slots, zswap LRUs and entries,
 * zsmalloc's pool) after every engine event. At the end every page stored
 * is accounted for: zswpout = zswpin + zswpwb + stored_pages.
 */
static void test_conservation_random(gconstpointer data)
{
    const char *policy = data;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        MachineParams p;
        fixture_params(&p, 3, 384, 0);
        fixture_node_cpus(&p, 2, 2, 2);
        p.kernel.min_free_kbytes = 256;
        fixture_zswap(&p, policy, 1000);
        p.kernel.zswap.shrinker_enabled = TRUE;
        p.kernel.zswap.max_pool_percent = 10;
        p.strict_fallback = seed == 2;
        p.seed = seed;
        p.compress.model = COMPRESS_DISTRIBUTION;
        CompressBucket b[4] = {{300, 1}, {1000, 2}, {2500, 1}, {4096, 0.5}};
        p.compress.n_buckets = 4;
        p.compress.buckets = g_memdup2(b, sizeof(b));
        p.compress.zero_fraction = 0.1;
        Mempolicy pols[3] = {{MPOL_MODE_DEFAULT, 0},
                             {MPOL_MODE_INTERLEAVE, (1u << 0) | (1u << 1) | (1u << 2)},
                             {MPOL_MODE_BIND, 1u << 1}};
        int cpus[3] = {0, 2, 3};
        fixture_tasks(&p, 3, cpus, pols);
        SimEngine *eng = sim_engine_new();
        Machine *m = fixture_machine(&p, eng);
        Zswap *z = machine_zswap(m);

        GenPhase ph[4] = {
            {1, "a", GEN_ZIPF, 500 * 4096, 0, 4000, 0.5, 0, 0.9, 0.2, 0.8},
            {2, "b", GEN_UNIFORM, 500 * 4096, 0, 4000, 0.3, 0, 0.99, 0.2, 0.8},
            {3, "c", GEN_HOTCOLD, 400 * 4096, 0, 4000, 0.7, 1e6, 0.99, 0.1, 0.9},
            {1, "a", GEN_UNIFORM, 500 * 4096, 0, 4000, 0.2, 0, 0.99, 0.2, 0.8},
        };
        GenSpec spec = {4, ph};
        TraceSource *src = gen_source_new(&spec, 4096, seed);
        FixtureReplay r;
        fixture_replay(eng, m, src, &r);
        g_assert_false(machine_oom(m));
        g_assert_cmpuint(r.checks, >, 4000 * 4);
        g_assert_cmpuint(machine_latency_count(m), ==, 4000 * 4);

        uint64_t out = machine_vm_total(m, VM_ZSWPOUT), in = machine_vm_total(m, VM_ZSWPIN);
        uint64_t wb = machine_vm_total(m, VM_ZSWPWB);
        g_test_message("%s seed %" G_GUINT64_FORMAT ": zswpout %" G_GUINT64_FORMAT
                       " zswpin %" G_GUINT64_FORMAT " zswpwb %" G_GUINT64_FORMAT
                       " pool_limit_hit %" G_GUINT64_FORMAT " pswpout %" G_GUINT64_FORMAT,
                       policy, seed, out, in, wb, zswap_counter(z, ZSWAP_POOL_LIMIT_HIT),
                       machine_vm_total(m, VM_PSWPOUT));
        g_assert_cmpuint(out, >, 0);
        g_assert_cmpuint(in, >, 0);
        g_assert_cmpuint(out, ==, in + wb + zswap_stored_pages(z));
        g_assert_cmpuint(wb, ==, zswap_counter(z, ZSWAP_WRITTEN_BACK_PAGES));
        g_assert_cmpuint(zswap_counter(z, ZSWAP_POOL_LIMIT_HIT), >, 0);
        g_assert_cmpuint(machine_vm_total(m, VM_SWPOUT_ZERO), >, 0);
        uint64_t zs = 0;
        for (int n = 0; n < 3; n++)
            zs += machine_node_zspages(m, n);
        g_assert_cmpuint(zs, ==, zswap_pool_pages(z));
        g_assert_cmpuint(zswap_stored_incompressible_pages(z), <=, zswap_stored_pages(z));
        uint64_t allocs =
            machine_vm_total(m, VM_PGALLOC_NORMAL) + machine_vm_total(m, VM_PGALLOC_MOVABLE);
        uint64_t used = 0;
        for (int n = 0; n < 3; n++)
            used += machine_node_capacity_pages(m, n) - machine_node_free_pages(m, n);
        g_assert_cmpuint(allocs - machine_vm_total(m, VM_PGFREE), ==, used);
        if (!strcmp(policy, "strict") && seed != 2)
            for (int d = 0; d < 3; d++)
                for (int o = 0; o < 3; o++)
                    if (d != o)
                        g_assert_cmpuint(zswap_bytes(z, d, o), ==, 0);
        fixture_check(m);
        trace_source_free(src);
        machine_free(m);
        machine_params_clear(&p);
        sim_engine_free(eng);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/zswap/limit/hysteresis", test_limit_hysteresis);
    g_test_add_func("/zswap/writeback/worker-second-chance-oldest-first",
                    test_worker_writeback_order);
    g_test_add_func("/zswap/writeback/shrinker-second-chance-oldest-first",
                    test_shrinker_second_chance);
    g_test_add_func("/zswap/writeback/shrinker-batches-of-128", test_shrinker_batches);
    g_test_add_func("/zswap/load/exclusive-by-mempolicy", test_exclusive_load);
    g_test_add_data_func("/zswap/incompressible/stored-raw", GINT_TO_POINTER(0),
                         test_incompressible);
    g_test_add_data_func("/zswap/incompressible/rejected", GINT_TO_POINTER(1), test_incompressible);
    g_test_add_func("/zswap/zero-pages/never-reach-zswap", test_zero_pages);
    for (int i = 0; i < 4; i++) {
        char *path = g_strdup_printf("/zswap/conservation/random/%s", POLICIES[i]);
        g_test_add_data_func(path, POLICIES[i], test_conservation_random);
        g_free(path);
    }
    return g_test_run();
}
