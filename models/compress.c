#include "models/compress.h"

#include <glib.h>
#include <math.h>

#include "sim/rng.h"

void compress_init(CompressModelState *cm, const CompressParams *p, uint32_t page_size,
                   uint64_t seed)
{
    cm->model = p->model;
    cm->page_size = page_size;
    cm->fixed_bytes = p->compressed_bytes;
    cm->ratio = p->ratio;
    cm->zero_fraction = p->zero_fraction;
    cm->seed = rng_mix64(seed ^ 0x636f6d7072657373ULL); /* "compress" */
    cm->n_buckets = p->n_buckets;
    cm->bucket_bytes = NULL;
    cm->bucket_cum = NULL;
    if (p->n_buckets > 0) {
        cm->bucket_bytes = g_new(uint32_t, p->n_buckets);
        cm->bucket_cum = g_new(double, p->n_buckets);
        double total = 0;
        for (int i = 0; i < p->n_buckets; i++)
            total += p->buckets[i].weight;
        double acc = 0;
        for (int i = 0; i < p->n_buckets; i++) {
            cm->bucket_bytes[i] = p->buckets[i].bytes;
            acc += p->buckets[i].weight / total;
            cm->bucket_cum[i] = acc;
        }
        cm->bucket_cum[p->n_buckets - 1] = 1.0;
    }
}

void compress_clear(CompressModelState *cm)
{
    g_free(cm->bucket_bytes);
    g_free(cm->bucket_cum);
    cm->bucket_bytes = NULL;
    cm->bucket_cum = NULL;
}

static double unit(uint64_t h)
{
    return (double)(h >> 11) * 0x1.0p-53;
}

CompressResult compress_page(const CompressModelState *cm, uint32_t page_id, uint32_t gen)
{
    uint64_t h = rng_mix64(cm->seed ^ ((uint64_t)page_id << 8) ^ gen);
    CompressResult r = {false, cm->page_size};
    if (cm->zero_fraction > 0 && unit(h) < cm->zero_fraction) {
        r.zero = true;
        r.bytes = 0;
        return r;
    }
    uint64_t h2 = rng_mix64(h);
    switch (cm->model) {
    case COMPRESS_FIXED:
        r.bytes = cm->fixed_bytes;
        break;
    case COMPRESS_RATIO: {
        double base = cm->page_size / cm->ratio;
        double v = base * (0.9 + 0.2 * unit(h2));
        r.bytes = (uint32_t)llround(v);
        if (r.bytes < 1)
            r.bytes = 1;
        break;
    }
    case COMPRESS_DISTRIBUTION:
    case COMPRESS_CORPUS: {
        double u = unit(h2);
        int lo = 0, hi = cm->n_buckets - 1;
        while (lo < hi) { /* first bucket whose cumulative weight exceeds u */
            int mid = (lo + hi) / 2;
            if (cm->bucket_cum[mid] > u)
                hi = mid;
            else
                lo = mid + 1;
        }
        r.bytes = cm->bucket_bytes[lo];
        break;
    }
    }
    if (r.bytes > cm->page_size)
        r.bytes = cm->page_size;
    return r;
}
