/* Temporary folders for tests, removed (recursively) when the test ends. */
#ifndef TIERSIM_TESTS_TEST_TMP_H
#define TIERSIM_TESTS_TEST_TMP_H

#include <glib.h>
#include <glib/gstdio.h>

static inline void test_tmp_rm_rf(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    if (d) {
        const char *name;
        while ((name = g_dir_read_name(d))) {
            char *child = g_build_filename(path, name, NULL);
            test_tmp_rm_rf(child);
            g_free(child);
        }
        g_dir_close(d);
        g_rmdir(path);
    } else {
        g_remove(path);
    }
}

static inline void test_tmp_destroy(gpointer path)
{
    test_tmp_rm_rf(path);
    g_free(path);
}

/* A new folder from a g_dir_make_tmp template; it and everything in it go
 * when the current test ends (borrowed until then). */
static inline const char *test_tmpdir(const char *tmpl)
{
    GError *error = NULL;
    char *dir = g_dir_make_tmp(tmpl, &error);
    g_assert_no_error(error);
    g_test_queue_destroy(test_tmp_destroy, dir);
    return dir;
}

#endif
