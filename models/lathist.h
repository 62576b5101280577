/*
 * lathist.h - a log-linear histogram of latencies in ns.
 *
 * Values below 1024 ns have a bucket each; above, every power of two is cut
 * into 64 buckets (relative error < 1.6%). Recording is a few instructions
 * and allocates nothing: it runs on every access.
 */
#ifndef TIERSIM_MODELS_LATHIST_H
#define TIERSIM_MODELS_LATHIST_H

#include <stdint.h>

#define LATHIST_LINEAR  1024
#define LATHIST_SUB     64
#define LATHIST_BUCKETS (LATHIST_LINEAR + 54 * LATHIST_SUB)

typedef struct LatHist {
    uint64_t count;
    int64_t sum_ns;
    uint64_t buckets[LATHIST_BUCKETS];
} LatHist;

static inline int lathist_bucket(int64_t v)
{
    if (v < LATHIST_LINEAR)
        return v < 0 ? 0 : (int)v;
    int lg = 63 - __builtin_clzll((uint64_t)v); /* >= 10 */
    int sub = (int)(((uint64_t)v >> (lg - 6)) & (LATHIST_SUB - 1));
    int b = LATHIST_LINEAR + (lg - 10) * LATHIST_SUB + sub;
    return b < LATHIST_BUCKETS ? b : LATHIST_BUCKETS - 1;
}

static inline void lathist_add(LatHist *h, int64_t v)
{
    h->count++;
    h->sum_ns += v;
    h->buckets[lathist_bucket(v)]++;
}

/* The lower bound of the bucket holding the pct-th percentile (0..100). */
int64_t lathist_percentile(const LatHist *h, double pct);
int64_t lathist_bucket_low(int b);

#endif
