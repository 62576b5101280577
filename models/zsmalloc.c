/*
 * zsmalloc.c - the zsmalloc model; see zsmalloc.h for what is modelled.
 *
 * Layout of the state (all arrays, no per-object heap blocks):
 *   handles[h]      handle -> (zspage id, slot); free entries form a LIFO
 *                   list through .zspage.
 *   zspages[id]     one per zspage: fullness-list links, inuse, free-slot
 *                   head, class rank, set; free ids form a list through .next.
 *   class arenas    per class, "chunks" of objs_per_zspage slots and
 *                   pages_per_zspage page nodes; a zspage owns one chunk for
 *                   its life. A slot holds the object (length, tag) and the
 *                   handle that names it, like the kernel's in-object header,
 *                   or, when free, the next free slot, like link_free.
 *   lists           per (class, set): 12 fullness-list heads, counts, a
 *                   bitmask of non-empty groups and the object counters.
 */
#include "models/zsmalloc.h"

#include <inttypes.h>
#include <string.h>

/* clang-format off */
G_DEFINE_QUARK(zs-error-quark, zs_error)
/* clang-format on */

/* x86-64 with 5-level paging: MAX_POSSIBLE_PHYSMEM_BITS. Only feeds
 * ZS_MIN_ALLOC_SIZE, where it makes the second term 0. */
#define ZS_PHYSMEM_BITS    52
#define ZS_BITS_PER_LONG   64
#define ZS_CLASS_BITS      8
#define ZS_MIN_ALLOC_FLOOR 32

#define ZS_NIL         UINT32_MAX
#define ZS_SLOT_NIL    0xFFFFu
#define ZS_FG_UNLISTED 0xFF /* isolated by compaction, or being built */
#define ZS_FG_FREE     0xFE /* the zspage id is unused */

/* ------------------------------------------------------------------------ */
/* Names                                                                     */

const char *zs_rule_name(ZsRule rule)
{
    return rule == ZS_RULE_PRE_6_3 ? "pre-6.3" : "current";
}

gboolean zs_rule_parse(const char *name, ZsRule *rule, GError **error)
{
    if (name && !strcmp(name, "current")) {
        *rule = ZS_RULE_CURRENT;
        return TRUE;
    }
    if (name && !strcmp(name, "pre-6.3")) {
        *rule = ZS_RULE_PRE_6_3;
        return TRUE;
    }
    g_set_error(error, ZS_ERROR, ZS_ERROR_INVALID,
                "zsmalloc rule: expected \"current\" or \"pre-6.3\", got \"%s\"",
                name ? name : "(null)");
    return FALSE;
}

const char *zs_status_name(ZsStatus s)
{
    switch (s) {
    case ZS_OK:
        return "ok";
    case ZS_EINVAL:
        return "EINVAL";
    case ZS_ENOSPC:
        return "ENOSPC";
    case ZS_ENOMEM:
        return "ENOMEM";
    }
    return "?";
}

/* ------------------------------------------------------------------------ */
/* Geometry                                                                  */

struct ZsGeometry {
    uint32_t page_size;
    int page_shift;
    int chain_size;
    ZsRule rule;
    uint32_t min_alloc;
    uint32_t delta;
    int delta_shift;
    int n_indices;
    int n_classes;
    size_t huge_class_size;
    uint16_t *rank_of_index; /* n_indices */
    ZsClassInfo *classes;    /* n_classes, ascending size */
};

static bool is_pow2(uint32_t x)
{
    return x && !(x & (x - 1));
}

static int log2_u32(uint32_t x)
{
    int s = 0;
    while ((1u << s) < x)
        s++;
    return s;
}

/* v6.3+ calculate_zspage_chain_size: least waste, first on ties. */
static int chain_least_waste(uint32_t size, uint32_t page_size, int max_pages)
{
    if (is_pow2(size))
        return 1;
    uint32_t min_waste = UINT32_MAX;
    int best = 1;
    for (int i = 1; i <= max_pages; i++) {
        uint32_t waste = (uint32_t)(((uint64_t)i * page_size) % size);
        if (waste < min_waste) {
            min_waste = waste;
            best = i;
        }
    }
    return best;
}

/* Pre-6.3 get_pages_per_zspage: highest integer percentage used, first on
 * ties. */
static int chain_used_percent(uint32_t size, uint32_t page_size, int max_pages)
{
    int max_usedpc = 0;
    int best = 1;
    for (int i = 1; i <= max_pages; i++) {
        uint64_t zspage_size = (uint64_t)i * page_size;
        uint64_t waste = zspage_size % size;
        int usedpc = (int)((zspage_size - waste) * 100 / zspage_size);
        if (usedpc > max_usedpc) {
            max_usedpc = usedpc;
            best = i;
        }
    }
    return best;
}

static uint32_t nominal_size(const ZsGeometry *g, int index)
{
    uint64_t s = g->min_alloc + (uint64_t)index * g->delta;
    return s > g->page_size ? g->page_size : (uint32_t)s;
}

static int index_for_size(const ZsGeometry *g, uint64_t s)
{
    uint64_t idx = 0;
    if (s > g->min_alloc)
        idx = (s - g->min_alloc + g->delta - 1) >> g->delta_shift;
    return idx > (uint64_t)(g->n_indices - 1) ? g->n_indices - 1 : (int)idx;
}

static int spanning_count(uint32_t size, int objs, uint32_t page_size)
{
    int n = 0;
    for (int j = 0; j < objs; j++) {
        uint64_t start = (uint64_t)j * size;
        if (start / page_size != (start + size - 1) / page_size)
            n++;
    }
    return n;
}

ZsGeometry *zs_geometry_new(uint32_t page_size, int chain_size, ZsRule rule, GError **error)
{
    if (!is_pow2(page_size) || page_size < ZS_PAGE_SIZE_MIN || page_size > ZS_PAGE_SIZE_MAX) {
        g_set_error(error, ZS_ERROR, ZS_ERROR_INVALID,
                    "zsmalloc page_size: expected a power of two in [%d, %d], got %" PRIu32,
                    ZS_PAGE_SIZE_MIN, ZS_PAGE_SIZE_MAX, page_size);
        return NULL;
    }
    if (rule != ZS_RULE_CURRENT && rule != ZS_RULE_PRE_6_3) {
        g_set_error(error, ZS_ERROR, ZS_ERROR_INVALID, "zsmalloc rule: unknown value %d",
                    (int)rule);
        return NULL;
    }
    if (rule == ZS_RULE_PRE_6_3 && chain_size != ZS_CHAIN_SIZE_PRE_6_3) {
        g_set_error(error, ZS_ERROR, ZS_ERROR_INVALID,
                    "zsmalloc chain_size: the pre-6.3 rule has a fixed chain size of %d, got %d",
                    ZS_CHAIN_SIZE_PRE_6_3, chain_size);
        return NULL;
    }
    if (chain_size < ZS_CHAIN_SIZE_MIN || chain_size > ZS_CHAIN_SIZE_MAX) {
        g_set_error(error, ZS_ERROR, ZS_ERROR_INVALID,
                    "zsmalloc chain_size: expected %d..%d, got %d", ZS_CHAIN_SIZE_MIN,
                    ZS_CHAIN_SIZE_MAX, chain_size);
        return NULL;
    }

    ZsGeometry *g = g_new0(ZsGeometry, 1);
    g->page_size = page_size;
    g->page_shift = log2_u32(page_size);
    g->chain_size = chain_size;
    g->rule = rule;
    /* OBJ_INDEX_BITS = BITS_PER_LONG - (PHYSMEM_BITS - PAGE_SHIFT); pre-6.3
     * kernels also took away the tag bit. */
    int obj_index_bits = ZS_BITS_PER_LONG - (ZS_PHYSMEM_BITS - g->page_shift);
    if (rule == ZS_RULE_PRE_6_3)
        obj_index_bits -= 1;
    uint64_t second = ((uint64_t)chain_size << g->page_shift) >> obj_index_bits;
    g->min_alloc = second > ZS_MIN_ALLOC_FLOOR ? (uint32_t)second : ZS_MIN_ALLOC_FLOOR;
    g->delta = page_size >> ZS_CLASS_BITS;
    g->delta_shift = log2_u32(g->delta);
    g->n_indices = (int)((page_size - g->min_alloc + g->delta - 1) / g->delta) + 1;
    g->rank_of_index = g_new0(uint16_t, g->n_indices);

    /* Built top-down as zs_create_pool does; classes[] is filled from the
     * end and shifted down at the end. */
    ZsClassInfo *desc = g_new0(ZsClassInfo, g->n_indices);
    int n = 0;
    for (int i = g->n_indices - 1; i >= 0; i--) {
        uint32_t size = nominal_size(g, i);
        int ppz = rule == ZS_RULE_CURRENT ? chain_least_waste(size, page_size, chain_size)
                                          : chain_used_percent(size, page_size, chain_size);
        int objs = (int)((uint64_t)ppz * page_size / size);
        if (ppz != 1 && objs != 1 && !g->huge_class_size)
            g->huge_class_size = size - (ZS_HANDLE_SIZE - 1);
        if (n > 0 && desc[n - 1].pages_per_zspage == ppz && desc[n - 1].objs_per_zspage == objs) {
            desc[n - 1].first_index = i;
            continue;
        }
        ZsClassInfo *c = &desc[n++];
        c->index = i;
        c->first_index = i;
        c->size = size;
        c->pages_per_zspage = ppz;
        c->objs_per_zspage = objs;
        c->huge = ppz == 1 && objs == 1;
        c->waste_bytes = (uint32_t)((uint64_t)ppz * page_size - (uint64_t)objs * size);
        c->spanning_objs = spanning_count(size, objs, page_size);
    }
    g->n_classes = n;
    g->classes = g_new0(ZsClassInfo, n);
    for (int r = 0; r < n; r++) {
        ZsClassInfo *c = &g->classes[r];
        *c = desc[n - 1 - r];
        c->rank = r;
        for (int i = c->first_index; i <= c->index; i++)
            g->rank_of_index[i] = (uint16_t)r;
        uint64_t lo_s = c->first_index == 0 ? 1 : (uint64_t)nominal_size(g, c->first_index - 1) + 1;
        uint64_t hi_s = c->index == g->n_indices - 1 ? (uint64_t)page_size + ZS_HANDLE_SIZE
                                                     : nominal_size(g, c->index);
        c->min_len = lo_s > ZS_HANDLE_SIZE ? (uint32_t)(lo_s - ZS_HANDLE_SIZE) : 1;
        c->max_len = (uint32_t)MIN(hi_s - ZS_HANDLE_SIZE, (uint64_t)page_size);
    }
    g_free(desc);
    return g;
}

void zs_geometry_free(ZsGeometry *g)
{
    if (!g)
        return;
    g_free(g->rank_of_index);
    g_free(g->classes);
    g_free(g);
}

uint32_t zs_geometry_page_size(const ZsGeometry *g)
{
    return g->page_size;
}

int zs_geometry_chain_size(const ZsGeometry *g)
{
    return g->chain_size;
}

ZsRule zs_geometry_rule(const ZsGeometry *g)
{
    return g->rule;
}

int zs_geometry_n_indices(const ZsGeometry *g)
{
    return g->n_indices;
}

int zs_geometry_n_classes(const ZsGeometry *g)
{
    return g->n_classes;
}

uint32_t zs_geometry_min_alloc(const ZsGeometry *g)
{
    return g->min_alloc;
}

uint32_t zs_geometry_class_delta(const ZsGeometry *g)
{
    return g->delta;
}

size_t zs_geometry_huge_class_size(const ZsGeometry *g)
{
    return g->huge_class_size;
}

const ZsClassInfo *zs_geometry_class(const ZsGeometry *g, int rank)
{
    g_return_val_if_fail(rank >= 0 && rank < g->n_classes, NULL);
    return &g->classes[rank];
}

const ZsClassInfo *zs_geometry_class_at_index(const ZsGeometry *g, int index)
{
    g_return_val_if_fail(index >= 0 && index < g->n_indices, NULL);
    return &g->classes[g->rank_of_index[index]];
}

const ZsClassInfo *zs_geometry_class_for_len(const ZsGeometry *g, size_t len)
{
    if (len == 0 || len > g->page_size)
        return NULL;
    return &g->classes[g->rank_of_index[index_for_size(g, (uint64_t)len + ZS_HANDLE_SIZE)]];
}

/* ------------------------------------------------------------------------ */
/* Pool state                                                                */

/* A zspage lives in its class's arena at index `chunk`; (class rank, chunk)
 * is its identity, so a handle reaches the zspage and the slot with two
 * independent loads. */
typedef struct ZsZspage {
    uint32_t prev, next; /* fullness list (chunks of the same class); .next
                            also links free chunks */
    uint16_t inuse;
    uint16_t freeobj;                /* head of the free-slot list, ZS_SLOT_NIL when full */
    uint8_t fullness;                /* group, ZS_FG_UNLISTED or ZS_FG_FREE */
    uint8_t set;                     /* 0 in a shared pool; node, or n_nodes for mixed */
    uint8_t nids[ZS_CHAIN_SIZE_MAX]; /* node of each page, in chain order */
} ZsZspage;

typedef struct ZsSlot {
    uint32_t link;   /* used: the handle; free: next free slot */
    uint16_t len_m1; /* used: len - 1 */
    uint8_t tag;
    uint8_t used;
} ZsSlot;

#define ZS_HANDLE_FREE 0xFFFFu

typedef struct ZsHandleEnt {
    uint32_t chunk; /* live: the zspage; free: next free handle (0 ends) */
    uint16_t cls;   /* live: class rank; free: ZS_HANDLE_FREE */
    uint16_t slot;
} ZsHandleEnt;

typedef struct ZsLists {
    uint32_t head[ZS_NR_FULLNESS_GROUPS];
    uint32_t count[ZS_NR_FULLNESS_GROUPS];
    uint64_t objs_allocated;
    uint64_t objs_inuse;
    uint32_t mask; /* bit g: list g is non-empty */
} ZsLists;

typedef struct ZsPoolClass {
    uint32_t size;
    uint32_t hdr; /* bytes before the payload in a slot: 8, or 0 if huge */
    uint16_t objs;
    uint8_t ppz;
    ZsZspage *zsp; /* cap_chunks */
    ZsSlot *slots; /* cap_chunks * objs */
    uint32_t n_chunks, cap_chunks;
    uint32_t free_chunk; /* linked through zsp[].next */
} ZsPoolClass;

struct ZsPool {
    ZsGeometry *geom;
    ZsPageProvider provider;
    int n_nodes, n_tags, n_sets;
    bool partitioned;
    uint32_t page_size;
    int page_shift;
    uint32_t page_mask;

    ZsPoolClass *cls; /* by rank */
    ZsLists *lists;   /* [rank * n_sets + set] */
    uint64_t live_zspages;

    ZsHandleEnt *handles;
    uint32_t n_handles, cap_handles, free_handle;

    uint64_t total_pages;
    uint64_t *node_pages; /* n_nodes */
    uint64_t *bytes;      /* [nid * n_tags + tag] */
    uint64_t n_objects;
    uint64_t compressed_bytes;
    uint64_t footprint_bytes; /* sum of len + hdr */
    ZsPoolStats stats;
};

static ZsZspageId zspage_id(int rank, uint32_t chunk)
{
    return ((uint64_t)(uint32_t)rank << 32) | chunk;
}

void zs_pool_params_init(ZsPoolParams *p)
{
    memset(p, 0, sizeof(*p));
    p->page_size = 4096;
    p->chain_size = ZS_CHAIN_SIZE_DEFAULT;
    p->rule = ZS_RULE_CURRENT;
    p->n_nodes = 1;
    p->n_tags = 1;
    p->partitioned = false;
}

ZsPool *zs_pool_new(const ZsPoolParams *params, const ZsPageProvider *provider, GError **error)
{
    if (!provider || !provider->alloc_page || !provider->free_page) {
        g_set_error(error, ZS_ERROR, ZS_ERROR_INVALID,
                    "zsmalloc pool: a page provider with alloc_page and free_page is required");
        return NULL;
    }
    if (params->n_nodes < 1 || params->n_nodes > TS_MAX_NODES) {
        g_set_error(error, ZS_ERROR, ZS_ERROR_INVALID, "zsmalloc n_nodes: expected 1..%d, got %d",
                    TS_MAX_NODES, params->n_nodes);
        return NULL;
    }
    if (params->n_tags < 1 || params->n_tags > ZS_MAX_TAGS) {
        g_set_error(error, ZS_ERROR, ZS_ERROR_INVALID, "zsmalloc n_tags: expected 1..%d, got %d",
                    ZS_MAX_TAGS, params->n_tags);
        return NULL;
    }
    ZsGeometry *g = zs_geometry_new(params->page_size, params->chain_size, params->rule, error);
    if (!g)
        return NULL;

    ZsPool *pool = g_new0(ZsPool, 1);
    pool->geom = g;
    pool->provider = *provider;
    pool->n_nodes = params->n_nodes;
    pool->n_tags = params->n_tags;
    pool->partitioned = params->partitioned;
    pool->n_sets = params->partitioned ? params->n_nodes + 1 : 1;
    pool->page_size = g->page_size;
    pool->page_shift = g->page_shift;
    pool->page_mask = g->page_size - 1;

    pool->cls = g_new0(ZsPoolClass, g->n_classes);
    for (int r = 0; r < g->n_classes; r++) {
        const ZsClassInfo *ci = &g->classes[r];
        ZsPoolClass *c = &pool->cls[r];
        c->size = ci->size;
        c->hdr = ci->huge ? 0 : ZS_HANDLE_SIZE;
        c->objs = (uint16_t)ci->objs_per_zspage;
        c->ppz = (uint8_t)ci->pages_per_zspage;
        c->free_chunk = ZS_NIL;
    }
    pool->lists = g_new0(ZsLists, (size_t)g->n_classes * pool->n_sets);
    for (size_t i = 0; i < (size_t)g->n_classes * pool->n_sets; i++)
        for (int fg = 0; fg < ZS_NR_FULLNESS_GROUPS; fg++)
            pool->lists[i].head[fg] = ZS_NIL;

    pool->n_handles = 1; /* handle 0 is never handed out */
    pool->cap_handles = 1024;
    pool->handles = g_new0(ZsHandleEnt, pool->cap_handles);
    pool->node_pages = g_new0(uint64_t, pool->n_nodes);
    pool->bytes = g_new0(uint64_t, (size_t)pool->n_nodes * pool->n_tags);
    return pool;
}

static ZsLists *lists_of(const ZsPool *pool, int rank, int set)
{
    return &pool->lists[(size_t)rank * pool->n_sets + set];
}

void zs_pool_free(ZsPool *pool)
{
    if (!pool)
        return;
    for (int r = 0; r < pool->geom->n_classes; r++) {
        ZsPoolClass *c = &pool->cls[r];
        for (uint32_t ch = 0; ch < c->n_chunks; ch++) {
            if (c->zsp[ch].fullness == ZS_FG_FREE)
                continue;
            for (int i = 0; i < c->ppz; i++)
                pool->provider.free_page(pool->provider.ctx, c->zsp[ch].nids[i]);
        }
        g_free(c->zsp);
        g_free(c->slots);
    }
    g_free(pool->cls);
    g_free(pool->lists);
    g_free(pool->handles);
    g_free(pool->node_pages);
    g_free(pool->bytes);
    zs_geometry_free(pool->geom);
    g_free(pool);
}

const ZsGeometry *zs_pool_geometry(const ZsPool *pool)
{
    return pool->geom;
}

bool zs_pool_partitioned(const ZsPool *pool)
{
    return pool->partitioned;
}

int zs_pool_n_nodes(const ZsPool *pool)
{
    return pool->n_nodes;
}

int zs_pool_n_tags(const ZsPool *pool)
{
    return pool->n_tags;
}

/* ------------------------------------------------------------------------ */
/* Fullness lists                                                            */

/* get_fullness_group. */
static int fullness_of(uint32_t inuse, uint32_t objs)
{
    if (inuse == 0)
        return ZS_FULLNESS_EMPTY;
    if (inuse == objs)
        return ZS_FULLNESS_FULL;
    return (int)(100 * inuse / objs) / 10 + 1;
}

/* insert_zspage: at the head of the list. */
static void list_insert(ZsPool *pool, int rank, uint32_t ch, int fg)
{
    ZsZspage *zsp = pool->cls[rank].zsp;
    ZsZspage *z = &zsp[ch];
    ZsLists *L = lists_of(pool, rank, z->set);
    z->prev = ZS_NIL;
    z->next = L->head[fg];
    if (z->next != ZS_NIL)
        zsp[z->next].prev = ch;
    L->head[fg] = ch;
    L->count[fg]++;
    L->mask |= 1u << fg;
    z->fullness = (uint8_t)fg;
}

/* remove_zspage. */
static void list_remove(ZsPool *pool, int rank, uint32_t ch)
{
    ZsZspage *zsp = pool->cls[rank].zsp;
    ZsZspage *z = &zsp[ch];
    ZsLists *L = lists_of(pool, rank, z->set);
    int fg = z->fullness;
    g_assert(fg < ZS_NR_FULLNESS_GROUPS);
    if (z->prev != ZS_NIL)
        zsp[z->prev].next = z->next;
    else
        L->head[fg] = z->next;
    if (z->next != ZS_NIL)
        zsp[z->next].prev = z->prev;
    L->count[fg]--;
    if (L->head[fg] == ZS_NIL)
        L->mask &= ~(1u << fg);
    z->prev = z->next = ZS_NIL;
    z->fullness = ZS_FG_UNLISTED;
}

/* fix_fullness_group: re-lists only when the group changes. */
static int fix_fullness(ZsPool *pool, int rank, uint32_t ch)
{
    const ZsPoolClass *c = &pool->cls[rank];
    int fg = fullness_of(c->zsp[ch].inuse, c->objs);
    if (fg != c->zsp[ch].fullness) {
        list_remove(pool, rank, ch);
        list_insert(pool, rank, ch, fg);
    }
    return fg;
}

/* putback_zspage for an unlisted zspage. */
static int putback(ZsPool *pool, int rank, uint32_t ch)
{
    const ZsPoolClass *c = &pool->cls[rank];
    int fg = fullness_of(c->zsp[ch].inuse, c->objs);
    list_insert(pool, rank, ch, fg);
    return fg;
}

/* find_get_zspage: head of the fullest non-empty group from 99 % down to 0 %. */
static uint32_t find_zspage(const ZsLists *L)
{
    uint32_t m = L->mask & ((1u << ZS_FULLNESS_FULL) - 1);
    if (!m)
        return ZS_NIL;
    return L->head[g_bit_storage(m) - 1]; /* highest set bit: clz when optimised */
}

/* ------------------------------------------------------------------------ */
/* Zspages                                                                   */

static uint32_t chunk_alloc(ZsPoolClass *c)
{
    if (c->free_chunk != ZS_NIL) {
        uint32_t ch = c->free_chunk;
        c->free_chunk = c->zsp[ch].next;
        return ch;
    }
    if (c->n_chunks == c->cap_chunks) {
        if (c->cap_chunks >= ZS_NIL / 2)
            g_error("zsmalloc: more than %u zspages in one class", ZS_NIL / 2);
        c->cap_chunks = c->cap_chunks ? c->cap_chunks * 2 : 4;
        c->zsp = g_renew(ZsZspage, c->zsp, c->cap_chunks);
        c->slots = g_renew(ZsSlot, c->slots, (size_t)c->cap_chunks * c->objs);
    }
    return c->n_chunks++;
}

/* alloc_zspage: pages_per_zspage order-0 pages requested one by one with the
 * preferred node; one failure gives the others back. The zspage is returned
 * unlisted and empty; ZS_NIL when a page was missing. */
static uint32_t zspage_create(ZsPool *pool, int rank, int nid, bool strict)
{
    ZsPoolClass *c = &pool->cls[rank];
    int got[ZS_CHAIN_SIZE_MAX] = {0};
    for (int i = 0; i < c->ppz; i++) {
        int r = pool->provider.alloc_page(pool->provider.ctx, nid, strict);
        if (r < 0) {
            while (--i >= 0)
                pool->provider.free_page(pool->provider.ctx, got[i]);
            return ZS_NIL;
        }
        if (r >= pool->n_nodes || (strict && r != nid))
            g_error("zsmalloc: page provider returned node %d (preferred %d, strict %d, "
                    "%d nodes)",
                    r, nid, (int)strict, pool->n_nodes);
        got[i] = r;
    }

    int set = 0;
    if (pool->partitioned) {
        set = got[0];
        for (int i = 1; i < c->ppz; i++)
            if (got[i] != got[0])
                set = pool->n_nodes; /* mixed */
    }
    uint32_t ch = chunk_alloc(c);
    ZsZspage *z = &c->zsp[ch];
    memset(z, 0, sizeof(*z));
    z->prev = z->next = ZS_NIL;
    z->freeobj = 0;
    z->fullness = ZS_FG_UNLISTED;
    z->set = (uint8_t)set;
    for (int i = 0; i < c->ppz; i++) {
        z->nids[i] = (uint8_t)got[i];
        pool->node_pages[got[i]]++;
    }

    /* init_zspage: the free list runs 0, 1, 2, ... */
    ZsSlot *slots = c->slots + (size_t)ch * c->objs;
    for (uint32_t i = 0; i < c->objs; i++) {
        slots[i].link = i + 1 < c->objs ? i + 1 : ZS_SLOT_NIL;
        slots[i].used = 0;
        slots[i].len_m1 = 0;
        slots[i].tag = 0;
    }
    pool->total_pages += c->ppz;
    lists_of(pool, rank, set)->objs_allocated += c->objs;
    pool->live_zspages++;
    pool->stats.zspages_created++;
    return ch;
}

/* __free_zspage: the pages go back, first to last. */
static void zspage_release(ZsPool *pool, int rank, uint32_t ch)
{
    ZsPoolClass *c = &pool->cls[rank];
    ZsZspage *z = &c->zsp[ch];
    g_assert(z->inuse == 0);
    if (z->fullness != ZS_FG_UNLISTED)
        list_remove(pool, rank, ch);
    for (int i = 0; i < c->ppz; i++) {
        pool->node_pages[z->nids[i]]--;
        pool->provider.free_page(pool->provider.ctx, z->nids[i]);
    }
    pool->total_pages -= c->ppz;
    lists_of(pool, rank, z->set)->objs_allocated -= c->objs;
    z->fullness = ZS_FG_FREE;
    z->next = c->free_chunk;
    c->free_chunk = ch;
    pool->live_zspages--;
    pool->stats.zspages_freed++;
}

/* ------------------------------------------------------------------------ */
/* Objects                                                                   */

/* Splits an object's payload over the page(s) it lies on. Returns the number
 * of parts (1 or 2): page index pg[i] within the zspage, bytes n[i]. */
static int payload_parts(const ZsPool *pool, const ZsPoolClass *c, uint32_t slot, uint32_t len,
                         int pg[2], uint32_t n[2])
{
    uint64_t p = (uint64_t)slot * c->size + c->hdr;
    uint32_t in = (uint32_t)(p & pool->page_mask);
    uint32_t first = pool->page_size - in;
    pg[0] = (int)(p >> pool->page_shift);
    if (first >= len) {
        n[0] = len;
        return 1;
    }
    n[0] = first;
    pg[1] = pg[0] + 1;
    n[1] = len - first;
    return 2;
}

static void bytes_account(ZsPool *pool, const ZsPoolClass *c, const ZsZspage *z, uint32_t slot,
                          uint32_t len, unsigned tag, bool add)
{
    int pg[2];
    uint32_t n[2];
    int parts = payload_parts(pool, c, slot, len, pg, n);
    for (int i = 0; i < parts; i++) {
        uint64_t *b = &pool->bytes[(size_t)z->nids[pg[i]] * pool->n_tags + tag];
        if (add)
            *b += n[i];
        else
            *b -= n[i];
    }
}

static ZsHandle handle_alloc(ZsPool *pool)
{
    if (pool->free_handle) {
        ZsHandle h = pool->free_handle;
        pool->free_handle = pool->handles[h].chunk;
        return h;
    }
    if (pool->n_handles == pool->cap_handles) {
        if (pool->cap_handles >= UINT32_MAX / 2)
            g_error("zsmalloc: more than %u handles", UINT32_MAX / 2);
        pool->cap_handles *= 2;
        pool->handles = g_renew(ZsHandleEnt, pool->handles, pool->cap_handles);
    }
    return pool->n_handles++;
}

/* obj_malloc: pops the zspage's free-slot head. */
static void obj_malloc(ZsPool *pool, int rank, uint32_t ch, ZsHandle h, uint32_t len, unsigned tag)
{
    ZsPoolClass *c = &pool->cls[rank];
    ZsZspage *z = &c->zsp[ch];
    uint32_t s = z->freeobj;
    g_assert(s != ZS_SLOT_NIL);
    ZsSlot *sl = &c->slots[(size_t)ch * c->objs + s];
    z->freeobj = (uint16_t)sl->link;
    sl->link = h;
    sl->len_m1 = (uint16_t)(len - 1);
    sl->tag = (uint8_t)tag;
    sl->used = 1;
    z->inuse++;
    pool->handles[h] = (ZsHandleEnt){ch, (uint16_t)rank, (uint16_t)s};
    bytes_account(pool, c, z, s, len, tag, true);
}

ZsStatus zs_malloc(ZsPool *pool, size_t len, int nid, unsigned tag, unsigned flags,
                   ZsHandle *handle)
{
    *handle = ZS_HANDLE_NONE;
    if (len == 0)
        return ZS_EINVAL;
    if (len > pool->page_size)
        return ZS_ENOSPC;
    if (tag >= (unsigned)pool->n_tags || nid >= pool->n_nodes || nid < -1 ||
        (pool->partitioned && nid < 0))
        return ZS_EINVAL;

    const ZsGeometry *g = pool->geom;
    int rank = g->rank_of_index[index_for_size(g, (uint64_t)len + ZS_HANDLE_SIZE)];
    uint32_t ch;
    bool fallback = false;
    if (!pool->partitioned) {
        ch = find_zspage(lists_of(pool, rank, 0));
        if (ch == ZS_NIL)
            ch = zspage_create(pool, rank, nid, false);
    } else {
        ch = find_zspage(lists_of(pool, rank, nid));
        if (ch == ZS_NIL)
            ch = zspage_create(pool, rank, nid, true);
        if (ch == ZS_NIL) {
            pool->stats.strict_misses++;
            if (flags & ZS_MALLOC_FALLBACK) {
                /* As a shared pool would: any zspage with room, fullest
                 * group first, then a new zspage that may fall back. */
                for (int fg = ZS_FULLNESS_99; fg >= ZS_FULLNESS_EMPTY && ch == ZS_NIL; fg--)
                    for (int set = 0; set < pool->n_sets && ch == ZS_NIL; set++)
                        ch = lists_of(pool, rank, set)->head[fg];
                if (ch == ZS_NIL)
                    ch = zspage_create(pool, rank, nid, false);
                fallback = ch != ZS_NIL;
            }
        }
    }
    if (ch == ZS_NIL) {
        pool->stats.nomem++;
        return ZS_ENOMEM;
    }
    if (fallback)
        pool->stats.fallbacks++;

    ZsPoolClass *c = &pool->cls[rank];
    ZsHandle h = handle_alloc(pool);
    bool fresh = c->zsp[ch].fullness == ZS_FG_UNLISTED;
    obj_malloc(pool, rank, ch, h, (uint32_t)len, tag);
    if (fresh)
        putback(pool, rank, ch);
    else
        fix_fullness(pool, rank, ch);
    lists_of(pool, rank, c->zsp[ch].set)->objs_inuse++;
    pool->n_objects++;
    pool->compressed_bytes += len;
    pool->footprint_bytes += len + c->hdr;
    *handle = h;
    return ZS_OK;
}

bool zs_handle_valid(const ZsPool *pool, ZsHandle handle)
{
    return handle != ZS_HANDLE_NONE && handle < pool->n_handles &&
           pool->handles[handle].cls != ZS_HANDLE_FREE;
}

void zs_free(ZsPool *pool, ZsHandle handle)
{
    g_return_if_fail(zs_handle_valid(pool, handle));
    ZsHandleEnt *e = &pool->handles[handle];
    int rank = e->cls;
    uint32_t ch = e->chunk, s = e->slot;
    ZsPoolClass *c = &pool->cls[rank];
    ZsZspage *z = &c->zsp[ch];
    ZsSlot *sl = &c->slots[(size_t)ch * c->objs + s];
    uint32_t len = sl->len_m1 + 1u;

    bytes_account(pool, c, z, s, len, sl->tag, false);
    pool->n_objects--;
    pool->compressed_bytes -= len;
    pool->footprint_bytes -= len + c->hdr;

    /* obj_free: push on the free-slot list. */
    sl->link = z->freeobj;
    sl->used = 0;
    z->freeobj = (uint16_t)s;
    z->inuse--;
    lists_of(pool, rank, z->set)->objs_inuse--;
    if (fix_fullness(pool, rank, ch) == ZS_FULLNESS_EMPTY)
        zspage_release(pool, rank, ch);

    e->cls = ZS_HANDLE_FREE;
    e->slot = 0;
    e->chunk = pool->free_handle;
    pool->free_handle = handle;
}

/* ------------------------------------------------------------------------ */
/* Compaction                                                                */

/* zs_can_compact for one (class, set). */
static uint64_t can_compact(const ZsPoolClass *c, const ZsLists *L)
{
    if (L->objs_allocated <= L->objs_inuse)
        return 0;
    return (L->objs_allocated - L->objs_inuse) / c->objs * c->ppz;
}

static uint32_t isolate(ZsPool *pool, int rank, ZsLists *L, bool fullest)
{
    for (int i = 0; i < ZS_FULLNESS_99; i++) {
        int fg = fullest ? ZS_FULLNESS_99 - i : 1 + i;
        uint32_t ch = L->head[fg];
        if (ch != ZS_NIL) {
            list_remove(pool, rank, ch);
            return ch;
        }
    }
    return ZS_NIL;
}

/* migrate_zspage: moves the source's objects in slot order into the
 * destination's free slots until the destination is full or the source
 * empty. Handles follow their objects. */
static void migrate(ZsPool *pool, int rank, uint32_t src_ch, uint32_t dst_ch)
{
    ZsPoolClass *c = &pool->cls[rank];
    ZsZspage *src = &c->zsp[src_ch];
    ZsZspage *dst = &c->zsp[dst_ch];
    ZsSlot *ss = c->slots + (size_t)src_ch * c->objs;
    ZsSlot *ds = c->slots + (size_t)dst_ch * c->objs;
    for (uint32_t s = 0; s < c->objs; s++) {
        if (!ss[s].used)
            continue;
        uint32_t len = ss[s].len_m1 + 1u;
        ZsHandle h = ss[s].link;
        bytes_account(pool, c, src, s, len, ss[s].tag, false);

        uint32_t d = dst->freeobj;
        g_assert(d != ZS_SLOT_NIL);
        dst->freeobj = (uint16_t)ds[d].link;
        ds[d] = ss[s];
        dst->inuse++;
        pool->handles[h].chunk = dst_ch;
        pool->handles[h].slot = (uint16_t)d;
        bytes_account(pool, c, dst, d, len, ds[d].tag, true);

        ss[s].link = src->freeobj;
        ss[s].used = 0;
        src->freeobj = (uint16_t)s;
        src->inuse--;
        pool->stats.objs_moved++;

        if (dst->inuse == c->objs || src->inuse == 0)
            break;
    }
}

/* __zs_compact for one (class, set). */
static uint64_t compact_lists(ZsPool *pool, int rank, int set)
{
    ZsPoolClass *c = &pool->cls[rank];
    ZsLists *L = lists_of(pool, rank, set);
    uint32_t dst = ZS_NIL;
    uint64_t freed = 0;
    while (can_compact(c, L)) {
        if (dst == ZS_NIL) {
            dst = isolate(pool, rank, L, true);
            if (dst == ZS_NIL)
                break;
        }
        uint32_t src = isolate(pool, rank, L, false);
        if (src == ZS_NIL)
            break;
        migrate(pool, rank, src, dst);
        if (putback(pool, rank, src) == ZS_FULLNESS_EMPTY) {
            zspage_release(pool, rank, src);
            freed += c->ppz;
        }
        if (c->zsp[dst].inuse == c->objs) {
            putback(pool, rank, dst);
            dst = ZS_NIL;
        }
    }
    if (dst != ZS_NIL)
        putback(pool, rank, dst);
    return freed;
}

uint64_t zs_compact(ZsPool *pool)
{
    uint64_t freed = 0;
    for (int r = pool->geom->n_classes - 1; r >= 0; r--)
        for (int set = 0; set < pool->n_sets; set++)
            freed += compact_lists(pool, r, set);
    pool->stats.pages_compacted += freed;
    return freed;
}

uint64_t zs_pool_shrinker_count(const ZsPool *pool)
{
    uint64_t n = 0;
    for (int r = pool->geom->n_classes - 1; r >= 0; r--)
        for (int set = 0; set < pool->n_sets; set++)
            n += can_compact(&pool->cls[r], lists_of(pool, r, set));
    return n;
}

/* ------------------------------------------------------------------------ */
/* Queries                                                                   */

static const ZsSlot *slot_of(const ZsPool *pool, ZsHandle handle)
{
    const ZsHandleEnt *e = &pool->handles[handle];
    const ZsPoolClass *c = &pool->cls[e->cls];
    return &c->slots[(size_t)e->chunk * c->objs + e->slot];
}

size_t zs_obj_len(const ZsPool *pool, ZsHandle handle)
{
    g_return_val_if_fail(zs_handle_valid(pool, handle), 0);
    return slot_of(pool, handle)->len_m1 + (size_t)1;
}

unsigned zs_obj_tag(const ZsPool *pool, ZsHandle handle)
{
    g_return_val_if_fail(zs_handle_valid(pool, handle), 0);
    return slot_of(pool, handle)->tag;
}

const ZsClassInfo *zs_obj_class(const ZsPool *pool, ZsHandle handle)
{
    g_return_val_if_fail(zs_handle_valid(pool, handle), NULL);
    return &pool->geom->classes[pool->handles[handle].cls];
}

void zs_obj_nodes(const ZsPool *pool, ZsHandle handle, ZsObjNodes *out)
{
    memset(out, 0, sizeof(*out));
    g_return_if_fail(zs_handle_valid(pool, handle));
    const ZsHandleEnt *e = &pool->handles[handle];
    const ZsPoolClass *c = &pool->cls[e->cls];
    const ZsZspage *z = &c->zsp[e->chunk];
    int pg[2];
    uint32_t n[2];
    int parts = payload_parts(pool, c, e->slot, slot_of(pool, handle)->len_m1 + 1u, pg, n);
    out->n = 1;
    out->nid[0] = z->nids[pg[0]];
    out->bytes[0] = n[0];
    if (parts == 2) {
        if (z->nids[pg[1]] == z->nids[pg[0]]) {
            out->bytes[0] += n[1];
        } else {
            out->n = 2;
            out->nid[1] = z->nids[pg[1]];
            out->bytes[1] = n[1];
        }
    }
}

ZsZspageId zs_obj_zspage(const ZsPool *pool, ZsHandle handle)
{
    g_return_val_if_fail(zs_handle_valid(pool, handle), UINT64_MAX);
    return zspage_id(pool->handles[handle].cls, pool->handles[handle].chunk);
}

uint32_t zs_obj_slot(const ZsPool *pool, ZsHandle handle)
{
    g_return_val_if_fail(zs_handle_valid(pool, handle), ZS_NIL);
    return pool->handles[handle].slot;
}

static const ZsZspage *zspage_lookup(const ZsPool *pool, ZsZspageId id, const ZsPoolClass **cls)
{
    uint64_t rank = id >> 32;
    uint32_t ch = (uint32_t)id;
    if (rank >= (uint64_t)pool->geom->n_classes)
        return NULL;
    const ZsPoolClass *c = &pool->cls[rank];
    if (ch >= c->n_chunks || c->zsp[ch].fullness == ZS_FG_FREE)
        return NULL;
    if (cls)
        *cls = c;
    return &c->zsp[ch];
}

int zs_zspage_fullness(const ZsPool *pool, ZsZspageId zspage)
{
    const ZsZspage *z = zspage_lookup(pool, zspage, NULL);
    g_return_val_if_fail(z, -1);
    return z->fullness;
}

int zs_zspage_inuse(const ZsPool *pool, ZsZspageId zspage)
{
    const ZsZspage *z = zspage_lookup(pool, zspage, NULL);
    g_return_val_if_fail(z, -1);
    return z->inuse;
}

int zs_zspage_nodes(const ZsPool *pool, ZsZspageId zspage, int *nids, int max)
{
    const ZsPoolClass *c = NULL;
    const ZsZspage *z = zspage_lookup(pool, zspage, &c);
    g_return_val_if_fail(z, 0);
    for (int i = 0; i < c->ppz && i < max; i++)
        nids[i] = z->nids[i];
    return c->ppz;
}

uint64_t zs_pool_total_pages(const ZsPool *pool)
{
    return pool->total_pages;
}

uint64_t zs_pool_node_pages(const ZsPool *pool, int nid)
{
    g_return_val_if_fail(nid >= 0 && nid < pool->n_nodes, 0);
    return pool->node_pages[nid];
}

uint64_t zs_pool_n_objects(const ZsPool *pool)
{
    return pool->n_objects;
}

uint64_t zs_pool_compressed_bytes(const ZsPool *pool)
{
    return pool->compressed_bytes;
}

uint64_t zs_pool_bytes(const ZsPool *pool, int data_nid, unsigned tag)
{
    g_return_val_if_fail(data_nid >= 0 && data_nid < pool->n_nodes, 0);
    g_return_val_if_fail(tag < (unsigned)pool->n_tags, 0);
    return pool->bytes[(size_t)data_nid * pool->n_tags + tag];
}

double zs_pool_density(const ZsPool *pool)
{
    if (!pool->total_pages)
        return 0.0;
    return (double)pool->compressed_bytes / ((double)pool->total_pages * pool->page_size);
}

uint64_t zs_pool_fragmentation_pages(const ZsPool *pool)
{
    uint64_t need = (pool->footprint_bytes + pool->page_size - 1) >> pool->page_shift;
    return pool->total_pages > need ? pool->total_pages - need : 0;
}

void zs_pool_get_stats(const ZsPool *pool, ZsPoolStats *out)
{
    *out = pool->stats;
}

void zs_pool_class_stats(const ZsPool *pool, int rank, ZsClassStats *out)
{
    memset(out, 0, sizeof(*out));
    g_return_if_fail(rank >= 0 && rank < pool->geom->n_classes);
    const ZsPoolClass *c = &pool->cls[rank];
    for (int set = 0; set < pool->n_sets; set++) {
        const ZsLists *L = lists_of(pool, rank, set);
        for (int fg = 0; fg < ZS_NR_FULLNESS_GROUPS; fg++)
            out->zspages[fg] += L->count[fg];
        out->obj_allocated += L->objs_allocated;
        out->obj_used += L->objs_inuse;
        out->freeable += can_compact(c, L);
    }
    out->pages_used = out->obj_allocated / c->objs * c->ppz;
}

/* zs_stats_size_show, v6.16: same widths, same order, same Total row. */
void zs_pool_write_classes(const ZsPool *pool, GString *out)
{
    g_string_append_printf(out,
                           " %5s %5s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s %13s %10s %10s "
                           "%16s %8s\n",
                           "class", "size", "10%", "20%", "30%", "40%", "50%", "60%", "70%", "80%",
                           "90%", "99%", "100%", "obj_allocated", "obj_used", "pages_used",
                           "pages_per_zspage", "freeable");
    uint64_t totals[ZS_NR_FULLNESS_GROUPS] = {0};
    uint64_t t_objs = 0, t_used = 0, t_pages = 0, t_freeable = 0;
    for (int r = 0; r < pool->geom->n_classes; r++) {
        const ZsClassInfo *ci = &pool->geom->classes[r];
        ZsClassStats st;
        zs_pool_class_stats(pool, r, &st);
        g_string_append_printf(out, " %5d %5" PRIu32 " ", ci->index, ci->size);
        for (int fg = 1; fg < ZS_NR_FULLNESS_GROUPS; fg++) {
            totals[fg] += st.zspages[fg];
            g_string_append_printf(out, "%9" PRIu64 " ", st.zspages[fg]);
        }
        g_string_append_printf(out, "%13" PRIu64 " %10" PRIu64 " %10" PRIu64 " %16d %8" PRIu64 "\n",
                               st.obj_allocated, st.obj_used, st.pages_used, ci->pages_per_zspage,
                               st.freeable);
        t_objs += st.obj_allocated;
        t_used += st.obj_used;
        t_pages += st.pages_used;
        t_freeable += st.freeable;
    }
    g_string_append(out, "\n");
    g_string_append_printf(out, " %5s %5s ", "Total", "");
    for (int fg = 1; fg < ZS_NR_FULLNESS_GROUPS; fg++)
        g_string_append_printf(out, "%9" PRIu64 " ", totals[fg]);
    g_string_append_printf(out, "%13" PRIu64 " %10" PRIu64 " %10" PRIu64 " %16s %8" PRIu64 "\n",
                           t_objs, t_used, t_pages, "", t_freeable);
}

void zs_pool_fprint_classes(const ZsPool *pool, FILE *out)
{
    g_autoptr(GString) s = g_string_new(NULL);
    zs_pool_write_classes(pool, s);
    fwrite(s->str, 1, s->len, out);
}

/* ------------------------------------------------------------------------ */
/* Invariant check                                                           */

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            g_set_error(error, ZS_ERROR, ZS_ERROR_CORRUPT, __VA_ARGS__);                           \
            goto fail;                                                                             \
        }                                                                                          \
    } while (0)

gboolean zs_pool_check(const ZsPool *pool, GError **error)
{
    const ZsGeometry *g = pool->geom;
    uint32_t max_chunks = 1;
    int max_objs = 1;
    for (int r = 0; r < g->n_classes; r++) {
        max_chunks = MAX(max_chunks, pool->cls[r].n_chunks);
        max_objs = MAX(max_objs, g->classes[r].objs_per_zspage);
    }
    uint8_t *seen = g_new0(uint8_t, max_chunks);
    uint8_t *mark = g_new0(uint8_t, max_objs);
    uint64_t *node_pages = g_new0(uint64_t, pool->n_nodes);
    uint64_t *bytes = g_new0(uint64_t, (size_t)pool->n_nodes * pool->n_tags);
    uint64_t *allocated = g_new0(uint64_t, pool->n_sets);
    uint64_t *inuse = g_new0(uint64_t, pool->n_sets);
    uint64_t total_pages = 0, n_used = 0, compressed = 0, footprint = 0, live = 0, zspages = 0;
    gboolean ok = FALSE;

    for (int rank = 0; rank < g->n_classes; rank++) {
        const ZsPoolClass *c = &pool->cls[rank];
        int index = g->classes[rank].index;
        memset(seen, 0, max_chunks);
        memset(allocated, 0, sizeof(uint64_t) * pool->n_sets);
        memset(inuse, 0, sizeof(uint64_t) * pool->n_sets);

        /* Lists: membership, links, groups, counts, masks. */
        for (int set = 0; set < pool->n_sets; set++) {
            const ZsLists *L = lists_of(pool, rank, set);
            for (int fg = 0; fg < ZS_NR_FULLNESS_GROUPS; fg++) {
                uint32_t n = 0, prev = ZS_NIL;
                for (uint32_t ch = L->head[fg]; ch != ZS_NIL; ch = c->zsp[ch].next) {
                    CHECK(ch < c->n_chunks, "class %d set %d group %d: bad link %u", index, set, fg,
                          ch);
                    const ZsZspage *z = &c->zsp[ch];
                    CHECK(!seen[ch], "class %d: zspage %u is on more than one list (or twice)",
                          index, ch);
                    seen[ch] = 1;
                    CHECK(z->prev == prev, "class %d zspage %u: prev link %u, expected %u", index,
                          ch, z->prev, prev);
                    CHECK(z->set == set && z->fullness == fg,
                          "class %d zspage %u (set %u group %u) found on the list of set %d "
                          "group %d",
                          index, ch, z->set, z->fullness, set, fg);
                    int want = fullness_of(z->inuse, c->objs);
                    CHECK(want == fg,
                          "class %d zspage %u: inuse %u of %u means group %d, but on group %d",
                          index, ch, z->inuse, c->objs, want, fg);
                    prev = ch;
                    n++;
                }
                CHECK(n == L->count[fg], "class %d set %d group %d: %u zspages listed, count %u",
                      index, set, fg, n, L->count[fg]);
                CHECK(((L->mask >> fg) & 1) == (n > 0), "class %d set %d group %d: mask bit wrong",
                      index, set, fg);
            }
            CHECK(L->count[ZS_FULLNESS_EMPTY] == 0,
                  "class %d set %d: an empty zspage was not freed at once", index, set);
            CHECK(L->objs_inuse <= L->objs_allocated,
                  "class %d set %d: obj_used %" PRIu64 " > obj_allocated %" PRIu64, index, set,
                  L->objs_inuse, L->objs_allocated);
        }

        /* Zspages: slots, free lists, pages, bytes. */
        uint32_t n_free_chunks = 0;
        for (uint32_t ch = 0; ch < c->n_chunks; ch++) {
            const ZsZspage *z = &c->zsp[ch];
            if (z->fullness == ZS_FG_FREE) {
                n_free_chunks++;
                continue;
            }
            zspages++;
            CHECK(seen[ch], "class %d zspage %u is live but on no list", index, ch);
            const ZsSlot *slots = c->slots + (size_t)ch * c->objs;
            memset(mark, 0, (size_t)c->objs);
            uint32_t used = 0;
            for (uint32_t s = 0; s < c->objs; s++) {
                if (!slots[s].used)
                    continue;
                used++;
                ZsHandle h = slots[s].link;
                CHECK(zs_handle_valid(pool, h),
                      "class %d zspage %u slot %u: names handle %u, which is not live", index, ch,
                      s, h);
                const ZsHandleEnt *e = &pool->handles[h];
                CHECK(e->cls == rank && e->chunk == ch && e->slot == s,
                      "handle %u resolves to (class rank %u, zspage %u, slot %u), but class %d "
                      "zspage %u slot %u holds it",
                      h, e->cls, e->chunk, e->slot, index, ch, s);
                uint32_t len = slots[s].len_m1 + 1u;
                CHECK(len <= pool->page_size && slots[s].tag < pool->n_tags,
                      "handle %u: len %u tag %u out of range", h, len, slots[s].tag);
                const ZsClassInfo *want = zs_geometry_class_for_len(g, len);
                CHECK(want->rank == rank, "handle %u: len %u belongs to class %d, stored in %d", h,
                      len, want->index, index);
                int pg[2];
                uint32_t nb[2];
                int parts = payload_parts(pool, c, s, len, pg, nb);
                for (int i = 0; i < parts; i++) {
                    CHECK(pg[i] < c->ppz, "handle %u: payload beyond the zspage", h);
                    bytes[(size_t)z->nids[pg[i]] * pool->n_tags + slots[s].tag] += nb[i];
                }
                compressed += len;
                footprint += len + c->hdr;
            }
            CHECK(used == z->inuse, "class %d zspage %u: %u used slots, inuse %u", index, ch, used,
                  z->inuse);
            uint32_t nfree = 0;
            for (uint32_t s = z->freeobj; s != ZS_SLOT_NIL; s = slots[s].link) {
                CHECK(s < c->objs && nfree < c->objs,
                      "class %d zspage %u: free list leaves the zspage", index, ch);
                CHECK(!slots[s].used && !mark[s],
                      "class %d zspage %u: free list holds slot %u twice or used", index, ch, s);
                mark[s] = 1;
                nfree++;
            }
            CHECK(nfree + used == c->objs, "class %d zspage %u: %u free + %u used != %u slots",
                  index, ch, nfree, used, c->objs);
            int set_want = 0;
            if (pool->partitioned) {
                set_want = z->nids[0];
                for (int i = 1; i < c->ppz; i++)
                    if (z->nids[i] != z->nids[0])
                        set_want = pool->n_nodes;
            }
            CHECK(z->set == set_want, "class %d zspage %u: in set %u, its pages say set %d", index,
                  ch, z->set, set_want);
            for (int i = 0; i < c->ppz; i++) {
                CHECK(z->nids[i] < pool->n_nodes, "class %d zspage %u: page %d on node %u", index,
                      ch, i, z->nids[i]);
                node_pages[z->nids[i]]++;
            }
            total_pages += c->ppz;
            allocated[z->set] += c->objs;
            inuse[z->set] += used;
            n_used += used;
        }
        uint32_t n = 0;
        for (uint32_t ch = c->free_chunk; ch != ZS_NIL; ch = c->zsp[ch].next) {
            CHECK(ch < c->n_chunks && c->zsp[ch].fullness == ZS_FG_FREE && n < c->n_chunks,
                  "class %d: free zspage list holds %u, which is not free", index, ch);
            n++;
        }
        CHECK(n == n_free_chunks, "class %d: %u free zspages, free list has %u", index,
              n_free_chunks, n);
        for (int set = 0; set < pool->n_sets; set++) {
            const ZsLists *L = lists_of(pool, rank, set);
            CHECK(allocated[set] == L->objs_allocated && inuse[set] == L->objs_inuse,
                  "class %d set %d: obj_allocated %" PRIu64 " obj_used %" PRIu64
                  ", recount %" PRIu64 " %" PRIu64,
                  index, set, L->objs_allocated, L->objs_inuse, allocated[set], inuse[set]);
        }
    }
    CHECK(zspages == pool->live_zspages, "%" PRIu64 " live zspages, counter says %" PRIu64, zspages,
          pool->live_zspages);
    CHECK(total_pages == pool->total_pages, "pages_allocated %" PRIu64 ", zspages hold %" PRIu64,
          pool->total_pages, total_pages);
    for (int n = 0; n < pool->n_nodes; n++)
        CHECK(node_pages[n] == pool->node_pages[n],
              "node %d: nr_zspages %" PRIu64 ", zspages hold %" PRIu64, n, pool->node_pages[n],
              node_pages[n]);

    /* Handles: live ones were matched from their slots; count them and the
     * free list. */
    for (uint32_t h = 1; h < pool->n_handles; h++)
        if (pool->handles[h].cls != ZS_HANDLE_FREE) {
            live++;
            const ZsHandleEnt *e = &pool->handles[h];
            CHECK(e->cls < g->n_classes && e->chunk < pool->cls[e->cls].n_chunks &&
                      pool->cls[e->cls].zsp[e->chunk].fullness != ZS_FG_FREE,
                  "handle %u names a freed or unknown zspage", h);
        }
    CHECK(live == n_used && live == pool->n_objects,
          "%" PRIu64 " live handles, %" PRIu64 " used slots, %" PRIu64 " objects counted", live,
          n_used, pool->n_objects);
    {
        uint64_t n = 0;
        for (uint32_t h = pool->free_handle; h != 0; h = pool->handles[h].chunk) {
            CHECK(h < pool->n_handles && pool->handles[h].cls == ZS_HANDLE_FREE &&
                      n < pool->n_handles,
                  "free handle list holds %u, which is live or out of range", h);
            n++;
        }
        CHECK(n + live == (uint64_t)pool->n_handles - 1,
              "%" PRIu64 " free + %" PRIu64 " live handles != %u", n, live, pool->n_handles - 1);
    }

    CHECK(compressed == pool->compressed_bytes && footprint == pool->footprint_bytes,
          "compressed bytes %" PRIu64 " (recount %" PRIu64 "), footprint %" PRIu64
          " (recount %" PRIu64 ")",
          pool->compressed_bytes, compressed, pool->footprint_bytes, footprint);
    for (int n = 0; n < pool->n_nodes; n++)
        for (int t = 0; t < pool->n_tags; t++) {
            size_t i = (size_t)n * pool->n_tags + t;
            CHECK(bytes[i] == pool->bytes[i],
                  "bytes[node %d][tag %d] = %" PRIu64 ", recomputed %" PRIu64, n, t, pool->bytes[i],
                  bytes[i]);
        }
    ok = TRUE;
fail:
    g_free(seen);
    g_free(mark);
    g_free(node_pages);
    g_free(bytes);
    g_free(allocated);
    g_free(inuse);
    return ok;
}
