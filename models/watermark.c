#include "models/watermark.h"

uint64_t wmark_int_sqrt(uint64_t x)
{
    /* Bitwise integer square root, floor(sqrt(x)), as lib/math/int_sqrt.c computes. */
    uint64_t r = 0, bit = 1ULL << 62;
    while (bit > x)
        bit >>= 2;
    while (bit) {
        if (x >= r + bit) {
            x -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return r;
}

uint64_t wmark_default_min_free_kbytes(uint64_t lowmem_kbytes)
{
    uint64_t v = wmark_int_sqrt(lowmem_kbytes * 16);
    if (v < 128)
        v = 128;
    if (v > 262144)
        v = 262144;
    return v;
}

static uint64_t clamp_u64(uint64_t v, uint64_t lo, uint64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

uint64_t wmark_compute(const MachineParams *p, Watermarks *wm)
{
    uint64_t lowmem_pages = 0;
    for (int i = 0; i < p->n_nodes; i++)
        if (p->nodes[i].zone == ZONE_TYPE_NORMAL)
            lowmem_pages += p->nodes[i].capacity_bytes / p->page_size;
    uint64_t kb_per_page = p->page_size / 1024;
    uint64_t min_free_kbytes = p->kernel.min_free_kbytes >= 0
                                   ? (uint64_t)p->kernel.min_free_kbytes
                                   : wmark_default_min_free_kbytes(lowmem_pages * kb_per_page);
    uint64_t pages_min = min_free_kbytes / kb_per_page;
    for (int i = 0; i < p->n_nodes; i++) {
        uint64_t managed = p->nodes[i].capacity_bytes / p->page_size;
        uint64_t min;
        if (p->nodes[i].zone == ZONE_TYPE_MOVABLE || lowmem_pages == 0)
            min = clamp_u64(managed / 1024, 32, 128);
        else
            min = (uint64_t)((unsigned __int128)pages_min * managed / lowmem_pages);
        uint64_t tmp = managed * (uint64_t)p->kernel.watermark_scale_factor / 10000;
        if (tmp < min / 4)
            tmp = min / 4;
        wm[i].min = min;
        wm[i].low = min + tmp;
        wm[i].high = min + 2 * tmp;
        wm[i].promo = min + 3 * tmp;
    }
    return min_free_kbytes;
}
