/*
 * local - the node of the CPU running reclaim, mempolicy ignored: what
 * alloc_pages_node(NUMA_NO_NODE, ...) gives (numa_mem_id() of that CPU).
 * It differs from `task` only when the reclaiming task has a non-default
 * mempolicy (KERNEL.md 3.4).
 */
#include "models/placement.h"

static void local_decide(const PlacementRequest *req, PlacementDecision *out)
{
    out->preferred = req->reclaim_cpu_node;
    out->mask = 0;
    out->strict = false;
}

const PlacementPolicy placement_local = {
    "local", "alloc_pages_node(NUMA_NO_NODE): the reclaiming CPU's node", false, local_decide};
