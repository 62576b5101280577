#include "sim/cli.h"

/* One line per subcommand; the functions live in sim/cmd_<name>.c. */
int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_zsmalloc(int argc, char **argv);

const CliCommand tiersim_commands[] = {
    {"run", "run one scenario", cmd_run},
    {"compare", "run a scenario under several placement policies", cmd_compare},
    {"check", "compare a result with a baseline (CI gate)", cmd_check},
    {"plot", "gnuplot figures (PNG and PDF) from a run or compare folder", cmd_plot},
    {"trace", "trace files: info, convert, gen, record", cmd_trace},
    {"zsmalloc", "zsmalloc geometry: size classes", cmd_zsmalloc},
    {NULL, NULL, NULL},
};
