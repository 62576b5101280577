#include "models/lathist.h"

#include <math.h>

int64_t lathist_bucket_low(int b)
{
    if (b < LATHIST_LINEAR)
        return b;
    int lg = (b - LATHIST_LINEAR) / LATHIST_SUB + 10;
    int sub = (b - LATHIST_LINEAR) % LATHIST_SUB;
    return ((int64_t)(LATHIST_SUB + sub)) << (lg - 6);
}

int64_t lathist_percentile(const LatHist *h, double pct)
{
    if (h->count == 0)
        return 0;
    uint64_t rank = (uint64_t)ceil(pct / 100.0 * (double)h->count);
    if (rank < 1)
        rank = 1;
    uint64_t acc = 0;
    for (int b = 0; b < LATHIST_BUCKETS; b++) {
        acc += h->buckets[b];
        if (acc >= rank)
            return lathist_bucket_low(b);
    }
    return lathist_bucket_low(LATHIST_BUCKETS - 1);
}
