/* Tests of the scenario loader: values and defaults, units, presets, and
 * that every malformed scenario fails with the right code, path and line. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "scenarios/presets.h"
#include "scenarios/scenario.h"
#include "traces/generator.h"

/* DESIGN.md "Scenario format", verbatim. */
static const char design_example[] =
    "{\n"
    "  \"name\": \"cxl-inversion\",\n"
    "  \"seed\": 1,\n"
    "  \"machine\": {\n"
    "    \"page_size\": 4096,\n"
    "    \"nodes\": [\n"
    "      {\"id\": 0, \"kind\": \"dram\", \"capacity\": \"2GiB\", \"cpus\": [0, 1],\n"
    "       \"read_latency_ns\": 90, \"write_latency_ns\": 90, \"bandwidth_gbps\": 80},\n"
    "      {\"id\": 1, \"kind\": \"cxl\", \"capacity\": \"2GiB\", \"cpus\": [],\n"
    "       \"read_latency_ns\": 250, \"write_latency_ns\": 250, \"bandwidth_gbps\": 30}\n"
    "    ],\n"
    "    \"distances\": [[10, 20], [20, 10]],\n"
    "    \"swap\": {\"capacity\": \"8GiB\", \"read_latency\": \"80us\", \"write_latency\": "
    "\"40us\"}\n"
    "  },\n"
    "  \"kernel\": {\n"
    "    \"min_free_kbytes\": \"auto\",\n"
    "    \"watermark_scale_factor\": 10,\n"
    "    \"demotion_enabled\": false,\n"
    "    \"numa_balancing\": \"off\",\n"
    "    \"zswap\": {\"enabled\": true, \"max_pool_percent\": 20, \"accept_threshold_percent\": "
    "90,\n"
    "              \"shrinker_enabled\": true},\n"
    "    \"zsmalloc\": {\"chain_size\": 8, \"rule\": \"current\"}\n"
    "  },\n"
    "  \"placement\": \"task\",\n"
    "  \"tasks\": [\n"
    "    {\"pid\": 1, \"cpu\": 0, \"mempolicy\": {\"mode\": \"bind\", \"nodes\": [1]}},\n"
    "    {\"pid\": 2, \"cpu\": 1}\n"
    "  ],\n"
    "  \"workload\": {\n"
    "    \"generator\": {\n"
    "      \"phases\": [\n"
    "        {\"pid\": 1, \"region\": \"cold\", \"pattern\": \"sequential\", \"size\": \"700MiB\", "
    "\"passes\": 1,\n"
    "         \"op\": \"write\"},\n"
    "        {\"pid\": 1, \"region\": \"push\", \"pattern\": \"sequential\", \"size\": "
    "\"1500MiB\", \"passes\": 1,\n"
    "         \"op\": \"write\"}\n"
    "      ]\n"
    "    }\n"
    "  },\n"
    "  \"compressibility\": {\"model\": \"fixed\", \"compressed_bytes\": 1400},\n"
    "  \"run\": {\"sample_interval\": \"10ms\"}\n"
    "}\n";

static Scenario *load(const char *json, GError **error)
{
    return scenario_load_from_data("t/scen.json", json, strlen(json), error);
}

static Scenario *load_ok(const char *json)
{
    GError *error = NULL;
    Scenario *sc = load(json, &error);
    if (!sc)
        g_test_message("unexpected error: %s", error->message);
    g_assert_no_error(error);
    g_assert_nonnull(sc);
    return sc;
}

static void test_design_example(void)
{
    g_autoptr(Scenario) sc = load_ok(design_example);
    const MachineParams *m = &sc->machine;
    g_assert_cmpstr(sc->name, ==, "cxl-inversion");
    g_assert_cmpstr(sc->json_text, ==, design_example);
    g_assert_cmpuint(m->seed, ==, 1);
    g_assert_cmpuint(m->page_size, ==, 4096);
    g_assert_cmpint(m->n_nodes, ==, 2);
    g_assert_cmpint(m->nodes[0].id, ==, 0);
    g_assert_cmpint(m->nodes[0].kind, ==, NODE_KIND_DRAM);
    g_assert_cmpuint(m->nodes[0].capacity_bytes, ==, 2ULL << 30);
    g_assert_cmpint(m->nodes[0].n_cpus, ==, 2);
    g_assert_cmpint(m->nodes[0].cpus[0], ==, 0);
    g_assert_cmpint(m->nodes[0].cpus[1], ==, 1);
    g_assert_cmpuint(m->nodes[0].read_latency_ns, ==, 90);
    g_assert_cmpuint(m->nodes[0].write_latency_ns, ==, 90);
    g_assert_cmpfloat(m->nodes[0].bandwidth_gbps, ==, 80);
    g_assert_cmpint(m->nodes[0].zone, ==, ZONE_TYPE_NORMAL);
    g_assert_cmpint(m->nodes[0].abstract_distance, ==, -1);
    g_assert_null(m->nodes[0].preset);
    g_assert_cmpint(m->nodes[1].kind, ==, NODE_KIND_CXL);
    g_assert_cmpint(m->nodes[1].n_cpus, ==, 0);
    g_assert_cmpuint(m->nodes[1].read_latency_ns, ==, 250);
    g_assert_cmpuint(m->nodes[1].write_latency_ns, ==, 250);
    g_assert_cmpfloat(m->nodes[1].bandwidth_gbps, ==, 30);
    g_assert_cmpint(m->distance[0][1], ==, 20);
    g_assert_cmpint(m->distance[1][0], ==, 20);
    g_assert_cmpint(m->distance[1][1], ==, 10);
    g_assert_cmpuint(m->swap.capacity_bytes, ==, 8ULL << 30);
    g_assert_cmpint(m->swap.read_latency_ns, ==, 80000);
    g_assert_cmpint(m->swap.write_latency_ns, ==, 40000);
    g_assert_cmpint(m->kernel.min_free_kbytes, ==, -1);
    g_assert_cmpint(m->kernel.watermark_scale_factor, ==, 10);
    g_assert_false(m->kernel.demotion_enabled);
    g_assert_cmpint(m->kernel.numa_balancing, ==, NUMA_BALANCING_OFF);
    g_assert_true(m->kernel.zswap.enabled);
    g_assert_cmpint(m->kernel.zswap.max_pool_percent, ==, 20);
    g_assert_cmpint(m->kernel.zswap.accept_threshold_percent, ==, 90);
    g_assert_true(m->kernel.zswap.shrinker_enabled);
    g_assert_cmpint(m->kernel.zsmalloc.chain_size, ==, 8);
    g_assert_cmpint(m->kernel.zsmalloc.rule, ==, ZS_RULE_CURRENT);
    g_assert_cmpstr(m->placement, ==, "task");
    g_assert_cmpint(sc->n_policies, ==, 1);
    g_assert_cmpstr(sc->policies[0], ==, "task");
    g_assert_null(sc->policies[1]);
    g_assert_cmpint(m->n_tasks, ==, 2);
    g_assert_cmpint(m->tasks[0].pid, ==, 1);
    g_assert_cmpint(m->tasks[0].cpu, ==, 0);
    g_assert_cmpint(m->tasks[0].mempolicy.mode, ==, MPOL_MODE_BIND);
    g_assert_cmpuint(m->tasks[0].mempolicy.nodes, ==, 1u << 1);
    g_assert_cmpint(m->tasks[1].pid, ==, 2);
    g_assert_cmpint(m->tasks[1].cpu, ==, 1);
    g_assert_cmpint(m->tasks[1].mempolicy.mode, ==, MPOL_MODE_DEFAULT);
    g_assert_cmpuint(m->tasks[1].mempolicy.nodes, ==, 0);
    g_assert_cmpint(sc->workload_kind, ==, WORKLOAD_GENERATOR);
    g_assert_cmpint(sc->gen.n_phases, ==, 2);
    const GenPhase *p0 = &sc->gen.phases[0], *p1 = &sc->gen.phases[1];
    g_assert_cmpuint(p0->pid, ==, 1);
    g_assert_cmpstr(p0->region, ==, "cold");
    g_assert_cmpint(p0->pattern, ==, GEN_SEQUENTIAL);
    g_assert_cmpuint(p0->size_bytes, ==, 700ULL << 20);
    g_assert_cmpuint(p0->passes, ==, 1);
    g_assert_cmpuint(p0->accesses, ==, 0);
    g_assert_cmpfloat(p0->write_fraction, ==, 1.0);
    g_assert_cmpfloat(p0->rate, ==, 0);
    g_assert_cmpstr(p1->region, ==, "push");
    g_assert_cmpuint(p1->size_bytes, ==, 1500ULL << 20);
    g_assert_false(sc->phase_policies[0].set);
    g_assert_false(sc->phase_policies[1].set);
    g_assert_cmpint(m->compress.model, ==, COMPRESS_FIXED);
    g_assert_cmpuint(m->compress.compressed_bytes, ==, 1400);
    g_assert_cmpint(sc->sample_interval_ns, ==, 10000000);
    g_assert_cmpuint(sc->check_every, ==, 0);
    g_assert_cmpint(sc->max_time_ns, ==, 0);
}

#define MINIMAL                                                                                    \
    "{\"machine\": {\"nodes\": [{\"id\": 0, \"capacity\": \"1GiB\", \"cpus\": [3, 2]}]},\n"        \
    " \"workload\": {\"generator\": {\"phases\": [{\"pattern\": \"uniform\", \"size\": "           \
    "\"64MiB\"}]}}}\n"

static void test_minimal_defaults(void)
{
    g_autoptr(Scenario) sc = load_ok(MINIMAL);
    MachineParams def;
    machine_params_init_defaults(&def);
    const MachineParams *m = &sc->machine;
    g_assert_cmpstr(sc->name, ==, "scen");
    g_assert_cmpuint(m->seed, ==, 1);
    g_assert_cmpuint(m->page_size, ==, 4096);
    g_assert_cmpint(m->n_nodes, ==, 1);
    g_assert_cmpint(m->nodes[0].kind, ==, NODE_KIND_DRAM);
    g_assert_cmpint(m->nodes[0].zone, ==, ZONE_TYPE_NORMAL);
    g_assert_cmpuint(m->nodes[0].read_latency_ns, ==, 90);
    g_assert_cmpuint(m->nodes[0].write_latency_ns, ==, 90);
    g_assert_cmpfloat(m->nodes[0].bandwidth_gbps, ==, 0);
    g_assert_cmpint(m->nodes[0].abstract_distance, ==, -1);
    g_assert_cmpint(m->distance[0][0], ==, 10);
    g_assert_cmpmem(&m->swap, sizeof(m->swap), &def.swap, sizeof(def.swap));
    g_assert_cmpmem(&m->kernel, sizeof(m->kernel), &def.kernel, sizeof(def.kernel));
    g_assert_cmpmem(&m->costs, sizeof(m->costs), &def.costs, sizeof(def.costs));
    g_assert_cmpint(m->compress.model, ==, COMPRESS_FIXED);
    g_assert_cmpuint(m->compress.compressed_bytes, ==, 1365);
    g_assert_cmpfloat(m->compress.ratio, ==, 3.0);
    g_assert_cmpfloat(m->compress.zero_fraction, ==, 0);
    g_assert_cmpstr(m->placement, ==, "task");
    g_assert_false(m->strict_fallback);
    g_assert_cmpint(sc->n_policies, ==, 1);
    /* No tasks array: one implicit task per generator pid, on the lowest CPU. */
    g_assert_cmpint(m->n_tasks, ==, 1);
    g_assert_cmpint(m->tasks[0].pid, ==, 1);
    g_assert_cmpint(m->tasks[0].cpu, ==, 2);
    g_assert_cmpint(m->tasks[0].mempolicy.mode, ==, MPOL_MODE_DEFAULT);
    const GenPhase *ph = &sc->gen.phases[0];
    g_assert_cmpuint(ph->pid, ==, 1);
    g_assert_cmpstr(ph->region, ==, "default");
    g_assert_cmpint(ph->pattern, ==, GEN_UNIFORM);
    g_assert_cmpuint(ph->passes, ==, 1);
    g_assert_cmpuint(ph->accesses, ==, 0);
    g_assert_cmpfloat(ph->write_fraction, ==, 0);
    g_assert_cmpfloat(ph->theta, ==, 0.99);
    g_assert_cmpfloat(ph->hot_fraction, ==, 0.2);
    g_assert_cmpfloat(ph->hot_probability, ==, 0.8);
    g_assert_cmpint(sc->sample_interval_ns, ==, 10000000);
    g_assert_cmpstr(sc->trace.format, ==, "auto");
    machine_params_clear(&def);
}

static void test_every_key(void)
{
    static const char json[] =
        "{\"name\": \"all\", \"seed\": 42,\n"
        " \"machine\": {\"page_size\": \"16KiB\",\n"
        "   \"nodes\": [\n"
        "     {\"id\": 1, \"kind\": \"hbm\", \"capacity\": \"1GiB\", \"cpus\": [], \"zone\": "
        "\"movable\",\n"
        "      \"abstract_distance\": 300, \"read_latency_ns\": 60},\n"
        "     {\"id\": 0, \"kind\": \"dram\", \"capacity\": 1073741824, \"cpus\": [0, 1],\n"
        "      \"read_latency_ns\": 100, \"write_latency_ns\": 120, \"bandwidth_gbps\": 51.2},\n"
        "     {\"id\": 2, \"kind\": \"pmem\", \"capacity\": \"4GiB\"}],\n"
        "   \"distances\": [[10, 15, 30], [15, 10, 40], [30, 40, 10]],\n"
        "   \"swap\": {\"capacity\": 0, \"read_latency\": 5000, \"write_latency\": \"1.5us\"}},\n"
        " \"kernel\": {\"min_free_kbytes\": 65536, \"watermark_scale_factor\": 3000,\n"
        "   \"swappiness\": 200, \"demotion_enabled\": true, \"numa_balancing\": \"tiering\",\n"
        "   \"zswap\": {\"enabled\": false, \"max_pool_percent\": 50, "
        "\"accept_threshold_percent\": 0,\n"
        "     \"shrinker_enabled\": false, \"compressor\": \"zstd\", \"incompressible\": "
        "\"reject\"},\n"
        "   \"zsmalloc\": {\"rule\": \"pre-6.3\"}},\n"
        " \"placement\": [\"origin\", \"strict\"],\n"
        " \"placement_options\": {\"strict_fallback\": true},\n"
        " \"tasks\": [{\"pid\": 7, \"cpu\": 1, \"mempolicy\": {\"mode\": \"interleave\", "
        "\"nodes\": [0, 2]}},\n"
        "           {\"pid\": 8, \"cpu\": 0, \"mempolicy\": {\"mode\": \"preferred\", \"nodes\": "
        "[2]}}],\n"
        " \"workload\": {\"generator\": {\"phases\": [\n"
        "   {\"pid\": 7, \"region\": \"a\", \"pattern\": \"zipf\", \"size\": \"64MiB\", "
        "\"accesses\": 1000,\n"
        "    \"write_fraction\": 0.25, \"rate\": 1e6, \"theta\": 1.2,\n"
        "    \"mempolicy\": {\"mode\": \"bind\", \"nodes\": [2]}},\n"
        "   {\"pid\": 8, \"pattern\": \"hotcold\", \"size\": 65536, \"passes\": 3, \"op\": "
        "\"write\",\n"
        "    \"hot_fraction\": 0.1, \"hot_probability\": 0.9}]}},\n"
        " \"compressibility\": {\"model\": \"distribution\", \"zero_fraction\": 0.5,\n"
        "   \"histogram\": [{\"bytes\": 100, \"weight\": 1}, {\"bytes\": 16384, \"weight\": "
        "0.5}]},\n"
        " \"costs\": {\"fault\": \"2us\", \"reclaim_scan\": 0, \"migrate\": \"10us\", "
        "\"swap_submit\": 1,\n"
        "   \"compress\": {\"lzo\": 1, \"lz4\": 2, \"zstd\": 3}, \"decompress\": {\"zstd\": "
        "\"4ns\"}},\n"
        " \"run\": {\"sample_interval\": \"1ms\", \"check_every\": 100, \"max_time\": \"2s\"}}\n";
    g_autoptr(Scenario) sc = load_ok(json);
    const MachineParams *m = &sc->machine;
    g_assert_cmpstr(sc->name, ==, "all");
    g_assert_cmpuint(m->seed, ==, 42);
    g_assert_cmpuint(m->page_size, ==, 16384);
    g_assert_cmpint(m->n_nodes, ==, 3);
    /* Stored by id, not by array position. */
    g_assert_cmpint(m->nodes[0].id, ==, 0);
    g_assert_cmpuint(m->nodes[0].read_latency_ns, ==, 100);
    g_assert_cmpuint(m->nodes[0].write_latency_ns, ==, 120);
    g_assert_cmpfloat(m->nodes[0].bandwidth_gbps, ==, 51.2);
    g_assert_cmpint(m->nodes[1].id, ==, 1);
    g_assert_cmpint(m->nodes[1].kind, ==, NODE_KIND_HBM);
    g_assert_cmpint(m->nodes[1].zone, ==, ZONE_TYPE_MOVABLE);
    g_assert_cmpint(m->nodes[1].abstract_distance, ==, 300);
    g_assert_cmpuint(m->nodes[1].read_latency_ns, ==, 60);
    g_assert_cmpuint(m->nodes[1].write_latency_ns, ==, 60); /* write defaults to read */
    g_assert_cmpint(m->nodes[2].kind, ==, NODE_KIND_PMEM);
    g_assert_cmpuint(m->nodes[2].read_latency_ns, ==, 300);
    g_assert_cmpuint(m->nodes[2].capacity_bytes, ==, 4ULL << 30);
    g_assert_cmpint(m->distance[0][2], ==, 30);
    g_assert_cmpint(m->distance[2][1], ==, 40);
    g_assert_cmpuint(m->swap.capacity_bytes, ==, 0);
    g_assert_cmpint(m->swap.read_latency_ns, ==, 5000);
    g_assert_cmpint(m->swap.write_latency_ns, ==, 1500);
    g_assert_cmpint(m->kernel.min_free_kbytes, ==, 65536);
    g_assert_cmpint(m->kernel.watermark_scale_factor, ==, 3000);
    g_assert_cmpint(m->kernel.swappiness, ==, 200);
    g_assert_true(m->kernel.demotion_enabled);
    g_assert_cmpint(m->kernel.numa_balancing, ==, NUMA_BALANCING_TIERING);
    g_assert_false(m->kernel.zswap.enabled);
    g_assert_cmpint(m->kernel.zswap.max_pool_percent, ==, 50);
    g_assert_cmpint(m->kernel.zswap.accept_threshold_percent, ==, 0);
    g_assert_false(m->kernel.zswap.shrinker_enabled);
    g_assert_cmpint(m->kernel.zswap.compressor, ==, COMPRESSOR_ZSTD);
    g_assert_cmpint(m->kernel.zswap.incompressible, ==, ZSWAP_INCOMPRESSIBLE_REJECT);
    g_assert_cmpint(m->kernel.zsmalloc.rule, ==, ZS_RULE_PRE_6_3);
    g_assert_cmpint(m->kernel.zsmalloc.chain_size, ==, 4);
    g_assert_cmpint(sc->n_policies, ==, 2);
    g_assert_cmpstr(sc->policies[0], ==, "origin");
    g_assert_cmpstr(sc->policies[1], ==, "strict");
    g_assert_null(sc->policies[2]);
    g_assert_cmpstr(m->placement, ==, "origin");
    g_assert_true(m->strict_fallback);
    g_assert_cmpint(m->n_tasks, ==, 2);
    g_assert_cmpint(m->tasks[0].mempolicy.mode, ==, MPOL_MODE_INTERLEAVE);
    g_assert_cmpuint(m->tasks[0].mempolicy.nodes, ==, 0x5);
    g_assert_cmpint(m->tasks[1].mempolicy.mode, ==, MPOL_MODE_PREFERRED);
    g_assert_cmpuint(m->tasks[1].mempolicy.nodes, ==, 0x4);
    const GenPhase *a = &sc->gen.phases[0], *b = &sc->gen.phases[1];
    g_assert_cmpuint(a->pid, ==, 7);
    g_assert_cmpint(a->pattern, ==, GEN_ZIPF);
    g_assert_cmpuint(a->accesses, ==, 1000);
    g_assert_cmpuint(a->passes, ==, 0);
    g_assert_cmpfloat(a->write_fraction, ==, 0.25);
    g_assert_cmpfloat(a->rate, ==, 1e6);
    g_assert_cmpfloat(a->theta, ==, 1.2);
    g_assert_true(sc->phase_policies[0].set);
    g_assert_cmpint(sc->phase_policies[0].policy.mode, ==, MPOL_MODE_BIND);
    g_assert_cmpuint(sc->phase_policies[0].policy.nodes, ==, 0x4);
    g_assert_false(sc->phase_policies[1].set);
    g_assert_cmpint(b->pattern, ==, GEN_HOTCOLD);
    g_assert_cmpuint(b->size_bytes, ==, 65536);
    g_assert_cmpuint(b->passes, ==, 3);
    g_assert_cmpfloat(b->write_fraction, ==, 1.0);
    g_assert_cmpfloat(b->hot_fraction, ==, 0.1);
    g_assert_cmpfloat(b->hot_probability, ==, 0.9);
    g_assert_cmpint(m->compress.model, ==, COMPRESS_DISTRIBUTION);
    g_assert_cmpfloat(m->compress.zero_fraction, ==, 0.5);
    g_assert_cmpint(m->compress.n_buckets, ==, 2);
    g_assert_cmpuint(m->compress.buckets[1].bytes, ==, 16384);
    g_assert_cmpfloat(m->compress.buckets[1].weight, ==, 0.5);
    g_assert_cmpint(m->costs.fault_ns, ==, 2000);
    g_assert_cmpint(m->costs.reclaim_scan_ns, ==, 0);
    g_assert_cmpint(m->costs.migrate_ns, ==, 10000);
    g_assert_cmpint(m->costs.swap_submit_ns, ==, 1);
    g_assert_cmpint(m->costs.compress_ns[COMPRESSOR_LZ4], ==, 2);
    g_assert_cmpint(m->costs.compress_ns[COMPRESSOR_ZSTD], ==, 3);
    g_assert_cmpint(m->costs.decompress_ns[COMPRESSOR_ZSTD], ==, 4);
    g_assert_cmpint(m->costs.decompress_ns[COMPRESSOR_LZO], ==, 2000);
    g_assert_cmpint(sc->sample_interval_ns, ==, 1000000);
    g_assert_cmpuint(sc->check_every, ==, 100);
    g_assert_cmpint(sc->max_time_ns, ==, 2000000000);
}

/* KERNEL.md 4.1: two 64 GiB nodes, the CXL one onlined as ZONE_MOVABLE (A)
 * or both ZONE_NORMAL (B). */
static void test_kernel_41_setups(void)
{
    static const char *const zones[] = {"movable", "normal"};
    for (int s = 0; s < 2; s++) {
        g_autofree char *json = g_strdup_printf(
            "{\"name\": \"kernel-4.1-%c\",\n"
            " \"machine\": {\"nodes\": [\n"
            "   {\"id\": 0, \"kind\": \"dram\", \"capacity\": \"64GiB\", \"cpus\": [0, 1, 2, 3]},\n"
            "   {\"id\": 1, \"kind\": \"cxl\", \"capacity\": \"64GiB\", \"cpus\": [], \"zone\": "
            "\"%s\"}]},\n"
            " \"kernel\": {\"min_free_kbytes\": \"auto\", \"watermark_scale_factor\": 10},\n"
            " \"workload\": {\"generator\": {\"phases\": [\n"
            "   {\"pattern\": \"sequential\", \"size\": \"100GiB\", \"op\": \"write\"}]}}}\n",
            'A' + s, zones[s]);
        g_autoptr(Scenario) sc = load_ok(json);
        g_assert_cmpuint(sc->machine.nodes[0].capacity_bytes, ==, 64ULL << 30);
        g_assert_cmpuint(sc->machine.nodes[1].capacity_bytes / 4096, ==, 16777216);
        g_assert_cmpint(sc->machine.nodes[0].zone, ==, ZONE_TYPE_NORMAL);
        g_assert_cmpint(sc->machine.nodes[1].zone, ==,
                        s == 0 ? ZONE_TYPE_MOVABLE : ZONE_TYPE_NORMAL);
        g_assert_cmpint(sc->machine.kernel.min_free_kbytes, ==, -1);
        g_assert_cmpuint(sc->gen.phases[0].size_bytes, ==, 100ULL << 30);
    }
}

static void test_units_size(void)
{
    static const struct {
        const char *s;
        uint64_t v;
    } good[] = {
        {"4096", 4096},        {"0", 0},
        {"4GiB", 4ULL << 30},  {"512MiB", 512ULL << 20},
        {"64KiB", 65536},      {"1.5GiB", 1610612736},
        {"2TiB", 2ULL << 40},  {"10B", 10},
        {"4K", 4096},          {"3M", 3ULL << 20},
        {"1G", 1ULL << 30},    {"1T", 1ULL << 40},
        {"0.5KiB", 512},       {"0.25MiB", 262144},
        {"1 GiB", 1ULL << 30},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
        uint64_t v = 1;
        if (!parse_size_string(good[i].s, &v))
            g_error("size \"%s\" refused", good[i].s);
        g_assert_cmpuint(v, ==, good[i].v);
    }
    uint64_t v;
    g_assert_true(parse_size_string("16777215TiB", &v));
    g_assert_cmpuint(v, ==, 16777215ULL << 40);
    static const char *const bad[] = {
        "",        "GiB",   "-1",    "2GB",  "2gb",  "2 gib",       "1.5B",
        "0.3KiB",  "1.KiB", "1e3",   "4 Gi", "4PiB", "16777216TiB", "18446744073709551616",
        "1..5GiB", "+4",    "4GiBs", "0x10", " 4"};
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
        if (parse_size_string(bad[i], &v))
            g_error("size \"%s\" accepted as %" G_GUINT64_FORMAT, bad[i], v);
}

static void test_units_time(void)
{
    static const struct {
        const char *s;
        int64_t v;
    } good[] = {
        {"10ms", 10000000},  {"250ns", 250},     {"80us", 80000},
        {"2s", 2000000000},  {"1.5ms", 1500000}, {"0ns", 0},
        {"0.000000001s", 1}, {"1.50us", 1500},   {"9223372036s", 9223372036000000000LL},
        {"3 ms", 3000000},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
        int64_t v = -1;
        if (!parse_time_string(good[i].s, &v))
            g_error("time \"%s\" refused", good[i].s);
        g_assert_cmpint(v, ==, good[i].v);
    }
    static const char *const bad[] = {"",      "10",    "ms",    "-1ms", "1.5ns",
                                      "0.1ns", "10 m",  "10min", "10MS", "9223372037s",
                                      "1h",    "1e3ns", "10ms ", NULL};
    int64_t v;
    for (int i = 0; bad[i]; i++)
        if (parse_time_string(bad[i], &v))
            g_error("time \"%s\" accepted as %" G_GINT64_FORMAT, bad[i], v);
}

/* ---- malformed scenarios ------------------------------------------------ */

/* Building blocks: line 1 opens the object, the case's own lines follow
 * from line 2, then a one-node machine and a one-phase workload. */
#define OPEN     "{\n"
#define NODE0    "{\"id\": 0, \"capacity\": \"1GiB\", \"cpus\": [0]}"
#define MACHINE  "\"machine\": {\"nodes\": [" NODE0 "]},\n"
#define PHASE    "{\"pattern\": \"sequential\", \"size\": \"1MiB\"}"
#define WORKLOAD "\"workload\": {\"generator\": {\"phases\": [" PHASE "]}}\n"
#define CLOSE    "}\n"
#define TAIL     MACHINE WORKLOAD CLOSE

typedef struct BadCase {
    const char *what;
    const char *json;
    ScenarioErrorCode code;
    const char *path; /* must appear as ": PATH:"; NULL for top-level messages */
    int line;
    const char *detail; /* substring of the message */
} BadCase;

static const BadCase bad_cases[] = {
    /* syntax */
    {"syntax: missing value", OPEN "\"seed\": 1,\n\"machine\": }\n", SCENARIO_ERROR_SYNTAX, NULL, 3,
     "JSON syntax error"},
    {"syntax: trailing comma", OPEN "\"seed\": 1,\n}\n", SCENARIO_ERROR_SYNTAX, NULL, 3,
     "trailing comma"},
    {"syntax: single quotes", OPEN "\n  'seed': 1}\n", SCENARIO_ERROR_SYNTAX, NULL, 3,
     "double quotes"},
    {"syntax: unclosed", OPEN "\"seed\": 1,\n", SCENARIO_ERROR_SYNTAX, NULL, 3, "end of input"},
    {"syntax: trailing text", "{}\n{}\n", SCENARIO_ERROR_SYNTAX, NULL, 2, "after the end"},
    {"syntax: empty", "  \n", SCENARIO_ERROR_SYNTAX, NULL, 1, "empty input"},
    /* unknown keys at every level */
    {"unknown top-level key", OPEN "\"nmae\": \"x\",\n" TAIL, SCENARIO_ERROR_INVALID, "nmae", 2,
     "did you mean \"name\""},
    {"unknown machine key",
     OPEN "\"machine\": {\"page_sise\": 4096,\n \"nodes\": [" NODE0 "]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.page_sise", 2, "did you mean \"page_size\""},
    {"unknown node key (capcity)",
     OPEN "\"machine\": {\"nodes\": [\n"
          "  {\"id\": 0, \"capcity\": \"1GiB\", \"cpus\": [0]}\n"
          "]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[0].capcity", 3, "did you mean \"capacity\""},
    {"unknown swap key",
     OPEN "\"machine\": {\"nodes\": [" NODE0 "],\n"
          "  \"swap\": {\"capacity\": \"1GiB\",\n"
          "    \"latency\": \"1us\"}},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.swap.latency", 4, "read_latency"},
    {"unknown kernel key", OPEN "\"kernel\": {\"swapiness\": 10},\n" TAIL, SCENARIO_ERROR_INVALID,
     "kernel.swapiness", 2, "did you mean \"swappiness\""},
    {"unknown zswap key", OPEN "\"kernel\": {\n\"zswap\": {\"max_pool_pct\": 10}},\n" TAIL,
     SCENARIO_ERROR_INVALID, "kernel.zswap.max_pool_pct", 3, "max_pool_percent"},
    {"unknown zsmalloc key", OPEN "\"kernel\": {\"zsmalloc\": {\"chainsize\": 4}},\n" TAIL,
     SCENARIO_ERROR_INVALID, "kernel.zsmalloc.chainsize", 2, "did you mean \"chain_size\""},
    {"unknown placement_options key",
     OPEN "\"placement_options\": {\"strict_fallbak\": true},\n" TAIL, SCENARIO_ERROR_INVALID,
     "placement_options.strict_fallbak", 2, "did you mean \"strict_fallback\""},
    {"unknown task key", OPEN "\"tasks\": [{\"pid\": 1,\n \"cpus\": 0}],\n" TAIL,
     SCENARIO_ERROR_INVALID, "tasks[0].cpus", 3, "did you mean \"cpu\""},
    {"unknown mempolicy key",
     OPEN "\"tasks\": [{\"pid\": 1, \"mempolicy\": {\"mode\": \"bind\", \"node\": [0]}}],\n" TAIL,
     SCENARIO_ERROR_INVALID, "tasks[0].mempolicy.node", 2, "did you mean \"nodes\""},
    {"unknown workload key", OPEN MACHINE "\"workload\": {\"generater\": {}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.generater", 3, "did you mean \"generator\""},
    {"unknown phase key",
     OPEN MACHINE "\"workload\": {\"generator\": {\"phases\": [\n"
                  "  {\"pattern\": \"uniform\", \"sizes\": \"1MiB\"}]}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.generator.phases[0].sizes", 4, "did you mean \"size\""},
    {"unknown trace key",
     OPEN MACHINE "\"workload\": {\"trace\": {\"path\": \"x\",\n \"fromat\": \"auto\"}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.trace.fromat", 4, "did you mean \"format\""},
    {"unknown compressibility key", OPEN "\"compressibility\": {\"compresed_bytes\": 100},\n" TAIL,
     SCENARIO_ERROR_INVALID, "compressibility.compresed_bytes", 2, "compressed_bytes"},
    {"unknown histogram key",
     OPEN "\"compressibility\": {\"model\": \"distribution\", \"histogram\": [\n"
          "  {\"bytes\": 100, \"weight\": 1},\n"
          "  {\"bytes\": 200, \"weigth\": 1}]},\n" TAIL,
     SCENARIO_ERROR_INVALID, "compressibility.histogram[1].weigth", 4, "did you mean \"weight\""},
    {"unknown costs key", OPEN "\"costs\": {\"faults\": 10},\n" TAIL, SCENARIO_ERROR_INVALID,
     "costs.faults", 2, "did you mean \"fault\""},
    {"unknown compress cost key", OPEN "\"costs\": {\"compress\": {\"lz5\": 10}},\n" TAIL,
     SCENARIO_ERROR_INVALID, "costs.compress.lz5", 2, "unknown key"},
    {"unknown run key", OPEN "\"run\": {\"sample_intervall\": \"1ms\"},\n" TAIL,
     SCENARIO_ERROR_INVALID, "run.sample_intervall", 2, "did you mean \"sample_interval\""},
    {"escaped key is decoded",
     OPEN
     "\"machine\": {\"nodes\": [\n{\"id\": 0, \"\\u0063apcity\": \"1GiB\"}]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[0].capcity", 3, "did you mean \"capacity\""},
    {"non-ASCII key",
     OPEN "\"machine\": {\"nodes\": [" NODE0 "],\n \"\\ud83d\\ude00\": 1},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.\xf0\x9f\x98\x80", 3, "unknown key"},
    {"duplicate key", OPEN "\"seed\": 1,\n\"seed\": 2,\n" TAIL, SCENARIO_ERROR_INVALID, "seed", 3,
     "duplicate key (first on line 2)"},
    /* types */
    {"seed is a string", OPEN "\"seed\": \"one\",\n" TAIL, SCENARIO_ERROR_INVALID, "seed", 2,
     "got \"one\""},
    {"seed is fractional", OPEN "\"seed\": 1.5,\n" TAIL, SCENARIO_ERROR_INVALID, "seed", 2,
     "whole number"},
    {"bool as string", OPEN "\"kernel\": {\"demotion_enabled\": \"yes\"},\n" TAIL,
     SCENARIO_ERROR_INVALID, "kernel.demotion_enabled", 2, "expected true or false, got \"yes\""},
    {"nodes is an object", OPEN "\"machine\": {\"nodes\": {}},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes", 2, "non-empty array"},
    {"top level is an array", "[\n1]\n", SCENARIO_ERROR_INVALID, NULL, 1, "JSON object"},
    {"null value", OPEN "\"run\": {\"max_time\": null},\n" TAIL, SCENARIO_ERROR_INVALID,
     "run.max_time", 2, "got null"},
    /* sizes and units */
    {"negative capacity",
     OPEN
     "\"machine\": {\"nodes\": [\n{\"id\": 0, \"capacity\": -4096, \"cpus\": [0]}]},\n" WORKLOAD
         CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[0].capacity", 3, "non-negative"},
    {"zero capacity",
     OPEN
     "\"machine\": {\"nodes\": [\n{\"id\": 0, \"capacity\": \"0GiB\", \"cpus\": [0]}]},\n" WORKLOAD
         CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[0].capacity", 3, "capacity > 0"},
    {"decimal unit",
     OPEN
     "\"machine\": {\"nodes\": [\n{\"id\": 0, \"capacity\": \"2GB\", \"cpus\": [0]}]},\n" WORKLOAD
         CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[0].capacity", 3, "did you mean \"2GiB\""},
    {"time without unit", OPEN "\"run\": {\"sample_interval\": \"10\"},\n" TAIL,
     SCENARIO_ERROR_INVALID, "run.sample_interval", 2, "unit"},
    {"zero sample interval", OPEN "\"run\": {\"sample_interval\": \"0ms\"},\n" TAIL,
     SCENARIO_ERROR_INVALID, "run.sample_interval", 2, "a time > 0"},
    {"capacity not a page multiple",
     OPEN
     "\"machine\": {\"nodes\": [\n{\"id\": 0, \"capacity\": 1000000, \"cpus\": [0]}]},\n" WORKLOAD
         CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[0].capacity", 3, "multiple of page_size"},
    {"capacity below 256 pages",
     OPEN "\"machine\": {\"nodes\": [\n{\"id\": 0, \"capacity\": \"512KiB\", \"cpus\": "
          "[0]}]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[0].capacity", 3, "at least 256 pages"},
    {"page size not a power of two",
     OPEN "\"machine\": {\"page_size\": 5000, \"nodes\": [" NODE0 "]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.page_size", 2, "power of two"},
    {"phase smaller than a page",
     OPEN MACHINE "\"workload\": {\"generator\": {\"phases\": [\n"
                  "  {\"pattern\": \"uniform\", \"size\": 100}]}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.generator.phases[0].size", 4, "at least page_size"},
    /* knobs out of range */
    {"watermark_scale_factor too big",
     OPEN "\"kernel\": {\"watermark_scale_factor\": 5000},\n" TAIL, SCENARIO_ERROR_INVALID,
     "kernel.watermark_scale_factor", 2, "1..3000"},
    {"swappiness too big", OPEN "\"kernel\": {\"swappiness\": 201},\n" TAIL, SCENARIO_ERROR_INVALID,
     "kernel.swappiness", 2, "0..200"},
    {"max_pool_percent zero", OPEN "\"kernel\": {\"zswap\": {\"max_pool_percent\": 0}},\n" TAIL,
     SCENARIO_ERROR_INVALID, "kernel.zswap.max_pool_percent", 2, "1..100"},
    {"min_free_kbytes word", OPEN "\"kernel\": {\"min_free_kbytes\": \"lots\"},\n" TAIL,
     SCENARIO_ERROR_INVALID, "kernel.min_free_kbytes", 2, "\"auto\""},
    {"chain size 17", OPEN "\"kernel\": {\"zsmalloc\": {\"chain_size\": 17}},\n" TAIL,
     SCENARIO_ERROR_INVALID, "kernel.zsmalloc.chain_size", 2, "4..16"},
    {"pre-6.3 with chain size 8",
     OPEN "\"kernel\": {\"zsmalloc\": {\"rule\": \"pre-6.3\",\n \"chain_size\": 8}},\n" TAIL,
     SCENARIO_ERROR_INVALID, "kernel.zsmalloc.chain_size", 3, "pre-6.3"},
    {"bad enum", OPEN "\"kernel\": {\"numa_balancing\": \"tierng\"},\n" TAIL,
     SCENARIO_ERROR_INVALID, "kernel.numa_balancing", 2, "did you mean \"tiering\""},
    {"theta out of range",
     OPEN MACHINE "\"workload\": {\"generator\": {\"phases\": [\n"
                  "  {\"pattern\": \"zipf\", \"size\": \"1MiB\", \"theta\": 0}]}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.generator.phases[0].theta", 4, "(0, 10]"},
    /* nodes */
    {"duplicate node ids",
     OPEN "\"machine\": {\"nodes\": [\n" NODE0 ",\n"
          "{\"id\": 0, \"capacity\": \"1GiB\"}]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[1].id", 4, "unique node id"},
    {"non-contiguous node ids",
     OPEN "\"machine\": {\"nodes\": [\n" NODE0 ",\n"
          "{\"id\": 2, \"capacity\": \"1GiB\"}]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[1].id", 4, "0..1"},
    {"missing node id",
     OPEN "\"machine\": {\"nodes\": [\n{\"capacity\": \"1GiB\", \"cpus\": [0]}]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[0].id", 3, "required"},
    {"missing capacity",
     OPEN "\"machine\": {\"nodes\": [\n{\"id\": 0, \"cpus\": [0]}]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[0].capacity", 3, "required"},
    {"CPU in two nodes",
     OPEN "\"machine\": {\"nodes\": [\n{\"id\": 0, \"capacity\": \"1GiB\", \"cpus\": [0, 1]},\n"
          "{\"id\": 1, \"capacity\": \"1GiB\", \"cpus\": [2,\n 1]}]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[1].cpus[1]", 5, "already on node 0"},
    {"no CPUs at all",
     OPEN "\"machine\": {\"nodes\": [\n{\"id\": 0, \"capacity\": \"1GiB\"}]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes", 2, "no node has a CPU; tasks need one"},
    {"unknown preset",
     OPEN "\"machine\": {\"nodes\": [" NODE0 ",\n"
          "{\"id\": 1, \"capacity\": \"1GiB\", \"preset\": \"cxl-asci\"}]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[1].preset", 3, "\"cxl-asic\", \"cxl-fpga\""},
    {"relative preset without reference",
     OPEN "\"machine\": {\"nodes\": [{\"id\": 0, \"kind\": \"cxl\", \"capacity\": \"1GiB\", "
          "\"cpus\": [0]},\n"
          "{\"id\": 1, \"capacity\": \"1GiB\", \"preset\": \"cxl-pond\"}]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.nodes[1].preset", 3, "reference DRAM node"},
    /* distances */
    {"asymmetric distances",
     OPEN "\"machine\": {\"nodes\": [" NODE0 ", {\"id\": 1, \"capacity\": \"1GiB\"}],\n"
          "\"distances\": [[10, 20],\n"
          "  [30, 10]]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.distances[1][0]", 4, "symmetric"},
    {"non-square distances",
     OPEN "\"machine\": {\"nodes\": [" NODE0 ", {\"id\": 1, \"capacity\": \"1GiB\"}],\n"
          "\"distances\": [[10, 20],\n"
          "  [20]]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.distances[1]", 4, "row of 2 distances"},
    {"wrong row count",
     OPEN "\"machine\": {\"nodes\": [" NODE0 "],\n\"distances\": [[10], [10]]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.distances", 3, "1 row (one per node)"},
    {"bad diagonal",
     OPEN "\"machine\": {\"nodes\": [" NODE0 ", {\"id\": 1, \"capacity\": \"1GiB\"}],\n"
          "\"distances\": [[12, 20], [20, 10]]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.distances[0][0]", 3, "10 on the diagonal"},
    {"remote distance 10",
     OPEN "\"machine\": {\"nodes\": [" NODE0 ", {\"id\": 1, \"capacity\": \"1GiB\"}],\n"
          "\"distances\": [[10, 10], [10, 10]]},\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "machine.distances[0][1]", 3, "11..254"},
    /* tasks and mempolicies */
    {"task cpu on no node", OPEN "\"tasks\": [\n{\"pid\": 1, \"cpu\": 7}],\n" TAIL,
     SCENARIO_ERROR_INVALID, "tasks[0].cpu", 3, "got CPU 7"},
    {"duplicate pid", OPEN "\"tasks\": [{\"pid\": 1},\n{\"pid\": 1}],\n" TAIL,
     SCENARIO_ERROR_INVALID, "tasks[1].pid", 3, "unique pid"},
    {"mempolicy node does not exist",
     OPEN
     "\"tasks\": [{\"pid\": 1, \"mempolicy\": {\"mode\": \"bind\",\n \"nodes\": [3]}}],\n" TAIL,
     SCENARIO_ERROR_INVALID, "tasks[0].mempolicy.nodes[0]", 3, "existing node id (0..0)"},
    {"preferred with two nodes",
     OPEN "\"machine\": {\"nodes\": [" NODE0 ", {\"id\": 1, \"capacity\": \"1GiB\"}]},\n"
          "\"tasks\": [{\"pid\": 1, \"mempolicy\": {\"mode\": \"preferred\",\n"
          "  \"nodes\": [0, 1]}}],\n" WORKLOAD CLOSE,
     SCENARIO_ERROR_INVALID, "tasks[0].mempolicy.nodes", 4, "exactly one node"},
    {"local with nodes",
     OPEN "\"tasks\": [{\"pid\": 1, \"mempolicy\": {\"mode\": \"local\", \"nodes\": [0]}}],\n" TAIL,
     SCENARIO_ERROR_INVALID, "tasks[0].mempolicy.nodes", 2, "no nodes for mode \"local\""},
    {"bind without nodes",
     OPEN "\"tasks\": [{\"pid\": 1, \"mempolicy\": {\"mode\": \"bind\"}}],\n" TAIL,
     SCENARIO_ERROR_INVALID, "tasks[0].mempolicy.nodes", 2, "at least one node"},
    {"generator pid without task",
     OPEN "\"tasks\": [{\"pid\": 2, \"cpu\": 0}],\n" MACHINE
          "\"workload\": {\"generator\": {\"phases\": [\n" PHASE "]}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.generator.phases[0].pid", 5, "pid listed in tasks, got 1"},
    /* workload */
    {"workload with both",
     OPEN MACHINE "\"workload\": {\"generator\": {\"phases\": [" PHASE "]},\n"
                  "  \"trace\": {\"path\": \"x\"}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload", 3, "got both"},
    {"workload with neither", OPEN MACHINE "\"workload\": {}\n" CLOSE, SCENARIO_ERROR_INVALID,
     "workload", 3, "got neither"},
    {"no workload", OPEN MACHINE "\"seed\": 3\n" CLOSE, SCENARIO_ERROR_INVALID, "workload", 1,
     "required key is missing"},
    {"no machine", OPEN WORKLOAD CLOSE, SCENARIO_ERROR_INVALID, "machine", 1,
     "required key is missing"},
    {"theta on a uniform phase",
     OPEN MACHINE "\"workload\": {\"generator\": {\"phases\": [\n"
                  "  {\"pattern\": \"uniform\", \"size\": \"1MiB\",\n"
                  "   \"theta\": 0.9}]}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.generator.phases[0].theta", 5, "pattern \"zipf\""},
    {"hot_fraction on a zipf phase",
     OPEN MACHINE "\"workload\": {\"generator\": {\"phases\": [" PHASE ",\n"
                  "  {\"pattern\": \"zipf\", \"size\": \"1MiB\", \"hot_fraction\": 0.1}]}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.generator.phases[1].hot_fraction", 4, "pattern \"hotcold\""},
    {"passes and accesses",
     OPEN MACHINE "\"workload\": {\"generator\": {\"phases\": [\n"
                  "  {\"pattern\": \"uniform\", \"size\": \"1MiB\", \"passes\": 1,\n"
                  "   \"accesses\": 100}]}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.generator.phases[0].accesses", 5, "got both"},
    {"op and write_fraction",
     OPEN MACHINE "\"workload\": {\"generator\": {\"phases\": [\n"
                  "  {\"pattern\": \"uniform\", \"size\": \"1MiB\", \"op\": \"read\",\n"
                  "   \"write_fraction\": 0.5}]}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.generator.phases[0].write_fraction", 5, "got both"},
    {"missing pattern",
     OPEN MACHINE "\"workload\": {\"generator\": {\"phases\": [\n"
                  "  {\"size\": \"1MiB\"}]}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.generator.phases[0].pattern", 4, "required"},
    {"empty phases", OPEN MACHINE "\"workload\": {\"generator\": {\"phases\": []}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.generator.phases", 3, "non-empty array"},
    {"trace path missing",
     OPEN MACHINE "\"workload\": {\"trace\": {\n\"path\": \"no-such.trace\"}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.trace.path", 4, "existing file"},
    {"trace path is a folder",
     OPEN MACHINE "\"workload\": {\"trace\": {\"path\": \"/\", \"format\": \"csv\"}}\n" CLOSE,
     SCENARIO_ERROR_INVALID, "workload.trace.path", 3, "not a folder"},
    /* placement */
    {"unknown placement name", OPEN "\"placement\": \"orign\",\n" TAIL, SCENARIO_ERROR_INVALID,
     "placement", 2, "did you mean \"origin\""},
    {"duplicate placement", OPEN "\"placement\": [\"task\", \"origin\",\n \"task\"],\n" TAIL,
     SCENARIO_ERROR_INVALID, "placement[2]", 3, "distinct policy names"},
    {"empty placement list", OPEN "\"placement\": [],\n" TAIL, SCENARIO_ERROR_INVALID, "placement",
     2, "non-empty array"},
    /* compressibility */
    {"key of another model",
     OPEN "\"compressibility\": {\"model\": \"fixed\",\n \"ratio\": 2},\n" TAIL,
     SCENARIO_ERROR_INVALID, "compressibility.ratio", 3, "a key of model \"ratio\""},
    {"compressed_bytes above page",
     OPEN "\"compressibility\": {\"compressed_bytes\": 5000},\n" TAIL, SCENARIO_ERROR_INVALID,
     "compressibility.compressed_bytes", 2, "1..4096"},
    {"ratio below 1", OPEN "\"compressibility\": {\"model\": \"ratio\", \"ratio\": 0.5},\n" TAIL,
     SCENARIO_ERROR_INVALID, "compressibility.ratio", 2, ">= 1"},
    {"distribution without histogram",
     OPEN "\"compressibility\": {\"model\": \"distribution\"},\n" TAIL, SCENARIO_ERROR_INVALID,
     "compressibility.histogram", 2, "required"},
    {"zero weight",
     OPEN "\"compressibility\": {\"model\": \"distribution\",\n"
          " \"histogram\": [{\"bytes\": 10, \"weight\": 0}]},\n" TAIL,
     SCENARIO_ERROR_INVALID, "compressibility.histogram[0].weight", 3, "> 0"},
    {"corpus path missing",
     OPEN "\"compressibility\": {\"model\": \"corpus\", \"path\": \"nope.bin\"},\n" TAIL,
     SCENARIO_ERROR_INVALID, "compressibility.path", 2, "existing file"},
};

static void test_bad_cases(void)
{
    g_assert_cmpuint(G_N_ELEMENTS(bad_cases), >=, 30);
    for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        const BadCase *c = &bad_cases[i];
        GError *error = NULL;
        Scenario *sc = scenario_load_from_data("t/bad.json", c->json, strlen(c->json), &error);
        if (sc)
            g_error("case \"%s\" loaded", c->what);
        g_assert_nonnull(error);
        g_autofree char *prefix = g_strdup_printf("t/bad.json:%d:", c->line);
        g_autofree char *with_path = c->path ? g_strdup_printf(": %s: ", c->path) : NULL;
        if (!g_error_matches(error, TIERSIM_SCENARIO_ERROR, (gint)c->code) ||
            !g_str_has_prefix(error->message, prefix) ||
            (with_path && !strstr(error->message, with_path)) || !strstr(error->message, c->detail))
            g_error("case \"%s\": got code %d, message\n  %s\nwanted code %d, prefix \"%s\", "
                    "path \"%s\", detail \"%s\"",
                    c->what, error->code, error->message, c->code, prefix, c->path ? c->path : "",
                    c->detail);
        g_test_message("%s -> %s", c->what, error->message);
        g_error_free(error);
    }
}

static void test_syntax_position(void)
{
    static const char json[] = "{\n  \"seed\": 1,\n  \"machine\": [1 2]\n}\n";
    GError *error = NULL;
    g_assert_null(load(json, &error));
    g_assert_error(error, TIERSIM_SCENARIO_ERROR, SCENARIO_ERROR_SYNTAX);
    /* The '2' after "1 " at line 3, column 17. */
    g_assert_cmpstr(error->message, ==, "t/scen.json:3:17: JSON syntax error: unexpected '2'");
    g_error_free(error);
}

/* ---- presets ------------------------------------------------------------ */

#define REF_DRAM                                                                                   \
    "{\"id\": 0, \"kind\": \"dram\", \"capacity\": \"1GiB\", \"cpus\": [0], "                      \
    "\"read_latency_ns\": 100, \"bandwidth_gbps\": 100}"

static Scenario *load_with_node1(const char *node1)
{
    g_autofree char *json =
        g_strdup_printf("{\"machine\": {\"nodes\": [" REF_DRAM ", %s]},\n" WORKLOAD "}", node1);
    return load_ok(json);
}

static void test_preset_cxl_asic(void)
{
    g_autoptr(Scenario) sc =
        load_with_node1("{\"id\": 1, \"capacity\": \"1GiB\", \"preset\": \"cxl-asic\"}");
    const NodeParams *n = &sc->machine.nodes[1];
    g_assert_cmpint(n->kind, ==, NODE_KIND_CXL);
    g_assert_cmpuint(n->read_latency_ns, ==, 218);
    g_assert_cmpuint(n->write_latency_ns, ==, 218);
    g_assert_cmpfloat_with_epsilon(n->bandwidth_gbps, 82.0, 1e-9);
    g_assert_cmpstr(n->preset, ==, "cxl-asic");
    g_assert_null(sc->machine.nodes[0].preset);
}

static void test_preset_explicit_keys_win(void)
{
    g_autoptr(Scenario) sc = load_with_node1(
        "{\"id\": 1, \"capacity\": \"1GiB\", \"preset\": \"cxl-asic\", \"kind\": \"pmem\", "
        "\"read_latency_ns\": 300, \"bandwidth_gbps\": 10}");
    const NodeParams *n = &sc->machine.nodes[1];
    g_assert_cmpint(n->kind, ==, NODE_KIND_PMEM);
    g_assert_cmpuint(n->read_latency_ns, ==, 300);
    g_assert_cmpuint(n->write_latency_ns, ==, 218); /* not written: from the preset */
    g_assert_cmpfloat(n->bandwidth_gbps, ==, 10);
}

static void test_preset_fpga_pond_dram(void)
{
    g_autoptr(Scenario) fpga =
        load_with_node1("{\"id\": 1, \"capacity\": \"1GiB\", \"preset\": \"cxl-fpga\"}");
    g_assert_cmpuint(fpga->machine.nodes[1].read_latency_ns, ==, 288);
    g_assert_cmpfloat_with_epsilon(fpga->machine.nodes[1].bandwidth_gbps, 57.0, 1e-9);
    g_autoptr(Scenario) pond =
        load_with_node1("{\"id\": 1, \"capacity\": \"1GiB\", \"preset\": \"cxl-pond\"}");
    g_assert_cmpuint(pond->machine.nodes[1].read_latency_ns, ==, 180);
    g_assert_cmpuint(pond->machine.nodes[1].write_latency_ns, ==, 180);
    g_assert_cmpfloat(pond->machine.nodes[1].bandwidth_gbps, ==, 100);
    g_autoptr(Scenario) dram =
        load_with_node1("{\"id\": 1, \"capacity\": \"1GiB\", \"preset\": \"dram\"}");
    g_assert_cmpint(dram->machine.nodes[1].kind, ==, NODE_KIND_DRAM);
    g_assert_cmpuint(dram->machine.nodes[1].read_latency_ns, ==, 90);
    g_assert_cmpfloat(dram->machine.nodes[1].bandwidth_gbps, ==, 0);
}

/* The reference is the lowest-id DRAM node with CPUs, with default values
 * when it writes none; an unlimited reference leaves the preset unlimited. */
static void test_preset_reference_defaults(void)
{
    g_autoptr(Scenario) sc = load_ok(
        "{\"machine\": {\"nodes\": [\n"
        "  {\"id\": 2, \"capacity\": \"1GiB\", \"preset\": \"cxl-asic\"},\n"
        "  {\"id\": 0, \"kind\": \"dram\", \"capacity\": \"1GiB\", \"read_latency_ns\": 50},\n"
        "  {\"id\": 1, \"capacity\": \"1GiB\", \"cpus\": [4]}]},\n" WORKLOAD "}");
    const NodeParams *n = &sc->machine.nodes[2];
    g_assert_cmpuint(n->read_latency_ns, ==, 196); /* 2.18 x 90, node 0 has no CPUs */
    g_assert_cmpfloat(n->bandwidth_gbps, ==, 0);
    g_assert_cmpint(sc->machine.tasks[0].cpu, ==, 4);
}

static void test_preset_table(void)
{
    int n;
    const NodePreset *p = node_presets(&n);
    g_assert_cmpint(n, ==, 4);
    for (int i = 0; i < n; i++) {
        g_assert_nonnull(p[i].description);
        g_assert_nonnull(p[i].source);
        g_assert_true(node_preset_find(p[i].name) == &p[i]);
    }
    g_assert_null(node_preset_find("cxl"));
    g_assert_nonnull(strstr(node_preset_find("cxl-asic")->source, "2411.02282"));
    g_assert_nonnull(strstr(node_preset_find("cxl-pond")->source, "ASPLOS"));
}

/* ---- files, traces, tasks, copies --------------------------------------- */

static void test_trace_and_files(void)
{
    GError *error = NULL;
    g_autofree char *dir = g_dir_make_tmp("tiersim-scenario-XXXXXX", &error);
    g_assert_no_error(error);
    g_autofree char *sub = g_build_filename(dir, "traces", NULL);
    g_assert_cmpint(g_mkdir(sub, 0700), ==, 0);
    g_autofree char *trace = g_build_filename(sub, "a.trace", NULL);
    g_assert_true(g_file_set_contents(trace, "0 1 0x1000 R\n", -1, NULL));
    g_autofree char *corpus = g_build_filename(dir, "pages.bin", NULL);
    g_assert_true(g_file_set_contents(corpus, "abcd", -1, NULL));
    g_autofree char *scen = g_build_filename(dir, "my-run.json", NULL);
    static const char json[] =
        "{\"machine\": {\"nodes\": [" NODE0 "]},\n"
        " \"compressibility\": {\"model\": \"corpus\", \"path\": \"pages.bin\", "
        "\"compressor\": \"zstd\"},\n"
        " \"workload\": {\"trace\": {\"path\": \"traces/a.trace\", \"format\": \"lackey\",\n"
        "   \"time_unit\": \"us\", \"clock_ghz\": 2.5, \"rate\": 1000, \"skip_bad_lines\": "
        "true}}}\n";
    g_assert_true(g_file_set_contents(scen, json, -1, NULL));
    g_autoptr(Scenario) sc = scenario_load(scen, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(sc->name, ==, "my-run");
    g_assert_cmpstr(sc->path, ==, scen);
    g_assert_cmpstr(sc->json_text, ==, json);
    g_assert_cmpint(sc->workload_kind, ==, WORKLOAD_TRACE);
    g_assert_cmpstr(sc->trace.path, ==, trace);
    g_assert_cmpstr(sc->trace.format, ==, "lackey");
    g_assert_cmpint(sc->trace.time_unit_ns, ==, 1000);
    g_assert_cmpfloat(sc->trace.clock_ghz, ==, 2.5);
    g_assert_cmpfloat(sc->trace.rate, ==, 1000);
    g_assert_true(sc->trace.skip_bad_lines);
    g_assert_cmpint(sc->gen.n_phases, ==, 0);
    g_assert_cmpint(sc->machine.n_tasks, ==, 0); /* trace pids are not known here */
    g_assert_cmpint(sc->machine.compress.model, ==, COMPRESS_CORPUS);
    g_assert_cmpstr(sc->machine.compress.corpus_path, ==, corpus);
    g_assert_cmpint(sc->machine.compress.corpus_compressor, ==, COMPRESSOR_ZSTD);

    /* A missing file is an IO error naming it. */
    g_autofree char *missing = g_build_filename(dir, "absent.json", NULL);
    g_assert_null(scenario_load(missing, &error));
    g_assert_error(error, TIERSIM_SCENARIO_ERROR, SCENARIO_ERROR_IO);
    g_assert_true(g_str_has_prefix(error->message, missing));
    g_clear_error(&error);

    g_assert_cmpint(g_remove(scen), ==, 0);
    g_assert_cmpint(g_remove(corpus), ==, 0);
    g_assert_cmpint(g_remove(trace), ==, 0);
    g_assert_cmpint(g_rmdir(sub), ==, 0);
    g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void test_implicit_tasks_sorted(void)
{
    g_autoptr(Scenario) sc = load_ok(
        "{\"machine\": {\"nodes\": [{\"id\": 0, \"capacity\": \"1GiB\", \"cpus\": [9, 5]},\n"
        "  {\"id\": 1, \"capacity\": \"1GiB\", \"cpus\": [7]}]},\n"
        " \"workload\": {\"generator\": {\"phases\": [\n"
        "   {\"pid\": 30, \"pattern\": \"uniform\", \"size\": \"1MiB\"},\n"
        "   {\"pid\": 4, \"pattern\": \"uniform\", \"size\": \"1MiB\",\n"
        "    \"mempolicy\": {\"mode\": \"preferred\", \"nodes\": [1]}},\n"
        "   {\"pid\": 30, \"pattern\": \"sequential\", \"size\": \"2MiB\"}]}}}\n");
    const MachineParams *m = &sc->machine;
    g_assert_cmpint(m->n_tasks, ==, 2);
    g_assert_cmpint(m->tasks[0].pid, ==, 4);
    g_assert_cmpint(m->tasks[1].pid, ==, 30);
    g_assert_cmpint(m->tasks[0].cpu, ==, 5);
    g_assert_cmpint(m->tasks[1].cpu, ==, 5);
    g_assert_true(sc->phase_policies[1].set);
    g_assert_cmpint(sc->phase_policies[1].policy.mode, ==, MPOL_MODE_PREFERRED);
    g_assert_cmpuint(sc->phase_policies[1].policy.nodes, ==, 0x2);
    /* The task's own policy stays default: the phase policy is per region. */
    g_assert_cmpint(m->tasks[0].mempolicy.mode, ==, MPOL_MODE_DEFAULT);
}

static void test_placement_forms(void)
{
    g_autoptr(Scenario) one = load_ok("{\"placement\": \"strict\"," TAIL);
    g_assert_cmpint(one->n_policies, ==, 1);
    g_assert_cmpstr(one->machine.placement, ==, "strict");
    g_autoptr(Scenario) all =
        load_ok("{\"placement\": [\"task\", \"local\", \"origin\", \"strict\"]," TAIL);
    g_assert_cmpint(all->n_policies, ==, 4);
    g_assert_cmpstr(all->policies[3], ==, "strict");
    g_assert_null(all->policies[4]);
    g_assert_cmpstr(all->machine.placement, ==, "task");
}

static void test_gen_spec_copy(void)
{
    g_autoptr(Scenario) sc = load_ok(design_example);
    GenSpec copy;
    gen_spec_copy(&copy, &sc->gen);
    g_assert_cmpint(copy.n_phases, ==, 2);
    g_assert_true(copy.phases != sc->gen.phases);
    g_assert_true(copy.phases[1].region != sc->gen.phases[1].region);
    g_assert_cmpstr(copy.phases[1].region, ==, "push");
    g_assert_cmpuint(copy.phases[1].size_bytes, ==, sc->gen.phases[1].size_bytes);
    gen_spec_clear(&copy);
    g_assert_cmpint(copy.n_phases, ==, 0);
    g_assert_null(copy.phases);
    gen_spec_clear(&copy); /* clearing twice is harmless */
}

/* Every prefix of a valid file fails cleanly (syntax errors, never a crash). */
static void test_truncations(void)
{
    gsize len = strlen(design_example);
    g_assert_cmpint(design_example[len - 1], ==, '\n');
    for (gsize n = 0; n + 1 < len; n++) {
        GError *error = NULL;
        Scenario *sc = scenario_load_from_data("t/cut.json", design_example, n, &error);
        g_assert_null(sc);
        g_assert_error(error, TIERSIM_SCENARIO_ERROR, SCENARIO_ERROR_SYNTAX);
        g_error_free(error);
    }
    Scenario *whole = scenario_load_from_data("t/cut.json", design_example, len - 1, NULL);
    g_assert_nonnull(whole);
    scenario_free(whole);
}

/* The fuzz seeds double as examples: "bad-*" files must fail, the rest load. */
static void test_fuzz_seeds(void)
{
    g_autofree char *dir =
        g_build_filename(TIERSIM_SOURCE_DIR, "tests", "fuzz", "corpus_scenario", NULL);
    GError *error = NULL;
    GDir *d = g_dir_open(dir, 0, &error);
    g_assert_no_error(error);
    int good = 0, bad = 0;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);
        Scenario *sc = scenario_load(path, &error);
        if (g_str_has_prefix(name, "bad-")) {
            if (sc)
                g_error("%s loaded", name);
            g_assert_true(error && error->domain == TIERSIM_SCENARIO_ERROR &&
                          error->code != SCENARIO_ERROR_IO);
            g_test_message("%s: %s", name, error->message);
            g_clear_error(&error);
            bad++;
        } else {
            if (!sc)
                g_error("%s: %s", name, error->message);
            scenario_free(sc);
            good++;
        }
    }
    g_dir_close(d);
    g_assert_cmpint(good, >=, 4);
    g_assert_cmpint(bad, >=, 8);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/scenario/valid/design-example", test_design_example);
    g_test_add_func("/scenario/valid/minimal-defaults", test_minimal_defaults);
    g_test_add_func("/scenario/valid/every-key", test_every_key);
    g_test_add_func("/scenario/valid/kernel-4.1-two-64gib-nodes", test_kernel_41_setups);
    g_test_add_func("/scenario/valid/implicit-tasks-sorted", test_implicit_tasks_sorted);
    g_test_add_func("/scenario/valid/placement-forms", test_placement_forms);
    g_test_add_func("/scenario/valid/trace-and-files", test_trace_and_files);
    g_test_add_func("/scenario/units/size", test_units_size);
    g_test_add_func("/scenario/units/time", test_units_time);
    g_test_add_func("/scenario/errors/table", test_bad_cases);
    g_test_add_func("/scenario/errors/syntax-position", test_syntax_position);
    g_test_add_func("/scenario/errors/every-truncation", test_truncations);
    g_test_add_func("/scenario/presets/cxl-asic", test_preset_cxl_asic);
    g_test_add_func("/scenario/presets/explicit-keys-win", test_preset_explicit_keys_win);
    g_test_add_func("/scenario/presets/fpga-pond-dram", test_preset_fpga_pond_dram);
    g_test_add_func("/scenario/presets/reference-defaults", test_preset_reference_defaults);
    g_test_add_func("/scenario/presets/table", test_preset_table);
    g_test_add_func("/scenario/gen-spec/copy-and-clear", test_gen_spec_copy);
    g_test_add_func("/scenario/valid/fuzz-seeds", test_fuzz_seeds);
    return g_test_run();
}
