/*
 * watermark.h - per-zone watermarks, computed the kernel's way.
 *
 * Mirrors __setup_per_zone_wmarks and calculate_min_free_kbytes
 * (mm/page_alloc.c, v5.18+; KERNEL.md 4.1). tiersim gives each node one
 * zone, NORMAL or MOVABLE:
 *   min_free_kbytes (auto) = clamp(int_sqrt(lowmem_kbytes * 16), 128, 262144)
 *     where lowmem counts NORMAL zones only;
 *   pages_min = min_free_kbytes >> (PAGE_SHIFT - 10), shared among NORMAL
 *     zones in proportion to their size; a MOVABLE zone's min is
 *     clamp(managed / 1024, 32, 128) instead;
 *   tmp = max(min / 4, managed * watermark_scale_factor / 10000);
 *   low = min + tmp, high = low + tmp, promo = high + tmp.
 * Boost (watermark_boost_factor) is not modelled: tiersim has no
 * fragmentation events that would trigger it.
 */
#ifndef TIERSIM_MODELS_WATERMARK_H
#define TIERSIM_MODELS_WATERMARK_H

#include <stdint.h>

#include "models/params.h"

typedef struct Watermarks {
    uint64_t min, low, high, promo; /* pages */
} Watermarks;

uint64_t wmark_int_sqrt(uint64_t x);
/* The kernel's default min_free_kbytes for the given NORMAL-zone memory. */
uint64_t wmark_default_min_free_kbytes(uint64_t lowmem_kbytes);
/* Fills wm[0..n_nodes) and returns the min_free_kbytes used. */
uint64_t wmark_compute(const MachineParams *p, Watermarks *wm);

#endif
