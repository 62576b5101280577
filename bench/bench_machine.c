/*
 * bench_machine - accesses per second of the machine model, and simulator
 * bytes per touched page. Prints figures; never a timed test.
 *   (a) a working set that fits: every access a resident hit;
 *   (b) a working set twice memory: continuous reclaim to swap (zswap off);
 *   (c) as (b) with zswap on (origin placement).
 * Run: cmake --build build --target bench && build/bench/bench_machine [gen|a|b]
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "models/machine.h"
#include "sim/engine.h"
#include "traces/generator.h"

static void params(MachineParams *p, uint64_t pages, bool zswap)
{
    machine_params_init_defaults(p);
    p->n_nodes = 1;
    p->nodes[0].id = 0;
    p->nodes[0].capacity_bytes = pages * 4096;
    p->nodes[0].read_latency_ns = p->nodes[0].write_latency_ns = 90;
    p->nodes[0].abstract_distance = -1;
    p->nodes[0].n_cpus = 1;
    p->nodes[0].cpus = g_new0(int, 1);
    p->swap.capacity_bytes = pages * 4096 * 4;
    p->kernel.zswap.enabled = zswap;
    g_free(p->placement);
    p->placement = g_strdup("origin");
}

typedef struct {
    Machine *m;
    TraceSource *src;
    PageAccess buf[4096];
    gssize pos, len;
    int64_t lag;
    uint64_t n;
} Replay;

static int64_t stream(SimEngine *eng, void *ctx, int64_t now)
{
    Replay *r = ctx;
    r->lag += machine_access(r->m, &r->buf[r->pos++]);
    r->n++;
    if (r->pos == r->len) {
        r->len = trace_source_read(r->src, r->buf, G_N_ELEMENTS(r->buf), NULL);
        r->pos = 0;
        if (r->len <= 0)
            return -1;
    }
    return r->buf[r->pos].time_ns + r->lag;
}

static void run(const char *label, uint64_t mem_pages, uint64_t ws_pages, GenPattern pat,
                uint64_t accesses, bool zswap)
{
    MachineParams p;
    params(&p, mem_pages, zswap);
    SimEngine *eng = sim_engine_new();
    Machine *m = machine_new(&p, eng, NULL);
    GenPhase ph[2] = {
        {1, "r", GEN_SEQUENTIAL, ws_pages * 4096, 1, 0, 1.0, 0, 0.99, 0.2, 0.8},
        {1, "r", pat, ws_pages * 4096, 0, accesses, 0.3, 0, 0.99, 0.2, 0.8},
    };
    GenSpec spec = {2, ph};
    Replay r = {m, gen_source_new(&spec, 4096, 1), {{0}}, 0, 0, 0, 0};
    r.len = trace_source_read(r.src, r.buf, G_N_ELEMENTS(r.buf), NULL);
    sim_set_stream(eng, 0, stream, &r);
    gint64 t0 = g_get_monotonic_time();
    sim_run(eng, INT64_MAX);
    double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
    printf("%-44s %12.2f M accesses/s  (%" G_GUINT64_FORMAT " accesses, %.2f s, %.1f bytes/page, "
           "pswpout %" G_GUINT64_FORMAT ", zswpout %" G_GUINT64_FORMAT ")\n",
           label, (double)r.n / secs / 1e6, r.n, secs, machine_bytes_per_page(m),
           machine_vm_total(m, VM_PSWPOUT), machine_vm_total(m, VM_ZSWPOUT));
    trace_source_free(r.src);
    machine_free(m);
    sim_engine_free(eng);
    machine_params_clear(&p);
}

/* The generator alone, to separate its cost from the machine's. */
static void gen_only(const char *label, uint64_t ws_pages, GenPattern pat, uint64_t accesses)
{
    GenPhase ph = {1, "r", pat, ws_pages * 4096, 0, accesses, 0.3, 0, 0.99, 0.2, 0.8};
    GenSpec spec = {1, &ph};
    TraceSource *src = gen_source_new(&spec, 4096, 1);
    static PageAccess buf[4096];
    uint64_t n = 0, sink = 0;
    gint64 t0 = g_get_monotonic_time();
    gssize k;
    while ((k = trace_source_read(src, buf, G_N_ELEMENTS(buf), NULL)) > 0) {
        n += (uint64_t)k;
        sink += buf[k - 1].vpage;
    }
    double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
    printf("%-44s %12.2f M accesses/s  (generator only, checksum %" G_GUINT64_FORMAT ")\n", label,
           (double)n / secs / 1e6, sink % 1000);
    trace_source_free(src);
}

int main(int argc, char **argv)
{
    const uint64_t mem = 262144; /* 1 GiB of memory, 4 KiB pages */
    const char *only = argc > 1 ? argv[1] : "";
    if (!*only || !strcmp(only, "gen")) {
        gen_only("generator: uniform", mem / 2, GEN_UNIFORM, 50000000);
        gen_only("generator: zipf 0.99", mem / 2, GEN_ZIPF, 50000000);
    }
    if (!*only || !strcmp(only, "a")) {
        run("(a) fits in memory, uniform hits", mem, mem / 2, GEN_UNIFORM, 50000000, false);
        run("(a') fits in memory, sequential hits", mem, mem / 2, GEN_SEQUENTIAL, 50000000, false);
        run("(a'') fits in memory, zipf 0.99 hits", mem, mem / 2, GEN_ZIPF, 50000000, false);
    }
    if (!*only || !strcmp(only, "b")) {
        run("(b) twice memory, uniform, reclaim to swap", mem, mem * 2, GEN_UNIFORM, 5000000,
            false);
        run("(c) twice memory, uniform, zswap (origin)", mem, mem * 2, GEN_UNIFORM, 5000000, true);
    }
    return 0;
}
