/*
 * evq.h - the pending-event queue of the discrete-event engine.
 *
 * A binary min-heap of events ordered by (time_ns, seq). seq is assigned at
 * push time from a per-queue counter, so events due at the same nanosecond
 * fire in the order they were scheduled (as libuv orders timers by
 * (timeout, start id)). evq_cancel marks a pending event dead (O(n): it is
 * rare); the run loop drops dead events without advancing the clock.
 *
 * Cost: push and pop are O(log n) with n the number of pending events, which
 * is small (a few per node); the array grows geometrically, so steady-state
 * operation allocates nothing.
 */
#ifndef TIERSIM_SIM_EVQ_H
#define TIERSIM_SIM_EVQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct SimEngine;
typedef void (*SimEventFn)(struct SimEngine *eng, void *ctx, uint64_t arg);

typedef struct SimEvent {
    int64_t time_ns;
    uint64_t seq;
    SimEventFn fn;
    void *ctx; /* borrowed */
    uint64_t arg;
} SimEvent;

typedef struct EvQueue {
    SimEvent *heap;
    size_t len;
    size_t cap;
    uint64_t next_seq;
} EvQueue;

void evq_init(EvQueue *q);
void evq_clear(EvQueue *q);
/* Returns the seq given to the event. */
uint64_t evq_push(EvQueue *q, int64_t time_ns, SimEventFn fn, void *ctx, uint64_t arg);
/* Marks the pending event `seq` dead; false if no such event is pending. */
bool evq_cancel(EvQueue *q, uint64_t seq);
/* Removes the earliest event into *out (fn NULL: a cancelled one); false
 * when empty. */
bool evq_pop(EvQueue *q, SimEvent *out);
static inline bool evq_empty(const EvQueue *q)
{
    return q->len == 0;
}
/* Time of the earliest event; INT64_MAX when empty. */
static inline int64_t evq_peek_time(const EvQueue *q)
{
    return q->len ? q->heap[0].time_ns : INT64_MAX;
}

#endif
