/* Tests of the zsmalloc model: geometry derived from the kernel's rules and
 * checked against the kernel's documented facts, pool dynamics, compaction,
 * partitioned mode, the debugfs table, the CLI, and long random sequences
 * with the invariant checker after every operation. */
#include <glib.h>

#include "test_cli.h"
#include <string.h>

#include "models/zsmalloc.h"
#include "sim/rng.h"

/* ------------------------------------------------------------------------ */
/* A page provider that places pages on chosen nodes.                        */

#define TP_MAX_NODES 8

typedef struct {
    int n_nodes;
    int64_t cap[TP_MAX_NODES]; /* pages available per node; < 0: unlimited */
    int64_t used[TP_MAX_NODES];
    int fail_after; /* successful allocations left before all fail; < 0: never */
    int calls, strict_calls, frees;
} TestProv;

static void tp_init(TestProv *p, int n_nodes)
{
    memset(p, 0, sizeof(*p));
    p->n_nodes = n_nodes;
    for (int i = 0; i < TP_MAX_NODES; i++)
        p->cap[i] = -1;
    p->fail_after = -1;
}

static bool tp_room(const TestProv *p, int n)
{
    return p->cap[n] < 0 || p->used[n] < p->cap[n];
}

/* Preferred node if it has room (node 0 when there is no preference), else
 * (not strict) the lowest node with room. */
static int tp_alloc(void *ctx, int pref, bool strict)
{
    TestProv *p = ctx;
    p->calls++;
    if (strict)
        p->strict_calls++;
    if (p->fail_after == 0)
        return -1;
    int want = pref < 0 ? 0 : pref;
    int got = -1;
    if (tp_room(p, want))
        got = want;
    else if (!strict)
        for (int n = 0; n < p->n_nodes && got < 0; n++)
            if (tp_room(p, n))
                got = n;
    if (got >= 0) {
        p->used[got]++;
        if (p->fail_after > 0)
            p->fail_after--;
    }
    return got;
}

static void tp_free(void *ctx, int nid)
{
    TestProv *p = ctx;
    g_assert_cmpint(nid, >=, 0);
    g_assert_cmpint(nid, <, p->n_nodes);
    g_assert_cmpint(p->used[nid], >, 0);
    p->used[nid]--;
    p->frees++;
}

static int64_t tp_used_total(const TestProv *p)
{
    int64_t n = 0;
    for (int i = 0; i < p->n_nodes; i++)
        n += p->used[i];
    return n;
}

static ZsPool *pool_new_page(TestProv *prov, uint32_t page, int n_nodes, int n_tags, int chain,
                             ZsRule rule, bool partitioned)
{
    ZsPoolParams pp;
    zs_pool_params_init(&pp);
    pp.page_size = page;
    pp.n_nodes = n_nodes;
    pp.n_tags = n_tags;
    pp.chain_size = chain;
    pp.rule = rule;
    pp.partitioned = partitioned;
    ZsPageProvider pv = {tp_alloc, tp_free, prov};
    GError *error = NULL;
    ZsPool *pool = zs_pool_new(&pp, &pv, &error);
    g_assert_no_error(error);
    g_assert_nonnull(pool);
    return pool;
}

static ZsPool *pool_new(TestProv *prov, int n_nodes)
{
    return pool_new_page(prov, 4096, n_nodes, n_nodes, ZS_CHAIN_SIZE_DEFAULT, ZS_RULE_CURRENT,
                         false);
}

static void assert_check(const ZsPool *pool)
{
    GError *error = NULL;
    gboolean ok = zs_pool_check(pool, &error);
    g_assert_no_error(error);
    g_assert_true(ok);
}

static ZsHandle must_malloc(ZsPool *pool, size_t len, int nid, unsigned tag)
{
    ZsHandle h = 99;
    ZsStatus st = zs_malloc(pool, len, nid, tag, ZS_MALLOC_DEFAULT, &h);
    g_assert_cmpstr(zs_status_name(st), ==, "ok");
    g_assert_cmpuint(h, !=, ZS_HANDLE_NONE);
    return h;
}

/* A length whose class has the given (pages, objs); fails the test if none. */
static size_t len_for_class(const ZsGeometry *g, int ppz, int objs)
{
    for (int r = 0; r < zs_geometry_n_classes(g); r++) {
        const ZsClassInfo *c = zs_geometry_class(g, r);
        if (c->pages_per_zspage == ppz && c->objs_per_zspage == objs)
            return c->max_len;
    }
    g_assert_not_reached();
    return 0;
}

/* The smallest class with this many pages per zspage. */
static const ZsClassInfo *class_with_ppz(const ZsGeometry *g, int ppz)
{
    for (int r = 0; r < zs_geometry_n_classes(g); r++)
        if (zs_geometry_class(g, r)->pages_per_zspage == ppz)
            return zs_geometry_class(g, r);
    g_assert_not_reached();
    return NULL;
}

static ZsGeometry *geom(uint32_t page, int chain, ZsRule rule)
{
    GError *error = NULL;
    ZsGeometry *g = zs_geometry_new(page, chain, rule, &error);
    g_assert_no_error(error);
    return g;
}

/* ------------------------------------------------------------------------ */
/* Geometry                                                                  */

static void test_geometry_indices(void)
{
    for (int chain = ZS_CHAIN_SIZE_MIN; chain <= ZS_CHAIN_SIZE_MAX; chain++) {
        g_autoptr(ZsGeometry) g = geom(4096, chain, ZS_RULE_CURRENT);
        g_assert_cmpint(zs_geometry_n_indices(g), ==, 255);
        g_assert_cmpuint(zs_geometry_min_alloc(g), ==, 32);
        g_assert_cmpuint(zs_geometry_class_delta(g), ==, 16);
        /* Every index points to a class whose merged range holds it, and
         * whose size is at least the index's nominal size. */
        for (int i = 0; i < 255; i++) {
            const ZsClassInfo *c = zs_geometry_class_at_index(g, i);
            g_assert_cmpint(c->first_index, <=, i);
            g_assert_cmpint(c->index, >=, i);
            g_assert_cmpuint(c->size, >=, MIN(32u + 16u * (unsigned)i, 4096u));
        }
        g_assert_cmpuint(zs_geometry_class_at_index(g, 254)->size, ==, 4096);
    }
    g_autoptr(ZsGeometry) old = geom(4096, 4, ZS_RULE_PRE_6_3);
    g_assert_cmpint(zs_geometry_n_indices(old), ==, 255);
}

static void test_geometry_chain8(void)
{
    g_autoptr(ZsGeometry) g = geom(4096, 8, ZS_RULE_CURRENT);
    g_assert_cmpint(zs_geometry_n_classes(g), ==, 119);
    g_assert_cmpuint(zs_geometry_huge_class_size(g), ==, 3625);
    /* zsmalloc.rst's bottom of the chain-8 table: (class, size, pages). */
    const int doc[][3] = {{202, 3264, 4}, {211, 3408, 5}, {217, 3504, 6},
                          {222, 3584, 7}, {225, 3632, 8}, {254, 4096, 1}};
    for (size_t i = 0; i < G_N_ELEMENTS(doc); i++) {
        const ZsClassInfo *c = zs_geometry_class_at_index(g, doc[i][0]);
        g_assert_cmpint(c->index, ==, doc[i][0]);
        g_assert_cmpuint(c->size, ==, (unsigned)doc[i][1]);
        g_assert_cmpint(c->pages_per_zspage, ==, doc[i][2]);
    }
    /* The largest non-huge class is 3632 and everything above is huge. */
    const ZsClassInfo *top = zs_geometry_class(g, zs_geometry_n_classes(g) - 1);
    const ZsClassInfo *below = zs_geometry_class(g, zs_geometry_n_classes(g) - 2);
    g_assert_true(top->huge);
    g_assert_cmpint(top->first_index, ==, 226);
    g_assert_false(below->huge);
    g_assert_cmpuint(below->size, ==, 3632);
    /* 17 classes use 8-page zspages (KERNEL.md 1.12 quick facts). */
    int eight = 0;
    for (int r = 0; r < zs_geometry_n_classes(g); r++)
        eight += zs_geometry_class(g, r)->pages_per_zspage == 8;
    g_assert_cmpint(eight, ==, 17);
    /* Indices 0-47 are unmerged; the first merge is 48-49 -> 816. */
    for (int i = 0; i <= 47; i++)
        g_assert_cmpint(zs_geometry_class_at_index(g, i)->first_index, ==, i);
    const ZsClassInfo *m = zs_geometry_class_at_index(g, 48);
    g_assert_cmpint(m->first_index, ==, 48);
    g_assert_cmpint(m->index, ==, 49);
    g_assert_cmpuint(m->size, ==, 816);
}

static void test_geometry_pre63(void)
{
    g_autoptr(ZsGeometry) g = geom(4096, 4, ZS_RULE_PRE_6_3);
    g_assert_cmpint(zs_geometry_n_classes(g), ==, 69);
    g_assert_cmpuint(zs_geometry_huge_class_size(g), ==, 3257);
    GError *error = NULL;
    g_assert_null(zs_geometry_new(4096, 8, ZS_RULE_PRE_6_3, &error));
    g_assert_error(error, ZS_ERROR, ZS_ERROR_INVALID);
    g_clear_error(&error);
}

static void test_geometry_size208(void)
{
    g_autoptr(ZsGeometry) old = geom(4096, 4, ZS_RULE_PRE_6_3);
    g_autoptr(ZsGeometry) cur4 = geom(4096, 4, ZS_RULE_CURRENT);
    g_autoptr(ZsGeometry) cur8 = geom(4096, 8, ZS_RULE_CURRENT);
    int idx = (208 - 32) / 16;
    g_assert_cmpuint(zs_geometry_class_at_index(old, idx)->size, ==, 208);
    g_assert_cmpint(zs_geometry_class_at_index(old, idx)->pages_per_zspage, ==, 2);
    g_assert_cmpint(zs_geometry_class_at_index(cur4, idx)->pages_per_zspage, ==, 3);
    g_assert_cmpint(zs_geometry_class_at_index(cur8, idx)->pages_per_zspage, ==, 3);
    /* With 4 pages at most, 208 is the only index whose chain differs. */
    for (int i = 0; i < 255; i++) {
        if (i == idx)
            continue;
        g_assert_cmpint(zs_geometry_class_at_index(old, i)->pages_per_zspage, ==,
                        zs_geometry_class_at_index(cur4, i)->pages_per_zspage);
    }
}

static void test_geometry_chain4_doc(void)
{
    g_autoptr(ZsGeometry) g = geom(4096, 4, ZS_RULE_CURRENT);
    const ZsClassInfo *c94 = zs_geometry_class_at_index(g, 94);
    g_assert_cmpint(c94->index, ==, 94);
    g_assert_cmpuint(c94->size, ==, 1536);
    g_assert_cmpint(c94->pages_per_zspage, ==, 3);
    for (int i = 95; i <= 100; i++) {
        const ZsClassInfo *c = zs_geometry_class_at_index(g, i);
        g_assert_cmpint(c->index, ==, 100);
        g_assert_cmpint(c->first_index, ==, 95);
        g_assert_cmpuint(c->size, ==, 1632);
        g_assert_cmpint(c->pages_per_zspage, ==, 2);
        g_assert_cmpint(c->objs_per_zspage, ==, 5);
    }
    g_assert_cmpint(zs_geometry_class_at_index(g, 101)->index, !=, 100);
    g_assert_cmpuint(zs_geometry_huge_class_size(g), ==, 3257);
}

static void test_geometry_chain_sizes(void)
{
    /* KERNEL.md 1.12: watermarks and class counts of the current rule. */
    const unsigned huge[] = {3257, 3401, 3497, 3577, 3625, 3673, 3705,
                             3737, 3769, 3785, 3801, 3833, 3833};
    const int classes[] = {69, 86, 94, 110, 119, 136, 141, 153, 159, 173, 179, 186, 192};
    for (int chain = 4; chain <= 16; chain++) {
        g_autoptr(ZsGeometry) g = geom(4096, chain, ZS_RULE_CURRENT);
        g_assert_cmpuint(zs_geometry_huge_class_size(g), ==, huge[chain - 4]);
        g_assert_cmpint(zs_geometry_n_classes(g), ==, classes[chain - 4]);
    }
}

/* Structural facts of any geometry, derived independently of the model. */
static void check_geometry_structure(const ZsGeometry *g)
{
    uint32_t page = zs_geometry_page_size(g);
    uint32_t min = zs_geometry_min_alloc(g), delta = zs_geometry_class_delta(g);
    int n = zs_geometry_n_indices(g);
    g_assert_cmpuint(delta, ==, page >> 8);
    g_assert_cmpint(n, ==, (int)((page - min + delta - 1) / delta) + 1);
    const ZsClassInfo *prev = NULL;
    for (int r = 0; r < zs_geometry_n_classes(g); r++) {
        const ZsClassInfo *c = zs_geometry_class(g, r);
        g_assert_cmpint(c->rank, ==, r);
        g_assert_cmpuint(c->size, ==, MIN(min + (uint32_t)c->index * delta, page));
        g_assert_cmpuint(c->size % 8, ==, 0);
        g_assert_cmpint(c->pages_per_zspage, >=, 1);
        g_assert_cmpint(c->pages_per_zspage, <=, zs_geometry_chain_size(g));
        g_assert_cmpint(c->objs_per_zspage, ==,
                        (int)((uint64_t)c->pages_per_zspage * page / c->size));
        g_assert_cmpuint(c->waste_bytes, ==,
                         c->pages_per_zspage * page - (uint32_t)c->objs_per_zspage * c->size);
        g_assert_true(c->huge == (c->pages_per_zspage == 1 && c->objs_per_zspage == 1));
        if (zs_geometry_rule(g) == ZS_RULE_CURRENT && !(c->size & (c->size - 1)))
            g_assert_cmpint(c->pages_per_zspage, ==, 1);
        /* Spanning: interior page boundaries that cut a slot. */
        int span = 0;
        for (int k = 1; k < c->pages_per_zspage; k++)
            span += ((uint64_t)k * page) % c->size != 0;
        g_assert_cmpint(c->spanning_objs, ==, span);
        /* Contiguous ranges, and neighbours differ (else they would merge). */
        if (prev) {
            g_assert_cmpint(c->first_index, ==, prev->index + 1);
            g_assert_true(c->pages_per_zspage != prev->pages_per_zspage ||
                          c->objs_per_zspage != prev->objs_per_zspage);
            g_assert_cmpuint(c->min_len, ==, prev->max_len + 1);
        } else {
            g_assert_cmpint(c->first_index, ==, 0);
            g_assert_cmpuint(c->min_len, ==, 1);
        }
        prev = c;
    }
    g_assert_cmpint(prev->index, ==, n - 1);
    g_assert_cmpuint(prev->max_len, ==, page);

    /* Length lookup: len + 8 fits (huge slots hold no header). */
    g_assert_null(zs_geometry_class_for_len(g, 0));
    g_assert_null(zs_geometry_class_for_len(g, page + 1));
    size_t huge = zs_geometry_huge_class_size(g);
    for (uint32_t len = 1; len <= page; len++) {
        const ZsClassInfo *c = zs_geometry_class_for_len(g, len);
        g_assert_nonnull(c);
        g_assert_cmpuint(c->min_len, <=, len);
        g_assert_cmpuint(c->max_len, >=, len);
        g_assert_cmpuint(c->size, >=, c->huge ? len : len + 8);
        if (len >= huge)
            g_assert_true(c->huge);
    }
    g_assert_false(zs_geometry_class_for_len(g, huge - 1)->huge);
}

static void test_geometry_structure(void)
{
    for (int chain = 4; chain <= 16; chain++) {
        g_autoptr(ZsGeometry) g = geom(4096, chain, ZS_RULE_CURRENT);
        check_geometry_structure(g);
    }
    g_autoptr(ZsGeometry) old = geom(4096, 4, ZS_RULE_PRE_6_3);
    check_geometry_structure(old);
    g_autoptr(ZsGeometry) g = geom(4096, 8, ZS_RULE_CURRENT);
    g_assert_cmpint(zs_geometry_class_for_len(g, 24)->index, ==, 0);
    g_assert_cmpint(zs_geometry_class_for_len(g, 25)->index, ==, 1);
    g_assert_cmpuint(zs_geometry_class_for_len(g, 4096)->size, ==, 4096);
    g_assert_cmpuint(zs_geometry_class_for_len(g, 3624)->size, ==, 3632);
}

static void test_geometry_page_sizes(void)
{
    for (uint32_t page = 8192; page <= 65536; page *= 2) {
        g_autoptr(ZsGeometry) g = geom(page, 8, ZS_RULE_CURRENT);
        check_geometry_structure(g);
    }
    g_autoptr(ZsGeometry) g64 = geom(65536, 8, ZS_RULE_CURRENT);
    g_assert_cmpint(zs_geometry_n_indices(g64), ==, 257); /* KERNEL.md 1.1 */
    g_assert_cmpuint(zs_geometry_class_delta(g64), ==, 256);
}

static void test_geometry_bad_params(void)
{
    const struct {
        uint32_t page;
        int chain;
        ZsRule rule;
    } bad[] = {{4096, 3, ZS_RULE_CURRENT}, {4096, 17, ZS_RULE_CURRENT},  {3000, 8, ZS_RULE_CURRENT},
               {2048, 8, ZS_RULE_CURRENT}, {131072, 8, ZS_RULE_CURRENT}, {4096, 5, ZS_RULE_PRE_6_3},
               {4096, 8, (ZsRule)7}};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        GError *error = NULL;
        g_assert_null(zs_geometry_new(bad[i].page, bad[i].chain, bad[i].rule, &error));
        g_assert_error(error, ZS_ERROR, ZS_ERROR_INVALID);
        g_clear_error(&error);
    }
    ZsRule r;
    GError *error = NULL;
    g_assert_true(zs_rule_parse("pre-6.3", &r, &error));
    g_assert_cmpint(r, ==, ZS_RULE_PRE_6_3);
    g_assert_false(zs_rule_parse("old", &r, &error));
    g_assert_error(error, ZS_ERROR, ZS_ERROR_INVALID);
    g_clear_error(&error);
}

/* ------------------------------------------------------------------------ */
/* Pool                                                                      */

static void test_pool_params(void)
{
    TestProv prov;
    tp_init(&prov, 1);
    ZsPageProvider pv = {tp_alloc, tp_free, &prov};
    ZsPoolParams pp;
    GError *error = NULL;
    zs_pool_params_init(&pp);
    pp.n_nodes = 0;
    g_assert_null(zs_pool_new(&pp, &pv, &error));
    g_assert_error(error, ZS_ERROR, ZS_ERROR_INVALID);
    g_clear_error(&error);
    zs_pool_params_init(&pp);
    pp.n_tags = ZS_MAX_TAGS + 1;
    g_assert_null(zs_pool_new(&pp, &pv, &error));
    g_assert_error(error, ZS_ERROR, ZS_ERROR_INVALID);
    g_clear_error(&error);
    zs_pool_params_init(&pp);
    pp.chain_size = 2;
    g_assert_null(zs_pool_new(&pp, &pv, &error));
    g_assert_error(error, ZS_ERROR, ZS_ERROR_INVALID);
    g_clear_error(&error);
    ZsPageProvider none = {NULL, tp_free, &prov};
    zs_pool_params_init(&pp);
    g_assert_null(zs_pool_new(&pp, &none, &error));
    g_assert_error(error, ZS_ERROR, ZS_ERROR_INVALID);
    g_clear_error(&error);
}

static void test_pool_malloc_status(void)
{
    TestProv prov;
    tp_init(&prov, 2);
    ZsPool *pool = pool_new(&prov, 2);
    ZsHandle h = 5;
    g_assert_cmpint(zs_malloc(pool, 0, 0, 0, 0, &h), ==, ZS_EINVAL);
    g_assert_cmpuint(h, ==, ZS_HANDLE_NONE);
    g_assert_cmpint(zs_malloc(pool, 4097, 0, 0, 0, &h), ==, ZS_ENOSPC);
    g_assert_cmpint(zs_malloc(pool, 100, 0, 2, 0, &h), ==, ZS_EINVAL); /* tag */
    g_assert_cmpint(zs_malloc(pool, 100, 2, 0, 0, &h), ==, ZS_EINVAL); /* node */
    g_assert_cmpint(zs_malloc(pool, 100, -2, 0, 0, &h), ==, ZS_EINVAL);
    g_assert_cmpint(prov.calls, ==, 0);
    /* A page-sized object is accepted, raw, in a huge zspage. */
    ZsHandle big = must_malloc(pool, 4096, -1, 1);
    g_assert_true(zs_obj_class(pool, big)->huge);
    g_assert_cmpuint(zs_obj_len(pool, big), ==, 4096);
    g_assert_cmpuint(zs_obj_tag(pool, big), ==, 1);
    g_assert_cmpuint(zs_pool_total_pages(pool), ==, 1);
    g_assert_cmpuint(zs_pool_bytes(pool, 0, 1), ==, 4096);
    /* No page: ENOMEM, counted. */
    prov.fail_after = 0;
    g_assert_cmpint(zs_malloc(pool, 4000, 0, 0, 0, &h), ==, ZS_ENOMEM);
    g_assert_cmpuint(h, ==, ZS_HANDLE_NONE);
    ZsPoolStats st;
    zs_pool_get_stats(pool, &st);
    g_assert_cmpuint(st.nomem, ==, 1);
    assert_check(pool);
    zs_free(pool, big);
    g_assert_cmpuint(zs_pool_total_pages(pool), ==, 0);
    assert_check(pool);
    zs_pool_free(pool);
    g_assert_cmpint(tp_used_total(&prov), ==, 0);
}

/* Three zspages of a 1-page, 4-object class (1024-byte slots). */
static void test_pool_fullest_first(void)
{
    TestProv prov;
    tp_init(&prov, 1);
    ZsPool *pool = pool_new(&prov, 1);
    size_t len = len_for_class(zs_pool_geometry(pool), 1, 4);
    ZsHandle a[4], b[4], c[4];
    for (int i = 0; i < 4; i++)
        a[i] = must_malloc(pool, len, 0, 0);
    for (int i = 0; i < 4; i++)
        b[i] = must_malloc(pool, len, 0, 0);
    for (int i = 0; i < 4; i++)
        c[i] = must_malloc(pool, len, 0, 0);
    ZsZspageId za = zs_obj_zspage(pool, a[0]), zb = zs_obj_zspage(pool, b[0]),
               zc = zs_obj_zspage(pool, c[0]);
    g_assert_cmpuint(za, !=, zb);
    g_assert_cmpuint(zb, !=, zc);
    g_assert_cmpint(zs_zspage_fullness(pool, za), ==, ZS_FULLNESS_FULL);

    zs_free(pool, c[3]); /* C: 3/4 = 75 % -> group 8 */
    zs_free(pool, a[3]); /* A: group 8, listed after C: at the head */
    g_assert_cmpint(zs_zspage_fullness(pool, za), ==, 8);
    g_assert_cmpint(zs_zspage_fullness(pool, zc), ==, 8);
    ZsHandle h1 = must_malloc(pool, len, 0, 0);
    g_assert_cmpuint(zs_obj_zspage(pool, h1), ==, za);
    zs_free(pool, b[0]); /* B: group 8, now the head */
    ZsHandle h2 = must_malloc(pool, len, 0, 0);
    g_assert_cmpuint(zs_obj_zspage(pool, h2), ==, zb);
    zs_free(pool, c[2]); /* C: 2/4 -> group 6 */
    zs_free(pool, a[0]); /* A: 3/4 -> group 8 */
    ZsHandle h3 = must_malloc(pool, len, 0, 0);
    g_assert_cmpuint(zs_obj_zspage(pool, h3), ==, za); /* 75 % beats 50 % */
    ZsHandle h4 = must_malloc(pool, len, 0, 0);
    g_assert_cmpuint(zs_obj_zspage(pool, h4), ==, zc); /* only C has room */
    g_assert_cmpuint(zs_pool_total_pages(pool), ==, 3);
    assert_check(pool);
    zs_pool_free(pool);
    g_assert_cmpint(tp_used_total(&prov), ==, 0);
}

static void test_pool_lifo_reuse(void)
{
    TestProv prov;
    tp_init(&prov, 1);
    ZsPool *pool = pool_new(&prov, 1);
    size_t len = len_for_class(zs_pool_geometry(pool), 1, 4);
    ZsHandle h[4];
    for (int i = 0; i < 4; i++) {
        h[i] = must_malloc(pool, len, 0, 0);
        g_assert_cmpuint(zs_obj_slot(pool, h[i]), ==, (uint32_t)i); /* 0, 1, 2, ... */
    }
    zs_free(pool, h[1]);
    zs_free(pool, h[2]);
    ZsHandle x = must_malloc(pool, len, 0, 0);
    g_assert_cmpuint(zs_obj_slot(pool, x), ==, 2); /* most recently freed slot */
    g_assert_cmpuint(x, ==, h[2]);                 /* and handle */
    ZsHandle y = must_malloc(pool, len, 0, 0);
    g_assert_cmpuint(zs_obj_slot(pool, y), ==, 1);
    g_assert_cmpuint(y, ==, h[1]);
    assert_check(pool);
    zs_pool_free(pool);
}

static void test_pool_node_blind_reuse(void)
{
    TestProv prov;
    tp_init(&prov, 2);
    ZsPool *pool = pool_new(&prov, 2);
    size_t len = len_for_class(zs_pool_geometry(pool), 1, 4);
    ZsHandle a = must_malloc(pool, len, 0, 0);
    g_assert_cmpuint(zs_pool_node_pages(pool, 0), ==, 1);
    /* Node 1 is preferred, but the zspage on node 0 has room: used. */
    ZsHandle b = must_malloc(pool, len, 1, 1);
    g_assert_cmpuint(zs_obj_zspage(pool, b), ==, zs_obj_zspage(pool, a));
    g_assert_cmpuint(zs_pool_node_pages(pool, 1), ==, 0);
    ZsObjNodes on;
    zs_obj_nodes(pool, b, &on);
    g_assert_cmpint(on.n, ==, 1);
    g_assert_cmpint(on.nid[0], ==, 0);
    g_assert_cmpuint(on.bytes[0], ==, len);
    g_assert_cmpuint(zs_pool_bytes(pool, 0, 1), ==, len);
    g_assert_cmpuint(zs_pool_bytes(pool, 1, 1), ==, 0);
    /* Fill it; the next object of node 1 gets a zspage on node 1. */
    must_malloc(pool, len, 1, 1);
    must_malloc(pool, len, 1, 1);
    ZsHandle c = must_malloc(pool, len, 1, 1);
    zs_obj_nodes(pool, c, &on);
    g_assert_cmpint(on.nid[0], ==, 1);
    g_assert_cmpuint(zs_pool_node_pages(pool, 1), ==, 1);
    g_assert_cmpuint(zs_pool_bytes(pool, 0, 1), ==, 3 * len);
    g_assert_cmpuint(zs_pool_bytes(pool, 1, 1), ==, len);
    assert_check(pool);
    zs_pool_free(pool);
    g_assert_cmpint(tp_used_total(&prov), ==, 0);
}

/* A 3-page zspage whose first page falls back to node 1. */
static void test_pool_zspage_spans_nodes(void)
{
    TestProv prov;
    tp_init(&prov, 2);
    prov.cap[0] = 2; /* node 0 has two pages; the third comes from node 1 */
    ZsPool *pool = pool_new(&prov, 2);
    const ZsGeometry *g = zs_pool_geometry(pool);
    const ZsClassInfo *cls = NULL;
    for (int r = 0; r < zs_geometry_n_classes(g) && !cls; r++) {
        const ZsClassInfo *c = zs_geometry_class(g, r);
        if (c->pages_per_zspage == 3 && c->spanning_objs == 2 && c->size > 1000)
            cls = c;
    }
    g_assert_nonnull(cls);
    size_t len = cls->max_len;
    uint32_t size = cls->size;
    GArray *hs = g_array_new(FALSE, FALSE, sizeof(ZsHandle));
    for (int i = 0; i < cls->objs_per_zspage; i++) {
        ZsHandle h = must_malloc(pool, len, 0, 0);
        g_array_append_val(hs, h);
    }
    ZsZspageId z = zs_obj_zspage(pool, g_array_index(hs, ZsHandle, 0));
    int nids[ZS_CHAIN_SIZE_MAX];
    g_assert_cmpint(zs_zspage_nodes(pool, z, nids, ZS_CHAIN_SIZE_MAX), ==, 3);
    g_assert_cmpint(nids[0], ==, 0);
    g_assert_cmpint(nids[1], ==, 0);
    g_assert_cmpint(nids[2], ==, 1);
    g_assert_cmpuint(zs_pool_node_pages(pool, 0), ==, 2);
    g_assert_cmpuint(zs_pool_node_pages(pool, 1), ==, 1);
    /* The slot that straddles the 8192 boundary splits its payload. */
    uint32_t k = 8192 / size;
    ZsHandle hk = g_array_index(hs, ZsHandle, k);
    g_assert_cmpuint(zs_obj_slot(pool, hk), ==, k);
    ZsObjNodes on;
    zs_obj_nodes(pool, hk, &on);
    uint32_t start = k * size + 8;
    g_assert_cmpint(on.n, ==, 2);
    g_assert_cmpint(on.nid[0], ==, 0);
    g_assert_cmpuint(on.bytes[0], ==, 8192 - start);
    g_assert_cmpint(on.nid[1], ==, 1);
    g_assert_cmpuint(on.bytes[1], ==, len - (8192 - start));
    /* Node 1 holds the payload of every slot past 8192. */
    uint64_t on1 = 0;
    for (int i = 0; i < cls->objs_per_zspage; i++) {
        uint64_t s = (uint64_t)i * size + 8, e = s + len;
        if (e > 8192)
            on1 += e - MAX(s, 8192);
    }
    g_assert_cmpuint(zs_pool_bytes(pool, 1, 0), ==, on1);
    g_assert_cmpuint(zs_pool_bytes(pool, 0, 0) + on1, ==, len * cls->objs_per_zspage);
    assert_check(pool);
    for (guint i = 0; i < hs->len; i++)
        zs_free(pool, g_array_index(hs, ZsHandle, i));
    g_assert_cmpuint(zs_pool_total_pages(pool), ==, 0);
    g_assert_cmpint(tp_used_total(&prov), ==, 0);
    assert_check(pool);
    g_array_free(hs, TRUE);
    zs_pool_free(pool);
}

static void test_pool_alloc_failure_gives_back(void)
{
    TestProv prov;
    tp_init(&prov, 1);
    prov.cap[0] = 2;
    ZsPool *pool = pool_new(&prov, 1);
    const ZsGeometry *g = zs_pool_geometry(pool);
    size_t len3 = class_with_ppz(g, 3)->max_len;
    ZsHandle h;
    g_assert_cmpint(zs_malloc(pool, len3, 0, 0, 0, &h), ==, ZS_ENOMEM);
    g_assert_cmpint(prov.calls, ==, 3);
    g_assert_cmpint(prov.frees, ==, 2); /* the two pages obtained went back */
    g_assert_cmpint(tp_used_total(&prov), ==, 0);
    g_assert_cmpuint(zs_pool_total_pages(pool), ==, 0);
    assert_check(pool);
    zs_pool_free(pool);
}

static void test_pool_free_releases_empty_zspage(void)
{
    TestProv prov;
    tp_init(&prov, 2);
    ZsPool *pool = pool_new(&prov, 2);
    ZsHandle a = must_malloc(pool, 300, 1, 0);
    ZsHandle b = must_malloc(pool, 300, 1, 0);
    int ppz = zs_obj_class(pool, a)->pages_per_zspage;
    g_assert_cmpuint(zs_pool_total_pages(pool), ==, (uint64_t)ppz);
    g_assert_cmpuint(zs_pool_node_pages(pool, 1), ==, (uint64_t)ppz);
    zs_free(pool, a);
    g_assert_cmpuint(zs_pool_total_pages(pool), ==, (uint64_t)ppz);
    zs_free(pool, b);
    g_assert_cmpuint(zs_pool_total_pages(pool), ==, 0);
    g_assert_cmpuint(zs_pool_node_pages(pool, 1), ==, 0);
    g_assert_cmpint(prov.frees, ==, ppz);
    g_assert_cmpint(tp_used_total(&prov), ==, 0);
    g_assert_false(zs_handle_valid(pool, a));
    ZsPoolStats st;
    zs_pool_get_stats(pool, &st);
    g_assert_cmpuint(st.zspages_created, ==, 1);
    g_assert_cmpuint(st.zspages_freed, ==, 1);
    ZsClassStats cs;
    zs_pool_class_stats(pool, zs_geometry_class_for_len(zs_pool_geometry(pool), 300)->rank, &cs);
    g_assert_cmpuint(cs.obj_allocated, ==, 0);
    assert_check(pool);
    zs_pool_free(pool);
}

static void test_pool_fullness_boundaries(void)
{
    TestProv prov;
    tp_init(&prov, 1);
    ZsPool *pool = pool_new(&prov, 1);
    const ZsGeometry *g = zs_pool_geometry(pool);
    const ZsClassInfo *cls = NULL;
    for (int r = 0; r < zs_geometry_n_classes(g) && !cls; r++) {
        const ZsClassInfo *c = zs_geometry_class(g, r);
        if (c->objs_per_zspage % 10 == 0)
            cls = c;
    }
    g_assert_nonnull(cls);
    int objs = cls->objs_per_zspage;
    ZsHandle *h = g_new0(ZsHandle, objs);
    for (int i = 0; i < objs; i++)
        h[i] = must_malloc(pool, cls->max_len, 0, 0);
    ZsZspageId z = zs_obj_zspage(pool, h[0]);
    g_assert_cmpint(zs_zspage_fullness(pool, z), ==, ZS_FULLNESS_FULL);
    int expect_at[101];
    for (int i = 0; i <= 100; i++)
        expect_at[i] = -1;
    int used = objs;
    for (int i = objs - 1; i >= 1; i--) {
        zs_free(pool, h[i]);
        used = i;
        int pct100 = used * 100; /* percent * objs */
        int fg = zs_zspage_fullness(pool, z);
        if (pct100 == 10 * objs)
            g_assert_cmpint(fg, ==, 2); /* exactly 10 %: the "20%" group */
        if (pct100 == 50 * objs)
            g_assert_cmpint(fg, ==, 6);
        if (pct100 == 90 * objs)
            g_assert_cmpint(fg, ==, 10); /* exactly 90 %: the "99%" group */
        if (pct100 < 10 * objs)
            g_assert_cmpint(fg, ==, 1);
        if (pct100 > 10 * objs && pct100 < 20 * objs)
            g_assert_cmpint(fg, ==, 2);
        if (used == objs - 1)
            g_assert_cmpint(fg, ==, 10);
        if (pct100 % objs == 0)
            expect_at[pct100 / objs] = fg;
    }
    g_assert_cmpint(expect_at[10], ==, 2);
    g_assert_cmpint(expect_at[20], ==, 3);
    /* The debugfs counts follow: one zspage in group 2 with 10 % used. */
    for (int i = 1; i < objs / 10; i++)
        h[i] = must_malloc(pool, cls->max_len, 0, 0);
    ZsClassStats cs;
    zs_pool_class_stats(pool, cls->rank, &cs);
    g_assert_cmpuint(cs.obj_used, ==, (uint64_t)objs / 10);
    g_assert_cmpuint(cs.zspages[2], ==, 1);
    g_assert_cmpuint(cs.zspages[1], ==, 0);
    assert_check(pool);
    g_free(h);
    zs_pool_free(pool);
}

static void test_pool_density_fragmentation(void)
{
    TestProv prov;
    tp_init(&prov, 1);
    ZsPool *pool = pool_new(&prov, 1);
    g_assert_cmpfloat(zs_pool_density(pool), ==, 0.0);
    ZsHandle h = must_malloc(pool, 100, 0, 0);
    int ppz = zs_obj_class(pool, h)->pages_per_zspage;
    g_assert_cmpfloat_with_epsilon(zs_pool_density(pool), 100.0 / (ppz * 4096.0), 1e-12);
    g_assert_cmpuint(zs_pool_fragmentation_pages(pool), ==, (uint64_t)ppz - 1);
    g_assert_cmpuint(zs_pool_compressed_bytes(pool), ==, 100);
    g_assert_cmpuint(zs_pool_n_objects(pool), ==, 1);
    ZsHandle big = must_malloc(pool, 4096, 0, 0); /* huge: no header, no waste */
    g_assert_cmpuint(zs_pool_fragmentation_pages(pool), ==, (uint64_t)ppz - 1);
    zs_free(pool, big);
    assert_check(pool);
    zs_pool_free(pool);
}

/* ------------------------------------------------------------------------ */
/* Compaction                                                                */

/* dst = fullest (A, 3/4), src = emptiest (B, 1/4): B's object moves to A, B
 * is freed; C (2/4) is left alone since only 2 slots are free after that. */
static void test_compaction_order(void)
{
    TestProv prov;
    tp_init(&prov, 1);
    ZsPool *pool = pool_new(&prov, 1);
    size_t len = len_for_class(zs_pool_geometry(pool), 1, 4);
    ZsHandle h[12];
    for (int i = 0; i < 12; i++)
        h[i] = must_malloc(pool, len, 0, 0);
    ZsZspageId za = zs_obj_zspage(pool, h[0]), zb = zs_obj_zspage(pool, h[4]),
               zc = zs_obj_zspage(pool, h[8]);
    zs_free(pool, h[3]); /* A: 3 */
    zs_free(pool, h[4]); /* B: 1 (slot 3 left) */
    zs_free(pool, h[5]);
    zs_free(pool, h[6]);
    zs_free(pool, h[10]); /* C: 2 */
    zs_free(pool, h[11]);
    g_assert_cmpuint(zs_obj_zspage(pool, h[7]), ==, zb);
    g_assert_cmpuint(zs_pool_shrinker_count(pool), ==, 1);
    g_assert_cmpuint(zs_compact(pool), ==, 1);
    g_assert_cmpuint(zs_obj_zspage(pool, h[7]), ==, za);
    g_assert_cmpuint(zs_obj_slot(pool, h[7]), ==, 3); /* A's only free slot */
    g_assert_cmpint(zs_zspage_fullness(pool, za), ==, ZS_FULLNESS_FULL);
    g_assert_cmpuint(zs_obj_zspage(pool, h[8]), ==, zc);
    g_assert_cmpuint(zs_obj_zspage(pool, h[9]), ==, zc);
    g_assert_cmpuint(zs_pool_total_pages(pool), ==, 2);
    g_assert_cmpuint(zs_pool_shrinker_count(pool), ==, 0);
    ZsPoolStats st;
    zs_pool_get_stats(pool, &st);
    g_assert_cmpuint(st.pages_compacted, ==, 1);
    g_assert_cmpuint(st.objs_moved, ==, 1);
    assert_check(pool);
    zs_pool_free(pool);
}

/* Objects move in slot order from the source into the destination's free
 * slots (LIFO), and compaction moves data across nodes. */
static void test_compaction_node_blind(void)
{
    TestProv prov;
    tp_init(&prov, 2);
    ZsPool *pool = pool_new(&prov, 2);
    size_t len = len_for_class(zs_pool_geometry(pool), 1, 4);
    ZsHandle a[4], b[4];
    for (int i = 0; i < 4; i++)
        a[i] = must_malloc(pool, len, 0, 0);
    for (int i = 0; i < 4; i++)
        b[i] = must_malloc(pool, len, 1, 1); /* zspage on node 1 */
    g_assert_cmpuint(zs_pool_node_pages(pool, 1), ==, 1);
    zs_free(pool, a[1]);
    zs_free(pool, a[2]); /* A on node 0: 2/4, free list 2 -> 1 */
    zs_free(pool, b[0]);
    zs_free(pool, b[3]); /* B on node 1: 2/4, slots 1 and 2 used */
    /* Both at 50 %: dst = head of the group (B, re-listed last), src = A. */
    g_assert_cmpuint(zs_compact(pool), ==, 1);
    g_assert_cmpuint(zs_pool_node_pages(pool, 0), ==, 0);
    g_assert_cmpuint(zs_pool_node_pages(pool, 1), ==, 1);
    /* A's slot 0 went to B's free-list head (slot 3), slot 3 to slot 0. */
    g_assert_cmpuint(zs_obj_slot(pool, a[0]), ==, 3);
    g_assert_cmpuint(zs_obj_slot(pool, a[3]), ==, 0);
    ZsObjNodes on;
    zs_obj_nodes(pool, a[0], &on);
    g_assert_cmpint(on.nid[0], ==, 1);
    g_assert_cmpuint(zs_pool_bytes(pool, 1, 0), ==, 2 * len);
    g_assert_cmpuint(zs_pool_bytes(pool, 0, 0), ==, 0);
    g_assert_cmpuint(zs_pool_bytes(pool, 1, 1), ==, 2 * len);
    assert_check(pool);
    zs_pool_free(pool);
    g_assert_cmpint(tp_used_total(&prov), ==, 0);
}

typedef struct {
    ZsHandle h;
    uint32_t len;
    unsigned tag;
} Shadow;

static uint32_t random_len(SimRng *rng, uint32_t page)
{
    uint64_t r = rng_below(rng, 100);
    if (r < 10)
        return 1 + (uint32_t)rng_below(rng, 64);
    if (r < 80)
        return 200 + (uint32_t)rng_below(rng, 2400);
    if (r < 95)
        return 2600 + (uint32_t)rng_below(rng, page - 2600 + 1);
    return page;
}

static void verify_shadow(const ZsPool *pool, const GArray *live)
{
    uint64_t bytes = 0;
    for (guint i = 0; i < live->len; i++) {
        const Shadow *s = &g_array_index(live, Shadow, i);
        g_assert_true(zs_handle_valid(pool, s->h));
        g_assert_cmpuint(zs_obj_len(pool, s->h), ==, s->len);
        g_assert_cmpuint(zs_obj_tag(pool, s->h), ==, s->tag);
        bytes += s->len;
    }
    g_assert_cmpuint(zs_pool_n_objects(pool), ==, live->len);
    g_assert_cmpuint(zs_pool_compressed_bytes(pool), ==, bytes);
}

/* Compacts and checks the promise: exactly the freeable pages go, pages
 * never grow, nothing else changes. */
static uint64_t compact_checked(ZsPool *pool, const GArray *live)
{
    uint64_t promised = zs_pool_shrinker_count(pool);
    uint64_t before = zs_pool_total_pages(pool);
    ZsPoolStats st0, st1;
    zs_pool_get_stats(pool, &st0);
    uint64_t freed = zs_compact(pool);
    zs_pool_get_stats(pool, &st1);
    g_assert_cmpuint(freed, ==, promised);
    g_assert_cmpuint(zs_pool_total_pages(pool), ==, before - freed);
    g_assert_cmpuint(zs_pool_shrinker_count(pool), ==, 0);
    g_assert_cmpuint(st1.pages_compacted - st0.pages_compacted, ==, freed);
    verify_shadow(pool, live);
    return freed;
}

static void test_compaction_frees_promised(void)
{
    TestProv prov;
    tp_init(&prov, 3);
    ZsPool *pool = pool_new(&prov, 3);
    SimRng rng;
    rng_init(&rng, 42, RNG_STREAM_USER);
    GArray *live = g_array_new(FALSE, FALSE, sizeof(Shadow));
    for (int i = 0; i < 20000; i++) {
        Shadow s = {0, random_len(&rng, 4096), (unsigned)rng_below(&rng, 3)};
        s.h = must_malloc(pool, s.len, (int)s.tag, s.tag);
        g_array_append_val(live, s);
    }
    /* Free two thirds at random: many half-empty zspages. */
    for (guint i = 0; i < live->len;) {
        if (rng_below(&rng, 3) != 0) {
            zs_free(pool, g_array_index(live, Shadow, i).h);
            g_array_remove_index_fast(live, i);
        } else {
            i++;
        }
    }
    assert_check(pool);
    uint64_t promised = zs_pool_shrinker_count(pool);
    g_assert_cmpuint(promised, >, 100);
    uint64_t node_before = 0;
    for (int n = 0; n < 3; n++)
        node_before += zs_pool_node_pages(pool, n);
    g_assert_cmpuint(compact_checked(pool, live), ==, promised);
    uint64_t node_after = 0;
    for (int n = 0; n < 3; n++)
        node_after += zs_pool_node_pages(pool, n);
    g_assert_cmpuint(node_after, ==, node_before - promised);
    g_assert_cmpuint(tp_used_total(&prov), ==, (int64_t)zs_pool_total_pages(pool));
    /* Every class now has fewer than objs_per_zspage free slots. */
    const ZsGeometry *g = zs_pool_geometry(pool);
    for (int r = 0; r < zs_geometry_n_classes(g); r++) {
        ZsClassStats cs;
        zs_pool_class_stats(pool, r, &cs);
        g_assert_cmpuint(cs.obj_allocated - cs.obj_used, <,
                         (uint64_t)zs_geometry_class(g, r)->objs_per_zspage);
        g_assert_cmpuint(cs.freeable, ==, 0);
    }
    assert_check(pool);
    /* A second run has nothing to do. */
    g_assert_cmpuint(zs_compact(pool), ==, 0);
    for (guint i = 0; i < live->len; i++)
        zs_free(pool, g_array_index(live, Shadow, i).h);
    g_assert_cmpuint(zs_pool_total_pages(pool), ==, 0);
    assert_check(pool);
    g_array_free(live, TRUE);
    zs_pool_free(pool);
    g_assert_cmpint(tp_used_total(&prov), ==, 0);
}

/* ------------------------------------------------------------------------ */
/* debugfs table                                                             */

static void test_debugfs_layout(void)
{
    TestProv prov;
    tp_init(&prov, 1);
    ZsPool *pool = pool_new(&prov, 1);
    size_t len = len_for_class(zs_pool_geometry(pool), 1, 4); /* 1024-byte slots */
    ZsHandle h[8];
    for (int i = 0; i < 8; i++)
        h[i] = must_malloc(pool, len, 0, 0);
    zs_free(pool, h[0]);
    zs_free(pool, h[1]);
    zs_free(pool, h[2]); /* 1/4 -> "30%" column; the other zspage is full */
    g_autoptr(GString) s = g_string_new(NULL);
    zs_pool_write_classes(pool, s);
    g_auto(GStrv) lines = g_strsplit(s->str, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==,
                     (guint)zs_geometry_n_classes(zs_pool_geometry(pool)) + 4);
    g_assert_cmpstr(lines[0], ==,
                    " class  size       10%       20%       30%       40%       50%       60%"
                    "       70%       80%       90%       99%      100% obj_allocated   obj_used"
                    " pages_used pages_per_zspage freeable");
    g_assert_cmpstr(lines[1], ==,
                    "     0    32         0         0         0         0         0         0"
                    "         0         0         0         0         0             0          0"
                    "          0                1        0");
    const char *row62 = NULL;
    for (int i = 0; lines[i]; i++)
        if (g_str_has_prefix(lines[i], "    62  1024 "))
            row62 = lines[i];
    g_assert_nonnull(row62);
    g_assert_cmpstr(row62, ==,
                    "    62  1024         0         0         1         0         0         0"
                    "         0         0         0         0         1             8          5"
                    "          2                1        0");
    int n = zs_geometry_n_classes(zs_pool_geometry(pool));
    g_assert_cmpstr(lines[n + 1], ==, "");
    g_assert_cmpstr(lines[n + 2], ==,
                    " Total               0         0         1         0         0         0"
                    "         0         0         0         0         1             8          5"
                    "          2                         0");
    g_assert_cmpstr(lines[n + 3], ==, "");
    assert_check(pool);
    zs_pool_free(pool);
}

/* ------------------------------------------------------------------------ */
/* Partitioned mode                                                          */

static void test_partitioned_never_mixes(void)
{
    TestProv prov;
    tp_init(&prov, 3);
    ZsPool *pool = pool_new_page(&prov, 4096, 3, 3, 8, ZS_RULE_CURRENT, true);
    SimRng rng;
    rng_init(&rng, 7, RNG_STREAM_USER);
    GArray *live = g_array_new(FALSE, FALSE, sizeof(Shadow));
    for (int i = 0; i < 3000; i++) {
        if (live->len && rng_below(&rng, 3) == 0) {
            guint k = (guint)rng_below(&rng, live->len);
            zs_free(pool, g_array_index(live, Shadow, k).h);
            g_array_remove_index_fast(live, k);
            continue;
        }
        Shadow s = {0, random_len(&rng, 4096), (unsigned)rng_below(&rng, 3)};
        s.h = must_malloc(pool, s.len, (int)s.tag, s.tag);
        g_array_append_val(live, s);
    }
    g_assert_cmpint(prov.strict_calls, ==, prov.calls);
    for (guint i = 0; i < live->len; i++) {
        const Shadow *s = &g_array_index(live, Shadow, i);
        ZsObjNodes on;
        zs_obj_nodes(pool, s->h, &on);
        g_assert_cmpint(on.n, ==, 1);
        g_assert_cmpint(on.nid[0], ==, (int)s->tag);
    }
    for (int n = 0; n < 3; n++)
        for (unsigned t = 0; t < 3; t++)
            if ((int)t != n)
                g_assert_cmpuint(zs_pool_bytes(pool, n, t), ==, 0);
    assert_check(pool);
    compact_checked(pool, live);
    for (guint i = 0; i < live->len; i++) {
        ZsObjNodes on;
        zs_obj_nodes(pool, g_array_index(live, Shadow, i).h, &on);
        g_assert_cmpint(on.nid[0], ==, (int)g_array_index(live, Shadow, i).tag);
    }
    assert_check(pool);
    ZsPoolStats st;
    zs_pool_get_stats(pool, &st);
    g_assert_cmpuint(st.fallbacks, ==, 0);
    g_array_free(live, TRUE);
    zs_pool_free(pool);
    g_assert_cmpint(tp_used_total(&prov), ==, 0);
}

static void test_partitioned_fails_without_fallback(void)
{
    TestProv prov;
    tp_init(&prov, 2);
    prov.cap[1] = 0;
    ZsPool *pool = pool_new_page(&prov, 4096, 2, 2, 8, ZS_RULE_CURRENT, true);
    size_t len = len_for_class(zs_pool_geometry(pool), 1, 4);
    ZsHandle a = must_malloc(pool, len, 0, 0); /* node 0 zspage with 3 free slots */
    ZsHandle h;
    g_assert_cmpint(zs_malloc(pool, len, 1, 1, ZS_MALLOC_DEFAULT, &h), ==, ZS_ENOMEM);
    g_assert_cmpuint(h, ==, ZS_HANDLE_NONE);
    g_assert_cmpint(prov.strict_calls, ==, prov.calls);
    g_assert_cmpuint(zs_zspage_inuse(pool, zs_obj_zspage(pool, a)), ==, 1);
    g_assert_cmpint(zs_malloc(pool, len, -1, 0, ZS_MALLOC_DEFAULT, &h), ==, ZS_EINVAL);
    ZsPoolStats st;
    zs_pool_get_stats(pool, &st);
    g_assert_cmpuint(st.strict_misses, ==, 1);
    g_assert_cmpuint(st.nomem, ==, 1);
    g_assert_cmpuint(st.fallbacks, ==, 0);
    assert_check(pool);
    zs_pool_free(pool);
}

static void test_partitioned_fallback_counted(void)
{
    TestProv prov;
    tp_init(&prov, 2);
    prov.cap[1] = 1;
    ZsPool *pool = pool_new_page(&prov, 4096, 2, 2, 8, ZS_RULE_CURRENT, true);
    const ZsGeometry *g = zs_pool_geometry(pool);
    size_t len = len_for_class(g, 1, 4);
    ZsHandle a = must_malloc(pool, len, 0, 0);
    ZsHandle b = must_malloc(pool, len, 1, 1); /* node 1's only page */
    ZsHandle h[3];
    for (int i = 0; i < 3; i++)
        h[i] = must_malloc(pool, len, 1, 1); /* fills node 1's zspage */
    /* Node 1 has no page: with the flag, node 0's zspage takes it. */
    ZsHandle f;
    g_assert_cmpint(zs_malloc(pool, len, 1, 1, ZS_MALLOC_FALLBACK, &f), ==, ZS_OK);
    g_assert_cmpuint(zs_obj_zspage(pool, f), ==, zs_obj_zspage(pool, a));
    ZsObjNodes on;
    zs_obj_nodes(pool, f, &on);
    g_assert_cmpint(on.nid[0], ==, 0);
    g_assert_cmpuint(zs_pool_bytes(pool, 0, 1), ==, len);
    /* A class with 3-page zspages and no zspage yet: the new one falls back
     * page by page; node 1 has no page at all, so all land on node 0. */
    size_t len3 = class_with_ppz(g, 3)->max_len;
    ZsHandle f3;
    g_assert_cmpint(zs_malloc(pool, len3, 1, 1, ZS_MALLOC_FALLBACK, &f3), ==, ZS_OK);
    ZsZspageId z3 = zs_obj_zspage(pool, f3);
    int nids[ZS_CHAIN_SIZE_MAX];
    zs_zspage_nodes(pool, z3, nids, ZS_CHAIN_SIZE_MAX);
    g_assert_cmpint(nids[0], ==, 0);
    g_assert_cmpint(nids[2], ==, 0);
    /* It is filed under node 0: strict node-0 objects may use it. */
    ZsHandle s0 = must_malloc(pool, len3, 0, 0);
    g_assert_cmpuint(zs_obj_zspage(pool, s0), ==, z3);
    ZsPoolStats st;
    zs_pool_get_stats(pool, &st);
    g_assert_cmpuint(st.fallbacks, ==, 2);
    g_assert_cmpuint(st.strict_misses, ==, 2);
    g_assert_cmpuint(st.nomem, ==, 0);
    assert_check(pool);
    /* A zspage on two nodes goes to the mixed set; strict allocations of
     * either node never use it. */
    zs_free(pool, b);
    zs_free(pool, h[0]);
    zs_free(pool, h[1]);
    zs_free(pool, h[2]);                     /* node 1's page is back */
    prov.cap[0] = (int64_t)prov.used[0] + 2; /* node 0: two more pages */
    prov.cap[1] = 1;
    const ZsClassInfo *c3 = NULL;
    for (int r = 0; r < zs_geometry_n_classes(g) && !c3; r++) {
        const ZsClassInfo *c = zs_geometry_class(g, r);
        if (c->pages_per_zspage == 3 && c->rank != zs_obj_class(pool, f3)->rank)
            c3 = c;
    }
    g_assert_nonnull(c3);
    ZsHandle m;
    g_assert_cmpint(zs_malloc(pool, c3->max_len, 1, 1, ZS_MALLOC_FALLBACK, &m), ==, ZS_OK);
    zs_zspage_nodes(pool, zs_obj_zspage(pool, m), nids, ZS_CHAIN_SIZE_MAX);
    g_assert_cmpint(nids[0], ==, 1);
    g_assert_cmpint(nids[1], ==, 0);
    g_assert_cmpint(nids[2], ==, 0);
    ZsHandle no;
    g_assert_cmpint(zs_malloc(pool, c3->max_len, 0, 0, 0, &no), ==, ZS_ENOMEM);
    g_assert_cmpint(zs_malloc(pool, c3->max_len, 1, 1, 0, &no), ==, ZS_ENOMEM);
    zs_pool_get_stats(pool, &st);
    g_assert_cmpuint(st.fallbacks, ==, 3);
    assert_check(pool);
    zs_pool_free(pool);
    g_assert_cmpint(tp_used_total(&prov), ==, 0);
}

static void test_partitioned_compaction_per_node(void)
{
    TestProv prov;
    tp_init(&prov, 2);
    size_t len = 0;
    for (int partitioned = 0; partitioned <= 1; partitioned++) {
        ZsPool *pool = pool_new_page(&prov, 4096, 2, 2, 8, ZS_RULE_CURRENT, partitioned);
        len = len_for_class(zs_pool_geometry(pool), 1, 4);
        /* One object on a node-0 zspage, one on a node-1 zspage. */
        ZsHandle a[4], b[4];
        for (int i = 0; i < 4; i++)
            a[i] = must_malloc(pool, len, 0, 0);
        for (int i = 0; i < 4; i++)
            b[i] = must_malloc(pool, len, 1, 1);
        for (int i = 1; i < 4; i++) {
            zs_free(pool, a[i]);
            zs_free(pool, b[i]);
        }
        if (partitioned) {
            g_assert_cmpuint(zs_pool_shrinker_count(pool), ==, 0);
            g_assert_cmpuint(zs_compact(pool), ==, 0);
            g_assert_cmpuint(zs_pool_node_pages(pool, 0), ==, 1);
            g_assert_cmpuint(zs_pool_node_pages(pool, 1), ==, 1);
            /* A second sparse zspage on node 0 can be emptied into the first:
             * c[0..2] fill the first, c[3] starts a second. */
            ZsHandle c[4];
            for (int i = 0; i < 4; i++)
                c[i] = must_malloc(pool, len, 0, 0);
            g_assert_cmpuint(zs_obj_zspage(pool, c[2]), ==, zs_obj_zspage(pool, a[0]));
            for (int i = 0; i < 3; i++)
                zs_free(pool, c[i]);
            g_assert_cmpuint(zs_pool_node_pages(pool, 0), ==, 2);
            g_assert_cmpuint(zs_pool_shrinker_count(pool), ==, 1);
            g_assert_cmpuint(zs_compact(pool), ==, 1);
            g_assert_cmpuint(zs_pool_node_pages(pool, 0), ==, 1);
            g_assert_cmpuint(zs_pool_node_pages(pool, 1), ==, 1);
        } else {
            /* The shared pool moves one object across nodes. */
            g_assert_cmpuint(zs_pool_shrinker_count(pool), ==, 1);
            g_assert_cmpuint(zs_compact(pool), ==, 1);
            g_assert_cmpuint(zs_pool_total_pages(pool), ==, 1);
        }
        assert_check(pool);
        zs_pool_free(pool);
        g_assert_cmpint(tp_used_total(&prov), ==, 0);
    }
}

/* ------------------------------------------------------------------------ */
/* Property tests                                                            */

typedef struct {
    int chain;
    ZsRule rule;
    bool partitioned;
    uint64_t seed;
    uint32_t page;
} PropCase;

static void run_property(gconstpointer data)
{
    const PropCase *pc = data;
    TestProv prov;
    tp_init(&prov, 3);
    prov.cap[0] = 90;
    prov.cap[1] = 60;
    prov.cap[2] = 30;
    ZsPool *pool = pool_new_page(&prov, pc->page, 3, 4, pc->chain, pc->rule, pc->partitioned);
    SimRng rng;
    rng_init(&rng, pc->seed, RNG_STREAM_USER + 1);
    GArray *live = g_array_new(FALSE, FALSE, sizeof(Shadow));
    int n_ops = 10000, n_ok = 0, n_nomem = 0, n_compact = 0;
    for (int op = 0; op < n_ops; op++) {
        uint64_t r = rng_below(&rng, 100);
        if (r < 55) {
            /* The 4 KiB size mix, scaled to the page size. */
            uint32_t l = (uint32_t)((uint64_t)random_len(&rng, 4096) * pc->page / 4096);
            Shadow s = {0, l, (unsigned)rng_below(&rng, 4)};
            int nid = (int)rng_below(&rng, 3);
            if (!pc->partitioned && rng_below(&rng, 10) == 0)
                nid = -1;
            unsigned flags = rng_below(&rng, 2) ? ZS_MALLOC_FALLBACK : 0;
            uint64_t pages = zs_pool_total_pages(pool);
            ZsStatus st = zs_malloc(pool, s.len, nid, s.tag, flags, &s.h);
            if (st == ZS_OK) {
                g_array_append_val(live, s);
                n_ok++;
                if (pc->partitioned && !(flags & ZS_MALLOC_FALLBACK)) {
                    ZsObjNodes on;
                    zs_obj_nodes(pool, s.h, &on);
                    g_assert_cmpint(on.n, ==, 1);
                    g_assert_cmpint(on.nid[0], ==, nid);
                }
            } else {
                g_assert_cmpint(st, ==, ZS_ENOMEM);
                g_assert_cmpuint(s.h, ==, ZS_HANDLE_NONE);
                g_assert_cmpuint(zs_pool_total_pages(pool), ==, pages);
                n_nomem++;
            }
        } else if (r < 97) {
            if (!live->len)
                continue;
            guint k = (guint)rng_below(&rng, live->len);
            zs_free(pool, g_array_index(live, Shadow, k).h);
            g_array_remove_index_fast(live, k);
        } else {
            compact_checked(pool, live);
            n_compact++;
        }
        assert_check(pool);
        verify_shadow(pool, live);
        g_assert_cmpint(tp_used_total(&prov), ==, (int64_t)zs_pool_total_pages(pool));
        for (int n = 0; n < 3; n++)
            g_assert_cmpint(prov.used[n], ==, (int64_t)zs_pool_node_pages(pool, n));
    }
    g_assert_cmpint(n_ok, >, 500);
    g_assert_cmpint(n_nomem, >, 0); /* the provider ran dry at times */
    g_assert_cmpint(n_compact, >, 10);
    if (pc->partitioned) {
        ZsPoolStats st;
        zs_pool_get_stats(pool, &st);
        g_assert_cmpuint(st.fallbacks, >, 0);
    }
    while (live->len) {
        zs_free(pool, g_array_index(live, Shadow, live->len - 1).h);
        g_array_set_size(live, live->len - 1);
    }
    g_assert_cmpuint(zs_pool_total_pages(pool), ==, 0);
    assert_check(pool);
    g_array_free(live, TRUE);
    zs_pool_free(pool);
    g_assert_cmpint(tp_used_total(&prov), ==, 0);
}

/* ------------------------------------------------------------------------ */
/* CLI                                                                       */

/* Runs `tiersim ARGS...`; *status is its exit code. FALSE (test skipped)
 * without TIERSIM_BIN. */
static gboolean run_cli(const char *const *args, int *status, char **out, char **err)
{
    if (!g_getenv("TIERSIM_BIN")) {
        g_test_skip("TIERSIM_BIN is not set (run under CTest)");
        return FALSE;
    }
    *status = test_cli_run(args, NULL, out, err);
    return TRUE;
}

static int count_rows(const char *out)
{
    int rows = 0;
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
    for (int i = 1; lines[i]; i++) {
        const char *p = lines[i];
        if (*p != ' ')
            continue; /* rows start with the padded class index */
        while (*p == ' ')
            p++;
        if (g_ascii_isdigit(*p))
            rows++;
    }
    return rows;
}

static void test_cli_classes(void)
{
    int status;
    g_autofree char *out = NULL, *err = NULL;
    const char *args[] = {"zsmalloc", "classes", NULL};
    if (!run_cli(args, &status, &out, &err))
        return;
    g_assert_cmpint(status, ==, 0);
    char *nl = strchr(out, '\n');
    g_assert_nonnull(nl);
    g_autofree char *first = g_strndup(out, (gsize)(nl - out));
    const char *cols[] = {
        "class", "size",     "merged", "pages_per_zspage", "objs_per_zspage", "waste",
        "used%", "spanning", "huge"};
    g_auto(GStrv) words = g_strsplit_set(first, " ", -1);
    for (size_t i = 0; i < G_N_ELEMENTS(cols); i++)
        g_assert_true(g_strv_contains((const char *const *)words, cols[i]));
    g_assert_cmpint(count_rows(out), ==, 119);
    g_assert_nonnull(strstr(out, "119 classes"));
    g_assert_nonnull(strstr(out, "huge_class_size 3625"));

    g_autofree char *out2 = NULL, *err2 = NULL;
    const char *old[] = {"zsmalloc", "classes", "--rule", "pre-6.3", NULL};
    run_cli(old, &status, &out2, &err2);
    g_assert_cmpint(status, ==, 0);
    g_assert_cmpint(count_rows(out2), ==, 69);
    g_assert_nonnull(strstr(out2, "huge_class_size 3257"));

    g_autofree char *out3 = NULL, *err3 = NULL;
    const char *c16[] = {"zsmalloc", "classes", "--chain-size", "16", NULL};
    run_cli(c16, &status, &out3, &err3);
    g_assert_cmpint(status, ==, 0);
    g_assert_cmpint(count_rows(out3), ==, 192);
}

static void test_cli_bad_options(void)
{
    const char *bad[][6] = {
        {"zsmalloc", "classes", "--chain-size", "3", NULL},
        {"zsmalloc", "classes", "--chain-size", "17", NULL},
        {"zsmalloc", "classes", "--chain-size", "x", NULL},
        {"zsmalloc", "classes", "--rule", "old", NULL},
        {"zsmalloc", "classes", "--rule", "pre-6.3", "--chain-size", "8"},
        {"zsmalloc", "classes", "--page-size", "5000", NULL},
        {"zsmalloc", "classes", "--bogus", NULL},
        {"zsmalloc", "sizes", NULL},
        {"zsmalloc", NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        const char *args[7] = {0};
        for (int j = 0; j < 6 && bad[i][j]; j++)
            args[j] = bad[i][j];
        int status;
        g_autofree char *out = NULL, *err = NULL;
        if (!run_cli(args, &status, &out, &err))
            return;
        g_assert_cmpint(status, ==, 2);
        g_assert_cmpstr(out, ==, "");
        g_assert_true(g_str_has_prefix(err, "tiersim"));
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/zsmalloc/geometry/255-indices", test_geometry_indices);
    g_test_add_func("/zsmalloc/geometry/chain8-119-classes", test_geometry_chain8);
    g_test_add_func("/zsmalloc/geometry/pre-6.3-69-classes", test_geometry_pre63);
    g_test_add_func("/zsmalloc/geometry/size-208-chain", test_geometry_size208);
    g_test_add_func("/zsmalloc/geometry/chain4-doc-example", test_geometry_chain4_doc);
    g_test_add_func("/zsmalloc/geometry/chain-sizes-4-16", test_geometry_chain_sizes);
    g_test_add_func("/zsmalloc/geometry/structure", test_geometry_structure);
    g_test_add_func("/zsmalloc/geometry/page-sizes", test_geometry_page_sizes);
    g_test_add_func("/zsmalloc/geometry/bad-params", test_geometry_bad_params);
    g_test_add_func("/zsmalloc/pool/bad-params", test_pool_params);
    g_test_add_func("/zsmalloc/pool/malloc-status", test_pool_malloc_status);
    g_test_add_func("/zsmalloc/pool/fullest-first", test_pool_fullest_first);
    g_test_add_func("/zsmalloc/pool/lifo-slot-reuse", test_pool_lifo_reuse);
    g_test_add_func("/zsmalloc/pool/node-blind-reuse", test_pool_node_blind_reuse);
    g_test_add_func("/zsmalloc/pool/zspage-spans-nodes", test_pool_zspage_spans_nodes);
    g_test_add_func("/zsmalloc/pool/alloc-failure-gives-pages-back",
                    test_pool_alloc_failure_gives_back);
    g_test_add_func("/zsmalloc/pool/free-releases-empty-zspage",
                    test_pool_free_releases_empty_zspage);
    g_test_add_func("/zsmalloc/pool/fullness-boundaries", test_pool_fullness_boundaries);
    g_test_add_func("/zsmalloc/pool/density-fragmentation", test_pool_density_fragmentation);
    g_test_add_func("/zsmalloc/compaction/fullest-dst-emptiest-src", test_compaction_order);
    g_test_add_func("/zsmalloc/compaction/node-blind", test_compaction_node_blind);
    g_test_add_func("/zsmalloc/compaction/frees-what-freeable-promised",
                    test_compaction_frees_promised);
    g_test_add_func("/zsmalloc/debugfs/layout", test_debugfs_layout);
    g_test_add_func("/zsmalloc/partitioned/never-mixes-nodes", test_partitioned_never_mixes);
    g_test_add_func("/zsmalloc/partitioned/fails-without-fallback",
                    test_partitioned_fails_without_fallback);
    g_test_add_func("/zsmalloc/partitioned/fallback-counted", test_partitioned_fallback_counted);
    g_test_add_func("/zsmalloc/partitioned/compaction-per-node",
                    test_partitioned_compaction_per_node);
    static const PropCase cases[] = {
        {4, ZS_RULE_CURRENT, false, 1, 4096},   {8, ZS_RULE_CURRENT, false, 2, 4096},
        {16, ZS_RULE_CURRENT, false, 3, 4096},  {4, ZS_RULE_PRE_6_3, false, 4, 4096},
        {8, ZS_RULE_CURRENT, true, 5, 4096},    {16, ZS_RULE_CURRENT, true, 6, 4096},
        {16, ZS_RULE_CURRENT, false, 7, 65536},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path =
            g_strdup_printf("/zsmalloc/property/random-ops-chain%d-%s%s%s", cases[i].chain,
                            zs_rule_name(cases[i].rule), cases[i].partitioned ? "-partitioned" : "",
                            cases[i].page != 4096 ? "-64k-pages" : "");
        g_test_add_data_func(path, &cases[i], run_property);
    }
    g_test_add_func("/zsmalloc/cli/classes", test_cli_classes);
    g_test_add_func("/zsmalloc/cli/bad-options-exit-2", test_cli_bad_options);
    return g_test_run();
}
