/*
 * plot.c - `tiersim plot`: loads a run or comparison folder, writes one data
 * file and one gnuplot script per figure from the templates in plots/, and
 * runs gnuplot on each. The contract is in plot.h.
 */
#include "sim/plot.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenarios/units.h"
#include "sim/output.h"

G_DEFINE_QUARK(plot - error - quark, plot_error)

#define PLOT_MIB               1048576.0
#define PLOT_MAX_NODES         64
#define PLOT_DEFAULT_PAGE_SIZE 4096u
/* Markers drawn on each line of a time series: enough to tell the lines
 * apart in grayscale, few enough not to hide them. */
#define PLOT_POINTS_PER_LINE 8
/* JSON numbers hold integers exactly up to 2^53. */
#define PLOT_EXACT_INT_MAX 9007199254740992.0
/* Sizes of the figures (inches): one column of a two-column paper, or the
 * full text width (figure*) when one column would crowd the panels. */
#define PLOT_COLUMN_WIDTH_IN 3.5
#define PLOT_TEXT_WIDTH_IN   7.0
#define PLOT_HEIGHT_IN       2.5
#define PLOT_PANEL_HEIGHT_IN 2.0
/* More bars than this in one column get the full text width. */
#define PLOT_BARS_PER_COLUMN 12
#define PLOT_TMP_PREFIX      ".tiersim-render-"

/* The summary metrics the bar charts read (summary.json "metrics"). */
typedef enum {
    PLOT_METRIC_CROSS_NODE_BYTES,
    PLOT_METRIC_CROSS_NODE_ZSPAGES_ALLOCATED,
    PLOT_METRIC_RECLAIM_EFFICACY_RATIO,
    PLOT_METRIC_WRITEBACK_PAGES_FREED,
    PLOT_METRIC_WRITEBACK_PAGES_FREED_ON_TARGET,
    PLOT_METRIC_DENSITY_RATIO,
    PLOT_METRIC_COMPRESSED_BYTES,
    PLOT_METRIC_ZSMALLOC_PAGES,
    PLOT_METRIC_FRAGMENTATION_PAGES,
    PLOT_NR_METRICS,
} PlotMetric;

static const char *const PLOT_METRIC_NAMES[PLOT_NR_METRICS] = {
    "cross_node_bytes",
    "cross_node_zspages_allocated",
    "reclaim_efficacy_ratio",
    "writeback_pages_freed",
    "writeback_pages_freed_on_target",
    "density_ratio",
    "compressed_bytes",
    "zsmalloc_pages",
    "fragmentation_pages",
};

typedef struct PlotNode {
    char *kind;
    uint64_t capacity_pages;
    uint64_t wm_min_pages, wm_low_pages, wm_high_pages;
} PlotNode;

/* One row of timeseries.tsv, the columns the figures use. */
typedef struct PlotSample {
    uint64_t time_ns;
    uint64_t node;
    uint64_t free_pages, anon_pages, zspages, inversion_bytes;
} PlotSample;

/* One row of latency.tsv: a histogram bucket's lower bound and count. */
typedef struct PlotBucket {
    uint64_t latency_ns, accesses;
} PlotBucket;

typedef struct PlotPolicy {
    char *name;
    uint32_t page_size;
    guint n_nodes;
    PlotNode *nodes;
    gboolean has_zswap;      /* the summary has placement_matrix and metrics */
    double *placement_bytes; /* [data node * n_nodes + origin node] */
    double metrics[PLOT_NR_METRICS];
    GArray *samples; /* PlotSample, time order */
    GArray *latency; /* PlotBucket */
} PlotPolicy;

struct PlotInput {
    char *dir;
    char *name; /* the scenario's */
    gboolean compare;
    GPtrArray *policies; /* PlotPolicy */
};

/* ---- small helpers -------------------------------------------------------- */

static void policy_free(gpointer data)
{
    PlotPolicy *p = data;
    if (!p)
        return;
    g_free(p->name);
    for (guint n = 0; p->nodes && n < p->n_nodes; n++)
        g_free(p->nodes[n].kind);
    g_free(p->nodes);
    g_free(p->placement_bytes);
    if (p->samples)
        g_array_unref(p->samples);
    if (p->latency)
        g_array_unref(p->latency);
    g_free(p);
}

static gboolean fail_input(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static gboolean fail_input(GError **error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, PLOT_ERROR, PLOT_ERROR_INPUT, msg);
    g_free(msg);
    return FALSE;
}

/* "a.b" from prefix "a" and key "b" (just "b" at the root). */
static char *json_path(const char *prefix, const char *key)
{
    return prefix && *prefix ? g_strdup_printf("%s.%s", prefix, key) : g_strdup(key);
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

/* A non-negative integer that a double holds exactly. */
static gboolean json_count(const cJSON *v, const char *file, const char *path, uint64_t *out,
                           GError **error)
{
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0 ||
        v->valuedouble > PLOT_EXACT_INT_MAX || v->valuedouble != floor(v->valuedouble))
        return fail_input(error, "%s: %s: expected a non-negative integer", file, path);
    *out = (uint64_t)v->valuedouble;
    return TRUE;
}

static gboolean member_count(const cJSON *obj, const char *key, const char *file,
                             const char *prefix, uint64_t *out, GError **error)
{
    g_autofree char *path = json_path(prefix, key);
    return json_count(member(obj, key), file, path, out, error);
}

/* A finite, non-negative number. */
static gboolean member_real(const cJSON *obj, const char *key, const char *file, const char *prefix,
                            double *out, GError **error)
{
    g_autofree char *path = json_path(prefix, key);
    const cJSON *v = member(obj, key);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0)
        return fail_input(error, "%s: %s: expected a finite non-negative number", file, path);
    *out = v->valuedouble;
    return TRUE;
}

/* Policy names become file names and gnuplot strings. */
static gboolean policy_name_valid(const char *s)
{
    if (!*s || *s == '.' || strlen(s) > 64)
        return FALSE;
    for (; *s; s++)
        if (!g_ascii_isalnum(*s) && !strchr("_.+-", *s))
            return FALSE;
    return TRUE;
}

static cJSON *json_load(const char *path, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!g_file_get_contents(path, &text, &len, &err)) {
        fail_input(error, "cannot read %s: %s", path, err->message);
        g_error_free(err);
        return NULL;
    }
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, FALSE);
    if (!doc) {
        /* cJSON_GetErrorPtr is process-wide; return_parse_end is ours. */
        guint line = 1, col = 1;
        for (const char *c = text; end && c < end && c < text + len; c++, col++)
            if (*c == '\n') {
                line++;
                col = 0;
            }
        fail_input(error, "%s:%u:%u: malformed JSON", path, line, col);
        return NULL;
    }
    return doc;
}

/* ---- summary.json ----------------------------------------------------------- */

static gboolean parse_nodes(PlotPolicy *p, const cJSON *summary, const char *file,
                            const char *prefix, GError **error)
{
    g_autofree char *path = json_path(prefix, "nodes");
    const cJSON *nodes = member(summary, "nodes");
    int n = cJSON_IsArray(nodes) ? cJSON_GetArraySize(nodes) : 0;
    if (n < 1 || n > PLOT_MAX_NODES)
        return fail_input(error, "%s: %s: expected an array of 1 to %d nodes", file, path,
                          PLOT_MAX_NODES);
    p->n_nodes = (guint)n;
    p->nodes = g_new0(PlotNode, n);
    for (int i = 0; i < n; i++) {
        const cJSON *nj = cJSON_GetArrayItem(nodes, i);
        g_autofree char *np = g_strdup_printf("%s[%d]", path, i);
        g_autofree char *wp = json_path(np, "watermarks");
        const cJSON *wm = member(nj, "watermarks");
        PlotNode *node = &p->nodes[i];
        const cJSON *kind = member(nj, "kind");
        node->kind = g_strdup(cJSON_IsString(kind) ? kind->valuestring : "node");
        if (!member_count(nj, "capacity_pages", file, np, &node->capacity_pages, error) ||
            !member_count(wm, "min_pages", file, wp, &node->wm_min_pages, error) ||
            !member_count(wm, "low_pages", file, wp, &node->wm_low_pages, error) ||
            !member_count(wm, "high_pages", file, wp, &node->wm_high_pages, error))
            return FALSE;
        if (node->capacity_pages == 0)
            return fail_input(error, "%s: %s.capacity_pages: expected a positive integer", file,
                              np);
        if (!policy_name_valid(node->kind))
            return fail_input(error, "%s: %s.kind: expected a name of letters, digits, '_-.+'",
                              file, np);
    }
    return TRUE;
}

/* placement_matrix and metrics, present when zswap is enabled. */
static gboolean parse_zswap(PlotPolicy *p, const cJSON *summary, const char *file,
                            const char *prefix, GError **error)
{
    const cJSON *pm = member(summary, "placement_matrix");
    if (!pm)
        return TRUE;
    g_autofree char *pmp = json_path(prefix, "placement_matrix");
    g_autofree char *mp = json_path(pmp, "compressed_bytes");
    const cJSON *rows = member(pm, "compressed_bytes");
    guint n = p->n_nodes;
    if (!cJSON_IsArray(rows) || cJSON_GetArraySize(rows) != (int)n)
        return fail_input(error, "%s: %s: expected %u rows, one per node holding the data", file,
                          mp, n);
    p->placement_bytes = g_new0(double, (gsize)n *n);
    for (guint d = 0; d < n; d++) {
        const cJSON *row = cJSON_GetArrayItem(rows, (int)d);
        if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != (int)n)
            return fail_input(error, "%s: %s[%u]: expected %u columns, one per origin node", file,
                              mp, d, n);
        for (guint o = 0; o < n; o++) {
            g_autofree char *cp = g_strdup_printf("%s[%u][%u]", mp, d, o);
            uint64_t v = 0;
            if (!json_count(cJSON_GetArrayItem(row, (int)o), file, cp, &v, error))
                return FALSE;
            p->placement_bytes[d * n + o] = (double)v;
        }
    }
    g_autofree char *metp = json_path(prefix, "metrics");
    const cJSON *metrics = member(summary, "metrics");
    for (int i = 0; i < PLOT_NR_METRICS; i++)
        if (!member_real(metrics, PLOT_METRIC_NAMES[i], file, metp, &p->metrics[i], error))
            return FALSE;
    p->has_zswap = TRUE;
    return TRUE;
}

/* scenario.machine.page_size of the echoed scenario: a number or a size
 * string ("64KiB"); the scenario default when absent. */
static gboolean parse_page_size(const cJSON *summary, const char *file, uint32_t *out,
                                GError **error)
{
    const cJSON *ps = member(member(member(summary, "scenario"), "machine"), "page_size");
    const char *path = "scenario.machine.page_size";
    uint64_t v = PLOT_DEFAULT_PAGE_SIZE;
    if (cJSON_IsString(ps)) {
        if (!units_parse_size(ps->valuestring, &v, NULL, NULL))
            return fail_input(error, "%s: %s: expected a size such as \"4KiB\"", file, path);
    } else if (ps && !json_count(ps, file, path, &v, error)) {
        return FALSE;
    }
    if (v < 4096 || v > 65536 || (v & (v - 1)))
        return fail_input(error, "%s: %s: expected a power of two in 4096..65536", file, path);
    *out = (uint32_t)v;
    return TRUE;
}

/* ---- timeseries.tsv and latency.tsv ----------------------------------------- */

typedef struct TsvColumn {
    const char *name;
    int index;
} TsvColumn;

/* Reads a TSV file whose header names its columns and calls `row` with the
 * values of the wanted columns for each data line. */
typedef gboolean (*TsvRowFn)(const uint64_t *values, const char *file, guint line, void *ctx,
                             GError **error);

static gboolean tsv_read(const char *path, TsvColumn *cols, int n_cols, TsvRowFn row, void *ctx,
                         GError **error)
{
    g_autofree char *text = NULL;
    GError *err = NULL;
    if (!g_file_get_contents(path, &text, NULL, &err)) {
        fail_input(error, "cannot read %s: %s", path, err->message);
        g_error_free(err);
        return FALSE;
    }
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    if (!lines[0] || !*lines[0])
        return fail_input(error, "%s:1: expected a header line naming the columns", path);
    g_auto(GStrv) header = g_strsplit(lines[0], "\t", -1);
    guint width = g_strv_length(header);
    for (int c = 0; c < n_cols; c++) {
        cols[c].index = -1;
        for (guint h = 0; h < width; h++)
            if (!strcmp(g_strchomp(header[h]), cols[c].name))
                cols[c].index = (int)h;
        if (cols[c].index < 0)
            return fail_input(error, "%s:1: expected a column named %s in the header", path,
                              cols[c].name);
    }
    uint64_t values[8];
    g_assert(n_cols <= (int)G_N_ELEMENTS(values));
    for (guint l = 1; lines[l]; l++) {
        if (!*g_strchomp(lines[l])) {
            if (lines[l + 1] && *lines[l + 1])
                return fail_input(error, "%s:%u: unexpected empty line", path, l + 1);
            continue;
        }
        g_auto(GStrv) fields = g_strsplit(lines[l], "\t", -1);
        if (g_strv_length(fields) != width)
            return fail_input(error, "%s:%u: expected %u tab-separated fields as in the header",
                              path, l + 1, width);
        for (int c = 0; c < n_cols; c++) {
            const char *f = fields[cols[c].index];
            if (!g_ascii_string_to_unsigned(f, 10, 0, G_MAXUINT64, &values[c], NULL))
                return fail_input(error, "%s:%u: column %s: expected an unsigned integer, got '%s'",
                                  path, l + 1, cols[c].name, f);
        }
        if (!row(values, path, l + 1, ctx, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean sample_row(const uint64_t *v, const char *file, guint line, void *ctx,
                           GError **error)
{
    PlotPolicy *p = ctx;
    PlotSample s = {v[0], v[1], v[2], v[3], v[4], v[5]};
    if (s.node >= p->n_nodes)
        return fail_input(error, "%s:%u: column node: expected a node below %u (summary.json)",
                          file, line, p->n_nodes);
    if (p->samples->len &&
        s.time_ns < g_array_index(p->samples, PlotSample, p->samples->len - 1).time_ns)
        return fail_input(error, "%s:%u: column time_ns: expected times in increasing order", file,
                          line);
    g_array_append_val(p->samples, s);
    return TRUE;
}

static gboolean bucket_row(const uint64_t *v, const char *file, guint line, void *ctx,
                           GError **error)
{
    PlotPolicy *p = ctx;
    PlotBucket b = {v[0], v[1]};
    if (b.latency_ns == 0)
        return fail_input(error, "%s:%u: column latency_ns: expected a positive latency", file,
                          line);
    if (p->latency->len &&
        b.latency_ns <= g_array_index(p->latency, PlotBucket, p->latency->len - 1).latency_ns)
        return fail_input(error, "%s:%u: column latency_ns: expected increasing buckets", file,
                          line);
    g_array_append_val(p->latency, b);
    return TRUE;
}

/* timeseries.tsv and latency.tsv of one run folder. */
static gboolean parse_run_files(PlotPolicy *p, const char *dir, GError **error)
{
    g_autofree char *ts = g_build_filename(dir, "timeseries.tsv", NULL);
    g_autofree char *lat = g_build_filename(dir, "latency.tsv", NULL);
    TsvColumn ts_cols[] = {{"time_ns", 0},    {"node", 0},    {"free_pages", 0},
                           {"anon_pages", 0}, {"zspages", 0}, {"inversion_bytes", 0}};
    TsvColumn lat_cols[] = {{"latency_ns", 0}, {"accesses", 0}};
    p->samples = g_array_new(FALSE, FALSE, sizeof(PlotSample));
    p->latency = g_array_new(FALSE, FALSE, sizeof(PlotBucket));
    if (!tsv_read(ts, ts_cols, G_N_ELEMENTS(ts_cols), sample_row, p, error) ||
        !tsv_read(lat, lat_cols, G_N_ELEMENTS(lat_cols), bucket_row, p, error))
        return FALSE;
    if (!p->samples->len)
        return fail_input(error, "%s: expected at least one sample row", ts);
    return TRUE;
}

/* ---- loading a folder ------------------------------------------------------- */

static PlotPolicy *policy_load(const char *name, const cJSON *summary, const char *file,
                               const char *prefix, const char *run_dir, GError **error)
{
    PlotPolicy *p = g_new0(PlotPolicy, 1);
    p->name = g_strdup(name);
    if (!parse_nodes(p, summary, file, prefix, error) ||
        !parse_zswap(p, summary, file, prefix, error)) {
        policy_free(p);
        return NULL;
    }
    /* compare.json leaves the scenario out: the page size comes from the
     * policy's own summary.json. */
    g_autofree char *own = g_build_filename(run_dir, "summary.json", NULL);
    cJSON *own_doc = strcmp(own, file) ? json_load(own, error) : NULL;
    const cJSON *with_scenario = own_doc ? own_doc : summary;
    gboolean ok = (own_doc || !strcmp(own, file)) &&
                  parse_page_size(with_scenario, own, &p->page_size, error) &&
                  parse_run_files(p, run_dir, error);
    cJSON_Delete(own_doc);
    if (!ok) {
        policy_free(p);
        return NULL;
    }
    return p;
}

static gboolean load_run(PlotInput *in, const char *summary_path, GError **error)
{
    cJSON *doc = json_load(summary_path, error);
    if (!doc)
        return FALSE;
    const cJSON *name = member(doc, "name");
    const cJSON *placement = member(doc, "placement");
    gboolean ok = FALSE;
    if (!cJSON_IsString(name))
        fail_input(error, "%s: name: expected the scenario name (a string)", summary_path);
    else if (!cJSON_IsString(placement) || !policy_name_valid(placement->valuestring))
        fail_input(error, "%s: placement: expected a placement policy name", summary_path);
    else {
        in->name = g_strdup(name->valuestring);
        PlotPolicy *p = policy_load(placement->valuestring, doc, summary_path, "", in->dir, error);
        if (p) {
            g_ptr_array_add(in->policies, p);
            ok = TRUE;
        }
    }
    cJSON_Delete(doc);
    return ok;
}

static gboolean load_compare(PlotInput *in, const char *compare_path, GError **error)
{
    cJSON *doc = json_load(compare_path, error);
    if (!doc)
        return FALSE;
    const cJSON *name = member(doc, "name");
    const cJSON *order = member(doc, "policy_order");
    const cJSON *policies = member(doc, "policies");
    gboolean ok = TRUE;
    if (!cJSON_IsString(name))
        ok = fail_input(error, "%s: name: expected the scenario name (a string)", compare_path);
    else if (!cJSON_IsArray(order) || cJSON_GetArraySize(order) < 1)
        ok = fail_input(error, "%s: policy_order: expected a non-empty array of policy names",
                        compare_path);
    else if (!cJSON_IsObject(policies))
        ok = fail_input(error, "%s: policies: expected an object of summaries keyed by policy",
                        compare_path);
    if (ok)
        in->name = g_strdup(name->valuestring);
    int i = 0;
    for (const cJSON *o = ok ? order->child : NULL; ok && o; o = o->next, i++) {
        if (!cJSON_IsString(o) || !policy_name_valid(o->valuestring)) {
            ok = fail_input(error,
                            "%s: policy_order[%d]: expected a policy name (letters, digits, "
                            "'_-.+')",
                            compare_path, i);
            break;
        }
        for (guint k = 0; k < in->policies->len; k++)
            if (!strcmp(((PlotPolicy *)in->policies->pdata[k])->name, o->valuestring))
                ok = fail_input(error, "%s: policy_order[%d]: '%s' is listed twice", compare_path,
                                i, o->valuestring);
        const cJSON *summary = member(policies, o->valuestring);
        g_autofree char *prefix = g_strdup_printf("policies.%s", o->valuestring);
        if (ok && !cJSON_IsObject(summary))
            ok = fail_input(error, "%s: %s: expected the summary of policy_order[%d]", compare_path,
                            prefix, i);
        if (!ok)
            break;
        g_autofree char *run_dir = g_build_filename(in->dir, o->valuestring, NULL);
        PlotPolicy *p = policy_load(o->valuestring, summary, compare_path, prefix, run_dir, error);
        if (!p) {
            ok = FALSE;
            break;
        }
        PlotPolicy *first = in->policies->len ? in->policies->pdata[0] : p;
        g_ptr_array_add(in->policies, p);
        if (p->n_nodes != first->n_nodes)
            ok = fail_input(error, "%s: %s.nodes: expected %u nodes like policy %s, got %u",
                            compare_path, prefix, first->n_nodes, first->name, p->n_nodes);
    }
    cJSON_Delete(doc);
    return ok;
}

PlotInput *plot_input_load(const char *dir, GError **error)
{
    g_autoptr(PlotInput) in = g_new0(PlotInput, 1);
    in->dir = g_strdup(dir);
    in->policies = g_ptr_array_new_with_free_func(policy_free);
    g_autofree char *compare_path = g_build_filename(dir, "compare.json", NULL);
    g_autofree char *summary_path = g_build_filename(dir, "summary.json", NULL);
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        fail_input(error,
                   "%s: expected a folder written by 'tiersim run' (with summary.json) or "
                   "'tiersim compare' (with compare.json)",
                   dir);
        return NULL;
    }
    if (g_file_test(compare_path, G_FILE_TEST_EXISTS)) {
        in->compare = TRUE;
        if (!load_compare(in, compare_path, error))
            return NULL;
    } else if (g_file_test(summary_path, G_FILE_TEST_EXISTS)) {
        if (!load_run(in, summary_path, error))
            return NULL;
    } else {
        fail_input(error,
                   "%s: neither compare.json nor summary.json found: expected a folder written "
                   "by 'tiersim run' or 'tiersim compare'",
                   dir);
        return NULL;
    }
    return g_steal_pointer(&in);
}

void plot_input_free(PlotInput *in)
{
    if (!in)
        return;
    g_free(in->dir);
    g_free(in->name);
    if (in->policies)
        g_ptr_array_unref(in->policies);
    g_free(in);
}

gboolean plot_input_is_compare(const PlotInput *in)
{
    return in->compare;
}

guint plot_input_n_policies(const PlotInput *in)
{
    return in->policies->len;
}

const char *plot_input_policy(const PlotInput *in, guint i)
{
    g_return_val_if_fail(i < in->policies->len, NULL);
    return ((const PlotPolicy *)in->policies->pdata[i])->name;
}

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

static const char *const FORMAT_EXT[] = {"png", "pdf"};

/* Runs `gnuplot NAME.gp` in outdir with outputs under a temporary prefix,
 * then renames them into place. */
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
    if (!g_spawn_sync(outdir, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                      &spawn_err)) {
        g_set_error(error, PLOT_ERROR, PLOT_ERROR_GNUPLOT, "cannot run %s: %s", gnuplot,
                    spawn_err->message);
        g_error_free(spawn_err);
        return FALSE;
    }
    g_strstrip(err);
    gboolean exited_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    gboolean ok = exited_ok;
    GString *missing = g_string_new(NULL);
    for (guint f = 0; f < G_N_ELEMENTS(FORMAT_EXT); f++) {
        if (!(formats & (1u << f)))
            continue;
        g_autofree char *tmp = g_strdup_printf("%s/%s%s.%s", outdir, prefix, name, FORMAT_EXT[f]);
        g_autofree char *dst = g_strdup_printf("%s/%s.%s", outdir, name, FORMAT_EXT[f]);
        GStatBuf st;
        if (!ok || g_stat(tmp, &st) != 0 || st.st_size == 0) {
            if (exited_ok)
                g_string_append_printf(missing, " %s.%s", name, FORMAT_EXT[f]);
            ok = FALSE;
            g_unlink(tmp);
            continue;
        }
        if (g_rename(tmp, dst) != 0) {
            int e = errno;
            g_unlink(tmp);
            g_set_error(error, PLOT_ERROR, PLOT_ERROR_GNUPLOT, "cannot rename %s to %s: %s", tmp,
                        dst, g_strerror(e));
            g_string_free(missing, TRUE);
            return FALSE;
        }
    }
    if (!ok) {
        const char *hint = strstr(err, "unknown or ambiguous terminal type")
                               ? " (this gnuplot lacks the cairo terminals pngcairo/pdfcairo: "
                                 "install " PLOT_GNUPLOT_PACKAGE ")"
                               : "";
        if (!exited_ok)
            g_set_error(error, PLOT_ERROR, PLOT_ERROR_GNUPLOT,
                        "gnuplot failed on %s/%s (%s %d)%s:\n%s", outdir, script,
                        WIFEXITED(status) ? "exit status" : "signal",
                        WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), hint,
                        *err ? err : "(no message)");
        else
            g_set_error(error, PLOT_ERROR, PLOT_ERROR_GNUPLOT,
                        "gnuplot ran %s/%s without error but did not write%s%s%s%s", outdir, script,
                        missing->str, hint, *err ? ":\n" : "", err);
        g_string_free(missing, TRUE);
        return FALSE;
    }
    g_string_free(missing, TRUE);
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
            uint64_t t = s->time_ns, bytes = 0;
            for (; r < p->samples->len; r++) {
                s = &g_array_index(p->samples, PlotSample, r);
                if (s->time_ns != t)
                    break;
                bytes += s->inversion_bytes;
            }
            max = MAX(max, (double)bytes);
            put_num(fig->data, (double)t / unit.ns);
            put_sep_num(fig->data, "\t", (double)bytes / PLOT_MIB);
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
        uint64_t total = 0, sum = 0;
        for (guint b = 0; b < p->latency->len; b++)
            total += g_array_index(p->latency, PlotBucket, b).accesses;
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
        if (p->latency->len)
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
