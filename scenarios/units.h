/*
 * units.h - sizes and times written with units in scenario files.
 *
 * Sizes use binary units only ("4GiB", "512MiB", "64KiB", "1.5GiB", "4096"
 * bytes; K/M/G/T are accepted as binary too); decimal units ("2GB") are
 * refused with a suggestion, because a silent factor of 1.07 in a capacity
 * would skew every watermark. Times take ns, us, ms and s and must come out
 * as a whole number of nanoseconds. Parsing is exact integer arithmetic
 * (no doubles), so "1.5GiB" is exactly 1610612736.
 *
 * The public parse_size_string()/parse_time_string() (scenario.h) wrap
 * these; the loader uses these variants to say what went wrong.
 */
#ifndef TIERSIM_SCENARIOS_UNITS_H
#define TIERSIM_SCENARIOS_UNITS_H

#include <glib.h>
#include <stdint.h>

/* On failure returns FALSE and, if why is not NULL, sets *why to a newly
 * allocated description of what was expected ("a whole number of bytes");
 * for a likely typo of a unit, *hint (if not NULL) is set to the corrected
 * string ("2GiB" for "2GB"), otherwise to NULL. */
gboolean units_parse_size(const char *s, uint64_t *out, char **why, char **hint);
gboolean units_parse_time(const char *s, int64_t *out, char **why);

#endif
