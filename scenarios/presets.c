/*
 * presets.c - the preset table and its arithmetic.
 *
 * Figures and where they come from (see KERNEL.md section 5):
 *   cxl-asic  CXL-DMSim (arXiv 2411.02282) validated against a real ASIC
 *             CXL expander: latency 2.18x local DDR, bandwidth 82-83 %.
 *   cxl-fpga  the same paper's FPGA device: latency 2.88x, bandwidth
 *             45-69 % of local DDR; 0.57 is the midpoint.
 *   cxl-pond  Pond (Li et al., ASPLOS '23): a CXL pool adds 70-90 ns over
 *             local DRAM; +80 ns is the midpoint; bandwidth not given, so
 *             the reference's is kept.
 *   dram      local DRAM at the simulator's default 90 ns.
 */
#include "scenarios/presets.h"

#include <glib.h>
#include <math.h>
#include <string.h>

static const NodePreset presets[] = {
    {"dram", NODE_KIND_DRAM, false, 0, 0, 0, 90, "local DRAM, 90 ns read and write",
     "tiersim default DRAM latency (KERNEL.md 5: local DRAM idle latency ~80-110 ns)"},
    {"cxl-asic", NODE_KIND_CXL, true, 2.18, 0, 0.82, 0,
     "ASIC CXL memory expander: 2.18x the reference DRAM latency, 0.82x its bandwidth",
     "CXL-DMSim, arXiv 2411.02282 (TCAD 2025), ASIC device: 2.18x latency, 82-83% bandwidth"},
    {"cxl-fpga", NODE_KIND_CXL, true, 2.88, 0, 0.57, 0,
     "FPGA CXL memory expander: 2.88x the reference DRAM latency, 0.57x its bandwidth",
     "CXL-DMSim, arXiv 2411.02282 (TCAD 2025), FPGA device: 2.88x latency, 45-69% bandwidth "
     "(midpoint 57%)"},
    {"cxl-pond", NODE_KIND_CXL, true, 1.0, 80, 1.0, 0,
     "CXL memory pool: reference DRAM latency + 80 ns, bandwidth unchanged",
     "Pond, Li et al., ASPLOS '23: +70-90 ns over local DRAM (midpoint 80 ns)"},
};

const NodePreset *node_presets(int *n)
{
    *n = (int)G_N_ELEMENTS(presets);
    return presets;
}

const NodePreset *node_preset_find(const char *name)
{
    for (gsize i = 0; i < G_N_ELEMENTS(presets); i++)
        if (!strcmp(presets[i].name, name))
            return &presets[i];
    return NULL;
}

uint32_t node_preset_latency(const NodePreset *p, uint32_t ref_ns)
{
    if (!p->relative)
        return p->latency_ns;
    double v = round((double)ref_ns * p->latency_factor + (double)p->latency_add_ns);
    if (v < 1)
        return 1;
    return v >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

double node_preset_bandwidth(const NodePreset *p, double ref_gbps)
{
    if (!p->relative)
        return 0;
    return ref_gbps * p->bandwidth_factor;
}
