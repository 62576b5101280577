/* The placement policy registry: one X(name) line per policy, whose vtable
 * is placement_<name> in models/placement/<name>.c. */
#include <string.h>

#include "models/placement.h"

#define PLACEMENT_POLICIES(X) X(task) X(local) X(origin) X(strict)

#define AS_PTR(n)  &placement_##n,
#define AS_NAME(n) #n,
static const PlacementPolicy *const registry[] = {PLACEMENT_POLICIES(AS_PTR)};
static const char *const names[] = {PLACEMENT_POLICIES(AS_NAME) NULL};

#define N_POLICIES (sizeof(registry) / sizeof(registry[0]))

const char *const *placement_policy_names(void)
{
    return names;
}

const PlacementPolicy *placement_policy_find(const char *name)
{
    for (size_t i = 0; i < N_POLICIES; i++)
        if (!strcmp(registry[i]->name, name))
            return registry[i];
    return NULL;
}

bool placement_policy_exists(const char *name)
{
    return placement_policy_find(name) != NULL;
}
