/*
 * lines.c - a line splitter over a refillable buffer.
 *
 * buf[start, end) holds unread bytes; buf has one spare byte past its
 * capacity so that a last line without '\n' can be NUL-terminated too.
 */
#include "traces/lines.h"

#include <string.h>

#include "traces/trace_error.h"

struct LineReader {
    TraceInput *in;
    char *buf;
    gsize cap, start, end;
    gboolean eof;
    guint64 lineno;
};

LineReader *line_reader_new(TraceInput *in)
{
    LineReader *lr = g_new0(LineReader, 1);
    lr->in = in;
    lr->cap = LINE_READER_MAX_LINE_BYTES;
    lr->buf = g_malloc(lr->cap + 1);
    return lr;
}

void line_reader_free(LineReader *lr)
{
    if (!lr)
        return;
    g_free(lr->buf);
    g_free(lr);
}

guint64 line_reader_lineno(const LineReader *lr)
{
    return lr->lineno;
}

static void hand_out(LineReader *lr, gsize from, gsize to, char **line, gsize *len)
{
    gsize n = to - from;
    if (n > 0 && lr->buf[from + n - 1] == '\r')
        n--;
    lr->buf[from + n] = '\0';
    *line = lr->buf + from;
    *len = n;
    lr->lineno++;
}

int line_reader_next(LineReader *lr, char **line, gsize *len, GError **error)
{
    for (;;) {
        char *nl =
            lr->start < lr->end ? memchr(lr->buf + lr->start, '\n', lr->end - lr->start) : NULL;
        if (nl) {
            gsize at = (gsize)(nl - lr->buf);
            gsize from = lr->start;
            lr->start = at + 1;
            hand_out(lr, from, at, line, len);
            return 1;
        }
        if (lr->eof) {
            if (lr->start == lr->end)
                return 0;
            gsize from = lr->start;
            lr->start = lr->end;
            hand_out(lr, from, lr->end, line, len);
            return 1;
        }
        gsize rest = lr->end - lr->start;
        if (rest == lr->cap) {
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                        "%s:%" G_GUINT64_FORMAT ": line longer than %u bytes (is this a text "
                        "trace?)",
                        trace_input_name(lr->in), lr->lineno + 1,
                        (unsigned)LINE_READER_MAX_LINE_BYTES);
            return -1;
        }
        if (lr->start > 0) {
            memmove(lr->buf, lr->buf + lr->start, rest);
            lr->start = 0;
            lr->end = rest;
        }
        gssize n = trace_input_read(lr->in, lr->buf + lr->end, lr->cap - lr->end, error);
        if (n < 0)
            return -1;
        if (n == 0)
            lr->eof = TRUE;
        lr->end += (gsize)n;
    }
}
