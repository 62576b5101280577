/*
 * cmd_trace.c - `tiersim trace`: info, convert and record.
 *
 *   info FILE      statistics of any trace (--json: one object on stdout)
 *   convert IN OUT any format to native (--zstd compresses the blocks)
 *   record [-o OUT] -- PROGRAM ARGS...
 *                  runs PROGRAM under valgrind's lackey tool, reading its
 *                  access log through a pipe as it is written, and writes a
 *                  native trace
 *
 * Notes from the readers (auto-detection, time basis, defaults) go to
 * stderr, so that stdout holds only the requested output. Bad usage and bad
 * input exit 2.
 */
#include <errno.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenarios/scenario.h"
#include "sim/cli.h"
#include "traces/generator.h"
#include "traces/native.h"
#include "traces/reader.h"
#include "traces/trace_stats.h"

#define TRACE_BATCH 65536

/* Options shared by the subcommands that read a trace. */
typedef struct ReadOpts {
    char *format;
    char *time_unit;
    double rate;
    double clock_ghz;
    char *page_size;
    gboolean skip_bad_lines;
} ReadOpts;

static void read_opts_clear(ReadOpts *o)
{
    g_free(o->format);
    g_free(o->time_unit);
    g_free(o->page_size);
}

static void add_read_entries(GOptionContext *ctx, ReadOpts *o)
{
    GOptionEntry entries[] = {
        {"format", 'f', 0, G_OPTION_ARG_STRING, &o->format,
         "Trace format: auto (default), native, text, lackey, lackey-insn, pinatrace, perf, "
         "damon, ramulator, prospero",
         "F"},
        {"page-size", 0, 0, G_OPTION_ARG_STRING, &o->page_size,
         "Page size in bytes, a power of two (default 4096; K, KiB, M, MiB allowed)", "N"},
        {"rate", 0, 0, G_OPTION_ARG_DOUBLE, &o->rate,
         "Accesses per second, for formats without time (default 1e9)", "R"},
        {"clock-ghz", 0, 0, G_OPTION_ARG_DOUBLE, &o->clock_ghz,
         "CPU clock for cycle-stamped traces (prospero; text 'time' in cycles)", "G"},
        {"time-unit", 0, 0, G_OPTION_ARG_STRING, &o->time_unit,
         "Unit of a text trace's 'time' column: ns, us, ms, s", "U"},
        {"skip-bad-lines", 0, 0, G_OPTION_ARG_NONE, &o->skip_bad_lines,
         "Skip malformed lines (counted and reported) instead of failing", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_option_context_add_main_entries(ctx, entries, NULL);
}

static gboolean parse_page_size(const char *s, uint32_t *out, GError **error)
{
    if (!s) {
        *out = 4096;
        return TRUE;
    }
    char *end;
    errno = 0;
    guint64 v = g_ascii_strtoull(s, &end, 10);
    guint64 mult = 1;
    if (!g_ascii_strcasecmp(end, "k") || !g_ascii_strcasecmp(end, "kib"))
        mult = 1024;
    else if (!g_ascii_strcasecmp(end, "m") || !g_ascii_strcasecmp(end, "mib"))
        mult = 1024 * 1024;
    else if (*end)
        v = 0;
    v *= mult;
    if (errno || end == s || v == 0 || v > (1u << 30) || (v & (v - 1))) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                    "--page-size: expected a power of two up to 1GiB, got '%s'", s);
        return FALSE;
    }
    *out = (uint32_t)v;
    return TRUE;
}

static gboolean read_opts_resolve(const ReadOpts *o, TraceOpenOptions *t, uint32_t *page_size,
                                  GError **error)
{
    trace_open_options_init(t);
    if (o->format)
        t->format = o->format;
    t->rate = o->rate;
    t->clock_ghz = o->clock_ghz;
    t->skip_bad_lines = o->skip_bad_lines;
    if (o->time_unit) {
        static const struct {
            const char *name;
            int64_t ns;
        } units[] = {{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}};
        for (gsize i = 0; i < G_N_ELEMENTS(units); i++)
            if (!strcmp(o->time_unit, units[i].name))
                t->time_unit_ns = units[i].ns;
        if (!t->time_unit_ns) {
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                        "--time-unit: expected ns, us, ms or s, got '%s'", o->time_unit);
            return FALSE;
        }
    }
    if (o->rate < 0 || o->clock_ghz < 0) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                    "--rate and --clock-ghz must be positive");
        return FALSE;
    }
    return parse_page_size(o->page_size, page_size, error);
}

static void print_notes(TraceSource *src)
{
    const char *notes = trace_source_notes(src);
    while (*notes) {
        const char *nl = strchr(notes, '\n');
        int len = nl ? (int)(nl - notes) : (int)strlen(notes);
        fprintf(stderr, "tiersim: note: %.*s\n", len, notes);
        notes += len + (nl ? 1 : 0);
    }
}

static void print_skipped(TraceSource *src)
{
    guint64 n = trace_source_skipped_lines(src);
    if (n)
        fprintf(stderr, "tiersim: skipped %" G_GUINT64_FORMAT " malformed lines (skip_bad_lines)\n",
                n);
}

static int usage_error(GOptionContext *ctx, const char *msg)
{
    fprintf(stderr, "tiersim: %s (see --help)\n", msg);
    g_option_context_free(ctx);
    return TIERSIM_EXIT_BAD_INPUT;
}

/* Parses the options of a reading subcommand (whose context already holds
 * its entries and the reading ones), checks it got `want` arguments and opens
 * argv[1]. Consumes ctx and ro. Returns the source, or NULL with *rc set. */
static TraceSource *parse_and_open(GOptionContext *ctx, ReadOpts *ro, int *argc, char ***argv,
                                   int want, const char *usage, uint32_t *page_size, int *rc)
{
    *rc = TIERSIM_EXIT_BAD_INPUT;
    gboolean parsed = cli_parse(ctx, argc, argv);
    if (parsed && *argc != want) {
        read_opts_clear(ro);
        usage_error(ctx, usage); /* frees ctx */
        return NULL;
    }
    g_option_context_free(ctx);
    if (!parsed) {
        read_opts_clear(ro);
        return NULL;
    }
    TraceOpenOptions to;
    GError *error = NULL;
    TraceSource *src = NULL;
    if (read_opts_resolve(ro, &to, page_size, &error))
        src = trace_open((*argv)[1], &to, *page_size, &error);
    read_opts_clear(ro);
    if (!src) {
        *rc = cli_fail(error);
        return NULL;
    }
    print_notes(src);
    return src;
}

/* ---- info ---- */

static void human_bytes(uint64_t b, char *out, gsize cap)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = (double)b;
    int u = 0;
    while (v >= 1024 && u < 5) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        g_snprintf(out, cap, "%" G_GUINT64_FORMAT " B", b);
    else
        g_snprintf(out, cap, "%.1f %s", v, units[u]);
}

static void print_info_json(TraceSource *src, uint32_t page_size, const TraceStatsSummary *s)
{
    GString *j = g_string_new("{");
    g_string_append_printf(j, "\"format\": \"%s\", \"compression\": \"%s\", \"page_size\": %u, ",
                           trace_source_format(src), trace_source_compression(src), page_size);
    g_string_append_printf(j,
                           "\"records\": %" G_GUINT64_FORMAT ", \"reads\": %" G_GUINT64_FORMAT
                           ", \"writes\": %" G_GUINT64_FORMAT ", \"pids\": [",
                           s->records, s->reads, s->writes);
    for (guint i = 0; i < s->n_pids; i++)
        g_string_append_printf(j, "%s%u", i ? ", " : "", s->pids[i]);
    g_string_append_printf(j,
                           "], \"distinct_pages\": %" G_GUINT64_FORMAT
                           ", \"footprint_bytes\": %" G_GUINT64_FORMAT ", ",
                           s->distinct_pages, s->footprint_bytes);
    g_string_append_printf(j,
                           "\"time_first_ns\": %" G_GINT64_FORMAT
                           ", \"time_last_ns\": %" G_GINT64_FORMAT
                           ", \"time_span_ns\": %" G_GINT64_FORMAT ", ",
                           s->time_first_ns, s->time_last_ns, s->time_last_ns - s->time_first_ns);
    g_string_append_printf(j,
                           "\"reuse_distance\": {\"reuses\": %" G_GUINT64_FORMAT
                           ", \"cold\": %" G_GUINT64_FORMAT ", \"median_pages\": %" G_GUINT64_FORMAT
                           ", \"p90_pages\": %" G_GUINT64_FORMAT
                           ", \"max_pages\": %" G_GUINT64_FORMAT ", \"mean_pages\": %.3f}, ",
                           s->reuses, s->distinct_pages, s->reuse_median_pages, s->reuse_p90_pages,
                           s->reuse_max_pages, s->reuse_mean_pages);
    g_string_append_printf(j, "\"skipped_lines\": %" G_GUINT64_FORMAT "}\n",
                           trace_source_skipped_lines(src));
    fputs(j->str, stdout);
    g_string_free(j, TRUE);
}

static void print_info_text(const char *path, TraceSource *src, uint32_t page_size,
                            const TraceStatsSummary *s)
{
    char fp[32];
    human_bytes(s->footprint_bytes, fp, sizeof(fp));
    printf("trace           %s\n", path);
    printf("format          %s (compression: %s)\n", trace_source_format(src),
           trace_source_compression(src));
    printf("records         %" G_GUINT64_FORMAT "\n", s->records);
    printf("reads           %" G_GUINT64_FORMAT "\n", s->reads);
    printf("writes          %" G_GUINT64_FORMAT "\n", s->writes);
    printf("pids            %u:", s->n_pids);
    for (guint i = 0; i < s->n_pids && i < 16; i++)
        printf(" %u", s->pids[i]);
    printf("%s\n", s->n_pids > 16 ? " ..." : "");
    printf("distinct pages  %" G_GUINT64_FORMAT " (page size %u)\n", s->distinct_pages, page_size);
    printf("footprint       %s (%" G_GUINT64_FORMAT " bytes)\n", fp, s->footprint_bytes);
    printf("time            %" G_GINT64_FORMAT " ns .. %" G_GINT64_FORMAT
           " ns (span %" G_GINT64_FORMAT " ns)\n",
           s->time_first_ns, s->time_last_ns, s->time_last_ns - s->time_first_ns);
    printf("reuse distance  %" G_GUINT64_FORMAT " re-accesses, %" G_GUINT64_FORMAT
           " cold; median %" G_GUINT64_FORMAT " pages, p90 %" G_GUINT64_FORMAT
           ", max %" G_GUINT64_FORMAT ", mean %.1f\n",
           s->reuses, s->distinct_pages, s->reuse_median_pages, s->reuse_p90_pages,
           s->reuse_max_pages, s->reuse_mean_pages);
    if (trace_source_skipped_lines(src))
        printf("skipped lines   %" G_GUINT64_FORMAT "\n", trace_source_skipped_lines(src));
}

static int trace_info(int argc, char **argv)
{
    ReadOpts ro = {0};
    gboolean json = FALSE;
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object (notes go to stderr)",
         NULL},
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx = g_option_context_new("FILE - statistics of a trace");
    g_option_context_add_main_entries(ctx, entries, NULL);
    add_read_entries(ctx, &ro);
    g_option_context_set_description(
        ctx, "Prints records, reads, writes, pids, distinct pages, footprint, time span and a\n"
             "reuse-distance summary (exact LRU stack distances in pages; nearest-rank median\n"
             "and p90). A page is a (pid, virtual page) pair.\n");
    uint32_t page_size;
    int rc;
    TraceSource *src = parse_and_open(ctx, &ro, &argc, &argv, 2,
                                      "trace info takes exactly one FILE", &page_size, &rc);
    if (!src)
        return rc;
    GError *error = NULL;
    TraceStats *st = trace_stats_new(page_size);
    PageAccess *buf = g_new(PageAccess, TRACE_BATCH);
    gssize n;
    while ((n = trace_source_read(src, buf, TRACE_BATCH, &error)) > 0)
        trace_stats_add(st, buf, (gsize)n);
    g_free(buf);
    rc = TIERSIM_EXIT_OK;
    if (n < 0) {
        rc = cli_fail(error);
    } else {
        TraceStatsSummary s;
        trace_stats_summary(st, &s);
        print_skipped(src);
        if (json)
            print_info_json(src, page_size, &s);
        else
            print_info_text(argv[1], src, page_size, &s);
    }
    trace_stats_free(st);
    trace_source_free(src);
    return rc;
}

/* ---- convert ---- */

/* Copies a whole source into a native writer; FALSE with *error set. */
static gboolean pump(TraceSource *src, NativeWriter *w, GError **error)
{
    PageAccess *buf = g_new(PageAccess, TRACE_BATCH);
    gssize n;
    gboolean ok = TRUE;
    while ((n = trace_source_read(src, buf, TRACE_BATCH, error)) > 0) {
        if (!native_writer_add(w, buf, (gsize)n, error)) {
            ok = FALSE;
            break;
        }
    }
    if (n < 0)
        ok = FALSE;
    g_free(buf);
    return ok;
}

static int trace_convert(int argc, char **argv)
{
    ReadOpts ro = {0};
    gboolean zstd = FALSE;
    GOptionEntry entries[] = {
        {"zstd", 0, 0, G_OPTION_ARG_NONE, &zstd, "Compress the native trace's blocks with zstd",
         NULL},
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx = g_option_context_new("IN OUT - convert any trace to tiersim's native "
                                               "format");
    g_option_context_add_main_entries(ctx, entries, NULL);
    add_read_entries(ctx, &ro);
    uint32_t page_size;
    int rc;
    TraceSource *src = parse_and_open(ctx, &ro, &argc, &argv, 3, "trace convert takes IN and OUT",
                                      &page_size, &rc);
    if (!src)
        return rc;
    GError *error = NULL;
    NativeWriter *w = native_writer_new(argv[2], page_size, zstd, &error);
    if (!w) {
        trace_source_free(src);
        return cli_fail(error);
    }
    native_writer_set_source_format(w, trace_source_format(src));
    if (!pump(src, w, &error)) {
        native_writer_abort(w);
        trace_source_free(src);
        return cli_fail(error);
    }
    uint64_t count = native_writer_count(w);
    print_skipped(src);
    trace_source_free(src);
    if (!native_writer_close(w, &error))
        return cli_fail(error);
    fprintf(stderr, "tiersim: wrote %" G_GUINT64_FORMAT " records to %s (native%s)\n", count,
            argv[2], zstd ? ", zstd" : "");
    return TIERSIM_EXIT_OK;
}

/* ---- record ---- */

static int trace_record(int argc, char **argv)
{
    /* Everything after "--" is the program: GOption must not see it. */
    int split = argc;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--")) {
            split = i;
            break;
        }
    char *out = NULL, *page_size_s = NULL;
    gboolean zstd = FALSE, insn = FALSE;
    double rate = 0;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
         "Native trace to write (default: PROGRAM's base name + .trace)", "OUT"},
        {"zstd", 0, 0, G_OPTION_ARG_NONE, &zstd, "Compress the trace's blocks with zstd", NULL},
        {"page-size", 0, 0, G_OPTION_ARG_STRING, &page_size_s, "Page size (default 4096)", "N"},
        {"rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate,
         "Accesses per second of the ordinal clock (default 1e9)", "R"},
        {"insn-time", 0, 0, G_OPTION_ARG_NONE, &insn,
         "Advance the clock per instruction instead of per access (lackey-insn)", NULL},
        G_OPTION_ENTRY_NULL,
    };
    GOptionContext *ctx =
        g_option_context_new("[-o OUT] -- PROGRAM ARGS... - record a program's memory accesses");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(
        ctx, "Runs PROGRAM under valgrind --tool=lackey --trace-mem=yes (Debian package\n"
             "valgrind), streams lackey's log through a pipe, drops instruction lines as they\n"
             "arrive and writes a native trace (pid 1, ordinal time). The program's own output\n"
             "is left on the terminal.\n");
    int pargc = split;
    char **pargv = g_new0(char *, (gsize)split + 1);
    memcpy(pargv, argv, (gsize)split * sizeof(char *));
    char **pargv_orig = pargv;
    gboolean ok = cli_parse(ctx, &pargc, &pargv);
    int rc = TIERSIM_EXIT_BAD_INPUT;
    GError *error = NULL;
    uint32_t page_size = 4096;
    if (!ok)
        goto done;
    if (pargc != 1 || split >= argc - 1) {
        fprintf(stderr, "tiersim: trace record needs '-- PROGRAM [ARGS...]' (see --help)\n");
        goto done;
    }
    if (!parse_page_size(page_size_s, &page_size, &error)) {
        rc = cli_fail(error);
        goto done;
    }
    if (rate < 0) {
        fprintf(stderr, "tiersim: --rate must be positive\n");
        goto done;
    }
    const char *override = g_getenv("TIERSIM_VALGRIND");
    char *valgrind =
        override && *override ? g_strdup(override) : g_find_program_in_path("valgrind");
    if (!valgrind || access(valgrind, X_OK) != 0) {
        fprintf(stderr,
                "tiersim: valgrind not found%s%s: trace record needs it; install the Debian "
                "package 'valgrind' (apt-get install valgrind)\n",
                valgrind ? " at " : " in PATH", valgrind ? valgrind : "");
        g_free(valgrind);
        goto done;
    }
    char **prog = argv + split + 1;
    int nprog = argc - split - 1;
    char *default_out = NULL;
    if (!out) {
        char *base = g_path_get_basename(prog[0]);
        default_out = g_strdup_printf("%s.trace", base);
        g_free(base);
    }
    const char *out_path = out ? out : default_out;

    int fds[2];
    if (!g_unix_open_pipe(fds, FD_CLOEXEC, &error)) {
        g_free(valgrind);
        g_free(default_out);
        rc = cli_fail(error);
        goto done;
    }
    const int log_fd = 3;
    char *log_arg = g_strdup_printf("--log-fd=%d", log_fd);
    GPtrArray *vargv = g_ptr_array_new();
    g_ptr_array_add(vargv, valgrind);
    g_ptr_array_add(vargv, (char *)"--tool=lackey");
    g_ptr_array_add(vargv, (char *)"--trace-mem=yes");
    g_ptr_array_add(vargv, log_arg);
    for (int i = 0; i < nprog; i++)
        g_ptr_array_add(vargv, prog[i]);
    g_ptr_array_add(vargv, NULL);
    int source_fds[1] = {fds[1]}, target_fds[1] = {log_fd};
    GPid pid;
    gboolean spawned = g_spawn_async_with_pipes_and_fds(
        NULL, (const char *const *)vargv->pdata, NULL,
        G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, -1, -1, -1,
        source_fds, target_fds, 1, &pid, NULL, NULL, NULL, &error);
    close(fds[1]);
    g_ptr_array_free(vargv, TRUE);
    g_free(log_arg);
    if (!spawned) {
        close(fds[0]);
        g_free(valgrind);
        g_free(default_out);
        rc = cli_fail(error);
        goto done;
    }
    fprintf(stderr, "tiersim: recording %s under %s --tool=lackey (this is slow: ~50-100x)\n",
            prog[0], valgrind);
    g_free(valgrind);

    TraceOpenOptions to;
    trace_open_options_init(&to);
    to.format = insn ? "lackey-insn" : "lackey";
    to.rate = rate;
    NativeWriter *w = NULL;
    TraceSource *src = trace_open_fd(fds[0], "valgrind lackey log", &to, page_size, &error);
    gboolean good = src != NULL;
    if (good) {
        print_notes(src);
        w = native_writer_new(out_path, page_size, zstd, &error);
        good = w != NULL;
    }
    if (good) {
        native_writer_set_source_format(w, to.format);
        good = pump(src, w, &error);
    }
    if (!good)
        kill(pid, SIGTERM);
    trace_source_free(src);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    g_spawn_close_pid(pid);
    if (!good) {
        native_writer_abort(w);
        g_free(default_out);
        rc = cli_fail(error);
        goto done;
    }
    uint64_t count = native_writer_count(w);
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && count == 0) {
        native_writer_abort(w);
        fprintf(stderr,
                "tiersim: valgrind exited with status %d and recorded no access (see its "
                "messages above)\n",
                WEXITSTATUS(status));
        g_free(default_out);
        goto done;
    }
    if (WIFSIGNALED(status))
        fprintf(stderr, "tiersim: note: the recorded program was killed by signal %d\n",
                WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0)
        fprintf(stderr, "tiersim: note: the recorded program exited with status %d\n",
                WEXITSTATUS(status));
    if (!native_writer_close(w, &error)) {
        g_free(default_out);
        rc = cli_fail(error);
        goto done;
    }
    fprintf(stderr, "tiersim: wrote %" G_GUINT64_FORMAT " records to %s (native%s)\n", count,
            out_path, zstd ? ", zstd" : "");
    g_free(default_out);
    rc = TIERSIM_EXIT_OK;
done:
    g_free(pargv_orig);
    g_option_context_free(ctx);
    g_free(out);
    g_free(page_size_s);
    return rc;
}

/* ---- gen ---- */

/* `tiersim trace gen SCENARIO OUT`: the scenario's generator workload, as a
 * native trace (the same stream `tiersim run` would replay). */
static int trace_gen(int argc, char **argv)
{
    gboolean zstd = FALSE;
    GOptionEntry entries[] = {
        {"zstd", 0, 0, G_OPTION_ARG_NONE, &zstd, "Compress the trace's blocks with zstd", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("SCENARIO.json OUT - write a scenario's generated workload");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!cli_parse(ctx, &argc, &argv))
        return TIERSIM_EXIT_BAD_INPUT;
    if (argc != 3) {
        fprintf(stderr, "tiersim: trace gen needs SCENARIO.json and OUT (see --help)\n");
        return TIERSIM_EXIT_BAD_INPUT;
    }
    GError *error = NULL;
    g_autoptr(Scenario) sc = scenario_load(argv[1], &error);
    if (!sc)
        return cli_fail(error);
    if (sc->workload_kind != WORKLOAD_GENERATOR) {
        fprintf(stderr,
                "tiersim: %s: workload.generator expected (this scenario replays a trace)\n",
                argv[1]);
        return TIERSIM_EXIT_BAD_INPUT;
    }
    uint32_t ps = sc->machine.page_size;
    TraceSource *src = gen_source_new(&sc->gen, ps, sc->machine.seed);
    NativeWriter *w = native_writer_new(argv[2], ps, zstd, &error);
    if (!w) {
        trace_source_free(src);
        return cli_fail(error);
    }
    if (!pump(src, w, &error)) {
        native_writer_abort(w);
        trace_source_free(src);
        return cli_fail(error);
    }
    trace_source_free(src);
    guint64 total = native_writer_count(w);
    if (!native_writer_close(w, &error))
        return cli_fail(error);
    fprintf(stderr, "tiersim: wrote %" G_GUINT64_FORMAT " records to %s (native)\n", total,
            argv[2]);
    return TIERSIM_EXIT_OK;
}

/* ---- dispatch ---- */

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} trace_commands[] = {
    {"info", trace_info, "statistics of a trace (any format)"},
    {"convert", trace_convert, "convert any trace to tiersim's native format"},
    {"record", trace_record, "record a program's accesses with valgrind's lackey tool"},
    {"gen", trace_gen, "write a scenario's generated workload as a native trace"},
};

static void trace_usage(FILE *out)
{
    fprintf(out, "Usage: tiersim trace COMMAND [OPTIONS...]\n\nCommands:\n");
    for (gsize i = 0; i < G_N_ELEMENTS(trace_commands); i++)
        fprintf(out, "  %-8s %s\n", trace_commands[i].name, trace_commands[i].summary);
    fprintf(out, "\nRun 'tiersim trace COMMAND --help' for a command's options.\n");
}

int cmd_trace(int argc, char **argv)
{
    if (argc < 2) {
        trace_usage(stderr);
        return TIERSIM_EXIT_BAD_INPUT;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        trace_usage(stdout);
        return TIERSIM_EXIT_OK;
    }
    for (gsize i = 0; i < G_N_ELEMENTS(trace_commands); i++) {
        if (strcmp(argv[1], trace_commands[i].name))
            continue;
        char *prog = g_strdup_printf("%s %s", argv[0], argv[1]);
        char *saved = argv[1];
        argv[1] = prog;
        int rc = trace_commands[i].fn(argc - 1, argv + 1);
        argv[1] = saved;
        g_free(prog);
        return rc;
    }
    fprintf(stderr, "tiersim: unknown trace command '%s'\n\n", argv[1]);
    trace_usage(stderr);
    return TIERSIM_EXIT_BAD_INPUT;
}
