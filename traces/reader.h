/*
 * reader.h - opening a real trace in any supported format as a TraceSource.
 *
 * Formats (README "Trace formats" and traces/FORMATS.md give every detail):
 *   native     tiersim's own binary format (README, "The native trace format")
 *   text       TSV/CSV/whitespace columns named by a header line:
 *              time[_ns|_us|_ms|_s], pid, cpu, addr, op
 *   lackey     valgrind --tool=lackey --trace-mem=yes (I/L/S/M lines)
 *   lackey-insn  the same, but every instruction line advances the clock
 *   pinatrace  Intel Pin's pinatrace tool ("0xIP: R|W 0xADDR", "#eof")
 *   perf       perf script --fields pid,tid,time,addr (optionally cpu, event)
 *   damon      damo's raw report text (regions with nr_accesses per snapshot)
 *   ramulator  Ramulator 2 load/store traces ("[BUBBLES] LD|ST ADDR")
 *   prospero   SST Prospero text traces ("CYCLES R|W ADDR LEN")
 * "auto" detects the format from the content and says so in the notes.
 *
 * Time is never guessed: it comes from the format (native, perf, damon), from
 * an explicit unit (text's time column: its name or time_unit_ns; prospero's
 * cycles: clock_ghz), or is ordinal (lackey, pinatrace, ramulator, text
 * without a time column) at `rate` accesses per second, default
 * TRACE_DEFAULT_RATE, which the notes then state. An option that a format
 * cannot use is an error, as is a missing unit.
 *
 * Strictness: a malformed line fails the read with a TIERSIM_TRACE_ERROR
 * whose message is "FILE:LINE: FORMAT: expected ...; got '...'"; records are
 * also required to be in time order. With skip_bad_lines such lines are
 * skipped and counted instead (trace_source_skipped_lines()).
 *
 * Formats without a pid give every access pid 1; formats without a CPU give
 * cpu -1 (the task's configured CPU). Addresses become vpage = addr >>
 * log2(page_size); an access that straddles a page boundary counts for the
 * page of its first byte.
 *
 * The library never prints: the caller prints trace_source_notes() (on
 * stderr for the CLI).
 */
#ifndef TIERSIM_TRACES_READER_H
#define TIERSIM_TRACES_READER_H

#include <glib.h>
#include <stdint.h>

#include "traces/source.h"
#include "traces/trace_error.h"

/* Ordinal time for formats without time: accesses per second. */
#define TRACE_DEFAULT_RATE 1e9
/* Pid given to every access of a format that carries none. */
#define TRACE_DEFAULT_PID 1

typedef struct TraceOpenOptions {
    const char *format;   /* "auto" (or NULL), "native", "text", "lackey", ... */
    int64_t time_unit_ns; /* 0: unset; ns per unit of a text trace's "time" column */
    double clock_ghz;     /* 0: unset; converts cycle stamps (prospero) to ns */
    double rate;          /* 0: unset; accesses per second for formats without time */
    gboolean skip_bad_lines;
} TraceOpenOptions;

/* Every field unset, format "auto". */
void trace_open_options_init(TraceOpenOptions *opts);

/* Opens `path` ("-" is standard input), gzip or zstd compressed or plain.
 * page_size is a power of two. Fails with *error set on an unreadable file,
 * an undetectable or unknown format, options the format cannot use, a
 * missing time unit, or a malformed header. */
TraceSource *trace_open(const char *path, const TraceOpenOptions *opts, uint32_t page_size,
                        GError **error);
/* The same over bytes in memory (borrowed: they must outlive the source);
 * `name` stands for the file name in messages. */
TraceSource *trace_open_memory(const char *name, const void *data, gsize len,
                               const TraceOpenOptions *opts, uint32_t page_size, GError **error);
/* The same over an open descriptor (a pipe), closed by the source. */
TraceSource *trace_open_fd(int fd, const char *name, const TraceOpenOptions *opts,
                           uint32_t page_size, GError **error);

/* The format read ("lackey", ...), after auto-detection. For a source that
 * trace_open() did not make, its ops name. */
const char *trace_source_format(TraceSource *src);
/* Lines skipped as malformed so far (skip_bad_lines); 0 for other sources. */
guint64 trace_source_skipped_lines(TraceSource *src);
/* What the caller must tell the user, one sentence per line ("format
 * auto-detected as lackey", the time basis, ...); "" when there is nothing.
 * Complete once trace_open() returns. */
const char *trace_source_notes(TraceSource *src);
/* The compression of the input ("none", "gzip", "zstd"). */
const char *trace_source_compression(TraceSource *src);

/* The format names trace_open() accepts, "auto" first, NULL-terminated. */
const char *const *trace_format_names(void);
gboolean trace_format_known(const char *name);

#endif
