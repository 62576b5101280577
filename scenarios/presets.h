/*
 * presets.h - named node presets: a kind plus latency and bandwidth.
 *
 * A preset fills the node keys the scenario leaves out. The CXL presets are
 * relative to the reference DRAM node (the lowest-id node of kind dram that
 * has CPUs, with its explicit or default latency and bandwidth), because the
 * published figures are ratios or offsets against local DRAM, not absolute
 * values. Keys written on the node itself always win over the preset.
 * The table is const and listable (for documentation and --help output).
 */
#ifndef TIERSIM_SCENARIOS_PRESETS_H
#define TIERSIM_SCENARIOS_PRESETS_H

#include <stdbool.h>
#include <stdint.h>

#include "models/params.h"

typedef struct NodePreset {
    const char *name;
    NodeKind kind;
    bool relative;           /* latency/bandwidth derived from the reference DRAM node */
    double latency_factor;   /* relative: latency = round(ref * factor + add) */
    uint32_t latency_add_ns; /* relative: added after the factor */
    double bandwidth_factor; /* relative: bandwidth = ref * factor (0 if ref unlimited) */
    uint32_t latency_ns;     /* absolute presets: read and write latency */
    const char *description;
    const char *source;
} NodePreset;

/* The presets in table order; *n set to their number. */
const NodePreset *node_presets(int *n);
/* NULL if no preset has this name. */
const NodePreset *node_preset_find(const char *name);
/* Latency of a node with preset p next to a reference latency ref_ns. */
uint32_t node_preset_latency(const NodePreset *p, uint32_t ref_ns);
/* Bandwidth of a node with preset p next to a reference bandwidth (0 = unlimited). */
double node_preset_bandwidth(const NodePreset *p, double ref_gbps);

#endif
