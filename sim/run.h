/*
 * run.h - one simulation: a scenario's machine under one placement policy,
 * replaying its workload, sampled over time, and its output files.
 *
 * Timing model of the replay: accesses run in trace order; access i runs at
 * its trace time plus the sum of the service times of every access before
 * it (a single in-order replay: a stall delays everything after it).
 * Background work (kswapd, workers) runs as engine events concurrently.
 */
#ifndef TIERSIM_SIM_RUN_H
#define TIERSIM_SIM_RUN_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdio.h>

#include "models/machine.h"
#include "scenarios/scenario.h"

typedef struct Simulation Simulation;

typedef struct SimOptions {
    const char *policy;   /* placement policy; NULL: the scenario's first */
    uint64_t check_every; /* run invariant checks every N steps; 0: scenario's run.check_every */
    gboolean progress;    /* progress on stderr (only honoured when stderr is a terminal) */
    const MachineParams *machine; /* NULL: the scenario's machine */
} SimOptions;

Simulation *simulation_new(const Scenario *sc, const SimOptions *opts, GError **error);
void simulation_free(Simulation *sim);
/* Runs the replay to the end (or max_time, or simulated OOM). */
gboolean simulation_run(Simulation *sim, GError **error);

Machine *simulation_machine(Simulation *sim);
const char *simulation_policy(const Simulation *sim);

/* summary.json as a cJSON tree (caller frees). */
cJSON *simulation_summary(Simulation *sim);
/* Writes summary.json, timeseries.tsv, vmstat, node<N>/vmstat and
 * zsmalloc_classes into dir. */
gboolean simulation_write_outputs(Simulation *sim, const char *dir, GError **error);
/* The short table printed after a run. */
void simulation_print_table(Simulation *sim, FILE *out);

/* Prints a cJSON tree deterministically (2-space indent, newline). */
char *json_print_stable(const cJSON *j);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Simulation, simulation_free)

#endif
