/*
 * json_pos.h - where each value of a JSON text sits (line and column).
 *
 * cJSON keeps no positions, so error messages about a value need a second
 * look at the text: one pass over it records, for every value, its JSON
 * path (machine.nodes[1].capacity; array elements as [i]; the root is "")
 * and the line:col of its first character. A path given twice (duplicate
 * keys) keeps every occurrence in document order.
 *
 * The pass follows cJSON's own lexical rules (bytes <= 32 are whitespace, a
 * UTF-8 BOM is skipped, keys are decoded from their escapes) so that paths
 * built from cJSON's tree match. It is meant for text cJSON accepted; on
 * anything else it stops early and simply knows fewer paths.
 * Cost: O(text) time, one hash entry per value.
 */
#ifndef TIERSIM_SCENARIOS_JSON_POS_H
#define TIERSIM_SCENARIOS_JSON_POS_H

#include <glib.h>

typedef struct JsonPos {
    int line; /* 1-based */
    int col;  /* 1-based, in bytes */
} JsonPos;

typedef struct JsonPosIndex JsonPosIndex;

JsonPosIndex *json_pos_index_new(const char *text, gsize len);
void json_pos_index_free(JsonPosIndex *idx);
/* The nth (0-based) occurrence of path; FALSE if there is none. */
gboolean json_pos_lookup(const JsonPosIndex *idx, const char *path, guint nth, JsonPos *out);
/* The line and column of byte offset `offset` of text (clamped to len). */
JsonPos json_pos_of_offset(const char *text, gsize len, gsize offset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(JsonPosIndex, json_pos_index_free)

#endif
