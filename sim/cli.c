#include "sim/cli.h"

#include <stdio.h>

int cli_fail(GError *error)
{
    fprintf(stderr, "tiersim: %s\n", error ? error->message : "unknown error");
    g_clear_error(&error);
    return TIERSIM_EXIT_BAD_INPUT;
}

gboolean cli_parse(GOptionContext *ctx, int *argc, char ***argv)
{
    GError *error = NULL;
    if (!g_option_context_parse(ctx, argc, argv, &error)) {
        fprintf(stderr, "tiersim: %s (see --help)\n", error->message);
        g_error_free(error);
        return FALSE;
    }
    return TRUE;
}
