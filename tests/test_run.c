/* End-to-end tests of tiersim run/compare through the CLI: outputs exist,
 * counters add up, reruns are byte-identical, bad input exits 2. */
#include <cjson/cJSON.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "test_cli.h"
#include "test_tmp.h"

static char *scenario_path(const char *name)
{
    return g_build_filename(g_getenv("TIERSIM_SOURCE_DIR"), "scenarios", name, NULL);
}

static int run_cli(const char *const *args, char **out, char **err)
{
    return test_cli_run(args, NULL, out, err);
}

static const char *small_scenario =
    "{\n"
    "  \"name\": \"small\",\n"
    "  \"seed\": 7,\n"
    "  \"machine\": {\n"
    "    \"nodes\": [\n"
    "      {\"id\": 0, \"kind\": \"dram\", \"capacity\": \"16MiB\", \"cpus\": [0, 1]},\n"
    "      {\"id\": 1, \"kind\": \"cxl\", \"capacity\": \"16MiB\"}\n"
    "    ],\n"
    "    \"swap\": {\"capacity\": \"256MiB\"}\n"
    "  },\n"
    "  \"placement\": [\"task\", \"origin\", \"strict\"],\n"
    "  \"tasks\": [{\"pid\": 1, \"cpu\": 0, \"mempolicy\": {\"mode\": \"bind\", \"nodes\": [1]}},\n"
    "            {\"pid\": 2, \"cpu\": 1}],\n"
    "  \"workload\": {\"generator\": {\"phases\": [\n"
    "    {\"pid\": 2, \"region\": \"d\", \"pattern\": \"sequential\", \"size\": \"10MiB\", \"op\": "
    "\"write\"},\n"
    "    {\"pid\": 1, \"region\": \"c\", \"pattern\": \"sequential\", \"size\": \"30MiB\", \"op\": "
    "\"write\"},\n"
    "    {\"pid\": 1, \"region\": \"c\", \"pattern\": \"uniform\", \"size\": \"30MiB\", "
    "\"accesses\": 20000,\n"
    "     \"write_fraction\": 0.3},\n"
    "    {\"pid\": 2, \"region\": \"d\", \"pattern\": \"zipf\", \"size\": \"10MiB\", \"accesses\": "
    "20000}\n"
    "  ]}},\n"
    "  \"compressibility\": {\"model\": \"ratio\", \"ratio\": 2.5, \"zero_fraction\": 0.05},\n"
    "  \"run\": {\"sample_interval\": \"1ms\"}\n"
    "}\n";

static char *write_tmp(const char *dir, const char *name, const char *text)
{
    char *p = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(p, text, -1, NULL));
    return p;
}

static cJSON *load_json(const char *path)
{
    char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    cJSON *j = cJSON_Parse(text);
    g_free(text);
    g_assert_nonnull(j);
    return j;
}

static double num(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b)
        x = cJSON_GetObjectItemCaseSensitive(x, b);
    g_assert_true(cJSON_IsNumber(x));
    return x->valuedouble;
}

static void test_compare_outputs_and_determinism(void)
{
    const char *dir = test_tmpdir("tiersim-run-XXXXXX");
    g_autofree char *sc = write_tmp(dir, "small.json", small_scenario);
    g_autofree char *o1 = g_build_filename(dir, "a", NULL);
    g_autofree char *o2 = g_build_filename(dir, "b", NULL);
    const char *a1[] = {"compare", sc, "-o", o1, "-q", "--check-every", "1", NULL};
    const char *a2[] = {"compare", sc, "-o", o2, "-q", NULL};
    g_assert_cmpint(run_cli(a1, NULL, NULL), ==, 0);
    g_assert_cmpint(run_cli(a2, NULL, NULL), ==, 0);
    const char *files[] = {"compare.json",          "task/summary.json",
                           "task/timeseries.tsv",   "task/vmstat",
                           "task/node0/vmstat",     "task/node1/vmstat",
                           "task/zsmalloc_classes", "origin/summary.json",
                           "strict/summary.json",   NULL};
    for (int i = 0; files[i]; i++) {
        g_autofree char *p1 = g_build_filename(o1, files[i], NULL);
        g_autofree char *p2 = g_build_filename(o2, files[i], NULL);
        char *t1 = NULL, *t2 = NULL;
        gsize l1 = 0, l2 = 0;
        g_assert_true(g_file_get_contents(p1, &t1, &l1, NULL));
        g_assert_true(g_file_get_contents(p2, &t2, &l2, NULL));
        g_assert_cmpuint(l1, ==, l2);
        g_assert_true(memcmp(t1, t2, l1) == 0); /* byte-identical reruns */
        g_assert_null(strstr(t1, dir));         /* no absolute paths */
        g_free(t1);
        g_free(t2);
    }
    /* counters add up */
    g_autofree char *sp = g_build_filename(o1, "task/summary.json", NULL);
    cJSON *s = load_json(sp);
    double zswpout = num(s, "vmstat", "zswpout"), zswpin = num(s, "vmstat", "zswpin");
    double zswpwb = num(s, "vmstat", "zswpwb");
    double stored = num(s, "zswap", "stored_pages");
    g_assert_cmpfloat(zswpout - zswpin - zswpwb, ==, stored);
    g_assert_cmpfloat(zswpout, >, 0);
    double steal = num(s, "vmstat", "pgsteal_kswapd") + num(s, "vmstat", "pgsteal_direct");
    double out = num(s, "vmstat", "zswpout") + num(s, "vmstat", "swpout_zero") +
                 num(s, "vmstat", "pswpout") - zswpwb;
    g_assert_cmpfloat(steal, ==, out);
    double pages = num(s, "run", "pages_touched");
    double anon = num(s, "vmstat", "nr_anon_pages");
    double swapped = num(s, "tiersim", "swap_used_pages");
    g_assert_cmpfloat(anon + swapped, ==, pages);
    /* the same run on an all-DRAM machine of equal size is faster */
    g_assert_cmpfloat(num(s, "latency", "slowdown_vs_all_dram_ratio"), >, 1.0);
    g_assert_cmpfloat(num(s, "latency", "all_dram_sim_time_ns"), <, num(s, "run", "sim_time_ns"));
    cJSON_Delete(s);
    /* the strict policy never places data off its origin node */
    g_autofree char *st = g_build_filename(o1, "strict/summary.json", NULL);
    s = load_json(st);
    g_assert_cmpfloat(num(s, "metrics", "cross_node_bytes"), ==, 0);
    g_assert_cmpfloat(num(s, "metrics", "inversion_bytes_peak"), ==, 0);
    /* no foreign zspages anywhere: no reclaim is attributed to them */
    g_assert_cmpfloat(num(s, "metrics", "cross_node_kswapd_wakeups"), ==, 0);
    g_assert_cmpfloat(num(s, "metrics", "cross_node_direct_reclaim_entries"), ==, 0);
    cJSON_Delete(s);
    /* the task policy inverts: kswapd of the CPU-less node runs on node 0 */
    g_autofree char *tp = g_build_filename(o1, "task/summary.json", NULL);
    s = load_json(tp);
    g_assert_cmpfloat(num(s, "metrics", "inversion_bytes_peak"), >, 0);
    /* attributed reclaim work is part of the total */
    g_assert_cmpfloat(num(s, "metrics", "cross_node_kswapd_wakeups"), <=,
                      num(s, "tiersim", "kswapd_wakeups"));
    g_assert_cmpfloat(num(s, "metrics", "cross_node_direct_reclaim_entries"), <=,
                      num(s, "tiersim", "direct_reclaim_entries"));
    g_assert_cmpfloat(num(s, "metrics", "cross_node_kswapd_pages_scanned"), <=,
                      num(s, "vmstat", "pgscan_kswapd"));
    cJSON_Delete(s);
}

static void test_bad_input_exits_2(void)
{
    const char *dir = test_tmpdir("tiersim-run-XXXXXX");
    g_autofree char *bad = write_tmp(dir, "bad.json", "{\"machine\": {\"nodes\": [}\n");
    char *err = NULL;
    const char *a[] = {"run", bad, "-o", dir, NULL};
    g_assert_cmpint(run_cli(a, NULL, &err), ==, 2);
    g_assert_nonnull(strstr(err, "bad.json:1:"));
    g_free(err);
    const char *b[] = {"run", "/nonexistent/x.json", NULL};
    g_assert_cmpint(run_cli(b, NULL, NULL), ==, 2);
    const char *c[] = {"run", NULL};
    g_assert_cmpint(run_cli(c, NULL, NULL), ==, 2);
    const char *d[] = {"run", "--no-such-option", NULL};
    g_assert_cmpint(run_cli(d, NULL, NULL), ==, 2);
    const char *e[] = {"frobnicate", NULL};
    g_assert_cmpint(run_cli(e, NULL, NULL), ==, 2);
    /* a list of policies is for compare, not run */
    g_autofree char *sc = write_tmp(dir, "small.json", small_scenario);
    const char *f[] = {"run", sc, "-o", dir, NULL};
    g_assert_cmpint(run_cli(f, NULL, NULL), ==, 2);
    const char *g[] = {"compare", sc, "--policies", "task,nope", "-o", dir, NULL};
    g_assert_cmpint(run_cli(g, NULL, &err), ==, 2);
    g_assert_nonnull(strstr(err, "nope"));
    g_free(err);
}

/* A phase's mempolicy covers its whole region, also the pages a later,
 * larger phase of the same region touches; conflicting policies for one
 * region are an error. */
static void test_region_mempolicy(void)
{
    const char *dir = test_tmpdir("tiersim-run-XXXXXX");
    const char *fmt =
        "{\"name\": \"mb\", \"machine\": {\"nodes\": [{\"id\": 0, \"capacity\": \"64MiB\", "
        "\"cpus\": [0]}, {\"id\": 1, \"capacity\": \"64MiB\"}]},\n"
        " \"kernel\": {\"zswap\": {\"enabled\": false}},\n"
        " \"workload\": {\"generator\": {\"phases\": [\n"
        "  {\"pid\": 1, \"region\": \"a\", \"pattern\": \"sequential\", \"size\": \"4MiB\", "
        "\"op\": \"write\", \"mempolicy\": {\"mode\": \"bind\", \"nodes\": [1]}},\n"
        "  {\"pid\": 1, \"region\": \"a\", \"pattern\": \"sequential\", \"size\": \"8MiB\", "
        "\"op\": \"write\"%s}]}},\n"
        " \"run\": {\"all_dram_baseline\": false}}\n";
    g_autofree char *ok_text = g_strdup_printf(fmt, "");
    g_autofree char *bad_text =
        g_strdup_printf(fmt, ", \"mempolicy\": {\"mode\": \"bind\", \"nodes\": [0]}");
    g_autofree char *ok = write_tmp(dir, "ok.json", ok_text);
    g_autofree char *bad = write_tmp(dir, "bad.json", bad_text);
    g_autofree char *out = g_build_filename(dir, "out", NULL);
    const char *a[] = {"run", ok, "-o", out, "-q", NULL};
    g_assert_cmpint(run_cli(a, NULL, NULL), ==, 0);
    g_autofree char *sp = g_build_filename(out, "summary.json", NULL);
    cJSON *s = load_json(sp);
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(s, "nodes");
    g_assert_cmpfloat(num(cJSON_GetArrayItem(nodes, 0), "vmstat", "nr_anon_pages"), ==, 0);
    g_assert_cmpfloat(num(cJSON_GetArrayItem(nodes, 1), "vmstat", "nr_anon_pages"), ==, 2048);
    cJSON_Delete(s);
    char *err = NULL;
    const char *b[] = {"run", bad, "-o", out, "-q", NULL};
    g_assert_cmpint(run_cli(b, NULL, &err), ==, 2);
    g_assert_nonnull(strstr(err, "phases[1].mempolicy differs from phases[0]"));
    g_free(err);
}

static void test_bundled_scenario_runs(void)
{
    g_autofree char *sc = scenario_path("cxl-kswapd-inversion.json");
    const char *dir = test_tmpdir("tiersim-run-XXXXXX");
    char *out = NULL;
    const char *a[] = {"compare", sc, "-o", dir, NULL};
    g_assert_cmpint(run_cli(a, &out, NULL), ==, 0);
    g_assert_nonnull(strstr(out, "origin"));
    g_assert_nonnull(strstr(out, "inversion bytes (peak)"));
    g_free(out);
}

/* `trace gen` writes the generator's stream; replaying it as a trace gives
 * the same machine behaviour, counter for counter. */
static void test_gen_then_replay_is_identical(void)
{
    const char *dir = test_tmpdir("tiersim-run-XXXXXX");
    g_autofree char *sc = write_tmp(dir, "small.json", small_scenario);
    g_autofree char *trace = g_build_filename(dir, "small.tst", NULL);
    const char *gen[] = {"trace", "gen", sc, trace, NULL};
    g_assert_cmpint(run_cli(gen, NULL, NULL), ==, 0);
    /* the same scenario with the workload replaced by the trace */
    cJSON *j = cJSON_Parse(small_scenario);
    cJSON_DeleteItemFromObjectCaseSensitive(j, "workload");
    cJSON_DeleteItemFromObjectCaseSensitive(j, "placement");
    cJSON_AddStringToObject(j, "placement", "origin");
    cJSON *w = cJSON_AddObjectToObject(j, "workload");
    cJSON *t = cJSON_AddObjectToObject(w, "trace");
    cJSON_AddStringToObject(t, "path", "small.tst");
    char *text = cJSON_Print(j);
    g_autofree char *sc2 = write_tmp(dir, "replay.json", text);
    cJSON_free(text);
    cJSON_Delete(j);
    g_autofree char *o1 = g_build_filename(dir, "gen", NULL);
    g_autofree char *o2 = g_build_filename(dir, "replay", NULL);
    const char *a1[] = {"compare", sc, "--policies", "origin", "-o", o1, "-q", NULL};
    const char *a2[] = {"run", sc2, "-o", o2, "-q", NULL};
    g_assert_cmpint(run_cli(a1, NULL, NULL), ==, 0);
    g_assert_cmpint(run_cli(a2, NULL, NULL), ==, 0);
    g_autofree char *v1 = g_build_filename(o1, "origin", "vmstat", NULL);
    g_autofree char *v2 = g_build_filename(o2, "vmstat", NULL);
    char *t1 = NULL, *t2 = NULL;
    g_assert_true(g_file_get_contents(v1, &t1, NULL, NULL));
    g_assert_true(g_file_get_contents(v2, &t2, NULL, NULL));
    g_assert_cmpstr(t1, ==, t2);
    g_free(t1);
    g_free(t2);
}

/* The corpus model compresses a real file's pages: its zero pages become
 * same-filled swap-outs, the rest zswap stores of their measured sizes. */
static void test_corpus_compressibility(void)
{
    const char *dir = test_tmpdir("tiersim-run-XXXXXX");
    /* 64 pages of repetitive text (compresses well), 32 zero pages */
    GString *data = g_string_new(NULL);
    while (data->len < 64 * 4096)
        g_string_append(data, "tiersim corpus line: the quick brown fox jumps over the lazy dog\n");
    g_string_set_size(data, 64 * 4096);
    char *zeros = g_malloc0(32 * 4096);
    g_string_append_len(data, zeros, 32 * 4096);
    g_free(zeros);
    g_autofree char *corpus = g_build_filename(dir, "corpus.bin", NULL);
    g_assert_true(g_file_set_contents(corpus, data->str, (gssize)data->len, NULL));
    g_string_free(data, TRUE);
    g_autofree char *sc = write_tmp(
        dir, "corpus.json",
        "{\"name\": \"corpus\", \"machine\": {\"nodes\": [{\"id\": 0, \"capacity\": \"8MiB\", "
        "\"cpus\": [0]}], \"swap\": {\"capacity\": \"64MiB\"}},\n"
        " \"workload\": {\"generator\": {\"phases\": [{\"pid\": 1, \"pattern\": \"sequential\", "
        "\"size\": \"16MiB\", \"op\": \"write\"}]}},\n"
        " \"compressibility\": {\"model\": \"corpus\", \"path\": \"corpus.bin\", "
        "\"compressor\": \"lz4\"},\n"
        " \"run\": {\"all_dram_baseline\": false}}\n");
    g_autofree char *out = g_build_filename(dir, "out", NULL);
    const char *a[] = {"run", sc, "-o", out, "-q", NULL};
    g_assert_cmpint(run_cli(a, NULL, NULL), ==, 0);
    g_autofree char *sp = g_build_filename(out, "summary.json", NULL);
    cJSON *s = load_json(sp);
    double zero = num(s, "vmstat", "swpout_zero");
    double stored = num(s, "zswap", "stored_pages");
    g_assert_cmpfloat(zero, >, 0);
    g_assert_cmpfloat(stored, >, 0);
    /* about a third of the swapped pages are zero pages */
    g_assert_cmpfloat(zero / (zero + stored), >, 0.2);
    g_assert_cmpfloat(zero / (zero + stored), <, 0.5);
    /* repetitive text compresses to well under a page */
    g_assert_cmpfloat(num(s, "metrics", "compressed_bytes") / stored, <, 1024);
    cJSON_Delete(s);
    /* a corpus of zero pages only has nothing to measure: exit 2 */
    char *zero_only = g_malloc0(8 * 4096);
    g_assert_true(g_file_set_contents(corpus, zero_only, 8 * 4096, NULL));
    g_free(zero_only);
    char *err = NULL;
    g_assert_cmpint(run_cli(a, NULL, &err), ==, 2);
    g_assert_nonnull(strstr(err, "same-filled"));
    g_free(err);
}

/* A real program recorded with valgrind's lackey, replayed by a scenario. */
static void test_record_and_replay(void)
{
    g_autofree char *valgrind = g_find_program_in_path("valgrind");
    if (!valgrind) {
        g_test_skip("valgrind is not installed");
        return;
    }
    const char *dir = test_tmpdir("tiersim-run-XXXXXX");
    g_autofree char *trace = g_build_filename(dir, "true.tst", NULL);
    const char *rec[] = {"trace", "record", "-o", trace, "--", "/bin/true", NULL};
    g_assert_cmpint(run_cli(rec, NULL, NULL), ==, 0);
    g_autofree char *sc = write_tmp(dir, "replay.json",
                                    "{\"name\": \"replay\", \"machine\": {\"nodes\": [{\"id\": 0, "
                                    "\"capacity\": \"64MiB\", \"cpus\": [0]}]},\n"
                                    " \"workload\": {\"trace\": {\"path\": \"true.tst\"}}}\n");
    g_autofree char *out = g_build_filename(dir, "out", NULL);
    const char *run[] = {"run", sc, "-o", out, "-q", NULL};
    g_assert_cmpint(run_cli(run, NULL, NULL), ==, 0);
    g_autofree char *sp = g_build_filename(out, "summary.json", NULL);
    cJSON *s = load_json(sp);
    g_assert_cmpfloat(num(s, "run", "accesses"), >, 1000);
    g_assert_cmpstr(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s, "run"), "trace_format")
            ->valuestring,
        ==, "native");
    cJSON_Delete(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/run/compare/outputs-add-up-and-are-deterministic",
                    test_compare_outputs_and_determinism);
    g_test_add_func("/run/cli/bad-input-exits-2", test_bad_input_exits_2);
    g_test_add_func("/run/bundled/cxl-kswapd-inversion", test_bundled_scenario_runs);
    g_test_add_func("/run/workload/region-mempolicy", test_region_mempolicy);
    g_test_add_func("/run/trace/record-and-replay", test_record_and_replay);
    g_test_add_func("/run/compressibility/corpus", test_corpus_compressibility);
    g_test_add_func("/run/trace/gen-then-replay-is-identical", test_gen_then_replay_is_identical);
    return g_test_run();
}
