#include <string.h>

#include "models/placement.h"

static const char *const names[] = {"task", "local", "origin", "strict", NULL};

const char *const *placement_policy_names(void)
{
    return names;
}

bool placement_policy_exists(const char *name)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}
