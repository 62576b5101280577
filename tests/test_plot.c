/* End-to-end tests of `tiersim plot` through the CLI: every figure of a
 * comparison is written as valid PNG and PDF with its data and script, the
 * scripts re-make the figures in their folder, the data are deterministic,
 * and missing gnuplot, bad folders, bad templates and a failing gnuplot all
 * exit 2 with a message that says what to do. */
#include <cjson/cJSON.h>
#include <glib.h>

#include "test_cli.h"
#include <glib/gstdio.h>
#include <string.h>

/* The figures of a comparison of policies task, origin, strict. */
static const char *const COMPARE_FIGURES[] = {
    "memory-task", "memory-origin", "memory-strict", "placement",
    "inversion",   "pressure",      "density",       "latency-cdf",
};

/* A small comparison, made once in main() and shared read-only. */
typedef struct Fixture {
    char *tmp;     /* everything the tests write lives here */
    char *compare; /* tmp/cmp: `tiersim compare` output */
    char *run;     /* tmp/run: `tiersim run` output (origin) */
    char *nozswap; /* tmp/nozswap: a run with zswap disabled */
    gboolean have_gnuplot;
} Fixture;

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
    "  \"kernel\": {\"zswap\": {\"enabled\": %s}},\n"
    "  \"placement\": %s,\n"
    "  \"tasks\": [{\"pid\": 1, \"cpu\": 0, \"mempolicy\": {\"mode\": \"bind\", \"nodes\": [1]}},\n"
    "            {\"pid\": 2, \"cpu\": 1}],\n"
    "  \"workload\": {\"generator\": {\"phases\": [\n"
    "    {\"pid\": 2, \"region\": \"d\", \"pattern\": \"sequential\", \"size\": \"10MiB\", "
    "\"op\": \"write\"},\n"
    "    {\"pid\": 1, \"region\": \"c\", \"pattern\": \"sequential\", \"size\": \"30MiB\", "
    "\"op\": \"write\"},\n"
    "    {\"pid\": 1, \"region\": \"c\", \"pattern\": \"uniform\", \"size\": \"30MiB\", "
    "\"accesses\": 20000, \"write_fraction\": 0.3},\n"
    "    {\"pid\": 2, \"region\": \"d\", \"pattern\": \"zipf\", \"size\": \"10MiB\", "
    "\"accesses\": 20000}\n"
    "  ]}},\n"
    "  \"compressibility\": {\"model\": \"ratio\", \"ratio\": 2.5, \"zero_fraction\": 0.05},\n"
    "  \"run\": {\"sample_interval\": \"1ms\"}\n"
    "}\n";

/* ---- helpers ---------------------------------------------------------------- */

#define spawn test_spawn

/* `tiersim ARGS...` */
static int tiersim(const char *const *args, char **envp, char **out, char **err)
{
    return test_cli_run(args, envp, out, err);
}

static char *read_file(const char *path, gsize *len)
{
    char *text = NULL;
    GError *error = NULL;
    g_file_get_contents(path, &text, len, &error);
    g_assert_no_error(error);
    return text;
}

static void assert_file_starts(const char *dir, const char *name, const char *magic, gsize n,
                               gsize min_size)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    gsize len = 0;
    g_autofree char *data = read_file(path, &len);
    if (len < min_size || memcmp(data, magic, n) != 0)
        g_error("%s: %" G_GSIZE_FORMAT " bytes, expected at least %" G_GSIZE_FORMAT
                " starting with the format's magic bytes",
                path, len, min_size);
}

/* The PNG signature and the PDF header; "a few KB" of content at least. */
#define PNG_MAGIC    "\x89PNG\r\n\x1a\n"
#define PDF_MAGIC    "%PDF-"
#define MIN_FIG_SIZE 4096

static void assert_figure(const char *dir, const char *fig, gboolean png, gboolean pdf)
{
    g_autofree char *png_name = g_strdup_printf("%s.png", fig);
    g_autofree char *pdf_name = g_strdup_printf("%s.pdf", fig);
    g_autofree char *gp = g_strdup_printf("%s/%s.gp", dir, fig);
    g_autofree char *tsv = g_strdup_printf("%s/%s.tsv", dir, fig);
    g_assert_true(g_file_test(gp, G_FILE_TEST_IS_REGULAR));
    g_assert_true(g_file_test(tsv, G_FILE_TEST_IS_REGULAR));
    if (png)
        assert_file_starts(dir, png_name, PNG_MAGIC, 8, MIN_FIG_SIZE);
    if (pdf)
        assert_file_starts(dir, pdf_name, PDF_MAGIC, 5, MIN_FIG_SIZE);
}

static gboolean exists_in(const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    return g_file_test(path, G_FILE_TEST_EXISTS);
}

static void rm_rf(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        GDir *d = g_dir_open(path, 0, NULL);
        const char *name;
        while (d && (name = g_dir_read_name(d))) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            rm_rf(child);
        }
        if (d)
            g_dir_close(d);
        g_rmdir(path);
    } else {
        g_unlink(path);
    }
}

/* A fresh output folder under the fixture's tmp. */
static char *outdir(const Fixture *fx, const char *name)
{
    char *dir = g_build_filename(fx->tmp, name, NULL);
    rm_rf(dir);
    return dir;
}

/* Our environment with PATH replaced. */
static char **env_with_path(const char *path)
{
    return g_environ_setenv(g_get_environ(), "PATH", path, TRUE);
}

static gboolean skip_without_gnuplot(const Fixture *fx)
{
    if (!fx->have_gnuplot)
        g_test_skip("gnuplot is not installed (Debian: gnuplot-nox)");
    return !fx->have_gnuplot;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_compare_every_figure(gconstpointer data)
{
    const Fixture *fx = data;
    if (skip_without_gnuplot(fx))
        return;
    g_autofree char *out = outdir(fx, "every");
    g_autofree char *stdout_text = NULL, *stderr_text = NULL;
    const char *args[] = {"plot", fx->compare, "-o", out, NULL};
    g_assert_cmpint(tiersim(args, NULL, &stdout_text, &stderr_text), ==, 0);
    /* gnuplot's own warnings would be passed on: there must be none */
    g_assert_cmpstr(stderr_text, ==, "");
    for (guint i = 0; i < G_N_ELEMENTS(COMPARE_FIGURES); i++) {
        assert_figure(out, COMPARE_FIGURES[i], TRUE, TRUE);
        g_autofree char *line = g_strdup_printf("plot: %s (png,pdf)\n", COMPARE_FIGURES[i]);
        g_assert_nonnull(strstr(stdout_text, line));
    }
    g_assert_null(strstr(stdout_text, "skipped"));
    /* no temporary render files left behind */
    GDir *d = g_dir_open(out, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(d)))
        g_assert_false(g_str_has_prefix(name, ".tiersim-render-"));
    g_dir_close(d);
}

static void test_compare_default_outdir_and_data(gconstpointer data)
{
    const Fixture *fx = data;
    /* --no-render needs no gnuplot: PATH holds nothing */
    g_autofree char *empty = outdir(fx, "empty-path");
    g_assert_cmpint(g_mkdir(empty, 0755), ==, 0);
    g_auto(GStrv) envp = env_with_path(empty);
    g_autofree char *def = g_build_filename(fx->compare, "plots", NULL);
    rm_rf(def);
    const char *args[] = {"plot", fx->compare, "--no-render", "-q", NULL};
    g_assert_cmpint(tiersim(args, envp, NULL, NULL), ==, 0);
    for (guint i = 0; i < G_N_ELEMENTS(COMPARE_FIGURES); i++)
        assert_figure(def, COMPARE_FIGURES[i], FALSE, FALSE);
    g_assert_false(exists_in(def, "placement.png"));

    /* The data say what the summary says: the placement block of policy
     * origin holds its placement matrix in MiB. */
    g_autofree char *tsv = g_build_filename(def, "placement.tsv", NULL);
    g_autofree char *text = read_file(tsv, NULL);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    guint at = 0;
    while (lines[at] && strcmp(lines[at], "# policy origin"))
        at++;
    g_assert_nonnull(lines[at]);
    g_autofree char *cj = g_build_filename(fx->compare, "compare.json", NULL);
    g_autofree char *json = read_file(cj, NULL);
    cJSON *doc = cJSON_Parse(json);
    const cJSON *pm = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "policies"),
                                             "origin"),
            "placement_matrix"),
        "compressed_bytes");
    g_assert_cmpint(cJSON_GetArraySize(pm), ==, 2);
    for (int d = 0; d < 2; d++) {
        g_auto(GStrv) f = g_strsplit(lines[at + 1 + d], "\t", -1);
        g_assert_cmpuint(g_strv_length(f), ==, 3);
        g_autofree char *label = g_strdup_printf("N%d", d);
        g_assert_cmpstr(f[0], ==, label);
        for (int o = 0; o < 2; o++) {
            double bytes = cJSON_GetArrayItem(cJSON_GetArrayItem(pm, d), o)->valuedouble;
            g_assert_cmpfloat_with_epsilon(g_ascii_strtod(f[1 + o], NULL), bytes / 1048576.0, 1e-6);
        }
    }
    cJSON_Delete(doc);

    /* The script loads its data by relative path and names no folder. */
    g_autofree char *gp = g_build_filename(def, "memory-task.gp", NULL);
    g_autofree char *script = read_file(gp, NULL);
    g_assert_nonnull(strstr(script, "data = \"memory-task.tsv\""));
    g_assert_null(strstr(script, fx->tmp));
    g_assert_null(strstr(script, "@"));
    rm_rf(def);
}

static void test_scripts_rerun_in_folder(gconstpointer data)
{
    const Fixture *fx = data;
    if (skip_without_gnuplot(fx))
        return;
    g_autofree char *out = outdir(fx, "rerun");
    const char *args[] = {"plot", fx->compare, "-o", out, "-q", NULL};
    g_assert_cmpint(tiersim(args, NULL, NULL, NULL), ==, 0);
    g_autofree char *gnuplot = g_find_program_in_path("gnuplot");
    for (guint i = 0; i < G_N_ELEMENTS(COMPARE_FIGURES); i++) {
        const char *fig = COMPARE_FIGURES[i];
        g_autofree char *png = g_strdup_printf("%s/%s.png", out, fig);
        g_autofree char *pdf = g_strdup_printf("%s/%s.pdf", out, fig);
        g_autofree char *script = g_strdup_printf("%s.gp", fig);
        g_assert_cmpint(g_unlink(png), ==, 0);
        g_assert_cmpint(g_unlink(pdf), ==, 0);
        /* exactly what an author types in the folder */
        const char *argv[] = {gnuplot, script, NULL};
        g_autofree char *err = NULL;
        int rc = spawn(out, argv, NULL, NULL, &err);
        if (rc != 0)
            g_error("gnuplot %s in %s: exit %d: %s", script, out, rc, err);
        g_assert_cmpstr(err, ==, "");
        assert_figure(out, fig, TRUE, TRUE);
    }
}

static void test_data_deterministic(gconstpointer data)
{
    const Fixture *fx = data;
    g_autofree char *a = outdir(fx, "det-a");
    g_autofree char *b = outdir(fx, "det-b");
    const char *args_a[] = {"plot", fx->compare, "-o", a, "--no-render", "-q", NULL};
    const char *args_b[] = {"plot", fx->compare, "-o", b, "--no-render", "-q", NULL};
    g_assert_cmpint(tiersim(args_a, NULL, NULL, NULL), ==, 0);
    g_assert_cmpint(tiersim(args_b, NULL, NULL, NULL), ==, 0);
    const char *ext[] = {"tsv", "gp"};
    for (guint i = 0; i < G_N_ELEMENTS(COMPARE_FIGURES); i++)
        for (guint e = 0; e < G_N_ELEMENTS(ext); e++) {
            g_autofree char *pa = g_strdup_printf("%s/%s.%s", a, COMPARE_FIGURES[i], ext[e]);
            g_autofree char *pb = g_strdup_printf("%s/%s.%s", b, COMPARE_FIGURES[i], ext[e]);
            gsize la = 0, lb = 0;
            g_autofree char *ta = read_file(pa, &la);
            g_autofree char *tb = read_file(pb, &lb);
            g_assert_cmpuint(la, ==, lb);
            g_assert_true(memcmp(ta, tb, la) == 0);
            g_assert_null(strstr(ta, fx->tmp));
        }
}

static void test_single_run(gconstpointer data)
{
    const Fixture *fx = data;
    if (skip_without_gnuplot(fx))
        return;
    g_autofree char *out = outdir(fx, "single");
    g_autofree char *text = NULL;
    const char *args[] = {"plot", fx->run, "-o", out, "--format", "png", NULL};
    g_assert_cmpint(tiersim(args, NULL, &text, NULL), ==, 0);
    const char *made[] = {"memory-origin", "placement", "inversion", "latency-cdf"};
    for (guint i = 0; i < G_N_ELEMENTS(made); i++) {
        assert_figure(out, made[i], TRUE, FALSE);
        g_autofree char *pdf = g_strdup_printf("%s.pdf", made[i]);
        g_assert_false(exists_in(out, pdf)); /* --format png */
    }
    /* figures that compare policies are skipped, and said so */
    g_assert_nonnull(strstr(text, "plot: pressure: skipped: it compares policies"));
    g_assert_nonnull(strstr(text, "plot: density: skipped: it compares policies"));
    g_assert_false(exists_in(out, "pressure.gp"));
}

static void test_zswap_disabled_skips(gconstpointer data)
{
    const Fixture *fx = data;
    g_autofree char *out = outdir(fx, "nozswap-plots");
    g_autofree char *text = NULL;
    const char *args[] = {"plot", fx->nozswap, "-o", out, "--no-render", NULL};
    g_assert_cmpint(tiersim(args, NULL, &text, NULL), ==, 0);
    assert_figure(out, "memory-task", FALSE, FALSE);
    assert_figure(out, "latency-cdf", FALSE, FALSE);
    const char *skipped[] = {"placement", "inversion", "pressure", "density"};
    for (guint i = 0; i < G_N_ELEMENTS(skipped); i++) {
        g_autofree char *note = g_strdup_printf("plot: %s: skipped: zswap is disabled", skipped[i]);
        g_assert_nonnull(strstr(text, note));
        g_autofree char *gp = g_strdup_printf("%s.gp", skipped[i]);
        g_assert_false(exists_in(out, gp));
    }
}

static void test_missing_gnuplot(gconstpointer data)
{
    const Fixture *fx = data;
    g_autofree char *empty = outdir(fx, "no-gnuplot-path");
    g_assert_cmpint(g_mkdir(empty, 0755), ==, 0);
    g_auto(GStrv) envp = env_with_path(empty);
    g_autofree char *out = outdir(fx, "no-gnuplot");
    g_autofree char *err = NULL;
    const char *args[] = {"plot", fx->compare, "-o", out, NULL};
    g_assert_cmpint(tiersim(args, envp, NULL, &err), ==, 2);
    g_assert_nonnull(strstr(err, "gnuplot not found"));
    g_assert_nonnull(strstr(err, "gnuplot-nox"));
    /* checked before anything is written */
    g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
}

static void expect_exit_2(const char *const *args, const char *const *needles)
{
    g_autofree char *err = NULL;
    g_assert_cmpint(tiersim(args, NULL, NULL, &err), ==, 2);
    for (int i = 0; needles[i]; i++)
        if (!strstr(err, needles[i]))
            g_error("expected '%s' in: %s", needles[i], err);
}

static void test_bad_dir(gconstpointer data)
{
    const Fixture *fx = data;
    g_autofree char *missing = g_build_filename(fx->tmp, "no-such-folder", NULL);
    const char *a1[] = {"plot", missing, "--no-render", NULL};
    const char *n1[] = {"no-such-folder", "tiersim run", "tiersim compare", NULL};
    expect_exit_2(a1, n1);

    g_autofree char *empty = outdir(fx, "empty-dir");
    g_assert_cmpint(g_mkdir(empty, 0755), ==, 0);
    const char *a2[] = {"plot", empty, "--no-render", NULL};
    const char *n2[] = {"neither compare.json nor summary.json", NULL};
    expect_exit_2(a2, n2);

    /* a malformed compare.json is named with its line */
    g_autofree char *bad = outdir(fx, "bad-json");
    g_assert_cmpint(g_mkdir(bad, 0755), ==, 0);
    g_autofree char *cj = g_build_filename(bad, "compare.json", NULL);
    g_assert_true(
        g_file_set_contents(cj, "{\n  \"name\": \"x\",\n  \"policy_order\": [\n", -1, NULL));
    const char *a3[] = {"plot", bad, "--no-render", NULL};
    const char *n3[] = {"compare.json:3:", "malformed JSON", NULL};
    expect_exit_2(a3, n3);

    /* a compare.json naming a policy it has no summary for */
    g_assert_true(g_file_set_contents(
        cj, "{\"name\": \"x\", \"policy_order\": [\"task\"], \"policies\": {}}\n", -1, NULL));
    const char *n4[] = {"compare.json: policies.task: expected the summary", NULL};
    expect_exit_2(a3, n4);

    /* a timeseries.tsv without a column the figures need */
    g_autofree char *trunc = outdir(fx, "bad-tsv");
    g_assert_cmpint(g_mkdir(trunc, 0755), ==, 0);
    g_autofree char *src = g_build_filename(fx->run, "summary.json", NULL);
    g_autofree char *dst = g_build_filename(trunc, "summary.json", NULL);
    g_autofree char *summary = read_file(src, NULL);
    g_assert_true(g_file_set_contents(dst, summary, -1, NULL));
    g_autofree char *lat_src = g_build_filename(fx->run, "latency.tsv", NULL);
    g_autofree char *lat_dst = g_build_filename(trunc, "latency.tsv", NULL);
    g_autofree char *lat = read_file(lat_src, NULL);
    g_assert_true(g_file_set_contents(lat_dst, lat, -1, NULL));
    g_autofree char *ts = g_build_filename(trunc, "timeseries.tsv", NULL);
    g_assert_true(g_file_set_contents(ts, "time_ns\tnode\tfree_pages\n0\t0\t1\n", -1, NULL));
    const char *a5[] = {"plot", trunc, "--no-render", NULL};
    const char *n5[] = {"timeseries.tsv:1:", "anon_pages", NULL};
    expect_exit_2(a5, n5);

    /* and a bad row */
    g_autofree char *ts_src = g_build_filename(fx->run, "timeseries.tsv", NULL);
    g_autofree char *good = read_file(ts_src, NULL);
    g_autofree char *broken = g_strconcat(good, "12\tx\n", NULL);
    g_assert_true(g_file_set_contents(ts, broken, -1, NULL));
    const char *n6[] = {"timeseries.tsv:", "expected", NULL};
    expect_exit_2(a5, n6);

    const char *a7[] = {"plot", fx->compare, "--format", "svg", "--no-render", NULL};
    const char *n7[] = {"--format", "svg", NULL};
    expect_exit_2(a7, n7);
    const char *a8[] = {"plot", NULL};
    const char *n8[] = {"plot needs one DIR", NULL};
    expect_exit_2(a8, n8);
}

/* Copies the bundled templates into a folder where a test may break one. */
static char *copy_templates(const Fixture *fx, const char *name)
{
    char *dir = outdir(fx, name);
    g_assert_cmpint(g_mkdir(dir, 0755), ==, 0);
    g_autofree char *src = g_build_filename(g_getenv("TIERSIM_SOURCE_DIR"), "plots", NULL);
    GDir *d = g_dir_open(src, 0, NULL);
    g_assert_nonnull(d);
    const char *f;
    while ((f = g_dir_read_name(d))) {
        if (!g_str_has_suffix(f, ".gp"))
            continue;
        g_autofree char *from = g_build_filename(src, f, NULL);
        g_autofree char *to = g_build_filename(dir, f, NULL);
        g_autofree char *text = read_file(from, NULL);
        g_assert_true(g_file_set_contents(to, text, -1, NULL));
    }
    g_dir_close(d);
    return dir;
}

static void append_to(const char *dir, const char *file, const char *text)
{
    g_autofree char *path = g_build_filename(dir, file, NULL);
    g_autofree char *old = read_file(path, NULL);
    g_autofree char *now = g_strconcat(old, text, NULL);
    g_assert_true(g_file_set_contents(path, now, -1, NULL));
}

static void test_bad_template(gconstpointer data)
{
    const Fixture *fx = data;
    g_autofree char *tpl = copy_templates(fx, "tpl-placeholder");
    append_to(tpl, "density.gp", "# @NO_SUCH_KEY@\n");
    g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "TIERSIM_PLOTS_DIR", tpl, TRUE);
    g_autofree char *out = outdir(fx, "tpl-out");
    g_autofree char *err = NULL;
    const char *args[] = {"plot", fx->compare, "-o", out, "--no-render", NULL};
    g_assert_cmpint(tiersim(args, envp, NULL, &err), ==, 2);
    g_assert_nonnull(strstr(err, "density.gp:"));
    g_assert_nonnull(strstr(err, "@NO_SUCH_KEY@"));
}

static void test_gnuplot_failure(gconstpointer data)
{
    const Fixture *fx = data;
    if (skip_without_gnuplot(fx))
        return;
    g_autofree char *tpl = copy_templates(fx, "tpl-broken");
    append_to(tpl, "density.gp", "plot 'no-such-data.tsv' using 1:2\n");
    g_auto(GStrv) envp = g_environ_setenv(g_get_environ(), "TIERSIM_PLOTS_DIR", tpl, TRUE);
    g_autofree char *out = outdir(fx, "broken-out");
    g_autofree char *err = NULL;
    const char *args[] = {"plot", fx->compare, "-o", out, NULL};
    g_assert_cmpint(tiersim(args, envp, NULL, &err), ==, 2);
    g_assert_nonnull(strstr(err, "gnuplot failed on"));
    g_assert_nonnull(strstr(err, "density.gp (exit status"));
    g_assert_nonnull(strstr(err, "no-such-data.tsv"));
    /* the figures before it were made; the failing one is not half there */
    assert_figure(out, "pressure", TRUE, TRUE);
    g_assert_false(exists_in(out, "density.png"));
}

/* ---- fixture ---------------------------------------------------------------- */

static void make_scenario_output(const char *dir, const char *cmd, const char *zswap,
                                 const char *placement, const char *out)
{
    g_autofree char *name = g_strdup_printf("%s-%s.json", cmd, zswap);
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *text = g_strdup_printf(small_scenario, zswap, placement);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    const char *args[] = {cmd, path, "-o", out, "-q", NULL};
    g_autofree char *err = NULL;
    int rc = tiersim(args, NULL, NULL, &err);
    if (rc != 0)
        g_error("tiersim %s %s: exit %d: %s", cmd, path, rc, err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_assert_nonnull(g_getenv("TIERSIM_BIN"));
    g_assert_nonnull(g_getenv("TIERSIM_SOURCE_DIR"));
    Fixture fx = {0};
    fx.tmp = g_dir_make_tmp("tiersim-plot-XXXXXX", NULL);
    g_assert_nonnull(fx.tmp);
    fx.compare = g_build_filename(fx.tmp, "cmp", NULL);
    fx.run = g_build_filename(fx.tmp, "run", NULL);
    fx.nozswap = g_build_filename(fx.tmp, "nozswap", NULL);
    g_autofree char *gnuplot = g_find_program_in_path("gnuplot");
    fx.have_gnuplot = gnuplot != NULL;
    make_scenario_output(fx.tmp, "compare", "true", "[\"task\", \"origin\", \"strict\"]",
                         fx.compare);
    make_scenario_output(fx.tmp, "run", "true", "\"origin\"", fx.run);
    make_scenario_output(fx.tmp, "run", "false", "\"task\"", fx.nozswap);

    g_test_add_data_func("/plot/compare/every-figure-png-and-pdf", &fx, test_compare_every_figure);
    g_test_add_data_func("/plot/compare/default-outdir-data-and-scripts", &fx,
                         test_compare_default_outdir_and_data);
    g_test_add_data_func("/plot/compare/scripts-rerun-in-folder", &fx,
                         test_scripts_rerun_in_folder);
    g_test_add_data_func("/plot/compare/data-deterministic", &fx, test_data_deterministic);
    g_test_add_data_func("/plot/run/single-policy-figures", &fx, test_single_run);
    g_test_add_data_func("/plot/run/zswap-disabled-skips-with-notes", &fx,
                         test_zswap_disabled_skips);
    g_test_add_data_func("/plot/cli/missing-gnuplot-exits-2-naming-package", &fx,
                         test_missing_gnuplot);
    g_test_add_data_func("/plot/cli/bad-input-exits-2", &fx, test_bad_dir);
    g_test_add_data_func("/plot/template/unknown-placeholder-exits-2", &fx, test_bad_template);
    g_test_add_data_func("/plot/gnuplot/failure-exits-2-with-stderr", &fx, test_gnuplot_failure);
    int rc = g_test_run();
    rm_rf(fx.tmp);
    g_free(fx.tmp);
    g_free(fx.compare);
    g_free(fx.run);
    g_free(fx.nozswap);
    return rc;
}
