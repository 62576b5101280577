/*
 * fmt_prospero.c - SST Prospero text traces.
 *
 * Prospero's text reader takes "CYCLES R|W ADDR LEN" per line, all decimal
 * (as its Pin tool writes them); a 0x-prefixed hex address is accepted too.
 * Blank lines and '#' comments are skipped.
 *
 * Time: CYCLES is a CPU cycle count, so clock_ghz is required: time_ns =
 * cycles / clock_ghz, rounded to the nearest ns. No pid, no CPU.
 */
#include <math.h>

#include "traces/reader_priv.h"

typedef struct ProsperoState {
    double ns_per_cycle;
} ProsperoState;

static int prospero_parse(TraceReader *r, char *line, gsize len, PageAccess *out)
{
    const ProsperoState *st = r->fmt;
    const char *s = skip_spaces(line);
    uint64_t cycles, addr, size;
    if (*s == '#' || *s == '\0')
        return 0;
    if (!scan_dec(&s, &cycles) || (*s != ' ' && *s != '\t'))
        goto bad;
    s = skip_spaces(s);
    char op = s[0];
    if ((op != 'R' && op != 'W') || (s[1] != ' ' && s[1] != '\t'))
        goto bad;
    s = skip_spaces(s + 1);
    if (!scan_addr(&s, &addr) || (*s != ' ' && *s != '\t'))
        goto bad;
    s = skip_spaces(s);
    if (!scan_dec(&s, &size) || size == 0)
        goto bad;
    s = skip_spaces(s);
    if (*s != '\0')
        goto bad;
    double t = (double)cycles * (st ? st->ns_per_cycle : 1.0);
    if (t >= 9.2e18)
        goto bad;
    out[0] = (PageAccess){llround(t), addr >> r->page_shift, TRACE_DEFAULT_PID, -1,
                          op == 'W' ? ACCESS_WRITE : ACCESS_READ};
    return 1;
bad:
    return reader_bad(r, "a Prospero line 'CYCLES R|W ADDR LEN' (decimal numbers)");
}

static const LineFormat prospero_lf = {prospero_parse};

static gboolean prospero_open(TraceReader *r, GError **error)
{
    if (!reader_check_options(r, READER_OPT_CLOCK, "its timestamps are CPU cycles (set clock_ghz)",
                              error))
        return FALSE;
    if (r->opts.clock_ghz <= 0) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                    "%s: prospero timestamps are CPU cycles: set clock_ghz (the scenario's "
                    "workload.trace.clock_ghz, or --clock-ghz) to convert them to time",
                    r->name);
        return FALSE;
    }
    ProsperoState *st = g_new0(ProsperoState, 1);
    st->ns_per_cycle = 1.0 / r->opts.clock_ghz;
    r->fmt = st;
    r->fmt_free = g_free;
    reader_note(r, "prospero: cycles converted to time at %g GHz (clock_ghz)", r->opts.clock_ghz);
    reader_note(r, "prospero has no pid: every access belongs to pid %d", TRACE_DEFAULT_PID);
    return TRUE;
}

const TraceFormatDef trace_format_prospero = {"prospero", TRUE, prospero_open, &prospero_lf};
