/*
 * machine.h - the simulated NUMA machine: nodes, page allocation, LRU,
 * kswapd, direct reclaim, swap, and the access path that charges costs.
 *
 * Kernel behaviour followed (KERNEL.md 4.1-4.5, 4.10; Linux 6.x):
 *   - per-node watermarks from min_free_kbytes and watermark_scale_factor;
 *   - first-touch and swap-in allocation by the region's mempolicy (mbind)
 *     or else the faulting task's (default/local, bind, preferred,
 *     interleave), along the zonelist of the preferred node (build_zonelists
 *     order); fast path at the low watermark, slow path wakes kswapd on
 *     nodes that are not balanced, retries at min, then reclaims directly;
 *   - per-node anon LRU (inactive, active) with a referenced bit; new pages
 *     start inactive; reclaim scans the inactive tail, activating referenced
 *     pages and reclaiming the rest; the active list is aged when
 *     inactive_is_low (int_sqrt(10 * GiB) ratio);
 *   - kswapd per node as events in simulated time: woken below low, reclaims
 *     SWAP_CLUSTER_MAX pages per batch at falling priority until the node is
 *     balanced (high, or promo under tiering), gives up after 16 runs
 *     without progress; a CPU-less node's kswapd runs on the nearest node
 *     with CPUs;
 *   - direct reclaim below min: synchronous, 32 pages over the allocation's
 *     zonelist, its time charged to the faulting access;
 *   - a swap device with capacity and latencies; workingset shadows and
 *     refault activation.
 * Departures are listed in the README's Fidelity section.
 *
 * Invariants (machine_check): every touched page is in exactly one place;
 * per node free + anon + zsmalloc pages = capacity; LRU list sizes match the
 * pages on them; swap slots used = pages on swap.
 *
 * Cost: a resident hit is a page-table lookup and a few stores, O(1) with
 * no allocation; faults and reclaim are O(pages scanned).
 */
#ifndef TIERSIM_MODELS_MACHINE_H
#define TIERSIM_MODELS_MACHINE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/params.h"
#include "models/vmstat.h"
#include "models/watermark.h"
#include "sim/engine.h"
#include "traces/access.h"

typedef struct Machine Machine;

/* params are copied; eng is borrowed and must outlive the machine. The
 * machine schedules events on eng that point at it: free the engine (or
 * drain it after machine_stop_background) before the machine. */
Machine *machine_new(const MachineParams *params, SimEngine *eng, GError **error);
void machine_free(Machine *m);

/* Serves one access at the engine's current time; returns its service time
 * (the stall the task sees), including faults, reclaim and swap I/O. */
int64_t machine_access(Machine *m, const PageAccess *a);

/* mbind: pages of pid in [first_vpage, first_vpage + n_pages) are allocated
 * by `policy` instead of the task's policy. */
void machine_mbind(Machine *m, uint32_t pid, uint64_t first_vpage, uint64_t n_pages,
                   const Mempolicy *policy);

/* The workload has ended: periodic background work (the NUMA-balancing
 * scanner) stops rescheduling itself, so the engine can drain. Work already
 * under way (kswapd runs, the zswap worker) finishes. */
void machine_stop_background(Machine *m);

/* True once the simulated machine ran out of memory (oom_kill counted). */
bool machine_oom(const Machine *m);

/* The machine's zswap, NULL when disabled (borrowed). */
struct Zswap *machine_zswap(Machine *m);

/* Full invariant check of every model the machine owns. */
gboolean machine_check(Machine *m, GError **error);

/* Read-only views for outputs and tests. */
const MachineParams *machine_params(const Machine *m);
int machine_n_nodes(const Machine *m);
uint32_t machine_page_size(const Machine *m);
uint64_t machine_min_free_kbytes(const Machine *m);
const Watermarks *machine_node_wmarks(const Machine *m, int nid);
uint64_t machine_node_capacity_pages(const Machine *m, int nid);
uint64_t machine_node_free_pages(const Machine *m, int nid);
uint64_t machine_node_inactive_anon(const Machine *m, int nid);
uint64_t machine_node_active_anon(const Machine *m, int nid);
uint64_t machine_node_zspages(const Machine *m, int nid);
uint64_t machine_node_vm(const Machine *m, int nid, VmItem item);
uint64_t machine_node_ts(const Machine *m, int nid, TsItem item);
uint64_t machine_vm_total(const Machine *m, VmItem item);
uint64_t machine_ts_total(const Machine *m, TsItem item);
/* The node order allocations from nid fall back along. */
int machine_zonelist(const Machine *m, int nid, int *order);
int machine_cpu_node(const Machine *m, int cpu);
int machine_kswapd_cpu_node(const Machine *m, int nid);
bool machine_kswapd_running(const Machine *m, int nid);
int machine_kswapd_failures(const Machine *m, int nid);
uint64_t machine_swap_used_pages(const Machine *m);
uint64_t machine_pages_touched(const Machine *m);
/* Where page (pid, vpage) is: a node id, PAGE_LOC_ZSWAP, PAGE_LOC_SWAP, or
 * -1 if never touched. */
int machine_page_location(Machine *m, uint32_t pid, uint64_t vpage);
/* Simulator memory per touched page (bytes), for the benchmark. */
double machine_bytes_per_page(const Machine *m);

/* Access latency distribution (service times of all accesses). */
uint64_t machine_latency_count(const Machine *m);
double machine_latency_mean_ns(const Machine *m);
int64_t machine_latency_percentile_ns(const Machine *m, double pct);
int64_t machine_total_stall_ns(const Machine *m);
struct LatHist;
const struct LatHist *machine_latency_hist(const Machine *m);

#endif
