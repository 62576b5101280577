/* Tests of `tiersim check`: the library (flattening, tolerances, comparison,
 * baseline writing) directly, and the CLI through TIERSIM_BIN (set by CTest). */
#include <glib.h>

#include "test_cli.h"
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sim/check.h"

/* ---- helpers ---- */

typedef struct {
    char *dir;
} Fx;

static void fx_setup(Fx *fx, gconstpointer data)
{
    GError *error = NULL;
    fx->dir = g_dir_make_tmp("tiersim-check-XXXXXX", &error);
    g_assert_no_error(error);
}

static void fx_teardown(Fx *fx, gconstpointer data)
{
    GDir *d = g_dir_open(fx->dir, 0, NULL);
    g_assert_nonnull(d);
    const char *name;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(fx->dir, name, NULL);
        g_assert_cmpint(g_unlink(p), ==, 0);
    }
    g_dir_close(d);
    g_assert_cmpint(g_rmdir(fx->dir), ==, 0);
    g_free(fx->dir);
}

/* Writes `text` to DIR/name; returns the path. */
static char *put(Fx *fx, const char *name, const char *text)
{
    char *path = g_build_filename(fx->dir, name, NULL);
    GError *error = NULL;
    g_file_set_contents(path, text, -1, &error);
    g_assert_no_error(error);
    return path;
}

static char *slurp(const char *path)
{
    char *text = NULL;
    GError *error = NULL;
    g_file_get_contents(path, &text, NULL, &error);
    g_assert_no_error(error);
    return text;
}

static CheckInput *parse(const char *text)
{
    GError *error = NULL;
    CheckInput *in = check_input_parse(text, strlen(text), "mem.json", &error);
    g_assert_no_error(error);
    g_assert_nonnull(in);
    return in;
}

typedef struct {
    int status;
    char *out;
    char *err;
} Run;

static void run_clear(Run *r)
{
    g_free(r->out);
    g_free(r->err);
}

/* Runs `tiersim check ARGS...`; FALSE (test skipped) without TIERSIM_BIN. */
static gboolean run_check(Run *r, ...)
{
    const char *bin = g_getenv("TIERSIM_BIN");
    if (!bin) {
        g_test_skip("TIERSIM_BIN is not set (run under CTest)");
        return FALSE;
    }
    GPtrArray *args = g_ptr_array_new();
    g_ptr_array_add(args, "check");
    va_list ap;
    va_start(ap, r);
    const char *a;
    while ((a = va_arg(ap, const char *)))
        g_ptr_array_add(args, (char *)a);
    va_end(ap);
    g_ptr_array_add(args, NULL);
    r->status = test_cli_run((const char *const *)args->pdata, NULL, &r->out, &r->err);
    g_ptr_array_free(args, TRUE);
    return TRUE;
}

/* The last line of the output. */
static char *last_line(const char *out)
{
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    guint n = g_strv_length(lines);
    g_assert_cmpuint(n, >=, 2);
    g_assert_cmpstr(lines[n - 1], ==, ""); /* newline-terminated */
    return g_strdup(lines[n - 2]);
}

/* The table row of `metric` with its runs of spaces collapsed to one, or
 * NULL. */
static char *row_of(const char *out, const char *metric)
{
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (!g_str_has_prefix(*l, metric) || (*l)[strlen(metric)] != ' ')
            continue;
        GString *row = g_string_new(NULL);
        for (const char *p = *l; *p; p++)
            if (*p != ' ' || (p[1] != ' ' && p[1] != '\0'))
                g_string_append_c(row, *p);
        return g_string_free(row, FALSE);
    }
    return NULL;
}

static void assert_row_verdict(const char *out, const char *metric, const char *verdict)
{
    g_autofree char *row = row_of(out, metric);
    g_assert_nonnull(row);
    g_assert_true(g_str_has_suffix(row, verdict));
}

/* A small summary.json as `tiersim run` writes it. */
static const char SUMMARY[] = "{\n"
                              "  \"tiersim_version\": \"0.1.0\",\n"
                              "  \"seed\": 1,\n"
                              "  \"scenario\": {\"name\": \"cxl\", \"seed\": 1},\n"
                              "  \"vmstat\": {\"pswpout\": 100, \"zswpout\": 2000},\n"
                              "  \"nodes\": {\"1\": {\"vmstat\": {\"nr_zspages\": 40}}},\n"
                              "  \"placement\": {\"bytes\": [[1, 2], [3, 4]]},\n"
                              "  \"inversion_bytes_peak\": 81920,\n"
                              "  \"reclaim_efficacy_ratio\": 0.75,\n"
                              "  \"latency\": {\"mean_ns\": 120.5},\n"
                              "  \"timeseries\": [{\"t_ns\": 0, \"free\": 5}],\n"
                              "  \"placement_policy\": \"task\"\n"
                              "}\n";
#define SUMMARY_METRICS 11

/* SUMMARY with one literal replaced. */
static char *summary_with(const char *from, const char *to)
{
    g_assert_nonnull(strstr(SUMMARY, from));
    g_auto(GStrv) parts = g_strsplit(SUMMARY, from, 2);
    return g_strconcat(parts[0], to, parts[1], NULL);
}

/* ---- library: flattening ---- */

static void test_flatten_paths(void)
{
    g_autoptr(CheckInput) in =
        parse("{\"tiersim_version\": \"9\", \"b\": 2, \"a\": {\"z\": 1, "
              "\"scenario\": {\"seed\": 7}, \"y\": [[5, 6], [7]]},"
              " \"name\": \"x\", \"on\": true, \"off\": false,"
              " \"n\": null, \"q\": \"NaN\", \"r\": \"-inf\", \"big\": 1e999,"
              " \"policies\": {\"origin\": {\"timeseries\": [1, 2],"
              " \"cross_node_bytes\": 3}}, \"e\": {}, \"f\": []}");
    const char *paths[] = {"b",         "a.z", "a.y[0][0]", "a.y[0][1]",
                           "a.y[1][0]", "on",  "off",       "n",
                           "q",         "r",   "big",       "policies.origin.cross_node_bytes"};
    const char *keys[] = {"b",   "z", "y", "y", "y",   "on",
                          "off", "n", "q", "r", "big", "cross_node_bytes"};
    g_assert_cmpuint(check_input_n_metrics(in), ==, G_N_ELEMENTS(paths));
    for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
        const CheckMetric *m = check_input_metric(in, i);
        g_assert_cmpstr(m->path, ==, paths[i]);
        g_assert_cmpstr(m->key, ==, keys[i]);
        g_assert_true(check_input_lookup(in, paths[i]) == m);
    }
    g_assert_cmpfloat(check_input_metric(in, 4)->value.v, ==, 7);
    g_assert_cmpint(check_input_metric(in, 5)->value.kind, ==, CHECK_VALUE_BOOL);
    g_assert_cmpfloat(check_input_metric(in, 5)->value.v, ==, 1);
    g_assert_cmpfloat(check_input_metric(in, 6)->value.v, ==, 0);
    g_assert_cmpint(check_input_metric(in, 7)->value.kind, ==, CHECK_VALUE_NULL);
    g_assert_cmpint(check_input_metric(in, 8)->value.kind, ==, CHECK_VALUE_NAN);
    g_assert_cmpint(check_input_metric(in, 9)->value.kind, ==, CHECK_VALUE_NUMBER);
    g_assert_true(isinf(check_input_metric(in, 9)->value.v) &&
                  check_input_metric(in, 9)->value.v < 0);
    g_assert_true(isinf(check_input_metric(in, 10)->value.v) &&
                  check_input_metric(in, 10)->value.v > 0);
    g_assert_null(check_input_lookup(in, "name"));
    g_assert_null(check_input_lookup(in, "a.scenario.seed"));
    g_assert_null(check_input_lookup(in, "tiersim_version"));
}

static void test_flatten_duplicate_path(void)
{
    const char *bad[] = {"{\"a\": 1, \"a\": 2}", "{\"a.b\": 1, \"a\": {\"b\": 2}}"};
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        GError *error = NULL;
        CheckInput *in = check_input_parse(bad[i], strlen(bad[i]), "dup.json", &error);
        g_assert_null(in);
        g_assert_error(error, CHECK_ERROR, CHECK_ERROR_SHAPE);
        g_assert_nonnull(strstr(error->message, "dup.json"));
        g_assert_nonnull(strstr(error->message, "duplicate"));
        g_clear_error(&error);
    }
}

static void test_parse_malformed_position(void)
{
    struct {
        const char *text;
        gsize len;
        const char *prefix;
        GQuark domain;
        int code;
    } cases[] = {
        {"{\n  \"a\": 1,\n  \"b\": ]\n}\n", 0, "bad.json:3:8: malformed JSON", CHECK_ERROR,
         CHECK_ERROR_PARSE},
        {"{\"a\": 1}\n x\n", 0, "bad.json:2:2: malformed JSON", CHECK_ERROR, CHECK_ERROR_PARSE},
        {"", 0, "bad.json:1:1: malformed JSON", CHECK_ERROR, CHECK_ERROR_PARSE},
        {"{\"a\": 1}\n\0{}", 11, "bad.json:2:1: malformed JSON: a NUL byte", CHECK_ERROR,
         CHECK_ERROR_PARSE},
        {"[1, 2]", 0, "bad.json: expected a JSON object", CHECK_ERROR, CHECK_ERROR_SHAPE},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        GError *error = NULL;
        gsize len = cases[i].len ? cases[i].len : strlen(cases[i].text);
        CheckInput *in = check_input_parse(cases[i].text, len, "bad.json", &error);
        g_assert_null(in);
        g_assert_error(error, cases[i].domain, cases[i].code);
        g_assert_true(g_str_has_prefix(error->message, cases[i].prefix));
        g_clear_error(&error);
    }
}

/* ---- library: tolerances ---- */

static void test_tolerance_parse(void)
{
    struct {
        const char *spec;
        CheckTolKind kind;
        double limit;
        const char *shown;
    } ok[] = {
        {"exact", CHECK_TOL_EXACT, 0, "exact"},
        {"5%", CHECK_TOL_RELATIVE, 0.05, "5%"},
        {"0.5%", CHECK_TOL_RELATIVE, 0.005, "0.5%"},
        {"7%", CHECK_TOL_RELATIVE, 0.07, "7%"},
        {"0%", CHECK_TOL_RELATIVE, 0, "0%"},
        {"rel:1e-6", CHECK_TOL_RELATIVE, 1e-6, "rel:1e-6"},
        {"abs:100", CHECK_TOL_ABSOLUTE, 100, "abs:100"},
        {"abs:0.25", CHECK_TOL_ABSOLUTE, 0.25, "abs:0.25"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(ok); i++) {
        CheckTolerance t;
        GError *error = NULL;
        g_assert_true(check_tolerance_parse(ok[i].spec, &t, &error));
        g_assert_no_error(error);
        g_assert_cmpint(t.kind, ==, ok[i].kind);
        g_assert_cmpfloat_with_epsilon(t.limit, ok[i].limit, 1e-15);
        char buf[48];
        check_tolerance_format(&t, buf, sizeof buf);
        g_assert_cmpstr(buf, ==, ok[i].shown);
    }
    const char *bad[] = {
        "",        "5",     "%",   "-5%", "5%%",       "abs:",     "abs:-1", "abs:x", "abs:nan",
        "rel:inf", "Exact", " 5%", "5 %", "abs:1e999", "abs:0x10", "rel:",   "approx"};
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        CheckTolerance t;
        GError *error = NULL;
        g_assert_false(check_tolerance_parse(bad[i], &t, &error));
        g_assert_error(error, CHECK_ERROR, CHECK_ERROR_TOLERANCE);
        g_clear_error(&error);
    }
}

static void test_tolerance_defaults(void)
{
    CheckValue integral = {CHECK_VALUE_NUMBER, 42};
    CheckValue fractional = {CHECK_VALUE_NUMBER, 0.5};
    const char *rates[] = {"reclaim_efficacy_ratio",
                           "stall_ns",
                           "max_pool_percent",
                           "faults_per_s",
                           "latency_cdf",
                           "mean",
                           "p50_ns",
                           "p90",
                           "p99",
                           "density",
                           "efficacy",
                           "slowdown",
                           "access_latency_ns_mean"};
    for (guint i = 0; i < G_N_ELEMENTS(rates); i++) {
        CheckTolerance t = check_tolerance_default(rates[i], &integral);
        g_assert_cmpint(t.kind, ==, CHECK_TOL_RELATIVE);
        g_assert_cmpfloat(t.limit, ==, 1e-9);
    }
    const char *counts[] = {
        "pswpout",          "pgdemote_kswapd", "nr_zspages", "inversion_bytes_peak",
        "cross_node_bytes", "stored_pages",    "seed",       "bytes"};
    for (guint i = 0; i < G_N_ELEMENTS(counts); i++) {
        g_assert_cmpint(check_tolerance_default(counts[i], &integral).kind, ==, CHECK_TOL_EXACT);
        g_assert_cmpint(check_tolerance_default(counts[i], &fractional).kind, ==,
                        CHECK_TOL_RELATIVE);
    }
}

static gboolean within(const char *spec, double b, double n)
{
    CheckTolerance t;
    g_assert_true(check_tolerance_parse(spec, &t, NULL));
    CheckValue vb = {CHECK_VALUE_NUMBER, b}, vn = {CHECK_VALUE_NUMBER, n};
    return check_within(&t, &vb, &vn);
}

static void test_tolerance_relative_boundary(void)
{
    /* Exactly at the limit passes, in both directions, also where the
     * decimal limit is not a double. */
    g_assert_true(within("5%", 100, 105));
    g_assert_true(within("5%", 100, 95));
    g_assert_false(within("5%", 100, 105.000001));
    g_assert_false(within("5%", 100, 94.999999));
    g_assert_true(within("5%", 0.3, 0.315));
    g_assert_true(within("5%", 0.3, 0.285));
    g_assert_false(within("5%", 0.3, 0.31500001));
    g_assert_true(within("rel:0.1", -50, -55));
    g_assert_false(within("rel:0.1", -50, -55.001));
    /* Relative to zero: no change allowed. */
    g_assert_true(within("50%", 0, 0));
    g_assert_false(within("50%", 0, 1e-300));
    g_assert_true(within("rel:1e-9", 120.5, 120.5 * (1 + 1e-10)));
    g_assert_false(within("rel:1e-9", 120.5, 120.5 * (1 + 1e-8)));
}

static void test_tolerance_absolute_boundary(void)
{
    g_assert_true(within("abs:100", 1000, 1100));
    g_assert_true(within("abs:100", 1000, 900));
    g_assert_false(within("abs:100", 1000, 1100.001));
    g_assert_false(within("abs:100", 1000, 899.999));
    g_assert_true(within("abs:0.1", 1.1, 1.2));
    g_assert_true(within("abs:0.1", 0.2, 0.3));
    g_assert_false(within("abs:0.1", 0.2, 0.30001));
    g_assert_true(within("abs:0", 7, 7));
    g_assert_false(within("abs:0", 7, 8));
    g_assert_true(within("exact", 12345678901, 12345678901));
    g_assert_false(within("exact", 12345678901, 12345678902));
}

static void test_tolerance_nonfinite(void)
{
    CheckTolerance huge = {CHECK_TOL_ABSOLUTE, 1e300, FALSE};
    CheckValue num = {CHECK_VALUE_NUMBER, 1}, null = {CHECK_VALUE_NULL, NAN},
               nan = {CHECK_VALUE_NAN, NAN}, pinf = {CHECK_VALUE_NUMBER, INFINITY},
               ninf = {CHECK_VALUE_NUMBER, -INFINITY}, yes = {CHECK_VALUE_BOOL, 1};
    g_assert_false(check_within(&huge, &num, &null));
    g_assert_false(check_within(&huge, &null, &num));
    g_assert_false(check_within(&huge, &num, &nan));
    g_assert_false(check_within(&huge, &nan, &num));
    g_assert_false(check_within(&huge, &null, &nan));
    g_assert_false(check_within(&huge, &num, &pinf));
    g_assert_false(check_within(&huge, &pinf, &ninf));
    g_assert_true(check_within(&huge, &null, &null));
    g_assert_true(check_within(&huge, &nan, &nan));
    g_assert_true(check_within(&huge, &pinf, &pinf));
    /* A boolean is worth 0 or 1. */
    g_assert_true(check_within(&huge, &yes, &num));
}

/* ---- library: comparison ---- */

static void test_compare_rows(void)
{
    g_autoptr(CheckInput) base = parse("{\"a\": 1, \"gone\": 2, \"b\": 0.5, \"c\": 10}");
    g_autoptr(CheckInput) now = parse("{\"fresh\": 9, \"c\": 11, \"b\": 0.5, \"a\": 1}");
    g_autoptr(CheckReport) rep = check_compare(base, now, NULL);
    const char *paths[] = {"a", "gone", "b", "c", "fresh"};
    CheckVerdict verdicts[] = {CHECK_VERDICT_OK, CHECK_VERDICT_MISSING, CHECK_VERDICT_OK,
                               CHECK_VERDICT_CHANGED, CHECK_VERDICT_NEW};
    g_assert_cmpuint(check_report_n_rows(rep), ==, G_N_ELEMENTS(paths));
    for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
        const CheckRow *row = check_report_row(rep, i);
        g_assert_cmpstr(row->path, ==, paths[i]);
        g_assert_cmpint(row->verdict, ==, verdicts[i]);
        g_assert_cmpint(row->rule, ==, -1);
    }
    g_assert_null(check_report_row(rep, 1)->now);
    g_assert_null(check_report_row(rep, 4)->base);
    g_assert_cmpuint(check_report_n_changed(rep), ==, 3);
    g_assert_false(check_report_passed(rep));
    g_autofree char *line = check_report_verdict_line(rep);
    g_assert_cmpstr(line, ==, "check: FAILED, 3 of 5 metrics changed");

    g_autoptr(CheckReport) same = check_compare(base, base, NULL);
    g_assert_true(check_report_passed(same));
    g_autofree char *ok_line = check_report_verdict_line(same);
    g_assert_cmpstr(ok_line, ==, "check: 4 metrics, 0 changed");
    g_autofree char *quiet = check_report_format(same, TRUE);
    g_assert_cmpstr(quiet, ==, "");
}

static void test_compare_rules_later_win(void)
{
    g_autoptr(CheckInput) base =
        parse("{\"nodes\": {\"0\": {\"pswpout\": 100}, \"1\": {\"pswpout\": 100}}, \"x\": 5}");
    g_autoptr(CheckInput) now =
        parse("{\"nodes\": {\"0\": {\"pswpout\": 108}, \"1\": {\"pswpout\": 104}}, \"x\": 5}");
    g_autoptr(CheckRules) rules = check_rules_new();
    g_assert_true(check_rules_add(rules, "*.pswpout=10%", NULL));
    g_assert_true(check_rules_add(rules, "nodes.0.*=5%", NULL));
    g_assert_true(check_rules_add(rules, "nomatch.*=exact", NULL));
    g_assert_true(check_rules_add(rules, "x=abs:1", NULL));
    g_autoptr(CheckReport) rep = check_compare(base, now, rules);
    /* nodes.0: 8% against the later 5% rule; nodes.1: 4% against 10%. */
    g_assert_cmpint(check_report_row(rep, 0)->verdict, ==, CHECK_VERDICT_CHANGED);
    g_assert_cmpint(check_report_row(rep, 0)->rule, ==, 1);
    g_assert_cmpint(check_report_row(rep, 1)->verdict, ==, CHECK_VERDICT_OK);
    g_assert_cmpint(check_report_row(rep, 1)->rule, ==, 0);
    g_assert_cmpint(check_report_row(rep, 2)->rule, ==, 3);
    g_assert_true(check_report_rule_used(rep, 0));
    g_assert_true(check_report_rule_used(rep, 1));
    g_assert_false(check_report_rule_used(rep, 2));
    g_assert_true(check_report_rule_used(rep, 3));
    g_assert_cmpstr(check_rules_name(rules, 2), ==, "nomatch.*");

    GError *error = NULL;
    const char *bad[] = {"pswpout", "=5%", "pswpout=", "pswpout=5", "a=b=abs:-1"};
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_false(check_rules_add(rules, bad[i], &error));
        g_assert_error(error, CHECK_ERROR, CHECK_ERROR_TOLERANCE);
        g_assert_nonnull(strstr(error->message, bad[i]));
        g_clear_error(&error);
    }
    g_assert_cmpuint(check_rules_count(rules), ==, 4);
}

/* ---- library: baselines ---- */

static void test_baseline_text_round_trip(void)
{
    g_autoptr(CheckInput) in =
        parse("{\"tiersim_version\":\"0.1\",\"scenario\":{\"a\":1},\"m\":[[1,2],[3,4]],"
              "\"s\":\"q\\\"\\\\\\n\\u0001\",\"x\":0.1,\"big\":9007199254740993,\"inf\":1e999,"
              "\"n\":null,\"o\":{},\"l\":[],\"d\":[{\"k\":true}],\"neg\":-2.5e-300}");
    gsize len = 0;
    g_autofree char *text = check_input_to_baseline(in, &len);
    g_assert_cmpuint(len, ==, strlen(text));
    g_assert_cmpstr(text, ==,
                    "{\n"
                    "  \"m\": [\n"
                    "    [1, 2],\n"
                    "    [3, 4]\n"
                    "  ],\n"
                    "  \"s\": \"q\\\"\\\\\\n\\u0001\",\n"
                    "  \"x\": 0.1,\n"
                    "  \"big\": 9007199254740992,\n"
                    "  \"inf\": \"inf\",\n"
                    "  \"n\": null,\n"
                    "  \"o\": {},\n"
                    "  \"l\": [],\n"
                    "  \"d\": [\n"
                    "    {\n"
                    "      \"k\": true\n"
                    "    }\n"
                    "  ],\n"
                    "  \"neg\": -2.5e-300\n"
                    "}\n");
    g_autoptr(CheckInput) again = parse(text);
    g_assert_cmpuint(check_input_n_metrics(again), ==, check_input_n_metrics(in));
    for (guint i = 0; i < check_input_n_metrics(in); i++) {
        const CheckMetric *a = check_input_metric(in, i), *b = check_input_metric(again, i);
        g_assert_cmpstr(a->path, ==, b->path);
        g_assert_cmpint(a->value.kind, ==, b->value.kind);
        if (a->value.kind == CHECK_VALUE_NUMBER)
            g_assert_true(a->value.v == b->value.v);
    }
    g_autofree char *text2 = check_input_to_baseline(again, NULL);
    g_assert_cmpstr(text2, ==, text);
}

static void test_baseline_write(Fx *fx, gconstpointer data)
{
    g_autoptr(CheckInput) in = parse(SUMMARY);
    g_autofree char *path = g_build_filename(fx->dir, "baseline.json", NULL);
    GError *error = NULL;
    g_assert_true(check_write_baseline(in, path, &error));
    g_assert_no_error(error);
    g_autofree char *written = slurp(path);
    g_autofree char *expected = check_input_to_baseline(in, NULL);
    g_assert_cmpstr(written, ==, expected);
    g_autoptr(CheckInput) back = check_input_load(path, &error);
    g_assert_no_error(error);
    g_autoptr(CheckReport) rep = check_compare(back, in, NULL);
    g_assert_true(check_report_passed(rep));
    g_assert_cmpuint(check_report_n_rows(rep), ==, SUMMARY_METRICS);

    g_autofree char *nowhere = g_build_filename(fx->dir, "no", "such", "baseline.json", NULL);
    g_assert_false(check_write_baseline(in, nowhere, &error));
    g_assert_error(error, CHECK_ERROR, CHECK_ERROR_WRITE);
    g_clear_error(&error);
}

/* ---- CLI ---- */

static void test_cli_within(Fx *fx, gconstpointer data)
{
    g_autofree char *base = put(fx, "base.json", SUMMARY);
    /* Same metrics, other non-metrics: version, scenario, strings. */
    g_autofree char *text = summary_with("\"0.1.0\"", "\"0.2.0\"");
    g_autofree char *now = put(fx, "now.json", text);
    Run r;
    if (!run_check(&r, now, "--baseline", base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *line = last_line(r.out);
    g_assert_cmpstr(line, ==, "check: 11 metrics, 0 changed");
    assert_row_verdict(r.out, "vmstat.pswpout", "ok");
    g_assert_null(row_of(r.out, "tiersim_version"));
    g_assert_null(row_of(r.out, "scenario.seed"));
    g_assert_null(row_of(r.out, "timeseries[0].free"));
    g_assert_cmpstr(r.err, ==, "");
    run_clear(&r);
}

static void test_cli_beyond(Fx *fx, gconstpointer data)
{
    g_autofree char *base = put(fx, "base.json", SUMMARY);
    /* Up and down: an improvement fails too. */
    const char *moves[][3] = {
        {"\"pswpout\": 100", "\"pswpout\": 101", "vmstat.pswpout"},
        {"\"pswpout\": 100", "\"pswpout\": 99", "vmstat.pswpout"},
        {"\"inversion_bytes_peak\": 81920", "\"inversion_bytes_peak\": 0", "inversion_bytes_peak"},
        {"0.75", "0.7500001", "reclaim_efficacy_ratio"},
        {"[3, 4]", "[3, 5]", "placement.bytes[1][1]"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(moves); i++) {
        g_autofree char *text = summary_with(moves[i][0], moves[i][1]);
        g_autofree char *now = put(fx, "now.json", text);
        Run r;
        if (!run_check(&r, now, "--baseline", base, NULL))
            return;
        g_assert_cmpint(r.status, ==, 1);
        assert_row_verdict(r.out, moves[i][2], "CHANGED");
        g_autofree char *line = last_line(r.out);
        g_assert_cmpstr(line, ==, "check: FAILED, 1 of 11 metrics changed");
        run_clear(&r);
    }
}

static void test_cli_missing_metric(Fx *fx, gconstpointer data)
{
    g_autofree char *base = put(fx, "base.json", SUMMARY);
    g_autofree char *text = summary_with("\"pswpout\": 100, ", "");
    g_autofree char *now = put(fx, "now.json", text);
    Run r;
    if (!run_check(&r, now, "--baseline", base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 1);
    g_autofree char *row = row_of(r.out, "vmstat.pswpout");
    g_assert_nonnull(row);
    g_assert_true(g_str_has_suffix(row, "MISSING"));
    g_assert_nonnull(strstr(row, " 100 "));
    g_autofree char *line = last_line(r.out);
    g_assert_cmpstr(line, ==, "check: FAILED, 1 of 11 metrics changed");
    run_clear(&r);
}

static void test_cli_extra_metric(Fx *fx, gconstpointer data)
{
    g_autofree char *base = put(fx, "base.json", SUMMARY);
    g_autofree char *text = summary_with("\"zswpout\": 2000", "\"zswpout\": 2000, \"zswpwb\": 3");
    g_autofree char *now = put(fx, "now.json", text);
    Run r;
    if (!run_check(&r, now, "--baseline", base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 1);
    assert_row_verdict(r.out, "vmstat.zswpwb", "NEW");
    g_autofree char *line = last_line(r.out);
    g_assert_cmpstr(line, ==, "check: FAILED, 1 of 12 metrics changed");
    run_clear(&r);
}

static void test_cli_nan_null(Fx *fx, gconstpointer data)
{
    g_autofree char *base = put(fx, "base.json", SUMMARY);
    const char *now_values[] = {"null", "\"nan\"", "\"NaN\"", "\"inf\""};
    for (guint i = 0; i < G_N_ELEMENTS(now_values); i++) {
        g_autofree char *text = summary_with("0.75", now_values[i]);
        g_autofree char *now = put(fx, "now.json", text);
        Run r;
        if (!run_check(&r, now, "--baseline", base, "--tolerance", "*=abs:1e300", NULL))
            return;
        g_assert_cmpint(r.status, ==, 1);
        assert_row_verdict(r.out, "reclaim_efficacy_ratio", "CHANGED");
        run_clear(&r);
    }
    /* null in the baseline, a number now; and null on both sides. */
    g_autofree char *null_text = summary_with("0.75", "null");
    g_autofree char *null_base = put(fx, "null.json", null_text);
    g_autofree char *now = put(fx, "now.json", SUMMARY);
    Run r;
    if (!run_check(&r, now, "--baseline", null_base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 1);
    assert_row_verdict(r.out, "reclaim_efficacy_ratio", "CHANGED");
    run_clear(&r);
    if (!run_check(&r, null_base, "--baseline", null_base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 0);
    assert_row_verdict(r.out, "reclaim_efficacy_ratio", "ok");
    run_clear(&r);
}

static void test_cli_malformed_baseline(Fx *fx, gconstpointer data)
{
    g_autofree char *base =
        put(fx, "base.json", "{\n  \"vmstat\": {\n    \"pswpout\": 1OO\n  }\n}\n");
    g_autofree char *now = put(fx, "now.json", SUMMARY);
    Run r;
    if (!run_check(&r, now, "--baseline", base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 2);
    g_autofree char *where = g_strdup_printf("%s:3:17: malformed JSON", base);
    g_assert_nonnull(strstr(r.err, where));
    g_assert_cmpstr(r.out, ==, "");
    run_clear(&r);
    /* --update does not overwrite a malformed baseline unseen. */
    if (!run_check(&r, now, "--baseline", base, "--update", NULL))
        return;
    g_assert_cmpint(r.status, ==, 2);
    g_autofree char *kept = slurp(base);
    g_assert_nonnull(strstr(kept, "1OO"));
    run_clear(&r);
    /* A malformed result and an unreadable file are bad input too. */
    if (!run_check(&r, base, "--baseline", now, NULL))
        return;
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, where));
    run_clear(&r);
    g_autofree char *absent = g_build_filename(fx->dir, "absent.json", NULL);
    if (!run_check(&r, now, "--baseline", absent, NULL))
        return;
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "absent.json"));
    run_clear(&r);
}

static void test_cli_malformed_tolerance(Fx *fx, gconstpointer data)
{
    g_autofree char *base = put(fx, "base.json", SUMMARY);
    const char *bad[] = {"pswpout", "pswpout=5", "pswpout=abs:", "=5%", "x=-1%", "x=rel:nan"};
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        Run r;
        if (!run_check(&r, base, "--baseline", base, "--tolerance", bad[i], NULL))
            return;
        g_assert_cmpint(r.status, ==, 2);
        g_assert_nonnull(strstr(r.err, bad[i]));
        g_assert_cmpstr(r.out, ==, "");
        run_clear(&r);
    }
}

static void test_cli_glob_tolerance(Fx *fx, gconstpointer data)
{
    g_autofree char *base = put(fx, "base.json", SUMMARY);
    g_autofree char *text = summary_with("\"pswpout\": 100", "\"pswpout\": 104");
    g_autofree char *now = put(fx, "now.json", text);
    Run r;
    if (!run_check(&r, now, "--baseline", base, "--tolerance", "*.pswpout=5%", NULL))
        return;
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *row = row_of(r.out, "vmstat.pswpout");
    g_assert_cmpstr(row, ==, "vmstat.pswpout 100 104 +4 +4% 5% ok");
    g_assert_cmpstr(r.err, ==, "");
    run_clear(&r);
    /* Later options win. */
    if (!run_check(&r, now, "--baseline", base, "-t", "*.pswpout=5%", "-t", "vmstat.*=3%", NULL))
        return;
    g_assert_cmpint(r.status, ==, 1);
    assert_row_verdict(r.out, "vmstat.pswpout", "CHANGED");
    run_clear(&r);
    /* A pattern that matches nothing is a warning, not an error. */
    if (!run_check(&r, now, "--baseline", base, "-t", "*.pswpout=abs:4", "-t", "*.pswpin=5%", NULL))
        return;
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.err, "warning"));
    g_assert_nonnull(strstr(r.err, "'*.pswpin'"));
    g_assert_null(strstr(r.err, "'*.pswpout'"));
    run_clear(&r);
}

static void test_cli_boundaries(Fx *fx, gconstpointer data)
{
    g_autofree char *base = put(fx, "base.json", SUMMARY);
    struct {
        const char *to, *tol;
        int status;
    } cases[] = {
        {"\"pswpout\": 105", "vmstat.pswpout=5%", 0},
        {"\"pswpout\": 95", "vmstat.pswpout=5%", 0},
        {"\"pswpout\": 105.000001", "vmstat.pswpout=5%", 1},
        {"\"pswpout\": 200", "vmstat.pswpout=abs:100", 0},
        {"\"pswpout\": 0", "vmstat.pswpout=abs:100", 0},
        {"\"pswpout\": 200.001", "vmstat.pswpout=abs:100", 1},
        {"\"pswpout\": -0.001", "vmstat.pswpout=abs:100", 1},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text = summary_with("\"pswpout\": 100", cases[i].to);
        g_autofree char *now = put(fx, "now.json", text);
        Run r;
        if (!run_check(&r, now, "--baseline", base, "--tolerance", cases[i].tol, NULL))
            return;
        g_assert_cmpint(r.status, ==, cases[i].status);
        run_clear(&r);
    }
}

static void test_cli_update_round_trip(Fx *fx, gconstpointer data)
{
    g_autofree char *base = put(fx, "base.json", SUMMARY);
    g_autofree char *text = summary_with("\"pswpout\": 100, ", "\"pswpin\": 7, ");
    g_autofree char *now = put(fx, "now.json", text);
    Run r;
    if (!run_check(&r, now, "--baseline", base, "--update", NULL))
        return;
    g_assert_cmpint(r.status, ==, 0);
    /* The table still shows what moved. */
    assert_row_verdict(r.out, "vmstat.pswpout", "MISSING");
    assert_row_verdict(r.out, "vmstat.pswpin", "NEW");
    g_autofree char *line = last_line(r.out);
    g_autofree char *expect =
        g_strdup_printf("check: baseline %s updated, 2 of 12 metrics changed", base);
    g_assert_cmpstr(line, ==, expect);
    run_clear(&r);
    g_autofree char *first = slurp(base);
    g_assert_null(strstr(first, "tiersim_version"));
    g_assert_null(strstr(first, "scenario"));

    if (!run_check(&r, now, "--baseline", base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 0);
    g_autofree char *ok = last_line(r.out);
    g_assert_cmpstr(ok, ==, "check: 11 metrics, 0 changed");
    run_clear(&r);

    if (!run_check(&r, now, "--baseline", base, "--update", "--quiet", NULL))
        return;
    g_assert_cmpint(r.status, ==, 0);
    run_clear(&r);
    g_autofree char *second = slurp(base);
    g_assert_cmpstr(second, ==, first);

    /* No temporary file is left beside the baseline. */
    GDir *d = g_dir_open(fx->dir, 0, NULL);
    guint n = 0;
    while (g_dir_read_name(d))
        n++;
    g_dir_close(d);
    g_assert_cmpuint(n, ==, 2);
}

static void test_cli_update_creates_baseline(Fx *fx, gconstpointer data)
{
    g_autofree char *now = put(fx, "now.json", SUMMARY);
    g_autofree char *base = g_build_filename(fx->dir, "first.json", NULL);
    Run r;
    if (!run_check(&r, now, "--baseline", base, "--update", "--quiet", NULL))
        return;
    g_assert_cmpint(r.status, ==, 0);
    g_assert_true(g_file_test(base, G_FILE_TEST_EXISTS));
    run_clear(&r);
    if (!run_check(&r, now, "--baseline", base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 0);
    run_clear(&r);
}

/* compare.json: each policy's whole summary under policies.<name>. */
static char *compare_json(const char *origin_peak)
{
    GString *s =
        g_string_new("{\n  \"tiersim_version\": \"0.1.0\",\n  \"scenario\": {\"seed\": 1},\n"
                     "  \"policies\": {\n");
    const char *names[] = {"task", "local", "origin", "strict"};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        g_string_append_printf(
            s,
            "    \"%s\": {\"tiersim_version\": \"0.1.0\", \"scenario\": {\"placement\": \"%s\"},"
            " \"vmstat\": {\"pswpout\": %u}, \"inversion_bytes_peak\": %s,"
            " \"placement\": {\"bytes\": [[%u, 0], [0, 5]]}, \"density\": 0.8}%s\n",
            names[i], names[i], 10 + i, i == 2 ? origin_peak : "4096", i, i + 1 < 4 ? "," : "");
    }
    g_string_append(s, "  }\n}\n");
    return g_string_free(s, FALSE);
}

static void test_cli_compare_shape(Fx *fx, gconstpointer data)
{
    g_autofree char *base_text = compare_json("0");
    g_autofree char *now_text = compare_json("8192");
    g_autofree char *base = put(fx, "base.json", base_text);
    g_autofree char *now = put(fx, "now.json", now_text);
    Run r;
    if (!run_check(&r, now, "--baseline", base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 1);
    /* 4 policies x (pswpout, peak, 4 matrix cells, density) */
    g_autofree char *line = last_line(r.out);
    g_assert_cmpstr(line, ==, "check: FAILED, 1 of 28 metrics changed");
    assert_row_verdict(r.out, "policies.origin.inversion_bytes_peak", "CHANGED");
    assert_row_verdict(r.out, "policies.strict.placement.bytes[0][0]", "ok");
    assert_row_verdict(r.out, "policies.task.density", "ok");
    g_assert_null(strstr(r.out, "scenario"));
    run_clear(&r);
    if (!run_check(&r, now, "--baseline", base, "--tolerance",
                   "policies.*.inversion_bytes_peak=abs:8192", NULL))
        return;
    g_assert_cmpint(r.status, ==, 0);
    run_clear(&r);
}

static void test_cli_quiet(Fx *fx, gconstpointer data)
{
    g_autofree char *base = put(fx, "base.json", SUMMARY);
    Run r;
    if (!run_check(&r, base, "--baseline", base, "--quiet", NULL))
        return;
    g_assert_cmpint(r.status, ==, 0);
    g_assert_cmpstr(r.out, ==, "check: 11 metrics, 0 changed\n");
    run_clear(&r);
    g_autofree char *text = summary_with("\"zswpout\": 2000", "\"zswpout\": 1990");
    g_autofree char *now = put(fx, "now.json", text);
    if (!run_check(&r, now, "--baseline", base, "-q", NULL))
        return;
    g_assert_cmpint(r.status, ==, 1);
    g_assert_cmpstr(r.out, ==,
                    "metric          baseline   now  change  change%  tolerance  verdict\n"
                    "vmstat.zswpout      2000  1990     -10    -0.5%  exact      CHANGED\n"
                    "check: FAILED, 1 of 11 metrics changed\n");
    run_clear(&r);
}

/* The whole table, golden: columns, number forms, non-finite values. */
static void test_cli_golden_table(Fx *fx, gconstpointer data)
{
    g_autofree char *base = put(fx, "base.json",
                                "{\"vmstat\": {\"pswpout\": 12345678901, \"zswpout\": 0},"
                                " \"density\": 0.731, \"stall_ns\": 1e18, \"gone\": 1,"
                                " \"r_ratio\": null, \"on\": true}");
    g_autofree char *now = put(fx, "now.json",
                               "{\"vmstat\": {\"pswpout\": 12345678900, \"zswpout\": 3},"
                               " \"density\": 0.7310000000001, \"stall_ns\": 1e18,"
                               " \"r_ratio\": \"nan\", \"on\": true, \"extra\": 2.5}");
    Run r;
    if (!run_check(&r, now, "--baseline", base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 1);
    g_assert_cmpstr(
        r.out, ==,
        "metric             baseline              now        change     change%  tolerance  "
        "verdict\n"
        "vmstat.pswpout  12345678901      12345678900            -1    -8.1e-9%  exact      "
        "CHANGED\n"
        "vmstat.zswpout            0                3            +3         n/a  exact      "
        "CHANGED\n"
        "density               0.731  0.7310000000001  +1.00031e-13  +1.37e-11%  rel:1e-9   ok\n"
        "stall_ns              1e+18            1e+18             0          0%  rel:1e-9   ok\n"
        "gone                      1                -             -           -  exact      "
        "MISSING\n"
        "r_ratio                null              nan           n/a         n/a  rel:1e-9   "
        "CHANGED\n"
        "on                     true             true             0          0%  exact      ok\n"
        "extra                     -              2.5             -           -  rel:1e-9   NEW\n"
        "check: FAILED, 5 of 8 metrics changed\n");
    run_clear(&r);
}

static void test_cli_usage(Fx *fx, gconstpointer data)
{
    g_autofree char *base = put(fx, "base.json", SUMMARY);
    Run r;
    if (!run_check(&r, base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "--baseline"));
    run_clear(&r);
    if (!run_check(&r, "--baseline", base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 2);
    run_clear(&r);
    if (!run_check(&r, base, base, "--baseline", base, NULL))
        return;
    g_assert_cmpint(r.status, ==, 2);
    run_clear(&r);
    if (!run_check(&r, base, "--baseline", base, "--no-such-option", NULL))
        return;
    g_assert_cmpint(r.status, ==, 2);
    run_clear(&r);
}

#define ADD_FX(path, fn) g_test_add(path, Fx, NULL, fx_setup, fn, fx_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/check/flatten/paths-in-document-order", test_flatten_paths);
    g_test_add_func("/check/flatten/duplicate-path-is-error", test_flatten_duplicate_path);
    g_test_add_func("/check/parse/malformed-names-line-col", test_parse_malformed_position);
    g_test_add_func("/check/tolerance/parse-and-format", test_tolerance_parse);
    g_test_add_func("/check/tolerance/defaults-by-name", test_tolerance_defaults);
    g_test_add_func("/check/tolerance/relative-limit-passes", test_tolerance_relative_boundary);
    g_test_add_func("/check/tolerance/absolute-limit-passes", test_tolerance_absolute_boundary);
    g_test_add_func("/check/tolerance/null-nan-inf", test_tolerance_nonfinite);
    g_test_add_func("/check/compare/verdicts-and-row-order", test_compare_rows);
    g_test_add_func("/check/compare/later-rules-win", test_compare_rules_later_win);
    g_test_add_func("/check/baseline/text-round-trip", test_baseline_text_round_trip);
    ADD_FX("/check/baseline/atomic-write", test_baseline_write);
    ADD_FX("/check/cli/within", test_cli_within);
    ADD_FX("/check/cli/beyond-either-direction", test_cli_beyond);
    ADD_FX("/check/cli/missing-metric", test_cli_missing_metric);
    ADD_FX("/check/cli/extra-metric", test_cli_extra_metric);
    ADD_FX("/check/cli/nan-and-null", test_cli_nan_null);
    ADD_FX("/check/cli/malformed-baseline", test_cli_malformed_baseline);
    ADD_FX("/check/cli/malformed-tolerance", test_cli_malformed_tolerance);
    ADD_FX("/check/cli/glob-tolerance", test_cli_glob_tolerance);
    ADD_FX("/check/cli/limit-boundaries", test_cli_boundaries);
    ADD_FX("/check/cli/update-round-trip", test_cli_update_round_trip);
    ADD_FX("/check/cli/update-creates-baseline", test_cli_update_creates_baseline);
    ADD_FX("/check/cli/compare-json-shape", test_cli_compare_shape);
    ADD_FX("/check/cli/quiet", test_cli_quiet);
    ADD_FX("/check/cli/golden-table", test_cli_golden_table);
    ADD_FX("/check/cli/usage-errors", test_cli_usage);
    return g_test_run();
}
