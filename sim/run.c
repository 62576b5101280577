/*
 * run.c - one simulation run and its outputs (see run.h).
 */
#include "sim/run.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "models/lathist.h"
#include "models/placement.h"
#include "models/zswap.h"
#include "sim/engine.h"
#include "sim/output.h"
#include "traces/corpus.h"
#include "traces/reader.h"
#include "traces/source.h"

#define TIERSIM_ERROR_RUN g_quark_from_static_string("tiersim-run")
#define BATCH             4096
#define SAMPLE_COLS_FIXED 8 /* time, node, free, anon, zspages, 3 byte columns */

struct Simulation {
    const Scenario *sc; /* borrowed */
    char *policy;
    SimEngine *eng;
    Machine *m;
    TraceSource *src;
    PageAccess buf[BATCH];
    gsize pos, len;
    int64_t lag_ns;
    int64_t service_ns; /* sum of service times; the lag is this / parallelism */
    uint64_t accesses;
    uint64_t total_accesses; /* 0: unknown */
    GError *error;           /* first error met inside the stream */
    gboolean stopped_oom;
    gboolean stopped_max_time;
    GArray *samples; /* uint64 rows of SAMPLE_COLS_FIXED + VM_NR_ITEMS */
    uint64_t check_every;
    gboolean progress;
    gint64 last_progress_us;
    gboolean is_baseline;
    int64_t all_dram_time_ns; /* -1: not run */
};

static void sample_fn(SimEngine *eng, void *ctx, int64_t t_ns);

static void check_fn(SimEngine *eng, void *ctx)
{
    Simulation *sim = ctx;
    GError *error = NULL;
    if (!machine_check(sim->m, &error))
        g_error("invariant violated at t=%" G_GINT64_FORMAT " ns, step %" G_GUINT64_FORMAT ": %s",
                sim_now(eng), sim_steps(eng), error->message);
}

static gboolean refill(Simulation *sim)
{
    gssize n = trace_source_read(sim->src, sim->buf, BATCH, &sim->error);
    sim->pos = 0;
    sim->len = n > 0 ? (gsize)n : 0;
    return n > 0;
}

static void show_progress(Simulation *sim)
{
    gint64 now = g_get_monotonic_time();
    if (now - sim->last_progress_us < 1000000)
        return;
    sim->last_progress_us = now;
    if (sim->total_accesses)
        fprintf(stderr, "\r%s: %5.1f%% of %" G_GUINT64_FORMAT " accesses", sim->policy,
                100.0 * (double)sim->accesses / (double)sim->total_accesses, sim->total_accesses);
    else
        fprintf(stderr, "\r%s: %" G_GUINT64_FORMAT " accesses", sim->policy, sim->accesses);
}

static int64_t stream_step(Simulation *sim);

/* The trace stream; when it ends, periodic background work stops so the
 * engine drains. */
static int64_t stream_fn(SimEngine *eng, void *ctx, int64_t now)
{
    Simulation *sim = ctx;
    int64_t next = stream_step(sim);
    if (next < 0)
        machine_stop_background(sim->m);
    return next;
}

static int64_t stream_step(Simulation *sim)
{
    const PageAccess *a = &sim->buf[sim->pos++];
    if (a->cpu >= 0 && machine_cpu_node(sim->m, a->cpu) < 0) {
        g_set_error(&sim->error, TIERSIM_ERROR_RUN, 0,
                    "%s: access %" G_GUINT64_FORMAT
                    " names cpu %d, which the machine does not have",
                    sim->sc->path, sim->accesses + 1, a->cpu);
        return -1;
    }
    sim->service_ns += machine_access(sim->m, a);
    sim->lag_ns = sim->service_ns / sim->sc->parallelism;
    sim->accesses++;
    if (machine_oom(sim->m)) {
        sim->stopped_oom = TRUE;
        return -1;
    }
    if (G_UNLIKELY(sim->progress) && (sim->accesses & 0xfffff) == 0)
        show_progress(sim);
    if (sim->pos == sim->len && !refill(sim))
        return -1;
    int64_t next = sim->buf[sim->pos].time_ns + sim->lag_ns;
    if (sim->sc->max_time_ns && next > sim->sc->max_time_ns) {
        sim->stopped_max_time = TRUE;
        return -1;
    }
    return next;
}

/* The corpus compressibility model: compress every page of the file with
 * the chosen compressor; zero pages become the zero fraction (they take the
 * swap layer's zero-page shortcut) unless the scenario set one, and the
 * other pages' sizes the distribution. Same-filled pages that are not zero
 * are left out of the distribution (rare in real data). */
static gboolean measure_corpus(const Scenario *sc, MachineParams *mp, GError **error)
{
    CorpusStats st;
    CompressBucket *b = NULL;
    int n = 0;
    if (!corpus_measure_stats(mp->compress.corpus_path, mp->compress.corpus_compressor,
                              mp->page_size, TRUE, &st, &b, &n, error))
        return FALSE;
    if (n == 0) {
        g_free(b);
        g_set_error(error, TIERSIM_ERROR_RUN, 0,
                    "%s: compressibility.path %s: no page that is not same-filled to measure",
                    sc->path, mp->compress.corpus_path);
        return FALSE;
    }
    g_free(mp->compress.buckets);
    mp->compress.buckets = b;
    mp->compress.n_buckets = n;
    if (mp->compress.zero_fraction == 0 && st.pages)
        mp->compress.zero_fraction = (double)st.zero_pages / (double)st.pages;
    return TRUE;
}

static gboolean same_region(const GenPhase *a, const GenPhase *b)
{
    return a->pid == b->pid && !strcmp(a->region, b->region);
}

/* A phase's mempolicy applies to its whole region (mbind on the region's
 * VMA), once; phases naming one region with different policies are an
 * error. */
static gboolean mbind_regions(Simulation *sim, GError **error)
{
    const Scenario *sc = sim->sc;
    uint32_t ps = sc->machine.page_size;
    for (int i = 0; i < sc->gen.n_phases; i++) {
        if (!sc->phase_policies[i].set)
            continue;
        const GenPhase *ph = &sc->gen.phases[i];
        int owner = i;
        for (int j = 0; j < i && owner == i; j++)
            if (sc->phase_policies[j].set && same_region(&sc->gen.phases[j], ph))
                owner = j;
        if (owner != i) {
            const Mempolicy *a = &sc->phase_policies[owner].policy;
            const Mempolicy *b = &sc->phase_policies[i].policy;
            if (a->mode != b->mode || a->nodes != b->nodes) {
                g_set_error(error, TIERSIM_ERROR_RUN, 0,
                            "%s: workload.generator.phases[%d].mempolicy differs from "
                            "phases[%d].mempolicy for the same region \"%s\" of pid %u",
                            sc->path, i, owner, ph->region, ph->pid);
                return FALSE;
            }
            continue;
        }
        uint64_t first = 0, pages = 0;
        for (int j = 0; j < sc->gen.n_phases; j++) {
            if (!same_region(&sc->gen.phases[j], ph))
                continue;
            uint64_t f, n;
            gen_phase_region(&sc->gen, ps, j, &f, &n);
            first = f;
            if (n > pages)
                pages = n;
        }
        machine_mbind(sim->m, ph->pid, first, pages, &sc->phase_policies[i].policy);
    }
    return TRUE;
}

Simulation *simulation_new(const Scenario *sc, const SimOptions *opts, GError **error)
{
    const char *policy = opts && opts->policy ? opts->policy : sc->policies[0];
    if (!placement_policy_exists(policy)) {
        g_set_error(error, TIERSIM_ERROR_RUN, 0, "unknown placement policy '%s'", policy);
        return NULL;
    }
    g_autoptr(Simulation) sim = g_new0(Simulation, 1);
    sim->sc = sc;
    sim->policy = g_strdup(policy);
    sim->eng = sim_engine_new();
    MachineParams mp;
    machine_params_copy(&mp, opts && opts->machine ? opts->machine : &sc->machine);
    sim->is_baseline = opts && opts->machine;
    sim->all_dram_time_ns = -1;
    g_free(mp.placement);
    mp.placement = g_strdup(policy);
    if (mp.compress.model == COMPRESS_CORPUS && !measure_corpus(sc, &mp, error)) {
        machine_params_clear(&mp);
        return NULL;
    }
    sim->m = machine_new(&mp, sim->eng, error);
    machine_params_clear(&mp);
    if (!sim->m)
        return NULL;
    if (sc->workload_kind == WORKLOAD_GENERATOR) {
        uint32_t ps = sc->machine.page_size;
        if (!mbind_regions(sim, error))
            return NULL;
        sim->src = gen_source_new(&sc->gen, ps, sc->machine.seed);
        sim->total_accesses = gen_spec_total_accesses(&sc->gen, ps);
    } else {
        TraceOpenOptions to;
        trace_open_options_init(&to);
        to.format = sc->trace.format;
        to.time_unit_ns = sc->trace.time_unit_ns;
        to.clock_ghz = sc->trace.clock_ghz;
        to.rate = sc->trace.rate;
        to.skip_bad_lines = sc->trace.skip_bad_lines;
        sim->src = trace_open(sc->trace.path, &to, sc->machine.page_size, error);
        if (!sim->src)
            return NULL;
        const char *notes = trace_source_notes(sim->src);
        if (notes && *notes)
            fprintf(stderr, "%s", notes);
    }
    sim->samples = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    sim->check_every = opts && opts->check_every ? opts->check_every : sc->check_every;
    sim->progress = opts && opts->progress && isatty(2);
    return g_steal_pointer(&sim);
}

void simulation_free(Simulation *sim)
{
    if (!sim)
        return;
    trace_source_free(sim->src);
    machine_free(sim->m);
    sim_engine_free(sim->eng);
    if (sim->samples)
        g_array_free(sim->samples, TRUE);
    g_clear_error(&sim->error);
    g_free(sim->policy);
    g_free(sim);
}

Machine *simulation_machine(Simulation *sim)
{
    return sim->m;
}

const char *simulation_policy(const Simulation *sim)
{
    return sim->policy;
}

static void sample_fn(SimEngine *eng, void *ctx, int64_t t_ns)
{
    Simulation *sim = ctx;
    for (int n = 0; n < machine_n_nodes(sim->m); n++) {
        uint64_t row[SAMPLE_COLS_FIXED + VM_NR_ITEMS];
        row[0] = (uint64_t)t_ns;
        row[1] = (uint64_t)n;
        row[2] = machine_node_free_pages(sim->m, n);
        row[3] = machine_node_inactive_anon(sim->m, n) + machine_node_active_anon(sim->m, n);
        row[4] = machine_node_zspages(sim->m, n);
        row[5] = row[6] = row[7] = 0;
        Zswap *z = machine_zswap(sim->m);
        for (int o = 0; z && o < machine_n_nodes(sim->m); o++) {
            uint64_t b = zswap_bytes(z, n, o);
            row[5] += b;
            if (o != n)
                row[6] += b;
            if (zswap_node_tier(z, n) < zswap_node_tier(z, o))
                row[7] += b;
        }
        for (int i = 0; i < VM_NR_ITEMS; i++)
            row[SAMPLE_COLS_FIXED + i] = machine_node_vm(sim->m, n, (VmItem)i);
        g_array_append_vals(sim->samples, row, G_N_ELEMENTS(row));
    }
}

/* The machine of the slowdown baseline: every node a DRAM node with the
 * latencies and bandwidth of the first DRAM node with CPUs (else node 0),
 * capacities, CPUs, zones, distances and kernel knobs unchanged. */
static void all_dram_params(const MachineParams *src, MachineParams *dst)
{
    machine_params_copy(dst, src);
    int ref = 0;
    for (int n = src->n_nodes - 1; n >= 0; n--)
        if (src->nodes[n].kind == NODE_KIND_DRAM && src->nodes[n].n_cpus > 0)
            ref = n;
    for (int n = 0; n < dst->n_nodes; n++) {
        NodeParams *np = &dst->nodes[n];
        np->kind = NODE_KIND_DRAM;
        np->read_latency_ns = src->nodes[ref].read_latency_ns;
        np->write_latency_ns = src->nodes[ref].write_latency_ns;
        np->bandwidth_gbps = src->nodes[ref].bandwidth_gbps;
        np->abstract_distance = -1;
    }
}

static gboolean all_dram_differs(const MachineParams *a, const MachineParams *b)
{
    for (int n = 0; n < a->n_nodes; n++)
        if (a->nodes[n].kind != b->nodes[n].kind ||
            a->nodes[n].read_latency_ns != b->nodes[n].read_latency_ns ||
            a->nodes[n].write_latency_ns != b->nodes[n].write_latency_ns ||
            a->nodes[n].bandwidth_gbps != b->nodes[n].bandwidth_gbps)
            return TRUE;
    return FALSE;
}

static gboolean run_all_dram_baseline(Simulation *sim, GError **error)
{
    MachineParams mp;
    all_dram_params(machine_params(sim->m), &mp);
    if (!all_dram_differs(machine_params(sim->m), &mp)) {
        sim->all_dram_time_ns = sim_now(sim->eng); /* already all DRAM */
        machine_params_clear(&mp);
        return TRUE;
    }
    SimOptions o = {sim->policy, 0, FALSE, &mp};
    Simulation *b = simulation_new(sim->sc, &o, error);
    gboolean ok = b && simulation_run(b, error);
    if (ok)
        sim->all_dram_time_ns = sim_now(b->eng);
    simulation_free(b);
    machine_params_clear(&mp);
    return ok;
}

gboolean simulation_run(Simulation *sim, GError **error)
{
    sim_set_sampler(sim->eng, sim->sc->sample_interval_ns, sample_fn, sim);
    if (sim->check_every)
        sim_set_check(sim->eng, sim->check_every, check_fn, sim);
    if (refill(sim))
        sim_set_stream(sim->eng, sim->buf[0].time_ns, stream_fn, sim);
    else
        machine_stop_background(sim->m);
    if (sim->error) {
        g_propagate_error(error, g_steal_pointer(&sim->error));
        return FALSE;
    }
    /* The replay, then background work that was already due (kswapd
     * finishing its batches), bounded so a busy worker cannot run forever. */
    sim_run(sim->eng, INT64_MAX - 1);
    if (sim->progress)
        fprintf(stderr, "\r%60s\r", "");
    if (sim->error) {
        g_propagate_error(error, g_steal_pointer(&sim->error));
        return FALSE;
    }
    sample_fn(sim->eng, sim, sim_now(sim->eng)); /* the final state */
    if (sim->check_every)
        check_fn(sim->eng, sim);
    if (!sim->is_baseline && sim->sc->all_dram_baseline)
        return run_all_dram_baseline(sim, error);
    return TRUE;
}

/* ---- outputs ------------------------------------------------------------------ */

char *json_print_stable(const cJSON *j)
{
    char *s = cJSON_Print(j);
    char *out = g_strconcat(s, "\n", NULL);
    cJSON_free(s);
    return out;
}

static void add_u64(cJSON *obj, const char *name, uint64_t v)
{
    cJSON_AddItemToObject(obj, name, cJSON_CreateNumber((double)v));
}

/* vmstat items that are state, not events, read from the models. */
static void add_node_state(Machine *m, int n, cJSON *vm)
{
    add_u64(vm, "nr_free_pages", machine_node_free_pages(m, n));
    add_u64(vm, "nr_inactive_anon", machine_node_inactive_anon(m, n));
    add_u64(vm, "nr_active_anon", machine_node_active_anon(m, n));
    add_u64(vm, "nr_anon_pages", machine_node_inactive_anon(m, n) + machine_node_active_anon(m, n));
    add_u64(vm, "nr_zspages", machine_node_zspages(m, n));
}

static cJSON *node_vmstat_json(Machine *m, int n)
{
    cJSON *vm = cJSON_CreateObject();
    add_node_state(m, n, vm);
    for (int i = 0; i < VM_NR_ITEMS; i++)
        add_u64(vm, vmstat_name((VmItem)i), machine_node_vm(m, n, (VmItem)i));
    return vm;
}

static cJSON *total_vmstat_json(Machine *m)
{
    cJSON *vm = cJSON_CreateObject();
    uint64_t st[5] = {0};
    for (int n = 0; n < machine_n_nodes(m); n++) {
        st[0] += machine_node_free_pages(m, n);
        st[1] += machine_node_inactive_anon(m, n);
        st[2] += machine_node_active_anon(m, n);
        st[4] += machine_node_zspages(m, n);
    }
    st[3] = st[1] + st[2];
    static const char *const names[] = {"nr_free_pages", "nr_inactive_anon", "nr_active_anon",
                                        "nr_anon_pages", "nr_zspages"};
    for (int i = 0; i < 5; i++)
        add_u64(vm, names[i], st[i]);
    for (int i = 0; i < VM_NR_ITEMS; i++)
        add_u64(vm, vmstat_name((VmItem)i), machine_vm_total(m, (VmItem)i));
    return vm;
}

static cJSON *matrix_json(Zswap *z, int n, uint64_t (*get)(const Zswap *, int, int))
{
    cJSON *rows = cJSON_CreateArray();
    for (int d = 0; d < n; d++) {
        cJSON *row = cJSON_CreateArray();
        for (int o = 0; o < n; o++)
            cJSON_AddItemToArray(row, cJSON_CreateNumber((double)get(z, d, o)));
        cJSON_AddItemToArray(rows, row);
    }
    return rows;
}

static uint64_t zs_pages_share(const Zswap *z, int d, int o)
{
    /* the data node's pages split by the share of its bytes from each origin */
    uint64_t total = 0;
    int n = zs_pool_n_nodes(zswap_pool(z));
    for (int k = 0; k < n; k++)
        total += zswap_bytes(z, d, k);
    if (!total)
        return 0;
    return (uint64_t)((double)zs_pool_node_pages(zswap_pool(z), d) * (double)zswap_bytes(z, d, o) /
                          (double)total +
                      0.5);
}

static void add_zswap_sections(cJSON *root, Machine *m, Zswap *z)
{
    int n = machine_n_nodes(m);
    uint32_t ps = machine_page_size(m);
    const ZsPool *pool = zswap_pool(z);
    cJSON *zj = cJSON_AddObjectToObject(root, "zswap");
    for (int c = 0; c < ZSWAP_NR_COUNTERS; c++)
        add_u64(zj, zswap_counter_name((ZswapCounter)c), zswap_counter(z, (ZswapCounter)c));
    add_u64(zj, "pool_total_size", zswap_pool_pages(z) * ps);
    add_u64(zj, "stored_pages", zswap_stored_pages(z));
    add_u64(zj, "stored_incompressible_pages", zswap_stored_incompressible_pages(z));
    add_u64(zj, "max_pool_pages", zswap_max_pool_pages(z));

    cJSON *pj = cJSON_AddObjectToObject(root, "placement_matrix");
    cJSON_AddStringToObject(pj, "rows", "node holding the data");
    cJSON_AddStringToObject(pj, "columns", "origin node of the page");
    cJSON_AddItemToObject(pj, "compressed_bytes", matrix_json(z, n, zswap_bytes));
    cJSON_AddItemToObject(pj, "zsmalloc_pages", matrix_json(z, n, zs_pages_share));
    cJSON_AddItemToObject(pj, "zsmalloc_pages_allocated", matrix_json(z, n, zswap_alloc_pages));
    cJSON_AddItemToObject(pj, "stored_bytes_by_kswapd",
                          matrix_json(z, n, zswap_stored_bytes_kswapd));
    cJSON_AddItemToObject(pj, "stored_bytes_by_direct_reclaim",
                          matrix_json(z, n, zswap_stored_bytes_direct));

    cJSON *metrics = cJSON_AddObjectToObject(root, "metrics");
    ZswapInversion inv, rev;
    zswap_inversion(z, false, &inv);
    zswap_inversion(z, true, &rev);
    add_u64(metrics, "inversion_events", inv.events);
    add_u64(metrics, "inversion_bytes_now", inv.bytes_now);
    add_u64(metrics, "inversion_bytes_peak", inv.bytes_peak);
    cJSON_AddNumberToObject(metrics, "inversion_byte_seconds", inv.byte_seconds);
    add_u64(metrics, "reverse_inversion_events", rev.events);
    add_u64(metrics, "reverse_inversion_bytes_now", rev.bytes_now);
    add_u64(metrics, "reverse_inversion_bytes_peak", rev.bytes_peak);
    cJSON_AddNumberToObject(metrics, "reverse_inversion_byte_seconds", rev.byte_seconds);
    uint64_t cross = 0, cross_alloc = 0;
    for (int d = 0; d < n; d++)
        for (int o = 0; o < n; o++)
            if (d != o) {
                cross += zswap_bytes(z, d, o);
                cross_alloc += zswap_alloc_pages(z, d, o);
            }
    add_u64(metrics, "cross_node_bytes", cross);
    uint64_t xk = 0, xd = 0;
    for (int d = 0; d < n; d++)
        for (int o = 0; o < n; o++)
            if (d != o) {
                xk += zswap_stored_bytes_kswapd(z, d, o);
                xd += zswap_stored_bytes_direct(z, d, o);
            }
    add_u64(metrics, "cross_node_bytes_stored_by_kswapd", xk);
    add_u64(metrics, "cross_node_bytes_stored_by_direct_reclaim", xd);
    add_u64(metrics, "cross_node_zspages_allocated", cross_alloc);
    add_u64(metrics, "cross_node_kswapd_wakeups", machine_ts_total(m, TS_KSWAPD_WAKEUPS_ZS_CROSS));
    add_u64(metrics, "cross_node_kswapd_pages_scanned", machine_ts_total(m, TS_PGSCAN_ZS_CROSS));
    add_u64(metrics, "cross_node_direct_reclaim_entries",
            machine_ts_total(m, TS_DIRECT_RECLAIM_ZS_CROSS));
    uint64_t wb_on = 0, wb_all = 0;
    for (int t = 0; t < n; t++)
        for (int f = 0; f < n; f++) {
            wb_all += zswap_wb_freed(z, t, f);
            if (t == f)
                wb_on += zswap_wb_freed(z, t, f);
        }
    add_u64(metrics, "writeback_pages_freed", wb_all);
    add_u64(metrics, "writeback_pages_freed_on_target", wb_on);
    cJSON_AddNumberToObject(metrics, "reclaim_efficacy_ratio",
                            wb_all ? (double)wb_on / (double)wb_all : 1.0);
    uint64_t bytes = zs_pool_compressed_bytes(pool);
    add_u64(metrics, "compressed_bytes", bytes);
    add_u64(metrics, "zsmalloc_pages", zs_pool_total_pages(pool));
    cJSON_AddNumberToObject(metrics, "density_ratio", zs_pool_density(pool));
    add_u64(metrics, "fragmentation_pages", zs_pool_fragmentation_pages(pool));
    add_u64(metrics, "freeable_pages", zs_pool_shrinker_count(pool));
    add_u64(metrics, "strict_rejects", zswap_strict_rejects(z));
    add_u64(metrics, "strict_fallbacks", zswap_strict_fallbacks(z));
    ZsPoolStats st;
    zs_pool_get_stats(pool, &st);
    add_u64(metrics, "pages_compacted", st.pages_compacted);
}

cJSON *simulation_summary(Simulation *sim)
{
    Machine *m = sim->m;
    const MachineParams *p = machine_params(m);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "tiersim_version", TIERSIM_VERSION);
    cJSON_AddStringToObject(root, "name", sim->sc->name);
    add_u64(root, "seed", p->seed);
    cJSON_AddStringToObject(root, "placement", sim->policy);

    cJSON *run = cJSON_AddObjectToObject(root, "run");
    add_u64(run, "sim_time_ns", (uint64_t)sim_now(sim->eng));
    add_u64(run, "accesses", sim->accesses);
    add_u64(run, "engine_steps", sim_steps(sim->eng));
    add_u64(run, "pages_touched", machine_pages_touched(m));
    cJSON_AddBoolToObject(run, "oom", sim->stopped_oom);
    cJSON_AddBoolToObject(run, "stopped_at_max_time", sim->stopped_max_time);
    if (sim->sc->workload_kind == WORKLOAD_TRACE) {
        cJSON_AddStringToObject(run, "trace_format", trace_source_format(sim->src));
        add_u64(run, "trace_skipped_lines", trace_source_skipped_lines(sim->src));
    }

    cJSON *lat = cJSON_AddObjectToObject(root, "latency");
    cJSON_AddNumberToObject(lat, "access_latency_mean_ns", machine_latency_mean_ns(m));
    add_u64(lat, "access_latency_p50_ns", (uint64_t)machine_latency_percentile_ns(m, 50));
    add_u64(lat, "access_latency_p90_ns", (uint64_t)machine_latency_percentile_ns(m, 90));
    add_u64(lat, "access_latency_p99_ns", (uint64_t)machine_latency_percentile_ns(m, 99));
    add_u64(lat, "access_latency_p999_ns", (uint64_t)machine_latency_percentile_ns(m, 99.9));
    add_u64(lat, "stall_total_ns", (uint64_t)machine_total_stall_ns(m));
    if (sim->all_dram_time_ns > 0) {
        add_u64(lat, "all_dram_sim_time_ns", (uint64_t)sim->all_dram_time_ns);
        cJSON_AddNumberToObject(lat, "slowdown_vs_all_dram_ratio",
                                (double)sim_now(sim->eng) / (double)sim->all_dram_time_ns);
    }

    cJSON_AddItemToObject(root, "vmstat", total_vmstat_json(m));

    cJSON *tsj = cJSON_AddObjectToObject(root, "tiersim");
    for (int i = 0; i < TS_NR_ITEMS; i++)
        add_u64(tsj, ts_counter_name((TsItem)i), machine_ts_total(m, (TsItem)i));
    add_u64(tsj, "min_free_kbytes", machine_min_free_kbytes(m));
    add_u64(tsj, "swap_used_pages", machine_swap_used_pages(m));

    cJSON *nodes = cJSON_AddArrayToObject(root, "nodes");
    for (int n = 0; n < machine_n_nodes(m); n++) {
        cJSON *nj = cJSON_CreateObject();
        add_u64(nj, "id", (uint64_t)n);
        cJSON_AddStringToObject(nj, "kind", node_kind_name(p->nodes[n].kind));
        add_u64(nj, "capacity_pages", machine_node_capacity_pages(m, n));
        const Watermarks *wm = machine_node_wmarks(m, n);
        cJSON *wj = cJSON_AddObjectToObject(nj, "watermarks");
        add_u64(wj, "min_pages", wm->min);
        add_u64(wj, "low_pages", wm->low);
        add_u64(wj, "high_pages", wm->high);
        add_u64(wj, "promo_pages", wm->promo);
        add_u64(nj, "kswapd_cpu_node", (uint64_t)machine_kswapd_cpu_node(m, n));
        cJSON_AddItemToObject(nj, "vmstat", node_vmstat_json(m, n));
        Zswap *zn = machine_zswap(m);
        if (zn) {
            uint64_t b = 0;
            for (int o = 0; o < machine_n_nodes(m); o++)
                b += zswap_bytes(zn, n, o);
            uint64_t zp = machine_node_zspages(m, n);
            add_u64(nj, "compressed_bytes", b);
            cJSON_AddNumberToObject(nj, "density_ratio",
                                    zp ? (double)b / ((double)zp * machine_page_size(m)) : 0.0);
        }
        uint64_t acc = machine_node_ts(m, n, TS_ACCESSES);
        cJSON_AddNumberToObject(
            nj, "access_latency_mean_ns",
            acc ? (double)machine_node_ts(m, n, TS_ACCESS_LATENCY_NS) / (double)acc : 0.0);
        cJSON *nts = cJSON_AddObjectToObject(nj, "tiersim");
        for (int i = 0; i < TS_NR_ITEMS; i++)
            add_u64(nts, ts_counter_name((TsItem)i), machine_node_ts(m, n, (TsItem)i));
        cJSON_AddItemToArray(nodes, nj);
    }

    Zswap *z = machine_zswap(m);
    if (z)
        add_zswap_sections(root, m, z);

    cJSON *echo = cJSON_Parse(sim->sc->json_text);
    cJSON_AddItemToObject(root, "scenario", echo ? echo : cJSON_CreateNull());
    return root;
}

static void vmstat_text(GString *out, const cJSON *vm)
{
    for (const cJSON *c = vm->child; c; c = c->next)
        g_string_append_printf(out, "%s %.0f\n", c->string, c->valuedouble);
}

static GString *timeseries_tsv(Simulation *sim)
{
    const int width = SAMPLE_COLS_FIXED + VM_NR_ITEMS;
    guint rows = sim->samples->len / width;
    const uint64_t *d = (const uint64_t *)sim->samples->data;
    bool used[VM_NR_ITEMS] = {false};
    for (guint r = 0; r < rows; r++)
        for (int i = 0; i < VM_NR_ITEMS; i++)
            used[i] |= d[r * width + SAMPLE_COLS_FIXED + i] != 0;
    GString *out = g_string_new("time_ns\tnode\tfree_pages\tanon_pages\tzspages\tcompressed_bytes"
                                "\tcross_node_bytes\tinversion_bytes");
    for (int i = 0; i < VM_NR_ITEMS; i++)
        if (used[i])
            g_string_append_printf(out, "\t%s", vmstat_name((VmItem)i));
    g_string_append_c(out, '\n');
    for (guint r = 0; r < rows; r++) {
        const uint64_t *row = d + r * width;
        g_string_append_printf(out, "%" G_GUINT64_FORMAT, row[0]);
        for (int c = 1; c < SAMPLE_COLS_FIXED; c++)
            g_string_append_printf(out, "\t%" G_GUINT64_FORMAT, row[c]);
        for (int i = 0; i < VM_NR_ITEMS; i++)
            if (used[i])
                g_string_append_printf(out, "\t%" G_GUINT64_FORMAT, row[SAMPLE_COLS_FIXED + i]);
        g_string_append_c(out, '\n');
    }
    return out;
}

/* The access latency histogram: one row per non-empty bucket (its lower
 * bound), for CDFs. */
static GString *latency_tsv(Simulation *sim)
{
    GString *out = g_string_new("latency_ns\taccesses\n");
    const LatHist *h = machine_latency_hist(sim->m);
    for (int b = 0; b < LATHIST_BUCKETS; b++)
        if (h->buckets[b])
            g_string_append_printf(out, "%" G_GINT64_FORMAT "\t%" G_GUINT64_FORMAT "\n",
                                   lathist_bucket_low(b), h->buckets[b]);
    return out;
}

static gboolean write_string(const char *dir, const char *name, GString *s, GError **error)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    gboolean ok = output_write_atomic(path, s->str, s->len, error);
    g_string_free(s, TRUE);
    return ok;
}

gboolean simulation_write_outputs(Simulation *sim, const char *dir, GError **error)
{
    if (!output_mkdir(dir, error))
        return FALSE;
    cJSON *summary = simulation_summary(sim);
    char *text = json_print_stable(summary);
    GString *s = g_string_new(text);
    g_free(text);
    if (!write_string(dir, "summary.json", s, error)) {
        cJSON_Delete(summary);
        return FALSE;
    }
    GString *vm = g_string_new(NULL);
    vmstat_text(vm, cJSON_GetObjectItemCaseSensitive(summary, "vmstat"));
    gboolean ok = write_string(dir, "vmstat", vm, error);
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(summary, "nodes");
    int n = 0;
    for (const cJSON *nj = nodes->child; ok && nj; nj = nj->next, n++) {
        g_autofree char *nd = g_strdup_printf("%s/node%d", dir, n);
        ok = output_mkdir(nd, error);
        if (ok) {
            GString *nv = g_string_new(NULL);
            vmstat_text(nv, cJSON_GetObjectItemCaseSensitive(nj, "vmstat"));
            ok = write_string(nd, "vmstat", nv, error);
        }
    }
    cJSON_Delete(summary);
    if (ok)
        ok = write_string(dir, "timeseries.tsv", timeseries_tsv(sim), error);
    if (ok)
        ok = write_string(dir, "latency.tsv", latency_tsv(sim), error);
    Zswap *z = machine_zswap(sim->m);
    if (ok && z) {
        GString *cls = g_string_new(NULL);
        zs_pool_write_classes(zswap_pool(z), cls);
        ok = write_string(dir, "zsmalloc_classes", cls, error);
    }
    return ok;
}

void simulation_print_table(Simulation *sim, FILE *out)
{
    Machine *m = sim->m;
    fprintf(out, "%s  placement=%s  simulated %.3f s  %" G_GUINT64_FORMAT " accesses%s\n",
            sim->sc->name, sim->policy, (double)sim_now(sim->eng) / 1e9, sim->accesses,
            sim->stopped_oom ? "  (stopped: simulated machine out of memory)" : "");
    fprintf(out, "%-5s %-5s %12s %12s %12s %10s %10s %10s %10s\n", "node", "kind", "free_pages",
            "anon_pages", "nr_zspages", "pgscan", "pgsteal", "pswpout", "zswpout");
    for (int n = 0; n < machine_n_nodes(m); n++) {
        fprintf(out,
                "%-5d %-5s %12" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT
                " %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT
                " %10" G_GUINT64_FORMAT "\n",
                n, node_kind_name(machine_params(m)->nodes[n].kind), machine_node_free_pages(m, n),
                machine_node_inactive_anon(m, n) + machine_node_active_anon(m, n),
                machine_node_zspages(m, n),
                machine_node_vm(m, n, VM_PGSCAN_KSWAPD) + machine_node_vm(m, n, VM_PGSCAN_DIRECT),
                machine_node_vm(m, n, VM_PGSTEAL_KSWAPD) + machine_node_vm(m, n, VM_PGSTEAL_DIRECT),
                machine_node_vm(m, n, VM_PSWPOUT), machine_node_vm(m, n, VM_ZSWPOUT));
    }
    fprintf(out,
            "access latency: mean %.1f ns  p50 %" G_GINT64_FORMAT " ns  p99 %" G_GINT64_FORMAT
            " ns\n",
            machine_latency_mean_ns(m), machine_latency_percentile_ns(m, 50),
            machine_latency_percentile_ns(m, 99));
}
