/*
 * gen_spec.c - ownership helpers of GenSpec (traces/generator.h).
 *
 * A GenSpec owns its phases array and each phase's region name; these are
 * the only heap members. The generator itself lives in generator.c.
 */
#include <glib.h>
#include <string.h>

#include "traces/generator.h"

void gen_spec_clear(GenSpec *spec)
{
    if (!spec)
        return;
    for (int i = 0; i < spec->n_phases; i++)
        g_free(spec->phases[i].region);
    g_free(spec->phases);
    memset(spec, 0, sizeof(*spec));
}

void gen_spec_copy(GenSpec *dst, const GenSpec *src)
{
    dst->n_phases = src->n_phases;
    dst->phases =
        src->n_phases ? g_memdup2(src->phases, sizeof(GenPhase) * (gsize)src->n_phases) : NULL;
    for (int i = 0; i < dst->n_phases; i++)
        dst->phases[i].region = g_strdup(src->phases[i].region);
}
