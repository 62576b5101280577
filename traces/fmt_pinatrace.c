/*
 * fmt_pinatrace.c - Intel Pin's pinatrace example tool.
 *
 * pinatrace writes one line per memory operand: "0x7f3a2c4b5d6e: R
 * 0x7ffd4a3b2c10" (instruction pointer, R or W, data address, both as %p)
 * and "#eof" at the end. Lines starting with '#' are comments; "#eof" ends
 * the trace and only blank lines may follow it.
 *
 * Time: none; access i is at i / rate seconds. No pid, no CPU.
 */
#include "traces/reader_priv.h"

static int pinatrace_parse(TraceReader *r, char *line, gsize len, PageAccess *out)
{
    const char *s = line;
    uint64_t ip, addr;
    if (s[0] == '#')
        return strcmp(s, "#eof") ? 0 : LINE_END;
    if (line_is_blank(s))
        return 0;
    if (s[0] != '0' || s[1] != 'x')
        goto bad;
    s += 2;
    if (!scan_hex(&s, &ip) || s[0] != ':' || s[1] != ' ')
        goto bad;
    s += 2;
    char op = s[0];
    if ((op != 'R' && op != 'W') || s[1] != ' ' || s[2] != '0' || s[3] != 'x')
        goto bad;
    s += 4;
    if (!scan_hex(&s, &addr) || *s != '\0')
        goto bad;
    out[0] = (PageAccess){reader_ordinal_time(r, r->steps), addr >> r->page_shift,
                          TRACE_DEFAULT_PID, -1, op == 'W' ? ACCESS_WRITE : ACCESS_READ};
    r->steps++;
    return 1;
bad:
    return reader_bad(r, "a pinatrace line '0xIP: R|W 0xADDR' or '#eof'");
}

static const LineFormat pinatrace_lf = {pinatrace_parse};

static gboolean pinatrace_open(TraceReader *r, GError **error)
{
    if (!reader_check_options(r, READER_OPT_RATE, "it has no timestamps (set rate)", error))
        return FALSE;
    reader_use_ordinal_time(r, "pinatrace");
    reader_note(r, "pinatrace has no pid: every access belongs to pid %d", TRACE_DEFAULT_PID);
    return TRUE;
}

const TraceFormatDef trace_format_pinatrace = {"pinatrace", TRUE, pinatrace_open, &pinatrace_lf};
