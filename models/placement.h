/*
 * placement.h - placement policies for the pages of new zspages.
 *
 * A policy answers one question: when zswap stores a page reclaimed from
 * node `origin` in the context of a reclaimer, which node should the pages
 * of a new zspage be asked from, and may the allocation fall back. Policies
 * are const vtables registered by name in models/placement/registry.c;
 * adding one is a new file there plus one line in the registry.
 */
#ifndef TIERSIM_MODELS_PLACEMENT_H
#define TIERSIM_MODELS_PLACEMENT_H

#include <stdbool.h>

/* The registered policy names, NULL-terminated, in registry order. */
const char *const *placement_policy_names(void);
bool placement_policy_exists(const char *name);

#endif
