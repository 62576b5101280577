/*
 * source.h - a pull interface over any access stream.
 *
 * A TraceSource yields PageAccess records in batches, so that decoders can
 * run tight loops and the engine pays one indirect call per batch, not per
 * record. Generators and every trace reader implement it.
 *
 * Contract of read(): fills up to cap records and returns how many (> 0);
 * returns 0 at the end of the stream; returns -1 and sets *error (message
 * naming file:line and what was expected) on malformed input. After 0 or -1
 * it is not called again.
 */
#ifndef TIERSIM_TRACES_SOURCE_H
#define TIERSIM_TRACES_SOURCE_H

#include <glib.h>

#include "traces/access.h"

typedef struct TraceSource TraceSource;

typedef struct TraceSourceOps {
    const char *name;
    gssize (*read)(TraceSource *src, PageAccess *buf, gsize cap, GError **error);
    void (*free)(TraceSource *src);
} TraceSourceOps;

struct TraceSource {
    const TraceSourceOps *ops;
};

static inline gssize trace_source_read(TraceSource *src, PageAccess *buf, gsize cap, GError **error)
{
    return src->ops->read(src, buf, cap, error);
}

static inline void trace_source_free(TraceSource *src)
{
    if (src)
        src->ops->free(src);
}

#endif
