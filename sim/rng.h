/*
 * rng.h - seeded pseudo-random substreams.
 *
 * xoshiro256** (Blackman and Vigna, 2018) seeded through splitmix64. Each
 * component of a simulation draws from its own substream, derived from the
 * scenario seed and a stream id, so adding random draws to one model never
 * shifts the numbers another model sees. The generator is ours, not GLib's,
 * so results do not depend on the GLib version.
 *
 * Cost: a draw is a handful of shifts and adds; no allocation.
 */
#ifndef TIERSIM_SIM_RNG_H
#define TIERSIM_SIM_RNG_H

#include <stdint.h>

typedef struct SimRng {
    uint64_t s[4];
} SimRng;

/* Well-known stream ids. Models add their own after RNG_STREAM_USER. */
enum {
    RNG_STREAM_WORKLOAD = 1,
    RNG_STREAM_COMPRESS = 2,
    RNG_STREAM_MACHINE = 3,
    RNG_STREAM_TIERS = 4,
    RNG_STREAM_USER = 64,
};

void rng_init(SimRng *rng, uint64_t seed, uint64_t stream);
uint64_t rng_next(SimRng *rng);
/* Uniform in [0, bound), bound > 0, without modulo bias (Lemire's method). */
uint64_t rng_below(SimRng *rng, uint64_t bound);
/* Uniform double in [0, 1) with 53 random bits. */
double rng_double(SimRng *rng);
/* Stateless 64-bit mix (splitmix64 finaliser): a hash for per-page draws
 * that must not depend on the order in which pages are visited. */
uint64_t rng_mix64(uint64_t x);

#endif
