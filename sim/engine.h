/*
 * engine.h - the discrete-event engine: clock, pending events, run loop.
 *
 * Time is integer nanoseconds of simulated time. Two kinds of work advance
 * it:
 *   - events in the pending queue (kswapd batches, workers, timers), ordered
 *     by (time, seq);
 *   - one "stream", the replayed access trace. The stream is kept out of the
 *     heap because it fires for every access: the loop compares its next
 *     time with the heap top and runs it directly, so a resident hit costs no
 *     heap operation. Heap events due at or before the stream's time fire
 *     first.
 * A sampling hook runs at every multiple of the sample interval that the
 * clock crosses, before the work due at that time, so samples see the state
 * "just before t". An optional check hook runs every N steps (tests set N=1
 * to run the invariant checkers after every event).
 *
 * The engine knows no model: models schedule events and update counters.
 * No globals; one SimEngine per simulation.
 */
#ifndef TIERSIM_SIM_ENGINE_H
#define TIERSIM_SIM_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/evq.h"

typedef struct SimEngine SimEngine;

/* Runs the stream's next item at time `now`; returns the time of the item
 * after it, or -1 when the stream is exhausted. */
typedef int64_t (*SimStreamFn)(SimEngine *eng, void *ctx, int64_t now);
typedef void (*SimSampleFn)(SimEngine *eng, void *ctx, int64_t t_ns);
typedef void (*SimCheckFn)(SimEngine *eng, void *ctx);

SimEngine *sim_engine_new(void);
void sim_engine_free(SimEngine *eng);

int64_t sim_now(const SimEngine *eng);
uint64_t sim_steps(const SimEngine *eng);

/* Schedules fn at absolute time t (clamped to now: the past cannot be
 * scheduled). Returns the event's seq. */
uint64_t sim_schedule_at(SimEngine *eng, int64_t t_ns, SimEventFn fn, void *ctx, uint64_t arg);
uint64_t sim_schedule_in(SimEngine *eng, int64_t delay_ns, SimEventFn fn, void *ctx, uint64_t arg);

/* Cancels a pending event (by the seq sim_schedule_* returned); it will
 * neither run nor move the clock. */
bool sim_cancel(SimEngine *eng, uint64_t seq);

/* The stream starts at first_ns (negative: no stream). */
void sim_set_stream(SimEngine *eng, int64_t first_ns, SimStreamFn fn, void *ctx);
void sim_set_sampler(SimEngine *eng, int64_t interval_ns, SimSampleFn fn, void *ctx);
void sim_set_check(SimEngine *eng, uint64_t every_steps, SimCheckFn fn, void *ctx);

/* Runs until the stream is exhausted and no event is due at or before
 * `until_ns` (INT64_MAX: until the queue is empty too). Returns the number of
 * steps run. */
uint64_t sim_run(SimEngine *eng, int64_t until_ns);

/* Asks the run loop to return after the current step. */
void sim_stop(SimEngine *eng);

#endif
