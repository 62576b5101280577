#include "sim/cli.h"

/* One line per subcommand; the functions live in sim/cmd_<name>.c. */
const CliCommand tiersim_commands[] = {
    {NULL, NULL, NULL},
};
