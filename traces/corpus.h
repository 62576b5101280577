/*
 * corpus.h - the measuring half of the `corpus` compressibility model:
 * compress every page of a real file with a real compressor.
 *
 * The file is cut into page_size chunks (a last partial chunk is padded with
 * zeros, as the tail of a partly filled page would be), and each chunk is
 * compressed on its own, as zswap compresses one page at a time: LZ4 with
 * LZ4_compress_default (the kernel's lz4 at its default acceleration), zstd
 * at level 3 (what zswap's zstd uses by default). A compressed size of
 * page_size or more counts as page_size (zswap then keeps the page raw, or
 * rejects it).
 *
 * corpus_measure() counts every page, all-zero and same-filled pages
 * included, at their compressed size. corpus_measure_stats() can instead
 * leave same-filled pages (every machine word equal, zeros included) out of
 * the histogram, since zswap stores those without compressing, and reports
 * how many there were so that the model can use a zero_fraction.
 *
 * The file is read as it is: a gzip or zstd file is measured compressed.
 * Cost: one compression per page; memory O(page_size) plus the histogram.
 */
#ifndef TIERSIM_TRACES_CORPUS_H
#define TIERSIM_TRACES_CORPUS_H

#include <glib.h>
#include <stdint.h>

#include "models/params.h"

typedef struct CorpusStats {
    uint64_t pages;             /* pages in the file */
    uint64_t zero_pages;        /* all-zero pages */
    uint64_t same_filled_pages; /* every word equal (zero pages included) */
    uint64_t compressed_bytes;  /* sum of the histogram's sizes * counts */
} CorpusStats;

/* Histogram of compressed page sizes: *buckets (owned by the caller,
 * g_free) sorted by size, one per distinct size, weight = page count.
 * c is COMPRESSOR_LZ4 or COMPRESSOR_ZSTD; page_size a power of two >= 64.
 * An empty file is an error. */
gboolean corpus_measure(const char *path, Compressor c, uint32_t page_size,
                        CompressBucket **buckets, int *n_buckets, GError **error);

/* The same, with counts in *stats (may be NULL); with skip_same_filled the
 * histogram holds only the other pages (and may then be empty). */
gboolean corpus_measure_stats(const char *path, Compressor c, uint32_t page_size,
                              gboolean skip_same_filled, CorpusStats *stats,
                              CompressBucket **buckets, int *n_buckets, GError **error);

#endif
