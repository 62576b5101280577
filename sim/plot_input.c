/*
 * plot_input.c - loading and checking a run or comparison folder for
 * `tiersim plot`: summary.json or compare.json, timeseries.tsv and
 * latency.tsv. The invariants it establishes are in plot_input.h.
 */
#include "sim/plot_input.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

#include "scenarios/units.h"

#define PLOT_DEFAULT_PAGE_SIZE 4096u
/* JSON numbers hold integers exactly up to 2^53. */
#define PLOT_EXACT_INT_MAX 9007199254740992.0

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

static char *read_text(const char *path, gsize *len, GError **error)
{
    char *text = NULL;
    GError *err = NULL;
    if (!g_file_get_contents(path, &text, len, &err)) {
        fail_input(error, "cannot read %s: %s", path, err->message);
        g_error_free(err);
    }
    return text;
}

/* `path` names the text in errors. */
static cJSON *json_parse(const char *text, gsize len, const char *path, GError **error)
{
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

static cJSON *json_load(const char *path, GError **error)
{
    gsize len = 0;
    g_autofree char *text = read_text(path, &len, error);
    return text ? json_parse(text, len, path, error) : NULL;
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

/* Parses TSV text whose header names its columns and calls `row` with the
 * values of the wanted columns for each data line; `path` names the text in
 * errors. */
typedef gboolean (*TsvRowFn)(const uint64_t *values, const char *file, guint line, void *ctx,
                             GError **error);

static gboolean tsv_parse(const char *text, const char *path, TsvColumn *cols, int n_cols,
                          TsvRowFn row, void *ctx, GError **error)
{
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
    if (b.accesses > G_MAXUINT64 - p->accesses)
        return fail_input(error, "%s:%u: column accesses: the total exceeds 2^64", file, line);
    p->accesses += b.accesses;
    g_array_append_val(p->latency, b);
    return TRUE;
}

/* The texts of a run folder's timeseries.tsv and latency.tsv; the paths
 * name them in errors. */
typedef struct RunTexts {
    const char *timeseries, *timeseries_path;
    const char *latency, *latency_path;
} RunTexts;

static gboolean parse_run_texts(PlotPolicy *p, const RunTexts *t, GError **error)
{
    TsvColumn ts_cols[] = {{"time_ns", 0},    {"node", 0},    {"free_pages", 0},
                           {"anon_pages", 0}, {"zspages", 0}, {"inversion_bytes", 0}};
    TsvColumn lat_cols[] = {{"latency_ns", 0}, {"accesses", 0}};
    p->samples = g_array_new(FALSE, FALSE, sizeof(PlotSample));
    p->latency = g_array_new(FALSE, FALSE, sizeof(PlotBucket));
    if (!tsv_parse(t->timeseries, t->timeseries_path, ts_cols, G_N_ELEMENTS(ts_cols), sample_row, p,
                   error) ||
        !tsv_parse(t->latency, t->latency_path, lat_cols, G_N_ELEMENTS(lat_cols), bucket_row, p,
                   error))
        return FALSE;
    if (!p->samples->len)
        return fail_input(error, "%s: expected at least one sample row", t->timeseries_path);
    return TRUE;
}

/* ---- loading a folder ------------------------------------------------------- */

/* One policy: its summary (the object at `prefix` of `file`), the page size
 * from `scenario_doc` (a summary with the echoed scenario, read from
 * `scenario_file`) and its TSV texts. */
static PlotPolicy *policy_parse(const char *name, const cJSON *summary, const char *file,
                                const char *prefix, const cJSON *scenario_doc,
                                const char *scenario_file, const RunTexts *texts, GError **error)
{
    PlotPolicy *p = g_new0(PlotPolicy, 1);
    p->name = g_strdup(name);
    if (!parse_nodes(p, summary, file, prefix, error) ||
        !parse_zswap(p, summary, file, prefix, error) ||
        !parse_page_size(scenario_doc, scenario_file, &p->page_size, error) ||
        !parse_run_texts(p, texts, error)) {
        policy_free(p);
        return NULL;
    }
    return p;
}

static PlotInput *input_new(const char *dir)
{
    PlotInput *in = g_new0(PlotInput, 1);
    in->dir = g_strdup(dir);
    in->policies = g_ptr_array_new_with_free_func(policy_free);
    return in;
}

PlotInput *plot_input_parse_run(const char *dir, const char *summary, gsize summary_len,
                                const char *timeseries, const char *latency, GError **error)
{
    g_autoptr(PlotInput) in = input_new(dir);
    g_autofree char *summary_path = g_build_filename(dir, "summary.json", NULL);
    g_autofree char *ts_path = g_build_filename(dir, "timeseries.tsv", NULL);
    g_autofree char *lat_path = g_build_filename(dir, "latency.tsv", NULL);
    cJSON *doc = json_parse(summary, summary_len, summary_path, error);
    if (!doc)
        return NULL;
    const cJSON *name = member(doc, "name");
    const cJSON *placement = member(doc, "placement");
    RunTexts texts = {timeseries, ts_path, latency, lat_path};
    PlotPolicy *p = NULL;
    if (!cJSON_IsString(name))
        fail_input(error, "%s: name: expected the scenario name (a string)", summary_path);
    else if (!cJSON_IsString(placement) || !policy_name_valid(placement->valuestring))
        fail_input(error, "%s: placement: expected a placement policy name", summary_path);
    else
        p = policy_parse(placement->valuestring, doc, summary_path, "", doc, summary_path, &texts,
                         error);
    if (p) {
        in->name = g_strdup(name->valuestring);
        g_ptr_array_add(in->policies, p);
    }
    cJSON_Delete(doc);
    return p ? g_steal_pointer(&in) : NULL;
}

/* Reads a run folder's timeseries.tsv and latency.tsv into `texts` (paths
 * and texts owned by `keep`). */
static gboolean read_run_texts(const char *dir, RunTexts *texts, GPtrArray *keep, GError **error)
{
    char *ts_path = g_build_filename(dir, "timeseries.tsv", NULL);
    char *lat_path = g_build_filename(dir, "latency.tsv", NULL);
    g_ptr_array_add(keep, ts_path);
    g_ptr_array_add(keep, lat_path);
    char *ts = read_text(ts_path, NULL, error);
    if (!ts)
        return FALSE;
    g_ptr_array_add(keep, ts);
    char *lat = read_text(lat_path, NULL, error);
    if (!lat)
        return FALSE;
    g_ptr_array_add(keep, lat);
    *texts = (RunTexts){ts, ts_path, lat, lat_path};
    return TRUE;
}

static PlotInput *load_run(const char *dir, const char *summary_path, GError **error)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    RunTexts t;
    gsize len = 0;
    g_autofree char *summary = read_text(summary_path, &len, error);
    if (!summary || !read_run_texts(dir, &t, keep, error))
        return NULL;
    return plot_input_parse_run(dir, summary, len, t.timeseries, t.latency, error);
}

/* Policy `name` of a comparison: its summary in compare.json; the page size
 * from its own folder's summary.json (compare.json leaves the scenario out);
 * its TSV files. */
static PlotPolicy *load_compare_policy(const char *dir, const char *name, const cJSON *summary,
                                       const char *compare_path, const char *prefix, GError **error)
{
    g_autofree char *run_dir = g_build_filename(dir, name, NULL);
    g_autofree char *own_path = g_build_filename(run_dir, "summary.json", NULL);
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
    RunTexts t;
    cJSON *own = json_load(own_path, error);
    PlotPolicy *p = NULL;
    if (own && read_run_texts(run_dir, &t, keep, error))
        p = policy_parse(name, summary, compare_path, prefix, own, own_path, &t, error);
    cJSON_Delete(own);
    return p;
}

static PlotInput *load_compare(const char *dir, const char *compare_path, GError **error)
{
    cJSON *doc = json_load(compare_path, error);
    if (!doc)
        return NULL;
    g_autoptr(PlotInput) in = input_new(dir);
    in->compare = TRUE;
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
        const char *pname = o->valuestring;
        for (guint k = 0; ok && k < in->policies->len; k++)
            if (!strcmp(((PlotPolicy *)in->policies->pdata[k])->name, pname))
                ok = fail_input(error, "%s: policy_order[%d]: '%s' is listed twice", compare_path,
                                i, pname);
        const cJSON *summary = member(policies, pname);
        g_autofree char *prefix = g_strdup_printf("policies.%s", pname);
        if (ok && !cJSON_IsObject(summary))
            ok = fail_input(error, "%s: %s: expected the summary of policy_order[%d]", compare_path,
                            prefix, i);
        PlotPolicy *p =
            ok ? load_compare_policy(dir, pname, summary, compare_path, prefix, error) : NULL;
        if (!p) {
            ok = FALSE;
            break;
        }
        const PlotPolicy *first = in->policies->len ? in->policies->pdata[0] : p;
        g_ptr_array_add(in->policies, p);
        if (p->n_nodes != first->n_nodes)
            ok = fail_input(error, "%s: %s.nodes: expected %u nodes like policy %s, got %u",
                            compare_path, prefix, first->n_nodes, first->name, p->n_nodes);
    }
    cJSON_Delete(doc);
    return ok ? g_steal_pointer(&in) : NULL;
}

PlotInput *plot_input_load(const char *dir, GError **error)
{
    g_autofree char *compare_path = g_build_filename(dir, "compare.json", NULL);
    g_autofree char *summary_path = g_build_filename(dir, "summary.json", NULL);
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
        fail_input(error,
                   "%s: expected a folder written by 'tiersim run' (with summary.json) or "
                   "'tiersim compare' (with compare.json)",
                   dir);
        return NULL;
    }
    if (g_file_test(compare_path, G_FILE_TEST_EXISTS))
        return load_compare(dir, compare_path, error);
    if (g_file_test(summary_path, G_FILE_TEST_EXISTS))
        return load_run(dir, summary_path, error);
    fail_input(error,
               "%s: neither compare.json nor summary.json found: expected a folder written "
               "by 'tiersim run' or 'tiersim compare'",
               dir);
    return NULL;
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
