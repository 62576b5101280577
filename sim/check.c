/*
 * check.c - flattening, tolerances and the comparison table of `tiersim
 * check`. The rules are specified in check.h.
 */
#include "sim/check.h"

#include <cjson/cJSON.h>
#include <float.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK(check - error - quark, check_error)

/* Keys whose subtrees hold no metrics: the echoed scenario, the version
 * (which changes every release without anything moving) and sampled series
 * (compared through the summary metrics, not point by point). */
static const char *const CHECK_SKIPPED_KEYS[] = {"scenario", "tiersim_version", "timeseries"};

/* The default-tolerance table of check.h. */
static const char *const CHECK_RATE_SUFFIXES[] = {"_ratio", "_ns", "_percent", "_per_s"};
static const char *const CHECK_RATE_WORDS[] = {"latency", "mean",    "p50",      "p90",
                                               "p99",     "density", "efficacy", "slowdown"};
#define CHECK_RATE_DEFAULT 1e-9

/* Doubles hold integers exactly up to 2^53; beyond, print in %g form. */
#define CHECK_EXACT_INT_MAX 9007199254740992.0

struct CheckInput {
    char *name;
    cJSON *doc;      /* NULL for an empty input */
    GArray *metrics; /* CheckMetric; strings in `strings` */
    GStringChunk *strings;
    GHashTable *index; /* path (borrowed) -> index + 1 */
};

typedef struct CheckRule {
    char *name;
    GPatternSpec *pattern;
    CheckTolerance tol;
} CheckRule;

struct CheckRules {
    GPtrArray *rules; /* CheckRule */
};

struct CheckReport {
    GArray *rows; /* CheckRow */
    guint n_changed;
    gboolean *rule_used;
    guint n_rules;
};

/* ---- numbers ---- */

/* Prints v with `prec` significant digits in the C locale, exponent without
 * zero padding ("1e-9", not "1e-09"). */
static void fmt_g(double v, int prec, char *buf, gsize size)
{
    char fmt[8];
    g_snprintf(fmt, sizeof fmt, "%%.%dg", prec);
    g_ascii_formatd(buf, (gint)size, fmt, v);
    char *e = strchr(buf, 'e');
    if (!e)
        return;
    char *digits = e + 1;
    if (*digits == '+' || *digits == '-')
        digits++;
    char *first = digits;
    while (first[0] == '0' && first[1] != '\0')
        first++;
    memmove(digits, first, strlen(first) + 1);
}

/* The shortest text that reads back as exactly v; integers in plain form. */
static void fmt_number(double v, char *buf, gsize size)
{
    if (isnan(v)) {
        g_strlcpy(buf, "nan", size);
        return;
    }
    if (isinf(v)) {
        g_strlcpy(buf, v > 0 ? "inf" : "-inf", size);
        return;
    }
    if (v == floor(v) && fabs(v) <= CHECK_EXACT_INT_MAX) {
        fmt_g(v, 17, buf, size); /* integral and < 2^53: %g prints every digit */
        if (!strchr(buf, 'e'))
            return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        fmt_g(v, prec, buf, size);
        if (g_ascii_strtod(buf, NULL) == v)
            return;
    }
}

/* Strings that writers use for values JSON numbers cannot hold. */
static gboolean parse_nonfinite(const char *s, CheckValue *out)
{
    const char *p = s;
    double sign = 1.0;
    if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1.0 : 1.0;
        p++;
    }
    if (!g_ascii_strcasecmp(p, "nan")) {
        *out = (CheckValue){CHECK_VALUE_NAN, NAN};
        return TRUE;
    }
    if (!g_ascii_strcasecmp(p, "inf") || !g_ascii_strcasecmp(p, "infinity")) {
        *out = (CheckValue){CHECK_VALUE_NUMBER, sign * INFINITY};
        return TRUE;
    }
    return FALSE;
}

static gboolean is_skipped_key(const char *key)
{
    for (gsize i = 0; i < G_N_ELEMENTS(CHECK_SKIPPED_KEYS); i++)
        if (!strcmp(key, CHECK_SKIPPED_KEYS[i]))
            return TRUE;
    return FALSE;
}

/* ---- loading and flattening ---- */

static CheckInput *input_alloc(const char *name)
{
    CheckInput *in = g_new0(CheckInput, 1);
    in->name = g_strdup(name);
    in->metrics = g_array_new(FALSE, FALSE, sizeof(CheckMetric));
    in->strings = g_string_chunk_new(4096);
    in->index = g_hash_table_new(g_str_hash, g_str_equal);
    return in;
}

CheckInput *check_input_new_empty(const char *name)
{
    return input_alloc(name);
}

void check_input_free(CheckInput *in)
{
    if (!in)
        return;
    g_free(in->name);
    cJSON_Delete(in->doc);
    g_array_free(in->metrics, TRUE);
    g_string_chunk_free(in->strings);
    g_hash_table_destroy(in->index);
    g_free(in);
}

static gboolean add_metric(CheckInput *in, const GString *path, const char *key, CheckValue value,
                           GError **error)
{
    if (g_hash_table_contains(in->index, path->str)) {
        g_set_error(error, CHECK_ERROR, CHECK_ERROR_SHAPE,
                    "%s: two values flatten to the metric path '%s' (a duplicate key?)", in->name,
                    path->str);
        return FALSE;
    }
    CheckMetric m = {
        .path = g_string_chunk_insert_len(in->strings, path->str, (gssize)path->len),
        .key = g_string_chunk_insert_const(in->strings, key),
        .value = value,
    };
    g_array_append_val(in->metrics, m);
    g_hash_table_insert(in->index, (gpointer)m.path, GUINT_TO_POINTER(in->metrics->len));
    return TRUE;
}

/* Depth is bounded by cJSON's nesting limit (1000). */
static gboolean flatten(CheckInput *in, const cJSON *item, GString *path, const char *key,
                        GError **error)
{
    gsize mark = path->len;
    gboolean ok = TRUE;
    CheckValue v;

    if (cJSON_IsObject(item)) {
        for (const cJSON *c = item->child; c && ok; c = c->next) {
            if (is_skipped_key(c->string))
                continue;
            if (path->len)
                g_string_append_c(path, '.');
            g_string_append(path, c->string);
            ok = flatten(in, c, path, c->string, error);
            g_string_truncate(path, mark);
        }
    } else if (cJSON_IsArray(item)) {
        guint i = 0;
        for (const cJSON *c = item->child; c && ok; c = c->next, i++) {
            g_string_append_printf(path, "[%u]", i);
            ok = flatten(in, c, path, key, error);
            g_string_truncate(path, mark);
        }
    } else if (cJSON_IsNumber(item)) {
        ok = add_metric(in, path, key, (CheckValue){CHECK_VALUE_NUMBER, item->valuedouble}, error);
    } else if (cJSON_IsBool(item)) {
        v = (CheckValue){CHECK_VALUE_BOOL, cJSON_IsTrue(item) ? 1.0 : 0.0};
        ok = add_metric(in, path, key, v, error);
    } else if (cJSON_IsNull(item)) {
        ok = add_metric(in, path, key, (CheckValue){CHECK_VALUE_NULL, NAN}, error);
    } else if (cJSON_IsString(item) && parse_nonfinite(item->valuestring, &v)) {
        ok = add_metric(in, path, key, v, error);
    }
    return ok;
}

/* 1-based line and byte column of text[offset]. */
static void locate(const char *text, gsize offset, guint *line, guint *col)
{
    *line = 1;
    gsize bol = 0;
    for (gsize i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            (*line)++;
            bol = i + 1;
        }
    }
    *col = (guint)(offset - bol + 1);
}

/* A short printable excerpt of the text at the error, for the message. */
static char *excerpt(const char *text, gsize len, gsize offset)
{
    if (offset >= len)
        return g_strdup("end of file");
    GString *s = g_string_new("'");
    for (gsize i = offset; i < len && i < offset + 16 && text[i] != '\n'; i++)
        g_string_append_c(s, g_ascii_isprint(text[i]) ? text[i] : '?');
    g_string_append_c(s, '\'');
    return g_string_free(s, FALSE);
}

CheckInput *check_input_parse(const char *text, gsize len, const char *name, GError **error)
{
    guint line, col;
    if (!text)
        text = "";
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        locate(text, (gsize)(nul - text), &line, &col);
        g_set_error(error, CHECK_ERROR, CHECK_ERROR_PARSE, "%s:%u:%u: malformed JSON: a NUL byte",
                    name, line, col);
        return NULL;
    }
    /* cJSON checks for trailing garbage only up to a terminating NUL inside
     * the buffer, so hand it one. */
    g_autofree char *buf = g_strndup(text, len);
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(buf, len + 1, &end, TRUE);
    if (!doc) {
        gsize off = end && end >= buf ? (gsize)(end - buf) : 0;
        if (off > len)
            off = len;
        locate(buf, off, &line, &col);
        g_autofree char *near = excerpt(buf, len, off);
        g_set_error(error, CHECK_ERROR, CHECK_ERROR_PARSE, "%s:%u:%u: malformed JSON near %s", name,
                    line, col, near);
        return NULL;
    }
    if (!cJSON_IsObject(doc)) {
        g_set_error(error, CHECK_ERROR, CHECK_ERROR_SHAPE,
                    "%s: expected a JSON object (a summary.json or compare.json) at the top level",
                    name);
        cJSON_Delete(doc);
        return NULL;
    }
    CheckInput *in = input_alloc(name);
    in->doc = doc;
    g_autoptr(GString) path = g_string_new(NULL);
    if (!flatten(in, doc, path, "", error)) {
        check_input_free(in);
        return NULL;
    }
    return in;
}

CheckInput *check_input_load(const char *path, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    GError *local = NULL;
    if (!g_file_get_contents(path, &text, &len, &local)) {
        g_set_error(error, CHECK_ERROR, CHECK_ERROR_READ, "%s", local->message);
        g_error_free(local);
        return NULL;
    }
    return check_input_parse(text, len, path, error);
}

guint check_input_n_metrics(const CheckInput *in)
{
    return in->metrics->len;
}

const CheckMetric *check_input_metric(const CheckInput *in, guint i)
{
    g_return_val_if_fail(i < in->metrics->len, NULL);
    return &g_array_index(in->metrics, CheckMetric, i);
}

const CheckMetric *check_input_lookup(const CheckInput *in, const char *path)
{
    guint i = GPOINTER_TO_UINT(g_hash_table_lookup(in->index, path));
    return i ? &g_array_index(in->metrics, CheckMetric, i - 1) : NULL;
}

/* ---- writing a baseline ---- */

static void write_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            g_string_append(out, "\\\"");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        case '\n':
            g_string_append(out, "\\n");
            break;
        case '\t':
            g_string_append(out, "\\t");
            break;
        case '\r':
            g_string_append(out, "\\r");
            break;
        default:
            if (*p < 0x20)
                g_string_append_printf(out, "\\u%04x", *p);
            else
                g_string_append_c(out, (char)*p);
        }
    }
    g_string_append_c(out, '"');
}

static gboolean is_container(const cJSON *item)
{
    return cJSON_IsObject(item) || cJSON_IsArray(item);
}

static void write_value(GString *out, const cJSON *item, int depth)
{
    char num[40];
    if (cJSON_IsNumber(item)) {
        /* A literal beyond the double range was read as +-inf: keep it as
         * the string that loads back as the same value. */
        fmt_number(item->valuedouble, num, sizeof num);
        if (isinf(item->valuedouble))
            write_string(out, num);
        else
            g_string_append(out, num);
    } else if (cJSON_IsString(item)) {
        write_string(out, item->valuestring);
    } else if (cJSON_IsBool(item)) {
        g_string_append(out, cJSON_IsTrue(item) ? "true" : "false");
    } else if (cJSON_IsNull(item)) {
        g_string_append(out, "null");
    } else if (cJSON_IsArray(item)) {
        /* Arrays of scalars (a matrix row, a histogram) stay on one line. */
        gboolean flat = TRUE;
        for (const cJSON *c = item->child; c; c = c->next)
            flat = flat && !is_container(c);
        g_string_append_c(out, '[');
        for (const cJSON *c = item->child; c; c = c->next) {
            if (flat) {
                if (c != item->child)
                    g_string_append(out, ", ");
            } else {
                g_string_append_printf(out, "%s\n%*s", c != item->child ? "," : "", 2 * (depth + 1),
                                       "");
            }
            write_value(out, c, depth + 1);
        }
        if (!flat && item->child)
            g_string_append_printf(out, "\n%*s", 2 * depth, "");
        g_string_append_c(out, ']');
    } else if (cJSON_IsObject(item)) {
        gboolean any = FALSE;
        g_string_append_c(out, '{');
        for (const cJSON *c = item->child; c; c = c->next) {
            if (is_skipped_key(c->string))
                continue;
            g_string_append_printf(out, "%s\n%*s", any ? "," : "", 2 * (depth + 1), "");
            write_string(out, c->string);
            g_string_append(out, ": ");
            write_value(out, c, depth + 1);
            any = TRUE;
        }
        if (any)
            g_string_append_printf(out, "\n%*s", 2 * depth, "");
        g_string_append_c(out, '}');
    }
}

char *check_input_to_baseline(const CheckInput *in, gsize *len)
{
    GString *out = g_string_new(NULL);
    if (in->doc)
        write_value(out, in->doc, 0);
    else
        g_string_append(out, "{}");
    g_string_append_c(out, '\n');
    if (len)
        *len = out->len;
    return g_string_free(out, FALSE);
}

gboolean check_write_baseline(const CheckInput *in, const char *path, GError **error)
{
    gsize len;
    g_autofree char *text = check_input_to_baseline(in, &len);
    GError *local = NULL;
    /* CONSISTENT|DURABLE: a temporary file beside `path`, fsync, rename over
     * it, fsync of the folder; a crash leaves the old baseline or the new. */
    if (!g_file_set_contents_full(path, text, (gssize)len,
                                  G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                  0644, &local)) {
        g_set_error(error, CHECK_ERROR, CHECK_ERROR_WRITE, "cannot write baseline %s: %s", path,
                    local->message);
        g_error_free(local);
        return FALSE;
    }
    return TRUE;
}

/* ---- tolerances ---- */

/* A limit: a plain non-negative decimal number, nothing before or after. */
static gboolean parse_limit(const char *s, const char *end, double *out)
{
    if (s == end || !(g_ascii_isdigit(*s) || *s == '.'))
        return FALSE;
    for (const char *p = s; p < end; p++) /* no hex, no "inf" */
        if (!g_ascii_isdigit(*p) && !strchr(".eE+-", *p))
            return FALSE;
    char *stop = NULL;
    double v = g_ascii_strtod(s, &stop);
    if (stop != end || !isfinite(v) || v < 0)
        return FALSE;
    *out = v;
    return TRUE;
}

gboolean check_tolerance_parse(const char *spec, CheckTolerance *out, GError **error)
{
    CheckTolerance t = {CHECK_TOL_EXACT, 0.0, FALSE};
    gsize n = strlen(spec);
    gboolean ok;
    if (!strcmp(spec, "exact")) {
        ok = TRUE;
    } else if (g_str_has_prefix(spec, "abs:")) {
        t.kind = CHECK_TOL_ABSOLUTE;
        ok = parse_limit(spec + 4, spec + n, &t.limit);
    } else if (g_str_has_prefix(spec, "rel:")) {
        t.kind = CHECK_TOL_RELATIVE;
        ok = parse_limit(spec + 4, spec + n, &t.limit);
    } else if (n > 1 && spec[n - 1] == '%') {
        t.kind = CHECK_TOL_RELATIVE;
        t.percent = TRUE;
        ok = parse_limit(spec, spec + n - 1, &t.limit);
        t.limit /= 100.0;
    } else {
        ok = FALSE;
    }
    if (!ok) {
        g_set_error(error, CHECK_ERROR, CHECK_ERROR_TOLERANCE,
                    "tolerance '%s': expected X%% (relative), rel:X (relative, as a fraction), "
                    "abs:X (absolute) or exact, with X a number >= 0",
                    spec);
        return FALSE;
    }
    *out = t;
    return TRUE;
}

void check_tolerance_format(const CheckTolerance *tol, char *buf, gsize size)
{
    char num[40];
    switch (tol->kind) {
    case CHECK_TOL_EXACT:
        g_strlcpy(buf, "exact", size);
        return;
    case CHECK_TOL_ABSOLUTE:
        fmt_g(tol->limit, 15, num, sizeof num);
        g_snprintf(buf, size, "abs:%s", num);
        return;
    case CHECK_TOL_RELATIVE:
        /* 15 digits hide the rounding of X/100 (7% is 0.07000000000000001). */
        fmt_g(tol->percent ? tol->limit * 100.0 : tol->limit, 15, num, sizeof num);
        g_snprintf(buf, size, tol->percent ? "%s%%" : "rel:%s", num);
        return;
    }
    g_assert_not_reached();
}

static gboolean is_rate_name(const char *key)
{
    for (gsize i = 0; i < G_N_ELEMENTS(CHECK_RATE_SUFFIXES); i++)
        if (g_str_has_suffix(key, CHECK_RATE_SUFFIXES[i]))
            return TRUE;
    for (gsize i = 0; i < G_N_ELEMENTS(CHECK_RATE_WORDS); i++)
        if (strstr(key, CHECK_RATE_WORDS[i]))
            return TRUE;
    return FALSE;
}

CheckTolerance check_tolerance_default(const char *key, const CheckValue *value)
{
    CheckTolerance rel = {CHECK_TOL_RELATIVE, CHECK_RATE_DEFAULT, FALSE};
    CheckTolerance exact = {CHECK_TOL_EXACT, 0.0, FALSE};
    if (is_rate_name(key))
        return rel;
    if (value && value->kind == CHECK_VALUE_NUMBER && isfinite(value->v) &&
        value->v != floor(value->v))
        return rel;
    return exact;
}

gboolean check_within(const CheckTolerance *tol, const CheckValue *base, const CheckValue *now)
{
    gboolean base_num = base->kind == CHECK_VALUE_NUMBER || base->kind == CHECK_VALUE_BOOL;
    gboolean now_num = now->kind == CHECK_VALUE_NUMBER || now->kind == CHECK_VALUE_BOOL;
    if (!base_num || !now_num)
        return base->kind == now->kind;
    double b = base->v, n = now->v;
    if (!isfinite(b) || !isfinite(n))
        return b == n;
    if (b == n)
        return TRUE;
    double diff = fabs(n - b);
    /* Slack for the rounding of the subtraction and of limit * |b|, so that
     * a change of exactly the limit in decimal passes. */
    double slack = 2.0 * DBL_EPSILON * fmax(fabs(b), fabs(n));
    switch (tol->kind) {
    case CHECK_TOL_EXACT:
        return FALSE;
    case CHECK_TOL_ABSOLUTE:
        return diff <= tol->limit + slack;
    case CHECK_TOL_RELATIVE:
        return diff <= tol->limit * fabs(b) + slack;
    }
    g_assert_not_reached();
}

/* ---- --tolerance rules ---- */

static void rule_free(gpointer p)
{
    CheckRule *r = p;
    g_free(r->name);
    g_pattern_spec_free(r->pattern);
    g_free(r);
}

CheckRules *check_rules_new(void)
{
    CheckRules *rules = g_new0(CheckRules, 1);
    rules->rules = g_ptr_array_new_with_free_func(rule_free);
    return rules;
}

void check_rules_free(CheckRules *rules)
{
    if (!rules)
        return;
    g_ptr_array_free(rules->rules, TRUE);
    g_free(rules);
}

gboolean check_rules_add(CheckRules *rules, const char *option, GError **error)
{
    const char *eq = strrchr(option, '=');
    if (!eq || eq == option) {
        g_set_error(error, CHECK_ERROR, CHECK_ERROR_TOLERANCE,
                    "--tolerance '%s': expected NAME=TOLERANCE, NAME a metric path or a glob "
                    "such as '*.pswpout'",
                    option);
        return FALSE;
    }
    CheckTolerance tol;
    GError *local = NULL;
    if (!check_tolerance_parse(eq + 1, &tol, &local)) {
        g_set_error(error, CHECK_ERROR, CHECK_ERROR_TOLERANCE, "--tolerance '%s': %s", option,
                    local->message);
        g_error_free(local);
        return FALSE;
    }
    CheckRule *r = g_new0(CheckRule, 1);
    r->name = g_strndup(option, (gsize)(eq - option));
    r->pattern = g_pattern_spec_new(r->name);
    r->tol = tol;
    g_ptr_array_add(rules->rules, r);
    return TRUE;
}

guint check_rules_count(const CheckRules *rules)
{
    return rules ? rules->rules->len : 0;
}

const char *check_rules_name(const CheckRules *rules, guint i)
{
    g_return_val_if_fail(rules && i < rules->rules->len, NULL);
    return ((const CheckRule *)g_ptr_array_index(rules->rules, i))->name;
}

/* The tolerance for `m`: the last rule that matches it, else the default.
 * Marks every rule that matches as used. O(rules). */
static CheckTolerance pick_tolerance(const CheckRules *rules, const CheckMetric *m, gboolean *used,
                                     int *rule)
{
    *rule = -1;
    CheckTolerance tol = check_tolerance_default(m->key, &m->value);
    for (guint i = 0; i < check_rules_count(rules); i++) {
        const CheckRule *r = g_ptr_array_index(rules->rules, i);
        if (g_pattern_spec_match_string(r->pattern, m->path)) {
            used[i] = TRUE;
            tol = r->tol;
            *rule = (int)i;
        }
    }
    return tol;
}

/* ---- comparison ---- */

static void add_row(CheckReport *rep, const CheckRow *row)
{
    g_array_append_val(rep->rows, *row);
    if (row->verdict != CHECK_VERDICT_OK)
        rep->n_changed++;
}

CheckReport *check_compare(const CheckInput *baseline, const CheckInput *result,
                           const CheckRules *rules)
{
    CheckReport *rep = g_new0(CheckReport, 1);
    rep->rows = g_array_new(FALSE, FALSE, sizeof(CheckRow));
    rep->n_rules = check_rules_count(rules);
    rep->rule_used = g_new0(gboolean, rep->n_rules + 1);

    for (guint i = 0; i < check_input_n_metrics(baseline); i++) {
        const CheckMetric *b = check_input_metric(baseline, i);
        const CheckMetric *n = check_input_lookup(result, b->path);
        CheckRow row = {.path = b->path, .base = &b->value, .now = n ? &n->value : NULL};
        row.tol = pick_tolerance(rules, b, rep->rule_used, &row.rule);
        if (n) {
            row.verdict = check_within(&row.tol, row.base, row.now) ? CHECK_VERDICT_OK
                                                                    : CHECK_VERDICT_CHANGED;
        } else {
            row.verdict = CHECK_VERDICT_MISSING;
        }
        add_row(rep, &row);
    }
    for (guint i = 0; i < check_input_n_metrics(result); i++) {
        const CheckMetric *n = check_input_metric(result, i);
        if (check_input_lookup(baseline, n->path))
            continue;
        CheckRow row = {.path = n->path, .verdict = CHECK_VERDICT_NEW, .now = &n->value};
        row.tol = pick_tolerance(rules, n, rep->rule_used, &row.rule);
        add_row(rep, &row);
    }
    return rep;
}

void check_report_free(CheckReport *rep)
{
    if (!rep)
        return;
    g_array_free(rep->rows, TRUE);
    g_free(rep->rule_used);
    g_free(rep);
}

guint check_report_n_rows(const CheckReport *rep)
{
    return rep->rows->len;
}

const CheckRow *check_report_row(const CheckReport *rep, guint i)
{
    g_return_val_if_fail(i < rep->rows->len, NULL);
    return &g_array_index(rep->rows, CheckRow, i);
}

guint check_report_n_changed(const CheckReport *rep)
{
    return rep->n_changed;
}

gboolean check_report_passed(const CheckReport *rep)
{
    return rep->n_changed == 0;
}

gboolean check_report_rule_used(const CheckReport *rep, guint i)
{
    g_return_val_if_fail(i < rep->n_rules, FALSE);
    return rep->rule_used[i];
}

const char *check_verdict_name(CheckVerdict verdict)
{
    switch (verdict) {
    case CHECK_VERDICT_OK:
        return "ok";
    case CHECK_VERDICT_CHANGED:
        return "CHANGED";
    case CHECK_VERDICT_MISSING:
        return "MISSING";
    case CHECK_VERDICT_NEW:
        return "NEW";
    }
    g_assert_not_reached();
}

/* ---- the table ---- */

enum { COL_METRIC, COL_BASE, COL_NOW, COL_CHANGE, COL_REL, COL_TOL, COL_VERDICT, N_COLS };

static const char *const COL_TITLES[N_COLS] = {"metric",  "baseline",  "now",    "change",
                                               "change%", "tolerance", "verdict"};
/* Numbers right-aligned, text left-aligned. */
static const gboolean COL_RIGHT[N_COLS] = {FALSE, TRUE, TRUE, TRUE, TRUE, FALSE, FALSE};

static char *value_text(const CheckValue *v)
{
    char buf[40];
    if (!v)
        return g_strdup("-");
    switch (v->kind) {
    case CHECK_VALUE_NULL:
        return g_strdup("null");
    case CHECK_VALUE_NAN:
        return g_strdup("nan");
    case CHECK_VALUE_BOOL:
        return g_strdup(v->v != 0.0 ? "true" : "false");
    case CHECK_VALUE_NUMBER:
        fmt_number(v->v, buf, sizeof buf);
        return g_strdup(buf);
    }
    g_assert_not_reached();
}

/* Absolute and relative change; "-" when a side is absent, "n/a" when a side
 * is not a finite number or the relative change divides by zero. */
static void change_text(const CheckRow *row, char **abs_out, char **rel_out)
{
    if (!row->base || !row->now) {
        *abs_out = g_strdup("-");
        *rel_out = g_strdup("-");
        return;
    }
    gboolean nums =
        (row->base->kind == CHECK_VALUE_NUMBER || row->base->kind == CHECK_VALUE_BOOL) &&
        (row->now->kind == CHECK_VALUE_NUMBER || row->now->kind == CHECK_VALUE_BOOL) &&
        isfinite(row->base->v) && isfinite(row->now->v);
    if (!nums) {
        *abs_out = g_strdup("n/a");
        *rel_out = g_strdup("n/a");
        return;
    }
    double b = row->base->v, d = row->now->v - row->base->v;
    char buf[48];
    if (d == 0) {
        *abs_out = g_strdup("0");
    } else if (d == floor(d) && fabs(d) <= CHECK_EXACT_INT_MAX) {
        fmt_g(d, 17, buf, sizeof buf);
        *abs_out = g_strdup_printf("%s%s", d > 0 ? "+" : "", buf);
    } else {
        fmt_g(d, 6, buf, sizeof buf);
        *abs_out = g_strdup_printf("%s%s", d > 0 ? "+" : "", buf);
    }
    if (d == 0) {
        *rel_out = g_strdup("0%");
    } else if (b == 0) {
        *rel_out = g_strdup("n/a");
    } else {
        double r = 100.0 * d / fabs(b);
        fmt_g(r, 3, buf, sizeof buf);
        *rel_out = g_strdup_printf("%s%s%%", r > 0 ? "+" : "", buf);
    }
}

static void append_padded(GString *out, const char *s, gsize width, gboolean right, gboolean last)
{
    gsize n = g_utf8_strlen(s, -1);
    gsize pad = width > n ? width - n : 0;
    if (right)
        g_string_append_printf(out, "%*s", (int)pad, "");
    g_string_append(out, s);
    if (!right && !last)
        g_string_append_printf(out, "%*s", (int)pad, "");
}

char *check_report_format(const CheckReport *rep, gboolean quiet)
{
    GPtrArray *cells = g_ptr_array_new_with_free_func(g_free);
    gsize width[N_COLS] = {0};

    for (int c = 0; c < N_COLS; c++)
        g_ptr_array_add(cells, g_strdup(COL_TITLES[c]));
    for (guint i = 0; i < rep->rows->len; i++) {
        const CheckRow *row = &g_array_index(rep->rows, CheckRow, i);
        if (quiet && row->verdict == CHECK_VERDICT_OK)
            continue;
        char tol[48], *abs_text, *rel_text;
        check_tolerance_format(&row->tol, tol, sizeof tol);
        change_text(row, &abs_text, &rel_text);
        g_ptr_array_add(cells, g_strdup(row->path));
        g_ptr_array_add(cells, value_text(row->base));
        g_ptr_array_add(cells, value_text(row->now));
        g_ptr_array_add(cells, abs_text);
        g_ptr_array_add(cells, rel_text);
        g_ptr_array_add(cells, g_strdup(tol));
        g_ptr_array_add(cells, g_strdup(check_verdict_name(row->verdict)));
    }

    GString *out = g_string_new(NULL);
    guint n_lines = cells->len / N_COLS;
    if (n_lines > 1) { /* a header alone is not printed */
        for (guint i = 0; i < cells->len; i++) {
            gsize n = g_utf8_strlen(g_ptr_array_index(cells, i), -1);
            width[i % N_COLS] = MAX(width[i % N_COLS], n);
        }
        for (guint l = 0; l < n_lines; l++) {
            for (int c = 0; c < N_COLS; c++) {
                if (c)
                    g_string_append(out, "  ");
                append_padded(out, g_ptr_array_index(cells, l * N_COLS + (guint)c), width[c],
                              COL_RIGHT[c], c == N_COLS - 1);
            }
            g_string_append_c(out, '\n');
        }
    }
    g_ptr_array_free(cells, TRUE);
    return g_string_free(out, FALSE);
}

char *check_report_verdict_line(const CheckReport *rep)
{
    guint n = rep->rows->len;
    const char *noun = n == 1 ? "metric" : "metrics";
    if (rep->n_changed == 0)
        return g_strdup_printf("check: %u %s, 0 changed", n, noun);
    return g_strdup_printf("check: FAILED, %u of %u %s changed", rep->n_changed, n, noun);
}
