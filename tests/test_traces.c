/* Tests of the trace readers: golden streams per format, compressed input,
 * auto-detection, strictness (exact FILE:LINE), skip_bad_lines, options, the
 * native format (round trips, corruption, page sizes) and the committed
 * samples with their scenarios. */
#include <cjson/cJSON.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "traces/native.h"
#include "traces/reader.h"

#define W ACCESS_WRITE
#define R ACCESS_READ

/* ---- helpers ---- */

static TraceOpenOptions opts_fmt(const char *format)
{
    TraceOpenOptions o;
    trace_open_options_init(&o);
    o.format = format;
    return o;
}

/* Reads a whole source in batches of `batch`; NULL with *error on failure. */
static GArray *drain(TraceSource *src, gsize batch, GError **error)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(PageAccess));
    PageAccess *buf = g_new(PageAccess, batch);
    gssize n;
    while ((n = trace_source_read(src, buf, batch, error)) > 0)
        g_array_append_vals(out, buf, (guint)n);
    g_free(buf);
    if (n < 0) {
        g_array_free(out, TRUE);
        return NULL;
    }
    return out;
}

static void assert_streams_equal(GArray *a, GArray *b);

/* Opens text in memory as `name` and reads it all; checks that batches of 1
 * and of 4096 give the same stream. */
static GArray *read_text(const char *name, const char *text, const TraceOpenOptions *o,
                         uint32_t page_size, GError **error)
{
    TraceSource *src = trace_open_memory(name, text, strlen(text), o, page_size, error);
    if (!src)
        return NULL;
    GArray *all = drain(src, 4096, error);
    trace_source_free(src);
    if (!all)
        return NULL;
    src = trace_open_memory(name, text, strlen(text), o, page_size, NULL);
    g_assert_nonnull(src);
    GArray *ones = drain(src, 1, NULL);
    trace_source_free(src);
    g_assert_nonnull(ones);
    assert_streams_equal(ones, all);
    g_array_free(ones, TRUE);
    return all;
}

static void assert_stream(GArray *got, const PageAccess *want, gsize n)
{
    g_assert_nonnull(got);
    g_assert_cmpuint(got->len, ==, n);
    for (gsize i = 0; i < n; i++) {
        const PageAccess *a = &g_array_index(got, PageAccess, i);
        if (a->time_ns != want[i].time_ns || a->vpage != want[i].vpage || a->pid != want[i].pid ||
            a->cpu != want[i].cpu || a->op != want[i].op)
            g_error("record %zu: got {%" G_GINT64_FORMAT ", %#" G_GINT64_MODIFIER
                    "x, pid %u, cpu %d, op %u}, want {%" G_GINT64_FORMAT ", %#" G_GINT64_MODIFIER
                    "x, pid %u, cpu %d, op %u}",
                    i, a->time_ns, a->vpage, a->pid, a->cpu, a->op, want[i].time_ns, want[i].vpage,
                    want[i].pid, want[i].cpu, want[i].op);
    }
}

static void assert_streams_equal(GArray *a, GArray *b)
{
    assert_stream(a, (const PageAccess *)(void *)b->data, b->len);
}

/* Expects reading to fail with a message starting with `prefix`. */
static void expect_error(const char *name, const char *text, const TraceOpenOptions *o,
                         const char *prefix)
{
    GError *error = NULL;
    GArray *got = read_text(name, text, o, 4096, &error);
    g_assert_null(got);
    g_assert_nonnull(error);
    g_assert_error(error, TIERSIM_TRACE_ERROR, error->code);
    if (!g_str_has_prefix(error->message, prefix))
        g_error("message '%s' does not start with '%s'", error->message, prefix);
    g_error_free(error);
}

static void expect_error_containing(const char *name, const char *text, const TraceOpenOptions *o,
                                    const char *part)
{
    GError *error = NULL;
    GArray *got = read_text(name, text, o, 4096, &error);
    g_assert_null(got);
    g_assert_nonnull(error);
    if (!strstr(error->message, part))
        g_error("message '%s' lacks '%s'", error->message, part);
    g_error_free(error);
}

/* ---- golden streams ---- */

static const char lackey_golden[] = "==123== Lackey, an example Valgrind tool\n"
                                    "==123== Command: ./a.out\n"
                                    "==123== \n"
                                    "I  0401ab70,3\n"
                                    " S 1fff000628,8\n"
                                    "I  0401b770,1\n"
                                    " L 04022c98,8\n"
                                    " M 0025747c,4\n"
                                    "I  ffffffffff600000,4\n"
                                    " L ffffffffff600400,8\n"
                                    "--123-- a debug message\n"
                                    "\n"
                                    "==123== Exit code: 0\n";

static void test_lackey_golden(void)
{
    TraceOpenOptions o = opts_fmt("lackey");
    GError *error = NULL;
    GArray *got = read_text("g.lackey", lackey_golden, &o, 4096, &error);
    g_assert_no_error(error);
    const PageAccess want[] = {
        {0, 0x1fff000, 1, -1, W}, {1, 0x4022, 1, -1, R},
        {2, 0x257, 1, -1, R}, /* M: a read, then a write */
        {3, 0x257, 1, -1, W},     {4, 0xffffffffff600, 1, -1, R},
    };
    assert_stream(got, want, G_N_ELEMENTS(want));
    g_array_free(got, TRUE);

    /* rate 1e6: one access per microsecond; page size 8 KiB */
    o.rate = 1e6;
    got = read_text("g.lackey", lackey_golden, &o, 8192, &error);
    g_assert_no_error(error);
    const PageAccess want8k[] = {
        {0, 0x1fff000 >> 1, 1, -1, W},          {1000, 0x4022 >> 1, 1, -1, R},
        {2000, 0x257 >> 1, 1, -1, R},           {3000, 0x257 >> 1, 1, -1, W},
        {4000, 0xffffffffff600 >> 1, 1, -1, R},
    };
    assert_stream(got, want8k, G_N_ELEMENTS(want8k));
    g_array_free(got, TRUE);
}

static void test_lackey_insn_clock(void)
{
    TraceOpenOptions o = opts_fmt("lackey-insn");
    GError *error = NULL;
    GArray *got = read_text("g.lackey", lackey_golden, &o, 4096, &error);
    g_assert_no_error(error);
    /* Time = index of the instruction line before the access. */
    const PageAccess want[] = {
        {0, 0x1fff000, 1, -1, W}, {1, 0x4022, 1, -1, R},          {1, 0x257, 1, -1, R},
        {1, 0x257, 1, -1, W},     {2, 0xffffffffff600, 1, -1, R},
    };
    assert_stream(got, want, G_N_ELEMENTS(want));
    g_array_free(got, TRUE);
}

static const char pinatrace_golden[] = "0x401000: R 0x7ffd1000\n"
                                       "# a comment\n"
                                       "0x401004: W 0xffffffffff600008\n"
                                       "#eof\n"
                                       "\n";

static void test_pinatrace_golden(void)
{
    TraceOpenOptions o = opts_fmt("pinatrace");
    o.rate = 1e6;
    GError *error = NULL;
    GArray *got = read_text("g.pin", pinatrace_golden, &o, 4096, &error);
    g_assert_no_error(error);
    const PageAccess want[] = {
        {0, 0x7ffd1, 1, -1, R},
        {1000, 0xffffffffff600, 1, -1, W},
    };
    assert_stream(got, want, G_N_ELEMENTS(want));
    g_array_free(got, TRUE);
}

static const char perf_golden[] =
    "   4242/4243  [002]  1000.000100:  cpu/mem-loads,ldlat=30/P:  7ffd3c2a1b40\n"
    "   4242/4242  [000]  1000.000250:  cpu/mem-stores/P:  0x55d0c0a00010\n"
    "# a comment\n"
    "     17  1000.000250123:  ffffffffff600000\n";

static void test_perf_golden(void)
{
    TraceOpenOptions o = opts_fmt("perf");
    GError *error = NULL;
    GArray *got = read_text("g.perf", perf_golden, &o, 4096, &error);
    g_assert_no_error(error);
    const PageAccess want[] = {
        {0, 0x7ffd3c2a1, 4242, 2, R},
        {150000, 0x55d0c0a00, 4242, 0, W},
        {150123, 0xffffffffff600, 17, -1, R},
    };
    assert_stream(got, want, G_N_ELEMENTS(want));
    g_array_free(got, TRUE);
}

static void test_text_golden(void)
{
    const char csv[] = "# comment\n"
                       "time_us, pid, cpu, addr, op\n"
                       "0.5,1,0,0x1000,R\n"
                       "1,2,-1,8192,write\n"
                       "1.25,2,3,0xffffffffffffffff,w\r\n";
    TraceOpenOptions o = opts_fmt("text");
    GError *error = NULL;
    GArray *got = read_text("g.csv", csv, &o, 4096, &error);
    g_assert_no_error(error);
    const PageAccess want[] = {
        {500, 1, 1, 0, R},
        {1000, 2, 2, -1, W},
        {1250, 0xfffffffffffff, 2, 3, W},
    };
    assert_stream(got, want, G_N_ELEMENTS(want));
    g_array_free(got, TRUE);

    /* TSV with a bare "time" column in units given by time_unit. */
    const char tsv[] = "op\ttime\taddr\n"
                       "READ\t3\t0x2000\n"
                       "W\t4\t0x3000\n";
    o.time_unit_ns = 1000000;
    got = read_text("g.tsv", tsv, &o, 4096, &error);
    g_assert_no_error(error);
    const PageAccess want_tsv[] = {
        {3000000, 2, 1, -1, R},
        {4000000, 3, 1, -1, W},
    };
    assert_stream(got, want_tsv, G_N_ELEMENTS(want_tsv));
    g_array_free(got, TRUE);

    /* The same with the clock: cycles at 2 GHz. */
    o.time_unit_ns = 0;
    o.clock_ghz = 2;
    got = read_text("g.tsv", tsv, &o, 4096, &error);
    g_assert_no_error(error);
    g_assert_cmpint(g_array_index(got, PageAccess, 0).time_ns, ==, 2); /* 1.5 ns, rounded */
    g_assert_cmpint(g_array_index(got, PageAccess, 1).time_ns, ==, 2);
    g_array_free(got, TRUE);

    /* Whitespace-separated, no time column: ordinal time. */
    const char ws[] = "addr   op  pid\n"
                      "0x1000 R   5\n"
                      "  0x2000   W 5  \n";
    o = opts_fmt("text");
    o.rate = 2e9;
    got = read_text("g.txt", ws, &o, 4096, &error);
    g_assert_no_error(error);
    const PageAccess want_ws[] = {
        {0, 1, 5, -1, R}, {1, 2, 5, -1, W}, /* 0.5 ns: to the nearest, away from zero */
    };
    assert_stream(got, want_ws, G_N_ELEMENTS(want_ws));
    g_array_free(got, TRUE);
}

static const char damon_raw[] = "base_time_absolute: 1000\n"
                                "\n"
                                "monitoring_start: 0\n"
                                "monitoring_end: 1000\n"
                                "monitoring_duration: 1000\n"
                                "target_id: 42\n"
                                "nr_regions: 2\n"
                                "# start_addr end_addr length nr_accesses age\n"
                                "000000001000-000000003000 (        8192)           2     0\n"
                                "000000010000-000000011000 (        4096)           1     3\n"
                                "\n";

static void test_damon_golden(void)
{
    TraceOpenOptions o = opts_fmt("damon");
    GError *error = NULL;
    GArray *got = read_text("g.damon", damon_raw, &o, 4096, &error);
    g_assert_no_error(error);
    /* Region A: pages 1-2, nr 2: 4 accesses at 0, 250, 500, 750 ns, round
     * robin; region B: page 16, nr 1: one access at 0, after A's (file
     * order breaks the tie). */
    const PageAccess want[] = {
        {0, 1, 42, -1, R},   {0, 16, 42, -1, R},  {250, 2, 42, -1, R},
        {500, 1, 42, -1, R}, {750, 2, 42, -1, R},
    };
    assert_stream(got, want, G_N_ELEMENTS(want));
    g_array_free(got, TRUE);

    /* Human-readable numbers, older region lines, two targets whose ids are
     * not pids, two snapshots. */
    const char human[] = "base_time_absolute: 8 m 59.809 s\n\n"
                         "monitoring_start:                0 ns\n"
                         "monitoring_end:            1.000 us\n"
                         "monitoring_duration:       1.000 us\n"
                         "target_id: 18446623438842320000\n"
                         "nr_regions: 1\n"
                         "000000001000-000000002000(   4.000 KiB):        2\n"
                         "\n"
                         "base_time_absolute: 8 m 59.809 s\n\n"
                         "monitoring_start:                0 ns\n"
                         "monitoring_end:            1.000 us\n"
                         "monitoring_duration:       1.000 us\n"
                         "target_id: 0\n"
                         "nr_regions: 1\n"
                         "ffffffffff600000-ffffffffff601000(   4.000 KiB):        1\n";
    TraceSource *src = trace_open_memory("h.damon", human, strlen(human), &o, 4096, &error);
    g_assert_no_error(error);
    g_assert_nonnull(strstr(trace_source_notes(src), "18446623438842320000 -> 1, 0 -> 2"));
    got = drain(src, 7, &error);
    g_assert_no_error(error);
    const PageAccess want_h[] = {
        {0, 1, 1, -1, R},
        {0, 0xffffffffff600, 2, -1, R},
        {500, 1, 1, -1, R},
    };
    assert_stream(got, want_h, G_N_ELEMENTS(want_h));
    g_array_free(got, TRUE);
    trace_source_free(src);
}

static void test_ramulator_golden(void)
{
    const char text[] = "LD 0x1000\n"
                        "3 ST 0x2000\n"
                        "\n"
                        "0 LD 4096\n";
    TraceOpenOptions o = opts_fmt("ramulator");
    GError *error = NULL;
    GArray *got = read_text("g.ram", text, &o, 4096, &error);
    g_assert_no_error(error);
    const PageAccess want[] = {
        {0, 1, 1, -1, R},
        {4, 2, 1, -1, W}, /* after 3 bubbles */
        {5, 1, 1, -1, R},
    };
    assert_stream(got, want, G_N_ELEMENTS(want));
    g_array_free(got, TRUE);
}

static void test_prospero_golden(void)
{
    const char text[] = "100 R 4096 8\n"
                        "300 W 0x2000 4\n"
                        "300 R 18446744073709551615 1\n";
    TraceOpenOptions o = opts_fmt("prospero");
    o.clock_ghz = 2;
    GError *error = NULL;
    GArray *got = read_text("g.prospero", text, &o, 4096, &error);
    g_assert_no_error(error);
    const PageAccess want[] = {
        {50, 1, 1, -1, R},
        {150, 2, 1, -1, W},
        {150, 0xfffffffffffff, 1, -1, R},
    };
    assert_stream(got, want, G_N_ELEMENTS(want));
    g_array_free(got, TRUE);
}

/* ---- strictness ---- */

static void test_malformed_lines(void)
{
    TraceOpenOptions o = opts_fmt("lackey");
    expect_error("bad.lackey", "I  0401ab70,3\n L 1000,8\n X 1000,8\n", &o,
                 "bad.lackey:3: lackey: expected a lackey line");
    expect_error("bad.lackey", "I  0401ab70,3\n L 1000,0\n", &o, "bad.lackey:2: lackey: expected");
    expect_error("bad.lackey", "==12 x\n", &o, "bad.lackey:1: lackey: expected");
    expect_error("bad.lackey", " L 10000000000000000,8\n", &o, "bad.lackey:1: lackey: expected");
    o = opts_fmt("pinatrace");
    expect_error("bad.pin", "0x1: R 0x2\n0x1: Q 0x2\n", &o,
                 "bad.pin:2: pinatrace: expected a pinatrace line");
    expect_error("bad.pin", "0x1: R 0x2\n#eof\n0x1: R 0x2\n", &o,
                 "bad.pin:3: pinatrace: expected nothing after the end-of-trace marker");
    o = opts_fmt("perf");
    expect_error("bad.perf", "1/1 5.0: 1000\n1/1 abc: 1000\n", &o,
                 "bad.perf:2: perf: expected a perf script line");
    expect_error("bad.perf", "1/1 5.0: 1000 extra\n", &o, "bad.perf:1: perf: expected");
    expect_error("bad.perf", "1/1 5.0: 1000\n1/1 4.0: 1000\n", &o,
                 "bad.perf:2: perf: expected samples in time order");
    o = opts_fmt("text");
    expect_error("bad.csv", "time_ns,addr,op\n1,0x1,R\n2,0x2\n", &o,
                 "bad.csv:3: text: expected 3 columns as in the header, found 2");
    expect_error("bad.csv", "time_ns,addr,op\n1,0x1,X\n", &o,
                 "bad.csv:2: text: expected an op (R, W, read or write) in column 3");
    expect_error("bad.csv", "time_ns,addr,op\n1,0x1,R,7\n", &o,
                 "bad.csv:2: text: expected 3 columns as in the header, found more");
    expect_error("bad.csv", "time_ns,addr,op\n10,0x1,R\n5,0x1,R\n", &o,
                 "bad.csv:3: text: expected records in time order");
    expect_error("bad.csv", "\n# c\ntime_ns,addr,size,op\n", &o,
                 "bad.csv:3: text: expected a header line naming the columns");
    expect_error("bad.csv", "addr,op,addr\n", &o, "bad.csv:1: text: expected a header line");
    expect_error("bad.csv", "", &o, "bad.csv: text trace without a header line");
    o = opts_fmt("ramulator");
    expect_error("bad.ram", "LD 0x10\nLD\n", &o, "bad.ram:2: ramulator: expected a Ramulator line");
    expect_error("bad.ram", "LD 0x10\nLD 0xzz\n", &o, "bad.ram:2: ramulator: expected");
    o = opts_fmt("prospero");
    o.clock_ghz = 1;
    expect_error("bad.pro", "1 R 4096 8\n\n100 R\n", &o,
                 "bad.pro:3: prospero: expected a Prospero line");
    o = opts_fmt("damon");
    char *d = g_strconcat(damon_raw,
                          "monitoring_start: 2000\nmonitoring_end: 3000\n"
                          "target_id: 42\nnr_regions: 1\nnonsense here\n",
                          NULL);
    expect_error("bad.damon", d, &o, "bad.damon:16: damon: expected a damo raw report line");
    g_free(d);
    d = g_strconcat(damon_raw,
                    "monitoring_start: 2000\nmonitoring_end: 3000\n"
                    "target_id: 42\nnr_regions: 2\n"
                    "000000001000-000000003000 (8192) 2 0\n\n",
                    NULL);
    expect_error("bad.damon", d, &o,
                 "bad.damon:15: damon: expected 2 region lines after nr_regions; found 1");
    g_free(d);
    expect_error("bad.damon",
                 "monitoring_start: 0\nmonitoring_end: 10\ntarget_id: 1\n"
                 "000000001000-000000003000 (8192) 2 0\n",
                 &o, "bad.damon:4: damon: expected a region line only after nr_regions");
}

static void test_skip_bad_lines(void)
{
    TraceOpenOptions o = opts_fmt("lackey");
    o.skip_bad_lines = TRUE;
    const char text[] = " L 1000,8\n"
                        "garbage\n"
                        " S 2000,8\n"
                        " Q 3000,8\n"
                        " M 3000,8\n";
    GError *error = NULL;
    TraceSource *src = trace_open_memory("s.lackey", text, strlen(text), &o, 4096, &error);
    g_assert_no_error(error);
    GArray *got = drain(src, 2, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(got->len, ==, 4);
    g_assert_cmpuint(trace_source_skipped_lines(src), ==, 2);
    g_array_free(got, TRUE);
    trace_source_free(src);

    /* Text: a time going backwards is a bad line too. */
    o = opts_fmt("text");
    o.skip_bad_lines = TRUE;
    const char csv[] = "time_ns,addr,op\n10,0x1000,R\n5,0x1000,R\n20,0x1000,Z\n30,0x2000,W\n";
    src = trace_open_memory("s.csv", csv, strlen(csv), &o, 4096, &error);
    g_assert_no_error(error);
    got = drain(src, 64, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(got->len, ==, 2);
    g_assert_cmpuint(trace_source_skipped_lines(src), ==, 2);
    g_array_free(got, TRUE);
    trace_source_free(src);
}

/* Records before a bad line are delivered; the error comes on the next read. */
static void test_error_after_records(void)
{
    TraceOpenOptions o = opts_fmt("lackey");
    const char text[] = " L 1000,8\n S 2000,8\nbad\n";
    GError *error = NULL;
    TraceSource *src = trace_open_memory("e.lackey", text, strlen(text), &o, 4096, &error);
    PageAccess buf[16];
    g_assert_cmpint(trace_source_read(src, buf, 16, &error), ==, 2);
    g_assert_no_error(error);
    g_assert_cmpint(trace_source_read(src, buf, 16, &error), ==, -1);
    g_assert_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED);
    g_assert_true(g_str_has_prefix(error->message, "e.lackey:3: "));
    g_error_free(error);
    trace_source_free(src);
}

static void test_options(void)
{
    TraceOpenOptions o = opts_fmt("perf");
    o.rate = 5;
    expect_error("o.perf", perf_golden, &o, "o.perf: rate does not apply to perf traces");
    o = opts_fmt("lackey");
    o.clock_ghz = 2;
    expect_error("o.lackey", lackey_golden, &o, "o.lackey: clock_ghz does not apply to lackey");
    o = opts_fmt("prospero");
    expect_error_containing("o.pro", "1 R 4096 8\n", &o, "set clock_ghz");
    o = opts_fmt("text");
    expect_error_containing("o.csv", "time,addr,op\n1,2,R\n", &o, "set time_unit");
    o.time_unit_ns = 1000;
    expect_error_containing("o.csv", "time_ns,addr,op\n1,2,R\n", &o,
                            "time_unit does not apply to text traces");
    o = opts_fmt("damon");
    o.rate = 1;
    expect_error_containing("o.damon", damon_raw, &o, "rate does not apply to damon");
    o = opts_fmt("lackeyy");
    expect_error_containing("o.x", lackey_golden, &o, "unknown trace format 'lackeyy'");
    o = opts_fmt("lackey");
    GError *error = NULL;
    g_assert_null(trace_open_memory("p.lackey", "", 0, &o, 3000, &error));
    g_assert_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION);
    g_clear_error(&error);
    g_assert_true(trace_format_known("damon"));
    g_assert_false(trace_format_known("dram"));
    g_assert_cmpstr(trace_format_names()[0], ==, "auto");
}

/* ---- auto-detection ---- */

static void test_auto_detect(void)
{
    static const struct {
        const char *text;
        const char *format;
    } cases[] = {
        {lackey_golden, "lackey"},      {pinatrace_golden, "pinatrace"},
        {perf_golden, "perf"},          {"# c\ntime_ns,pid,addr,op\n1,1,0x1,R\n", "text"},
        {damon_raw, "damon"},           {"LD 0x1000\n3 ST 0x2000\n", "ramulator"},
        {"100 R 4096 8\n", "prospero"},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        TraceOpenOptions o = opts_fmt("auto");
        if (!strcmp(cases[i].format, "prospero"))
            o.clock_ghz = 1;
        GError *error = NULL;
        TraceSource *src =
            trace_open_memory("a.trace", cases[i].text, strlen(cases[i].text), &o, 4096, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(trace_source_format(src), ==, cases[i].format);
        char *note = g_strdup_printf("format auto-detected as %s\n", cases[i].format);
        g_assert_true(g_str_has_prefix(trace_source_notes(src), note));
        g_free(note);
        GArray *got = drain(src, 64, &error);
        g_assert_no_error(error);
        g_assert_cmpuint(got->len, >, 0);
        g_array_free(got, TRUE);
        trace_source_free(src);
    }
    TraceOpenOptions o = opts_fmt("auto");
    expect_error_containing("u.trace", "hello world\n", &o,
                            "cannot detect the trace format (first line 'hello world'");
    expect_error_containing("u.trace", "", &o, "the trace is empty");
    /* A bad line among the first lines: the best candidate is chosen, and its
     * strict reader locates the line. */
    expect_error("b.csv", "time_ns,addr,op\n1,0x10,R\n2,0x10,Q\n", &o,
                 "b.csv:3: text: expected an op");
    expect_error("b.lackey", "I  0401ab70,3\n L 1000,8\nprogram output\n", &o,
                 "b.lackey:3: lackey: expected");
    o.format = NULL; /* NULL means auto too */
    GError *error = NULL;
    GArray *got = read_text("n.trace", lackey_golden, &o, 4096, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(got->len, ==, 5);
    g_array_free(got, TRUE);
}

/* ---- compressed input ---- */

static char *tmp_dir(void)
{
    GError *error = NULL;
    char *d = g_dir_make_tmp("test-traces-XXXXXX", &error);
    g_assert_no_error(error);
    return d;
}

static void rm_dir(char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(d))) {
        char *p = g_build_filename(dir, name, NULL);
        g_unlink(p);
        g_free(p);
    }
    g_dir_close(d);
    g_rmdir(dir);
    g_free(dir);
}

static void write_gzip(const char *path, const char *text, gboolean append)
{
    gzFile f = gzopen(path, append ? "ab" : "wb");
    g_assert_nonnull(f);
    g_assert_cmpint(gzwrite(f, text, (unsigned)strlen(text)), ==, (int)strlen(text));
    g_assert_cmpint(gzclose(f), ==, Z_OK);
}

static GArray *read_file(const char *path, const TraceOpenOptions *o, GError **error)
{
    TraceSource *src = trace_open(path, o, 4096, error);
    if (!src)
        return NULL;
    GArray *got = drain(src, 3, error);
    trace_source_free(src);
    return got;
}

static void test_compressed(void)
{
    char *dir = tmp_dir();
    TraceOpenOptions o = opts_fmt("auto");
    GError *error = NULL;
    GArray *plain = read_text("p.lackey", lackey_golden, &o, 4096, &error);
    g_assert_no_error(error);

    /* gzip, detected by magic whatever the name */
    char *gz = g_build_filename(dir, "trace.txt", NULL);
    write_gzip(gz, lackey_golden, FALSE);
    TraceSource *src = trace_open(gz, &o, 4096, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(trace_source_compression(src), ==, "gzip");
    g_assert_cmpstr(trace_source_format(src), ==, "lackey");
    GArray *got = drain(src, 5, &error);
    g_assert_no_error(error);
    assert_streams_equal(got, plain);
    g_array_free(got, TRUE);
    trace_source_free(src);

    /* concatenated gzip members are one stream */
    char *gz2 = g_build_filename(dir, "two.gz", NULL);
    write_gzip(gz2, " L 1000,8\n", FALSE);
    write_gzip(gz2, " S 2000,8\n", TRUE);
    got = read_file(gz2, &o, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(got->len, ==, 2);
    g_assert_cmpuint(g_array_index(got, PageAccess, 1).vpage, ==, 2);
    g_array_free(got, TRUE);

    /* a truncated gzip file is an error, not a short trace */
    gchar *data;
    gsize len;
    g_assert_true(g_file_get_contents(gz, &data, &len, NULL));
    TraceSource *t = trace_open_memory("cut.gz", data, len - 6, &o, 4096, &error);
    if (t) {
        GArray *part = drain(t, 64, &error);
        g_assert_null(part);
        trace_source_free(t);
    }
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, "cut.gz: the gzip"));
    g_clear_error(&error);
    g_free(data);

    /* zstd, in memory */
    size_t bound = ZSTD_compressBound(sizeof(lackey_golden));
    void *z = g_malloc(bound);
    size_t zlen = ZSTD_compress(z, bound, lackey_golden, strlen(lackey_golden), 3);
    g_assert_false(ZSTD_isError(zlen));
    src = trace_open_memory("m.zst", z, zlen, &o, 4096, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(trace_source_compression(src), ==, "zstd");
    got = drain(src, 1, &error);
    g_assert_no_error(error);
    assert_streams_equal(got, plain);
    g_array_free(got, TRUE);
    trace_source_free(src);
    src = trace_open_memory("cut.zst", z, zlen - 3, &o, 4096, &error);
    if (src) {
        g_assert_null(drain(src, 64, &error));
        trace_source_free(src);
    }
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, "cut.zst: the zstd"));
    g_clear_error(&error);
    g_free(z);

    /* other compressions are refused by name */
    const char xz[] = "\xfd"
                      "7zXZ\0\0\0";
    g_assert_null(trace_open_memory("x.xz", xz, sizeof(xz), &o, 4096, &error));
    g_assert_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_UNSUPPORTED);
    g_assert_nonnull(strstr(error->message, "xz-compressed"));
    g_clear_error(&error);

    g_array_free(plain, TRUE);
    g_free(gz);
    g_free(gz2);
    rm_dir(dir);
}

/* ---- native ---- */

static void write_native(const char *path, GArray *recs, gboolean zstd, uint32_t page_size)
{
    GError *error = NULL;
    NativeWriter *w = native_writer_new(path, page_size, zstd, &error);
    g_assert_no_error(error);
    native_writer_set_source_format(w, "test");
    /* in uneven batches */
    for (guint i = 0; i < recs->len;) {
        guint k = MIN(recs->len - i, 1 + i % 1000);
        native_writer_add(w, &g_array_index(recs, PageAccess, i), k, &error);
        g_assert_no_error(error);
        i += k;
    }
    g_assert_cmpuint(native_writer_count(w), ==, recs->len);
    g_assert_true(native_writer_close(w, &error));
    g_assert_no_error(error);
}

static void test_native_roundtrip_formats(void)
{
    char *dir = tmp_dir();
    char *path = g_build_filename(dir, "rt.trace", NULL);
    static const struct {
        const char *text;
        const char *format;
    } cases[] = {
        {lackey_golden, "lackey"},
        {pinatrace_golden, "pinatrace"},
        {perf_golden, "perf"},
        {damon_raw, "damon"},
        {"LD 0x1000\n3 ST 0x2000\n", "ramulator"},
        {"100 R 4096 8\n", "prospero"},
        {"time_ns,pid,cpu,addr,op\n1,1,3,0xffffffffffffffff,R\n2,9,-1,0x1,W\n", "text"},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        for (int zstd = 0; zstd < 2; zstd++) {
            TraceOpenOptions o = opts_fmt(cases[i].format);
            if (!strcmp(cases[i].format, "prospero"))
                o.clock_ghz = 3;
            GError *error = NULL;
            GArray *orig = read_text("rt", cases[i].text, &o, 4096, &error);
            g_assert_no_error(error);
            write_native(path, orig, zstd, 4096);
            TraceOpenOptions n = opts_fmt("auto");
            GArray *back = read_file(path, &n, &error);
            g_assert_no_error(error);
            assert_streams_equal(back, orig);
            g_array_free(back, TRUE);
            g_array_free(orig, TRUE);
            NativeHeader h;
            g_assert_true(native_read_header(path, &h, &error));
            g_assert_cmpstr(h.source_format, ==, "test");
            g_assert_cmpuint(h.page_size, ==, 4096);
            g_assert_cmpuint(h.flags & NATIVE_FLAG_COUNT, !=, 0);
        }
    }
    g_free(path);
    rm_dir(dir);
}

static void test_native_roundtrip_random(void)
{
    char *dir = tmp_dir();
    char *path = g_build_filename(dir, "rand.trace", NULL);
    GRand *rng = g_rand_new_with_seed(6);
    GArray *recs = g_array_new(FALSE, FALSE, sizeof(PageAccess));
    int64_t t = 0;
    /* more than two blocks, every field and delta width exercised */
    for (int i = 0; i < 150000; i++) {
        int kind = g_rand_int_range(rng, 0, 8);
        t += kind == 0  ? 0
             : kind < 6 ? g_rand_int_range(rng, 1, 300)
                        : (int64_t)g_rand_int(rng) << g_rand_int_range(rng, 0, 9);
        uint64_t vp = kind < 3 ? (uint64_t)g_rand_int_range(rng, 0, 64)
                               : ((uint64_t)g_rand_int(rng) << 32 | g_rand_int(rng)) >>
                                     g_rand_int_range(rng, 0, 60);
        PageAccess a = {t, vp, kind == 7 ? g_rand_int(rng) : 1 + (uint32_t)(kind & 1),
                        kind == 6 ? g_rand_int_range(rng, -1, 300) : -1, (uint8_t)(kind & 1)};
        g_array_append_val(recs, a);
    }
    for (int zstd = 0; zstd < 2; zstd++) {
        write_native(path, recs, zstd, 4096);
        TraceOpenOptions n = opts_fmt("native");
        GError *error = NULL;
        GArray *back = read_file(path, &n, &error);
        g_assert_no_error(error);
        assert_streams_equal(back, recs);
        g_array_free(back, TRUE);
    }
    /* gzip around a native file works too */
    gchar *data;
    gsize len;
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    char *gz = g_build_filename(dir, "rand.trace.gz", NULL);
    gzFile f = gzopen(gz, "wb");
    gzwrite(f, data, (unsigned)len);
    gzclose(f);
    g_free(data);
    TraceOpenOptions a = opts_fmt("auto");
    GError *error = NULL;
    GArray *back = read_file(gz, &a, &error);
    g_assert_no_error(error);
    assert_streams_equal(back, recs);
    g_array_free(back, TRUE);
    g_free(gz);
    g_array_free(recs, TRUE);
    g_rand_free(rng);
    g_free(path);
    rm_dir(dir);
}

static void test_native_page_size(void)
{
    char *dir = tmp_dir();
    char *path = g_build_filename(dir, "ps.trace", NULL);
    GArray *recs = g_array_new(FALSE, FALSE, sizeof(PageAccess));
    PageAccess a = {0, 0x12345, 1, -1, R};
    g_array_append_val(recs, a);
    write_native(path, recs, FALSE, 4096);
    TraceOpenOptions o = opts_fmt("native");
    GError *error = NULL;
    TraceSource *src = trace_open(path, &o, 2 * 1024 * 1024, &error);
    g_assert_no_error(error);
    GArray *got = drain(src, 8, &error);
    g_assert_cmpuint(g_array_index(got, PageAccess, 0).vpage, ==, 0x12345 >> 9);
    g_array_free(got, TRUE);
    trace_source_free(src);
    src = trace_open(path, &o, 1024, &error);
    g_assert_no_error(error);
    g_assert_nonnull(strstr(trace_source_notes(src), "recorded at page size 4096, read at 1024"));
    got = drain(src, 8, &error);
    g_assert_cmpuint(g_array_index(got, PageAccess, 0).vpage, ==, 0x12345 << 2);
    g_array_free(got, TRUE);
    trace_source_free(src);
    /* native carries its own time */
    o.rate = 5;
    g_assert_null(trace_open(path, &o, 4096, &error));
    g_assert_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION);
    g_clear_error(&error);
    g_array_free(recs, TRUE);
    g_free(path);
    rm_dir(dir);
}

static void test_native_corrupt(void)
{
    char *dir = tmp_dir();
    char *path = g_build_filename(dir, "c.trace", NULL);
    GArray *recs = g_array_new(FALSE, FALSE, sizeof(PageAccess));
    for (int i = 0; i < 5000; i++) {
        PageAccess a = {i * 7, (uint64_t)(i * 31) % 997, 1 + (uint32_t)(i % 3), i % 5 - 1,
                        (uint8_t)(i & 1)};
        g_array_append_val(recs, a);
    }
    write_native(path, recs, FALSE, 4096);
    gchar *data;
    gsize len;
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    TraceOpenOptions o = opts_fmt("native");
    GError *error = NULL;

    /* truncated anywhere after the header: an error naming an offset */
    gsize cuts[] = {len - 1, len - 16, len - 17, 70, 64};
    for (gsize i = 0; i < G_N_ELEMENTS(cuts); i++) {
        TraceSource *src = trace_open_memory("c.trace", data, cuts[i], &o, 4096, &error);
        g_assert_no_error(error);
        g_assert_null(drain(src, 100, &error));
        g_assert_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED);
        g_assert_true(g_str_has_prefix(error->message, "c.trace: offset "));
        g_clear_error(&error);
        trace_source_free(src);
    }
    /* a bad magic and a newer version are refused at open */
    char *bad = g_memdup2(data, len);
    bad[0] = 'X';
    g_assert_null(trace_open_memory("c.trace", bad, len, &o, 4096, &error));
    g_assert_nonnull(strstr(error->message, "c.trace: offset 0: expected a native trace header"));
    g_clear_error(&error);
    memcpy(bad, data, len);
    bad[8] = 2;
    g_assert_null(trace_open_memory("c.trace", bad, len, &o, 4096, &error));
    g_assert_nonnull(strstr(error->message, "version 1"));
    g_clear_error(&error);
    /* a record count that disagrees */
    memcpy(bad, data, len);
    bad[24] ^= 1;
    TraceSource *src = trace_open_memory("c.trace", bad, len, &o, 4096, &error);
    g_assert_null(drain(src, 100, &error));
    g_assert_nonnull(strstr(error->message, "records as the header says"));
    g_clear_error(&error);
    trace_source_free(src);
    /* flipped bytes anywhere: an error or a stream, never a crash (the
     * sanitized build checks the memory accesses) */
    for (gsize pos = 64; pos < len; pos += 7) {
        memcpy(bad, data, len);
        bad[pos] ^= (char)(0x5a + pos);
        src = trace_open_memory("c.trace", bad, len, &o, 4096, &error);
        g_assert_no_error(error);
        GArray *got = drain(src, 333, &error);
        if (got)
            g_array_free(got, TRUE);
        g_clear_error(&error);
        trace_source_free(src);
    }
    g_free(bad);
    g_free(data);
    g_array_free(recs, TRUE);
    g_free(path);
    rm_dir(dir);
}

static void test_native_writer(void)
{
    char *dir = tmp_dir();
    char *path = g_build_filename(dir, "w.trace", NULL);
    GError *error = NULL;
    NativeWriter *w = native_writer_new(path, 4096, FALSE, &error);
    PageAccess a[2] = {{10, 1, 1, -1, R}, {5, 1, 1, -1, R}};
    g_assert_false(native_writer_add(w, a, 2, &error));
    g_assert_nonnull(strstr(error->message, "record 2: expected time >= 0 in time order"));
    g_clear_error(&error);
    /* nothing reaches the destination before close, nothing after abort */
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    native_writer_abort(w);
    GDir *d = g_dir_open(dir, 0, NULL);
    g_assert_null(g_dir_read_name(d));
    g_dir_close(d);
    /* an empty trace is valid */
    w = native_writer_new(path, 4096, TRUE, &error);
    g_assert_true(native_writer_close(w, &error));
    TraceOpenOptions o = opts_fmt("auto");
    GArray *got = read_file(path, &o, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(got->len, ==, 0);
    g_array_free(got, TRUE);
    g_assert_null(native_writer_new(path, 3000, FALSE, &error));
    g_clear_error(&error);
    char *nowhere = g_build_filename(dir, "no", "such", "dir", NULL);
    g_assert_null(native_writer_new(nowhere, 4096, FALSE, &error));
    g_assert_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO);
    g_clear_error(&error);
    g_free(nowhere);
    g_free(path);
    rm_dir(dir);
}

/* ---- committed samples and their scenarios ---- */

static void test_samples(void)
{
    const char *root = g_getenv("TIERSIM_SOURCE_DIR");
    if (!root)
        root = TIERSIM_SOURCE_DIR;
    char *sdir = g_build_filename(root, "scenarios", NULL);
    GDir *d = g_dir_open(sdir, 0, NULL);
    g_assert_nonnull(d);
    const char *name;
    int seen = 0;
    while ((name = g_dir_read_name(d))) {
        if (!g_str_has_prefix(name, "trace-") || !g_str_has_suffix(name, ".json"))
            continue;
        char *spath = g_build_filename(sdir, name, NULL);
        gchar *text;
        g_assert_true(g_file_get_contents(spath, &text, NULL, NULL));
        cJSON *sc = cJSON_Parse(text);
        g_assert_nonnull(sc);
        cJSON *tr = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(sc, "workload"), "trace");
        g_assert_nonnull(tr);
        const char *rel = cJSON_GetObjectItemCaseSensitive(tr, "path")->valuestring;
        TraceOpenOptions o = opts_fmt(cJSON_GetObjectItemCaseSensitive(tr, "format")->valuestring);
        cJSON *v;
        if ((v = cJSON_GetObjectItemCaseSensitive(tr, "clock_ghz")))
            o.clock_ghz = v->valuedouble;
        if ((v = cJSON_GetObjectItemCaseSensitive(tr, "rate")))
            o.rate = v->valuedouble;
        cJSON *tasks = cJSON_GetObjectItemCaseSensitive(sc, "tasks");
        g_assert_cmpint(cJSON_GetArraySize(tasks), ==, 1);
        int pid = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(tasks, 0), "pid")->valueint;
        char *tpath = g_build_filename(sdir, rel, NULL);
        GError *error = NULL;
        GArray *got = read_file(tpath, &o, &error);
        if (error)
            g_error("%s: %s", name, error->message);
        g_assert_cmpuint(got->len, >=, 40);
        for (guint i = 0; i < got->len; i++)
            g_assert_cmpuint(g_array_index(got, PageAccess, i).pid, ==, (guint)pid);
        /* auto-detection agrees with the scenario's format */
        TraceOpenOptions a = o;
        a.format = "auto";
        TraceSource *src = trace_open(tpath, &a, 4096, &error);
        g_assert_no_error(error);
        g_assert_cmpstr(trace_source_format(src), ==, o.format);
        trace_source_free(src);
        g_array_free(got, TRUE);
        g_free(tpath);
        cJSON_Delete(sc);
        g_free(text);
        g_free(spath);
        seen++;
    }
    g_dir_close(d);
    g_free(sdir);
    g_assert_cmpint(seen, ==, 7);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/traces/lackey/golden", test_lackey_golden);
    g_test_add_func("/traces/lackey/insn-clock", test_lackey_insn_clock);
    g_test_add_func("/traces/pinatrace/golden", test_pinatrace_golden);
    g_test_add_func("/traces/perf/golden", test_perf_golden);
    g_test_add_func("/traces/text/golden", test_text_golden);
    g_test_add_func("/traces/damon/golden", test_damon_golden);
    g_test_add_func("/traces/ramulator/golden", test_ramulator_golden);
    g_test_add_func("/traces/prospero/golden", test_prospero_golden);
    g_test_add_func("/traces/strict/malformed-line-located", test_malformed_lines);
    g_test_add_func("/traces/strict/skip-bad-lines-counted", test_skip_bad_lines);
    g_test_add_func("/traces/strict/error-after-good-records", test_error_after_records);
    g_test_add_func("/traces/options/explicit-units", test_options);
    g_test_add_func("/traces/auto/detects-each-format", test_auto_detect);
    g_test_add_func("/traces/input/gzip-zstd", test_compressed);
    g_test_add_func("/traces/native/roundtrip-every-format", test_native_roundtrip_formats);
    g_test_add_func("/traces/native/roundtrip-random", test_native_roundtrip_random);
    g_test_add_func("/traces/native/page-size-conversion", test_native_page_size);
    g_test_add_func("/traces/native/corrupt-input", test_native_corrupt);
    g_test_add_func("/traces/native/writer-order-and-atomicity", test_native_writer);
    g_test_add_func("/traces/samples/scenarios-replay", test_samples);
    return g_test_run();
}
