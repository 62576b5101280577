/*
 * input.h - the bytes of a trace: a file, a pipe or a memory buffer, with
 * gzip and zstd decompressed transparently.
 *
 * The compression is recognised by the first bytes of the raw stream (gzip
 * 1f 8b, zstd 28 b5 2f fd), never by the file name. Concatenated gzip members
 * and zstd frames are read as one stream. xz, bzip2 and lz4-frame inputs are
 * recognised too, and refused with a message saying so.
 *
 * trace_input_peek() lets a caller look at the first bytes of the
 * decompressed stream (format auto-detection) without consuming them.
 *
 * Cost: a plain file is read with read(2) straight into the caller's buffer
 * (no extra copy); compressed input goes through one 256 KiB raw buffer.
 * Nothing is allocated per read.
 */
#ifndef TIERSIM_TRACES_INPUT_H
#define TIERSIM_TRACES_INPUT_H

#include <glib.h>

typedef struct TraceInput TraceInput;

typedef enum TraceCompression {
    TRACE_COMPRESSION_NONE,
    TRACE_COMPRESSION_GZIP,
    TRACE_COMPRESSION_ZSTD,
} TraceCompression;

/* Opens a file ("-" is standard input). */
TraceInput *trace_input_open(const char *path, GError **error);
/* Reads from an open descriptor; the input closes it when own_fd is set.
 * `name` names the stream in messages. */
TraceInput *trace_input_new_fd(int fd, gboolean own_fd, const char *name, GError **error);
/* Reads from memory; the data is borrowed and must outlive the input. */
TraceInput *trace_input_new_memory(const char *name, const void *data, gsize len, GError **error);
void trace_input_free(TraceInput *in);

/* Reads up to cap decompressed bytes; returns the count, 0 at the end,
 * -1 with *error set (I/O error, corrupt or truncated compressed data). */
gssize trace_input_read(TraceInput *in, void *buf, gsize cap, GError **error);
/* Reads exactly len bytes unless the stream ends first; returns the count
 * read (< len only at the end) or -1. */
gssize trace_input_read_full(TraceInput *in, void *buf, gsize len, GError **error);
/* Makes up to `want` (at most 64 KiB) first bytes available without
 * consuming them: *data points to them (valid until the next read), and the
 * count is returned (< want only at the end of a short stream), or -1. */
gssize trace_input_peek(TraceInput *in, gsize want, const guint8 **data, GError **error);

const char *trace_input_name(const TraceInput *in);
TraceCompression trace_input_compression(const TraceInput *in);
const char *trace_compression_name(TraceCompression c);

#endif
