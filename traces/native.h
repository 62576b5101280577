/*
 * native.h - tiersim's own binary trace format: writing it, and its header.
 *
 * Layout (byte by byte in the README, "The native trace format"): a 64-byte header (magic
 * "TSTRACE\0", version, page size, time unit, flags, record count, source
 * format), then blocks of at most NATIVE_BLOCK_RECORDS records, each with a
 * 16-byte block header, and an empty block that ends the stream. Records are
 * delta-encoded against the previous record of the same block: one tag byte
 * (op, widths of the time and page deltas, whether pid/cpu change) and
 * 0-8 little-endian bytes per delta, so a typical record takes 2-4 bytes.
 * Each block starts from zero state, so blocks decode independently; a block
 * may be zstd-compressed as a whole (when the writer was asked to, and it
 * helps).
 *
 * Reading goes through trace_open() (format "native", or "auto": the magic
 * is recognised). Decoding costs a few ns per record: one tag lookup, two
 * unaligned 8-byte loads and masks.
 *
 * Writing: records must come in time order with time >= 0; the file is
 * built under a temporary name in the destination folder and renamed over
 * the destination on close, so a reader never sees a half-written trace.
 */
#ifndef TIERSIM_TRACES_NATIVE_H
#define TIERSIM_TRACES_NATIVE_H

#include <glib.h>
#include <stdint.h>

#include "traces/access.h"

#define NATIVE_MAGIC              "TSTRACE" /* 8 bytes with its NUL */
#define NATIVE_VERSION            1
#define NATIVE_HEADER_BYTES       64
#define NATIVE_BLOCK_HEADER_BYTES 16
#define NATIVE_BLOCK_RECORDS      65536
#define NATIVE_RECORD_MAX_BYTES   26 /* tag, 8 + 8 delta bytes, ext, pid, cpu */

enum {
    NATIVE_FLAG_ZSTD = 1u << 0,  /* blocks may be zstd-compressed */
    NATIVE_FLAG_COUNT = 1u << 1, /* record_count is valid */
};

typedef struct NativeHeader {
    uint16_t version;
    uint32_t page_size;
    uint32_t time_unit_ns;
    uint32_t flags;
    uint64_t record_count;
    char source_format[17]; /* NUL-terminated */
} NativeHeader;

typedef struct NativeWriter NativeWriter;

/* Starts a native trace at `path` (page_size a power of two); zstd
 * compresses the blocks. Nothing appears at `path` before close. */
NativeWriter *native_writer_new(const char *path, uint32_t page_size, gboolean zstd,
                                GError **error);
/* Records the format the trace came from (at most 16 bytes kept). */
void native_writer_set_source_format(NativeWriter *w, const char *format);
/* Appends n records. Fails on a record out of time order, with a negative
 * time, an op other than read/write or a cpu below -1; the writer is then
 * unusable except for abort. */
gboolean native_writer_add(NativeWriter *w, const PageAccess *recs, gsize n, GError **error);
uint64_t native_writer_count(const NativeWriter *w);
/* Finishes the file and renames it into place; frees w either way. */
gboolean native_writer_close(NativeWriter *w, GError **error);
/* Drops the temporary file; frees w. NULL-safe. */
void native_writer_abort(NativeWriter *w);

/* Reads and validates the header of a native trace file (plain, or gzip or
 * zstd compressed as a whole). */
gboolean native_read_header(const char *path, NativeHeader *h, GError **error);

#endif
