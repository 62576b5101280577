#include "sim/engine.h"

#include <glib.h>

struct SimEngine {
    int64_t now_ns;
    EvQueue q;
    uint64_t steps;
    bool stop;

    int64_t stream_next_ns; /* -1: no stream item pending */
    SimStreamFn stream_fn;
    void *stream_ctx;

    int64_t sample_interval_ns; /* 0: no sampler */
    int64_t next_sample_ns;
    SimSampleFn sample_fn;
    void *sample_ctx;

    uint64_t check_every;
    uint64_t check_countdown;
    SimCheckFn check_fn;
    void *check_ctx;
};

SimEngine *sim_engine_new(void)
{
    SimEngine *eng = g_new0(SimEngine, 1);
    evq_init(&eng->q);
    eng->stream_next_ns = -1;
    return eng;
}

void sim_engine_free(SimEngine *eng)
{
    if (!eng)
        return;
    evq_clear(&eng->q);
    g_free(eng);
}

int64_t sim_now(const SimEngine *eng)
{
    return eng->now_ns;
}

uint64_t sim_steps(const SimEngine *eng)
{
    return eng->steps;
}

uint64_t sim_schedule_at(SimEngine *eng, int64_t t_ns, SimEventFn fn, void *ctx, uint64_t arg)
{
    if (t_ns < eng->now_ns)
        t_ns = eng->now_ns;
    return evq_push(&eng->q, t_ns, fn, ctx, arg);
}

uint64_t sim_schedule_in(SimEngine *eng, int64_t delay_ns, SimEventFn fn, void *ctx, uint64_t arg)
{
    g_assert(delay_ns >= 0);
    return evq_push(&eng->q, eng->now_ns + delay_ns, fn, ctx, arg);
}

bool sim_cancel(SimEngine *eng, uint64_t seq)
{
    return evq_cancel(&eng->q, seq);
}

void sim_set_stream(SimEngine *eng, int64_t first_ns, SimStreamFn fn, void *ctx)
{
    eng->stream_next_ns = first_ns;
    eng->stream_fn = fn;
    eng->stream_ctx = ctx;
}

void sim_set_sampler(SimEngine *eng, int64_t interval_ns, SimSampleFn fn, void *ctx)
{
    g_assert(interval_ns > 0);
    eng->sample_interval_ns = interval_ns;
    eng->next_sample_ns = eng->now_ns;
    eng->sample_fn = fn;
    eng->sample_ctx = ctx;
}

void sim_set_check(SimEngine *eng, uint64_t every_steps, SimCheckFn fn, void *ctx)
{
    eng->check_every = every_steps;
    eng->check_countdown = every_steps;
    eng->check_fn = fn;
    eng->check_ctx = ctx;
}

void sim_stop(SimEngine *eng)
{
    eng->stop = true;
}

static inline void advance_to(SimEngine *eng, int64_t t)
{
    if (t < eng->now_ns)
        t = eng->now_ns; /* a stream item may lag the clock; it runs "now" */
    while (eng->sample_fn && eng->next_sample_ns <= t) {
        eng->sample_fn(eng, eng->sample_ctx, eng->next_sample_ns);
        eng->next_sample_ns += eng->sample_interval_ns;
    }
    eng->now_ns = t;
}

uint64_t sim_run(SimEngine *eng, int64_t until_ns)
{
    uint64_t start_steps = eng->steps;
    eng->stop = false;
    while (!eng->stop) {
        int64_t ev_t = evq_peek_time(&eng->q);
        int64_t st_t = eng->stream_next_ns;
        if (st_t >= 0 && st_t < ev_t) {
            advance_to(eng, st_t);
            eng->stream_next_ns = eng->stream_fn(eng, eng->stream_ctx, eng->now_ns);
        } else if (ev_t != INT64_MAX && (st_t >= 0 || ev_t <= until_ns)) {
            SimEvent ev;
            evq_pop(&eng->q, &ev);
            if (!ev.fn)
                continue; /* cancelled: no step, no time */
            advance_to(eng, ev.time_ns);
            ev.fn(eng, ev.ctx, ev.arg);
        } else {
            break;
        }
        eng->steps++;
        if (eng->check_fn && --eng->check_countdown == 0) {
            eng->check_countdown = eng->check_every;
            eng->check_fn(eng, eng->check_ctx);
        }
    }
    return eng->steps - start_steps;
}
