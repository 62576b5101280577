/* Tests of the placement policies (task, local, origin, strict) on small
 * machines where the node of every zspage page is worked out by hand.
 *
 * Every test asserts the whole zspage layout as a string (see
 * fixture_zspage_nodes): one group of digits per zspage, in the order the
 * zspages were made, one digit per page giving its node. The layout follows
 * from the watermarks, the zonelists, the size class and one fact of reclaim:
 * a reclaimed page is freed only after its store, with the rest of its batch
 * (shrink_folio_list's folio_batch of 31, or the end of the chunk of at most
 * 32 pages scanned), so the stores of a batch see the node as it was before
 * the batch. How many pages a batch stores comes from the LRU: worked out in
 * the comments for direct reclaim of freshly touched pages, read from the
 * counters after each kswapd event otherwise. */
#include <glib.h>

#include "machine_fixture.h"
#include "models/pagetable.h"
#include "models/placement.h"
#include <string.h>

#define BASE (1ULL << 20)

static const char *const POLICIES[] = {"task", "local", "origin", "strict"};

/*
 * The placement machine, three nodes of 512 pages, all ZONE_NORMAL, SLIT 10
 * local and 20 remote:
 *   node 0  DRAM, CPUs 0-1
 *   node 1  CXL, no CPU
 *   node 2  DRAM, CPUs 2-3
 * min_free_kbytes 384: pages_min 96, a third per node, so every node has
 * min 32, low 32 + max(32 / 4, 512 * 10 / 10000) = 40, high 48.
 * Zonelists (distance, then +1 for a lower id, +1 for a node with CPUs):
 *   0: 0 1 2   (1 scores 20, 2 scores 21)
 *   1: 1 2 0   (2 scores 21, 0 scores 22)
 *   2: 2 1 0   (1 scores 21, 0 scores 22)
 * kswapd of node 1 runs on CPU 0: nodes 0 and 2 tie at distance 20 and the
 * first one is taken. Tiers: nodes 0 and 2 DRAM (4), node 1 CXL (22).
 */
static void placement_params(MachineParams *p, const char *policy, uint32_t bytes)
{
    fixture_params(p, 3, 512, 0);
    fixture_node_cpus(p, 2, 2, 2);
    p->kernel.min_free_kbytes = 384;
    fixture_zswap(p, policy, bytes);
}

static void assert_placement_machine(Machine *m)
{
    for (int n = 0; n < 3; n++) {
        const Watermarks *wm = machine_node_wmarks(m, n);
        g_assert_cmpuint(wm->min, ==, 32);
        g_assert_cmpuint(wm->low, ==, 40);
        g_assert_cmpuint(wm->high, ==, 48);
    }
    int zl[TS_MAX_NODES];
    machine_zonelist(m, 0, zl);
    g_assert_cmpint(zl[1], ==, 1);
    g_assert_cmpint(zl[2], ==, 2);
    machine_zonelist(m, 1, zl);
    g_assert_cmpint(zl[1], ==, 2);
    g_assert_cmpint(zl[2], ==, 0);
    machine_zonelist(m, 2, zl);
    g_assert_cmpint(zl[1], ==, 1);
    g_assert_cmpint(zl[2], ==, 0);
    g_assert_cmpint(machine_kswapd_cpu_node(m, 1), ==, 0);
    Zswap *z = machine_zswap(m);
    g_assert_cmpint(zswap_node_tier(z, 0), ==, 4);
    g_assert_cmpint(zswap_node_tier(z, 1), ==, 22);
    g_assert_cmpint(zswap_node_tier(z, 2), ==, 4);
    g_assert_cmpstr(zswap_policy_name(z), ==, machine_params(m)->placement);
}

/* The class a fixed compressed size lands in, from the geometry. */
static const ZsClassInfo *class_of(Machine *m, uint32_t bytes)
{
    const ZsClassInfo *c =
        zs_geometry_class_for_len(zs_pool_geometry(zswap_pool(machine_zswap(m))), bytes);
    g_assert_nonnull(c);
    return c;
}

static uint64_t div_up(uint64_t a, uint64_t b)
{
    return (a + b - 1) / b;
}

static void assert_layout(Machine *m, const char *expected)
{
    char *got = fixture_zspage_nodes(zswap_pool(machine_zswap(m)));
    g_test_message("zspages: %s", got);
    g_assert_cmpstr(got, ==, expected);
    g_free(got);
}

/* Per-node zsmalloc pages of the machine and of the pool agree with the
 * layout's digit counts. */
static void assert_node_pages(Machine *m, const char *layout)
{
    uint64_t count[10] = {0};
    for (const char *c = layout; *c; c++)
        if (*c != ' ')
            count[*c - '0']++;
    for (int n = 0; n < machine_n_nodes(m); n++) {
        g_assert_cmpuint(machine_node_zspages(m, n), ==, count[n]);
        g_assert_cmpuint(zs_pool_node_pages(zswap_pool(machine_zswap(m)), n), ==, count[n]);
    }
}

/* ---- (a) kswapd of a CPU-less node ---------------------------------------------- */

/* The pages kswapd of node nid reclaimed in each of its events (one event is
 * one chunk of at most 32 pages scanned), with machine_check after each. */
typedef struct BatchLog {
    Machine *m;
    int nid;
    uint64_t last;
    int n;
    uint64_t batch[256];
} BatchLog;

static void batch_log_check(SimEngine *eng, void *ctx)
{
    BatchLog *b = ctx;
    fixture_check(b->m);
    uint64_t now = machine_node_vm(b->m, b->nid, VM_PGSTEAL_KSWAPD);
    if (now > b->last) {
        g_assert_cmpint(b->n, <, (int)G_N_ELEMENTS(b->batch));
        g_assert_cmpuint(now - b->last, <=, 32);
        b->batch[b->n++] = now - b->last;
        b->last = now;
    }
}

/*
 * Task 1 on CPU 0, bound to node 1, touches 473 pages: after 472 node 1 is
 * at low (40), the 473rd allocation fails the fast path, wakes kswapd of
 * node 1 and takes a page at min (free 39). kswapd then runs on CPU 0 and
 * reclaims node 1 into zswap until node 1 is above high. Every page
 * compresses to 1000 bytes: class 1024, one page, four objects, so a zspage
 * is made at stores 1, 5, 9, ...
 *   task, local: kswapd's context is CPU 0 with the default policy: every
 *     zspage page from node 0 (far above low): the inversion of CXL data
 *     compressed into DRAM.
 *   origin: the stores of kswapd's first reclaiming batch (b1 pages) find
 *     node 1 at 39, not above low, and fall back along node 1's zonelist to
 *     node 2 (not node 0, where kswapd runs): ceil(b1 / 4) zspages on node 2.
 *     Once that batch is freed node 1 has 39 + b1 > 40 and every later
 *     zspage is on node 1, but the first stores of the next batch still fill
 *     the free slots of the last node-2 zspage (node-blind slot reuse),
 *     although node 1 could give a page by then.
 *   strict: the first zspage takes node 1's page at min (39 > 32): all on
 *     node 1.
 */
static void test_kswapd_cpuless(gconstpointer data)
{
    const char *policy = data;
    MachineParams p;
    placement_params(&p, policy, 1000);
    Mempolicy bind1 = {MPOL_MODE_BIND, 1u << 1};
    int cpu0 = 0;
    fixture_tasks(&p, 1, &cpu0, &bind1);
    SimEngine *eng = sim_engine_new();
    Machine *m = fixture_machine(&p, eng);
    Zswap *z = machine_zswap(m);
    assert_placement_machine(m);
    const ZsClassInfo *c = class_of(m, 1000);
    g_assert_cmpuint(c->size, ==, 1024);
    g_assert_cmpint(c->pages_per_zspage, ==, 1);
    g_assert_cmpint(c->objs_per_zspage, ==, 4);

    fixture_touch_range(m, 1, BASE, 472);
    g_assert_cmpuint(machine_node_free_pages(m, 1), ==, 40);
    g_assert_false(machine_kswapd_running(m, 1));
    fixture_touch(m, 1, BASE + 472, ACCESS_WRITE);
    g_assert_cmpuint(machine_node_free_pages(m, 1), ==, 39);
    g_assert_true(machine_kswapd_running(m, 1));
    BatchLog log = {.m = m, .nid = 1};
    sim_set_check(eng, 1, batch_log_check, &log);
    fixture_settle(eng);
    sim_set_check(eng, 0, NULL, NULL);

    uint64_t n = machine_node_vm(m, 1, VM_ZSWPOUT);
    g_assert_cmpuint(n, ==, machine_node_vm(m, 1, VM_PGSTEAL_KSWAPD));
    g_assert_cmpuint(n, ==, log.last);
    g_assert_cmpuint(machine_vm_total(m, VM_PGSTEAL_DIRECT), ==, 0);
    g_assert_cmpuint(zswap_stored_pages(z), ==, n);
    g_assert_true(machine_node_free_pages(m, 1) > 48);
    g_assert_cmpint(log.n, >=, 2);
    int zspages = (int)div_up(n, 4);

    char *want;
    ZswapInversion inv, rev;
    zswap_inversion(z, false, &inv);
    zswap_inversion(z, true, &rev);
    g_assert_cmpuint(rev.bytes_now, ==, 0);
    if (!strcmp(policy, "task") || !strcmp(policy, "local")) {
        want = fixture_repeat("", "0", zspages);
        g_assert_cmpuint(zswap_bytes(z, 0, 1), ==, n * 1000);
        g_assert_cmpuint(zswap_alloc_pages(z, 0, 1), ==, (uint64_t)zspages);
        g_assert_cmpuint(machine_node_ts(m, 0, TS_ZS_PAGES_ALLOCATED_CROSS), ==, (uint64_t)zspages);
        g_assert_cmpuint(inv.events, ==, n);
        g_assert_cmpuint(inv.bytes_now, ==, n * 1000);
    } else if (!strcmp(policy, "origin")) {
        uint64_t b1 = log.batch[0];
        int on2 = (int)div_up(b1, 4);
        /* objects placed on node 2 after the first batch was freed */
        g_assert_cmpuint(4 * (uint64_t)on2 - b1, >, 0);
        g_assert_cmpuint(n, >=, 4 * (uint64_t)on2);
        char *first = fixture_repeat("", "2", on2);
        want = fixture_repeat(first, "1", zspages - on2);
        g_free(first);
        g_assert_cmpuint(zswap_bytes(z, 2, 1), ==, 4000 * (uint64_t)on2);
        g_assert_cmpuint(zswap_bytes(z, 1, 1), ==, (n - 4 * (uint64_t)on2) * 1000);
        g_assert_cmpuint(zswap_alloc_pages(z, 2, 1), ==, (uint64_t)on2);
        /* the fallback pages: preferred node 1, taken on node 2 */
        g_assert_cmpuint(machine_node_vm(m, 2, VM_NUMA_MISS), ==, (uint64_t)on2);
        g_assert_cmpuint(machine_node_vm(m, 1, VM_NUMA_FOREIGN), ==, (uint64_t)on2);
        g_assert_cmpuint(inv.events, ==, 4 * (uint64_t)on2);
        g_assert_cmpuint(inv.bytes_now, ==, 4000 * (uint64_t)on2);
    } else {
        want = fixture_repeat("", "1", zspages);
        g_assert_cmpuint(zswap_bytes(z, 1, 1), ==, n * 1000);
        g_assert_cmpuint(inv.events, ==, 0);
        g_assert_cmpuint(zswap_strict_rejects(z), ==, 0);
        g_assert_cmpuint(zswap_strict_fallbacks(z), ==, 0);
    }
    assert_layout(m, want);
    assert_node_pages(m, want);
    /* node 0's kswapd was never needed */
    g_assert_cmpuint(machine_node_ts(m, 0, TS_KSWAPD_WAKEUPS), ==, 0);
    g_free(want);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* ---- (b) a direct reclaimer with a mempolicy ---------------------------------------- */

/*
 * Task 1 runs on CPU 2 (node 2) with its own task policy; its region is
 * mbind'ed to node 0. Touching 480 pages takes node 0 to min (32; kswapd of
 * node 0 is woken at the 473rd but its events are not run); the 481st fault
 * finds no page above min on node 0 and reclaims node 0 directly. The stores
 * of that reclaim are placed by the reclaimer's context: the task's own
 * policy (not the region's) under `task`, the CPU's node under `local`.
 *
 * The 480 pages are all referenced. Priorities 12 to 1 scan (480 >> prio)
 * pages each, 1 + 3 + 7 + 15 + 30 + 60 + 120 + 240 = 476 of them, oldest
 * first, and activate them (the active list is aged back into the inactive
 * list, unreferenced, in the same order). At priority 0 the first chunk of
 * 32 activates the last 4 referenced pages and reclaims 28 (batch 1); the
 * second reclaims 32 (31, freed, then 1): N = 60, in touch order, and the
 * 28 pages of batch 1 are freed only after their 28 stores.
 */
static uint64_t direct_reclaim_remote(Machine *m)
{
    Mempolicy bind0 = {MPOL_MODE_BIND, 1u << 0};
    machine_mbind(m, 1, BASE, 4096, &bind0);
    fixture_touch_range(m, 1, BASE, 480);
    g_assert_cmpuint(machine_node_free_pages(m, 0), ==, 32);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGSTEAL_DIRECT), ==, 0);
    fixture_touch(m, 1, BASE + 480, ACCESS_WRITE);
    g_assert_cmpint(machine_page_location(m, 1, BASE + 480), ==, 0);
    uint64_t n = machine_node_vm(m, 0, VM_PGSTEAL_DIRECT);
    g_assert_cmpuint(n, ==, 60);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_PGACTIVATE), ==, 480);
    g_assert_cmpuint(machine_node_vm(m, 0, VM_ZSWPOUT), ==, n);
    g_assert_cmpuint(machine_vm_total(m, VM_PGSTEAL_KSWAPD), ==, 0);
    return n;
}

/*
 * Task policy preferred node 1, 1000-byte pages (four per one-page zspage,
 * 15 zspages for the 60 stores):
 *   task: node 1's zonelist, node 1 far above low: all on node 1 (CXL: the
 *     DRAM data of node 0 lands on the slow tier, the reverse inversion).
 *   local: CPU 2's node, mempolicy ignored: all on node 2 (the reclaimer
 *     pulls the remote node's data to its own node).
 *   origin: during batch 1 node 0 stays at 32, below low: its 7 zspages
 *     (stores 1, 5, ..., 25) fall back along node 0's zonelist to node 1.
 *     Batch 1 freed, node 0 has 60: the 8 zspages of batch 2 are on node 0.
 *   strict: node 0 only, from its reserve below min (32 down to 25 during
 *     batch 1): all on node 0.
 */
static void test_direct_preferred(gconstpointer data)
{
    const char *policy = data;
    MachineParams p;
    placement_params(&p, policy, 1000);
    Mempolicy pref1 = {MPOL_MODE_PREFERRED, 1u << 1};
    int cpu2 = 2;
    fixture_tasks(&p, 1, &cpu2, &pref1);
    SimEngine *eng = sim_engine_new();
    Machine *m = fixture_machine(&p, eng);
    Zswap *z = machine_zswap(m);
    assert_placement_machine(m);
    uint64_t n = direct_reclaim_remote(m);
    int zspages = (int)div_up(n, 4);
    char *want;
    if (!strcmp(policy, "task"))
        want = fixture_repeat("", "1", zspages);
    else if (!strcmp(policy, "local"))
        want = fixture_repeat("", "2", zspages);
    else if (!strcmp(policy, "origin"))
        want = fixture_repeat("1 1 1 1 1 1 1", "0", zspages - 7);
    else
        want = fixture_repeat("", "0", zspages);
    assert_layout(m, want);
    assert_node_pages(m, want);
    ZswapInversion rev;
    zswap_inversion(z, true, &rev);
    uint64_t on1 = zswap_bytes(z, 1, 0);
    g_assert_cmpuint(rev.bytes_now, ==, on1);
    if (!strcmp(policy, "task"))
        g_assert_cmpuint(on1, ==, n * 1000);
    else if (!strcmp(policy, "origin"))
        g_assert_cmpuint(on1, ==, 28000);
    else
        g_assert_cmpuint(on1, ==, 0);
    g_free(want);
    fixture_check(m);
    fixture_settle(eng);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/*
 * Task policy interleave {1, 2} under `task`: alloc_page() with an
 * interleave policy and no VMA takes the next node after the task's
 * il_prev for every page it allocates (interleave_nodes), so one-page
 * zspages alternate 1, 2, 1, 2, ... (stores that reuse a slot allocate no
 * page and do not move the cursor). Both nodes are far above low.
 */
static void test_direct_interleave(void)
{
    MachineParams p;
    placement_params(&p, "task", 1000);
    Mempolicy il = {MPOL_MODE_INTERLEAVE, (1u << 1) | (1u << 2)};
    int cpu2 = 2;
    fixture_tasks(&p, 1, &cpu2, &il);
    SimEngine *eng = sim_engine_new();
    Machine *m = fixture_machine(&p, eng);
    uint64_t n = direct_reclaim_remote(m);
    int zspages = (int)div_up(n, 4);
    GString *want = g_string_new(NULL);
    for (int i = 0; i < zspages; i++)
        g_string_append(want, i == 0 ? "1" : i % 2 ? " 2" : " 1");
    assert_layout(m, want->str);
    assert_node_pages(m, want->str);
    g_string_free(want, TRUE);

    /* Three-page zspages: the cursor moves per page, across zspages. */
    machine_free(m);
    machine_params_clear(&p);
    placement_params(&p, "task", 1500);
    fixture_tasks(&p, 1, &cpu2, &il);
    m = fixture_machine(&p, eng);
    const ZsClassInfo *c = class_of(m, 1500);
    g_assert_cmpint(c->pages_per_zspage, ==, 3);
    g_assert_cmpint(c->objs_per_zspage, ==, 8);
    n = direct_reclaim_remote(m);
    zspages = (int)div_up(n, 8);
    want = g_string_new(NULL);
    for (int i = 0; i < zspages; i++)
        g_string_append(want, i == 0 ? "121" : i % 2 ? " 212" : " 121");
    assert_layout(m, want->str);
    g_string_free(want, TRUE);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/*
 * Task policy bind {0} under `task`, 1500-byte pages (class 1536: three
 * pages, eight objects). alloc_page() resolves bind to the local node's
 * (node 2's) zonelist filtered by {0}. During batch 1 (stores 1-28) node 0
 * is at min (32): the fast path (low) and the slow path's retry at min with
 * the mask both fail, and PF_MEMALLOC drops the nodemask and walks node 2's
 * zonelist without watermarks: every page of the zspages of stores 1, 9,
 * 17 and 25 is on node 2. Batch 1 freed, node 0 has 60: the zspages of
 * stores 33, 41, 49 and 57 take node 0's pages on the fast path (60 down to
 * 48). The bind policy does not hold for the first 32 objects: 48000 bytes
 * of node 0's data on node 2 (KERNEL.md 7).
 */
static void test_direct_bind(void)
{
    MachineParams p;
    placement_params(&p, "task", 1500);
    Mempolicy bind0 = {MPOL_MODE_BIND, 1u << 0};
    int cpu2 = 2;
    fixture_tasks(&p, 1, &cpu2, &bind0);
    SimEngine *eng = sim_engine_new();
    Machine *m = fixture_machine(&p, eng);
    Zswap *z = machine_zswap(m);
    uint64_t n = direct_reclaim_remote(m);
    assert_layout(m, "222 222 222 222 000 000 000 000");
    assert_node_pages(m, "222 222 222 222 000 000 000 000");
    g_assert_cmpuint(zswap_bytes(z, 2, 0), ==, 32 * 1500);
    g_assert_cmpuint(zswap_bytes(z, 0, 0), ==, (n - 32) * 1500);
    g_assert_cmpuint(zswap_alloc_pages(z, 2, 0), ==, 12);
    g_assert_cmpuint(zswap_alloc_pages(z, 0, 0), ==, 12);
    /* node 2 was the first node of the unmasked walk: a miss for node 0 */
    g_assert_cmpuint(machine_node_vm(m, 2, VM_NUMA_MISS), ==, 12);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* ---- (d) strict: rejection when the origin node has no page ------------------------ */

/*
 * Node 0 DRAM (CPUs), node 1 CXL, 256 pages each, min_free_kbytes 0 (all
 * watermarks 0: no reserve), 1500-byte pages (three-page zspages of eight
 * objects). Task 1 on CPU 0 bound to node 1 fills node 1 (256 pages, free
 * 0); the 257th fault reclaims node 1 directly. As in direct_reclaim_remote,
 * priorities 12 to 1 scan 1 + 2 + 4 + ... + 128 = 255 of the 256
 * referenced pages; the first chunk at priority 0 activates the last one
 * and reclaims 31 (batch 1, freed after its stores), the second 32: N = 63.
 *   strict: during batch 1 node 1 has no free page at all: all 31 stores
 *     are rejected (reject_alloc_fail, strict_rejects) and their pages go
 *     to the swap device (pswpout). Batch 2 finds 31 free pages: zspages at
 *     stores 32, 40, 48 and 56, all on node 1. Nothing is ever off node 1.
 *   strict_fallback: the 31 stores of batch 1 fall back (counted): a new
 *     zspage along node 1's zonelist without the partition, all on node 0,
 *     at stores 1, 9, 17, 25; batch 2 is placed as without fallback.
 */
static void test_strict_reject_and_fallback(gconstpointer data)
{
    gboolean fallback = GPOINTER_TO_INT(data);
    MachineParams p;
    fixture_params(&p, 2, 256, 0);
    p.kernel.min_free_kbytes = 0;
    fixture_zswap(&p, "strict", 1500);
    p.strict_fallback = fallback;
    Mempolicy bind1 = {MPOL_MODE_BIND, 1u << 1};
    int cpu0 = 0;
    fixture_tasks(&p, 1, &cpu0, &bind1);
    SimEngine *eng = sim_engine_new();
    Machine *m = fixture_machine(&p, eng);
    Zswap *z = machine_zswap(m);
    const ZsClassInfo *c = class_of(m, 1500);
    g_assert_cmpint(c->pages_per_zspage, ==, 3);
    g_assert_cmpint(c->objs_per_zspage, ==, 8);
    g_assert_cmpuint(machine_node_wmarks(m, 1)->min, ==, 0);
    g_assert_cmpuint(machine_node_wmarks(m, 1)->high, ==, 0);

    fixture_touch_range(m, 1, BASE, 256);
    g_assert_cmpuint(machine_node_free_pages(m, 1), ==, 0);
    fixture_touch(m, 1, BASE + 256, ACCESS_WRITE);
    uint64_t n = machine_node_vm(m, 1, VM_PGSTEAL_DIRECT);
    g_assert_cmpuint(n, ==, 63);
    const char *want;
    if (!fallback) {
        g_assert_cmpuint(zswap_strict_rejects(z), ==, 31);
        g_assert_cmpuint(zswap_counter(z, ZSWAP_REJECT_ALLOC_FAIL), ==, 31);
        g_assert_cmpuint(zswap_strict_fallbacks(z), ==, 0);
        g_assert_cmpuint(machine_node_vm(m, 1, VM_PSWPOUT), ==, 31);
        g_assert_cmpuint(machine_node_vm(m, 1, VM_ZSWPOUT), ==, 32);
        for (uint64_t v = 0; v < n; v++)
            g_assert_cmpint(machine_page_location(m, 1, BASE + v), ==,
                            v < 31 ? PAGE_LOC_SWAP : PAGE_LOC_ZSWAP);
        want = "111 111 111 111";
        g_assert_cmpuint(zswap_bytes(z, 0, 1), ==, 0);
        g_assert_cmpuint(zswap_alloc_pages(z, 0, 1), ==, 0);
    } else {
        g_assert_cmpuint(zswap_strict_rejects(z), ==, 0);
        g_assert_cmpuint(zswap_counter(z, ZSWAP_REJECT_ALLOC_FAIL), ==, 0);
        g_assert_cmpuint(zswap_strict_fallbacks(z), ==, 31);
        g_assert_cmpuint(machine_node_vm(m, 1, VM_PSWPOUT), ==, 0);
        g_assert_cmpuint(machine_node_vm(m, 1, VM_ZSWPOUT), ==, n);
        want = "000 000 000 000 111 111 111 111";
        g_assert_cmpuint(zswap_bytes(z, 0, 1), ==, 31 * 1500);
        g_assert_cmpuint(zswap_alloc_pages(z, 0, 1), ==, 12);
    }
    assert_layout(m, want);
    assert_node_pages(m, want);
    fixture_check(m);
    fixture_settle(eng);
    fixture_check(m);
    machine_free(m);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

/* ---- registry ------------------------------------------------------------------------ */

static void test_registry(void)
{
    const char *const *names = placement_policy_names();
    for (int i = 0; i < 4; i++) {
        g_assert_cmpstr(names[i], ==, POLICIES[i]);
        const PlacementPolicy *pol = placement_policy_find(names[i]);
        g_assert_nonnull(pol);
        g_assert_cmpstr(pol->name, ==, POLICIES[i]);
        g_assert_true(pol->kernel && *pol->kernel);
        g_assert_true(pol->partitioned == (i == 3));
    }
    g_assert_null(names[4]);
    g_assert_false(placement_policy_exists("nearest"));
    MachineParams p;
    fixture_params(&p, 1, 256, 0);
    fixture_zswap(&p, "nearest", 1000);
    SimEngine *eng = sim_engine_new();
    GError *error = NULL;
    g_assert_null(machine_new(&p, eng, &error));
    g_assert_nonnull(strstr(error->message, "nearest"));
    g_error_free(error);
    machine_params_clear(&p);
    sim_engine_free(eng);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/placement/registry/names-and-unknown", test_registry);
    for (int i = 0; i < 4; i++) {
        char *path = g_strdup_printf("/placement/kswapd-cpuless/%s", POLICIES[i]);
        g_test_add_data_func(path, POLICIES[i], test_kswapd_cpuless);
        g_free(path);
        path = g_strdup_printf("/placement/direct-remote-preferred/%s", POLICIES[i]);
        g_test_add_data_func(path, POLICIES[i], test_direct_preferred);
        g_free(path);
    }
    g_test_add_func("/placement/task/direct-interleave-per-page", test_direct_interleave);
    g_test_add_func("/placement/task/direct-bind-memalloc-fallback", test_direct_bind);
    g_test_add_data_func("/placement/strict/rejects-without-page", GINT_TO_POINTER(0),
                         test_strict_reject_and_fallback);
    g_test_add_data_func("/placement/strict/fallback-counted", GINT_TO_POINTER(1),
                         test_strict_reject_and_fallback);
    return g_test_run();
}
