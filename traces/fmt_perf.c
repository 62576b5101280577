/*
 * fmt_perf.c - sampled data addresses from `perf script`.
 *
 * Record with e.g. `perf mem record` or `perf record -d -e ...`, then print
 * with `perf script --fields pid,tid,time,addr` (optionally also cpu and
 * event). perf prints the fields in its own fixed order, so a line is
 *   PID/TID [CPU] SECONDS.FRACTION: [EVENT:] ADDR
 * e.g. "   4242/4243  [002]  1234.567890:  cpu/mem-stores/P:  7ffd3c2a1b40",
 * where "PID/TID" may be a bare PID (--fields pid,...), the CPU is in
 * brackets, the time has 6 (or, with --ns, 9) decimals and ADDR is hex,
 * with or without 0x. Blank lines and '#' comments are skipped; any other
 * field (comm, ip, sym, ...) is an error, not something silently dropped.
 *
 * Op: perf samples do not carry the access type; a sample whose event name
 * contains "store" is a write, every other sample a read.
 *
 * Time: seconds from perf, exact to the ns, rebased so that the first sample
 * is at time 0. pid from PID (threads share the address space: TID is
 * ignored), cpu from [CPU] or -1.
 */
#include "traces/reader_priv.h"

typedef struct PerfState {
    gboolean have_t0;
    int64_t t0_ns;
} PerfState;

static int perf_parse(TraceReader *r, char *line, gsize len, PageAccess *out)
{
    if (!r->fmt) { /* a scratch reader during auto-detection */
        r->fmt = g_new0(PerfState, 1);
        r->fmt_free = g_free;
    }
    PerfState *st = r->fmt;
    const char *s = skip_spaces(line);
    uint64_t pid, tid, cpu = 0, addr;
    gboolean have_cpu = FALSE, write = FALSE;
    int64_t t;
    if (*s == '#' || *s == '\0')
        return 0;
    if (!scan_dec(&s, &pid) || pid > UINT32_MAX)
        goto bad;
    if (*s == '/') {
        s++;
        if (!scan_dec(&s, &tid))
            goto bad;
    }
    if (*s != ' ' && *s != '\t')
        goto bad;
    s = skip_spaces(s);
    if (*s == '[') {
        s++;
        if (!scan_dec(&s, &cpu) || *s != ']' || cpu > INT32_MAX)
            goto bad;
        have_cpu = TRUE;
        s = skip_spaces(s + 1);
    }
    if (!scan_scaled(&s, 1e9, &t) || *s != ':')
        goto bad;
    s = skip_spaces(s + 1);
    /* An event name is a token ending in ':' before the address. */
    const char *tok_end = s;
    while (*tok_end && *tok_end != ' ' && *tok_end != '\t')
        tok_end++;
    if (tok_end > s && tok_end[-1] == ':') {
        for (const char *c = s; c + 5 <= tok_end; c++)
            if (!strncmp(c, "store", 5)) {
                write = TRUE;
                break;
            }
        s = skip_spaces(tok_end);
    }
    if (s[0] == '0' && (s[1] | 0x20) == 'x')
        s += 2;
    if (!scan_hex(&s, &addr))
        goto bad;
    s = skip_spaces(s);
    if (*s != '\0')
        goto bad;
    if (!st->have_t0) {
        st->have_t0 = TRUE;
        st->t0_ns = t;
    }
    if (t < st->t0_ns)
        return reader_bad(
            r, "samples in time order (%" G_GINT64_FORMAT " ns is before the first sample)", t);
    out[0] = (PageAccess){t - st->t0_ns, addr >> r->page_shift, (uint32_t)pid,
                          have_cpu ? (int32_t)cpu : -1, write ? ACCESS_WRITE : ACCESS_READ};
    return 1;
bad:
    return reader_bad(r, "a perf script line 'PID/TID [CPU] SECONDS: [EVENT:] HEXADDR' "
                         "(perf script --fields pid,tid,time,addr)");
}

static const LineFormat perf_lf = {perf_parse};

static gboolean perf_open(TraceReader *r, GError **error)
{
    if (!reader_check_options(r, 0, "perf prints time in seconds", error))
        return FALSE;
    r->fmt = g_new0(PerfState, 1);
    r->fmt_free = g_free;
    reader_note(r, "perf: time rebased to the first sample; a sample is a write when its event "
                   "name contains 'store', otherwise a read");
    return TRUE;
}

const TraceFormatDef trace_format_perf = {"perf", TRUE, perf_open, &perf_lf};
