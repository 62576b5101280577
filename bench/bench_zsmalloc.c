/*
 * bench_zsmalloc.c - cost of the zsmalloc model's hot paths.
 *
 *   bench_zsmalloc [LIVE_OBJECTS [PAIRS [fifo]]]   (defaults 1000000, 10000000)
 *
 * 1. Steady state: a pool holding LIVE_OBJECTS objects of a mixed size
 *    stream (tiny, typical compressed, poorly compressed, incompressible
 *    4096-byte pages) on 2 nodes; each step frees a random live object and
 *    allocates a new one (with "fifo": frees the oldest one, the order of an
 *    LRU). Prints ns per zs_malloc + zs_free pair.
 * 2. Compaction: the same fill with every other object freed at random;
 *    prints the time of one zs_compact, the pages it freed and the objects
 *    it moved.
 * The operation stream is drawn before timing, so the figures hold only the
 * model's work (and the trivial page provider's).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/zsmalloc.h"
#include "sim/rng.h"

typedef struct {
    uint64_t pages[2];
} BenchProv;

static int bp_alloc(void *ctx, int pref, bool strict)
{
    BenchProv *p = ctx;
    int n = pref < 0 ? 0 : pref;
    p->pages[n]++;
    return n;
}

static void bp_free(void *ctx, int nid)
{
    BenchProv *p = ctx;
    p->pages[nid]--;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint16_t draw_len(SimRng *rng)
{
    uint64_t r = rng_below(rng, 100);
    if (r < 5)
        return (uint16_t)(1 + rng_below(rng, 64));
    if (r < 70)
        return (uint16_t)(400 + rng_below(rng, 2200));
    if (r < 92)
        return (uint16_t)(2600 + rng_below(rng, 1400));
    return 4096;
}

static ZsPool *make_pool(BenchProv *prov)
{
    ZsPoolParams pp;
    zs_pool_params_init(&pp);
    pp.n_nodes = 2;
    pp.n_tags = 2;
    ZsPageProvider pv = {bp_alloc, bp_free, prov};
    GError *error = NULL;
    ZsPool *pool = zs_pool_new(&pp, &pv, &error);
    if (!pool) {
        fprintf(stderr, "bench_zsmalloc: %s\n", error->message);
        exit(1);
    }
    return pool;
}

static void fill(ZsPool *pool, SimRng *rng, ZsHandle *live, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        int nid = (int)rng_below(rng, 2);
        if (zs_malloc(pool, draw_len(rng), nid, (unsigned)nid, 0, &live[i]) != ZS_OK) {
            fprintf(stderr, "bench_zsmalloc: fill failed\n");
            exit(1);
        }
    }
}

int main(int argc, char **argv)
{
    uint32_t n_live = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1000000;
    uint64_t n_pairs = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000000;
    int fifo = argc > 3 && !strcmp(argv[3], "fifo");
    if (n_live == 0 || n_pairs == 0) {
        fprintf(stderr, "usage: bench_zsmalloc [LIVE_OBJECTS [PAIRS [fifo]]]\n");
        return 2;
    }

    /* 1. Steady state. */
    BenchProv prov = {{0, 0}};
    ZsPool *pool = make_pool(&prov);
    SimRng rng;
    rng_init(&rng, 1, RNG_STREAM_USER);
    ZsHandle *live = g_new(ZsHandle, n_live);
    fill(pool, &rng, live, n_live);

    enum { BATCH = 1 << 20 };
    uint32_t *victim = g_new(uint32_t, BATCH);
    uint16_t *len = g_new(uint16_t, BATCH);
    uint8_t *nid = g_new(uint8_t, BATCH);
    int64_t spent = 0;
    uint64_t done = 0;
    while (done < n_pairs) {
        uint64_t n = n_pairs - done < BATCH ? n_pairs - done : BATCH;
        for (uint64_t i = 0; i < n; i++) {
            victim[i] = fifo ? (uint32_t)((done + i) % n_live) : (uint32_t)rng_below(&rng, n_live);
            len[i] = draw_len(&rng);
            nid[i] = (uint8_t)rng_below(&rng, 2);
        }
        int64_t t0 = now_ns();
        for (uint64_t i = 0; i < n; i++) {
            zs_free(pool, live[victim[i]]);
            zs_malloc(pool, len[i], nid[i], nid[i], 0, &live[victim[i]]);
        }
        spent += now_ns() - t0;
        done += n;
    }
    GError *error = NULL;
    if (!zs_pool_check(pool, &error)) {
        fprintf(stderr, "bench_zsmalloc: %s\n", error->message);
        return 1;
    }
    printf("steady state (%s victims): %" PRIu32 " live objects, %" PRIu64
           " zs_free+zs_malloc pairs: %.1f ns/pair\n",
           fifo ? "oldest" : "random", n_live, n_pairs, (double)spent / (double)n_pairs);
    printf("  pool: %" PRIu64 " pages (node0 %" PRIu64 ", node1 %" PRIu64 "), density %.3f, "
           "fragmentation %" PRIu64 " pages, freeable %" PRIu64 "\n",
           zs_pool_total_pages(pool), zs_pool_node_pages(pool, 0), zs_pool_node_pages(pool, 1),
           zs_pool_density(pool), zs_pool_fragmentation_pages(pool), zs_pool_shrinker_count(pool));
    zs_pool_free(pool);

    /* 2. Compaction of a fragmented pool. */
    for (int round = 0; round < 3; round++) {
        BenchProv p2 = {{0, 0}};
        ZsPool *frag = make_pool(&p2);
        rng_init(&rng, 100 + (uint64_t)round, RNG_STREAM_USER);
        fill(frag, &rng, live, n_live);
        for (uint32_t i = 0; i < n_live; i++)
            if (rng_below(&rng, 2))
                zs_free(frag, live[i]);
        uint64_t before = zs_pool_total_pages(frag);
        uint64_t promised = zs_pool_shrinker_count(frag);
        ZsPoolStats st;
        int64_t t0 = now_ns();
        uint64_t freed = zs_compact(frag);
        int64_t t = now_ns() - t0;
        zs_pool_get_stats(frag, &st);
        printf("compaction %d: %.3f ms, %" PRIu64 " of %" PRIu64
               " pages freed (freeable said %" PRIu64 "), %" PRIu64
               " objects moved, %.1f ns/object moved\n",
               round, (double)t / 1e6, freed, before, promised, st.objs_moved,
               st.objs_moved ? (double)t / (double)st.objs_moved : 0.0);
        zs_pool_free(frag);
    }
    g_free(victim);
    g_free(len);
    g_free(nid);
    g_free(live);
    return 0;
}
