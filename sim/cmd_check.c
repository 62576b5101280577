/*
 * cmd_check.c - `tiersim check RESULT.json --baseline BASELINE.json`: the CI
 * regression gate. The comparison itself lives in check.c.
 */
#include <stdio.h>

#include "sim/check.h"
#include "sim/cli.h"

int cmd_check(int argc, char **argv);

static const char CHECK_DESCRIPTION[] =
    "RESULT is a summary.json of 'tiersim run' or a compare.json of 'tiersim compare'.\n"
    "Every numeric leaf is a metric, named by its dotted path (vmstat.pswpout,\n"
    "nodes.1.vmstat.nr_zspages, placement.bytes[0][1], policies.origin.inversion_bytes_peak).\n"
    "\n"
    "Tolerances (--tolerance NAME=SPEC, NAME a path or a glob such as '*.pswpout';\n"
    "later options win):\n"
    "  exact      no change at all\n"
    "  X%         |now - baseline| <= X% of |baseline|\n"
    "  rel:X      |now - baseline| <= X * |baseline|\n"
    "  abs:X      |now - baseline| <= X\n"
    "Defaults: exact for counts; rel:1e-9 for names ending in _ratio, _ns, _percent,\n"
    "_per_s or containing latency, mean, p50, p90, p99, density, efficacy, slowdown,\n"
    "and for any fractional value.\n"
    "\n"
    "Exit codes: 0 every metric within tolerance (or --update); 1 a metric changed in\n"
    "either direction, is missing from RESULT, or is new in RESULT; 2 bad input.";

int cmd_check(int argc, char **argv)
{
    g_autofree char *baseline_path = NULL;
    g_auto(GStrv) tolerances = NULL;
    gboolean update = FALSE, quiet = FALSE;
    GOptionEntry entries[] = {
        {"baseline", 'b', 0, G_OPTION_ARG_FILENAME, &baseline_path,
         "The baseline to compare with (required)", "BASELINE.json"},
        {"tolerance", 't', 0, G_OPTION_ARG_STRING_ARRAY, &tolerances,
         "Tolerance for the metrics NAME matches (repeatable)", "NAME=5%|NAME=abs:100|NAME=exact"},
        {"update", 'u', 0, G_OPTION_ARG_NONE, &update,
         "Rewrite BASELINE from RESULT (atomically) and exit 0; still prints the changes", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
         "Print only the changed metrics and the verdict", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("RESULT.json - compare a result with a baseline");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx, CHECK_DESCRIPTION);
    if (!cli_parse(ctx, &argc, &argv))
        return TIERSIM_EXIT_BAD_INPUT;
    if (argc != 2 || !baseline_path) {
        fprintf(stderr, "tiersim: check needs one RESULT.json and --baseline BASELINE.json "
                        "(see --help)\n");
        return TIERSIM_EXIT_BAD_INPUT;
    }
    const char *result_path = argv[1];

    GError *error = NULL;
    g_autoptr(CheckRules) rules = check_rules_new();
    for (char **t = tolerances; t && *t; t++)
        if (!check_rules_add(rules, *t, &error))
            return cli_fail(error);

    g_autoptr(CheckInput) result = check_input_load(result_path, &error);
    if (!result)
        return cli_fail(error);
    /* --update may create the first baseline; a malformed one is still an
     * error, so that a corrupt file is never overwritten unseen. */
    g_autoptr(CheckInput) baseline = NULL;
    if (update && !g_file_test(baseline_path, G_FILE_TEST_EXISTS))
        baseline = check_input_new_empty(baseline_path);
    else
        baseline = check_input_load(baseline_path, &error);
    if (!baseline)
        return cli_fail(error);

    g_autoptr(CheckReport) rep = check_compare(baseline, result, rules);
    for (guint i = 0; i < check_rules_count(rules); i++)
        if (!check_report_rule_used(rep, i))
            fprintf(stderr, "tiersim: warning: --tolerance pattern '%s' matches no metric\n",
                    check_rules_name(rules, i));

    g_autofree char *table = check_report_format(rep, quiet);
    fputs(table, stdout);
    if (update) {
        if (!check_write_baseline(result, baseline_path, &error))
            return cli_fail(error);
        printf("check: baseline %s updated, %u of %u metrics changed\n", baseline_path,
               check_report_n_changed(rep), check_report_n_rows(rep));
        return TIERSIM_EXIT_OK;
    }
    g_autofree char *verdict = check_report_verdict_line(rep);
    printf("%s\n", verdict);
    return check_report_passed(rep) ? TIERSIM_EXIT_OK : TIERSIM_EXIT_CHECK_FAILED;
}
