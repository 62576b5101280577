/*
 * strict - not upstream: zsmalloc partitioned by node (per-node class
 * lists), each page of a new zspage taken from the origin node only
 * (__GFP_THISNODE semantics). When the origin node cannot provide a page the
 * store is rejected and the page goes to the swap device, unless
 * placement_options.strict_fallback lets it fall back (counted). This is the
 * design upstream declined without measurements (KERNEL.md 3.2, 1.13).
 */
#include "models/placement.h"

static void strict_decide(const PlacementRequest *req, PlacementDecision *out)
{
    out->preferred = req->origin;
    out->mask = 0;
    out->strict = true;
}

const PlacementPolicy placement_strict = {
    "strict", "none upstream: per-node partitioned zsmalloc, __GFP_THISNODE", true, strict_decide};
