/*
 * bench_traces.c - decode speed of every trace reader.
 *
 * Writes generated traces to a temporary folder (native: 50M records, plain
 * and zstd; each text format: 10M lines), reads each once to warm the page
 * cache, then times the best of three full reads through trace_open() with
 * batches of 4096 records, and prints records (and lines) per second.
 * Targets (issue 6): native >= 100M records/s, text >= 10M lines/s.
 *
 *   cmake --build build --target bench && build/bench/bench_traces [SCALE]
 *
 * SCALE (default 1.0) multiplies every size, for a quick run.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/native.h"
#include "traces/reader.h"

#define BATCH 4096

typedef struct Gen {
    uint64_t x;
} Gen;

static uint64_t gen_next(Gen *g)
{
    g->x ^= g->x << 13;
    g->x ^= g->x >> 7;
    g->x ^= g->x << 17;
    return g->x;
}

/* A plausible address stream: mostly nearby, sometimes a jump. */
static uint64_t gen_addr(Gen *g, uint64_t *cur)
{
    uint64_t r = gen_next(g);
    if ((r & 15) == 0)
        *cur = 0x7f0000000000ULL + ((r >> 8) & 0xfffffff) * 8;
    else
        *cur += (r >> 4) & 0x38;
    return *cur;
}

typedef struct Out {
    FILE *f;
    char *buf;
} Out;

static Out out_open(const char *path)
{
    Out o = {fopen(path, "w"), g_malloc(1 << 20)};
    if (!o.f) {
        perror(path);
        exit(1);
    }
    setvbuf(o.f, o.buf, _IOFBF, 1 << 20);
    return o;
}

static void out_close(Out *o)
{
    fclose(o->f);
    g_free(o->buf);
}

static double read_all(const char *path, const TraceOpenOptions *opts, uint64_t *records)
{
    GError *error = NULL;
    PageAccess *buf = g_new(PageAccess, BATCH);
    double best = 1e30;
    for (int rep = 0; rep < 4; rep++) {
        TraceSource *src = trace_open(path, opts, 4096, &error);
        if (!src) {
            fprintf(stderr, "bench: %s\n", error->message);
            exit(1);
        }
        gint64 t0 = g_get_monotonic_time();
        uint64_t n = 0, sum = 0;
        gssize k;
        while ((k = trace_source_read(src, buf, BATCH, &error)) > 0) {
            n += (uint64_t)k;
            sum += buf[0].vpage;
        }
        gint64 t1 = g_get_monotonic_time();
        if (k < 0) {
            fprintf(stderr, "bench: %s\n", error->message);
            exit(1);
        }
        trace_source_free(src);
        *records = n + (sum & 0); /* sum keeps the loop honest */
        double s = (double)(t1 - t0) / 1e6;
        if (rep > 0 && s < best) /* rep 0 warms the page cache */
            best = s;
    }
    g_free(buf);
    return best;
}

static void report(const char *what, const char *path, const TraceOpenOptions *opts, uint64_t lines)
{
    uint64_t records;
    double s = read_all(path, opts, &records);
    GStatBuf st;
    g_stat(path, &st);
    printf("%-22s %11" G_GUINT64_FORMAT " records %8.1f MB  %7.3f s  %7.1f M records/s", what,
           records, (double)st.st_size / 1e6, s, (double)records / s / 1e6);
    if (lines)
        printf("  %6.1f M lines/s", (double)lines / s / 1e6);
    printf("\n");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    double scale = argc > 1 ? atof(argv[1]) : 1.0;
    if (scale <= 0)
        scale = 1.0;
    uint64_t n_native = (uint64_t)(50e6 * scale), n_text = (uint64_t)(10e6 * scale);
    GError *error = NULL;
    char *dir = g_dir_make_tmp("bench-traces-XXXXXX", &error);
    if (!dir) {
        fprintf(stderr, "bench: %s\n", error->message);
        return 1;
    }
    printf("bench_traces: %s, native %" G_GUINT64_FORMAT " records, text %" G_GUINT64_FORMAT
           " lines, batches of %d\n",
           dir, n_native, n_text, BATCH);
    TraceOpenOptions opts;
    trace_open_options_init(&opts);
    Gen g = {88172645463325252ULL};
    uint64_t cur = 0x7f0000000000ULL;

    /* native, plain and zstd */
    for (int z = 0; z < 2; z++) {
        char *path = g_build_filename(dir, z ? "native-zstd.trace" : "native.trace", NULL);
        NativeWriter *w = native_writer_new(path, 4096, z, &error);
        PageAccess *buf = g_new(PageAccess, BATCH);
        g.x = 88172645463325252ULL;
        for (uint64_t i = 0; i < n_native;) {
            gsize k = 0;
            for (; k < BATCH && i < n_native; k++, i++) {
                uint64_t r = gen_next(&g);
                buf[k] =
                    (PageAccess){(int64_t)i, gen_addr(&g, &cur) >> 12,
                                 1 + (uint32_t)((r >> 40) % 4 == 0), -1, (uint8_t)((r >> 50) & 1)};
            }
            if (!native_writer_add(w, buf, k, &error)) {
                fprintf(stderr, "bench: %s\n", error->message);
                return 1;
            }
        }
        g_free(buf);
        if (!native_writer_close(w, &error)) {
            fprintf(stderr, "bench: %s\n", error->message);
            return 1;
        }
        opts.format = "native";
        report(z ? "native (zstd)" : "native", path, &opts, 0);
        g_unlink(path);
        g_free(path);
    }

    static const char *const ops[] = {"L", "S", "M"};
    struct {
        const char *name;
        const char *format;
        double clock;
    } texts[] = {
        {"lackey", "lackey", 0},        {"text", "text", 0},
        {"pinatrace", "pinatrace", 0},  {"perf", "perf", 0},
        {"ramulator", "ramulator", 0},  {"prospero", "prospero", 2.0},
        {"lackey (gzip)", "lackey", 0},
    };
    for (gsize t = 0; t < G_N_ELEMENTS(texts); t++) {
        char *path = g_build_filename(dir, texts[t].name, NULL);
        gboolean gz = strstr(texts[t].name, "gzip") != NULL;
        char *plain = gz ? g_strconcat(path, ".src", NULL) : g_strdup(path);
        Out o = out_open(plain);
        g.x = 88172645463325252ULL;
        uint64_t n = gz ? n_text / 4 : n_text;
        if (!strcmp(texts[t].format, "text"))
            fputs("time_ns,pid,cpu,addr,op\n", o.f);
        for (uint64_t i = 0; i < n; i++) {
            uint64_t r = gen_next(&g), a = gen_addr(&g, &cur);
            gboolean w = (r >> 50) & 1;
            switch (t) {
            case 0:
            case 6:
                fprintf(o.f, " %s %010" G_GINT64_MODIFIER "x,8\n", ops[(r >> 20) % 3], a);
                break;
            case 1:
                fprintf(o.f, "%" G_GUINT64_FORMAT ",%u,%u,0x%" G_GINT64_MODIFIER "x,%s\n", i * 10,
                        1 + (unsigned)((r >> 40) & 1), (unsigned)((r >> 30) & 3), a, w ? "W" : "R");
                break;
            case 2:
                fprintf(o.f, "0x%" G_GINT64_MODIFIER "x: %s 0x%" G_GINT64_MODIFIER "x\n",
                        0x401000 + (r & 0xffff), w ? "W" : "R", a);
                break;
            case 3:
                fprintf(o.f,
                        "%7u/%-7u [%03u] %5" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT
                        ": %16" G_GINT64_MODIFIER "x\n",
                        4242u, 4243u, (unsigned)((r >> 30) & 3), 1000 + i / 1000000, i % 1000000,
                        a);
                break;
            case 4:
                fprintf(o.f, "%u %s 0x%" G_GINT64_MODIFIER "x\n", (unsigned)(r & 3),
                        w ? "ST" : "LD", a);
                break;
            case 5:
                fprintf(o.f, "%" G_GUINT64_FORMAT " %s %" G_GUINT64_FORMAT " 8\n", i * 3,
                        w ? "W" : "R", a);
                break;
            }
        }
        out_close(&o);
        if (gz) {
            char *cmd = g_strdup_printf("gzip -c -1 '%s' > '%s'", plain, path);
            if (system(cmd) != 0) {
                fprintf(stderr, "bench: gzip failed\n");
                return 1;
            }
            g_free(cmd);
            g_unlink(plain);
        }
        opts.format = texts[t].format;
        opts.clock_ghz = texts[t].clock;
        report(texts[t].name, path, &opts, n + (t == 1));
        opts.clock_ghz = 0;
        g_unlink(path);
        g_free(plain);
        g_free(path);
    }

    /* damon: snapshots of 1000 regions of 8 pages, nr_accesses 1..20, over
     * enough 100 ms snapshots to expand to ~n_text accesses. */
    {
        char *path = g_build_filename(dir, "damon", NULL);
        Out o = out_open(path);
        uint64_t lines = 0, acc = 0;
        fprintf(o.f, "base_time_absolute: 1000000000\n\n");
        for (uint64_t s = 0; acc < n_text; s++) {
            fprintf(o.f,
                    "monitoring_start: %" G_GUINT64_FORMAT "\nmonitoring_end: %" G_GUINT64_FORMAT
                    "\nmonitoring_duration: 100000000\ntarget_id: 4242\nnr_regions: 1000\n",
                    s * 100000000, (s + 1) * 100000000);
            for (int r = 0; r < 1000; r++) {
                uint64_t nr = 1 + (gen_next(&g) % 20);
                uint64_t start = 0x7f0000000000ULL + (uint64_t)r * 8 * 4096;
                fprintf(o.f,
                        "%012" G_GINT64_MODIFIER "x-%012" G_GINT64_MODIFIER
                        "x (%12u) %11" G_GUINT64_FORMAT " %5d\n",
                        start, start + 8 * 4096, 8 * 4096, nr, 3);
                acc += nr * 8;
            }
            fprintf(o.f, "\n");
            lines += 1006;
        }
        out_close(&o);
        opts.format = "damon";
        report("damon (expanded)", path, &opts, 0);
        g_unlink(path);
        g_free(path);
    }
    g_rmdir(dir);
    g_free(dir);
    return 0;
}
