/*
 * units.c - exact parsing of "1.5GiB" and "250us".
 *
 * A number is an integer part and an optional fraction of at most 18
 * digits. The value is int * mult + frac * mult / 10^k, computed without
 * floating point: for binary units the fraction is doubled s times with a
 * running quotient and remainder (exact since mult = 2^s); for decimal time
 * units the fraction's trailing zeros are dropped and it must have no more
 * digits than the unit has powers of ten.
 */
#include "scenarios/units.h"

#include <string.h>

#include "scenarios/scenario.h"

typedef struct NumParts {
    uint64_t whole;
    uint64_t frac;    /* fraction digits as an integer */
    int frac_digits;  /* k: the fraction is frac / 10^k */
    const char *unit; /* the rest of the string, spaces skipped */
} NumParts;

static void set_why(char **why, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void set_why(char **why, const char *fmt, ...)
{
    if (!why)
        return;
    va_list ap;
    va_start(ap, fmt);
    *why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

/* Splits "1.5 GiB" into its parts; FALSE if the number is malformed or too
 * large for 64 bits. */
static gboolean split_number(const char *s, NumParts *np, const char *kind, char **why)
{
    const char *p = s;
    memset(np, 0, sizeof(*np));
    if (*p == '-') {
        set_why(why, "a non-negative %s", kind);
        return FALSE;
    }
    if (!g_ascii_isdigit(*p)) {
        set_why(why, "a %s starting with a digit", kind);
        return FALSE;
    }
    while (g_ascii_isdigit(*p)) {
        unsigned d = (unsigned)(*p - '0');
        if (np->whole > (UINT64_MAX - d) / 10) {
            set_why(why, "a %s that fits in 64 bits", kind);
            return FALSE;
        }
        np->whole = np->whole * 10 + d;
        p++;
    }
    if (*p == '.') {
        p++;
        if (!g_ascii_isdigit(*p)) {
            set_why(why, "digits after the decimal point");
            return FALSE;
        }
        while (g_ascii_isdigit(*p)) {
            if (np->frac_digits == 18) {
                set_why(why, "at most 18 digits after the decimal point");
                return FALSE;
            }
            np->frac = np->frac * 10 + (uint64_t)(*p - '0');
            np->frac_digits++;
            p++;
        }
    }
    while (*p == ' ')
        p++;
    np->unit = p;
    return TRUE;
}

static uint64_t pow10u(int k)
{
    uint64_t r = 1;
    while (k-- > 0)
        r *= 10;
    return r;
}

typedef struct SizeUnit {
    const char *name;
    int shift;
} SizeUnit;

static const SizeUnit size_units[] = {
    {"", 0},     {"B", 0},  {"KiB", 10}, {"MiB", 20}, {"GiB", 30},
    {"TiB", 40}, {"K", 10}, {"M", 20},   {"G", 30},   {"T", 40},
};

gboolean units_parse_size(const char *s, uint64_t *out, char **why, char **hint)
{
    if (hint)
        *hint = NULL;
    NumParts np;
    if (!s || !split_number(s, &np, "size", why))
        return FALSE;
    int shift = -1;
    for (gsize i = 0; i < G_N_ELEMENTS(size_units); i++)
        if (!strcmp(np.unit, size_units[i].name))
            shift = size_units[i].shift;
    if (shift < 0) {
        /* Suggest the binary unit for decimal or miscased spellings. */
        static const char *const binary[] = {"KiB", "MiB", "GiB", "TiB"};
        const char *u = np.unit;
        int which = -1;
        if (g_ascii_strcasecmp(u, "kb") == 0 || g_ascii_strcasecmp(u, "kib") == 0)
            which = 0;
        else if (g_ascii_strcasecmp(u, "mb") == 0 || g_ascii_strcasecmp(u, "mib") == 0)
            which = 1;
        else if (g_ascii_strcasecmp(u, "gb") == 0 || g_ascii_strcasecmp(u, "gib") == 0)
            which = 2;
        else if (g_ascii_strcasecmp(u, "tb") == 0 || g_ascii_strcasecmp(u, "tib") == 0)
            which = 3;
        if (which >= 0 && strlen(u) == 2)
            set_why(why, "a size in binary units (KiB, MiB, GiB, TiB; decimal units such as "
                         "GB are not accepted)");
        else
            set_why(why, "a size with a unit among B, KiB, MiB, GiB, TiB (or none for bytes)");
        if (which >= 0 && hint) {
            g_autofree char *num = g_strndup(s, (gsize)(u - s));
            g_strchomp(num);
            *hint = g_strdup_printf("%s%s", num, binary[which]);
        }
        return FALSE;
    }
    if (shift > 0 && np.whole > (UINT64_MAX >> shift)) {
        set_why(why, "a size below 16 EiB");
        return FALSE;
    }
    uint64_t v = np.whole << shift;
    if (np.frac_digits > 0) {
        uint64_t d = pow10u(np.frac_digits), q = 0, r = np.frac;
        for (int i = 0; i < shift; i++) {
            q *= 2;
            r *= 2;
            if (r >= d) {
                q++;
                r -= d;
            }
        }
        if (r != 0) {
            set_why(why, "a whole number of bytes");
            return FALSE;
        }
        if (v > UINT64_MAX - q) {
            set_why(why, "a size below 16 EiB");
            return FALSE;
        }
        v += q;
    }
    *out = v;
    return TRUE;
}

typedef struct TimeUnit {
    const char *name;
    int exp10;
} TimeUnit;

static const TimeUnit time_units[] = {
    {"ns", 0}, {"us", 3}, {"\xc2\xb5s", 3}, {"ms", 6}, {"s", 9},
};

gboolean units_parse_time(const char *s, int64_t *out, char **why)
{
    NumParts np;
    if (!s || !split_number(s, &np, "time", why))
        return FALSE;
    int e = -1;
    for (gsize i = 0; i < G_N_ELEMENTS(time_units); i++)
        if (!strcmp(np.unit, time_units[i].name))
            e = time_units[i].exp10;
    if (e < 0) {
        if (!*np.unit)
            set_why(why, "a time with a unit (ns, us, ms, s), or a JSON number of ns");
        else
            set_why(why, "a time with a unit among ns, us, ms, s");
        return FALSE;
    }
    uint64_t mult = pow10u(e);
    if (np.whole > (uint64_t)INT64_MAX / mult) {
        set_why(why, "a time below 292 years");
        return FALSE;
    }
    uint64_t v = np.whole * mult;
    uint64_t frac = np.frac;
    int k = np.frac_digits;
    while (k > 0 && frac % 10 == 0) {
        frac /= 10;
        k--;
    }
    if (k > e) {
        set_why(why, "a whole number of nanoseconds");
        return FALSE;
    }
    uint64_t add = frac * pow10u(e - k);
    if (v > (uint64_t)INT64_MAX - add) {
        set_why(why, "a time below 292 years");
        return FALSE;
    }
    *out = (int64_t)(v + add);
    return TRUE;
}

gboolean parse_size_string(const char *s, uint64_t *out)
{
    return units_parse_size(s, out, NULL, NULL);
}

gboolean parse_time_string(const char *s, int64_t *out)
{
    return units_parse_time(s, out, NULL);
}
