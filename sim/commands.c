#include "sim/cli.h"

int cmd_trace(int argc, char **argv);

/* One line per subcommand; the functions live in sim/cmd_<name>.c. */
const CliCommand tiersim_commands[] = {
    {"trace", "trace files: info, convert, record", cmd_trace},
    {NULL, NULL, NULL},
};
