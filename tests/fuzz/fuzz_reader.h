/*
 * fuzz_reader.h - the body shared by the reader fuzz targets.
 *
 * Opens the input in memory with one format, reads it to the end (at most
 * FUZZ_MAX_RECORDS records) in odd batch sizes, strictly and again with
 * skip_bad_lines, and aborts if a record breaks the stream's invariants:
 * time non-decreasing, op
 * read or write, cpu >= -1.
 */
#ifndef TIERSIM_TESTS_FUZZ_READER_H
#define TIERSIM_TESTS_FUZZ_READER_H

#include <stdint.h>
#include <stdlib.h>

#include "traces/reader.h"

#define FUZZ_MAX_RECORDS 200000

static inline void fuzz_one(const uint8_t *data, size_t size, const char *format, double clock_ghz,
                            gboolean skip)
{
    TraceOpenOptions o;
    trace_open_options_init(&o);
    o.format = format;
    o.clock_ghz = clock_ghz;
    o.skip_bad_lines = skip;
    GError *error = NULL;
    TraceSource *src = trace_open_memory("fuzz", data, size, &o, 4096, &error);
    if (!src) {
        if (!error || !error->message[0])
            abort(); /* a failure always says why */
        g_error_free(error);
        return;
    }
    PageAccess buf[13];
    uint64_t total = 0;
    int64_t last = INT64_MIN;
    gsize batch = 1;
    gssize n;
    while ((n = trace_source_read(src, buf, batch, &error)) > 0) {
        if ((gsize)n > batch)
            abort();
        for (gssize i = 0; i < n; i++) {
            if (buf[i].time_ns < last || buf[i].op > ACCESS_WRITE || buf[i].cpu < -1)
                abort();
            last = buf[i].time_ns;
        }
        total += (uint64_t)n;
        if (total > FUZZ_MAX_RECORDS)
            break;
        batch = batch % 13 + 1;
    }
    if (n < 0 && (!error || !error->message[0]))
        abort();
    g_clear_error(&error);
    (void)trace_source_skipped_lines(src);
    (void)trace_source_notes(src);
    trace_source_free(src);
}

static inline int fuzz_reader(const uint8_t *data, size_t size, const char *format,
                              double clock_ghz)
{
    fuzz_one(data, size, format, clock_ghz, FALSE);
    fuzz_one(data, size, format, clock_ghz, TRUE);
    return 0;
}

#endif
