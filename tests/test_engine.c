/* Tests of the engine: event order, ties, stream, sampling, RNG. */
#include <glib.h>

#include "sim/engine.h"
#include "sim/rng.h"

typedef struct {
    GArray *log;
} Rec;

static void rec_event(SimEngine *eng, void *ctx, uint64_t arg)
{
    Rec *r = ctx;
    uint64_t v = arg;
    g_array_append_val(r->log, v);
}

static void test_ties_fire_in_insertion_order(void)
{
    SimEngine *eng = sim_engine_new();
    Rec r = {g_array_new(FALSE, FALSE, sizeof(uint64_t))};
    sim_schedule_at(eng, 100, rec_event, &r, 1);
    sim_schedule_at(eng, 50, rec_event, &r, 2);
    sim_schedule_at(eng, 100, rec_event, &r, 3);
    sim_schedule_at(eng, 100, rec_event, &r, 4);
    sim_schedule_at(eng, 50, rec_event, &r, 5);
    sim_run(eng, INT64_MAX);
    uint64_t want[] = {2, 5, 1, 3, 4};
    g_assert_cmpuint(r.log->len, ==, 5);
    for (guint i = 0; i < 5; i++)
        g_assert_cmpuint(g_array_index(r.log, uint64_t, i), ==, want[i]);
    g_assert_cmpint(sim_now(eng), ==, 100);
    g_array_free(r.log, TRUE);
    sim_engine_free(eng);
}

static void test_many_events_sorted(void)
{
    SimEngine *eng = sim_engine_new();
    Rec r = {g_array_new(FALSE, FALSE, sizeof(uint64_t))};
    SimRng rng;
    rng_init(&rng, 7, 1);
    for (uint64_t i = 0; i < 5000; i++) {
        int64_t t = (int64_t)rng_below(&rng, 300);
        sim_schedule_at(eng, t, rec_event, &r, ((uint64_t)t << 32) | i);
    }
    sim_run(eng, INT64_MAX);
    g_assert_cmpuint(r.log->len, ==, 5000);
    for (guint i = 1; i < r.log->len; i++)
        g_assert_cmpuint(g_array_index(r.log, uint64_t, i - 1), <,
                         g_array_index(r.log, uint64_t, i));
    g_array_free(r.log, TRUE);
    sim_engine_free(eng);
}

typedef struct {
    int n;
    GArray *log;
} StreamCtx;

static int64_t stream_fn(SimEngine *eng, void *ctx, int64_t now)
{
    StreamCtx *s = ctx;
    uint64_t v = 1000 + (uint64_t)now;
    g_array_append_val(s->log, v);
    if (++s->n == 3)
        return -1;
    return now + 10;
}

static void test_stream_and_events_interleave(void)
{
    SimEngine *eng = sim_engine_new();
    StreamCtx s = {0, g_array_new(FALSE, FALSE, sizeof(uint64_t))};
    Rec r = {s.log};
    sim_set_stream(eng, 0, stream_fn, &s);
    sim_schedule_at(eng, 10, rec_event, &r, 7); /* due with the stream: fires first */
    sim_schedule_at(eng, 15, rec_event, &r, 8);
    sim_run(eng, INT64_MAX);
    uint64_t want[] = {1000, 7, 1010, 8, 1020};
    g_assert_cmpuint(s.log->len, ==, 5);
    for (guint i = 0; i < 5; i++)
        g_assert_cmpuint(g_array_index(s.log, uint64_t, i), ==, want[i]);
    g_array_free(s.log, TRUE);
    sim_engine_free(eng);
}

static void sample_fn(SimEngine *eng, void *ctx, int64_t t)
{
    GArray *a = ctx;
    g_array_append_val(a, t);
}

static void test_sampler_crosses_intervals(void)
{
    SimEngine *eng = sim_engine_new();
    GArray *samples = g_array_new(FALSE, FALSE, sizeof(int64_t));
    Rec r = {g_array_new(FALSE, FALSE, sizeof(uint64_t))};
    sim_set_sampler(eng, 10, sample_fn, samples);
    sim_schedule_at(eng, 35, rec_event, &r, 1);
    sim_run(eng, INT64_MAX);
    g_assert_cmpuint(samples->len, ==, 4); /* 0, 10, 20, 30 */
    g_assert_cmpint(g_array_index(samples, int64_t, 3), ==, 30);
    g_array_free(samples, TRUE);
    g_array_free(r.log, TRUE);
    sim_engine_free(eng);
}

static void test_run_until_leaves_later_events(void)
{
    SimEngine *eng = sim_engine_new();
    Rec r = {g_array_new(FALSE, FALSE, sizeof(uint64_t))};
    sim_schedule_at(eng, 10, rec_event, &r, 1);
    sim_schedule_at(eng, 30, rec_event, &r, 2);
    sim_run(eng, 20);
    g_assert_cmpuint(r.log->len, ==, 1);
    sim_run(eng, INT64_MAX);
    g_assert_cmpuint(r.log->len, ==, 2);
    g_array_free(r.log, TRUE);
    sim_engine_free(eng);
}

static void test_cancel_neither_runs_nor_moves_clock(void)
{
    SimEngine *eng = sim_engine_new();
    Rec r = {g_array_new(FALSE, FALSE, sizeof(uint64_t))};
    sim_schedule_at(eng, 10, rec_event, &r, 1);
    uint64_t late = sim_schedule_at(eng, 1000, rec_event, &r, 2);
    g_assert_true(sim_cancel(eng, late));
    g_assert_false(sim_cancel(eng, late)); /* already dead */
    sim_run(eng, INT64_MAX);
    g_assert_cmpuint(r.log->len, ==, 1);
    g_assert_cmpint(sim_now(eng), ==, 10);
    g_array_free(r.log, TRUE);
    sim_engine_free(eng);
}

static void test_rng_streams_deterministic_and_distinct(void)
{
    SimRng a, b, c;
    rng_init(&a, 42, 1);
    rng_init(&b, 42, 1);
    rng_init(&c, 42, 2);
    int same_c = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = rng_next(&a);
        g_assert_cmpuint(x, ==, rng_next(&b));
        same_c += x == rng_next(&c);
    }
    g_assert_cmpint(same_c, ==, 0);
    /* rng_below stays in range and reaches both ends */
    gboolean lo = FALSE, hi = FALSE;
    for (int i = 0; i < 10000; i++) {
        uint64_t v = rng_below(&a, 7);
        g_assert_cmpuint(v, <, 7);
        lo |= v == 0;
        hi |= v == 6;
    }
    g_assert_true(lo && hi);
    double d = rng_double(&a);
    g_assert_true(d >= 0.0 && d < 1.0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/engine/evq/ties-fire-in-insertion-order", test_ties_fire_in_insertion_order);
    g_test_add_func("/engine/evq/many-events-sorted", test_many_events_sorted);
    g_test_add_func("/engine/run/stream-and-events-interleave", test_stream_and_events_interleave);
    g_test_add_func("/engine/run/sampler-crosses-intervals", test_sampler_crosses_intervals);
    g_test_add_func("/engine/run/until-leaves-later-events", test_run_until_leaves_later_events);
    g_test_add_func("/engine/evq/cancel-neither-runs-nor-moves-clock",
                    test_cancel_neither_runs_nor_moves_clock);
    g_test_add_func("/engine/rng/streams-deterministic-and-distinct",
                    test_rng_streams_deterministic_and_distinct);
    return g_test_run();
}
