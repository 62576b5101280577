/*
 * reader_priv.h - what the format readers share (internal to traces/).
 *
 * Every source made by trace_open() is a TraceReader. Line formats plug a
 * LineFormat (a per-line parser) into the common driver in reader.c, which
 * numbers lines, checks time order, handles skip_bad_lines and formats the
 * FILE:LINE errors; block formats (native, damon) set `read` themselves.
 *
 * Parsers work in place on NUL-terminated lines and allocate nothing. On a
 * malformed line they return LINE_BAD after writing what was expected into
 * r->expected; they must not change the reader's state in that case.
 */
#ifndef TIERSIM_TRACES_READER_PRIV_H
#define TIERSIM_TRACES_READER_PRIV_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "traces/input.h"
#include "traces/lines.h"
#include "traces/reader.h"

#define LINE_MAX_RECORDS 2 /* a lackey M line: a read and a write */
#define LINE_BAD         (-1)
#define LINE_END         (-2) /* an explicit end of trace (pinatrace's #eof) */

typedef struct TraceReader TraceReader;

typedef struct LineFormat {
    /* Parses one line (NUL-terminated, len bytes, no end-of-line): returns
     * the number of records written to out (0: the line holds no access),
     * LINE_BAD (r->expected says what was expected) or LINE_END. */
    int (*parse)(TraceReader *r, char *line, gsize len, PageAccess *out);
} LineFormat;

/* Options a format can use (anything else set is an error). */
enum {
    READER_OPT_TIME_UNIT = 1 << 0,
    READER_OPT_CLOCK = 1 << 1,
    READER_OPT_RATE = 1 << 2,
};

typedef struct TraceFormatDef {
    const char *name;
    gboolean autodetect; /* considered by "auto" */
    /* Sets up r (r->lf or r->read, state, notes); may read the header. */
    gboolean (*open)(TraceReader *r, GError **error);
    /* For auto-detection: the line parser, run on a scratch reader. */
    const LineFormat *lf;
} TraceFormatDef;

struct TraceReader {
    TraceSource base;
    char *name; /* the input's name, for messages */
    const TraceFormatDef *def;
    GString *notes;
    guint64 skipped;
    TraceOpenOptions opts; /* opts.format is not kept */
    uint32_t page_size;
    unsigned page_shift;
    TraceInput *in;
    gboolean probing; /* a scratch reader for auto-detection: no input */

    /* Line formats. */
    LineReader *lines;
    const LineFormat *lf;
    int64_t last_time;
    gboolean have_time;
    gboolean ended; /* LINE_END seen: only blank lines may follow */
    gboolean done;
    GError *deferred; /* an error to return after the records before it */
    PageAccess pend[LINE_MAX_RECORDS];
    int pend_n, pend_pos;
    char expected[200];

    /* Ordinal clock: step i is at time i * ns_per_step. */
    double ns_per_step;
    uint64_t steps;

    /* Format state. */
    void *fmt;
    void (*fmt_free)(void *fmt);

    /* Block formats. */
    gssize (*read)(TraceReader *r, PageAccess *buf, gsize cap, GError **error);
};

/* Adds one sentence to the notes. */
void reader_note(TraceReader *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Fails unless every option set is in `allowed` (READER_OPT_*); `why` ends
 * the message ("they carry their own time"). */
gboolean reader_check_options(TraceReader *r, unsigned allowed, const char *why, GError **error);
/* Starts the ordinal clock at opts.rate (or the default) and says so. */
void reader_use_ordinal_time(TraceReader *r, const char *what);
/* "1e9" rather than "1e+09". */
const char *reader_format_rate(double rate, char *buf, gsize cap);
/* Sets r->expected; returns LINE_BAD. */
int reader_bad(TraceReader *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Rounded to the nearest ns. */
static inline int64_t reader_ordinal_time(const TraceReader *r, uint64_t step)
{
    return (int64_t)((double)step * r->ns_per_step + 0.5);
}

/* Number scanners: advance *p over the digits; FALSE on no digit or
 * overflow (then *p is unspecified). */
static inline gboolean scan_hex(const char **p, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    const char *start = s;
    for (;; s++) {
        unsigned c = (unsigned char)*s, d;
        if (c - '0' < 10)
            d = c - '0';
        else if ((c | 0x20) - 'a' < 6)
            d = (c | 0x20) - 'a' + 10;
        else
            break;
        if (v >> 60)
            return FALSE;
        v = v << 4 | d;
    }
    if (s == start)
        return FALSE;
    *p = s;
    *out = v;
    return TRUE;
}

static inline gboolean scan_dec(const char **p, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    const char *start = s;
    for (; (unsigned)(*s - '0') < 10; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return FALSE;
        v = v * 10 + d;
    }
    if (s == start)
        return FALSE;
    *p = s;
    *out = v;
    return TRUE;
}

/* "0x..." as hex, otherwise decimal. */
static inline gboolean scan_addr(const char **p, uint64_t *out)
{
    const char *s = *p;
    if (s[0] == '0' && (s[1] | 0x20) == 'x') {
        *p = s + 2;
        return scan_hex(p, out);
    }
    return scan_dec(p, out);
}

/* A non-negative decimal with an optional fraction ("12", "12.5") times
 * unit_ns: exact (truncated to the ns) when unit_ns is a whole number,
 * otherwise rounded to the nearest ns. */
gboolean scan_scaled(const char **p, double unit_ns, int64_t *out_ns);

static inline const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static inline gboolean line_is_blank(const char *s)
{
    return *skip_spaces(s) == '\0';
}

extern const TraceFormatDef trace_format_native;
extern const TraceFormatDef trace_format_text;
extern const TraceFormatDef trace_format_lackey;
extern const TraceFormatDef trace_format_lackey_insn;
extern const TraceFormatDef trace_format_pinatrace;
extern const TraceFormatDef trace_format_perf;
extern const TraceFormatDef trace_format_damon;
extern const TraceFormatDef trace_format_ramulator;
extern const TraceFormatDef trace_format_prospero;

#endif
