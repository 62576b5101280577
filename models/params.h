/*
 * params.h - the plain parameter structs of the simulated machine.
 *
 * Glossary
 *   node        a NUMA node: capacity, CPUs (possibly none), latencies,
 *               bandwidth, one zone (NORMAL or MOVABLE).
 *   page        an order-0 page of page_size bytes; the unit of everything.
 *   mempolicy   a task's or a region's memory policy (numactl names).
 *   placement   the policy that picks the node for the pages of new zspages.
 *
 * These structs are filled by the scenario loader (scenarios/) or by tests,
 * and read by the models. They hold values with units in their names; every
 * field has the default its comment gives (the kernel's where it has one),
 * set by machine_params_init_defaults().
 */
#ifndef TIERSIM_MODELS_PARAMS_H
#define TIERSIM_MODELS_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

#define TS_MAX_NODES 64
#define TS_MAX_CPUS  1024
#define TS_NO_NODE   (-1)

typedef uint64_t NodeMask; /* bit n = node n */

typedef enum NodeKind {
    NODE_KIND_DRAM,
    NODE_KIND_CXL,
    NODE_KIND_PMEM,
    NODE_KIND_HBM,
} NodeKind;

typedef enum ZoneType {
    ZONE_TYPE_NORMAL,
    ZONE_TYPE_MOVABLE, /* how dax/kmem onlines CXL memory; changes the min watermark */
} ZoneType;

typedef enum MempolicyMode {
    MPOL_MODE_DEFAULT, /* local: the node of the CPU the task runs on */
    MPOL_MODE_BIND,
    MPOL_MODE_PREFERRED,
    MPOL_MODE_INTERLEAVE,
} MempolicyMode;

typedef struct Mempolicy {
    MempolicyMode mode;
    NodeMask nodes; /* empty for default; one node for preferred */
} Mempolicy;

typedef struct NodeParams {
    int id;
    NodeKind kind;
    ZoneType zone;
    uint64_t capacity_bytes;
    int n_cpus;
    int *cpus;                 /* owned; n_cpus entries */
    uint32_t read_latency_ns;  /* default: 90 for dram, 250 for cxl (see README) */
    uint32_t write_latency_ns; /* default: read_latency_ns */
    double bandwidth_gbps;     /* 0: unlimited (no queueing) */
    int abstract_distance;     /* -1: derive as memory-tiers.c does */
    char *preset;              /* owned; NULL or the preset name that filled defaults */
} NodeParams;

typedef struct SwapParams {
    uint64_t capacity_bytes;  /* default 8 GiB; 0 = no swap device */
    int64_t read_latency_ns;  /* default 80 us */
    int64_t write_latency_ns; /* default 40 us */
} SwapParams;

typedef enum Compressor {
    COMPRESSOR_LZO,
    COMPRESSOR_LZ4,
    COMPRESSOR_ZSTD,
} Compressor;

typedef enum ZswapIncompressible {
    ZSWAP_INCOMPRESSIBLE_STORE,  /* v6.18: keep raw in a PAGE_SIZE object */
    ZSWAP_INCOMPRESSIBLE_REJECT, /* older: reject_compress_poor, to the swap device */
} ZswapIncompressible;

typedef struct ZswapParams {
    bool enabled;                       /* default true */
    int max_pool_percent;               /* default 20 */
    int accept_threshold_percent;       /* default 90 */
    bool shrinker_enabled;              /* default true */
    Compressor compressor;              /* default lzo */
    ZswapIncompressible incompressible; /* default store */
} ZswapParams;

typedef enum ZsRule {
    ZS_RULE_CURRENT, /* v6.3+: least waste, chain 4..16 */
    ZS_RULE_PRE_6_3, /* highest integer percentage, at most 4 pages */
} ZsRule;

typedef struct ZsmallocParams {
    int chain_size; /* default 8 (current), 4 (pre-6.3) */
    ZsRule rule;
} ZsmallocParams;

typedef enum NumaBalancing {
    NUMA_BALANCING_OFF,
    NUMA_BALANCING_NORMAL,
    NUMA_BALANCING_TIERING,
} NumaBalancing;

typedef struct KernelParams {
    int64_t min_free_kbytes;              /* -1: auto, the kernel's formula */
    int watermark_scale_factor;           /* default 10 */
    int swappiness;                       /* default 60 (anon only is modelled) */
    bool demotion_enabled;                /* default false */
    NumaBalancing numa_balancing;         /* default off */
    int64_t numa_scan_period_ns;          /* scanner period, default 1 s (scan_period_min) */
    int64_t numa_scan_size_mb;            /* address space marked per period, default 256 */
    int64_t numa_hot_threshold_ms;        /* default 1000 */
    int64_t numa_promote_rate_limit_mbps; /* default 65536 (effectively unlimited) */
    ZswapParams zswap;
    ZsmallocParams zsmalloc;
} KernelParams;

/* Simulated-time costs. Defaults are documented in the README. */
typedef struct CostParams {
    int64_t fault_ns;         /* page-fault entry and exit, default 1000 */
    int64_t reclaim_scan_ns;  /* per page scanned by reclaim, default 100 */
    int64_t migrate_ns;       /* per page migrated (demotion/promotion), default 5000 */
    int64_t swap_submit_ns;   /* reclaimer's cost to queue one swap write, default 2000 */
    int64_t compress_ns[3];   /* per page by Compressor: lzo 6000, lz4 3000, zstd 12000 */
    int64_t decompress_ns[3]; /* per page: lzo 2000, lz4 1000, zstd 3000 */
} CostParams;

typedef enum CompressModel {
    COMPRESS_FIXED,
    COMPRESS_RATIO,
    COMPRESS_DISTRIBUTION,
    COMPRESS_CORPUS,
} CompressModel;

typedef struct CompressBucket {
    uint32_t bytes; /* compressed size */
    double weight;  /* relative weight, > 0 */
} CompressBucket;

typedef struct CompressParams {
    CompressModel model;       /* default fixed */
    uint32_t compressed_bytes; /* fixed: default page_size / 3 rounded */
    double ratio;              /* ratio: page_size / ratio, jittered +-10% per page */
    int n_buckets;
    CompressBucket *buckets;      /* owned; distribution */
    double zero_fraction;         /* fraction of same-filled (zero) pages, default 0 */
    char *corpus_path;            /* owned; corpus model */
    Compressor corpus_compressor; /* lz4 or zstd */
} CompressParams;

typedef struct TaskParams {
    int pid;
    int cpu;
    Mempolicy mempolicy; /* default: MPOL_MODE_DEFAULT */
} TaskParams;

typedef struct MachineParams {
    uint32_t page_size; /* default 4096 */
    int n_nodes;
    NodeParams nodes[TS_MAX_NODES];           /* indexed by node id: ids are 0..n_nodes-1 */
    int distance[TS_MAX_NODES][TS_MAX_NODES]; /* SLIT; default 10 local, 20 remote */
    SwapParams swap;
    KernelParams kernel;
    CostParams costs;
    CompressParams compress;
    int n_tasks;
    TaskParams *tasks;    /* owned */
    char *placement;      /* owned; placement policy name, default "task" */
    bool strict_fallback; /* placement_options.strict_fallback, default false */
    uint64_t seed;
} MachineParams;

/* Fills every default; n_nodes = 0, no tasks. */
void machine_params_init_defaults(MachineParams *p);
/* Frees owned members; the struct itself is the caller's. */
void machine_params_clear(MachineParams *p);
/* Deep copy. */
void machine_params_copy(MachineParams *dst, const MachineParams *src);

const char *node_kind_name(NodeKind k);
const char *mempolicy_mode_name(MempolicyMode m);
const char *compressor_name(Compressor c);

#endif
