/*
 * cmd_plot.c - `tiersim plot DIR`: gnuplot figures (PNG and PDF), with their
 * data and scripts, from a run or comparison folder. The work is in plot.c.
 */
#include <stdio.h>

#include "sim/cli.h"
#include "sim/plot.h"

int cmd_plot(int argc, char **argv);

static const char PLOT_DESCRIPTION[] =
    "DIR is a folder written by 'tiersim run' (summary.json, timeseries.tsv, latency.tsv)\n"
    "or by 'tiersim compare' (compare.json and one such folder per policy).\n"
    "\n"
    "Figures (each as NAME.tsv data, NAME.gp script, NAME.png and NAME.pdf):\n"
    "  memory-<policy>  per-node memory over time, stacked, with the watermarks\n"
    "  placement        compressed MiB by node holding it x origin node, per policy\n"
    "  inversion        inverted compressed MiB over time, one line per policy\n"
    "  pressure         cross-node MiB and reclaim efficacy per policy (comparison)\n"
    "  density          zsmalloc density per policy (comparison)\n"
    "  latency-cdf      access latency CDF, one line per policy\n"
    "Figures that need zswap are skipped with a note when it is disabled.\n"
    "\n"
    "To restyle a figure, edit NAME.gp (or the paper style at its top) and run\n"
    "'gnuplot NAME.gp' in OUTDIR. The templates are TIERSIM_PLOTS_DIR/*.gp\n"
    "(default: the source tree's plots/).\n"
    "\n"
    "Needs gnuplot 5 with the cairo terminals (Debian: " PLOT_GNUPLOT_PACKAGE ").\n"
    "Exit codes: 0 figures written; 2 bad input, missing gnuplot, or gnuplot failed.";

int cmd_plot(int argc, char **argv)
{
    g_autofree char *outdir = NULL;
    g_autofree char *format = NULL;
    gboolean no_render = FALSE, quiet = FALSE;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &outdir, "Output folder (default DIR/plots)",
         "OUTDIR"},
        {"format", 'f', 0, G_OPTION_ARG_STRING, &format, "Figure formats (default png,pdf)",
         "png,pdf"},
        {"no-render", 0, 0, G_OPTION_ARG_NONE, &no_render,
         "Write the data and .gp scripts only; do not run gnuplot", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors and warnings", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("DIR - gnuplot figures from a run or compare folder");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_description(ctx, PLOT_DESCRIPTION);
    if (!cli_parse(ctx, &argc, &argv))
        return TIERSIM_EXIT_BAD_INPUT;
    if (argc != 2) {
        fprintf(stderr, "tiersim: plot needs one DIR, a folder written by 'tiersim run' or "
                        "'tiersim compare' (see --help)\n");
        return TIERSIM_EXIT_BAD_INPUT;
    }
    const char *dir = argv[1];
    GError *error = NULL;
    guint formats = PLOT_FORMAT_PNG | PLOT_FORMAT_PDF;
    if (format && !plot_parse_formats(format, &formats, &error))
        return cli_fail(error);
    if (!outdir)
        outdir = g_build_filename(dir, "plots", NULL);

    g_autoptr(PlotInput) in = plot_input_load(dir, &error);
    if (!in)
        return cli_fail(error);
    PlotOptions opts = {outdir, formats, NULL, !no_render};
    g_autoptr(PlotReport) rep = plot_report_new();
    gboolean ok = plot_write(in, &opts, rep, &error);
    for (guint i = 0; i < rep->warnings->len; i++)
        fprintf(stderr, "tiersim: warning: gnuplot: %s\n", (char *)rep->warnings->pdata[i]);
    if (!ok)
        return cli_fail(error);
    if (!quiet) {
        const char *what = no_render ? "data and scripts" : format ? format : "png,pdf";
        for (guint i = 0; i < rep->figures->len; i++)
            printf("plot: %s (%s)\n", (char *)rep->figures->pdata[i], what);
        for (guint i = 0; i < rep->notes->len; i++)
            printf("plot: %s\n", (char *)rep->notes->pdata[i]);
        printf("outputs: %s\n", outdir);
    }
    return TIERSIM_EXIT_OK;
}
