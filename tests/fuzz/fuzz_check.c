/*
 * fuzz_check.c - fuzz target for the JSON loading of `tiersim check`.
 *
 * Any input either fails with a message naming the file, or loads; a loaded
 * input compares equal to itself, and its baseline text loads back to the
 * same metrics and re-serialises byte for byte.
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "sim/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GError *error = NULL;
    CheckInput *in = check_input_parse((const char *)data, size, "fuzz.json", &error);
    if (!in) {
        g_assert_nonnull(error);
        g_assert_true(g_str_has_prefix(error->message, "fuzz.json"));
        g_error_free(error);
        return 0;
    }

    CheckReport *self = check_compare(in, in, NULL);
    g_assert_true(check_report_passed(self));
    g_assert_cmpuint(check_report_n_rows(self), ==, check_input_n_metrics(in));
    g_free(check_report_format(self, FALSE));
    check_report_free(self);

    CheckInput *empty = check_input_new_empty("empty.json");
    CheckReport *fresh = check_compare(empty, in, NULL);
    g_assert_cmpuint(check_report_n_changed(fresh), ==, check_input_n_metrics(in));
    g_free(check_report_format(fresh, TRUE));
    check_report_free(fresh);
    check_input_free(empty);

    gsize len = 0;
    char *text = check_input_to_baseline(in, &len);
    CheckInput *back = check_input_parse(text, len, "baseline.json", &error);
    g_assert_no_error(error);
    g_assert_cmpuint(check_input_n_metrics(back), ==, check_input_n_metrics(in));
    for (guint i = 0; i < check_input_n_metrics(in); i++) {
        const CheckMetric *a = check_input_metric(in, i), *b = check_input_metric(back, i);
        g_assert_cmpstr(a->path, ==, b->path);
        g_assert_cmpint(a->value.kind, ==, b->value.kind);
        if (a->value.kind == CHECK_VALUE_NUMBER || a->value.kind == CHECK_VALUE_BOOL)
            g_assert_true(a->value.v == b->value.v);
    }
    char *again = check_input_to_baseline(back, NULL);
    g_assert_cmpstr(again, ==, text);
    g_free(again);
    g_free(text);
    check_input_free(back);
    check_input_free(in);
    return 0;
}
