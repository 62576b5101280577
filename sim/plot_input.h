/*
 * plot_input.h - what `tiersim plot` reads from a run or comparison folder,
 * as plain structs (internal to plot.c and plot_input.c; the public
 * interface is plot.h).
 *
 * Invariants after loading (plot_input.c checks them, so the figures need
 * not): at least one policy; every policy has the same number of nodes,
 * 1..PLOT_MAX_NODES, each of non-zero capacity; samples are in time order,
 * at least one, each naming an existing node; latency buckets are in
 * increasing order of latency; a policy with has_zswap has its placement
 * matrix and every PlotMetric. Names of policies and node kinds are letters,
 * digits and '_-.+', so they are safe in file names and gnuplot strings.
 */
#ifndef TIERSIM_SIM_PLOT_INPUT_H
#define TIERSIM_SIM_PLOT_INPUT_H

#include <glib.h>
#include <stdint.h>

#include "sim/plot.h"

#define PLOT_MAX_NODES 64

/* The summary metrics the bar charts read (summary.json "metrics"). */
typedef enum {
    PLOT_METRIC_CROSS_NODE_BYTES,
    PLOT_METRIC_CROSS_NODE_ZSPAGES_ALLOCATED,
    PLOT_METRIC_RECLAIM_EFFICACY_RATIO,
    PLOT_METRIC_WRITEBACK_PAGES_FREED,
    PLOT_METRIC_WRITEBACK_PAGES_FREED_ON_TARGET,
    PLOT_METRIC_DENSITY_RATIO,
    PLOT_METRIC_COMPRESSED_BYTES,
    PLOT_METRIC_ZSMALLOC_PAGES,
    PLOT_METRIC_FRAGMENTATION_PAGES,
    PLOT_NR_METRICS,
} PlotMetric;

typedef struct PlotNode {
    char *kind;
    uint64_t capacity_pages;
    uint64_t wm_min_pages, wm_low_pages, wm_high_pages;
} PlotNode;

/* One row of timeseries.tsv, the columns the figures use. */
typedef struct PlotSample {
    uint64_t time_ns;
    uint64_t node;
    uint64_t free_pages, anon_pages, zspages, inversion_bytes;
} PlotSample;

/* One row of latency.tsv: a histogram bucket's lower bound and count. */
typedef struct PlotBucket {
    uint64_t latency_ns, accesses;
} PlotBucket;

typedef struct PlotPolicy {
    char *name;
    uint32_t page_size;
    guint n_nodes;
    PlotNode *nodes;
    gboolean has_zswap;      /* the summary has placement_matrix and metrics */
    double *placement_bytes; /* [data node * n_nodes + origin node] */
    double metrics[PLOT_NR_METRICS];
    GArray *samples;   /* PlotSample, time order */
    GArray *latency;   /* PlotBucket */
    uint64_t accesses; /* the sum over latency (checked not to overflow) */
} PlotPolicy;

struct PlotInput {
    char *dir;
    char *name; /* the scenario's */
    gboolean compare;
    GPtrArray *policies; /* PlotPolicy, in the comparison's order */
};

#endif
