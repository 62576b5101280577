/*
 * fmt_damon.c - DAMON access snapshots, as damo prints them in raw form.
 *
 * Accepted input: the text of `damo report raw` (the raw form of `damo
 * report access`), with or without --raw_number:
 *
 *   base_time_absolute: 8 m 59.809 s          starts a record (one target)
 *
 *   monitoring_start:                0 ns     a snapshot, times relative
 *   monitoring_end:            104.599 ms     to base_time_absolute
 *   monitoring_duration:       104.599 ms     (optional, not used)
 *   target_id: 18446623438842320000
 *   nr_regions: 3
 *   # start_addr     end_addr     length  nr_accesses  age   (a comment)
 *   563ebaa00000-563ebc99e000 (  31.617 MiB)           1     5
 *   7f938d7e1000-7f938ddfc000(   6.105 MiB):        0       (older damo)
 *
 * A region line is START-END in hex, the size in parentheses (not used: it
 * is rounded when human-readable), an optional ':', nr_accesses, and an
 * optional age. Times are integers (ns) or number-unit sequences with units
 * ns, us, ms, s, m, h, d ("1 m 2.5 s"). Blank lines separate snapshots;
 * '#' lines are comments. A snapshot must hold exactly nr_regions regions.
 *
 * Expansion into accesses: DAMON's nr_accesses counts the sampling
 * intervals of the aggregation interval [start, end) in which the region
 * was seen accessed, and DAMON assumes every page of a region is equally
 * hot. So each page of a region is accessed nr_accesses times: the region's
 * pages * nr_accesses accesses go round-robin over its pages at even steps
 * across [start, end). Regions of all snapshots and targets are merged in
 * time order (ties: file order). Every access is a read (DAMON does not tell
 * reads from writes); cpu -1. Time is rebased so that the earliest snapshot
 * starts at 0.
 *
 * pid: the target ids when all of them are plausible pids (1..4194304),
 * otherwise 1, 2, ... in order of first appearance (the notes give the map).
 *
 * Cost: the snapshots are parsed at open into one array of regions (a few
 * dozen bytes per region line); replay is a heap merge, O(log R) per access
 * for R regions active at once.
 */
#include "traces/reader_priv.h"

#define DAMON_PID_MAX 4194304u /* PID_MAX_LIMIT on 64-bit */

typedef struct DamonRegion {
    int64_t start_ns, dur_ns;
    uint64_t first_vpage, n_pages;
    uint64_t total;  /* accesses: n_pages * nr_accesses */
    uint64_t target; /* index into the target table */
    uint64_t next;   /* accesses emitted so far */
    int64_t next_ns; /* time of the next one */
    uint32_t order;  /* position in the file, for ties */
} DamonRegion;

typedef struct DamonState {
    GArray *regions; /* DamonRegion, sorted by start, then file order */
    GArray *targets; /* uint64_t target ids, in order of first appearance */
    uint32_t *pids;  /* per target */
    guint next_region;
    DamonRegion **heap;
    guint heap_n;
} DamonState;

static void damon_state_free(void *p)
{
    DamonState *st = p;
    if (!st)
        return;
    if (st->regions)
        g_array_free(st->regions, TRUE);
    if (st->targets)
        g_array_free(st->targets, TRUE);
    g_free(st->pids);
    g_free(st->heap);
    g_free(st);
}

/* "8 m 59.809 s", "104.599 ms", "0 ns", "104599000". */
static gboolean scan_damo_time(const char *s, int64_t *out_ns)
{
    int64_t total = 0;
    gboolean any = FALSE;
    s = skip_spaces(s);
    while (*s) {
        const char *num = s;
        int64_t probe;
        if (!scan_scaled(&s, 1, &probe))
            return FALSE;
        s = skip_spaces(s);
        const char *u = s;
        while ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z')
            s++;
        gsize ul = (gsize)(s - u);
        double unit;
        if (ul == 0)
            unit = 1; /* a bare number: raw ns */
        else if (ul == 2 && !strncmp(u, "ns", 2))
            unit = 1;
        else if (ul == 2 && !strncmp(u, "us", 2))
            unit = 1e3;
        else if (ul == 2 && !strncmp(u, "ms", 2))
            unit = 1e6;
        else if (ul == 1 && *u == 's')
            unit = 1e9;
        else if (ul == 1 && *u == 'm')
            unit = 60e9;
        else if (ul == 1 && *u == 'h')
            unit = 3600e9;
        else if (ul == 1 && *u == 'd')
            unit = 86400e9;
        else
            return FALSE;
        if (ul == 0 && (any || *skip_spaces(s)))
            return FALSE; /* bare numbers stand alone */
        const char *again = num;
        int64_t v;
        if (!scan_scaled(&again, unit, &v) || total > INT64_MAX - v)
            return FALSE;
        total += v;
        any = TRUE;
        s = skip_spaces(s);
    }
    if (!any)
        return FALSE;
    *out_ns = total;
    return TRUE;
}

/* "START-END (SIZE)[:] NR_ACCESSES [AGE]" */
static gboolean scan_region(const char *s, uint64_t *start, uint64_t *end, uint64_t *nr)
{
    s = skip_spaces(s);
    if (!scan_hex(&s, start) || *s != '-')
        return FALSE;
    s++;
    if (!scan_hex(&s, end))
        return FALSE;
    s = skip_spaces(s);
    if (*s != '(')
        return FALSE;
    const char *close = strchr(s, ')');
    if (!close)
        return FALSE;
    s = close + 1;
    if (*s == ':')
        s++;
    s = skip_spaces(s);
    if (!scan_dec(&s, nr))
        return FALSE;
    s = skip_spaces(s);
    if (*s) {
        uint64_t age;
        if (*s == '-')
            s++;
        if (!scan_dec(&s, &age))
            return FALSE;
        s = skip_spaces(s);
    }
    return *s == '\0';
}

static gboolean starts_with(const char *s, const char *prefix, const char **rest)
{
    gsize n = strlen(prefix);
    if (strncmp(s, prefix, n))
        return FALSE;
    *rest = s + n;
    return TRUE;
}

typedef struct DamonParse {
    gboolean have_base;
    int64_t base_ns;
    gboolean have_start, have_end, have_target, in_regions;
    int64_t start_ns, end_ns;
    uint64_t target;
    uint64_t nr_regions, seen_regions;
    guint64 nr_regions_line;
    guint first_region_of_snapshot;
} DamonParse;

static guint target_index(DamonState *st, uint64_t id)
{
    for (guint i = 0; i < st->targets->len; i++)
        if (g_array_index(st->targets, uint64_t, i) == id)
            return i;
    g_array_append_val(st->targets, id);
    return st->targets->len - 1;
}

/* Closes the snapshot being read: its region count must match. */
static gboolean end_snapshot(TraceReader *r, DamonParse *ps, GError **error)
{
    if (ps->in_regions && ps->seen_regions != ps->nr_regions) {
        if (r->opts.skip_bad_lines) {
            r->skipped++;
        } else {
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                        "%s:%" G_GUINT64_FORMAT ": damon: expected %" G_GUINT64_FORMAT
                        " region lines after nr_regions; found %" G_GUINT64_FORMAT,
                        r->name, ps->nr_regions_line, ps->nr_regions, ps->seen_regions);
            return FALSE;
        }
    }
    ps->in_regions = FALSE;
    ps->have_start = ps->have_end = ps->have_target = FALSE;
    return TRUE;
}

static int damon_line(TraceReader *r, DamonState *st, DamonParse *ps, char *line, GError **error)
{
    const char *s = skip_spaces(line), *rest;
    int64_t t;
    uint64_t v;
    if (*s == '\0') {
        if (ps->in_regions && !end_snapshot(r, ps, error))
            return -2;
        return 0;
    }
    if (*s == '#')
        return 0;
    if (starts_with(s, "base_time_absolute:", &rest)) {
        if (!end_snapshot(r, ps, error))
            return -2;
        if (!scan_damo_time(rest, &t))
            return reader_bad(r, "'base_time_absolute: TIME'");
        ps->have_base = TRUE;
        ps->base_ns = t;
        return 0;
    }
    if (starts_with(s, "monitoring_start:", &rest)) {
        if (!end_snapshot(r, ps, error))
            return -2;
        if (!scan_damo_time(rest, &t))
            return reader_bad(r, "'monitoring_start: TIME' (ns, or a number and unit)");
        ps->have_start = TRUE;
        ps->start_ns = t;
        return 0;
    }
    if (starts_with(s, "monitoring_end:", &rest)) {
        if (!ps->have_start || ps->in_regions)
            return reader_bad(r, "monitoring_end after monitoring_start");
        if (!scan_damo_time(rest, &t) || t < ps->start_ns)
            return reader_bad(r, "'monitoring_end: TIME' not before monitoring_start");
        ps->have_end = TRUE;
        ps->end_ns = t;
        return 0;
    }
    if (starts_with(s, "monitoring_duration:", &rest)) {
        if (!scan_damo_time(rest, &t))
            return reader_bad(r, "'monitoring_duration: TIME'");
        return 0;
    }
    if (starts_with(s, "target_id:", &rest)) {
        rest = skip_spaces(rest);
        if (!scan_dec(&rest, &v) || *skip_spaces(rest))
            return reader_bad(r, "'target_id: NUMBER'");
        ps->have_target = TRUE;
        ps->target = v;
        return 0;
    }
    if (starts_with(s, "nr_regions:", &rest)) {
        rest = skip_spaces(rest);
        if (!scan_dec(&rest, &v) || *skip_spaces(rest))
            return reader_bad(r, "'nr_regions: NUMBER'");
        if (!ps->have_start || !ps->have_end || !ps->have_target)
            return reader_bad(r, "monitoring_start, monitoring_end and target_id before "
                                 "nr_regions");
        ps->in_regions = TRUE;
        ps->nr_regions = v;
        ps->seen_regions = 0;
        ps->nr_regions_line = line_reader_lineno(r->lines);
        return 0;
    }
    uint64_t start, end, nr;
    if (!scan_region(s, &start, &end, &nr))
        return reader_bad(r, "a damo raw report line: base_time_absolute, monitoring_start, "
                             "monitoring_end, target_id, nr_regions, or a region "
                             "'START-END (SIZE) NR_ACCESSES [AGE]'");
    if (!ps->in_regions)
        return reader_bad(r, "a region line only after nr_regions");
    if (end <= start)
        return reader_bad(r, "a region whose end is above its start");
    if (nr > (1u << 20))
        return reader_bad(r, "nr_accesses of at most %u", 1u << 20);
    ps->seen_regions++;
    if (nr == 0)
        return 0;
    DamonRegion reg = {0};
    int64_t base = ps->have_base ? ps->base_ns : 0;
    if (base > INT64_MAX / 2 || ps->end_ns > INT64_MAX / 4)
        return reader_bad(r, "times below 2^61 ns");
    reg.start_ns = base + ps->start_ns;
    reg.dur_ns = ps->end_ns - ps->start_ns;
    reg.first_vpage = start >> r->page_shift;
    reg.n_pages = ((end - 1) >> r->page_shift) - reg.first_vpage + 1;
    if (reg.n_pages > UINT64_MAX / nr)
        return reader_bad(r, "a region small enough to count its accesses");
    reg.total = reg.n_pages * nr;
    reg.target = target_index(st, ps->target);
    reg.order = st->regions->len;
    g_array_append_val(st->regions, reg);
    return 0;
}

static int region_cmp(gconstpointer a, gconstpointer b)
{
    const DamonRegion *x = a, *y = b;
    if (x->start_ns != y->start_ns)
        return x->start_ns < y->start_ns ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static gboolean heap_less(const DamonRegion *a, const DamonRegion *b)
{
    if (a->next_ns != b->next_ns)
        return a->next_ns < b->next_ns;
    return a->order < b->order;
}

static void heap_push(DamonState *st, DamonRegion *reg)
{
    guint i = st->heap_n++;
    while (i > 0) {
        guint parent = (i - 1) / 2;
        if (!heap_less(reg, st->heap[parent]))
            break;
        st->heap[i] = st->heap[parent];
        i = parent;
    }
    st->heap[i] = reg;
}

static void heap_sift_down(DamonState *st, guint i)
{
    DamonRegion *reg = st->heap[i];
    for (;;) {
        guint c = 2 * i + 1;
        if (c >= st->heap_n)
            break;
        if (c + 1 < st->heap_n && heap_less(st->heap[c + 1], st->heap[c]))
            c++;
        if (!heap_less(st->heap[c], reg))
            break;
        st->heap[i] = st->heap[c];
        i = c;
    }
    st->heap[i] = reg;
}

static int64_t region_time(const DamonRegion *reg, uint64_t i)
{
    /* i * dur / total without overflow: both below 2^63, so use 128 bits. */
    return reg->start_ns + (int64_t)((unsigned __int128)i * (uint64_t)reg->dur_ns / reg->total);
}

static gssize damon_read(TraceReader *r, PageAccess *buf, gsize cap, GError **error)
{
    DamonState *st = r->fmt;
    DamonRegion *regs = (DamonRegion *)(void *)st->regions->data;
    gsize n = 0;
    while (n < cap) {
        while (st->next_region < st->regions->len &&
               (st->heap_n == 0 || regs[st->next_region].start_ns <= st->heap[0]->next_ns)) {
            DamonRegion *reg = &regs[st->next_region++];
            reg->next_ns = reg->start_ns;
            heap_push(st, reg);
        }
        if (st->heap_n == 0)
            break;
        DamonRegion *reg = st->heap[0];
        buf[n++] = (PageAccess){reg->next_ns, reg->first_vpage + reg->next % reg->n_pages,
                                st->pids[reg->target], -1, ACCESS_READ};
        if (++reg->next == reg->total) {
            st->heap[0] = st->heap[--st->heap_n];
        } else {
            reg->next_ns = region_time(reg, reg->next);
        }
        if (st->heap_n > 0)
            heap_sift_down(st, 0);
    }
    return (gssize)n;
}

static gboolean damon_open(TraceReader *r, GError **error)
{
    if (!reader_check_options(r, 0, "DAMON snapshots carry their own time", error))
        return FALSE;
    DamonState *st = g_new0(DamonState, 1);
    st->regions = g_array_new(FALSE, FALSE, sizeof(DamonRegion));
    st->targets = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    r->fmt = st;
    r->fmt_free = damon_state_free;
    r->lines = line_reader_new(r->in);
    DamonParse ps = {0};
    char *line;
    gsize len;
    int rc;
    while ((rc = line_reader_next(r->lines, &line, &len, error)) > 0) {
        int k = damon_line(r, st, &ps, line, error);
        if (k == -2)
            return FALSE;
        if (k == LINE_BAD) {
            if (r->opts.skip_bad_lines) {
                r->skipped++;
                continue;
            }
            char ex[64];
            g_strlcpy(ex, line, sizeof(ex));
            for (char *c = ex; *c; c++)
                if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f || *c == '\'')
                    *c = '?';
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                        "%s:%" G_GUINT64_FORMAT ": damon: expected %s; got '%s'", r->name,
                        line_reader_lineno(r->lines), r->expected, ex);
            return FALSE;
        }
    }
    if (rc < 0 || !end_snapshot(r, &ps, error))
        return FALSE;
    if (st->regions->len == 0 && ps.seen_regions == 0 && !ps.have_base) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                    "%s: damon: no snapshot found (expected damo report raw output)", r->name);
        return FALSE;
    }
    g_array_sort(st->regions, region_cmp);
    DamonRegion *regs = (DamonRegion *)(void *)st->regions->data;
    int64_t t0 = st->regions->len ? regs[0].start_ns : 0;
    uint64_t total = 0;
    for (guint i = 0; i < st->regions->len; i++) {
        regs[i].start_ns -= t0;
        total = total + regs[i].total < total ? UINT64_MAX : total + regs[i].total;
    }
    st->heap = g_new(DamonRegion *, MAX(st->regions->len, 1));
    guint nt = st->targets->len;
    st->pids = g_new(uint32_t, MAX(nt, 1));
    gboolean plausible = TRUE;
    for (guint i = 0; i < nt; i++) {
        uint64_t id = g_array_index(st->targets, uint64_t, i);
        plausible &= id >= 1 && id <= DAMON_PID_MAX;
    }
    GString *map = g_string_new(NULL);
    for (guint i = 0; i < nt; i++) {
        uint64_t id = g_array_index(st->targets, uint64_t, i);
        st->pids[i] = plausible ? (uint32_t)id : i + 1;
        if (!plausible)
            g_string_append_printf(map, "%s%" G_GUINT64_FORMAT " -> %u", i ? ", " : "", id, i + 1);
    }
    reader_note(r,
                "damon: %u regions with accesses expand to %" G_GUINT64_FORMAT
                " accesses (each page of a region accessed nr_accesses times, evenly over its "
                "snapshot); all are reads",
                st->regions->len, total);
    if (!plausible && nt > 0)
        reader_note(r, "damon: target ids are not pids; pids assigned in order: %s", map->str);
    g_string_free(map, TRUE);
    r->read = damon_read;
    return TRUE;
}

/* Auto-detection recognises DAMON by its keywords (reader.c), not by a line
 * parser: region lines alone are not distinctive. */
const TraceFormatDef trace_format_damon = {"damon", FALSE, damon_open, NULL};
