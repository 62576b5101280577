/*
 * json_pos.c - a single recursive pass that names every value by its path.
 *
 * The scanner assumes the grammar cJSON accepted and never reads past len;
 * on anything unexpected it stops (returns FALSE), leaving the index with
 * the paths seen so far. Depth is capped a little above cJSON's nesting
 * limit so recursion stays bounded on any input.
 */
#include "scenarios/json_pos.h"

#include <string.h>

#define JSON_POS_MAX_DEPTH 1100

struct JsonPosIndex {
    GHashTable *map; /* path (owned) -> GArray of JsonPos, document order */
};

typedef struct Scan {
    const char *s;
    gsize len, i;
    int line, col;
    int depth;
    GHashTable *map;
} Scan;

static void scan_adv(Scan *sc)
{
    if (sc->s[sc->i] == '\n') {
        sc->line++;
        sc->col = 1;
    } else {
        sc->col++;
    }
    sc->i++;
}

static void scan_skip_ws(Scan *sc)
{
    while (sc->i < sc->len && (unsigned char)sc->s[sc->i] <= 32)
        scan_adv(sc);
}

static gboolean scan_at(const Scan *sc, char c)
{
    return sc->i < sc->len && sc->s[sc->i] == c;
}

static void scan_record(Scan *sc, const char *path, JsonPos pos)
{
    GArray *occ = g_hash_table_lookup(sc->map, path);
    if (!occ) {
        occ = g_array_new(FALSE, FALSE, sizeof(JsonPos));
        g_hash_table_insert(sc->map, g_strdup(path), occ);
    }
    g_array_append_val(occ, pos);
}

static int hex4(const char *p)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        int c = p[k], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* At the opening quote; decodes into out (if not NULL) like cJSON does. */
static gboolean scan_string(Scan *sc, GString *out)
{
    scan_adv(sc); /* opening quote */
    while (sc->i < sc->len) {
        char c = sc->s[sc->i];
        if (c == '"') {
            scan_adv(sc);
            return TRUE;
        }
        if (c != '\\') {
            if (out)
                g_string_append_c(out, c);
            scan_adv(sc);
            continue;
        }
        if (sc->i + 1 >= sc->len)
            return FALSE;
        char e = sc->s[sc->i + 1];
        if (e == 'u') {
            if (sc->i + 6 > sc->len)
                return FALSE;
            int cp = hex4(sc->s + sc->i + 2);
            if (cp < 0)
                return FALSE;
            gsize used = 6;
            if (cp >= 0xD800 && cp <= 0xDBFF && sc->i + 12 <= sc->len && sc->s[sc->i + 6] == '\\' &&
                sc->s[sc->i + 7] == 'u') {
                int lo = hex4(sc->s + sc->i + 8);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    used = 12;
                }
            }
            if (out)
                g_string_append_unichar(out, (gunichar)cp);
            for (gsize k = 0; k < used; k++)
                scan_adv(sc);
            continue;
        }
        if (out) {
            static const char from[] = "bfnrt\"\\/";
            static const char to[] = "\b\f\n\r\t\"\\/";
            const char *hit = e ? strchr(from, e) : NULL;
            g_string_append_c(out, hit ? to[hit - from] : e);
        }
        scan_adv(sc);
        scan_adv(sc);
    }
    return FALSE;
}

static gboolean scan_value(Scan *sc, GString *path)
{
    scan_skip_ws(sc);
    if (sc->i >= sc->len || sc->depth > JSON_POS_MAX_DEPTH)
        return FALSE;
    scan_record(sc, path->str, (JsonPos){sc->line, sc->col});
    char c = sc->s[sc->i];
    gsize base = path->len;
    if (c == '{') {
        sc->depth++;
        scan_adv(sc);
        scan_skip_ws(sc);
        if (scan_at(sc, '}')) {
            scan_adv(sc);
            sc->depth--;
            return TRUE;
        }
        g_autoptr(GString) key = g_string_new(NULL);
        for (;;) {
            scan_skip_ws(sc);
            if (!scan_at(sc, '"'))
                return FALSE;
            g_string_truncate(key, 0);
            if (!scan_string(sc, key))
                return FALSE;
            scan_skip_ws(sc);
            if (!scan_at(sc, ':'))
                return FALSE;
            scan_adv(sc);
            if (base > 0)
                g_string_append_c(path, '.');
            g_string_append(path, key->str);
            gboolean ok = scan_value(sc, path);
            g_string_truncate(path, base);
            if (!ok)
                return FALSE;
            scan_skip_ws(sc);
            if (scan_at(sc, ',')) {
                scan_adv(sc);
                continue;
            }
            if (scan_at(sc, '}')) {
                scan_adv(sc);
                sc->depth--;
                return TRUE;
            }
            return FALSE;
        }
    }
    if (c == '[') {
        sc->depth++;
        scan_adv(sc);
        scan_skip_ws(sc);
        if (scan_at(sc, ']')) {
            scan_adv(sc);
            sc->depth--;
            return TRUE;
        }
        for (guint n = 0;; n++) {
            g_string_append_printf(path, "[%u]", n);
            gboolean ok = scan_value(sc, path);
            g_string_truncate(path, base);
            if (!ok)
                return FALSE;
            scan_skip_ws(sc);
            if (scan_at(sc, ',')) {
                scan_adv(sc);
                continue;
            }
            if (scan_at(sc, ']')) {
                scan_adv(sc);
                sc->depth--;
                return TRUE;
            }
            return FALSE;
        }
    }
    if (c == '"')
        return scan_string(sc, NULL);
    /* number, true, false, null */
    gsize start = sc->i;
    while (sc->i < sc->len && (unsigned char)sc->s[sc->i] > 32 && !strchr(",]}:", sc->s[sc->i]))
        scan_adv(sc);
    return sc->i > start;
}

static void occ_free(gpointer p)
{
    g_array_free(p, TRUE);
}

JsonPosIndex *json_pos_index_new(const char *text, gsize len)
{
    JsonPosIndex *idx = g_new0(JsonPosIndex, 1);
    idx->map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, occ_free);
    Scan sc = {.s = text, .len = len, .line = 1, .col = 1, .map = idx->map};
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        sc.i = 3; /* cJSON skips a UTF-8 BOM; columns count bytes after it */
        sc.col = 4;
    }
    g_autoptr(GString) path = g_string_new(NULL);
    scan_value(&sc, path);
    return idx;
}

void json_pos_index_free(JsonPosIndex *idx)
{
    if (!idx)
        return;
    g_hash_table_destroy(idx->map);
    g_free(idx);
}

gboolean json_pos_lookup(const JsonPosIndex *idx, const char *path, guint nth, JsonPos *out)
{
    GArray *occ = g_hash_table_lookup(idx->map, path);
    if (!occ || nth >= occ->len)
        return FALSE;
    *out = g_array_index(occ, JsonPos, nth);
    return TRUE;
}

JsonPos json_pos_of_offset(const char *text, gsize len, gsize offset)
{
    JsonPos p = {1, 1};
    if (offset > len)
        offset = len;
    for (gsize i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            p.line++;
            p.col = 1;
        } else {
            p.col++;
        }
    }
    return p;
}
