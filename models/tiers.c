#include "models/tiers.h"

void tiers_compute(const MachineParams *p, int *adist, int *tier)
{
    int ref = -1; /* the first DRAM node with CPUs */
    for (int n = 0; n < p->n_nodes && ref < 0; n++)
        if (p->nodes[n].kind == NODE_KIND_DRAM && p->nodes[n].n_cpus > 0)
            ref = n;
    for (int n = 0; n < p->n_nodes; n++) {
        const NodeParams *np = &p->nodes[n];
        int a;
        if (np->abstract_distance > 0) {
            a = np->abstract_distance;
        } else if (ref >= 0 && n != ref && np->bandwidth_gbps > 0 &&
                   p->nodes[ref].bandwidth_gbps > 0) {
            const NodeParams *r = &p->nodes[ref];
            double lat = (double)(np->read_latency_ns + np->write_latency_ns) /
                         (double)(r->read_latency_ns + r->write_latency_ns);
            double bw = r->bandwidth_gbps / np->bandwidth_gbps;
            a = (int)(MEMTIER_ADISTANCE_DRAM * lat * bw);
        } else if (np->kind == NODE_KIND_CXL || np->kind == NODE_KIND_PMEM) {
            a = MEMTIER_DEFAULT_DAX_ADISTANCE;
        } else {
            a = MEMTIER_ADISTANCE_DRAM;
        }
        adist[n] = a;
        tier[n] = a >> MEMTIER_CHUNK_BITS;
    }
}
