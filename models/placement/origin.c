/*
 * origin - Linux 6.16 and later (commit 56e5a103a721, "zsmalloc: prefer the
 * original page's node for compressed data"): zswap passes
 * page_to_nid(page) to zs_malloc, which asks every page of a new zspage
 * from that node with alloc_pages_node(nid, ...), falling back along its
 * zonelist. Existing zspages with a free slot on any node are still used
 * first (zsmalloc's node-blind fullest-first choice).
 */
#include "models/placement.h"

static void origin_decide(const PlacementRequest *req, PlacementDecision *out)
{
    out->preferred = req->origin;
    out->mask = 0;
    out->strict = false;
}

const PlacementPolicy placement_origin = {
    "origin", "zs_malloc(..., page_to_nid(page)) -> alloc_pages_node(nid) (6.16+)", false,
    origin_decide};
