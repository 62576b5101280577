/*
 * scenario.h - a validated scenario: the machine, kernel knobs, tasks,
 * workload, placement policies and run options of one JSON file.
 *
 * The loader parses the format of the README's "Scenario format" section
 * with cJSON (case-sensitive keys) and validates everything: types, ranges,
 * units ("2GiB", "10ms"), unknown or misspelled keys, references (a task's
 * cpu must belong to a node; mempolicy nodes must exist; distances square,
 * 10 on the diagonal, symmetric) and impossible machines. A JSON syntax
 * error is reported as FILE:LINE:COL; a semantic error as FILE:LINE: PATH:
 * message, where PATH is the JSON path of the offending value
 * (machine.nodes[1].capacity) and LINE its line. Every key is listed in
 * the README ("Scenario format"). Errors are in the TIERSIM_SCENARIO_ERROR
 * domain; the CLI turns them into exit code 2.
 *
 * Nothing is defaulted for a key the user wrote wrongly: an unknown key is
 * an error, never ignored.
 */
#ifndef TIERSIM_SCENARIOS_SCENARIO_H
#define TIERSIM_SCENARIOS_SCENARIO_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/params.h"
#include "traces/generator.h"

#define TIERSIM_SCENARIO_ERROR (tiersim_scenario_error_quark())
GQuark tiersim_scenario_error_quark(void);

typedef enum ScenarioErrorCode {
    SCENARIO_ERROR_IO,
    SCENARIO_ERROR_SYNTAX,
    SCENARIO_ERROR_INVALID,
} ScenarioErrorCode;

typedef enum WorkloadKind {
    WORKLOAD_GENERATOR,
    WORKLOAD_TRACE,
} WorkloadKind;

typedef struct TraceSpec {
    char *path;           /* owned; resolved against the scenario's folder */
    char *format;         /* owned; "auto", "native", "text", "lackey", ... */
    int64_t time_unit_ns; /* 0: from the format; else ns per trace time unit */
    double clock_ghz;     /* 0: unset; cycles -> ns for cycle-stamped formats */
    double rate;          /* 0: unset; accesses per second for formats without time */
    bool skip_bad_lines;
} TraceSpec;

/* A generator phase's own mempolicy for its region (mbind semantics). */
typedef struct PhasePolicy {
    bool set;
    Mempolicy policy;
} PhasePolicy;

typedef struct Scenario {
    char *path;            /* owned; as given on the command line */
    char *name;            /* owned; default: the file name without .json */
    MachineParams machine; /* machine.placement holds policies[0] */

    int n_policies;
    char **policies; /* owned, NULL-terminated; "placement" as a list or one name */

    WorkloadKind workload_kind;
    GenSpec gen;
    PhasePolicy *phase_policies; /* owned; gen.n_phases entries */
    TraceSpec trace;

    int64_t sample_interval_ns; /* run.sample_interval, default 10ms */
    uint64_t check_every;       /* run.check_every: invariant checks every N steps, 0 = off */
    int64_t max_time_ns;        /* run.max_time: stop the replay there, 0 = no limit */
    int parallelism;            /* run.parallelism: accesses in flight, default 1 */
    bool all_dram_baseline;     /* run.all_dram_baseline: also run on all-DRAM, default true */

    char *json_text; /* owned; the scenario file's text, echoed into summary.json */
} Scenario;

/* Loads and validates. Returns NULL with *error set on any problem. */
Scenario *scenario_load(const char *path, GError **error);
/* Same from a string; `path` names it in messages and anchors relative paths. */
Scenario *scenario_load_from_data(const char *path, const char *text, gsize len, GError **error);
void scenario_free(Scenario *sc);

/* Parses "4GiB", "512MiB", "4096", "1.5GiB" (bytes; binary units B, KiB,
 * MiB, GiB, TiB; also K/M/G/T as binary). */
gboolean parse_size_string(const char *s, uint64_t *out);
/* Parses "10ms", "250ns", "2s", "80us" (ns). */
gboolean parse_time_string(const char *s, int64_t *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Scenario, scenario_free)

#endif
