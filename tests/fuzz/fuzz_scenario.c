/*
 * fuzz_scenario.c - the scenario loader on arbitrary bytes.
 *
 * Any input must either load (and then free cleanly) or fail with exactly
 * one GError in the scenario domain whose message starts with the file
 * name; never crash, leak or read out of bounds. Relative paths inside the
 * input resolve against the current folder.
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "scenarios/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GError *error = NULL;
    Scenario *sc = scenario_load_from_data("fuzz.json", (const char *)data, size, &error);
    if (sc) {
        g_assert_null(error);
        g_assert_cmpint(sc->machine.n_nodes, >=, 1);
        g_assert_cmpint(sc->n_policies, >=, 1);
        scenario_free(sc);
    } else {
        g_assert_nonnull(error);
        g_assert_true(error->domain == TIERSIM_SCENARIO_ERROR);
        g_assert_true(g_str_has_prefix(error->message, "fuzz.json:"));
        g_error_free(error);
    }
    return 0;
}
