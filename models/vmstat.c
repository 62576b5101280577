#include "models/vmstat.h"

#define NAME(id, name) name,
static const char *const vm_names[] = {VMSTAT_EVENTS(NAME)};
static const char *const ts_names[] = {TS_COUNTERS(NAME)};
#undef NAME

const char *vmstat_name(VmItem item)
{
    return vm_names[item];
}

const char *ts_counter_name(TsItem item)
{
    return ts_names[item];
}
