/*
 * reader.c - trace_open(): format choice, auto-detection, option checks and
 * the line-format driver shared by every text reader.
 */
#include "traces/reader.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "traces/reader_priv.h"

#define DETECT_PEEK_BYTES (64 * 1024)
#define DETECT_MAX_LINES  32

static const TraceFormatDef *const format_defs[] = {
    &trace_format_native,      &trace_format_text,      &trace_format_lackey,
    &trace_format_lackey_insn, &trace_format_pinatrace, &trace_format_perf,
    &trace_format_damon,       &trace_format_ramulator, &trace_format_prospero,
};

static const char *const format_names[] = {
    "auto", "native", "text",      "lackey",   "lackey-insn", "pinatrace",
    "perf", "damon",  "ramulator", "prospero", NULL,
};

const char *const *trace_format_names(void)
{
    return format_names;
}

static const TraceFormatDef *format_find(const char *name)
{
    for (gsize i = 0; i < G_N_ELEMENTS(format_defs); i++)
        if (!strcmp(format_defs[i]->name, name))
            return format_defs[i];
    return NULL;
}

gboolean trace_format_known(const char *name)
{
    return name && (!strcmp(name, "auto") || format_find(name));
}

void trace_open_options_init(TraceOpenOptions *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->format = "auto";
}

/* ---- helpers for the formats ---- */

void reader_note(TraceReader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_string_append_vprintf(r->notes, fmt, ap);
    va_end(ap);
    g_string_append_c(r->notes, '\n');
}

int reader_bad(TraceReader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_vsnprintf(r->expected, sizeof(r->expected), fmt, ap);
    va_end(ap);
    return LINE_BAD;
}

gboolean reader_check_options(TraceReader *r, unsigned allowed, const char *why, GError **error)
{
    const char *bad = NULL;
    if (r->opts.time_unit_ns && !(allowed & READER_OPT_TIME_UNIT))
        bad = "time_unit";
    else if (r->opts.clock_ghz != 0 && !(allowed & READER_OPT_CLOCK))
        bad = "clock_ghz";
    else if (r->opts.rate != 0 && !(allowed & READER_OPT_RATE))
        bad = "rate";
    if (!bad)
        return TRUE;
    g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                "%s: %s does not apply to %s traces: %s", r->name, bad, r->def->name, why);
    return FALSE;
}

const char *reader_format_rate(double rate, char *buf, gsize cap)
{
    /* "%g" writes 1e+09; people write 1e9. */
    char tmp[48];
    g_snprintf(tmp, sizeof(tmp), "%g", rate);
    gsize o = 0;
    for (const char *c = tmp; *c && o + 1 < cap; c++) {
        if (c[0] == 'e' && c[1] == '+') {
            buf[o++] = 'e';
            c++;
            while (c[1] == '0' && c[2])
                c++;
            continue;
        }
        buf[o++] = *c;
    }
    buf[o] = '\0';
    return buf;
}

void reader_use_ordinal_time(TraceReader *r, const char *what)
{
    double rate = r->opts.rate > 0 ? r->opts.rate : TRACE_DEFAULT_RATE;
    char rb[48];
    r->ns_per_step = 1e9 / rate;
    r->steps = 0;
    reader_note(r, "%s has no time: ordinal time at %s accesses/s (%s)%s", what,
                reader_format_rate(rate, rb, sizeof(rb)), r->opts.rate > 0 ? "rate" : "default",
                r->opts.rate > 0 ? "" : "; set rate to change it");
}

gboolean scan_scaled(const char **p, double unit_ns, int64_t *out_ns)
{
    uint64_t ip, frac = 0, pow10 = 1;
    if (!scan_dec(p, &ip))
        return FALSE;
    if (**p == '.') {
        const char *s = *p + 1, *digits = s;
        /* Digits past the 18th cannot change a value in ns: ignored. */
        for (int k = 0; (unsigned)(*s - '0') < 10; s++, k++)
            if (k < 18) {
                frac = frac * 10 + (uint64_t)(*s - '0');
                pow10 *= 10;
            }
        if (s == digits)
            return FALSE;
        *p = s;
    }
    if (unit_ns >= 1 && unit_ns < 9.2e18 && unit_ns == floor(unit_ns)) {
        /* A whole number of ns per unit: exact, truncated to the ns. */
        uint64_t u = (uint64_t)unit_ns;
        unsigned __int128 v = (unsigned __int128)ip * u + (unsigned __int128)frac * u / pow10;
        if (v > INT64_MAX)
            return FALSE;
        *out_ns = (int64_t)v;
        return TRUE;
    }
    /* Fractional ns per unit (cycles): rounded to the nearest ns. */
    double v = ((double)ip + (double)frac / (double)pow10) * unit_ns;
    if (!(v < 9.2e18))
        return FALSE;
    *out_ns = llround(v);
    return TRUE;
}

/* ---- the TraceReader source ---- */

static void reader_free(TraceSource *src);
static gssize reader_read(TraceSource *src, PageAccess *buf, gsize cap, GError **error);

static const TraceSourceOps trace_reader_ops = {
    .name = "trace",
    .read = reader_read,
    .free = reader_free,
};

static TraceReader *as_reader(TraceSource *src)
{
    return src && src->ops == &trace_reader_ops ? (TraceReader *)src : NULL;
}

const char *trace_source_format(TraceSource *src)
{
    TraceReader *r = as_reader(src);
    return r ? r->def->name : src->ops->name;
}

guint64 trace_source_skipped_lines(TraceSource *src)
{
    TraceReader *r = as_reader(src);
    return r ? r->skipped : 0;
}

const char *trace_source_notes(TraceSource *src)
{
    TraceReader *r = as_reader(src);
    return r ? r->notes->str : "";
}

const char *trace_source_compression(TraceSource *src)
{
    TraceReader *r = as_reader(src);
    return r && r->in ? trace_compression_name(trace_input_compression(r->in)) : "none";
}

static void reader_free(TraceSource *src)
{
    TraceReader *r = (TraceReader *)src;
    if (r->fmt_free)
        r->fmt_free(r->fmt);
    line_reader_free(r->lines);
    trace_input_free(r->in);
    if (r->deferred)
        g_error_free(r->deferred);
    g_string_free(r->notes, TRUE);
    g_free(r->name);
    g_free(r);
}

/* A printable excerpt of a bad line for the message. */
static void excerpt(const char *line, gsize len, char *out, gsize cap)
{
    gsize o = 0;
    for (gsize i = 0; i < len && o + 8 < cap; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c >= 0x20 && c < 0x7f && c != '\'')
            out[o++] = (char)c;
        else
            o += (gsize)g_snprintf(out + o, cap - o, "\\x%02x", c);
    }
    if (o + 8 >= cap && len > 0)
        o += (gsize)g_snprintf(out + o, cap - o, "...");
    out[o] = '\0';
}

static GError *line_error(TraceReader *r, const char *line, gsize len)
{
    char ex[96];
    excerpt(line, len, ex, sizeof(ex));
    return g_error_new(TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                       "%s:%" G_GUINT64_FORMAT ": %s: expected %s; got '%s'", r->name,
                       line_reader_lineno(r->lines), r->def->name, r->expected, ex);
}

/* One line through the format's parser, time order checked. Returns the
 * record count (placed in out), or LINE_END, or LINE_BAD. */
static int parse_checked(TraceReader *r, char *line, gsize len, PageAccess *out)
{
    if (r->ended) {
        if (line_is_blank(line))
            return 0;
        return reader_bad(r, "nothing after the end-of-trace marker");
    }
    int k = r->lf->parse(r, line, len, out);
    if (k <= 0)
        return k;
    if (r->have_time && out[0].time_ns < r->last_time)
        return reader_bad(r,
                          "records in time order (time %" G_GINT64_FORMAT
                          " ns is before the previous record's %" G_GINT64_FORMAT " ns)",
                          out[0].time_ns, r->last_time);
    r->last_time = out[k - 1].time_ns;
    r->have_time = TRUE;
    return k;
}

static gssize lines_read(TraceReader *r, PageAccess *buf, gsize cap, GError **error)
{
    gsize n = 0;
    while (n < cap && r->pend_pos < r->pend_n)
        buf[n++] = r->pend[r->pend_pos++];
    while (n < cap && !r->done) {
        char *line;
        gsize len;
        GError *err = NULL;
        int rc = line_reader_next(r->lines, &line, &len, &err);
        if (rc <= 0) {
            r->done = TRUE;
            if (rc < 0)
                r->deferred = err;
            break;
        }
        gboolean direct = cap - n >= LINE_MAX_RECORDS;
        PageAccess *dst = direct ? buf + n : r->pend;
        int k = parse_checked(r, line, len, dst);
        if (k == LINE_BAD) {
            if (r->opts.skip_bad_lines) {
                r->skipped++;
                continue;
            }
            r->deferred = line_error(r, line, len);
            r->done = TRUE;
            break;
        }
        if (k == LINE_END) {
            r->ended = TRUE;
            continue;
        }
        if (direct) {
            n += (gsize)k;
        } else {
            r->pend_n = k;
            r->pend_pos = 0;
            while (n < cap && r->pend_pos < r->pend_n)
                buf[n++] = r->pend[r->pend_pos++];
        }
    }
    if (n > 0)
        return (gssize)n;
    if (r->deferred) {
        g_propagate_error(error, r->deferred);
        r->deferred = NULL;
        return -1;
    }
    return 0;
}

static gssize reader_read(TraceSource *src, PageAccess *buf, gsize cap, GError **error)
{
    TraceReader *r = (TraceReader *)src;
    if (cap == 0)
        return 0;
    if (r->read)
        return r->read(r, buf, cap, error);
    return lines_read(r, buf, cap, error);
}

/* ---- auto-detection ---- */

static gboolean looks_like_damon(const char *text, gsize len)
{
    gsize i = 0;
    while (i < len) {
        const char *line = text + i;
        const char *nl = memchr(line, '\n', len - i);
        gsize l = nl ? (gsize)(nl - line) : len - i;
        i += l + 1;
        const char *s = skip_spaces(line);
        if (s >= line + l || *s == '\n' || *s == '\r' || *s == '#')
            continue;
        return !strncmp(s, "base_time_absolute:", 19) || !strncmp(s, "monitoring_start:", 17);
    }
    return FALSE;
}

/* Runs a line format's parser over the sample lines on a scratch reader.
 * Returns the number of lines it accepted, or -1 when one did not fit (then
 * *failed_after is the number accepted before it). */
static int probe_format(const TraceFormatDef *def, const TraceReader *model, char *text, gsize len,
                        int *failed_after)
{
    TraceReader *s = g_new0(TraceReader, 1);
    s->name = model->name;
    s->def = def;
    s->notes = g_string_new(NULL);
    s->page_size = model->page_size;
    s->page_shift = model->page_shift;
    s->probing = TRUE;
    s->ns_per_step = 1;
    s->lf = def->lf;
    /* Options are not applied while probing: their errors belong to the
     * real open, after the choice. */
    int accepted = 0, lines = 0;
    char *p = text, *end = text + len;
    PageAccess out[LINE_MAX_RECORDS];
    while (p < end && lines < DETECT_MAX_LINES) {
        char *nl = memchr(p, '\n', (gsize)(end - p));
        if (!nl)
            break; /* a cut line at the end of the sample proves nothing */
        *nl = '\0';
        gsize l = (gsize)(nl - p);
        if (l > 0 && p[l - 1] == '\r')
            p[--l] = '\0';
        char *line = p;
        p = nl + 1;
        if (line_is_blank(line) || line[0] == '#')
            continue;
        lines++;
        int k = def->lf->parse(s, line, l, out);
        if (k == LINE_BAD) {
            *failed_after = accepted;
            accepted = -1;
            break;
        }
        accepted++;
    }
    if (s->fmt_free)
        s->fmt_free(s->fmt);
    g_string_free(s->notes, TRUE);
    g_free(s);
    return accepted;
}

static const TraceFormatDef *detect_format(TraceReader *r, GError **error)
{
    const guint8 *data;
    gssize n = trace_input_peek(r->in, DETECT_PEEK_BYTES, &data, error);
    if (n < 0)
        return NULL;
    if (n >= 8 && !memcmp(data, "TSTRACE", 8))
        return &trace_format_native;
    if (n == 0) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                    "%s: the trace is empty: cannot detect its format", r->name);
        return NULL;
    }
    if (looks_like_damon((const char *)data, (gsize)n))
        return &trace_format_damon;
    /* A sample that is a whole file may lack a final newline. */
    char *copy = g_malloc((gsize)n + 2);
    memcpy(copy, data, (gsize)n);
    gsize len = (gsize)n;
    if (len < DETECT_PEEK_BYTES && copy[len - 1] != '\n')
        copy[len++] = '\n';
    /* The format whose parser accepts every sample line wins. If none does
     * (a bad line early in the file), the one that accepted the most lines
     * before failing is chosen, so that its strict reader reports the bad
     * line with its number. Equal best candidates are ambiguous. */
    const TraceFormatDef *best = NULL;
    int best_score = 0, best_count = 0;
    gboolean best_fits = FALSE;
    char *scratch = g_malloc(len + 1);
    for (gsize i = 0; i < G_N_ELEMENTS(format_defs); i++) {
        const TraceFormatDef *def = format_defs[i];
        if (!def->autodetect || !def->lf)
            continue;
        memcpy(scratch, copy, len);
        int failed_after = 0;
        int accepted = probe_format(def, r, scratch, len, &failed_after);
        gboolean fits = accepted > 0;
        int score = fits ? accepted : failed_after;
        if (score <= 0)
            continue;
        if ((fits && !best_fits) || (fits == best_fits && score > best_score)) {
            best = def;
            best_score = score;
            best_fits = fits;
            best_count = 1;
        } else if (fits == best_fits && score == best_score) {
            best_count++;
        }
    }
    char first[96] = "";
    char *nl = memchr(copy, '\n', len);
    excerpt(copy, nl ? (gsize)(nl - copy) : len, first, sizeof(first));
    if (!best)
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_UNSUPPORTED,
                    "%s: cannot detect the trace format (first line '%s' fits none of "
                    "native, text, lackey, pinatrace, perf, damon, ramulator, prospero); "
                    "set the format",
                    r->name, first);
    else if (best_count > 1)
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_UNSUPPORTED,
                    "%s: the trace fits more than one format, %s among them (first line "
                    "'%s'); set the format",
                    r->name, best->name, first);
    g_free(scratch);
    g_free(copy);
    return best_count == 1 ? best : NULL;
}

/* ---- opening ---- */

static TraceSource *open_input(TraceInput *in, const TraceOpenOptions *opts, uint32_t page_size,
                               GError **error)
{
    if (!in)
        return NULL;
    TraceOpenOptions defaults;
    if (!opts) {
        trace_open_options_init(&defaults);
        opts = &defaults;
    }
    const char *fname = opts->format && *opts->format ? opts->format : "auto";
    if (page_size == 0 || (page_size & (page_size - 1))) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                    "%s: page size %u is not a power of two", trace_input_name(in), page_size);
        trace_input_free(in);
        return NULL;
    }
    if (!trace_format_known(fname)) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                    "%s: unknown trace format '%s' (expected auto, native, text, lackey, "
                    "lackey-insn, pinatrace, perf, damon, ramulator or prospero)",
                    trace_input_name(in), fname);
        trace_input_free(in);
        return NULL;
    }
    if (opts->time_unit_ns < 0 || opts->clock_ghz < 0 || opts->rate < 0 ||
        !isfinite(opts->clock_ghz) || !isfinite(opts->rate)) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                    "%s: time_unit, clock_ghz and rate must be positive", trace_input_name(in));
        trace_input_free(in);
        return NULL;
    }
    TraceReader *r = g_new0(TraceReader, 1);
    r->base.ops = &trace_reader_ops;
    r->name = g_strdup(trace_input_name(in));
    r->notes = g_string_new(NULL);
    r->opts = *opts;
    r->opts.format = NULL;
    r->page_size = page_size;
    r->page_shift = (unsigned)g_bit_nth_lsf(page_size, -1);
    r->in = in;
    r->ns_per_step = 1;
    if (!strcmp(fname, "auto")) {
        r->def = detect_format(r, error);
        if (!r->def) {
            reader_free(&r->base);
            return NULL;
        }
        reader_note(r, "format auto-detected as %s", r->def->name);
    } else {
        r->def = format_find(fname);
    }
    if (r->def->lf) {
        r->lf = r->def->lf;
        r->lines = line_reader_new(in);
    }
    if (!r->def->open(r, error)) {
        reader_free(&r->base);
        return NULL;
    }
    return &r->base;
}

TraceSource *trace_open(const char *path, const TraceOpenOptions *opts, uint32_t page_size,
                        GError **error)
{
    return open_input(trace_input_open(path, error), opts, page_size, error);
}

TraceSource *trace_open_memory(const char *name, const void *data, gsize len,
                               const TraceOpenOptions *opts, uint32_t page_size, GError **error)
{
    return open_input(trace_input_new_memory(name, data, len, error), opts, page_size, error);
}

TraceSource *trace_open_fd(int fd, const char *name, const TraceOpenOptions *opts,
                           uint32_t page_size, GError **error)
{
    return open_input(trace_input_new_fd(fd, TRUE, name, error), opts, page_size, error);
}
