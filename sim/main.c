/*
 * main.c - tiersim's entry point: dispatches to a subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "sim/cli.h"

static void usage(FILE *out)
{
    fprintf(out, "Usage: tiersim COMMAND [OPTIONS...]\n\n"
                 "A discrete-event NUMA memory-tiering simulator.\n\nCommands:\n");
    for (const CliCommand *c = tiersim_commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "\nRun 'tiersim COMMAND --help' for a command's options.\n"
                 "Exit codes: 0 success, 1 a check failed, 2 bad input or usage.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return TIERSIM_EXIT_BAD_INPUT;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return TIERSIM_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("tiersim %s\n", TIERSIM_VERSION);
        return TIERSIM_EXIT_OK;
    }
    for (const CliCommand *c = tiersim_commands; c->name; c++) {
        if (!strcmp(argv[1], c->name)) {
            char *prog = g_strdup_printf("tiersim %s", c->name);
            char *saved = argv[1];
            argv[1] = prog;
            int rc = c->fn(argc - 1, argv + 1);
            argv[1] = saved;
            g_free(prog);
            return rc;
        }
    }
    fprintf(stderr, "tiersim: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return TIERSIM_EXIT_BAD_INPUT;
}
