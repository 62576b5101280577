/*
 * fmt_ramulator.c - Ramulator 2 load/store traces.
 *
 * The LoadStoreTrace front end reads "LD 0x7ffd4a3b2c10" or "ST ..." (the
 * address in hex with 0x, or decimal). A line may start with a bubble count,
 * "3 LD 0x...": the number of non-memory instructions before the access, as
 * in Ramulator's processor traces. Blank lines and '#' comments are skipped.
 *
 * Time: none; the ordinal clock advances one step per access and one per
 * bubble, at `rate` steps per second. No pid, no CPU.
 */
#include "traces/reader_priv.h"

static int ramulator_parse(TraceReader *r, char *line, gsize len, PageAccess *out)
{
    const char *s = skip_spaces(line);
    uint64_t bubbles = 0, addr;
    if (*s == '#' || *s == '\0')
        return 0;
    if ((unsigned)(*s - '0') < 10) {
        if (!scan_dec(&s, &bubbles) || (*s != ' ' && *s != '\t') || bubbles > (1ULL << 40))
            goto bad;
        s = skip_spaces(s);
    }
    gboolean write;
    if (s[0] == 'L' && s[1] == 'D')
        write = FALSE;
    else if (s[0] == 'S' && s[1] == 'T')
        write = TRUE;
    else
        goto bad;
    s += 2;
    if (*s != ' ' && *s != '\t')
        goto bad;
    s = skip_spaces(s);
    if (!scan_addr(&s, &addr))
        goto bad;
    s = skip_spaces(s);
    if (*s != '\0')
        goto bad;
    uint64_t step = r->steps + bubbles;
    out[0] = (PageAccess){reader_ordinal_time(r, step), addr >> r->page_shift, TRACE_DEFAULT_PID,
                          -1, write ? ACCESS_WRITE : ACCESS_READ};
    r->steps = step + 1;
    return 1;
bad:
    return reader_bad(r, "a Ramulator line '[BUBBLES] LD|ST ADDR' (ADDR hex with 0x, or decimal)");
}

static const LineFormat ramulator_lf = {ramulator_parse};

static gboolean ramulator_open(TraceReader *r, GError **error)
{
    if (!reader_check_options(r, READER_OPT_RATE, "it has no timestamps (set rate)", error))
        return FALSE;
    reader_use_ordinal_time(r, "ramulator");
    reader_note(r, "ramulator: a leading bubble count advances the clock one step per bubble");
    reader_note(r, "ramulator has no pid: every access belongs to pid %d", TRACE_DEFAULT_PID);
    return TRUE;
}

const TraceFormatDef trace_format_ramulator = {"ramulator", TRUE, ramulator_open, &ramulator_lf};
