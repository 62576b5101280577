/*
 * zswap.h - zswap on zsmalloc, as mm/zswap.c at the v6.18 cycle
 * (KERNEL.md 2), with the placement of compressed data decided by a
 * pluggable policy (models/placement.h).
 *
 * Modelled: store on swap-out with the compressibility model's size and the
 * compressor's cost; incompressible pages (size >= page size) kept raw or
 * rejected (kernel.zswap.incompressible); the global pool limit
 * (max_pool_percent of all memory, counted in zsmalloc pages) with the
 * accept_threshold_percent hysteresis; exclusive loads; one LRU per origin
 * node (the node of the zswap_entry, i.e. of the original page); the dynamic
 * shrinker, called from reclaim of a node, writing back from that node's LRU
 * oldest first with a second chance for referenced entries; the global limit
 * worker; writeback to the swap device; the counters and debugfs values.
 * Zero-filled pages never reach zswap (the swap layer's zero map, reclaim.c).
 *
 * The zsmalloc pages are pages of the simulated nodes, taken through the
 * machine's allocator with the semantics of a reclaimer's GFP_NOWAIT
 * allocation (machine.c, ALLOC_NOWAIT), so they count against watermarks and
 * wake kswapd where they land.
 *
 * Metrics kept here: the placement matrix (bytes and allocated pages by data
 * node x origin node), inversions (events, bytes, peak, time integral;
 * reverse direction separately), cross-node pressure, and writeback efficacy.
 *
 * Cost: store/load O(1) amortised plus the zsmalloc work; metric updates
 * O(nodes^2) per store/free (nodes are few).
 */
#ifndef TIERSIM_MODELS_ZSWAP_H
#define TIERSIM_MODELS_ZSWAP_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/compress.h"
#include "models/zsmalloc.h"

struct Machine;
struct ReclaimCtx;
typedef struct Zswap Zswap;

#define ZSWAP_COUNTERS(X)                                                                          \
    X(POOL_LIMIT_HIT, "pool_limit_hit")                                                            \
    X(REJECT_RECLAIM_FAIL, "reject_reclaim_fail")                                                  \
    X(REJECT_ALLOC_FAIL, "reject_alloc_fail")                                                      \
    X(REJECT_KMEMCACHE_FAIL, "reject_kmemcache_fail")                                              \
    X(REJECT_COMPRESS_FAIL, "reject_compress_fail")                                                \
    X(REJECT_COMPRESS_POOR, "reject_compress_poor")                                                \
    X(DECOMPRESS_FAIL, "decompress_fail")                                                          \
    X(WRITTEN_BACK_PAGES, "written_back_pages")

#define ZC_ENUM(id, name) ZSWAP_##id,
typedef enum ZswapCounter { ZSWAP_COUNTERS(ZC_ENUM) ZSWAP_NR_COUNTERS } ZswapCounter;
#undef ZC_ENUM
const char *zswap_counter_name(ZswapCounter c);

Zswap *zswap_new(struct Machine *m, GError **error);
void zswap_free(Zswap *z);

/* Stores page `page_id` reclaimed from node `origin`. On success the page's
 * aux holds the entry id and the caller sets its location to zswap. */
bool zswap_store(Zswap *z, uint32_t page_id, int origin, CompressResult cr, uint32_t shadow,
                 struct ReclaimCtx *rc);
/* Exclusive load of entry `entry` (the page's aux); returns the shadow kept
 * in the entry and adds the decompression time to *cost_ns. */
uint32_t zswap_load(Zswap *z, uint32_t entry, int64_t *cost_ns);
/* shrink_slab for node nid at `priority`: the zswap shrinker of nid's LRU
 * and the zsmalloc pool shrinker (compaction). */
void zswap_shrink_slab(Zswap *z, int nid, int priority, struct ReclaimCtx *rc);
/* A page of nid was read back from the swap device (shrinker protection). */
void zswap_note_disk_swapin(Zswap *z, int nid);

/* Views. */
uint64_t zswap_counter(const Zswap *z, ZswapCounter c);
uint64_t zswap_stored_pages(const Zswap *z);
uint64_t zswap_stored_incompressible_pages(const Zswap *z);
uint64_t zswap_pool_pages(const Zswap *z);
uint64_t zswap_max_pool_pages(const Zswap *z);
const ZsPool *zswap_pool(const Zswap *z);
const char *zswap_policy_name(const Zswap *z);
/* Compressed bytes on node `data` of pages from node `origin`. */
uint64_t zswap_bytes(const Zswap *z, int data, int origin);
/* Compressed bytes ever stored by kswapd / by direct reclaim, by the node
 * they were placed on and their origin (cumulative; objects later moved by
 * compaction stay counted where they were first placed). */
uint64_t zswap_stored_bytes_kswapd(const Zswap *z, int data, int origin);
uint64_t zswap_stored_bytes_direct(const Zswap *z, int data, int origin);
/* zsmalloc pages ever allocated on node `data` for data from `origin`. */
uint64_t zswap_alloc_pages(const Zswap *z, int data, int origin);
/* zsmalloc pages on node nid that hold other nodes' data: the node's pages
 * times the share of its compressed bytes whose origin is elsewhere. */
uint64_t zswap_cross_pages(const Zswap *z, int nid);
/* The memory tier of node nid (lower is faster). */
int zswap_node_tier(const Zswap *z, int nid);
uint64_t zswap_strict_rejects(const Zswap *z);
uint64_t zswap_strict_fallbacks(const Zswap *z);

typedef struct ZswapInversion {
    uint64_t events; /* stores that put bytes on a faster tier than their origin */
    uint64_t bytes_now;
    uint64_t bytes_peak;
    double byte_seconds; /* time integral of bytes_now */
} ZswapInversion;
void zswap_inversion(Zswap *z, bool reverse, ZswapInversion *out);
/* Writeback aimed at node `target`: pages freed on each node. */
uint64_t zswap_wb_freed(const Zswap *z, int target, int freed_on);
gboolean zswap_check(Zswap *z, GError **error);

#endif
