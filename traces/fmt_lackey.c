/*
 * fmt_lackey.c - valgrind's lackey tool, --trace-mem=yes.
 *
 * Lackey prints one line per guest instruction and per data access:
 *   "I  0401ab70,3"     an instruction fetch (address, size)
 *   " L 1fff000628,8"   a load      -> one read
 *   " S 1fff000620,8"   a store     -> one write
 *   " M 0025747c,1"     a modify    -> one read, then one write
 * Valgrind's own messages ("==1234== ...", and "--1234-- ..." with -v) are
 * skipped, as are blank lines and '#' comments. Addresses are hex without
 * 0x, sizes decimal.
 *
 * Time: lackey has none. "lackey" puts data access i at i / rate seconds
 * (an M line is two accesses); "lackey-insn" counts instruction lines
 * instead, and a data access happens at the time of the instruction before
 * it. Instruction lines are recognised by their first byte and, in "lackey",
 * checked with one short scan: they are most of the file.
 */
#include "traces/reader_priv.h"

/* "ADDR,SIZE" to the end of the line. */
static gboolean scan_addr_size(const char *s, uint64_t *addr)
{
    uint64_t size;
    if (!scan_hex(&s, addr) || *s != ',')
        return FALSE;
    s++;
    if (!scan_dec(&s, &size) || size == 0)
        return FALSE;
    return *s == '\0';
}

/* "==1234==" or "--1234--" at the start of a valgrind message. */
static gboolean is_valgrind_message(const char *s)
{
    char c = s[0];
    if (s[1] != c)
        return FALSE;
    s += 2;
    uint64_t pid;
    if (!scan_dec(&s, &pid))
        return FALSE;
    return s[0] == c && s[1] == c;
}

static int lackey_bad(TraceReader *r)
{
    return reader_bad(r, "a lackey line: ' L|S|M HEXADDR,SIZE' (data), 'I  HEXADDR,SIZE' "
                         "(instruction) or '==PID== ...' (valgrind)");
}

static int parse_common(TraceReader *r, char *line, PageAccess *out, gboolean insn_clock)
{
    uint64_t addr;
    switch (line[0]) {
    case ' ': {
        char k = line[1];
        if ((k != 'L' && k != 'S' && k != 'M') || line[2] != ' ' ||
            !scan_addr_size(line + 3, &addr))
            return lackey_bad(r);
        uint64_t vpage = addr >> r->page_shift;
        int64_t t;
        if (insn_clock)
            t = reader_ordinal_time(r, r->steps ? r->steps - 1 : 0);
        else
            t = reader_ordinal_time(r, r->steps);
        out[0] =
            (PageAccess){t, vpage, TRACE_DEFAULT_PID, -1, k == 'S' ? ACCESS_WRITE : ACCESS_READ};
        if (k != 'M') {
            if (!insn_clock)
                r->steps++;
            return 1;
        }
        if (!insn_clock)
            t = reader_ordinal_time(r, r->steps + 1);
        out[1] = (PageAccess){t, vpage, TRACE_DEFAULT_PID, -1, ACCESS_WRITE};
        if (!insn_clock)
            r->steps += 2;
        return 2;
    }
    case 'I':
        if (line[1] != ' ' || line[2] != ' ' || !scan_addr_size(line + 3, &addr))
            return lackey_bad(r);
        if (insn_clock)
            r->steps++;
        return 0;
    case '=':
    case '-':
        if (!is_valgrind_message(line))
            return lackey_bad(r);
        return 0;
    case '#':
    case '\0':
        return 0;
    default:
        if (line_is_blank(line))
            return 0;
        return lackey_bad(r);
    }
}

static int lackey_parse(TraceReader *r, char *line, gsize len, PageAccess *out)
{
    return parse_common(r, line, out, FALSE);
}

static int lackey_insn_parse(TraceReader *r, char *line, gsize len, PageAccess *out)
{
    return parse_common(r, line, out, TRUE);
}

static const LineFormat lackey_lf = {lackey_parse};
static const LineFormat lackey_insn_lf = {lackey_insn_parse};

static gboolean lackey_open(TraceReader *r, GError **error)
{
    if (!reader_check_options(r, READER_OPT_RATE, "it has no timestamps (set rate)", error))
        return FALSE;
    reader_use_ordinal_time(r, "lackey");
    reader_note(r, "lackey has no pid: every access belongs to pid %d", TRACE_DEFAULT_PID);
    return TRUE;
}

static gboolean lackey_insn_open(TraceReader *r, GError **error)
{
    if (!reader_check_options(r, READER_OPT_RATE, "it has no timestamps (set rate)", error))
        return FALSE;
    double rate = r->opts.rate > 0 ? r->opts.rate : TRACE_DEFAULT_RATE;
    char rb[48];
    r->ns_per_step = 1e9 / rate;
    reader_note(r,
                "lackey-insn has no time: every instruction line advances the clock, at %s "
                "instructions/s (%s)%s",
                reader_format_rate(rate, rb, sizeof(rb)), r->opts.rate > 0 ? "rate" : "default",
                r->opts.rate > 0 ? "" : "; set rate to change it");
    reader_note(r, "lackey has no pid: every access belongs to pid %d", TRACE_DEFAULT_PID);
    return TRUE;
}

const TraceFormatDef trace_format_lackey = {"lackey", TRUE, lackey_open, &lackey_lf};
const TraceFormatDef trace_format_lackey_insn = {"lackey-insn", FALSE, lackey_insn_open,
                                                 &lackey_insn_lf};
