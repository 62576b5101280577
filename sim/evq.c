#include "sim/evq.h"

#include <glib.h>

static inline bool ev_before(const SimEvent *a, const SimEvent *b)
{
    return a->time_ns < b->time_ns || (a->time_ns == b->time_ns && a->seq < b->seq);
}

void evq_init(EvQueue *q)
{
    q->heap = NULL;
    q->len = 0;
    q->cap = 0;
    q->next_seq = 0;
}

void evq_clear(EvQueue *q)
{
    g_free(q->heap);
    evq_init(q);
}

uint64_t evq_push(EvQueue *q, int64_t time_ns, SimEventFn fn, void *ctx, uint64_t arg)
{
    if (q->len == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 16;
        q->heap = g_renew(SimEvent, q->heap, q->cap);
    }
    SimEvent ev = {time_ns, q->next_seq++, fn, ctx, arg};
    size_t i = q->len++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!ev_before(&ev, &q->heap[parent]))
            break;
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = ev;
    return ev.seq;
}

bool evq_pop(EvQueue *q, SimEvent *out)
{
    if (q->len == 0)
        return false;
    *out = q->heap[0];
    SimEvent last = q->heap[--q->len];
    size_t i = 0;
    size_t n = q->len;
    for (;;) {
        size_t l = 2 * i + 1;
        if (l >= n)
            break;
        size_t c = l;
        if (l + 1 < n && ev_before(&q->heap[l + 1], &q->heap[l]))
            c = l + 1;
        if (!ev_before(&q->heap[c], &last))
            break;
        q->heap[i] = q->heap[c];
        i = c;
    }
    if (n > 0)
        q->heap[i] = last;
    return true;
}

bool evq_cancel(EvQueue *q, uint64_t seq)
{
    for (size_t i = 0; i < q->len; i++)
        if (q->heap[i].seq == seq && q->heap[i].fn) {
            q->heap[i].fn = NULL;
            return true;
        }
    return false;
}
