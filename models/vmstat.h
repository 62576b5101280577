/*
 * vmstat.h - counters with the kernel's names.
 *
 * Event counters (VM_*) mirror /proc/vmstat names and are kept per node: the
 * node where the event happened (the node scanned, the node allocated on,
 * the node whose page was swapped out). Machine totals are sums over nodes.
 * State items (nr_free_pages, nr_zspages, ...) are not counted here: they are
 * read from the models when a vmstat file is written.
 *
 * TS_* items are tiersim's own per-node counters (no kernel equivalent);
 * they appear in summary.json, never in the vmstat files.
 */
#ifndef TIERSIM_MODELS_VMSTAT_H
#define TIERSIM_MODELS_VMSTAT_H

#include <stdint.h>

#define VMSTAT_EVENTS(X)                                                                           \
    X(PGALLOC_NORMAL, "pgalloc_normal")                                                            \
    X(PGALLOC_MOVABLE, "pgalloc_movable")                                                          \
    X(PGFREE, "pgfree")                                                                            \
    X(PGACTIVATE, "pgactivate")                                                                    \
    X(PGDEACTIVATE, "pgdeactivate")                                                                \
    X(PGFAULT, "pgfault")                                                                          \
    X(PGMAJFAULT, "pgmajfault")                                                                    \
    X(PGREFILL, "pgrefill")                                                                        \
    X(PGSTEAL_KSWAPD, "pgsteal_kswapd")                                                            \
    X(PGSTEAL_DIRECT, "pgsteal_direct")                                                            \
    X(PGDEMOTE_KSWAPD, "pgdemote_kswapd")                                                          \
    X(PGDEMOTE_DIRECT, "pgdemote_direct")                                                          \
    X(PGSCAN_KSWAPD, "pgscan_kswapd")                                                              \
    X(PGSCAN_DIRECT, "pgscan_direct")                                                              \
    X(PGSCAN_ANON, "pgscan_anon")                                                                  \
    X(PGSTEAL_ANON, "pgsteal_anon")                                                                \
    X(PSWPIN, "pswpin")                                                                            \
    X(PSWPOUT, "pswpout")                                                                          \
    X(SWPIN_ZERO, "swpin_zero")                                                                    \
    X(SWPOUT_ZERO, "swpout_zero")                                                                  \
    X(ZSWPIN, "zswpin")                                                                            \
    X(ZSWPOUT, "zswpout")                                                                          \
    X(ZSWPWB, "zswpwb")                                                                            \
    X(WORKINGSET_REFAULT_ANON, "workingset_refault_anon")                                          \
    X(WORKINGSET_ACTIVATE_ANON, "workingset_activate_anon")                                        \
    X(ALLOCSTALL_NORMAL, "allocstall_normal")                                                      \
    X(ALLOCSTALL_MOVABLE, "allocstall_movable")                                                    \
    X(PGPROMOTE_SUCCESS, "pgpromote_success")                                                      \
    X(PGPROMOTE_CANDIDATE, "pgpromote_candidate")                                                  \
    X(PGDEMOTE_FAIL, "pgdemote_fail")                                                              \
    X(NUMA_HIT, "numa_hit")                                                                        \
    X(NUMA_MISS, "numa_miss")                                                                      \
    X(NUMA_FOREIGN, "numa_foreign")                                                                \
    X(NUMA_LOCAL, "numa_local")                                                                    \
    X(NUMA_OTHER, "numa_other")                                                                    \
    X(NUMA_HINT_FAULTS, "numa_hint_faults")                                                        \
    X(NUMA_PAGES_MIGRATED, "numa_pages_migrated")                                                  \
    X(PAGEOUTRUN, "pageoutrun")                                                                    \
    X(OOM_KILL, "oom_kill")

#define TS_COUNTERS(X)                                                                             \
    X(KSWAPD_WAKEUPS, "kswapd_wakeups")                                                            \
    X(KSWAPD_BATCHES, "kswapd_batches")                                                            \
    X(KSWAPD_GAVE_UP, "kswapd_gave_up")                                                            \
    X(DIRECT_RECLAIM_ENTRIES, "direct_reclaim_entries")                                            \
    X(DIRECT_RECLAIM_STALL_NS, "direct_reclaim_stall_ns")                                          \
    X(ACCESSES, "accesses")                                                                        \
    X(ACCESS_READS, "access_reads")                                                                \
    X(ACCESS_WRITES, "access_writes")                                                              \
    X(ACCESS_LATENCY_NS, "access_latency_ns_total")                                                \
    X(FIRST_TOUCH_FAULTS, "first_touch_faults")                                                    \
    X(SWAP_FULL_ACTIVATIONS, "swap_full_activations")                                              \
    X(KSWAPD_WAKEUPS_ZS_CROSS, "kswapd_wakeups_by_cross_node_zspages")                             \
    X(PGSCAN_ZS_CROSS, "pgscan_by_cross_node_zspages")                                             \
    X(DIRECT_RECLAIM_ZS_CROSS, "direct_reclaim_entries_by_cross_node_zspages")                     \
    X(ZS_PAGES_ALLOCATED, "zspages_allocated")                                                     \
    X(ZS_PAGES_ALLOCATED_CROSS, "zspages_allocated_cross_node")

#define VM_ENUM(id, name) VM_##id,
typedef enum VmItem { VMSTAT_EVENTS(VM_ENUM) VM_NR_ITEMS } VmItem;
#undef VM_ENUM
#define TS_ENUM(id, name) TS_##id,
typedef enum TsItem { TS_COUNTERS(TS_ENUM) TS_NR_ITEMS } TsItem;
#undef TS_ENUM

const char *vmstat_name(VmItem item);
const char *ts_counter_name(TsItem item);

#endif
