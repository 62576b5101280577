/*
 * scenario.c - JSON scenario -> validated Scenario.
 *
 * One Loader carries the file name, the position index and the error slot
 * through a set of section parsers (machine, nodes, kernel, ...). Every
 * object is first checked for unknown and duplicate keys, then each key is
 * read with a typed getter that knows its range; the first problem sets the
 * GError and every caller returns FALSE at once, so there is exactly one
 * error per failed load.
 *
 * Messages: "FILE:LINE: PATH: expected <what>, got <what>", where LINE is
 * the line of the offending value (found through json_pos.h) or, for a
 * missing key, of the object that lacks it.
 *
 * Order of sections: machine (nodes and CPUs are referenced by everything
 * else), kernel, placement, compressibility (needs page_size), costs, run,
 * workload (phase mempolicies need nodes), tasks (need the generator's
 * pids). Cost: linear in the text, plus a hash set per object for keys.
 */
#include "scenarios/scenario.h"

#include <cjson/cJSON.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "models/placement.h"
#include "scenarios/json_pos.h"
#include "scenarios/presets.h"
#include "scenarios/units.h"

GQuark tiersim_scenario_error_quark(void)
{
    return g_quark_from_static_string("tiersim-scenario-error-quark");
}

#define EXACT_INT_MAX  ((int64_t)1 << 53)  /* largest integer a JSON double holds exactly */
#define PHASE_SIZE_MAX ((uint64_t)1 << 48) /* 256 TiB: a generator region in a 48-bit VA */
#define NODE_MIN_PAGES 256

typedef struct Loader {
    const char *file;
    char *dir; /* folder of the scenario; relative paths are resolved against it */
    JsonPosIndex *pos;
    Scenario *sc;
    GError **error;
    bool failed;
    int cpu_owner[TS_MAX_CPUS]; /* node id owning each CPU, -1 if none */
    int lowest_cpu;
} Loader;

/* ---- paths, positions, messages ---------------------------------------- */

static char *path_key(const char *parent, const char *key)
{
    return *parent ? g_strdup_printf("%s.%s", parent, key) : g_strdup(key);
}

static char *path_idx(const char *parent, int i)
{
    return g_strdup_printf("%s[%d]", parent, i);
}

/* Line of path's nth occurrence; for a path not in the text (a missing
 * key), the line of the nearest enclosing value that is. */
static int loader_line(const Loader *ld, const char *path, guint nth)
{
    g_autofree char *p = g_strdup(path);
    for (;;) {
        JsonPos pos;
        if (json_pos_lookup(ld->pos, p, nth, &pos))
            return pos.line;
        nth = 0;
        if (!*p)
            return 1;
        char *dot = strrchr(p, '.');
        char *br = strrchr(p, '[');
        char *cut = !dot ? br : !br ? dot : (dot > br ? dot : br);
        if (cut)
            *cut = '\0';
        else
            *p = '\0';
    }
}

static gboolean fail_nth(Loader *ld, const char *path, guint nth, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static gboolean fail_nth(Loader *ld, const char *path, guint nth, const char *fmt, ...)
{
    if (ld->failed)
        return FALSE;
    ld->failed = true;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    int line = loader_line(ld, path, nth);
    if (*path)
        g_set_error(ld->error, TIERSIM_SCENARIO_ERROR, SCENARIO_ERROR_INVALID, "%s:%d: %s: %s",
                    ld->file, line, path, msg);
    else
        g_set_error(ld->error, TIERSIM_SCENARIO_ERROR, SCENARIO_ERROR_INVALID, "%s:%d: %s",
                    ld->file, line, msg);
    return FALSE;
}

#define fail(ld, path, ...) fail_nth(ld, path, 0, __VA_ARGS__)

static char *format_double(double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    if (isfinite(v) && v == floor(v) && fabs(v) < 1e15)
        return g_strdup_printf("%.0f", v);
    g_ascii_formatd(buf, sizeof(buf), "%.15g", v);
    if (g_ascii_strtod(buf, NULL) != v)
        g_ascii_formatd(buf, sizeof(buf), "%.17g", v);
    return g_strdup(buf);
}

/* What the user wrote, for "got ..." (newly allocated). */
static char *describe(const cJSON *it)
{
    if (!it)
        return g_strdup("nothing");
    if (cJSON_IsTrue(it))
        return g_strdup("true");
    if (cJSON_IsFalse(it))
        return g_strdup("false");
    if (cJSON_IsNull(it))
        return g_strdup("null");
    if (cJSON_IsNumber(it))
        return format_double(it->valuedouble);
    if (cJSON_IsString(it)) {
        g_autofree char *esc = g_strescape(it->valuestring, NULL);
        if (strlen(esc) > 60)
            return g_strdup_printf("\"%.57s...\"", esc);
        return g_strdup_printf("\"%s\"", esc);
    }
    if (cJSON_IsArray(it)) {
        int n = cJSON_GetArraySize(it);
        return g_strdup_printf("an array of %d element%s", n, n == 1 ? "" : "s");
    }
    if (cJSON_IsObject(it))
        return g_strdup("an object");
    return g_strdup("an invalid value");
}

static gboolean fail_expected(Loader *ld, const char *path, const cJSON *it, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static gboolean fail_expected(Loader *ld, const char *path, const cJSON *it, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_autofree char *got = describe(it);
    return fail(ld, path, "expected %s, got %s", what, got);
}

/* Optimal string alignment distance (Levenshtein plus transpositions). */
static int edit_distance(const char *a, const char *b)
{
    int n = (int)strlen(a), m = (int)strlen(b);
    if (n > 64 || m > 64)
        return 1000;
    int d[65][65];
    for (int i = 0; i <= n; i++)
        d[i][0] = i;
    for (int j = 0; j <= m; j++)
        d[0][j] = j;
    for (int i = 1; i <= n; i++) {
        for (int j = 1; j <= m; j++) {
            int cost = g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 1]) ? 0 : 1;
            int v = MIN(MIN(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                v = MIN(v, d[i - 2][j - 2] + 1);
            d[i][j] = v;
        }
    }
    return d[n][m];
}

/* The closest name, if close enough to be a likely typo; NULL otherwise.
 * Ties go to the longer common prefix ("node" -> "nodes", not "mode"). */
static const char *suggest(const char *word, const char *const *names)
{
    const char *best = NULL;
    int best_score = INT_MAX;
    for (int i = 0; names[i]; i++) {
        int d = edit_distance(word, names[i]);
        int limit = strlen(names[i]) <= 4 ? 1 : 2;
        int prefix = 0;
        while (word[prefix] && word[prefix] == names[i][prefix])
            prefix++;
        int score = d * 1000 - prefix;
        if (d <= limit && score < best_score) {
            best = names[i];
            best_score = score;
        }
    }
    return best;
}

static char *join_names(const char *const *names, bool quoted)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; names[i]; i++)
        g_string_append_printf(s, quoted ? "%s\"%s\"" : "%s%s", i ? ", " : "", names[i]);
    return g_string_free(s, FALSE);
}

/* "; did you mean "x"?" or "" (newly allocated). */
static char *did_you_mean(const char *word, const char *const *names)
{
    const char *s = word ? suggest(word, names) : NULL;
    return s ? g_strdup_printf("; did you mean \"%s\"?", s) : g_strdup("");
}

/* ---- typed getters ------------------------------------------------------ */

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* The object's keys must all be in `known` (NULL-terminated) and unique. */
static gboolean check_object(Loader *ld, const cJSON *it, const char *path,
                             const char *const *known)
{
    if (!cJSON_IsObject(it)) {
        g_autofree char *keys = join_names(known, false);
        return fail_expected(ld, path, it, "an object (keys: %s)", keys);
    }
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    const cJSON *m;
    cJSON_ArrayForEach(m, it)
    {
        const char *key = m->string ? m->string : "";
        g_autofree char *p = path_key(path, key);
        bool ok = false;
        for (int i = 0; known[i]; i++)
            ok = ok || !strcmp(known[i], key);
        if (!ok) {
            g_autofree char *sug = did_you_mean(key, known);
            g_autofree char *keys = join_names(known, false);
            return fail(ld, p, "unknown key%s (keys here: %s)", sug, keys);
        }
        gpointer count = g_hash_table_lookup(seen, key);
        if (count) {
            int first = loader_line(ld, p, 0);
            return fail_nth(ld, p, (guint)GPOINTER_TO_INT(count),
                            "duplicate key (first on line %d)", first);
        }
        g_hash_table_insert(seen, (gpointer)key, GINT_TO_POINTER(1));
    }
    return TRUE;
}

static gboolean required(Loader *ld, const cJSON *obj, const char *path, const char *key,
                         const char *what)
{
    if (member(obj, key))
        return TRUE;
    g_autofree char *p = path_key(path, key);
    return fail(ld, p, "required key is missing (expected %s)", what);
}

static char *int_range_text(int64_t lo, int64_t hi)
{
    if (hi >= EXACT_INT_MAX)
        return g_strdup_printf("an integer >= %" G_GINT64_FORMAT, lo);
    return g_strdup_printf("an integer in %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT, lo, hi);
}

static gboolean val_int(Loader *ld, const cJSON *it, const char *path, int64_t lo, int64_t hi,
                        int64_t *out)
{
    hi = MIN(hi, EXACT_INT_MAX);
    lo = MAX(lo, -EXACT_INT_MAX);
    g_autofree char *range = int_range_text(lo, hi);
    if (!cJSON_IsNumber(it))
        return fail_expected(ld, path, it, "%s", range);
    double v = it->valuedouble;
    if (!isfinite(v) || v != floor(v))
        return fail_expected(ld, path, it, "%s (a whole number)", range);
    if (v < (double)lo || v > (double)hi)
        return fail_expected(ld, path, it, "%s", range);
    *out = (int64_t)v;
    return TRUE;
}

static gboolean val_number(Loader *ld, const cJSON *it, const char *path, double lo, bool lo_open,
                           double hi, bool hi_open, double *out)
{
    g_autofree char *los = format_double(lo);
    g_autofree char *his = format_double(hi);
    g_autofree char *range = isinf(hi)
                                 ? g_strdup_printf("a number %s %s", lo_open ? ">" : ">=", los)
                                 : g_strdup_printf("a number in %s%s, %s%s", lo_open ? "(" : "[",
                                                   los, his, hi_open ? ")" : "]");
    if (!cJSON_IsNumber(it))
        return fail_expected(ld, path, it, "%s", range);
    double v = it->valuedouble;
    if (!isfinite(v) || v < lo || (lo_open && v == lo) || v > hi || (hi_open && v == hi))
        return fail_expected(ld, path, it, "%s", range);
    *out = v;
    return TRUE;
}

static gboolean val_size(Loader *ld, const cJSON *it, const char *path, uint64_t *out)
{
    if (cJSON_IsString(it)) {
        g_autofree char *why = NULL, *hint = NULL;
        if (!units_parse_size(it->valuestring, out, &why, &hint)) {
            g_autofree char *got = describe(it);
            return fail(ld, path, "expected %s, got %s%s%s%s", why, got,
                        hint ? "; did you mean \"" : "", hint ? hint : "", hint ? "\"?" : "");
        }
        return TRUE;
    }
    if (cJSON_IsNumber(it)) {
        double v = it->valuedouble;
        if (isfinite(v) && v > (double)EXACT_INT_MAX)
            return fail_expected(ld, path, it,
                                 "an integer number of bytes up to 2^53 (write larger sizes as "
                                 "strings such as \"64TiB\")");
        if (!isfinite(v) || v != floor(v) || v < 0)
            return fail_expected(ld, path, it, "a non-negative integer number of bytes");
        *out = (uint64_t)v;
        return TRUE;
    }
    return fail_expected(ld, path, it, "a size such as \"2GiB\" or an integer number of bytes");
}

static gboolean val_time(Loader *ld, const cJSON *it, const char *path, int64_t *out)
{
    if (cJSON_IsString(it)) {
        g_autofree char *why = NULL;
        if (!units_parse_time(it->valuestring, out, &why))
            return fail_expected(ld, path, it, "%s", why);
        return TRUE;
    }
    if (cJSON_IsNumber(it)) {
        double v = it->valuedouble;
        if (!isfinite(v) || v != floor(v) || v < 0 || v > (double)EXACT_INT_MAX)
            return fail_expected(ld, path, it, "a non-negative integer number of nanoseconds");
        *out = (int64_t)v;
        return TRUE;
    }
    return fail_expected(ld, path, it, "a time such as \"10ms\" or an integer number of ns");
}

static gboolean val_enum(Loader *ld, const cJSON *it, const char *path, const char *const *names,
                         int *out)
{
    if (cJSON_IsString(it)) {
        for (int i = 0; names[i]; i++) {
            if (!strcmp(names[i], it->valuestring)) {
                *out = i;
                return TRUE;
            }
        }
    }
    g_autofree char *list = join_names(names, true);
    g_autofree char *sug = did_you_mean(cJSON_IsString(it) ? it->valuestring : NULL, names);
    g_autofree char *got = describe(it);
    return fail(ld, path, "expected one of %s, got %s%s", list, got, sug);
}

static gboolean val_bool(Loader *ld, const cJSON *it, const char *path, bool *out)
{
    if (!cJSON_IsBool(it))
        return fail_expected(ld, path, it, "true or false");
    *out = cJSON_IsTrue(it);
    return TRUE;
}

static gboolean val_string(Loader *ld, const cJSON *it, const char *path, const char **out)
{
    if (!cJSON_IsString(it) || !it->valuestring[0])
        return fail_expected(ld, path, it, "a non-empty string");
    *out = it->valuestring;
    return TRUE;
}

/* opt_*: read obj.key if present (out untouched if absent). */

static gboolean opt_int(Loader *ld, const cJSON *obj, const char *path, const char *key, int64_t lo,
                        int64_t hi, int64_t *out)
{
    const cJSON *it = member(obj, key);
    g_autofree char *p = path_key(path, key);
    return !it || val_int(ld, it, p, lo, hi, out);
}

static gboolean opt_i32(Loader *ld, const cJSON *obj, const char *path, const char *key, int lo,
                        int hi, int *out)
{
    int64_t v = *out;
    if (!opt_int(ld, obj, path, key, lo, hi, &v))
        return FALSE;
    *out = (int)v;
    return TRUE;
}

static gboolean opt_number(Loader *ld, const cJSON *obj, const char *path, const char *key,
                           double lo, bool lo_open, double hi, bool hi_open, double *out)
{
    const cJSON *it = member(obj, key);
    g_autofree char *p = path_key(path, key);
    return !it || val_number(ld, it, p, lo, lo_open, hi, hi_open, out);
}

static gboolean opt_bool(Loader *ld, const cJSON *obj, const char *path, const char *key, bool *out)
{
    const cJSON *it = member(obj, key);
    g_autofree char *p = path_key(path, key);
    return !it || val_bool(ld, it, p, out);
}

static gboolean opt_enum(Loader *ld, const cJSON *obj, const char *path, const char *key,
                         const char *const *names, int *out)
{
    const cJSON *it = member(obj, key);
    g_autofree char *p = path_key(path, key);
    return !it || val_enum(ld, it, p, names, out);
}

/* A time that must be > 0 (min_ns 1) or >= 0 (min_ns 0). */
static gboolean opt_time(Loader *ld, const cJSON *obj, const char *path, const char *key,
                         int64_t min_ns, int64_t *out)
{
    const cJSON *it = member(obj, key);
    if (!it)
        return TRUE;
    g_autofree char *p = path_key(path, key);
    int64_t v;
    if (!val_time(ld, it, p, &v))
        return FALSE;
    if (v < min_ns)
        return fail_expected(ld, p, it, "a time > 0");
    *out = v;
    return TRUE;
}

/* Resolves a relative path against the scenario's folder and checks that a
 * readable regular file is there. */
static gboolean resolve_file(Loader *ld, const cJSON *it, const char *path, char **out)
{
    const char *s = NULL;
    if (!val_string(ld, it, path, &s))
        return FALSE;
    g_autofree char *full = g_path_is_absolute(s) || !strcmp(ld->dir, ".")
                                ? g_strdup(s)
                                : g_build_filename(ld->dir, s, NULL);
    if (!g_file_test(full, G_FILE_TEST_EXISTS))
        return fail_expected(ld, path, it, "an existing file (looked for %s)", full);
    if (g_file_test(full, G_FILE_TEST_IS_DIR))
        return fail_expected(ld, path, it, "a file, not a folder (%s)", full);
    if (g_access(full, R_OK) != 0)
        return fail_expected(ld, path, it, "a readable file (%s)", full);
    *out = g_steal_pointer(&full);
    return TRUE;
}

/* ---- machine ------------------------------------------------------------ */

static const char *const kind_names[] = {"dram", "cxl", "pmem", "hbm", NULL};
static const uint32_t kind_latency_ns[] = {90, 250, 300, 70};
static const char *const zone_names[] = {"normal", "movable", NULL};

static const char *const node_keys[] = {"id",
                                        "kind",
                                        "capacity",
                                        "cpus",
                                        "read_latency_ns",
                                        "write_latency_ns",
                                        "bandwidth_gbps",
                                        "zone",
                                        "abstract_distance",
                                        "preset",
                                        NULL};

/* What a node wrote itself, so presets and defaults only fill the rest. */
typedef struct NodeInput {
    char *path; /* owned; the node's JSON path, for messages */
    bool has_kind, has_read, has_write, has_bw;
    const NodePreset *preset;
} NodeInput;

static gboolean parse_node_cpus(Loader *ld, const cJSON *arr, const char *path, NodeParams *np)
{
    if (!cJSON_IsArray(arr))
        return fail_expected(ld, path, arr, "an array of CPU numbers");
    int n = cJSON_GetArraySize(arr);
    if (n > TS_MAX_CPUS)
        return fail_expected(ld, path, arr, "at most %d CPUs", TS_MAX_CPUS);
    np->cpus = n ? g_new(int, n) : NULL;
    const cJSON *el;
    int i = 0;
    cJSON_ArrayForEach(el, arr)
    {
        g_autofree char *p = path_idx(path, i);
        int64_t cpu;
        if (!val_int(ld, el, p, 0, TS_MAX_CPUS - 1, &cpu))
            return FALSE;
        int owner = ld->cpu_owner[cpu];
        if (owner == np->id)
            return fail(ld, p, "expected distinct CPUs, got CPU %d twice", (int)cpu);
        if (owner >= 0)
            return fail(ld, p, "expected a CPU of no other node, got CPU %d, already on node %d",
                        (int)cpu, owner);
        ld->cpu_owner[cpu] = np->id;
        np->cpus[i++] = (int)cpu;
        np->n_cpus = i;
    }
    return TRUE;
}

static gboolean parse_node(Loader *ld, const cJSON *obj, const char *path, int n_nodes,
                           NodeInput *inputs)
{
    MachineParams *m = &ld->sc->machine;
    if (!check_object(ld, obj, path, node_keys) ||
        !required(ld, obj, path, "id", "the node id, 0..n-1"))
        return FALSE;
    int64_t id;
    g_autofree char *idp = path_key(path, "id");
    const cJSON *idit = member(obj, "id");
    if (!val_int(ld, idit, idp, 0, INT32_MAX, &id))
        return FALSE;
    if (id >= n_nodes)
        return fail_expected(ld, idp, idit,
                             "a node id in 0..%d (ids are exactly 0..n-1 for the %d nodes)",
                             n_nodes - 1, n_nodes);
    NodeInput *in = &inputs[id];
    if (in->path)
        return fail(ld, idp, "expected a unique node id, got %d again (already used by %s)",
                    (int)id, in->path);
    in->path = g_strdup(path);
    NodeParams *np = &m->nodes[id];
    np->id = (int)id;
    np->abstract_distance = -1;

    int kind = NODE_KIND_DRAM, zone = ZONE_TYPE_NORMAL;
    in->has_kind = member(obj, "kind") != NULL;
    if (!opt_enum(ld, obj, path, "kind", kind_names, &kind) ||
        !opt_enum(ld, obj, path, "zone", zone_names, &zone))
        return FALSE;
    np->kind = (NodeKind)kind;
    np->zone = (ZoneType)zone;

    if (!required(ld, obj, path, "capacity", "a size such as \"2GiB\""))
        return FALSE;
    g_autofree char *capp = path_key(path, "capacity");
    const cJSON *cap = member(obj, "capacity");
    if (!val_size(ld, cap, capp, &np->capacity_bytes))
        return FALSE;
    if (np->capacity_bytes == 0)
        return fail_expected(ld, capp, cap, "a capacity > 0");
    if (np->capacity_bytes % m->page_size)
        return fail_expected(ld, capp, cap, "a multiple of page_size (%u bytes)", m->page_size);
    if (np->capacity_bytes / m->page_size < NODE_MIN_PAGES)
        return fail_expected(ld, capp, cap, "at least %d pages (%" G_GUINT64_FORMAT " bytes)",
                             NODE_MIN_PAGES, (uint64_t)NODE_MIN_PAGES * m->page_size);

    const cJSON *cpus = member(obj, "cpus");
    if (cpus) {
        g_autofree char *p = path_key(path, "cpus");
        if (!parse_node_cpus(ld, cpus, p, np))
            return FALSE;
    }

    int64_t lat;
    in->has_read = member(obj, "read_latency_ns") != NULL;
    in->has_write = member(obj, "write_latency_ns") != NULL;
    in->has_bw = member(obj, "bandwidth_gbps") != NULL;
    if (in->has_read) {
        if (!opt_int(ld, obj, path, "read_latency_ns", 1, UINT32_MAX, &lat))
            return FALSE;
        np->read_latency_ns = (uint32_t)lat;
    }
    if (in->has_write) {
        if (!opt_int(ld, obj, path, "write_latency_ns", 1, UINT32_MAX, &lat))
            return FALSE;
        np->write_latency_ns = (uint32_t)lat;
    }
    if (!opt_number(ld, obj, path, "bandwidth_gbps", 0, true, INFINITY, false,
                    &np->bandwidth_gbps) ||
        !opt_i32(ld, obj, path, "abstract_distance", 1, INT32_MAX, &np->abstract_distance))
        return FALSE;

    const cJSON *pre = member(obj, "preset");
    if (pre) {
        g_autofree char *p = path_key(path, "preset");
        int n;
        const NodePreset *table = node_presets(&n);
        const char *names[16];
        for (int i = 0; i < n && i < 15; i++)
            names[i] = table[i].name;
        names[MIN(n, 15)] = NULL;
        int which;
        if (!val_enum(ld, pre, p, names, &which))
            return FALSE;
        in->preset = &table[which];
        np->preset = g_strdup(in->preset->name);
    }
    return TRUE;
}

/* Latencies and bandwidth the node did not write: from its preset (relative
 * ones scale the reference node's values) or from its kind. */
static void node_fill(NodeParams *np, const NodeInput *in, const NodeParams *ref)
{
    const NodePreset *p = in->preset;
    bool rel = p && p->relative;
    if (!in->has_read)
        np->read_latency_ns = rel ? node_preset_latency(p, ref->read_latency_ns)
                              : p ? p->latency_ns
                                  : kind_latency_ns[np->kind];
    if (!in->has_write)
        np->write_latency_ns = rel ? node_preset_latency(p, ref->write_latency_ns)
                               : p ? p->latency_ns
                                   : np->read_latency_ns;
    if (!in->has_bw)
        np->bandwidth_gbps = rel ? node_preset_bandwidth(p, ref->bandwidth_gbps) : 0;
}

static gboolean resolve_nodes(Loader *ld, NodeInput *inputs)
{
    MachineParams *m = &ld->sc->machine;
    for (int i = 0; i < m->n_nodes; i++)
        if (!inputs[i].has_kind && inputs[i].preset)
            m->nodes[i].kind = inputs[i].preset->kind;
    int ref = -1;
    for (int i = 0; i < m->n_nodes && ref < 0; i++)
        if (m->nodes[i].kind == NODE_KIND_DRAM && m->nodes[i].n_cpus > 0)
            ref = i;
    if (ref >= 0) {
        if (inputs[ref].preset && inputs[ref].preset->relative) {
            g_autofree char *p = path_key(inputs[ref].path, "preset");
            return fail(ld, p,
                        "expected an absolute preset (\"dram\") on the reference DRAM node, got "
                        "\"%s\", which is relative to that same node",
                        inputs[ref].preset->name);
        }
        node_fill(&m->nodes[ref], &inputs[ref], NULL);
    }
    for (int i = 0; i < m->n_nodes; i++) {
        if (i == ref)
            continue;
        if (inputs[i].preset && inputs[i].preset->relative && ref < 0) {
            g_autofree char *p = path_key(inputs[i].path, "preset");
            return fail(ld, p,
                        "expected a reference DRAM node (kind dram, with CPUs) for preset \"%s\", "
                        "got none",
                        inputs[i].preset->name);
        }
        node_fill(&m->nodes[i], &inputs[i], ref >= 0 ? &m->nodes[ref] : NULL);
    }
    return TRUE;
}

static gboolean parse_nodes(Loader *ld, const cJSON *arr, const char *path)
{
    MachineParams *m = &ld->sc->machine;
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
        return fail_expected(ld, path, arr, "a non-empty array of nodes");
    int n = cJSON_GetArraySize(arr);
    if (n > TS_MAX_NODES)
        return fail_expected(ld, path, arr, "at most %d nodes", TS_MAX_NODES);
    m->n_nodes = n;
    NodeInput inputs[TS_MAX_NODES];
    memset(inputs, 0, sizeof(inputs));
    const cJSON *el;
    int i = 0;
    gboolean ok = TRUE;
    cJSON_ArrayForEach(el, arr)
    {
        g_autofree char *p = path_idx(path, i++);
        if (!(ok = parse_node(ld, el, p, n, inputs)))
            break;
    }
    if (ok) {
        bool any_cpu = false;
        for (int k = 0; k < n; k++)
            any_cpu = any_cpu || m->nodes[k].n_cpus > 0;
        if (!any_cpu)
            ok = fail(ld, path, "no node has a CPU; tasks need one");
    }
    ok = ok && resolve_nodes(ld, inputs);
    for (int k = 0; k < n; k++)
        g_free(inputs[k].path);
    return ok;
}

static gboolean parse_distances(Loader *ld, const cJSON *arr, const char *path)
{
    MachineParams *m = &ld->sc->machine;
    int n = m->n_nodes;
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != n)
        return fail_expected(ld, path, arr, "an array of %d row%s (one per node)", n,
                             n == 1 ? "" : "s");
    int i = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, arr)
    {
        g_autofree char *rp = path_idx(path, i);
        if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != n)
            return fail_expected(ld, rp, row, "a row of %d distances (the matrix is square)", n);
        int j = 0;
        const cJSON *el;
        cJSON_ArrayForEach(el, row)
        {
            g_autofree char *p = path_idx(rp, j);
            int64_t d;
            if (!val_int(ld, el, p, 0, INT32_MAX, &d))
                return FALSE;
            if (i == j && d != 10)
                return fail_expected(ld, p, el, "10 on the diagonal (a node's distance to itself)");
            if (i != j && (d < 11 || d > 254))
                return fail_expected(ld, p, el, "a distance between nodes in 11..254");
            if (j < i && d != m->distance[j][i])
                return fail_expected(ld, p, el,
                                     "%d, the value of distances[%d][%d] (the matrix is symmetric)",
                                     m->distance[j][i], j, i);
            m->distance[i][j] = (int)d;
            j++;
        }
        i++;
    }
    return TRUE;
}

static gboolean parse_swap(Loader *ld, const cJSON *obj, const char *path)
{
    static const char *const keys[] = {"capacity", "read_latency", "write_latency", NULL};
    SwapParams *s = &ld->sc->machine.swap;
    if (!check_object(ld, obj, path, keys))
        return FALSE;
    const cJSON *cap = member(obj, "capacity");
    if (cap) {
        g_autofree char *p = path_key(path, "capacity");
        if (!val_size(ld, cap, p, &s->capacity_bytes))
            return FALSE;
        if (s->capacity_bytes % ld->sc->machine.page_size)
            return fail_expected(ld, p, cap, "a multiple of page_size (%u bytes), or 0 for no swap",
                                 ld->sc->machine.page_size);
    }
    return opt_time(ld, obj, path, "read_latency", 1, &s->read_latency_ns) &&
           opt_time(ld, obj, path, "write_latency", 1, &s->write_latency_ns);
}

static gboolean parse_machine(Loader *ld, const cJSON *obj, const char *path)
{
    static const char *const keys[] = {"page_size", "nodes", "distances", "swap", NULL};
    MachineParams *m = &ld->sc->machine;
    if (!check_object(ld, obj, path, keys))
        return FALSE;
    const cJSON *ps = member(obj, "page_size");
    if (ps) {
        g_autofree char *p = path_key(path, "page_size");
        uint64_t v;
        if (!val_size(ld, ps, p, &v))
            return FALSE;
        if (v < 4096 || v > 65536 || (v & (v - 1)))
            return fail_expected(ld, p, ps, "a power of two in 4096..65536");
        m->page_size = (uint32_t)v;
    }
    if (!required(ld, obj, path, "nodes", "a non-empty array of nodes"))
        return FALSE;
    g_autofree char *np = path_key(path, "nodes");
    if (!parse_nodes(ld, member(obj, "nodes"), np))
        return FALSE;
    const cJSON *d = member(obj, "distances");
    if (d) {
        g_autofree char *p = path_key(path, "distances");
        if (!parse_distances(ld, d, p))
            return FALSE;
    }
    const cJSON *swap = member(obj, "swap");
    if (swap) {
        g_autofree char *p = path_key(path, "swap");
        if (!parse_swap(ld, swap, p))
            return FALSE;
    }
    return TRUE;
}

/* ---- kernel ------------------------------------------------------------- */

static gboolean parse_zswap(Loader *ld, const cJSON *obj, const char *path)
{
    static const char *const keys[] = {"enabled",
                                       "max_pool_percent",
                                       "accept_threshold_percent",
                                       "shrinker_enabled",
                                       "compressor",
                                       "incompressible",
                                       NULL};
    static const char *const compressors[] = {"lzo", "lz4", "zstd", NULL};
    static const char *const incompressible[] = {"store", "reject", NULL};
    ZswapParams *z = &ld->sc->machine.kernel.zswap;
    int comp = z->compressor, inc = z->incompressible;
    if (!check_object(ld, obj, path, keys) || !opt_bool(ld, obj, path, "enabled", &z->enabled) ||
        !opt_i32(ld, obj, path, "max_pool_percent", 1, 100, &z->max_pool_percent) ||
        !opt_i32(ld, obj, path, "accept_threshold_percent", 0, 100, &z->accept_threshold_percent) ||
        !opt_bool(ld, obj, path, "shrinker_enabled", &z->shrinker_enabled) ||
        !opt_enum(ld, obj, path, "compressor", compressors, &comp) ||
        !opt_enum(ld, obj, path, "incompressible", incompressible, &inc))
        return FALSE;
    z->compressor = (Compressor)comp;
    z->incompressible = (ZswapIncompressible)inc;
    return TRUE;
}

static gboolean parse_zsmalloc(Loader *ld, const cJSON *obj, const char *path)
{
    static const char *const keys[] = {"chain_size", "rule", NULL};
    static const char *const rules[] = {"current", "pre-6.3", NULL};
    ZsmallocParams *z = &ld->sc->machine.kernel.zsmalloc;
    int rule = ZS_RULE_CURRENT;
    if (!check_object(ld, obj, path, keys) || !opt_enum(ld, obj, path, "rule", rules, &rule))
        return FALSE;
    z->rule = (ZsRule)rule;
    if (z->rule == ZS_RULE_PRE_6_3) {
        z->chain_size = 4;
        const cJSON *cs = member(obj, "chain_size");
        g_autofree char *p = path_key(path, "chain_size");
        int64_t v;
        if (cs && !val_int(ld, cs, p, 4, 16, &v))
            return FALSE;
        if (cs && v != 4)
            return fail_expected(ld, p, cs,
                                 "4 (rule \"pre-6.3\" has a fixed maximum chain of 4 pages; "
                                 "chain_size 4..16 needs rule \"current\")");
        return TRUE;
    }
    return opt_i32(ld, obj, path, "chain_size", 4, 16, &z->chain_size);
}

static gboolean parse_kernel(Loader *ld, const cJSON *obj, const char *path)
{
    static const char *const keys[] = {"min_free_kbytes",
                                       "watermark_scale_factor",
                                       "swappiness",
                                       "demotion_enabled",
                                       "numa_balancing",
                                       "zswap",
                                       "zsmalloc",
                                       "numa_balancing_scan_period",
                                       "numa_balancing_scan_size_mb",
                                       "numa_balancing_hot_threshold_ms",
                                       "numa_balancing_promote_rate_limit_MBps",
                                       NULL};
    static const char *const balancing[] = {"off", "normal", "tiering", NULL};
    KernelParams *k = &ld->sc->machine.kernel;
    if (!check_object(ld, obj, path, keys))
        return FALSE;
    const cJSON *mfk = member(obj, "min_free_kbytes");
    if (mfk) {
        g_autofree char *p = path_key(path, "min_free_kbytes");
        if (cJSON_IsString(mfk)) {
            if (strcmp(mfk->valuestring, "auto") != 0)
                return fail_expected(ld, p, mfk, "\"auto\" or an integer in 128..67108864");
            k->min_free_kbytes = -1;
        } else if (!val_int(ld, mfk, p, 128, 67108864, &k->min_free_kbytes)) {
            return FALSE;
        }
    }
    int nb = k->numa_balancing;
    if (!opt_i32(ld, obj, path, "watermark_scale_factor", 1, 3000, &k->watermark_scale_factor) ||
        !opt_i32(ld, obj, path, "swappiness", 0, 200, &k->swappiness) ||
        !opt_bool(ld, obj, path, "demotion_enabled", &k->demotion_enabled) ||
        !opt_enum(ld, obj, path, "numa_balancing", balancing, &nb) ||
        !opt_time(ld, obj, path, "numa_balancing_scan_period", 1, &k->numa_scan_period_ns) ||
        !opt_int(ld, obj, path, "numa_balancing_scan_size_mb", 1, 1048576, &k->numa_scan_size_mb) ||
        !opt_int(ld, obj, path, "numa_balancing_hot_threshold_ms", 1, 3600000,
                 &k->numa_hot_threshold_ms) ||
        !opt_int(ld, obj, path, "numa_balancing_promote_rate_limit_MBps", 1, 1048576,
                 &k->numa_promote_rate_limit_mbps))
        return FALSE;
    k->numa_balancing = (NumaBalancing)nb;
    const cJSON *z = member(obj, "zswap");
    if (z) {
        g_autofree char *p = path_key(path, "zswap");
        if (!parse_zswap(ld, z, p))
            return FALSE;
    }
    z = member(obj, "zsmalloc");
    if (z) {
        g_autofree char *p = path_key(path, "zsmalloc");
        if (!parse_zsmalloc(ld, z, p))
            return FALSE;
    }
    return TRUE;
}

/* ---- placement ---------------------------------------------------------- */

static gboolean check_policy_name(Loader *ld, const cJSON *it, const char *path)
{
    const char *const *names = placement_policy_names();
    if (cJSON_IsString(it) && placement_policy_exists(it->valuestring))
        return TRUE;
    g_autofree char *list = join_names(names, true);
    g_autofree char *sug = did_you_mean(cJSON_IsString(it) ? it->valuestring : NULL, names);
    g_autofree char *got = describe(it);
    return fail(ld, path, "expected a placement policy, one of %s, got %s%s", list, got, sug);
}

static gboolean parse_placement(Loader *ld, const cJSON *it, const char *path)
{
    Scenario *sc = ld->sc;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    gboolean ok = TRUE;
    if (cJSON_IsArray(it)) {
        if (cJSON_GetArraySize(it) == 0)
            ok = fail_expected(ld, path, it, "a policy name or a non-empty array of names");
        int i = 0;
        const cJSON *el;
        cJSON_ArrayForEach(el, it)
        {
            if (!ok)
                break;
            g_autofree char *p = path_idx(path, i++);
            if (!(ok = check_policy_name(ld, el, p)))
                break;
            for (guint k = 0; k < names->len; k++)
                if (!strcmp(names->pdata[k], el->valuestring))
                    ok = fail(ld, p, "expected distinct policy names, got \"%s\" again (%s[%u])",
                              el->valuestring, path, k);
            g_ptr_array_add(names, g_strdup(el->valuestring));
        }
    } else if (cJSON_IsString(it)) {
        ok = check_policy_name(ld, it, path);
        g_ptr_array_add(names, g_strdup(it->valuestring));
    } else {
        ok = fail_expected(ld, path, it, "a policy name or a non-empty array of names");
    }
    if (!ok) {
        g_ptr_array_free(names, TRUE);
        return FALSE;
    }
    g_strfreev(sc->policies);
    sc->n_policies = (int)names->len;
    g_ptr_array_set_free_func(names, NULL);
    g_ptr_array_add(names, NULL);
    sc->policies = (char **)g_ptr_array_free(names, FALSE);
    g_free(sc->machine.placement);
    sc->machine.placement = g_strdup(sc->policies[0]);
    return TRUE;
}

/* ---- compressibility, costs, run ----------------------------------------- */

static gboolean parse_compress(Loader *ld, const cJSON *obj, const char *path)
{
    static const char *const keys[] = {
        "model", "compressed_bytes", "ratio", "histogram", "zero_fraction",
        "path",  "compressor",       NULL};
    static const char *const models[] = {"fixed", "ratio", "distribution", "corpus", NULL};
    /* Which model each model-specific key belongs to. */
    static const struct {
        const char *key;
        CompressModel model;
    } owner[] = {{"compressed_bytes", COMPRESS_FIXED},
                 {"ratio", COMPRESS_RATIO},
                 {"histogram", COMPRESS_DISTRIBUTION},
                 {"path", COMPRESS_CORPUS},
                 {"compressor", COMPRESS_CORPUS}};
    static const char *const corpus_compressors[] = {"lz4", "zstd", NULL};
    CompressParams *c = &ld->sc->machine.compress;
    uint32_t page = ld->sc->machine.page_size;
    int model = COMPRESS_FIXED;
    if (!check_object(ld, obj, path, keys) || !opt_enum(ld, obj, path, "model", models, &model))
        return FALSE;
    c->model = (CompressModel)model;
    for (gsize i = 0; i < G_N_ELEMENTS(owner); i++) {
        if (member(obj, owner[i].key) && owner[i].model != c->model) {
            g_autofree char *p = path_key(path, owner[i].key);
            return fail(ld, p, "expected only keys of model \"%s\", got %s, a key of model \"%s\"",
                        models[c->model], owner[i].key, models[owner[i].model]);
        }
    }
    int64_t cb = c->compressed_bytes;
    if (!opt_int(ld, obj, path, "compressed_bytes", 1, page, &cb) ||
        !opt_number(ld, obj, path, "ratio", 1.0, false, INFINITY, false, &c->ratio) ||
        !opt_number(ld, obj, path, "zero_fraction", 0, false, 1, false, &c->zero_fraction))
        return FALSE;
    c->compressed_bytes = (uint32_t)cb;
    if (c->model == COMPRESS_DISTRIBUTION) {
        static const char *const bucket_keys[] = {"bytes", "weight", NULL};
        if (!required(ld, obj, path, "histogram", "a non-empty array of {bytes, weight}"))
            return FALSE;
        const cJSON *h = member(obj, "histogram");
        g_autofree char *hp = path_key(path, "histogram");
        if (!cJSON_IsArray(h) || cJSON_GetArraySize(h) == 0)
            return fail_expected(ld, hp, h, "a non-empty array of {bytes, weight}");
        c->buckets = g_new0(CompressBucket, cJSON_GetArraySize(h));
        const cJSON *el;
        cJSON_ArrayForEach(el, h)
        {
            g_autofree char *p = path_idx(hp, c->n_buckets);
            CompressBucket *b = &c->buckets[c->n_buckets++];
            int64_t bytes;
            if (!check_object(ld, el, p, bucket_keys) ||
                !required(ld, el, p, "bytes", "a compressed size in bytes") ||
                !required(ld, el, p, "weight", "a relative weight > 0") ||
                !opt_int(ld, el, p, "bytes", 1, page, &bytes) ||
                !opt_number(ld, el, p, "weight", 0, true, INFINITY, false, &b->weight))
                return FALSE;
            b->bytes = (uint32_t)bytes;
        }
    }
    if (c->model == COMPRESS_CORPUS) {
        int comp = c->corpus_compressor == COMPRESSOR_ZSTD ? 1 : 0;
        if (!required(ld, obj, path, "path", "a file whose pages are compressed") ||
            !opt_enum(ld, obj, path, "compressor", corpus_compressors, &comp))
            return FALSE;
        c->corpus_compressor = comp ? COMPRESSOR_ZSTD : COMPRESSOR_LZ4;
        g_autofree char *p = path_key(path, "path");
        if (!resolve_file(ld, member(obj, "path"), p, &c->corpus_path))
            return FALSE;
    }
    return TRUE;
}

static gboolean parse_costs_per_compressor(Loader *ld, const cJSON *obj, const char *path,
                                           int64_t *ns)
{
    static const char *const keys[] = {"lzo", "lz4", "zstd", NULL};
    if (!check_object(ld, obj, path, keys))
        return FALSE;
    for (int i = 0; keys[i]; i++)
        if (!opt_time(ld, obj, path, keys[i], 0, &ns[i]))
            return FALSE;
    return TRUE;
}

static gboolean parse_costs(Loader *ld, const cJSON *obj, const char *path)
{
    static const char *const keys[] = {"fault",    "reclaim_scan", "migrate", "swap_submit",
                                       "compress", "decompress",   NULL};
    CostParams *c = &ld->sc->machine.costs;
    if (!check_object(ld, obj, path, keys) || !opt_time(ld, obj, path, "fault", 0, &c->fault_ns) ||
        !opt_time(ld, obj, path, "reclaim_scan", 0, &c->reclaim_scan_ns) ||
        !opt_time(ld, obj, path, "migrate", 0, &c->migrate_ns) ||
        !opt_time(ld, obj, path, "swap_submit", 0, &c->swap_submit_ns))
        return FALSE;
    const cJSON *cc = member(obj, "compress");
    if (cc) {
        g_autofree char *p = path_key(path, "compress");
        if (!parse_costs_per_compressor(ld, cc, p, c->compress_ns))
            return FALSE;
    }
    cc = member(obj, "decompress");
    if (cc) {
        g_autofree char *p = path_key(path, "decompress");
        if (!parse_costs_per_compressor(ld, cc, p, c->decompress_ns))
            return FALSE;
    }
    return TRUE;
}

static gboolean parse_run(Loader *ld, const cJSON *obj, const char *path)
{
    static const char *const keys[] = {"sample_interval", "check_every",       "max_time",
                                       "parallelism",     "all_dram_baseline", NULL};
    Scenario *sc = ld->sc;
    int64_t every = 0;
    int64_t par = sc->parallelism;
    if (!check_object(ld, obj, path, keys) ||
        !opt_time(ld, obj, path, "sample_interval", 1, &sc->sample_interval_ns) ||
        !opt_int(ld, obj, path, "check_every", 0, EXACT_INT_MAX, &every) ||
        !opt_time(ld, obj, path, "max_time", 1, &sc->max_time_ns) ||
        !opt_int(ld, obj, path, "parallelism", 1, 4096, &par) ||
        !opt_bool(ld, obj, path, "all_dram_baseline", &sc->all_dram_baseline))
        return FALSE;
    sc->check_every = (uint64_t)every;
    sc->parallelism = (int)par;
    return TRUE;
}

/* ---- mempolicy, workload, tasks ----------------------------------------- */

static gboolean parse_mempolicy(Loader *ld, const cJSON *obj, const char *path, Mempolicy *out)
{
    static const char *const keys[] = {"mode", "nodes", NULL};
    static const char *const modes[] = {"default",   "local",      "bind",
                                        "preferred", "interleave", NULL};
    static const MempolicyMode mode_of[] = {MPOL_MODE_DEFAULT, MPOL_MODE_DEFAULT, MPOL_MODE_BIND,
                                            MPOL_MODE_PREFERRED, MPOL_MODE_INTERLEAVE};
    int n_nodes = ld->sc->machine.n_nodes;
    int mode;
    if (!check_object(ld, obj, path, keys) ||
        !required(ld, obj, path, "mode", "one of default, local, bind, preferred, interleave") ||
        !opt_enum(ld, obj, path, "mode", modes, &mode))
        return FALSE;
    out->mode = mode_of[mode];
    out->nodes = 0;
    const cJSON *arr = member(obj, "nodes");
    g_autofree char *np = path_key(path, "nodes");
    int count = 0;
    if (arr) {
        if (!cJSON_IsArray(arr))
            return fail_expected(ld, np, arr, "an array of node ids");
        const cJSON *el;
        cJSON_ArrayForEach(el, arr)
        {
            g_autofree char *p = path_idx(np, count++);
            int64_t id;
            if (!val_int(ld, el, p, 0, INT32_MAX, &id))
                return FALSE;
            if (id >= n_nodes)
                return fail_expected(ld, p, el, "an existing node id (0..%d)", n_nodes - 1);
            if (out->nodes & ((NodeMask)1 << id))
                return fail_expected(ld, p, el, "distinct node ids");
            out->nodes |= (NodeMask)1 << id;
        }
    }
    const char *mname = modes[mode];
    if (out->mode == MPOL_MODE_DEFAULT && count > 0)
        return fail_expected(ld, np, arr, "no nodes for mode \"%s\" (it allocates locally)", mname);
    if (out->mode == MPOL_MODE_PREFERRED && count != 1)
        return fail_expected(ld, np, arr, "exactly one node for mode \"preferred\"");
    if ((out->mode == MPOL_MODE_BIND || out->mode == MPOL_MODE_INTERLEAVE) && count == 0)
        return fail_expected(ld, np, arr, "at least one node for mode \"%s\"", mname);
    return TRUE;
}

static const char *const pattern_names[] = {"sequential", "uniform", "zipf", "hotcold", NULL};

static gboolean parse_phase(Loader *ld, const cJSON *obj, const char *path, GenPhase *ph,
                            PhasePolicy *pp)
{
    static const char *const keys[] = {"pid",       "region",   "pattern",      "size",
                                       "passes",    "accesses", "op",           "write_fraction",
                                       "rate",      "theta",    "hot_fraction", "hot_probability",
                                       "mempolicy", NULL};
    static const char *const ops[] = {"read", "write", NULL};
    /* Keys that only one pattern takes. */
    static const struct {
        const char *key;
        GenPattern pattern;
    } owner[] = {
        {"theta", GEN_ZIPF}, {"hot_fraction", GEN_HOTCOLD}, {"hot_probability", GEN_HOTCOLD}};
    uint32_t page = ld->sc->machine.page_size;
    ph->pid = 1;
    ph->passes = 1;
    ph->theta = 0.99;
    ph->hot_fraction = 0.2;
    ph->hot_probability = 0.8;
    if (!check_object(ld, obj, path, keys))
        return FALSE;
    int64_t pid = 1;
    int pattern;
    if (!opt_int(ld, obj, path, "pid", 1, INT32_MAX, &pid) ||
        !required(ld, obj, path, "pattern", "one of sequential, uniform, zipf, hotcold") ||
        !opt_enum(ld, obj, path, "pattern", pattern_names, &pattern) ||
        !required(ld, obj, path, "size", "a size such as \"512MiB\""))
        return FALSE;
    ph->pid = (uint32_t)pid;
    ph->pattern = (GenPattern)pattern;
    const cJSON *region = member(obj, "region");
    const char *rname = "default";
    if (region) {
        g_autofree char *p = path_key(path, "region");
        if (!val_string(ld, region, p, &rname))
            return FALSE;
    }
    ph->region = g_strdup(rname);

    g_autofree char *sp = path_key(path, "size");
    const cJSON *size = member(obj, "size");
    if (!val_size(ld, size, sp, &ph->size_bytes))
        return FALSE;
    if (ph->size_bytes < page || ph->size_bytes > PHASE_SIZE_MAX)
        return fail_expected(ld, sp, size,
                             "a size of at least page_size (%u bytes) and at most 256TiB", page);

    for (gsize i = 0; i < G_N_ELEMENTS(owner); i++) {
        if (member(obj, owner[i].key) && owner[i].pattern != ph->pattern) {
            g_autofree char *p = path_key(path, owner[i].key);
            return fail(ld, p,
                        "expected only keys of pattern \"%s\", got %s, a key of pattern \"%s\"",
                        pattern_names[ph->pattern], owner[i].key, pattern_names[owner[i].pattern]);
        }
    }
    if (member(obj, "passes") && member(obj, "accesses")) {
        g_autofree char *p = path_key(path, "accesses");
        return fail(ld, p, "expected either passes or accesses, got both");
    }
    if (member(obj, "op") && member(obj, "write_fraction")) {
        g_autofree char *p = path_key(path, "write_fraction");
        return fail(ld, p, "expected either op or write_fraction, got both");
    }
    int64_t passes = 1, accesses = 0;
    int op = 0;
    if (!opt_int(ld, obj, path, "passes", 1, EXACT_INT_MAX, &passes) ||
        !opt_int(ld, obj, path, "accesses", 1, EXACT_INT_MAX, &accesses) ||
        !opt_enum(ld, obj, path, "op", ops, &op) ||
        !opt_number(ld, obj, path, "write_fraction", 0, false, 1, false, &ph->write_fraction) ||
        !opt_number(ld, obj, path, "rate", 0, true, INFINITY, false, &ph->rate) ||
        !opt_number(ld, obj, path, "theta", 0, true, 10, false, &ph->theta) ||
        !opt_number(ld, obj, path, "hot_fraction", 0, true, 1, true, &ph->hot_fraction) ||
        !opt_number(ld, obj, path, "hot_probability", 0, false, 1, false, &ph->hot_probability))
        return FALSE;
    if (member(obj, "op"))
        ph->write_fraction = op;
    if (accesses) {
        ph->accesses = (uint64_t)accesses;
        ph->passes = 0;
    } else {
        /* Keep passes x pages countable: the generator sums accesses in 64 bits. */
        uint64_t pages = (ph->size_bytes + page - 1) / page;
        ph->passes = (uint64_t)passes;
        if (ph->passes > (uint64_t)EXACT_INT_MAX / pages) {
            g_autofree char *p = path_key(path, "passes");
            return fail(ld, p,
                        "expected at most 2^53 accesses in a phase, got %" G_GUINT64_FORMAT
                        " passes over %" G_GUINT64_FORMAT " pages",
                        ph->passes, pages);
        }
    }
    const cJSON *mp = member(obj, "mempolicy");
    if (mp) {
        g_autofree char *p = path_key(path, "mempolicy");
        if (!parse_mempolicy(ld, mp, p, &pp->policy))
            return FALSE;
        pp->set = true;
    }
    return TRUE;
}

static gboolean parse_generator(Loader *ld, const cJSON *obj, const char *path)
{
    static const char *const keys[] = {"phases", NULL};
    Scenario *sc = ld->sc;
    if (!check_object(ld, obj, path, keys) ||
        !required(ld, obj, path, "phases", "a non-empty array of phases"))
        return FALSE;
    const cJSON *arr = member(obj, "phases");
    g_autofree char *ap = path_key(path, "phases");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
        return fail_expected(ld, ap, arr, "a non-empty array of phases");
    int n = cJSON_GetArraySize(arr);
    sc->gen.phases = g_new0(GenPhase, n);
    sc->phase_policies = g_new0(PhasePolicy, n);
    const cJSON *el;
    cJSON_ArrayForEach(el, arr)
    {
        int i = sc->gen.n_phases++;
        g_autofree char *p = path_idx(ap, i);
        if (!parse_phase(ld, el, p, &sc->gen.phases[i], &sc->phase_policies[i]))
            return FALSE;
    }
    return TRUE;
}

static gboolean parse_trace(Loader *ld, const cJSON *obj, const char *path)
{
    static const char *const keys[] = {"path", "format",         "time_unit", "clock_ghz",
                                       "rate", "skip_bad_lines", NULL};
    static const char *const formats[] = {"auto", "native", "text",      "lackey",   "pinatrace",
                                          "perf", "damon",  "ramulator", "prospero", NULL};
    static const char *const units[] = {"ns", "us", "ms", "s", NULL};
    static const int64_t unit_ns[] = {1, 1000, 1000000, 1000000000};
    TraceSpec *t = &ld->sc->trace;
    int format = 0, unit = -1;
    if (!check_object(ld, obj, path, keys) ||
        !required(ld, obj, path, "path", "the trace file, relative to the scenario's folder"))
        return FALSE;
    g_autofree char *pp = path_key(path, "path");
    if (!resolve_file(ld, member(obj, "path"), pp, &t->path) ||
        !opt_enum(ld, obj, path, "format", formats, &format) ||
        !opt_enum(ld, obj, path, "time_unit", units, &unit) ||
        !opt_number(ld, obj, path, "clock_ghz", 0, true, INFINITY, false, &t->clock_ghz) ||
        !opt_number(ld, obj, path, "rate", 0, true, INFINITY, false, &t->rate) ||
        !opt_bool(ld, obj, path, "skip_bad_lines", &t->skip_bad_lines))
        return FALSE;
    g_free(t->format);
    t->format = g_strdup(formats[format]);
    t->time_unit_ns = unit >= 0 ? unit_ns[unit] : 0;
    return TRUE;
}

static gboolean parse_workload(Loader *ld, const cJSON *obj, const char *path)
{
    static const char *const keys[] = {"generator", "trace", NULL};
    if (!check_object(ld, obj, path, keys))
        return FALSE;
    const cJSON *gen = member(obj, "generator");
    const cJSON *trace = member(obj, "trace");
    if (gen && trace)
        return fail(ld, path, "expected exactly one of generator or trace, got both");
    if (!gen && !trace)
        return fail(ld, path, "expected exactly one of generator or trace, got neither");
    if (gen) {
        ld->sc->workload_kind = WORKLOAD_GENERATOR;
        g_autofree char *p = path_key(path, "generator");
        return parse_generator(ld, gen, p);
    }
    ld->sc->workload_kind = WORKLOAD_TRACE;
    g_autofree char *p = path_key(path, "trace");
    return parse_trace(ld, trace, p);
}

/* "0-3, 8" for the CPUs of the machine (newly allocated). */
static char *cpu_list(const Loader *ld)
{
    GString *s = g_string_new(NULL);
    for (int c = 0; c < TS_MAX_CPUS; c++) {
        if (ld->cpu_owner[c] < 0)
            continue;
        int e = c;
        while (e + 1 < TS_MAX_CPUS && ld->cpu_owner[e + 1] >= 0)
            e++;
        g_string_append_printf(s, "%s%d", s->len ? ", " : "", c);
        if (e > c)
            g_string_append_printf(s, "-%d", e);
        c = e;
    }
    return g_string_free(s, FALSE);
}

static int cmp_int(gconstpointer a, gconstpointer b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Without a tasks array every generator pid gets a task on the lowest CPU
 * with the default policy, in pid order. */
static void implicit_tasks(Loader *ld)
{
    Scenario *sc = ld->sc;
    g_autoptr(GHashTable) seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(int));
    for (int i = 0; i < sc->gen.n_phases; i++) {
        int pid = (int)sc->gen.phases[i].pid;
        if (g_hash_table_add(seen, GINT_TO_POINTER(pid)))
            g_array_append_val(pids, pid);
    }
    g_array_sort(pids, cmp_int);
    sc->machine.n_tasks = (int)pids->len;
    sc->machine.tasks = pids->len ? g_new0(TaskParams, pids->len) : NULL;
    for (guint i = 0; i < pids->len; i++) {
        TaskParams *t = &sc->machine.tasks[i];
        t->pid = g_array_index(pids, int, i);
        t->cpu = ld->lowest_cpu;
        t->mempolicy.mode = MPOL_MODE_DEFAULT;
    }
}

static gboolean parse_tasks(Loader *ld, const cJSON *arr, const char *path)
{
    static const char *const keys[] = {"pid", "cpu", "mempolicy", NULL};
    Scenario *sc = ld->sc;
    if (!cJSON_IsArray(arr))
        return fail_expected(ld, path, arr, "an array of tasks {pid, cpu, mempolicy}");
    int n = cJSON_GetArraySize(arr);
    sc->machine.tasks = n ? g_new0(TaskParams, n) : NULL;
    g_autoptr(GHashTable) index_of = g_hash_table_new(g_direct_hash, g_direct_equal);
    const cJSON *el;
    cJSON_ArrayForEach(el, arr)
    {
        int i = sc->machine.n_tasks++;
        TaskParams *t = &sc->machine.tasks[i];
        g_autofree char *p = path_idx(path, i);
        int64_t pid, cpu = ld->lowest_cpu;
        if (!check_object(ld, el, p, keys) ||
            !required(ld, el, p, "pid", "a positive process id") ||
            !opt_int(ld, el, p, "pid", 1, INT32_MAX, &pid) ||
            !opt_int(ld, el, p, "cpu", 0, INT32_MAX, &cpu))
            return FALSE;
        if (cpu >= TS_MAX_CPUS || ld->cpu_owner[cpu] < 0) {
            g_autofree char *cp = path_key(p, "cpu");
            g_autofree char *cpus = cpu_list(ld);
            return fail(ld, cp, "expected a CPU of some node (%s), got CPU %d, which is on no node",
                        cpus, (int)cpu);
        }
        gpointer prev;
        if (g_hash_table_lookup_extended(index_of, GINT_TO_POINTER(pid), NULL, &prev)) {
            g_autofree char *pidp = path_key(p, "pid");
            return fail(ld, pidp, "expected a unique pid, got %d again (%s[%d])", (int)pid, path,
                        GPOINTER_TO_INT(prev));
        }
        g_hash_table_insert(index_of, GINT_TO_POINTER(pid), GINT_TO_POINTER(i));
        t->pid = (int)pid;
        t->cpu = (int)cpu;
        const cJSON *mp = member(el, "mempolicy");
        if (mp) {
            g_autofree char *mpp = path_key(p, "mempolicy");
            if (!parse_mempolicy(ld, mp, mpp, &t->mempolicy))
                return FALSE;
        }
    }
    if (sc->workload_kind != WORKLOAD_GENERATOR)
        return TRUE;
    for (int i = 0; i < sc->gen.n_phases; i++) {
        int pid = (int)sc->gen.phases[i].pid;
        if (g_hash_table_contains(index_of, GINT_TO_POINTER(pid)))
            continue;
        g_autofree char *pp = g_strdup_printf("workload.generator.phases[%d].pid", i);
        return fail(ld, pp,
                    "expected a pid listed in tasks, got %d (list it in tasks, or leave tasks "
                    "out to give every pid a default task)",
                    pid);
    }
    return TRUE;
}

/* ---- top level and public API ------------------------------------------- */

static gboolean parse_root(Loader *ld, const cJSON *root)
{
    static const char *const keys[] = {
        "name",  "seed",     "machine",         "kernel", "placement", "placement_options",
        "tasks", "workload", "compressibility", "costs",  "run",       NULL};
    Scenario *sc = ld->sc;
    if (!cJSON_IsObject(root))
        return fail_expected(ld, "", root, "a JSON object at the top level");
    if (!check_object(ld, root, "", keys))
        return FALSE;
    const cJSON *name = member(root, "name");
    if (name) {
        const char *s = NULL;
        if (!val_string(ld, name, "name", &s))
            return FALSE;
        g_free(sc->name);
        sc->name = g_strdup(s);
    }
    int64_t seed = (int64_t)sc->machine.seed;
    if (!opt_int(ld, root, "", "seed", 0, EXACT_INT_MAX, &seed))
        return FALSE;
    sc->machine.seed = (uint64_t)seed;

    if (!required(ld, root, "", "machine", "an object with page_size, nodes, distances, swap") ||
        !parse_machine(ld, member(root, "machine"), "machine"))
        return FALSE;
    ld->lowest_cpu = -1;
    for (int c = TS_MAX_CPUS - 1; c >= 0; c--)
        if (ld->cpu_owner[c] >= 0)
            ld->lowest_cpu = c;
    sc->machine.compress.compressed_bytes = sc->machine.page_size / 3;

    const cJSON *it;
    if ((it = member(root, "kernel")) && !parse_kernel(ld, it, "kernel"))
        return FALSE;
    if ((it = member(root, "placement")) && !parse_placement(ld, it, "placement"))
        return FALSE;
    if ((it = member(root, "placement_options"))) {
        static const char *const po_keys[] = {"strict_fallback", NULL};
        if (!check_object(ld, it, "placement_options", po_keys) ||
            !opt_bool(ld, it, "placement_options", "strict_fallback", &sc->machine.strict_fallback))
            return FALSE;
    }
    if ((it = member(root, "compressibility")) && !parse_compress(ld, it, "compressibility"))
        return FALSE;
    if ((it = member(root, "costs")) && !parse_costs(ld, it, "costs"))
        return FALSE;
    if ((it = member(root, "run")) && !parse_run(ld, it, "run"))
        return FALSE;
    if (!required(ld, root, "", "workload", "an object with generator or trace") ||
        !parse_workload(ld, member(root, "workload"), "workload"))
        return FALSE;
    if ((it = member(root, "tasks")))
        return parse_tasks(ld, it, "tasks");
    if (sc->workload_kind == WORKLOAD_GENERATOR)
        implicit_tasks(ld);
    return TRUE;
}

/* "what went wrong" for a syntax error at text[off] (newly allocated). */
static char *syntax_what(const char *text, gsize len, gsize off)
{
    if (off >= len)
        return g_strdup("unexpected end of input (an unclosed object, array or string?)");
    unsigned char c = (unsigned char)text[off];
    gsize k = off;
    while (k > 0 && (unsigned char)text[k - 1] <= 32)
        k--;
    if ((c == '}' || c == ']') && k > 0 && text[k - 1] == ',')
        return g_strdup_printf("unexpected '%c' after a trailing comma", c);
    if (c == '\'')
        return g_strdup("unexpected \"'\": JSON strings use double quotes");
    if (c == '/')
        return g_strdup("unexpected '/': JSON has no comments");
    if (c >= 33 && c < 127)
        return g_strdup_printf("unexpected '%c'", c);
    return g_strdup_printf("unexpected byte 0x%02x", c);
}

Scenario *scenario_load_from_data(const char *path, const char *text, gsize len, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    g_return_val_if_fail(text != NULL || len == 0, NULL);
    g_autoptr(Scenario) sc = g_new0(Scenario, 1);
    sc->path = g_strdup(path);
    /* A private copy with one extra space: cJSON clamps an error offset at
     * the end of its buffer to the last byte, which would blame the last
     * character for a premature end; with a trailing space an offset >= len
     * always means "end of input". The echo ends at len. */
    sc->json_text = g_malloc(len + 2);
    if (len)
        memcpy(sc->json_text, text, len);
    sc->json_text[len] = ' ';
    sc->json_text[len + 1] = '\0';
    machine_params_init_defaults(&sc->machine);
    sc->n_policies = 1;
    sc->policies = g_new0(char *, 2);
    sc->policies[0] = g_strdup(sc->machine.placement);
    sc->sample_interval_ns = 10 * 1000 * 1000;
    sc->parallelism = 1;
    sc->all_dram_baseline = true;
    sc->trace.format = g_strdup("auto");
    g_autofree char *base = g_path_get_basename(path);
    if (g_str_has_suffix(base, ".json"))
        base[strlen(base) - 5] = '\0';
    sc->name = g_strdup(base);

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(sc->json_text, len + 1, &end, FALSE);
    sc->json_text[len] = '\0';
    gsize off = end && end >= sc->json_text ? (gsize)(end - sc->json_text) : 0;
    off = MIN(off, len);
    bool trailing = false;
    if (root) {
        while (off < len && (unsigned char)sc->json_text[off] <= 32)
            off++;
        trailing = off < len;
        if (trailing) {
            cJSON_Delete(root);
            root = NULL;
        }
    }
    if (!root) {
        gsize k = 0;
        while (k < len && (unsigned char)sc->json_text[k] <= 32)
            k++;
        /* cJSON reports a bad object key one byte past it: step back when
         * the byte before follows '{' or ','. */
        if (!trailing && off > 0 && (unsigned char)sc->json_text[off - 1] > 32 &&
            sc->json_text[off - 1] != '"') {
            gsize b = off - 1;
            while (b > 0 && (unsigned char)sc->json_text[b - 1] <= 32)
                b--;
            if (b > 0 && (sc->json_text[b - 1] == '{' || sc->json_text[b - 1] == ','))
                off--;
        }
        JsonPos pos = k == len ? (JsonPos){1, 1} : json_pos_of_offset(sc->json_text, len, off);
        g_autofree char *what = k == len ? g_strdup("empty input, expected a JSON object")
                                         : syntax_what(sc->json_text, len, off);
        g_set_error(error, TIERSIM_SCENARIO_ERROR, SCENARIO_ERROR_SYNTAX,
                    "%s:%d:%d: JSON syntax error: %s%s", path, pos.line, pos.col, what,
                    trailing ? " after the end of the JSON value" : "");
        return NULL;
    }
    Loader ld = {.file = path, .sc = sc, .error = error};
    ld.dir = g_path_get_dirname(path);
    ld.pos = json_pos_index_new(sc->json_text, len);
    for (int c = 0; c < TS_MAX_CPUS; c++)
        ld.cpu_owner[c] = -1;
    gboolean ok = parse_root(&ld, root);
    cJSON_Delete(root);
    json_pos_index_free(ld.pos);
    g_free(ld.dir);
    if (!ok)
        return NULL;
    return g_steal_pointer(&sc);
}

Scenario *scenario_load(const char *path, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    GError *io = NULL;
    if (!g_file_get_contents(path, &text, &len, &io)) {
        g_set_error(error, TIERSIM_SCENARIO_ERROR, SCENARIO_ERROR_IO, "%s: cannot read: %s", path,
                    io->message);
        g_error_free(io);
        return NULL;
    }
    return scenario_load_from_data(path, text, len, error);
}

void scenario_free(Scenario *sc)
{
    if (!sc)
        return;
    g_free(sc->path);
    g_free(sc->name);
    machine_params_clear(&sc->machine);
    g_strfreev(sc->policies);
    gen_spec_clear(&sc->gen);
    g_free(sc->phase_policies);
    g_free(sc->trace.path);
    g_free(sc->trace.format);
    g_free(sc->json_text);
    g_free(sc);
}
