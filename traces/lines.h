/*
 * lines.h - lines of a text trace, read in big blocks.
 *
 * A LineReader hands out the lines of a TraceInput one by one, in place in
 * a 1 MiB buffer: each line is NUL-terminated where its '\n' was (a '\r'
 * before it is dropped too), and stays valid until the next call. Lines are
 * numbered from 1, as editors and error messages count them.
 *
 * Cost: one memchr per line and one memmove per buffer refill; no
 * allocation after line_reader_new(). A line longer than the buffer is an
 * error, not a reallocation.
 */
#ifndef TIERSIM_TRACES_LINES_H
#define TIERSIM_TRACES_LINES_H

#include <glib.h>

#include "traces/input.h"

#define LINE_READER_MAX_LINE_BYTES (1024 * 1024)

typedef struct LineReader LineReader;

/* The input is borrowed. */
LineReader *line_reader_new(TraceInput *in);
void line_reader_free(LineReader *lr);

/* Returns 1 and the next line (without its end-of-line bytes), 0 at the end
 * of the input, -1 with *error set. */
int line_reader_next(LineReader *lr, char **line, gsize *len, GError **error);
/* The number of the line last returned (1-based). */
guint64 line_reader_lineno(const LineReader *lr);

#endif
