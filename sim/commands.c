#include "sim/cli.h"

int cmd_check(int argc, char **argv);

/* One line per subcommand; the functions live in sim/cmd_<name>.c. */
const CliCommand tiersim_commands[] = {
    {"check", "compare a result with a baseline (CI gate)", cmd_check},
    {NULL, NULL, NULL},
};
