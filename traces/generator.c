/*
 * generator.c - the synthetic workload source (see generator.h).
 *
 * Zipf ranks come from rejection-inversion sampling (Hoermann and
 * Derflinger, "Rejection-inversion to generate variates from monotone
 * discrete distributions", 1996): O(1) per draw for any region size, no
 * table. Rank 1 is the region's first page.
 */
#include "traces/generator.h"

#include <math.h>
#include <string.h>

#include "sim/rng.h"

#define GEN_REGION_ALIGN 512ULL       /* 2 MiB of 4 KiB pages */
#define GEN_BASE_VPAGE   (1ULL << 20) /* regions start at 4 GiB (4 KiB pages) */

static uint64_t phase_pages(const GenPhase *ph, uint32_t page_size)
{
    return (ph->size_bytes + page_size - 1) / page_size;
}

static uint64_t phase_accesses(const GenPhase *ph, uint32_t page_size)
{
    if (ph->accesses)
        return ph->accesses;
    return (ph->passes ? ph->passes : 1) * phase_pages(ph, page_size);
}

/* Regions per pid in order of first appearance; each as large as the
 * largest phase naming it, aligned, with one aligned gap between regions. */
void gen_phase_region(const GenSpec *spec, uint32_t page_size, int phase, uint64_t *first_vpage,
                      uint64_t *n_pages)
{
    const GenPhase *want = &spec->phases[phase];
    uint64_t next = GEN_BASE_VPAGE;
    for (int i = 0; i < spec->n_phases; i++) {
        const GenPhase *ph = &spec->phases[i];
        if (ph->pid != want->pid)
            continue;
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = spec->phases[j].pid == ph->pid && !strcmp(spec->phases[j].region, ph->region);
        if (seen)
            continue;
        uint64_t pages = 0;
        for (int j = i; j < spec->n_phases; j++) {
            const GenPhase *q = &spec->phases[j];
            if (q->pid == ph->pid && !strcmp(q->region, ph->region) &&
                phase_pages(q, page_size) > pages)
                pages = phase_pages(q, page_size);
        }
        if (!strcmp(ph->region, want->region)) {
            *first_vpage = next;
            *n_pages = phase_pages(want, page_size);
            return;
        }
        next +=
            (pages + GEN_REGION_ALIGN - 1) / GEN_REGION_ALIGN * GEN_REGION_ALIGN + GEN_REGION_ALIGN;
    }
    g_assert_not_reached();
}

uint64_t gen_spec_total_accesses(const GenSpec *spec, uint32_t page_size)
{
    uint64_t n = 0;
    for (int i = 0; i < spec->n_phases; i++)
        n += phase_accesses(&spec->phases[i], page_size);
    return n;
}

/* ---- zipf by rejection-inversion ------------------------------------------------ */

typedef struct Zipf {
    double s;
    uint64_t n;
    double h_x1, h_n, s_div;
} Zipf;

static double helper1(double x)
{
    return fabs(x) > 1e-8 ? log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
}

static double helper2(double x)
{
    return fabs(x) > 1e-8 ? expm1(x) / x
                          : 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x));
}

static double zipf_h(const Zipf *z, double x)
{
    return exp(-z->s * log(x));
}

static double zipf_hint(const Zipf *z, double x)
{
    double lx = log(x);
    return helper2((1.0 - z->s) * lx) * lx;
}

static double zipf_hint_inv(const Zipf *z, double x)
{
    double t = x * (1.0 - z->s);
    if (t < -1.0)
        t = -1.0;
    return exp(helper1(t) * x);
}

static void zipf_init(Zipf *z, uint64_t n, double s)
{
    z->s = s;
    z->n = n;
    z->h_x1 = zipf_hint(z, 1.5) - 1.0;
    z->h_n = zipf_hint(z, (double)n + 0.5);
    z->s_div = 2.0 - zipf_hint_inv(z, zipf_hint(z, 2.5) - zipf_h(z, 2.0));
}

/* A rank in [1, n]. */
static uint64_t zipf_draw(const Zipf *z, SimRng *rng)
{
    for (;;) {
        double u = z->h_n + rng_double(rng) * (z->h_x1 - z->h_n);
        double x = zipf_hint_inv(z, u);
        double kf = floor(x + 0.5);
        uint64_t k = kf < 1.0 ? 1 : kf > (double)z->n ? z->n : (uint64_t)kf;
        if ((double)k - x <= z->s_div || u >= zipf_hint(z, (double)k + 0.5) - zipf_h(z, (double)k))
            return k;
    }
}

/* ---- the source ----------------------------------------------------------------- */

typedef struct GenSource {
    TraceSource base;
    GenSpec spec;
    uint32_t page_size;
    SimRng rng;
    int phase;      /* current phase */
    uint64_t i;     /* accesses issued in it */
    uint64_t n;     /* accesses it issues */
    uint64_t first; /* its region's first vpage */
    uint64_t pages; /* pages it covers */
    uint64_t hot_pages;
    int64_t start_ns;
    Zipf zipf;
} GenSource;

static void gen_enter_phase(GenSource *g)
{
    const GenPhase *ph = &g->spec.phases[g->phase];
    g->i = 0;
    g->n = phase_accesses(ph, g->page_size);
    gen_phase_region(&g->spec, g->page_size, g->phase, &g->first, &g->pages);
    if (ph->pattern == GEN_ZIPF)
        zipf_init(&g->zipf, g->pages, ph->theta);
    if (ph->pattern == GEN_HOTCOLD) {
        g->hot_pages = (uint64_t)ceil(ph->hot_fraction * (double)g->pages);
        if (g->hot_pages < 1)
            g->hot_pages = 1;
        if (g->hot_pages > g->pages)
            g->hot_pages = g->pages;
    }
}

static int64_t phase_time(const GenPhase *ph, int64_t start, uint64_t i)
{
    if (ph->rate <= 0)
        return start;
    return start + (int64_t)((double)i * 1e9 / ph->rate);
}

static gssize gen_read(TraceSource *src, PageAccess *buf, gsize cap, GError **error)
{
    GenSource *g = (GenSource *)src;
    gsize k = 0;
    while (k < cap) {
        if (g->phase >= g->spec.n_phases)
            break;
        const GenPhase *ph = &g->spec.phases[g->phase];
        if (g->i >= g->n) {
            g->start_ns = phase_time(ph, g->start_ns, g->n);
            if (++g->phase < g->spec.n_phases)
                gen_enter_phase(g);
            continue;
        }
        uint64_t off;
        switch (ph->pattern) {
        case GEN_SEQUENTIAL:
            off = g->i % g->pages;
            break;
        case GEN_UNIFORM:
            off = rng_below(&g->rng, g->pages);
            break;
        case GEN_ZIPF:
            off = zipf_draw(&g->zipf, &g->rng) - 1;
            break;
        case GEN_HOTCOLD:
        default:
            if (g->hot_pages == g->pages || rng_double(&g->rng) < ph->hot_probability)
                off = rng_below(&g->rng, g->hot_pages);
            else
                off = g->hot_pages + rng_below(&g->rng, g->pages - g->hot_pages);
            break;
        }
        uint8_t op;
        if (ph->write_fraction <= 0.0)
            op = ACCESS_READ;
        else if (ph->write_fraction >= 1.0)
            op = ACCESS_WRITE;
        else
            op = rng_double(&g->rng) < ph->write_fraction ? ACCESS_WRITE : ACCESS_READ;
        buf[k].time_ns = phase_time(ph, g->start_ns, g->i);
        buf[k].vpage = g->first + off;
        buf[k].pid = ph->pid;
        buf[k].cpu = -1;
        buf[k].op = op;
        k++;
        g->i++;
    }
    return (gssize)k;
}

static void gen_free(TraceSource *src)
{
    GenSource *g = (GenSource *)src;
    gen_spec_clear(&g->spec);
    g_free(g);
}

static const TraceSourceOps gen_ops = {"generator", gen_read, gen_free};

TraceSource *gen_source_new(const GenSpec *spec, uint32_t page_size, uint64_t seed)
{
    GenSource *g = g_new0(GenSource, 1);
    g->base.ops = &gen_ops;
    gen_spec_copy(&g->spec, spec);
    g->page_size = page_size;
    rng_init(&g->rng, seed, RNG_STREAM_WORKLOAD);
    if (g->spec.n_phases > 0)
        gen_enter_phase(g);
    return &g->base;
}
