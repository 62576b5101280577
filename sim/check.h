/*
 * check.h - the regression gate behind `tiersim check`: compares the metrics
 * of a result (summary.json of `tiersim run`, compare.json of `tiersim
 * compare`) with a committed baseline, each within a tolerance.
 *
 * Metrics. Any JSON object is accepted. Its metrics are its numeric leaves,
 * flattened to dotted paths in document order: object keys are joined with
 * '.', array elements get "[i]" (`vmstat.pswpout`, `nodes.1.vmstat.nr_zspages`,
 * `placement.bytes[0][1]`, `policies.origin.inversion_bytes_peak`). Booleans
 * are metrics worth 0 and 1 (shown as true/false). Not metrics, skipped with
 * their whole subtree at any depth: the keys "scenario" (the echoed
 * scenario), "tiersim_version" and "timeseries"; and every string leaf, except
 * the strings below that spell a non-finite value. Keys are used verbatim, so
 * two leaves that flatten to the same path (a duplicate key) are an error.
 *
 * Non-finite values. A JSON number cannot be NaN, so writers emit null or a
 * string. null, and the strings "nan", "inf", "+inf", "-inf", "infinity",
 * "+infinity", "-infinity" (any case, "-nan" too) are metrics with that value;
 * a number literal too large for a double (1e999) counts as infinity. Two
 * such values compare equal when they are the same (null = null, NaN = NaN,
 * +inf = +inf) whatever the tolerance; null or NaN or an infinity opposite a
 * number, or against one another, is CHANGED.
 *
 * Tolerances. A baseline value b and a result value n are within
 *   exact        n == b
 *   abs:X        |n - b| <= X
 *   X% / rel:X   |n - b| <= X/100 * |b| (or X * |b| for rel:X), so b = 0
 *                allows no change
 * A difference equal to the limit passes; to keep decimal limits exact
 * (0.3 -> 0.315 at 5%), abs and rel allow a further 2 ulps of the operands'
 * magnitude, the rounding of the subtraction and the product.
 *
 * Default tolerances, from the metric's name: its last object key (`bytes`
 * for `placement.bytes[0][1]`), matched case-sensitively.
 *
 *   | kind                       | name                                     | default  |
 *   |----------------------------|------------------------------------------|----------|
 *   | rates, ratios, latencies   | ends in _ratio, _ns, _percent, _per_s;   | rel:1e-9 |
 *   |                            | or contains latency, mean, p50, p90,     |          |
 *   |                            | p99, density, efficacy, slowdown         |          |
 *   | counts (kernel counters,   | any other name, baseline value integral  | exact    |
 *   | bytes, pages, booleans)    |                                          |          |
 *   | other fractional values    | any other name, baseline value not an    | rel:1e-9 |
 *   |                            | integer                                  |          |
 *
 * The simulator is deterministic, so under the same seed every metric should
 * repeat exactly; rel:1e-9 only absorbs the printing of doubles. --tolerance
 * rules (a path or a GPatternSpec glob such as `*.pswpout`, later rules win)
 * override the default.
 *
 * Verdicts: ok (within), CHANGED (beyond, in either direction: an improvement
 * is accepted by updating the baseline on purpose), MISSING (in the baseline,
 * not in the result), NEW (in the result, not in the baseline). Any verdict
 * but ok fails the check.
 *
 * Cost: loading is O(file size); comparing is O(metrics x rules) with one
 * hash lookup per metric. No globals; everything is reentrant.
 */
#ifndef TIERSIM_SIM_CHECK_H
#define TIERSIM_SIM_CHECK_H

#include <glib.h>

#define CHECK_ERROR (check_error_quark())
GQuark check_error_quark(void);

typedef enum {
    CHECK_ERROR_READ,      /* the file could not be read */
    CHECK_ERROR_PARSE,     /* malformed JSON (message: FILE:LINE:COL) */
    CHECK_ERROR_SHAPE,     /* valid JSON that is not a metrics object */
    CHECK_ERROR_TOLERANCE, /* a --tolerance that does not parse */
    CHECK_ERROR_WRITE,     /* the baseline could not be written */
} CheckErrorCode;

typedef enum {
    CHECK_VALUE_NUMBER, /* v: finite or +-inf */
    CHECK_VALUE_BOOL,   /* v: 0 or 1 */
    CHECK_VALUE_NAN,    /* the string "nan" */
    CHECK_VALUE_NULL,   /* JSON null */
} CheckValueKind;

typedef struct CheckValue {
    CheckValueKind kind;
    double v;
} CheckValue;

typedef struct CheckMetric {
    const char *path; /* "nodes.1.vmstat.nr_zspages" */
    const char *key;  /* its last object key ("nr_zspages"), "" at the root */
    CheckValue value;
} CheckMetric;

typedef enum {
    CHECK_TOL_EXACT,
    CHECK_TOL_ABSOLUTE, /* limit in the metric's own unit */
    CHECK_TOL_RELATIVE, /* limit as a fraction of |baseline| (0.05 for 5%) */
} CheckTolKind;

typedef struct CheckTolerance {
    CheckTolKind kind;
    double limit;
    gboolean percent; /* written as X%, printed back that way */
} CheckTolerance;

typedef enum {
    CHECK_VERDICT_OK,
    CHECK_VERDICT_CHANGED,
    CHECK_VERDICT_MISSING,
    CHECK_VERDICT_NEW,
} CheckVerdict;

/* ---- a loaded result or baseline ---- */

typedef struct CheckInput CheckInput;

/* Reads and flattens a JSON file; `path` names it in errors. */
CheckInput *check_input_load(const char *path, GError **error);
/* The same from memory (len bytes, need not be NUL-terminated); `name`
 * stands for the file in error messages. */
CheckInput *check_input_parse(const char *text, gsize len, const char *name, GError **error);
/* An input with no metrics (a baseline that does not exist yet). */
CheckInput *check_input_new_empty(const char *name);
void check_input_free(CheckInput *in);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CheckInput, check_input_free)

guint check_input_n_metrics(const CheckInput *in);
/* Borrowed; valid while `in` lives. Metrics are in document order. */
const CheckMetric *check_input_metric(const CheckInput *in, guint i);
/* NULL when `in` has no metric at `path`. O(1). */
const CheckMetric *check_input_lookup(const CheckInput *in, const char *path);

/* The baseline text `tiersim check --update` writes for this input: the
 * document without the skipped subtrees ("scenario", "tiersim_version",
 * "timeseries"), two-space indented, numbers in their shortest round-trip
 * form, newline-terminated. Deterministic; loading it gives the same metrics
 * in the same order. Caller frees. */
char *check_input_to_baseline(const CheckInput *in, gsize *len);

/* Writes check_input_to_baseline(in) to `path` atomically: a temporary file
 * in the same folder, fsync, rename over `path`. */
gboolean check_write_baseline(const CheckInput *in, const char *path, GError **error);

/* ---- tolerances ---- */

/* Parses the right-hand side of --tolerance: "5%", "abs:100", "rel:1e-6",
 * "exact". Limits are finite and >= 0. */
gboolean check_tolerance_parse(const char *spec, CheckTolerance *out, GError **error);
/* "exact", "5%", "abs:100", "rel:1e-09"; writes at most `size` bytes. */
void check_tolerance_format(const CheckTolerance *tol, char *buf, gsize size);
/* The default for a metric (see the table above); `value` is the baseline's
 * value, or the result's for a NEW metric. */
CheckTolerance check_tolerance_default(const char *key, const CheckValue *value);
/* Whether `now` is within `tol` of `base` (see the non-finite rules). */
gboolean check_within(const CheckTolerance *tol, const CheckValue *base, const CheckValue *now);

/* The --tolerance rules, in command-line order. */
typedef struct CheckRules CheckRules;

CheckRules *check_rules_new(void);
void check_rules_free(CheckRules *rules);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CheckRules, check_rules_free)
/* Adds "NAME=SPEC" (split at the last '='); NAME is a metric path or a glob
 * (GPatternSpec: '*' and '?'). */
gboolean check_rules_add(CheckRules *rules, const char *option, GError **error);
guint check_rules_count(const CheckRules *rules);
/* The NAME of rule i, borrowed. */
const char *check_rules_name(const CheckRules *rules, guint i);

/* ---- comparison ---- */

typedef struct CheckRow {
    const char *path; /* borrowed from the baseline or the result */
    CheckVerdict verdict;
    const CheckValue *base; /* NULL for NEW */
    const CheckValue *now;  /* NULL for MISSING */
    CheckTolerance tol;
    int rule; /* index of the --tolerance rule applied, -1 for the default */
} CheckRow;

typedef struct CheckReport CheckReport;

/* Compares every metric of `baseline` with `result`. Rows: the baseline's
 * metrics in its document order, then the NEW ones in the result's order.
 * Both inputs and `rules` (may be NULL) are borrowed and must outlive the
 * report. */
CheckReport *check_compare(const CheckInput *baseline, const CheckInput *result,
                           const CheckRules *rules);
void check_report_free(CheckReport *rep);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CheckReport, check_report_free)

guint check_report_n_rows(const CheckReport *rep);
const CheckRow *check_report_row(const CheckReport *rep, guint i);
/* Rows whose verdict is not ok. */
guint check_report_n_changed(const CheckReport *rep);
gboolean check_report_passed(const CheckReport *rep);
/* Whether --tolerance rule i matched some metric of either input. */
gboolean check_report_rule_used(const CheckReport *rep, guint i);

/* The table (metric, baseline, now, change, relative change, tolerance,
 * verdict) with a header, one row per metric, only the failing ones when
 * `quiet`; "" when no row is printed. Deterministic. Caller frees. */
char *check_report_format(const CheckReport *rep, gboolean quiet);
/* "check: 312 metrics, 0 changed" or "check: FAILED, 3 of 312 metrics
 * changed", without a newline. Caller frees. */
char *check_report_verdict_line(const CheckReport *rep);

/* "ok", "CHANGED", "MISSING", "NEW". */
const char *check_verdict_name(CheckVerdict verdict);

#endif
