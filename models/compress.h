/*
 * compress.h - how many bytes a page compresses to.
 *
 * A page's compressed size is a pure function of (seed, page id, content
 * generation): stable across stores of the same contents, redrawn when the
 * page is written after being stored (its generation changes). Models:
 *   fixed        every page compresses to compressed_bytes;
 *   ratio        page_size / ratio, jittered uniformly by +-10% per page;
 *   distribution a weighted histogram of sizes (and corpus, whose histogram
 *                comes from compressing a real file's pages);
 * plus zero_fraction: that share of pages is same-filled (zero), which the
 * swap layer stores without compression or I/O.
 * A size >= page_size means incompressible.
 *
 * Cost: O(log buckets) per draw, no allocation.
 */
#ifndef TIERSIM_MODELS_COMPRESS_H
#define TIERSIM_MODELS_COMPRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "models/params.h"

typedef struct CompressModelState {
    CompressModel model;
    uint32_t page_size;
    uint32_t fixed_bytes;
    double ratio;
    double zero_fraction;
    uint64_t seed;
    int n_buckets;
    uint32_t *bucket_bytes; /* owned */
    double *bucket_cum;     /* owned; cumulative normalised weights */
} CompressModelState;

void compress_init(CompressModelState *cm, const CompressParams *p, uint32_t page_size,
                   uint64_t seed);
void compress_clear(CompressModelState *cm);

typedef struct CompressResult {
    bool zero;      /* same-filled page */
    uint32_t bytes; /* compressed size; >= page_size = incompressible */
} CompressResult;

CompressResult compress_page(const CompressModelState *cm, uint32_t page_id, uint32_t gen);

#endif
