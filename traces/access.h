/*
 * access.h - the one stream every workload becomes.
 *
 * Generators and trace readers all yield PageAccess records in trace order.
 * time_ns is the trace's own time (from the format, from an explicit unit or
 * clock, or ordinal at a stated rate); the engine adds the simulated stalls
 * of earlier accesses on top (see sim/run.c and the README's Fidelity
 * section). Addresses are reduced to virtual page numbers by the reader,
 * using the page size it was given.
 */
#ifndef TIERSIM_TRACES_ACCESS_H
#define TIERSIM_TRACES_ACCESS_H

#include <stdint.h>

typedef enum AccessOp {
    ACCESS_READ = 0,
    ACCESS_WRITE = 1,
} AccessOp;

typedef struct PageAccess {
    int64_t time_ns; /* trace time, non-decreasing within a stream */
    uint64_t vpage;  /* virtual address >> page_shift */
    uint32_t pid;
    int32_t cpu; /* -1: the task's configured CPU */
    uint8_t op;  /* AccessOp */
} PageAccess;

#endif
