#include "sim/cli.h"

int cmd_zsmalloc(int argc, char **argv);

/* One line per subcommand; the functions live in sim/cmd_<name>.c. */
const CliCommand tiersim_commands[] = {
    {"zsmalloc", "zsmalloc geometry: size classes", cmd_zsmalloc},
    {NULL, NULL, NULL},
};
