/*
 * generator.h - synthetic workloads: phases of sequential, uniform, zipf and
 * hot/cold accesses over named regions.
 *
 * Phases run one after another. Phases that name the same region of the same
 * pid touch the same pages. Regions are laid out per pid in order of first
 * appearance, each starting on a 2 MiB-aligned virtual page (so regions never
 * share a page) with the size of the largest phase that names it.
 *
 * Time: a phase with a rate issues access i at phase_start + i * 1e9 / rate;
 * a phase without one issues every access at phase_start (the engine then
 * runs them back to back, each after the previous one's service time). A
 * phase starts at the trace time where the previous one ended.
 *
 * Randomness comes from the RNG_STREAM_WORKLOAD substream of the seed: the
 * same spec and seed give the same stream.
 */
#ifndef TIERSIM_TRACES_GENERATOR_H
#define TIERSIM_TRACES_GENERATOR_H

#include <stdbool.h>
#include <stdint.h>

#include "traces/source.h"

typedef enum GenPattern {
    GEN_SEQUENTIAL,
    GEN_UNIFORM,
    GEN_ZIPF,
    GEN_HOTCOLD,
} GenPattern;

typedef struct GenPhase {
    uint32_t pid;
    char *region; /* owned; default "default" */
    GenPattern pattern;
    uint64_t size_bytes;    /* > 0 */
    uint64_t passes;        /* sequential: passes over the region; 0 = use accesses */
    uint64_t accesses;      /* total accesses; 0 = passes * pages */
    double write_fraction;  /* op read = 0, write = 1 */
    double rate;            /* accesses per second of trace time; 0 = back to back */
    double theta;           /* zipf exponent, default 0.99 */
    double hot_fraction;    /* hotcold: share of pages that are hot, default 0.2 */
    double hot_probability; /* hotcold: share of accesses to hot pages, default 0.8 */
} GenPhase;

typedef struct GenSpec {
    int n_phases;
    GenPhase *phases; /* owned */
} GenSpec;

void gen_spec_clear(GenSpec *spec);
void gen_spec_copy(GenSpec *dst, const GenSpec *src);

/* Region layout: the first virtual page and page count of phase i's region. */
void gen_phase_region(const GenSpec *spec, uint32_t page_size, int phase, uint64_t *first_vpage,
                      uint64_t *n_pages);
/* Total accesses the spec yields. */
uint64_t gen_spec_total_accesses(const GenSpec *spec, uint32_t page_size);

/* The spec is copied. */
TraceSource *gen_source_new(const GenSpec *spec, uint32_t page_size, uint64_t seed);

#endif
