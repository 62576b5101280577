/*
 * machine_impl.h - the machine's private state, shared by the files that
 * implement it (machine.c: setup, allocation, access path; reclaim.c: LRU,
 * kswapd, direct reclaim, swap-out). Not for use outside models/.
 */
#ifndef TIERSIM_MODELS_MACHINE_IMPL_H
#define TIERSIM_MODELS_MACHINE_IMPL_H

#include "models/compress.h"
#include "models/lathist.h"
#include "models/lru.h"
#include "models/machine.h"
#include "models/pagetable.h"
#include "sim/rng.h"

#define SWAP_CLUSTER_MAX    32
#define DEF_PRIORITY        12
#define MAX_RECLAIM_RETRIES 16
/* Shadow entries keep the eviction node and the low bits of its age. */
#define SHADOW_AGE_BITS 26
#define SHADOW_AGE_MASK ((1u << SHADOW_AGE_BITS) - 1)

typedef struct NodeState {
    int id;
    const NodeParams *p; /* into Machine.params */
    uint64_t capacity_pages;
    uint64_t free_pages;
    uint64_t zs_pages; /* pages holding zsmalloc data */
    Watermarks wm;
    int zonelist[TS_MAX_NODES];
    int zonelist_len;
    int kswapd_cpu_node; /* node whose CPU runs this node's kswapd */
    int kswapd_cpu;
    LruList inactive, active;
    uint64_t nonresident_age;

    /* kswapd */
    bool kswapd_running;
    int kswapd_failures;
    int kswapd_priority;
    uint64_t kswapd_pass_target;
    uint64_t kswapd_pass_scanned;
    uint64_t kswapd_pass_reclaimed;
    uint64_t kswapd_run_reclaimed;
    bool kswapd_run_pending; /* woken; the run starts at the next event */
    bool kswapd_run_cross;   /* the node would have been balanced without other nodes' zspages */

    /* bandwidth: utilisation of the last window sets this window's queueing */
    double bw_bytes_per_ns; /* 0: unlimited */
    int64_t bw_window_start_ns;
    uint64_t bw_window_bytes;
    int64_t bw_delay_permille; /* queueing delay in 1/1000 of the idle latency */

    uint64_t vm[VM_NR_ITEMS];
    uint64_t ts[TS_NR_ITEMS];
} NodeState;

typedef struct Region {
    uint64_t first, end; /* vpages [first, end) */
    Mempolicy policy;
} Region;

typedef struct Task {
    uint32_t pid;
    int cpu;
    Mempolicy policy;
    int il_prev;     /* interleave cursor for allocations without a VMA index */
    GArray *regions; /* Region, sorted by first; NULL when none */
} Task;

/* Who is reclaiming, for placement decisions and cost accounting. */
typedef struct ReclaimCtx {
    bool kswapd;
    int cpu;          /* CPU the reclaimer runs on */
    const Task *task; /* direct reclaim: the faulting task; kswapd: NULL */
    int64_t cost_ns;  /* simulated time the reclaim took */
    uint64_t nr_scanned;
    uint64_t nr_reclaimed;
} ReclaimCtx;

/* How an allocation may behave (a subset of gfp and alloc flags). */
typedef enum AllocMode {
    ALLOC_USER,      /* GFP_HIGHUSER_MOVABLE: may wake kswapd and reclaim directly */
    ALLOC_NOWAIT,    /* reclaimer context with PF_MEMALLOC: no direct reclaim, reserves */
    ALLOC_THISNODE,  /* only the preferred node, reclaimer's reserves (strict) */
    ALLOC_NORESERVE, /* GFP_NOWAIT | __GFP_NOMEMALLOC (demotion targets): low, then min */
} AllocMode;

struct Machine {
    MachineParams params;
    SimEngine *eng; /* borrowed */
    uint32_t page_size;
    int n_nodes;
    NodeState nodes[TS_MAX_NODES];
    int cpu_node[TS_MAX_CPUS]; /* -1: no such CPU */
    int first_cpu;
    bool has_movable; /* some node is ZONE_MOVABLE: stalls count as allocstall_movable */
    uint64_t min_free_kbytes;

    PageTable pt;
    GHashTable *tasks;    /* pid -> Task*, for lookup only (never iterated) */
    GPtrArray *task_list; /* owns the Tasks, in creation order */
    Task *last_task;

    uint64_t swap_capacity_pages;
    uint64_t swap_used_pages; /* slots held by pages on the device and in zswap */

    CompressModelState compress;
    SimRng rng;

    /* memory tiers and demotion (tiering.c) */
    int adist[TS_MAX_NODES];
    int tier[TS_MAX_NODES];
    bool top_tier[TS_MAX_NODES];
    NodeMask demotion_preferred[TS_MAX_NODES]; /* next lower tier, nearest nodes */
    NodeMask demotion_allowed[TS_MAX_NODES];   /* every slower tier */
    /* NUMA balancing */
    uint32_t nb_cursor;     /* next page id the scanner looks at */
    uint64_t nb_scan_event; /* seq of the pending scanner event */
    bool nb_scan_pending;
    int64_t nb_hot_threshold_ms[TS_MAX_NODES];
    int64_t nb_window_start_ms[TS_MAX_NODES];
    uint64_t nb_window_candidates[TS_MAX_NODES];
    int64_t nb_period_start_ms[TS_MAX_NODES];
    uint64_t nb_period_candidates[TS_MAX_NODES];

    struct Zswap *zswap; /* NULL when zswap is disabled */

    LatHist lat;
    int64_t total_stall_ns;
    bool oom;
};

/* machine.c */
/* The (n mod popcount)-th node of a non-empty mask. */
int nodemask_nth(NodeMask mask, uint64_t n);
Task *machine_task(Machine *m, uint32_t pid, int cpu_hint);
void machine_resolve_policy(Machine *m, const Mempolicy *pol, int local_nid, uint64_t ilx,
                            bool have_ilx, Task *task, int *preferred, NodeMask *mask);
int machine_alloc_page(Machine *m, int preferred, NodeMask mask, int local_nid, AllocMode mode,
                       ReclaimCtx *direct);
void machine_free_page(Machine *m, int nid);
void node_count(Machine *m, int nid, VmItem item, uint64_t n);

/* tiering.c */
void tiering_init(Machine *m);
void tiering_start(Machine *m); /* schedules the NUMA-balancing scanner */
void tiering_stop(Machine *m);  /* cancels its pending event */
/* Demotes an isolated, unreferenced page of nd; false when the target
 * cannot take it (the caller swaps it out instead). The source page is not
 * freed here: the caller frees it with its batch, as page_out's. */
bool tiering_demote(Machine *m, NodeState *nd, uint32_t id, ReclaimCtx *rc);
/* A hint fault on a page armed by the scanner; returns its extra cost. */
int64_t tiering_hint_fault(Machine *m, uint32_t id, int cpu_node);

/* Pages on node nid holding zswap data of other nodes (0 without zswap). */
uint64_t machine_cross_zs_pages(const Machine *m, int nid);

/* reclaim.c */
void lru_add_page(Machine *m, int nid, uint32_t id, bool active);
/* The resident page leaves its node's list from the middle (migration). */
void lru_forget(Machine *m, int nid, uint32_t id);
void kswapd_wake(Machine *m, int nid);
bool node_balanced(const Machine *m, int nid);
uint64_t direct_reclaim(Machine *m, const int *zonelist, int n, NodeMask mask, ReclaimCtx *rc);
bool reclaim_check(Machine *m, GError **error);

#endif
