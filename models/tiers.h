/*
 * tiers.h - memory tiers from abstract distance, as mm/memory-tiers.c.
 *
 * A node's abstract distance (adist) is the scenario's explicit value, else
 * computed from its performance relative to the reference DRAM node the way
 * mt_perf_to_adistance does:
 *   adist = 576 * (Rlat + Wlat) / (Rlat_dram + Wlat_dram)
 *               * (Rbw_dram + Wbw_dram) / (Rbw + Wbw)
 * when both the node and the reference have a bandwidth, else the default of
 * its kind (dram 576, cxl and pmem 2880 as dax/kmem, hbm 576). The tier is
 * adist >> 7 (chunks of 128); a lower tier is faster. Reads and writes share
 * one bandwidth figure in tiersim, so Rbw + Wbw is twice it.
 */
#ifndef TIERSIM_MODELS_TIERS_H
#define TIERSIM_MODELS_TIERS_H

#include "models/params.h"

#define MEMTIER_CHUNK_BITS            7
#define MEMTIER_ADISTANCE_DRAM        576
#define MEMTIER_DEFAULT_DAX_ADISTANCE (5 * MEMTIER_ADISTANCE_DRAM)

/* Fills adist[0..n_nodes) and tier[0..n_nodes). */
void tiers_compute(const MachineParams *p, int *adist, int *tier);

#endif
