/*
 * plot.c - `tiersim plot`: loads a run or comparison folder, writes one data
 * file and one gnuplot script per figure from the templates in plots/, and
 * runs gnuplot on each. The contract is in plot.h.
 */
#include "sim/plot.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/output.h"
#include "sim/plot_input.h"

G_DEFINE_QUARK(plot - error - quark, plot_error)

#define PLOT_MIB 1048576.0
/* Markers drawn on each line of a time series: enough to tell the lines
 * apart in grayscale, few enough not to hide them. */
#define PLOT_POINTS_PER_LINE 8
/* Sizes of the figures (inches): one column of a two-column paper, or the
 * full text width (figure*) when one column would crowd the panels. */
#define PLOT_COLUMN_WIDTH_IN 3.5
#define PLOT_TEXT_WIDTH_IN   7.0
#define PLOT_HEIGHT_IN       2.5
#define PLOT_PANEL_HEIGHT_IN 2.0
/* More bars than this in one column get the full text width. */
#define PLOT_BARS_PER_COLUMN 12
#define PLOT_TMP_PREFIX      ".tiersim-render-"

static const PlotPolicy *policy_at(const PlotInput *in, guint i)
{
    return in->policies->pdata[i];
}

/* ---- options, report, gnuplot ----------------------------------------------- */

gboolean plot_parse_formats(const char *list, guint *formats, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(list, ",", -1);
    guint f = 0;
    for (int i = 0; parts[i]; i++) {
        const char *name = g_strstrip(parts[i]);
        guint bit = !strcmp(name, "png")   ? PLOT_FORMAT_PNG
                    : !strcmp(name, "pdf") ? PLOT_FORMAT_PDF
                                           : 0;
        if (!bit || (f & bit)) {
            g_set_error(error, PLOT_ERROR, PLOT_ERROR_OPTION,
                        "--format: %s '%s': expected a comma-separated list of png and pdf",
                        bit ? "repeated" : "unknown format", name);
            return FALSE;
        }
        f |= bit;
    }
    if (!f) {
        g_set_error(error, PLOT_ERROR, PLOT_ERROR_OPTION,
                    "--format: expected a comma-separated list of png and pdf");
        return FALSE;
    }
    *formats = f;
    return TRUE;
}

char *plot_templates_dir(void)
{
    const char *env = g_getenv("TIERSIM_PLOTS_DIR");
    if (env && *env)
        return g_strdup(env);
    return g_build_filename(TIERSIM_SOURCE_DIR, "plots", NULL);
}

char *plot_find_gnuplot(GError **error)
{
    char *path = g_find_program_in_path("gnuplot");
    if (!path)
        g_set_error(error, PLOT_ERROR, PLOT_ERROR_NO_GNUPLOT,
                    "gnuplot not found in PATH: tiersim plot renders its figures with gnuplot "
                    "(5.x with the cairo terminals); install the package " PLOT_GNUPLOT_PACKAGE
                    " (Debian/Ubuntu: apt-get install " PLOT_GNUPLOT_PACKAGE
                    "), or pass --no-render to write only the data and scripts");
    return path;
}

PlotReport *plot_report_new(void)
{
    PlotReport *rep = g_new0(PlotReport, 1);
    rep->figures = g_ptr_array_new_with_free_func(g_free);
    rep->notes = g_ptr_array_new_with_free_func(g_free);
    rep->warnings = g_ptr_array_new_with_free_func(g_free);
    return rep;
}

void plot_report_free(PlotReport *rep)
{
    if (!rep)
        return;
    g_ptr_array_unref(rep->figures);
    g_ptr_array_unref(rep->notes);
    g_ptr_array_unref(rep->warnings);
    g_free(rep);
}

/* Indexed by the bit of PlotFormat. */
static const char *const FORMAT_EXT[] = {"png", "pdf"};

static char *render_path(const char *outdir, const char *prefix, const char *name, guint f)
{
    return g_strdup_printf("%s/%s%s.%s", outdir, prefix, name, FORMAT_EXT[f]);
}

/* gnuplot's failure as an error: exit status or signal, and its stderr. */
static void gnuplot_failed(const char *outdir, const char *script, int status, const char *err,
                           const char *missing, GError **error)
{
    const char *hint = strstr(err, "unknown or ambiguous terminal type")
                           ? " (this gnuplot lacks the cairo terminals pngcairo/pdfcairo: "
                             "install " PLOT_GNUPLOT_PACKAGE ")"
                           : "";
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        g_set_error(error, PLOT_ERROR, PLOT_ERROR_GNUPLOT,
                    "gnuplot ran %s/%s without error but did not write%s%s%s%s", outdir, script,
                    missing, hint, *err ? ":\n" : "", err);
    else
        g_set_error(error, PLOT_ERROR, PLOT_ERROR_GNUPLOT, "gnuplot failed on %s/%s (%s %d)%s:\n%s",
                    outdir, script, WIFEXITED(status) ? "exit status" : "signal",
                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), hint,
                    *err ? err : "(no message)");
}

/* Runs `gnuplot NAME.gp` in outdir with the figures written under a
 * temporary prefix; when gnuplot exits 0 and every figure is there and not
 * empty, renames them into place, otherwise removes them. */
static gboolean render(const char *gnuplot, const char *outdir, const char *name, guint formats,
                       PlotReport *rep, GError **error)
{
    g_autofree char *prefix = g_strdup_printf(PLOT_TMP_PREFIX "%d-", (int)getpid());
    g_autofree char *set_prefix = g_strdup_printf("out_prefix='%s'", prefix);
    g_autofree char *script = g_strdup_printf("%s.gp", name);
    /* -d: ignore the user's ~/.gnuplot, so figures do not depend on it. */
    const char *argv[] = {gnuplot, "-d", "-e", set_prefix, script, NULL};
    g_autofree char *out = NULL, *err = NULL;
    int status = 0;
    GError *spawn_err = NULL;
    if (!g_spawn_sync(outdir, (char **)argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &out,
                      &err, &status, &spawn_err)) {
        g_set_error(error, PLOT_ERROR, PLOT_ERROR_GNUPLOT, "cannot run %s: %s", gnuplot,
                    spawn_err->message);
        g_error_free(spawn_err);
        return FALSE;
    }
    g_strstrip(err);
    gboolean ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    g_autoptr(GString) missing = g_string_new(NULL);
    for (guint f = 0; f < G_N_ELEMENTS(FORMAT_EXT); f++) {
        g_autofree char *tmp = render_path(outdir, prefix, name, f);
        GStatBuf st;
        if ((formats & (1u << f)) && (g_stat(tmp, &st) != 0 || st.st_size == 0)) {
            g_string_append_printf(missing, " %s.%s", name, FORMAT_EXT[f]);
            ok = FALSE;
        }
    }
    for (guint f = 0; f < G_N_ELEMENTS(FORMAT_EXT); f++) {
        if (!(formats & (1u << f)))
            continue;
        g_autofree char *tmp = render_path(outdir, prefix, name, f);
        g_autofree char *dst = render_path(outdir, "", name, f);
        if (!ok) {
            g_unlink(tmp);
        } else if (g_rename(tmp, dst) != 0) {
            int e = errno;
            g_set_error(error, PLOT_ERROR, PLOT_ERROR_GNUPLOT, "cannot rename %s to %s: %s", tmp,
                        dst, g_strerror(e));
            g_unlink(tmp);
            return FALSE;
        }
    }
    if (!ok) {
        gnuplot_failed(outdir, script, status, err, missing->str, error);
        return FALSE;
    }
    if (*err)
        g_ptr_array_add(rep->warnings, g_strdup_printf("%s: %s", script, err));
    return TRUE;
}

/* ---- templates -------------------------------------------------------------- */

/* A figure being written: its data, the template it fills and the values of
 * the template's placeholders. */
typedef struct Figure {
    char *name;
    const char *template_name;
    GString *data;
    GHashTable *keys; /* "KEY" -> text (both owned) */
} Figure;

static Figure *figure_new(const char *name, const char *template_name)
{
    Figure *fig = g_new0(Figure, 1);
    fig->name = g_strdup(name);
    fig->template_name = template_name;
    fig->data = g_string_new(NULL);
    fig->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return fig;
}

static void figure_free(Figure *fig)
{
    if (!fig)
        return;
    g_free(fig->name);
    g_string_free(fig->data, TRUE);
    g_hash_table_unref(fig->keys);
    g_free(fig);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Figure, figure_free)

static void figure_set(Figure *fig, const char *key, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void figure_set(Figure *fig, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_hash_table_replace(fig->keys, g_strdup(key), g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

static void figure_take(Figure *fig, const char *key, GString *value)
{
    g_hash_table_replace(fig->keys, g_strdup(key), g_string_free(value, FALSE));
}

/* Text safe inside a gnuplot double-quoted string and a comment line:
 * control characters become spaces, '"' and '\' are escaped. */
static char *gp_escape(const char *s)
{
    GString *out = g_string_new(NULL);
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            g_string_append_c(out, ' ');
        else {
            if (*s == '"' || *s == '\\')
                g_string_append_c(out, '\\');
            g_string_append_c(out, *s);
        }
    }
    return g_string_free(out, FALSE);
}

/* Replaces every @KEY@ (KEY: A-Z, 0-9, _, starting with a letter) of
 * `text` by its value; an unknown KEY is an error naming file:line. Other
 * '@' (gnuplot macros) are kept. Values are not rescanned. */
static char *template_fill(const char *text, const char *file, GHashTable *keys, GError **error)
{
    GString *out = g_string_new(NULL);
    guint line = 1;
    for (const char *c = text; *c; c++) {
        if (*c == '\n')
            line++;
        const char *k = c + 1;
        const char *e = k;
        if (*c == '@' && g_ascii_isupper(*k)) {
            while (g_ascii_isupper(*e) || g_ascii_isdigit(*e) || *e == '_')
                e++;
        }
        if (*c != '@' || e == k || *e != '@') {
            g_string_append_c(out, *c);
            continue;
        }
        g_autofree char *key = g_strndup(k, (gsize)(e - k));
        const char *value = g_hash_table_lookup(keys, key);
        if (!value) {
            g_set_error(error, PLOT_ERROR, PLOT_ERROR_TEMPLATE,
                        "%s:%u: unknown placeholder @%s@ (tiersim fills no such value)", file, line,
                        key);
            g_string_free(out, TRUE);
            return NULL;
        }
        g_string_append(out, value);
        c = e;
    }
    return g_string_free(out, FALSE);
}

static char *template_load(const char *dir, const char *name, GError **error)
{
    g_autofree char *path = g_strdup_printf("%s/%s.gp", dir, name);
    char *text = NULL;
    GError *err = NULL;
    if (!g_file_get_contents(path, &text, NULL, &err)) {
        g_set_error(error, PLOT_ERROR, PLOT_ERROR_TEMPLATE,
                    "cannot read the plot template %s: %s (set TIERSIM_PLOTS_DIR to the folder "
                    "holding tiersim's plots/*.gp)",
                    path, err->message);
        g_error_free(err);
    }
    return text;
}

/* ---- number formatting ------------------------------------------------------ */

/* Shortest stable text for a value: 9 significant digits, C locale. */
static void put_num(GString *s, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append(s, g_ascii_formatd(buf, sizeof buf, "%.9g", v + 0.0));
}

static void put_sep_num(GString *s, const char *sep, double v)
{
    g_string_append(s, sep);
    put_num(s, v);
}

static double pages_mib(const PlotPolicy *p, uint64_t pages)
{
    return (double)pages * (double)p->page_size / PLOT_MIB;
}

/* A gnuplot array initializer body from n numbers: "1, 2.5, 3". */
static GString *num_list(const double *v, guint n)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < n; i++)
        put_sep_num(s, i ? ", " : "", v[i]);
    return s;
}

/* "\"a\", \"b\"" from n strings. */
static GString *str_list(const char *const *v, guint n)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < n; i++) {
        g_autofree char *e = gp_escape(v[i]);
        g_string_append_printf(s, "%s\"%s\"", i ? ", " : "", e);
    }
    return s;
}

/* The unit of a time axis: seconds unless the run is short enough that
 * its ticks would read 0.0001. */
typedef struct TimeUnit {
    const char *name; /* in the axis label and the data column */
    double ns;        /* nanoseconds per unit */
} TimeUnit;

static TimeUnit time_unit(uint64_t max_ns)
{
    if (max_ns >= 100000000)
        return (TimeUnit){"s", 1e9};
    if (max_ns >= 100000)
        return (TimeUnit){"ms", 1e6};
    return (TimeUnit){"us", 1e3};
}

static uint64_t last_time_ns(const PlotPolicy *p)
{
    return g_array_index(p->samples, PlotSample, p->samples->len - 1).time_ns;
}

static void set_time_unit(Figure *fig, TimeUnit u)
{
    /* the label says µs, the column name us (ASCII for other tools) */
    figure_set(fig, "TIME_UNIT", "%s", strcmp(u.name, "us") ? u.name : "\u00b5s");
}

/* A round tick step (1, 2 or 5 x 10^k) giving at most `ticks` intervals
 * over [0, span]: narrow panels crowd gnuplot's automatic ticks. */
static double tick_step(double span, int ticks)
{
    if (!(span > 0))
        return 1;
    double raw = span / ticks, mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

static char *node_label(const PlotPolicy *p, guint n)
{
    return g_strdup_printf("node %u (%s)", n, p->nodes[n].kind);
}

/* The first comment lines of every data file. */
static void data_header(Figure *fig, const PlotInput *in, const char *what, const char *layout,
                        const char *columns)
{
    g_autofree char *scenario = gp_escape(in->name);
    g_string_append_printf(fig->data,
                           "# %s.tsv: %s\n"
                           "# made by tiersim plot from the %s of scenario %s; "
                           "1 MiB = 2^20 bytes\n",
                           fig->name, what, in->compare ? "comparison" : "run", scenario);
    if (layout)
        g_string_append_printf(fig->data, "# %s\n", layout);
    g_string_append_printf(fig->data, "# columns: %s\n", columns);
}

/* ---- the figures ------------------------------------------------------------ */

static Figure *fig_memory(const PlotInput *in, const PlotPolicy *p)
{
    g_autofree char *name = g_strdup_printf("memory-%s", p->name);
    Figure *fig = figure_new(name, "memory");
    TimeUnit unit = time_unit(last_time_ns(p));
    g_autofree char *columns = g_strdup_printf("time_%s free_MiB anon_MiB zsmalloc_MiB", unit.name);
    data_header(fig, in, "memory per node over time, stacked in the figure",
                "one block per node, two blank lines apart: gnuplot index N is node N", columns);
    guint n = p->n_nodes;
    g_autofree double *cap = g_new(double, n);
    g_autofree double *wmin = g_new(double, n);
    g_autofree double *wlow = g_new(double, n);
    g_autofree double *whigh = g_new(double, n);
    g_autofree const char **labels = g_new(const char *, n);
    g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func(g_free);
    for (guint node = 0; node < n; node++) {
        const PlotNode *pn = &p->nodes[node];
        cap[node] = pages_mib(p, pn->capacity_pages);
        wmin[node] = pages_mib(p, pn->wm_min_pages);
        wlow[node] = pages_mib(p, pn->wm_low_pages);
        whigh[node] = pages_mib(p, pn->wm_high_pages);
        labels[node] = node_label(p, node);
        g_ptr_array_add(owned, (char *)labels[node]);
        if (node)
            g_string_append(fig->data, "\n\n");
        g_string_append_printf(fig->data, "# %s: capacity ", labels[node]);
        put_num(fig->data, cap[node]);
        put_sep_num(fig->data, " MiB; watermarks min ", wmin[node]);
        put_sep_num(fig->data, " low ", wlow[node]);
        put_sep_num(fig->data, " high ", whigh[node]);
        g_string_append(fig->data, " MiB\n");
        for (guint i = 0; i < p->samples->len; i++) {
            const PlotSample *s = &g_array_index(p->samples, PlotSample, i);
            if (s->node != node)
                continue;
            put_num(fig->data, (double)s->time_ns / unit.ns);
            put_sep_num(fig->data, "\t", pages_mib(p, s->free_pages));
            put_sep_num(fig->data, "\t", pages_mib(p, s->anon_pages));
            put_sep_num(fig->data, "\t", pages_mib(p, s->zspages));
            g_string_append_c(fig->data, '\n');
        }
    }
    guint cols = MIN(n, 4), rows = (n + cols - 1) / cols;
    figure_set(fig, "POLICY", "%s", p->name);
    set_time_unit(fig, unit);
    char step[G_ASCII_DTOSTR_BUF_SIZE];
    figure_set(fig, "TIME_TIC", "%s",
               g_ascii_formatd(step, sizeof step, "%.6g",
                               tick_step((double)last_time_ns(p) / unit.ns, cols > 1 ? 4 : 8)));
    figure_set(fig, "NODES", "%u", n);
    figure_set(fig, "LAYOUT_ROWS", "%u", rows);
    figure_set(fig, "LAYOUT_COLS", "%u", cols);
    figure_take(fig, "NODE_LABELS", str_list(labels, n));
    figure_take(fig, "CAPACITY_MIB", num_list(cap, n));
    figure_take(fig, "WM_MIN_MIB", num_list(wmin, n));
    figure_take(fig, "WM_LOW_MIB", num_list(wlow, n));
    figure_take(fig, "WM_HIGH_MIB", num_list(whigh, n));
    figure_set(fig, "WIDTH_IN", "%g", cols <= 2 ? PLOT_COLUMN_WIDTH_IN : PLOT_TEXT_WIDTH_IN);
    figure_set(fig, "HEIGHT_IN", "%g",
               rows == 1 ? PLOT_HEIGHT_IN : PLOT_HEIGHT_IN + (rows - 1) * PLOT_PANEL_HEIGHT_IN);
    return fig;
}

/* The policies, as a gnuplot string array body, and their count. */
static void set_policies(Figure *fig, const PlotPolicy *const *pol, guint n)
{
    g_autofree const char **names = g_new(const char *, n);
    for (guint i = 0; i < n; i++)
        names[i] = pol[i]->name;
    figure_take(fig, "POLICIES", str_list(names, n));
    figure_set(fig, "N_POLICIES", "%u", n);
}

/* A plot of values that are all zero gets a fixed axis and a note instead
 * of gnuplot's "empty y range" warning. */
static void set_all_zero(Figure *fig, double max)
{
    figure_set(fig, "ALL_ZERO", "%d", max > 0 ? 0 : 1);
}

/* The policies whose summary has the zswap sections. */
static GPtrArray *zswap_policies(const PlotInput *in)
{
    GPtrArray *out = g_ptr_array_new();
    for (guint i = 0; i < in->policies->len; i++)
        if (policy_at(in, i)->has_zswap)
            g_ptr_array_add(out, (gpointer)policy_at(in, i));
    return out;
}

static Figure *fig_placement(const PlotInput *in, GPtrArray *pols)
{
    Figure *fig = figure_new("placement", "placement");
    const PlotPolicy *first = pols->pdata[0];
    guint n = first->n_nodes;
    GString *cols = g_string_new("node");
    for (guint o = 0; o < n; o++)
        g_string_append_printf(cols, " from_node%u_MiB", o);
    data_header(fig, in,
                "compressed data by node holding it (rows) and origin node of the page "
                "(columns)",
                "one block per policy, two blank lines apart: gnuplot index I is the I-th policy",
                cols->str);
    g_string_free(cols, TRUE);
    GString *plot = g_string_new("plot ");
    double max = 0;
    for (guint i = 0; i < pols->len; i++) {
        const PlotPolicy *p = pols->pdata[i];
        if (i)
            g_string_append(fig->data, "\n\n");
        g_string_append_printf(fig->data, "# policy %s\n", p->name);
        for (guint d = 0; d < n; d++) {
            g_string_append_printf(fig->data, "N%u", d);
            for (guint o = 0; o < n; o++) {
                put_sep_num(fig->data, "\t", p->placement_bytes[d * n + o] / PLOT_MIB);
                max = MAX(max, p->placement_bytes[d * n + o]);
            }
            g_string_append_c(fig->data, '\n');
        }
        /* One group of bars per policy, one clause per origin column; the
         * key names the origins once. (Clauses, not a `for` loop: gnuplot
         * 5.4 lays a horizontal key out wrongly when iterated clauses are
         * untitled.) */
        g_string_append_printf(plot, "%snewhistogram \"%s\" lt 1", i ? ", \\\n         " : "",
                               p->name);
        for (guint o = 0; o < n; o++) {
            g_string_append_printf(plot, ", \\\n             %s index %u using %u%s ",
                                   i || o ? "''" : "data", i, o + 2, o ? "" : ":xtic(1)");
            if (i)
                g_string_append(plot, "notitle");
            else
                g_string_append_printf(plot, "title origin_label[%u]", o + 1);
            g_string_append_printf(
                plot, " lc rgb bar_fill_color(%u) fs pattern bar_fill_pattern(%u)", o + 1, o + 1);
        }
    }
    g_autofree const char **labels = g_new(const char *, n);
    g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func(g_free);
    for (guint o = 0; o < n; o++) {
        labels[o] = g_strdup_printf("from node %u (%s)", o, first->nodes[o].kind);
        g_ptr_array_add(owned, (char *)labels[o]);
    }
    figure_set(fig, "NODES", "%u", n);
    figure_take(fig, "ORIGIN_LABELS", str_list(labels, n));
    figure_take(fig, "PLOT", plot);
    set_all_zero(fig, max);
    set_policies(fig, (const PlotPolicy *const *)pols->pdata, pols->len);
    figure_set(fig, "WIDTH_IN", "%g",
               pols->len * n <= PLOT_BARS_PER_COLUMN ? PLOT_COLUMN_WIDTH_IN : PLOT_TEXT_WIDTH_IN);
    figure_set(fig, "HEIGHT_IN", "%g", PLOT_HEIGHT_IN);
    return fig;
}

/* timeseries.tsv has a row per node and sample: sums the nodes. */
static Figure *fig_inversion(const PlotInput *in, GPtrArray *pols)
{
    Figure *fig = figure_new("inversion", "inversion");
    uint64_t end_ns = 0;
    for (guint i = 0; i < pols->len; i++)
        end_ns = MAX(end_ns, last_time_ns(pols->pdata[i]));
    TimeUnit unit = time_unit(end_ns);
    g_autofree char *columns =
        g_strdup_printf("time_%s inversion_MiB (the sum over nodes)", unit.name);
    data_header(
        fig, in, "compressed data of pages from a slower tier held on a faster one, over time",
        "one block per policy, two blank lines apart: gnuplot index I is the I-th policy", columns);
    GString *pint = g_string_new(NULL);
    double max = 0;
    for (guint i = 0; i < pols->len; i++) {
        const PlotPolicy *p = pols->pdata[i];
        if (i)
            g_string_append(fig->data, "\n\n");
        g_string_append_printf(fig->data, "# policy %s\n", p->name);
        guint points = 0;
        for (guint r = 0; r < p->samples->len;) {
            const PlotSample *s = &g_array_index(p->samples, PlotSample, r);
            uint64_t t = s->time_ns;
            double bytes = 0; /* a double: a sum of uint64 could wrap */
            for (; r < p->samples->len; r++) {
                s = &g_array_index(p->samples, PlotSample, r);
                if (s->time_ns != t)
                    break;
                bytes += (double)s->inversion_bytes;
            }
            max = MAX(max, bytes);
            put_num(fig->data, (double)t / unit.ns);
            put_sep_num(fig->data, "\t", bytes / PLOT_MIB);
            g_string_append_c(fig->data, '\n');
            points++;
        }
        g_string_append_printf(pint, "%s%u", i ? ", " : "", MAX(1u, points / PLOT_POINTS_PER_LINE));
    }
    set_policies(fig, (const PlotPolicy *const *)pols->pdata, pols->len);
    figure_take(fig, "POINT_INTERVALS", pint);
    set_time_unit(fig, unit);
    set_all_zero(fig, max);
    figure_set(fig, "WIDTH_IN", "%g", PLOT_COLUMN_WIDTH_IN);
    figure_set(fig, "HEIGHT_IN", "%g", PLOT_HEIGHT_IN);
    return fig;
}

static void set_bar_width(Figure *fig, guint bars)
{
    figure_set(fig, "WIDTH_IN", "%g",
               bars <= PLOT_BARS_PER_COLUMN ? PLOT_COLUMN_WIDTH_IN : PLOT_TEXT_WIDTH_IN);
    figure_set(fig, "HEIGHT_IN", "%g", PLOT_HEIGHT_IN);
}

static Figure *fig_pressure(const PlotInput *in, GPtrArray *pols)
{
    Figure *fig = figure_new("pressure", "pressure");
    data_header(fig, in, "cross-node pressure and reclaim efficacy per policy (summary metrics)",
                "one row per policy",
                "policy cross_node_MiB cross_node_zspages_allocated "
                "cross_node_zspages_allocated_MiB reclaim_efficacy_ratio writeback_pages_freed "
                "writeback_pages_freed_on_target");
    double max = 0;
    for (guint i = 0; i < pols->len; i++) {
        const PlotPolicy *p = pols->pdata[i];
        const double *m = p->metrics;
        max = MAX(
            max, MAX(m[PLOT_METRIC_CROSS_NODE_BYTES], m[PLOT_METRIC_CROSS_NODE_ZSPAGES_ALLOCATED]));
        g_string_append(fig->data, p->name);
        put_sep_num(fig->data, "\t", m[PLOT_METRIC_CROSS_NODE_BYTES] / PLOT_MIB);
        put_sep_num(fig->data, "\t", m[PLOT_METRIC_CROSS_NODE_ZSPAGES_ALLOCATED]);
        put_sep_num(fig->data, "\t",
                    m[PLOT_METRIC_CROSS_NODE_ZSPAGES_ALLOCATED] * p->page_size / PLOT_MIB);
        put_sep_num(fig->data, "\t", m[PLOT_METRIC_RECLAIM_EFFICACY_RATIO]);
        put_sep_num(fig->data, "\t", m[PLOT_METRIC_WRITEBACK_PAGES_FREED]);
        put_sep_num(fig->data, "\t", m[PLOT_METRIC_WRITEBACK_PAGES_FREED_ON_TARGET]);
        g_string_append_c(fig->data, '\n');
    }
    set_policies(fig, (const PlotPolicy *const *)pols->pdata, pols->len);
    set_all_zero(fig, max);
    set_bar_width(fig, pols->len * 3);
    return fig;
}

static Figure *fig_density(const PlotInput *in, GPtrArray *pols)
{
    Figure *fig = figure_new("density", "density");
    data_header(fig, in,
                "zsmalloc density per policy: compressed bytes / (zsmalloc pages x page size)",
                "one row per policy",
                "policy density_ratio compressed_MiB zsmalloc_MiB fragmentation_pages");
    for (guint i = 0; i < pols->len; i++) {
        const PlotPolicy *p = pols->pdata[i];
        const double *m = p->metrics;
        g_string_append(fig->data, p->name);
        put_sep_num(fig->data, "\t", m[PLOT_METRIC_DENSITY_RATIO]);
        put_sep_num(fig->data, "\t", m[PLOT_METRIC_COMPRESSED_BYTES] / PLOT_MIB);
        put_sep_num(fig->data, "\t", m[PLOT_METRIC_ZSMALLOC_PAGES] * p->page_size / PLOT_MIB);
        put_sep_num(fig->data, "\t", m[PLOT_METRIC_FRAGMENTATION_PAGES]);
        g_string_append_c(fig->data, '\n');
    }
    set_policies(fig, (const PlotPolicy *const *)pols->pdata, pols->len);
    set_bar_width(fig, pols->len);
    return fig;
}

/* Every policy in `pols` has accesses. */
static Figure *fig_latency(const PlotInput *in, GPtrArray *pols)
{
    Figure *fig = figure_new("latency-cdf", "latency");
    data_header(fig, in, "access latency distribution per policy, from latency.tsv",
                "one block per policy, two blank lines apart: gnuplot index I is the I-th "
                "policy; a row per histogram bucket (latency_ns is its lower bound), after a "
                "first row at fraction 0",
                "latency_ns accesses fraction_at_or_below fraction_above");
    GString *pint = g_string_new(NULL);
    uint64_t max_total = 1;
    for (guint i = 0; i < pols->len; i++) {
        const PlotPolicy *p = pols->pdata[i];
        uint64_t total = p->accesses, sum = 0;
        max_total = MAX(max_total, total);
        if (i)
            g_string_append(fig->data, "\n\n");
        g_string_append_printf(fig->data, "# policy %s: %" G_GUINT64_FORMAT " accesses\n", p->name,
                               total);
        const PlotBucket *first = &g_array_index(p->latency, PlotBucket, 0);
        g_string_append_printf(fig->data, "%" G_GUINT64_FORMAT "\t0\t0\t1\n", first->latency_ns);
        for (guint b = 0; b < p->latency->len; b++) {
            const PlotBucket *k = &g_array_index(p->latency, PlotBucket, b);
            sum += k->accesses;
            g_string_append_printf(fig->data, "%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT,
                                   k->latency_ns, k->accesses);
            /* the complement from counts, so that a tail of one access in
             * millions is not lost to rounding */
            put_sep_num(fig->data, "\t", (double)sum / (double)total);
            put_sep_num(fig->data, "\t", (double)(total - sum) / (double)total);
            g_string_append_c(fig->data, '\n');
        }
        g_string_append_printf(pint, "%s%u", i ? ", " : "",
                               MAX(1u, p->latency->len / PLOT_POINTS_PER_LINE));
    }
    set_policies(fig, (const PlotPolicy *const *)pols->pdata, pols->len);
    figure_take(fig, "POINT_INTERVALS", pint);
    figure_set(fig, "TAIL_FLOOR", "1e%d", -(int)floor(log10((double)max_total)) - 1);
    figure_set(fig, "WIDTH_IN", "%g", PLOT_COLUMN_WIDTH_IN);
    figure_set(fig, "HEIGHT_IN", "%g", PLOT_HEIGHT_IN);
    return fig;
}

/* ---- writing ---------------------------------------------------------------- */

typedef struct PlotWriter {
    const PlotInput *in;
    const PlotOptions *opts;
    PlotReport *rep;
    char *templates;
    char *style; /* plots/style.gp, raw */
    char *gnuplot;
} PlotWriter;

static void note(PlotWriter *w, const char *figure, const char *why)
{
    g_ptr_array_add(w->rep->notes, g_strdup_printf("%s: skipped: %s", figure, why));
}

static gboolean write_file(const char *dir, const char *name, const char *text, GError **error)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    return output_write_atomic(path, text, strlen(text), error);
}

/* Writes NAME.tsv and NAME.gp, then renders. Takes `fig`. */
static gboolean emit(PlotWriter *w, Figure *fig_in, GError **error)
{
    g_autoptr(Figure) fig = fig_in;
    const PlotOptions *o = w->opts;
    g_autofree char *data_name = g_strdup_printf("%s.tsv", fig->name);
    g_autofree char *gp_name = g_strdup_printf("%s.gp", fig->name);
    g_autofree char *scenario = gp_escape(w->in->name);
    GString *formats = g_string_new(NULL);
    for (guint f = 0; f < G_N_ELEMENTS(FORMAT_EXT); f++)
        if (o->formats & (1u << f))
            g_string_append_printf(formats, "%s%s", formats->len ? " " : "", FORMAT_EXT[f]);
    figure_set(fig, "FIGURE", "%s", fig->name);
    figure_set(fig, "DATA", "%s", data_name);
    figure_set(fig, "SCENARIO", "%s", scenario);
    figure_set(fig, "SOURCE", "%s", w->in->compare ? "comparison" : "run");
    figure_take(fig, "FORMATS", formats);
    g_autofree char *style_path = g_build_filename(w->templates, "style.gp", NULL);
    char *style = template_fill(w->style, style_path, fig->keys, error);
    if (!style)
        return FALSE;
    g_hash_table_replace(fig->keys, g_strdup("STYLE"), style);

    g_autofree char *tpl_path = g_strdup_printf("%s/%s.gp", w->templates, fig->template_name);
    g_autofree char *tpl = template_load(w->templates, fig->template_name, error);
    if (!tpl)
        return FALSE;
    g_autofree char *script = template_fill(tpl, tpl_path, fig->keys, error);
    if (!script || !write_file(o->outdir, data_name, fig->data->str, error) ||
        !write_file(o->outdir, gp_name, script, error))
        return FALSE;
    if (o->render && !render(w->gnuplot, o->outdir, fig->name, o->formats, w->rep, error))
        return FALSE;
    g_ptr_array_add(w->rep->figures, g_strdup(fig->name));
    return TRUE;
}

static gboolean write_all(PlotWriter *w, GError **error)
{
    const PlotInput *in = w->in;
    for (guint i = 0; i < in->policies->len; i++)
        if (!emit(w, fig_memory(in, policy_at(in, i)), error))
            return FALSE;

    g_autoptr(GPtrArray) zs = zswap_policies(in);
    const char *no_zswap = "zswap is disabled (summary.json has no placement_matrix)";
    if (!zs->len) {
        note(w, "placement", no_zswap);
        note(w, "inversion", no_zswap);
    } else {
        if (zs->len < in->policies->len)
            note(w, "placement, inversion, pressure, density", "policies without zswap left out");
        if (!emit(w, fig_placement(in, zs), error) || !emit(w, fig_inversion(in, zs), error))
            return FALSE;
    }
    const char *one = "it compares policies; plot a 'tiersim compare' folder (the value is in "
                      "summary.json metrics)";
    if (!zs->len) {
        note(w, "pressure", no_zswap);
        note(w, "density", no_zswap);
    } else if (!in->compare) {
        note(w, "pressure", one);
        note(w, "density", one);
    } else if (!emit(w, fig_pressure(in, zs), error) || !emit(w, fig_density(in, zs), error)) {
        return FALSE;
    }

    g_autoptr(GPtrArray) lat = g_ptr_array_new();
    for (guint i = 0; i < in->policies->len; i++) {
        const PlotPolicy *p = policy_at(in, i);
        if (p->accesses)
            g_ptr_array_add(lat, (gpointer)p);
        else
            g_ptr_array_add(w->rep->notes,
                            g_strdup_printf("latency-cdf: policy %s left out: latency.tsv has "
                                            "no accesses",
                                            p->name));
    }
    if (!lat->len)
        note(w, "latency-cdf", "no policy has any access in latency.tsv");
    else if (!emit(w, fig_latency(in, lat), error))
        return FALSE;
    return TRUE;
}

gboolean plot_write(const PlotInput *in, const PlotOptions *opts, PlotReport *report,
                    GError **error)
{
    g_return_val_if_fail(opts->formats & (PLOT_FORMAT_PNG | PLOT_FORMAT_PDF), FALSE);
    PlotWriter w = {in, opts, report, NULL, NULL, NULL};
    w.templates = opts->templates_dir ? g_strdup(opts->templates_dir) : plot_templates_dir();
    gboolean ok = (!opts->render || (w.gnuplot = plot_find_gnuplot(error))) &&
                  (w.style = template_load(w.templates, "style", error)) &&
                  output_mkdir(opts->outdir, error) && write_all(&w, error);
    g_free(w.templates);
    g_free(w.style);
    g_free(w.gnuplot);
    return ok;
}
