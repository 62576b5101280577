/*
 * corpus.c - per-page compression of a file into a size histogram.
 */
#include "traces/corpus.h"

#include <errno.h>
#include <lz4.h>
#include <stdio.h>
#include <string.h>
#include <zstd.h>

#include "traces/trace_error.h"

#define CORPUS_ZSTD_LEVEL 3

static gboolean same_filled(const uint8_t *page, uint32_t page_size, gboolean *zero)
{
    uint64_t first;
    memcpy(&first, page, 8);
    for (uint32_t off = 8; off < page_size; off += 8) {
        uint64_t w;
        memcpy(&w, page + off, 8);
        if (w != first)
            return FALSE;
    }
    *zero = first == 0;
    return TRUE;
}

gboolean corpus_measure_stats(const char *path, Compressor c, uint32_t page_size,
                              gboolean skip_same_filled, CorpusStats *stats,
                              CompressBucket **buckets, int *n_buckets, GError **error)
{
    *buckets = NULL;
    *n_buckets = 0;
    if (c != COMPRESSOR_LZ4 && c != COMPRESSOR_ZSTD) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                    "%s: the corpus model compresses with lz4 or zstd, not %s", path,
                    compressor_name(c));
        return FALSE;
    }
    if (page_size < 64 || (page_size & (page_size - 1))) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                    "%s: page size %u is not a power of two of at least 64", path, page_size);
        return FALSE;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO, "%s: cannot open: %s", path,
                    g_strerror(errno));
        return FALSE;
    }
    uint8_t *page = g_malloc(page_size);
    gsize out_cap = MAX((gsize)LZ4_compressBound((int)page_size), ZSTD_compressBound(page_size));
    uint8_t *out = g_malloc(out_cap);
    uint64_t *count = g_new0(uint64_t, (gsize)page_size + 1);
    ZSTD_CCtx *cctx = c == COMPRESSOR_ZSTD ? ZSTD_createCCtx() : NULL;
    CorpusStats st = {0};
    gboolean ok = TRUE;
    for (;;) {
        size_t got = fread(page, 1, page_size, f);
        if (got == 0)
            break;
        if (got < page_size)
            memset(page + got, 0, page_size - got);
        st.pages++;
        gboolean zero = FALSE;
        if (same_filled(page, page_size, &zero)) {
            st.same_filled_pages++;
            st.zero_pages += zero;
            if (skip_same_filled)
                continue;
        }
        size_t size;
        if (c == COMPRESSOR_LZ4) {
            int n =
                LZ4_compress_default((const char *)page, (char *)out, (int)page_size, (int)out_cap);
            size = n > 0 ? (size_t)n : page_size;
        } else {
            size = ZSTD_compressCCtx(cctx, out, out_cap, page, page_size, CORPUS_ZSTD_LEVEL);
            if (ZSTD_isError(size))
                size = page_size;
        }
        if (size > page_size)
            size = page_size;
        count[size]++;
        st.compressed_bytes += size;
    }
    if (ferror(f)) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO, "%s: read failed: %s", path,
                    g_strerror(errno));
        ok = FALSE;
    } else if (st.pages == 0) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                    "%s: the corpus file is empty: no page to compress", path);
        ok = FALSE;
    }
    if (ok) {
        int n = 0;
        for (uint32_t s = 0; s <= page_size; s++)
            n += count[s] > 0;
        CompressBucket *b = g_new(CompressBucket, MAX(n, 1));
        int k = 0;
        for (uint32_t s = 0; s <= page_size; s++)
            if (count[s] > 0)
                b[k++] = (CompressBucket){s, (double)count[s]};
        *buckets = b;
        *n_buckets = n;
        if (stats)
            *stats = st;
    }
    ZSTD_freeCCtx(cctx);
    g_free(count);
    g_free(out);
    g_free(page);
    fclose(f);
    return ok;
}

gboolean corpus_measure(const char *path, Compressor c, uint32_t page_size,
                        CompressBucket **buckets, int *n_buckets, GError **error)
{
    return corpus_measure_stats(path, c, page_size, FALSE, NULL, buckets, n_buckets, error);
}
