/*
 * placement.h - placement policies for the pages of new zspages.
 *
 * A policy answers one question: when zswap stores a page reclaimed from
 * node `origin` in the context of a reclaimer, which node the pages of a new
 * zspage are asked from, with which nodemask, and whether the allocation may
 * leave that node. Every non-strict policy then goes through the same page
 * allocator path (models/machine.c, ALLOC_NOWAIT): the low watermark along
 * the preferred node's zonelist, kswapd woken, and, because reclaimers run
 * with PF_MEMALLOC, a last walk without watermarks or nodemask. Under
 * pressure that fallback, not the policy, decides where data lands.
 *
 * Policies are const vtables registered by name in
 * models/placement/registry.c; adding one is a new file there plus one line
 * in the registry.
 */
#ifndef TIERSIM_MODELS_PLACEMENT_H
#define TIERSIM_MODELS_PLACEMENT_H

#include <stdbool.h>

#include "models/params.h"

struct Machine;
struct Task;

typedef struct PlacementRequest {
    struct Machine *m;
    int origin;           /* node of the page being stored */
    bool kswapd;          /* reclaim context: kswapd, else direct reclaim */
    int reclaim_cpu_node; /* node of the CPU running reclaim */
    struct Task *task;    /* direct reclaim: the faulting task; kswapd: NULL */
} PlacementRequest;

typedef struct PlacementDecision {
    int preferred; /* node whose zonelist the allocation walks */
    NodeMask mask; /* nodemask of the fast path (0: none) */
    bool strict;   /* only `preferred`: partitioned pool, no fallback */
} PlacementDecision;

typedef struct PlacementPolicy {
    const char *name;
    const char *kernel; /* the kernel code path it stands for */
    bool partitioned;   /* needs a per-node partitioned zsmalloc pool */
    void (*decide)(const PlacementRequest *req, PlacementDecision *out);
} PlacementPolicy;

extern const PlacementPolicy placement_task;
extern const PlacementPolicy placement_local;
extern const PlacementPolicy placement_origin;
extern const PlacementPolicy placement_strict;

/* The registered policy names, NULL-terminated, in registry order. */
const char *const *placement_policy_names(void);
bool placement_policy_exists(const char *name);
const PlacementPolicy *placement_policy_find(const char *name);

#endif
