/*
 * trace_stats.h - what `tiersim trace info` reports about an access stream.
 *
 * Counts (records, reads, writes), the pids seen, distinct pages and
 * footprint, the time span, and page reuse distances. A page is a (pid,
 * vpage) pair: two processes' equal virtual pages are different pages.
 *
 * Reuse distance of an access: the number of distinct other pages accessed
 * since the previous access to the same page (LRU stack distance; 0 for an
 * immediate re-access). The first access to a page has none (a cold access).
 * Distances are exact: a Fenwick tree over access positions holds one mark
 * per page, at its latest access; the positions are renumbered compactly
 * whenever they run out, so memory stays O(distinct pages), and each access
 * costs O(log distinct pages). Percentiles come from exact counts per
 * distance (nearest rank: the median of 1, 2, 3, 4 is 2).
 */
#ifndef TIERSIM_TRACES_TRACE_STATS_H
#define TIERSIM_TRACES_TRACE_STATS_H

#include <glib.h>
#include <stdint.h>

#include "traces/access.h"

typedef struct TraceStats TraceStats;

typedef struct TraceStatsSummary {
    uint64_t records, reads, writes;
    guint n_pids;
    const uint32_t *pids; /* borrowed, ascending */
    uint64_t distinct_pages;
    uint64_t footprint_bytes;
    int64_t time_first_ns, time_last_ns; /* 0, 0 when empty */
    uint64_t reuses;                     /* accesses with a reuse distance */
    uint64_t reuse_median_pages, reuse_p90_pages, reuse_max_pages;
    double reuse_mean_pages;
} TraceStatsSummary;

TraceStats *trace_stats_new(uint32_t page_size);
void trace_stats_free(TraceStats *st);
void trace_stats_add(TraceStats *st, const PageAccess *recs, gsize n);
/* Valid until the next add or free. */
void trace_stats_summary(TraceStats *st, TraceStatsSummary *out);

#endif
