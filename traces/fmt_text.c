/*
 * fmt_text.c - column text traces: TSV, CSV or whitespace-separated.
 *
 * The first line that is neither blank nor a '#' comment is the header; it
 * names the columns, in any order:
 *   addr (or address)  required; hex with 0x, or decimal
 *   op                 required; R, W, read or write (any case)
 *   time               optional; unit from the name: time_ns, time_us,
 *                      time_ms, time_s; a bare "time" needs time_unit
 *                      (ns per unit) or clock_ghz (cycles); decimals allowed
 *   pid                optional; default 1
 *   cpu                optional; default -1 (the task's CPU)
 * The separator is a tab if the header has one, else a comma if it has one,
 * else runs of spaces. Every data line has exactly the header's columns;
 * an unknown or repeated column is an error. Without a time column, access i
 * is at i / rate seconds.
 */
#include <math.h>

#include "traces/reader_priv.h"

#define TEXT_MAX_COLUMNS 8

typedef enum TextCol {
    COL_TIME,
    COL_PID,
    COL_CPU,
    COL_ADDR,
    COL_OP,
} TextCol;

typedef struct TextState {
    gboolean have_header;
    char sep; /* '\t', ',' or ' ' (runs of blanks) */
    int n_cols;
    TextCol cols[TEXT_MAX_COLUMNS];
    gboolean has_time;
    const char *time_name; /* the header's name for the time column */
    double ns_per_unit;    /* 0 until known */
} TextState;

static const char text_header_help[] =
    "a header line naming the columns: addr and op, optionally time (time_ns, time_us, "
    "time_ms, time_s), pid, cpu";

static gboolean name_is(const char *s, gsize n, const char *word)
{
    return strlen(word) == n && !g_ascii_strncasecmp(s, word, n);
}

/* Cuts the next field; returns its start and length, or NULL after the
 * last one. *p becomes NULL after the last field. */
static const char *next_field(const char **p, char sep, gsize *len)
{
    const char *s = *p, *e;
    if (!s)
        return NULL;
    if (sep == ' ') {
        s = skip_spaces(s);
        if (*s == '\0') {
            *p = NULL;
            return NULL;
        }
        for (e = s; *e && *e != ' ' && *e != '\t'; e++)
            ;
        *p = e;
    } else {
        for (e = s; *e && *e != sep; e++)
            ;
        *p = *e ? e + 1 : NULL;
    }
    *len = (gsize)(e - s);
    return s;
}

/* Drops blanks around a CSV/TSV field. */
static const char *trim(const char *f, gsize *n)
{
    while (*n && (*f == ' ' || *f == '\t'))
        f++, (*n)--;
    while (*n && (f[*n - 1] == ' ' || f[*n - 1] == '\t'))
        (*n)--;
    return f;
}

static const struct {
    const char *name;
    TextCol col;
    double ns_per_unit; /* time columns: 0 = from the options */
} text_columns[] = {
    {"addr", COL_ADDR, 0},     {"address", COL_ADDR, 0},   {"op", COL_OP, 0},
    {"pid", COL_PID, 0},       {"cpu", COL_CPU, 0},        {"time", COL_TIME, 0},
    {"time_ns", COL_TIME, 1},  {"time_us", COL_TIME, 1e3}, {"time_ms", COL_TIME, 1e6},
    {"time_s", COL_TIME, 1e9},
};

static int parse_header(TraceReader *r, TextState *st, char *line)
{
    st->sep = strchr(line, '\t') ? '\t' : strchr(line, ',') ? ',' : ' ';
    const char *p = line;
    gsize n;
    const char *f;
    unsigned seen = 0;
    st->n_cols = 0;
    while ((f = next_field(&p, st->sep, &n))) {
        f = trim(f, &n);
        gsize k = 0;
        while (k < G_N_ELEMENTS(text_columns) && !name_is(f, n, text_columns[k].name))
            k++;
        if (k == G_N_ELEMENTS(text_columns))
            return reader_bad(r, "%s (unknown column '%.*s')", text_header_help, (int)MIN(n, 32),
                              f);
        TextCol c = text_columns[k].col;
        if (seen & (1u << c))
            return reader_bad(r, "%s (column '%.*s' appears twice)", text_header_help,
                              (int)MIN(n, 32), f);
        if (st->n_cols == TEXT_MAX_COLUMNS)
            return reader_bad(r, "%s (too many columns)", text_header_help);
        seen |= 1u << c;
        st->cols[st->n_cols++] = c;
        if (c == COL_TIME) {
            st->has_time = TRUE;
            st->ns_per_unit = text_columns[k].ns_per_unit;
            st->time_name = text_columns[k].name;
        }
    }
    if (!(seen & (1u << COL_ADDR)) || !(seen & (1u << COL_OP)))
        return reader_bad(r, "%s (addr and op are required)", text_header_help);
    st->have_header = TRUE;
    return 0;
}

static gboolean parse_op(const char *f, gsize n, uint8_t *op)
{
    if (name_is(f, n, "r") || name_is(f, n, "read"))
        *op = ACCESS_READ;
    else if (name_is(f, n, "w") || name_is(f, n, "write"))
        *op = ACCESS_WRITE;
    else
        return FALSE;
    return TRUE;
}

static int text_parse(TraceReader *r, char *line, gsize len, PageAccess *out)
{
    if (!r->fmt) {
        r->fmt = g_new0(TextState, 1);
        r->fmt_free = g_free;
    }
    TextState *st = r->fmt;
    const char *s = skip_spaces(line);
    if (*s == '#' || *s == '\0')
        return 0;
    if (!st->have_header)
        return parse_header(r, st, line);
    PageAccess a = {0, 0, TRACE_DEFAULT_PID, -1, ACCESS_READ};
    const char *p = line;
    for (int i = 0; i < st->n_cols; i++) {
        gsize n;
        const char *f = next_field(&p, st->sep, &n);
        if (!f)
            return reader_bad(r, "%d columns as in the header, found %d", st->n_cols, i);
        f = trim(f, &n);
        const char *e = f;
        uint64_t v = 0;
        gboolean ok;
        switch (st->cols[i]) {
        case COL_TIME:
            ok = scan_scaled(&e, st->ns_per_unit > 0 ? st->ns_per_unit : 1, &a.time_ns);
            break;
        case COL_PID:
            ok = scan_dec(&e, &v) && v <= UINT32_MAX;
            a.pid = (uint32_t)v;
            break;
        case COL_CPU:
            if (e[0] == '-' && e[1] == '1' && n == 2) {
                a.cpu = -1;
                e += 2;
                ok = TRUE;
            } else {
                ok = scan_dec(&e, &v) && v <= INT32_MAX;
                a.cpu = (int32_t)v;
            }
            break;
        case COL_ADDR:
            ok = scan_addr(&e, &v);
            a.vpage = v >> r->page_shift;
            break;
        case COL_OP:
            ok = parse_op(f, n, &a.op);
            e = f + n;
            break;
        default:
            ok = FALSE;
        }
        if (!ok || e != f + n) {
            static const char *const what[] = {
                [COL_TIME] = "a time (a non-negative number)",
                [COL_PID] = "a pid (a decimal number)",
                [COL_CPU] = "a cpu (a decimal number or -1)",
                [COL_ADDR] = "an address (hex with 0x, or decimal)",
                [COL_OP] = "an op (R, W, read or write)",
            };
            return reader_bad(r, "%s in column %d", what[st->cols[i]], i + 1);
        }
    }
    gsize n;
    if (next_field(&p, st->sep, &n))
        return reader_bad(r, "%d columns as in the header, found more", st->n_cols);
    if (!st->has_time) {
        a.time_ns = reader_ordinal_time(r, r->steps);
        r->steps++;
    }
    out[0] = a;
    return 1;
}

static const LineFormat text_lf = {text_parse};

static gboolean text_open(TraceReader *r, GError **error)
{
    /* Read up to the header now, so that its errors and the time basis are
     * known when trace_open() returns. */
    char *line;
    gsize len;
    PageAccess scratch[LINE_MAX_RECORDS];
    for (;;) {
        int rc = line_reader_next(r->lines, &line, &len, error);
        if (rc < 0)
            return FALSE;
        if (rc == 0) {
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                        "%s: text trace without a header line: expected %s", r->name,
                        text_header_help);
            return FALSE;
        }
        if (text_parse(r, line, len, scratch) == LINE_BAD) {
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                        "%s:%" G_GUINT64_FORMAT ": text: expected %s", r->name,
                        line_reader_lineno(r->lines), r->expected);
            return FALSE;
        }
        if (((TextState *)r->fmt)->have_header)
            break;
    }
    TextState *st = r->fmt;
    if (!st->has_time) {
        if (!reader_check_options(r, READER_OPT_RATE, "the trace has no time column", error))
            return FALSE;
        reader_use_ordinal_time(r, "this text trace (no time column)");
    } else if (st->ns_per_unit == 0) {
        if (r->opts.rate != 0) {
            if (!reader_check_options(r, READER_OPT_TIME_UNIT | READER_OPT_CLOCK,
                                      "the trace has a time column", error))
                return FALSE;
        }
        if (r->opts.time_unit_ns && r->opts.clock_ghz != 0) {
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                        "%s: set either time_unit or clock_ghz for the 'time' column, not both",
                        r->name);
            return FALSE;
        }
        if (r->opts.time_unit_ns) {
            st->ns_per_unit = (double)r->opts.time_unit_ns;
            reader_note(r, "text: column 'time' in units of %" G_GINT64_FORMAT " ns (time_unit)",
                        r->opts.time_unit_ns);
        } else if (r->opts.clock_ghz > 0) {
            st->ns_per_unit = 1.0 / r->opts.clock_ghz;
            reader_note(r, "text: column 'time' in cycles at %g GHz (clock_ghz)",
                        r->opts.clock_ghz);
        } else {
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                        "%s: the text trace's 'time' column has no unit: name it time_ns, "
                        "time_us, time_ms or time_s, or set time_unit (or clock_ghz for cycles)",
                        r->name);
            return FALSE;
        }
    } else {
        if (!reader_check_options(r, 0, "its time column names its unit", error))
            return FALSE;
        reader_note(r, "text: time from column '%s'", st->time_name);
    }
    gboolean has_pid = FALSE;
    for (int i = 0; i < st->n_cols; i++)
        has_pid |= st->cols[i] == COL_PID;
    if (!has_pid)
        reader_note(r, "text: no pid column: every access belongs to pid %d", TRACE_DEFAULT_PID);
    return TRUE;
}

const TraceFormatDef trace_format_text = {"text", TRUE, text_open, &text_lf};
