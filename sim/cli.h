/*
 * cli.h - the tiersim command line: subcommands and exit codes.
 *
 * One binary, subcommands parsed with GOption, each with --help. Exit codes:
 * 0 success, 1 a check failed (regression), 2 bad input or usage. Every
 * subcommand is an int cmd_<name>(int argc, char **argv) where argv[0] is
 * "tiersim <name>".
 */
#ifndef TIERSIM_SIM_CLI_H
#define TIERSIM_SIM_CLI_H

#include <glib.h>

enum {
    TIERSIM_EXIT_OK = 0,
    TIERSIM_EXIT_CHECK_FAILED = 1,
    TIERSIM_EXIT_BAD_INPUT = 2,
};

typedef struct CliCommand {
    const char *name;
    const char *summary;
    int (*fn)(int argc, char **argv);
} CliCommand;

/* The registry, NULL-terminated (sim/cli.c). */
extern const CliCommand tiersim_commands[];

/* Prints "tiersim: <message>" to stderr, frees the error, returns 2. */
int cli_fail(GError *error);
/* Parses a subcommand's options; on error prints it with the usage hint and
 * returns FALSE. */
gboolean cli_parse(GOptionContext *ctx, int *argc, char ***argv);

#endif
