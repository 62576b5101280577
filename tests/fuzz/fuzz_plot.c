/*
 * fuzz_plot.c - fuzz target for the input side of `tiersim plot`: a run
 * folder's summary.json, timeseries.tsv and latency.tsv, given as one input
 * split at NUL bytes (summary NUL timeseries NUL latency; missing parts are
 * empty).
 *
 * Any input either fails with a message naming one of the three files, or
 * loads as one policy; a loaded input's data files and scripts are then
 * written (without gnuplot) into a temporary folder, which must succeed.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <string.h>

#include "sim/plot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void remove_folder(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *path = g_build_filename(dir, name, NULL);
        g_unlink(path);
        g_free(path);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a NUL-terminated copy, split at its NULs */
    char *text = g_malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    const char *parts[3] = {"", "", ""};
    gsize summary_len = size;
    const char *p = text, *end = text + size;
    for (int i = 0; i < 3 && p <= end; i++) {
        parts[i] = p;
        gsize n = strlen(p);
        if (i == 0)
            summary_len = n;
        p += n + 1;
    }

    GError *error = NULL;
    PlotInput *in = plot_input_parse_run("fuzz", parts[0], summary_len, parts[1], parts[2], &error);
    if (!in) {
        g_assert_nonnull(error);
        g_assert_true(g_str_has_prefix(error->message, "fuzz/summary.json") ||
                      g_str_has_prefix(error->message, "fuzz/timeseries.tsv") ||
                      g_str_has_prefix(error->message, "fuzz/latency.tsv"));
        g_error_free(error);
        g_free(text);
        return 0;
    }
    g_assert_false(plot_input_is_compare(in));
    g_assert_cmpuint(plot_input_n_policies(in), ==, 1);

    char *out = g_dir_make_tmp("tiersim-fuzz-plot-XXXXXX", NULL);
    g_assert_nonnull(out);
    PlotOptions opts = {out, PLOT_FORMAT_PNG | PLOT_FORMAT_PDF, NULL, FALSE};
    PlotReport *rep = plot_report_new();
    gboolean ok = plot_write(in, &opts, rep, &error);
    g_assert_no_error(error);
    g_assert_true(ok);
    g_assert_cmpuint(rep->figures->len, >=, 1); /* the memory figure at least */
    plot_report_free(rep);
    remove_folder(out);
    g_free(out);
    plot_input_free(in);
    g_free(text);
    return 0;
}
