/*
 * cmd_run.c - `tiersim run` and `tiersim compare`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/placement.h"
#include "sim/cli.h"
#include "sim/output.h"
#include "sim/run.h"

#define TIERSIM_ERROR_CLI g_quark_from_static_string("tiersim-cli")

static char *default_outdir(const Scenario *sc)
{
    return g_build_filename("results", sc->name, NULL);
}

int cmd_run(int argc, char **argv)
{
    g_autofree char *outdir = NULL;
    gint64 check_every = 0;
    gboolean quiet = FALSE;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir, "Output folder (default results/NAME)",
         "DIR"},
        {"check-every", 0, 0, G_OPTION_ARG_INT64, &check_every,
         "Run the invariant checkers every N engine steps", "N"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO.json");
    g_option_context_set_summary(ctx, "Runs one scenario under its placement policy and writes "
                                      "summary.json, timeseries.tsv, vmstat, node<N>/vmstat and "
                                      "zsmalloc_classes into the output folder.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!cli_parse(ctx, &argc, &argv))
        return TIERSIM_EXIT_BAD_INPUT;
    if (argc != 2 || check_every < 0) {
        fprintf(stderr, "tiersim run: expected one SCENARIO.json (see --help)\n");
        return TIERSIM_EXIT_BAD_INPUT;
    }
    GError *error = NULL;
    g_autoptr(Scenario) sc = scenario_load(argv[1], &error);
    if (!sc)
        return cli_fail(error);
    if (sc->n_policies > 1) {
        fprintf(stderr,
                "tiersim run: %s lists %d placement policies; run one of them with compare "
                "(tiersim compare %s) or name one in \"placement\"\n",
                argv[1], sc->n_policies, argv[1]);
        return TIERSIM_EXIT_BAD_INPUT;
    }
    if (!outdir)
        outdir = default_outdir(sc);
    SimOptions opts = {NULL, (uint64_t)check_every, !quiet, NULL};
    g_autoptr(Simulation) sim = simulation_new(sc, &opts, &error);
    if (!sim || !simulation_run(sim, &error) || !simulation_write_outputs(sim, outdir, &error))
        return cli_fail(error);
    if (!quiet) {
        simulation_print_table(sim, stdout);
        printf("outputs: %s\n", outdir);
    }
    return TIERSIM_EXIT_OK;
}

static gboolean parse_policies(const char *list, GPtrArray *out, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(list, ",", -1);
    for (int i = 0; parts[i]; i++) {
        const char *name = g_strstrip(parts[i]);
        if (!placement_policy_exists(name)) {
            g_autofree char *known = g_strjoinv(", ", (char **)placement_policy_names());
            g_set_error(error, TIERSIM_ERROR_CLI, 0,
                        "--policies: unknown placement policy '%s' (known: %s)", name, known);
            return FALSE;
        }
        for (guint j = 0; j < out->len; j++)
            if (!strcmp(out->pdata[j], name)) {
                g_set_error(error, TIERSIM_ERROR_CLI, 0, "--policies: '%s' is listed twice", name);
                return FALSE;
            }
        g_ptr_array_add(out, g_strdup(name));
    }
    return TRUE;
}

/* A value of a summary by path ("metrics.inversion_bytes_peak",
 * "nodes.1.vmstat.nr_zspages"); NAN when absent. */
static double summary_value(const cJSON *summary, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, ".", -1);
    const cJSON *it = summary;
    for (int i = 0; parts[i] && it; i++) {
        if (cJSON_IsArray(it))
            it = cJSON_GetArrayItem(it, atoi(parts[i]));
        else
            it = cJSON_GetObjectItemCaseSensitive(it, parts[i]);
    }
    return it && cJSON_IsNumber(it) ? it->valuedouble : NAN;
}

/* The side-by-side table of `compare`: one row per metric, one column per
 * policy. */
static void print_side_by_side(const cJSON *policies, GPtrArray *names, FILE *out)
{
    const cJSON *first = cJSON_GetObjectItemCaseSensitive(policies, names->pdata[0]);
    int n_nodes = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(first, "nodes"));
    GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *labels = g_ptr_array_new_with_free_func(g_free);
#define ROW(label, path)                                                                           \
    do {                                                                                           \
        g_ptr_array_add(labels, g_strdup(label));                                                  \
        g_ptr_array_add(rows, g_strdup(path));                                                     \
    } while (0)
    for (int n = 0; n < n_nodes; n++) {
        char *l = g_strdup_printf("node %d nr_zspages", n);
        char *p = g_strdup_printf("nodes.%d.vmstat.nr_zspages", n);
        ROW(l, p);
        g_free(l);
        g_free(p);
    }
    for (int n = 0; n < n_nodes; n++) {
        char *l = g_strdup_printf("node %d compressed bytes", n);
        char *p = g_strdup_printf("nodes.%d.compressed_bytes", n);
        ROW(l, p);
        g_free(l);
        g_free(p);
    }
    ROW("inversion bytes (peak)", "metrics.inversion_bytes_peak");
    ROW("cross-node bytes", "metrics.cross_node_bytes");
    ROW("reclaim efficacy", "metrics.reclaim_efficacy_ratio");
    ROW("density", "metrics.density_ratio");
    ROW("zswpout", "vmstat.zswpout");
    ROW("pswpout", "vmstat.pswpout");
    ROW("strict rejects", "metrics.strict_rejects");
    ROW("mean access latency (ns)", "latency.access_latency_mean_ns");
    ROW("p99 access latency (ns)", "latency.access_latency_p99_ns");
    ROW("slowdown vs all-DRAM", "latency.slowdown_vs_all_dram_ratio");
    ROW("simulated time (s)", "run.sim_time_ns");
#undef ROW
    fprintf(out, "%-28s", "");
    for (guint i = 0; i < names->len; i++)
        fprintf(out, " %16s", (const char *)names->pdata[i]);
    fprintf(out, "\n");
    for (guint r = 0; r < rows->len; r++) {
        const char *path = rows->pdata[r];
        fprintf(out, "%-28s", (const char *)labels->pdata[r]);
        for (guint i = 0; i < names->len; i++) {
            double v =
                summary_value(cJSON_GetObjectItemCaseSensitive(policies, names->pdata[i]), path);
            if (isnan(v))
                fprintf(out, " %16s", "-");
            else if (g_str_has_suffix(path, "sim_time_ns"))
                fprintf(out, " %16.3f", v / 1e9);
            else if (g_str_has_suffix(path, "_ratio") || g_str_has_suffix(path, "mean_ns"))
                fprintf(out, " %16.3f", v);
            else
                fprintf(out, " %16.0f", v);
        }
        fprintf(out, "\n");
    }
    g_ptr_array_free(rows, TRUE);
    g_ptr_array_free(labels, TRUE);
}

int cmd_compare(int argc, char **argv)
{
    g_autofree char *outdir = NULL;
    g_autofree char *policies = NULL;
    gint64 check_every = 0;
    gboolean quiet = FALSE;
    GOptionEntry entries[] = {
        {"policies", 'p', 0, G_OPTION_ARG_STRING, &policies,
         "Comma-separated placement policies (default: the scenario's list)", "LIST"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir,
         "Output folder (default results/NAME-compare)", "DIR"},
        {"check-every", 0, 0, G_OPTION_ARG_INT64, &check_every,
         "Run the invariant checkers every N engine steps", "N"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO.json");
    g_option_context_set_summary(ctx, "Runs the same machine and workload under each placement "
                                      "policy; writes DIR/compare.json and DIR/<policy>/.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!cli_parse(ctx, &argc, &argv))
        return TIERSIM_EXIT_BAD_INPUT;
    if (argc != 2 || check_every < 0) {
        fprintf(stderr, "tiersim compare: expected one SCENARIO.json (see --help)\n");
        return TIERSIM_EXIT_BAD_INPUT;
    }
    GError *error = NULL;
    g_autoptr(Scenario) sc = scenario_load(argv[1], &error);
    if (!sc)
        return cli_fail(error);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    if (policies) {
        if (!parse_policies(policies, names, &error))
            return cli_fail(error);
    } else {
        for (int i = 0; i < sc->n_policies; i++)
            g_ptr_array_add(names, g_strdup(sc->policies[i]));
    }
    if (!outdir)
        outdir = g_strdup_printf("results/%s-compare", sc->name);
    if (!output_mkdir(outdir, &error))
        return cli_fail(error);

    cJSON *cmp = cJSON_CreateObject();
    cJSON_AddStringToObject(cmp, "tiersim_version", TIERSIM_VERSION);
    cJSON_AddStringToObject(cmp, "name", sc->name);
    cJSON *order = cJSON_AddArrayToObject(cmp, "policy_order");
    cJSON *pol = cJSON_AddObjectToObject(cmp, "policies");
    GPtrArray *sims = g_ptr_array_new_with_free_func((GDestroyNotify)simulation_free);
    int rc = TIERSIM_EXIT_OK;
    for (guint i = 0; i < names->len; i++) {
        SimOptions opts = {names->pdata[i], (uint64_t)check_every, !quiet, NULL};
        Simulation *sim = simulation_new(sc, &opts, &error);
        g_autofree char *dir = g_build_filename(outdir, names->pdata[i], NULL);
        if (!sim || !simulation_run(sim, &error) || !simulation_write_outputs(sim, dir, &error)) {
            simulation_free(sim);
            rc = cli_fail(error);
            break;
        }
        g_ptr_array_add(sims, sim);
        cJSON_AddItemToArray(order, cJSON_CreateString(names->pdata[i]));
        cJSON *summary = simulation_summary(sim);
        cJSON_DeleteItemFromObjectCaseSensitive(summary, "scenario");
        cJSON_AddItemToObject(pol, names->pdata[i], summary);
    }
    if (rc == TIERSIM_EXIT_OK) {
        char *text = json_print_stable(cmp);
        g_autofree char *path = g_build_filename(outdir, "compare.json", NULL);
        if (!output_write_atomic(path, text, strlen(text), &error))
            rc = cli_fail(error);
        g_free(text);
    }
    if (rc == TIERSIM_EXIT_OK && !quiet) {
        print_side_by_side(pol, names, stdout);
        printf("outputs: %s\n", outdir);
    }
    cJSON_Delete(cmp);
    g_ptr_array_free(sims, TRUE);
    return rc;
}
