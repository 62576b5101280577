/*
 * plot.h - gnuplot figures for papers from a `tiersim run` or `tiersim
 * compare` folder, behind `tiersim plot`.
 *
 * Input. A run folder holds summary.json, timeseries.tsv and latency.tsv; a
 * comparison folder holds compare.json ("policy_order", and each policy's
 * summary under "policies") and one run folder per policy, <DIR>/<policy>/.
 * Everything a figure needs is read and checked when the folder is loaded,
 * so a malformed input fails before anything is written; errors name the
 * file and line, or the file and JSON path, and what was expected.
 *
 * Figures. Each figure NAME is three things in the output folder: NAME.tsv
 * (the data, deterministic: same input, same bytes), NAME.gp (a
 * self-contained gnuplot script that loads NAME.tsv by relative path, so
 * `gnuplot NAME.gp` in that folder re-makes the figure after an author edits
 * it) and NAME.png / NAME.pdf (pngcairo / pdfcairo). The scripts are filled
 * from the templates in plots/ (TIERSIM_SOURCE_DIR/plots, or the folder in
 * the environment variable TIERSIM_PLOTS_DIR), whose @KEY@ placeholders this
 * module replaces. The figures:
 *
 *   memory-<policy>  per node over time, stacked: free, anon, zsmalloc
 *                    pages (MiB), with the min/low/high watermarks
 *   placement        compressed MiB by node holding it x origin node, one
 *                    group of stacked bars per policy      (needs zswap)
 *   inversion        inverted compressed MiB over time, one line per policy
 *                                                          (needs zswap)
 *   pressure         cross-node MiB and reclaim efficacy per policy
 *                                               (needs zswap, a comparison)
 *   density          zsmalloc density per policy   (needs zswap, a comparison)
 *   latency-cdf      access latency CDF, one line per policy
 *
 * A figure whose input is missing (zswap disabled, a single run where it
 * compares policies) is skipped with a note in the report, never faked.
 *
 * Rendering runs gnuplot (found in PATH) as a child process in the output
 * folder, one process per figure, and checks its exit status; its stderr is
 * the error message on failure and a warning otherwise. Figures are
 * rendered under a temporary name and renamed, so a reader never sees half
 * a PNG; the data and scripts are written atomically (output.h).
 *
 * Cost: loading is O(input size); writing is O(samples); rendering is one
 * gnuplot process per figure (about 0.1-0.3 s each). No globals.
 */
#ifndef TIERSIM_SIM_PLOT_H
#define TIERSIM_SIM_PLOT_H

#include <glib.h>

#define PLOT_ERROR (plot_error_quark())
GQuark plot_error_quark(void);

typedef enum {
    PLOT_ERROR_INPUT,      /* DIR is not a run or comparison folder, or a file in it is malformed */
    PLOT_ERROR_TEMPLATE,   /* a template is missing or has an unknown placeholder */
    PLOT_ERROR_NO_GNUPLOT, /* gnuplot is not in PATH */
    PLOT_ERROR_GNUPLOT,    /* gnuplot failed or wrote no figure */
    PLOT_ERROR_OPTION,     /* a bad --format list */
} PlotErrorCode;

/* The Debian package that provides gnuplot with the cairo terminals. */
#define PLOT_GNUPLOT_PACKAGE "gnuplot-nox"

typedef enum {
    PLOT_FORMAT_PNG = 1u << 0,
    PLOT_FORMAT_PDF = 1u << 1,
} PlotFormat;

typedef struct PlotInput PlotInput;

/* Loads a run folder (summary.json) or a comparison folder (compare.json). */
PlotInput *plot_input_load(const char *dir, GError **error);
/* A run folder `dir` from the texts of its summary.json (summary_len bytes),
 * timeseries.tsv and latency.tsv (NUL-terminated); nothing is read from
 * disk, `dir` only names the files in errors. For the fuzz target. */
PlotInput *plot_input_parse_run(const char *dir, const char *summary, gsize summary_len,
                                const char *timeseries, const char *latency, GError **error);
void plot_input_free(PlotInput *in);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PlotInput, plot_input_free)

gboolean plot_input_is_compare(const PlotInput *in);
guint plot_input_n_policies(const PlotInput *in);
/* Borrowed; in the comparison's policy order. */
const char *plot_input_policy(const PlotInput *in, guint i);

typedef struct PlotOptions {
    const char *outdir;        /* created if missing */
    guint formats;             /* PlotFormat bits, at least one */
    const char *templates_dir; /* NULL: plot_templates_dir() */
    gboolean render;           /* FALSE: write the data and scripts only */
} PlotOptions;

/* What plot_write did. Plain struct; every array holds owned strings. */
typedef struct PlotReport {
    GPtrArray *figures;  /* names of the figures written, in order */
    GPtrArray *notes;    /* "NAME: skipped: why" for each figure left out */
    GPtrArray *warnings; /* "NAME.gp: ..." gnuplot's stderr of figures that rendered */
} PlotReport;

PlotReport *plot_report_new(void);
void plot_report_free(PlotReport *rep);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PlotReport, plot_report_free)

/* "png,pdf" (any order, each once) to PlotFormat bits. */
gboolean plot_parse_formats(const char *list, guint *formats, GError **error);
/* TIERSIM_PLOTS_DIR if set and not empty, else TIERSIM_SOURCE_DIR/plots.
 * Caller frees. */
char *plot_templates_dir(void);
/* The absolute path of gnuplot from PATH; PLOT_ERROR_NO_GNUPLOT naming the
 * package to install when there is none. Caller frees. */
char *plot_find_gnuplot(GError **error);

/* Writes every figure `in` allows into opts->outdir and renders it (when
 * opts->render), filling `report`. Checks for gnuplot before writing
 * anything. On error the files already written stay; none is half written. */
gboolean plot_write(const PlotInput *in, const PlotOptions *opts, PlotReport *report,
                    GError **error);

#endif
