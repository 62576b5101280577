/*
 * zsmalloc.h - the Linux zsmalloc allocator: size classes, zspages, fullness
 * groups, compaction, and where (on which NUMA node) compressed bytes live.
 *
 * Follows mm/zsmalloc.c at v6.16 (the "prefer the original page's node"
 * version, 56e5a103a721); the chain-size rule can instead follow the pre-6.3
 * kernels (get_pages_per_zspage). KERNEL.md section 1 is the reference.
 *
 * Glossary
 *   index       one of the ZS_SIZE_CLASSES class indices: nominal slot size
 *               min_alloc + index * delta (32 + 16 i for 4 KiB pages),
 *               clamped to the page size.
 *   class       a representative size class (the kernel's struct size_class):
 *               indices with equal (pages_per_zspage, objs_per_zspage) are
 *               merged, top-down, into the most recently created class, so a
 *               class is a contiguous index range named by its largest index.
 *               Classes are also numbered by rank, 0 = smallest.
 *   zspage      pages_per_zspage order-0 pages holding objs_per_zspage slots
 *               laid back to back; a slot may straddle a page boundary. Each
 *               page carries the node it was allocated on.
 *   huge        a class of 1 page and 1 object: no in-object header.
 *   fullness    12 groups per class: 0 (empty), 1..10 by
 *               floor(100 * inuse / objs) / 10 + 1, 11 (full). The kernel's
 *               integer formula, not its comment: exactly 10 % is group 2.
 *   handle      a small non-zero integer naming one object; stays valid
 *               across compaction (an indirection table, like the kernel's
 *               handle slab objects). Freed handles are reused LIFO.
 *   tag         a caller-chosen small integer (< n_tags <= 64) stored with
 *               the object; tiersim passes the origin node of the page.
 *
 * Behaviour mirrored from v6.16
 *   - zs_malloc: len 0 is -EINVAL, len > page size is -ENOSPC; len + 8 picks
 *     the class; the fullest non-full zspage of the class is used (scan of
 *     the fullness lists from 99 % down to 0 %, head of the first non-empty
 *     list), whatever node it is on; only when none has a free slot is a new
 *     zspage made, its pages requested one by one with the preferred node,
 *     each possibly falling back; one failure gives the others back and the
 *     allocation fails (-ENOMEM).
 *   - Free slots form a per-zspage list (initially slot 0, 1, 2, ...);
 *     allocation pops the head, free pushes on the head (LIFO).
 *   - A zspage is re-listed (at the head of its new list) only when its
 *     fullness group changes; zs_free releases an emptied zspage at once.
 *   - zs_compact (v6.4+ algorithm): classes from the largest index down; per
 *     class while zs_can_compact() > 0: destination = head of the fullest
 *     group 99 % -> 10 %, source = head of the emptiest group 10 % -> 99 %,
 *     objects moved in slot order until the destination is full or the
 *     source empty; an emptied source is freed; a full destination is put
 *     back and a new one isolated. Node-blind. zs_can_compact() =
 *     (obj_allocated - obj_used) / objs_per_zspage * pages_per_zspage, which
 *     is also the shrinker's count and the debugfs freeable column.
 *   - The debugfs "classes" table, byte for byte in v6.16's layout.
 *
 * Departures (each is deliberate)
 *   - No concurrency: page trylocks always succeed, so empty zspages are
 *     never deferred to async_free_zspage (group 0 is always empty), and
 *     compaction never stops early on lock contention.
 *   - The pre-6.3 rule changes only the geometry (chain size at most 4,
 *     highest integer percentage used). Pool dynamics always follow v6.16:
 *     pre-6.4 kernels had 4 fullness states and an older compaction loop.
 *   - huge_class_size is per geometry (the kernel sets a global once, from
 *     the first pool; all pools of one kernel agree).
 *   - Metadata (struct zspage, handles) is not charged to any node; the
 *     kernel takes it from kmem caches that are not node-targeted.
 *   - Page migration of single zsmalloc pages (zs_page_migrate) is not
 *     modelled.
 *   - Object contents are not stored: the length and the tag stand for them
 *     and move with the object during compaction.
 *   - Partitioned mode (ZsPoolParams.partitioned) is tiersim's own design,
 *     not upstream: one set of class lists per node plus a "mixed" set; see
 *     zs_malloc. Compaction then works within each set separately (per
 *     class: node 0's set first, the mixed set last), and zs_can_compact is
 *     summed over the sets, so the shrinker count is what compaction can
 *     really free.
 *
 * Byte attribution (bytes[data node][tag])
 *   The payload of an object in slot k of a zspage of class size S starts at
 *   byte p = k * S + H of the page chain, where H = 8 (the handle header)
 *   for non-huge zspages and 0 for huge ones, as zs_obj_write does. Its len
 *   bytes are charged to the node of page p / page_size for
 *   min(len, page_size - p % page_size) bytes and the rest to the node of the
 *   next page. The 8-byte header is never counted. Updated on alloc, free
 *   and every object moved by compaction.
 *
 * Invariants (zs_pool_check verifies all of them)
 *   - Every live zspage is on exactly one list: the one of its class,
 *     set and fullness group; per-group counts match the lists; group 0
 *     lists are empty.
 *   - obj_used <= obj_allocated per class; obj_allocated = sum of
 *     objs_per_zspage, obj_used = sum of inuse = number of used slots.
 *   - Total pages and pages per node equal the sums over zspages.
 *   - Every live handle names a used slot of a zspage of the class its length
 *     maps to, and that slot names the handle back.
 *   - In a partitioned pool, a zspage in node n's set has every page on n;
 *     one in the mixed set has pages on more than one node.
 *   - The byte matrix equals a recomputation from the slots.
 *
 * Cost
 *   zs_malloc and zs_free are O(1): the non-empty fullness groups of a class
 *   are a bitmask, free slots an in-zspage list. Making a zspage costs
 *   O(objs_per_zspage) (threading its free list, as init_zspage does);
 *   zs_compact costs O(objects moved + classes x sets). zs_pool_check is
 *   O(slots + handles). A zspage is named by (class, index in the class's
 *   arrays), so zs_free reaches the zspage and the slot in parallel after the
 *   handle entry: two dependent memory accesses. Memory: 8 bytes per handle
 *   (high-water), 8 bytes per slot and 32 bytes per zspage, in arrays that
 *   grow by doubling and are reused through free lists; nothing is allocated
 *   per object.
 */
#ifndef TIERSIM_MODELS_ZSMALLOC_H
#define TIERSIM_MODELS_ZSMALLOC_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/params.h"

#define ZS_HANDLE_SIZE        8 /* in-object header (non-huge classes) */
#define ZS_NR_FULLNESS_GROUPS 12
#define ZS_FULLNESS_EMPTY     0  /* ZS_INUSE_RATIO_0 */
#define ZS_FULLNESS_99        10 /* ZS_INUSE_RATIO_99 */
#define ZS_FULLNESS_FULL      11 /* ZS_INUSE_RATIO_100 */
#define ZS_CHAIN_SIZE_MIN     4  /* Kconfig ZSMALLOC_CHAIN_SIZE range */
#define ZS_CHAIN_SIZE_MAX     16
#define ZS_CHAIN_SIZE_DEFAULT 8
#define ZS_CHAIN_SIZE_PRE_6_3 4 /* 1 << ZS_MAX_ZSPAGE_ORDER */
#define ZS_PAGE_SIZE_MIN      4096
#define ZS_PAGE_SIZE_MAX      65536
#define ZS_MAX_TAGS           64
#define ZS_HANDLE_NONE        0u

#define ZS_ERROR (zs_error_quark())
GQuark zs_error_quark(void);
typedef enum ZsError {
    ZS_ERROR_INVALID, /* bad parameter */
    ZS_ERROR_CORRUPT, /* zs_pool_check found a broken invariant */
} ZsError;

const char *zs_rule_name(ZsRule rule); /* "current", "pre-6.3" */
gboolean zs_rule_parse(const char *name, ZsRule *rule, GError **error);

/* ---- Geometry: the size classes of one (page size, chain size, rule) ---- */

typedef struct ZsGeometry ZsGeometry;

typedef struct ZsClassInfo {
    int rank;        /* 0 .. n_classes-1, ascending size */
    int index;       /* the kernel's class->index: largest merged index */
    int first_index; /* smallest index merged into this class */
    uint32_t size;   /* slot bytes, including the 8-byte header */
    int pages_per_zspage;
    int objs_per_zspage;
    bool huge;            /* 1 page, 1 object: no in-object header */
    uint32_t waste_bytes; /* pages * page_size - objs * size */
    int spanning_objs;    /* slots per zspage that straddle a page boundary */
    uint32_t min_len;     /* zs_malloc lengths that land in this class */
    uint32_t max_len;
} ZsClassInfo;

/* page_size: a power of two in [4096, 65536]; chain_size: 4..16 for the
 * current rule, exactly 4 for pre-6.3. */
ZsGeometry *zs_geometry_new(uint32_t page_size, int chain_size, ZsRule rule, GError **error);
void zs_geometry_free(ZsGeometry *g);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZsGeometry, zs_geometry_free)

uint32_t zs_geometry_page_size(const ZsGeometry *g);
int zs_geometry_chain_size(const ZsGeometry *g);
ZsRule zs_geometry_rule(const ZsGeometry *g);
int zs_geometry_n_indices(const ZsGeometry *g);        /* ZS_SIZE_CLASSES: 255 for 4 KiB */
int zs_geometry_n_classes(const ZsGeometry *g);        /* representative classes */
uint32_t zs_geometry_min_alloc(const ZsGeometry *g);   /* ZS_MIN_ALLOC_SIZE */
uint32_t zs_geometry_class_delta(const ZsGeometry *g); /* ZS_SIZE_CLASS_DELTA */
/* zs_huge_class_size(): any len >= this lands in a huge class. */
size_t zs_geometry_huge_class_size(const ZsGeometry *g);
/* Borrowed; rank in [0, n_classes). */
const ZsClassInfo *zs_geometry_class(const ZsGeometry *g, int rank);
/* The class an index points to (possibly merged); index in [0, n_indices). */
const ZsClassInfo *zs_geometry_class_at_index(const ZsGeometry *g, int index);
/* The class zs_malloc(len) uses (len + 8 before the lookup); NULL when
 * len == 0 or len > page size. */
const ZsClassInfo *zs_geometry_class_for_len(const ZsGeometry *g, size_t len);

/* ---- Pool ---- */

typedef struct ZsPool ZsPool;
typedef uint32_t ZsHandle;   /* 0 (ZS_HANDLE_NONE) is never valid */
typedef uint64_t ZsZspageId; /* diagnostics; reused after the zspage is freed */

typedef enum ZsStatus {
    ZS_OK = 0,
    ZS_EINVAL, /* len == 0, or a tag / node out of range */
    ZS_ENOSPC, /* len > page size (zswap's reject_compress_poor) */
    ZS_ENOMEM, /* no page for a new zspage (or no strict placement) */
} ZsStatus;

const char *zs_status_name(ZsStatus s);

typedef enum ZsMallocFlags {
    ZS_MALLOC_DEFAULT = 0,
    /* Partitioned pools: when the object cannot be placed on its node,
     * behave as a shared pool for this allocation instead of failing. */
    ZS_MALLOC_FALLBACK = 1 << 0,
} ZsMallocFlags;

/* Where the pages of new zspages come from (the page allocator). alloc_page
 * returns the node it took a page from, or -1 when it has none; strict means
 * only preferred_nid is acceptable (it must then return preferred_nid or -1).
 * preferred_nid may be -1 (no preference) in a shared pool. */
typedef struct ZsPageProvider {
    int (*alloc_page)(void *ctx, int preferred_nid, bool strict);
    void (*free_page)(void *ctx, int nid);
    void *ctx;
} ZsPageProvider;

typedef struct ZsPoolParams {
    uint32_t page_size; /* default 4096 */
    int chain_size;     /* default 8 */
    ZsRule rule;        /* default current */
    int n_nodes;        /* 1..TS_MAX_NODES, default 1 */
    int n_tags;         /* 1..ZS_MAX_TAGS, default 1 */
    bool partitioned;   /* default false: the kernel's shared pool */
} ZsPoolParams;

void zs_pool_params_init(ZsPoolParams *p);

/* The provider is copied; its ctx is borrowed and must outlive the pool. */
ZsPool *zs_pool_new(const ZsPoolParams *params, const ZsPageProvider *provider, GError **error);
/* Gives the pages of any remaining zspage back through the provider. NULL-safe. */
void zs_pool_free(ZsPool *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ZsPool, zs_pool_free)

const ZsGeometry *zs_pool_geometry(const ZsPool *pool); /* borrowed */
bool zs_pool_partitioned(const ZsPool *pool);
int zs_pool_n_nodes(const ZsPool *pool);
int zs_pool_n_tags(const ZsPool *pool);

/* Allocates len bytes. nid is the preferred node of new zspage pages (-1: no
 * preference; partitioned pools need 0..n_nodes-1); existing zspages are used
 * first whatever their node (shared pool). tag < n_tags.
 *
 * Partitioned pool: the object goes only into a zspage whose pages are all on
 * nid; a new one is requested with strict=true. If that fails, the result is
 * ZS_ENOMEM unless flags has ZS_MALLOC_FALLBACK, in which case the fullest
 * zspage with room of any set is used (groups 99 % down, sets in node order,
 * mixed last), else a new zspage with strict=false, filed under the node all
 * its pages are on or under "mixed"; such allocations count as fallbacks.
 * On success *handle is set, else it is ZS_HANDLE_NONE. O(1) amortised. */
ZsStatus zs_malloc(ZsPool *pool, size_t len, int nid, unsigned tag, unsigned flags,
                   ZsHandle *handle);
/* Frees a live handle (anything else is a bug: g_critical, nothing done). */
void zs_free(ZsPool *pool, ZsHandle handle);
/* Runs compaction; returns the pages freed (also added to pages_compacted). */
uint64_t zs_compact(ZsPool *pool);
/* The shrinker's count: sum of zs_can_compact over classes (and sets). */
uint64_t zs_pool_shrinker_count(const ZsPool *pool);

/* ---- Queries ---- */

bool zs_handle_valid(const ZsPool *pool, ZsHandle handle);
size_t zs_obj_len(const ZsPool *pool, ZsHandle handle);
unsigned zs_obj_tag(const ZsPool *pool, ZsHandle handle);
/* The class rank and slot size of an object. */
const ZsClassInfo *zs_obj_class(const ZsPool *pool, ZsHandle handle);

/* Which node(s) hold an object's payload (see "Byte attribution"): n is 1 or
 * 2 (two only when the payload straddles pages on different nodes). */
typedef struct ZsObjNodes {
    int n;
    int nid[2];
    uint32_t bytes[2];
} ZsObjNodes;
void zs_obj_nodes(const ZsPool *pool, ZsHandle handle, ZsObjNodes *out);

/* Diagnostics: the zspage and slot of an object; a zspage's fullness group,
 * inuse count and page nodes. */
ZsZspageId zs_obj_zspage(const ZsPool *pool, ZsHandle handle);
uint32_t zs_obj_slot(const ZsPool *pool, ZsHandle handle);
int zs_zspage_fullness(const ZsPool *pool, ZsZspageId zspage);
int zs_zspage_inuse(const ZsPool *pool, ZsZspageId zspage);
/* Fills nids[0 .. min(max, pages_per_zspage)-1]; returns pages_per_zspage. */
int zs_zspage_nodes(const ZsPool *pool, ZsZspageId zspage, int *nids, int max);

uint64_t zs_pool_total_pages(const ZsPool *pool);         /* zs_get_total_pages */
uint64_t zs_pool_node_pages(const ZsPool *pool, int nid); /* nr_zspages of node */
uint64_t zs_pool_n_objects(const ZsPool *pool);
uint64_t zs_pool_compressed_bytes(const ZsPool *pool); /* sum of len */
/* Payload bytes held on data_nid's pages for objects of this tag. */
uint64_t zs_pool_bytes(const ZsPool *pool, int data_nid, unsigned tag);
/* compressed bytes / (pages * page size); 0 for an empty pool. */
double zs_pool_density(const ZsPool *pool);
/* Pages beyond what the stored footprint (len, plus 8 for non-huge
 * objects) needs: total_pages - ceil(footprint / page_size). */
uint64_t zs_pool_fragmentation_pages(const ZsPool *pool);

typedef struct ZsPoolStats {
    uint64_t pages_compacted; /* struct zs_pool_stats */
    uint64_t objs_moved;      /* by compaction */
    uint64_t zspages_created;
    uint64_t zspages_freed;
    uint64_t nomem;         /* zs_malloc calls that returned ZS_ENOMEM */
    uint64_t strict_misses; /* partitioned: no strict placement possible */
    uint64_t fallbacks;     /* partitioned: placed by ZS_MALLOC_FALLBACK */
} ZsPoolStats;
void zs_pool_get_stats(const ZsPool *pool, ZsPoolStats *out);

/* Per representative class, summed over the sets of a partitioned pool;
 * zspages[g] is the number of zspages in fullness group g. */
typedef struct ZsClassStats {
    uint64_t zspages[ZS_NR_FULLNESS_GROUPS];
    uint64_t obj_allocated;
    uint64_t obj_used;
    uint64_t pages_used; /* obj_allocated / objs_per_zspage * pages_per_zspage */
    uint64_t freeable;   /* zs_can_compact */
} ZsClassStats;
void zs_pool_class_stats(const ZsPool *pool, int rank, ZsClassStats *out);

/* The debugfs /sys/kernel/debug/zsmalloc/<pool>/classes table (v6.16
 * layout: header, one row per class, blank line, Total row). */
void zs_pool_write_classes(const ZsPool *pool, GString *out);
void zs_pool_fprint_classes(const ZsPool *pool, FILE *out);

/* The full invariant check; FALSE with a ZS_ERROR_CORRUPT error naming the
 * first broken invariant. O(slots + handles + nodes x tags). */
gboolean zs_pool_check(const ZsPool *pool, GError **error);

#endif
