#include "models/params.h"

#include <glib.h>
#include <string.h>

void machine_params_init_defaults(MachineParams *p)
{
    memset(p, 0, sizeof(*p));
    p->page_size = 4096;
    for (int i = 0; i < TS_MAX_NODES; i++)
        for (int j = 0; j < TS_MAX_NODES; j++)
            p->distance[i][j] = i == j ? 10 : 20;
    p->swap.capacity_bytes = 8ULL << 30;
    p->swap.read_latency_ns = 80000;
    p->swap.write_latency_ns = 40000;
    p->kernel.min_free_kbytes = -1;
    p->kernel.watermark_scale_factor = 10;
    p->kernel.swappiness = 60;
    p->kernel.demotion_enabled = false;
    p->kernel.numa_balancing = NUMA_BALANCING_OFF;
    p->kernel.numa_scan_period_ns = 1000000000;
    p->kernel.numa_scan_size_mb = 256;
    p->kernel.numa_hot_threshold_ms = 1000;
    p->kernel.numa_promote_rate_limit_mbps = 65536;
    p->kernel.zswap.enabled = true;
    p->kernel.zswap.max_pool_percent = 20;
    p->kernel.zswap.accept_threshold_percent = 90;
    p->kernel.zswap.shrinker_enabled = true;
    p->kernel.zswap.compressor = COMPRESSOR_LZO;
    p->kernel.zswap.incompressible = ZSWAP_INCOMPRESSIBLE_STORE;
    p->kernel.zsmalloc.chain_size = 8;
    p->kernel.zsmalloc.rule = ZS_RULE_CURRENT;
    p->costs.fault_ns = 1000;
    p->costs.reclaim_scan_ns = 100;
    p->costs.migrate_ns = 5000;
    p->costs.swap_submit_ns = 2000;
    p->costs.compress_ns[COMPRESSOR_LZO] = 6000;
    p->costs.compress_ns[COMPRESSOR_LZ4] = 3000;
    p->costs.compress_ns[COMPRESSOR_ZSTD] = 12000;
    p->costs.decompress_ns[COMPRESSOR_LZO] = 2000;
    p->costs.decompress_ns[COMPRESSOR_LZ4] = 1000;
    p->costs.decompress_ns[COMPRESSOR_ZSTD] = 3000;
    p->compress.model = COMPRESS_FIXED;
    p->compress.compressed_bytes = 1365;
    p->compress.ratio = 3.0;
    p->compress.corpus_compressor = COMPRESSOR_LZ4;
    p->placement = g_strdup("task");
    p->seed = 1;
}

void machine_params_clear(MachineParams *p)
{
    for (int i = 0; i < TS_MAX_NODES; i++) {
        g_free(p->nodes[i].cpus);
        g_free(p->nodes[i].preset);
    }
    g_free(p->tasks);
    g_free(p->placement);
    g_free(p->compress.buckets);
    g_free(p->compress.corpus_path);
    memset(p, 0, sizeof(*p));
}

void machine_params_copy(MachineParams *dst, const MachineParams *src)
{
    *dst = *src;
    for (int i = 0; i < TS_MAX_NODES; i++) {
        dst->nodes[i].cpus = src->nodes[i].n_cpus
                                 ? g_memdup2(src->nodes[i].cpus, sizeof(int) * src->nodes[i].n_cpus)
                                 : NULL;
        dst->nodes[i].preset = g_strdup(src->nodes[i].preset);
    }
    dst->tasks = src->n_tasks ? g_memdup2(src->tasks, sizeof(TaskParams) * src->n_tasks) : NULL;
    dst->placement = g_strdup(src->placement);
    dst->compress.buckets =
        src->compress.n_buckets
            ? g_memdup2(src->compress.buckets, sizeof(CompressBucket) * src->compress.n_buckets)
            : NULL;
    dst->compress.corpus_path = g_strdup(src->compress.corpus_path);
}

const char *node_kind_name(NodeKind k)
{
    static const char *const names[] = {"dram", "cxl", "pmem", "hbm"};
    return names[k];
}

const char *mempolicy_mode_name(MempolicyMode m)
{
    static const char *const names[] = {"default", "bind", "preferred", "interleave"};
    return names[m];
}

const char *compressor_name(Compressor c)
{
    static const char *const names[] = {"lzo", "lz4", "zstd"};
    return names[c];
}
