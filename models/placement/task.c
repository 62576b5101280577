/*
 * task - Linux before 6.16: zsmalloc took its pages with alloc_page(), so
 * they followed the memory policy of whichever task ran reclaim
 * (get_task_policy(current), KERNEL.md 3.4 and 4.10). kswapd has the default
 * policy on the CPU it runs on (for a CPU-less node: a CPU of the nearest
 * node with CPUs); a direct reclaimer has the faulting task's policy: bind
 * gives the local node's zonelist filtered by the mask, preferred its node,
 * interleave the task's round-robin cursor (no VMA index in this context).
 */
#include "models/machine_impl.h"
#include "models/placement.h"

static void task_decide(const PlacementRequest *req, PlacementDecision *out)
{
    out->strict = false;
    if (req->kswapd || !req->task) {
        out->preferred = req->reclaim_cpu_node;
        out->mask = 0;
        return;
    }
    Task *t = req->task;
    machine_resolve_policy(req->m, &t->policy, req->reclaim_cpu_node, 0, false, t, &out->preferred,
                           &out->mask);
}

const PlacementPolicy placement_task = {
    "task", "zs_malloc -> alloc_page(gfp): the reclaiming task's mempolicy (before 6.16)", false,
    task_decide};
