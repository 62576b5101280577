/*
 * output.h - writing result files atomically.
 *
 * Every output file is written to a temporary file in the same folder and
 * renamed over the target, so a reader never sees half a file and an
 * interrupted run leaves the previous result intact.
 */
#ifndef TIERSIM_SIM_OUTPUT_H
#define TIERSIM_SIM_OUTPUT_H

#include <glib.h>

gboolean output_write_atomic(const char *path, const char *data, gsize len, GError **error);
/* Creates dir and its parents. */
gboolean output_mkdir(const char *dir, GError **error);

#endif
