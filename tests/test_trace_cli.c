/* Tests of `tiersim trace` through the built binary (TIERSIM_BIN): info
 * --json, exit codes, convert, and record under valgrind. */
#include <cjson/cJSON.h>
#include <glib.h>

#include "test_cli.h"
#include <glib/gstdio.h>
#include <string.h>

typedef struct Run {
    int status;
    char *out, *err;
} Run;

static void run_clear(Run *r)
{
    g_free(r->out);
    g_free(r->err);
}

/* Runs tiersim with the arguments (NULL-terminated); envp may be NULL. */
static Run run_tiersim_env(char **envp, const char *first, ...)
{
    GPtrArray *args = g_ptr_array_new();
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        g_ptr_array_add(args, (char *)a);
    va_end(ap);
    g_ptr_array_add(args, NULL);
    Run r = {0};
    r.status = test_cli_run((const char *const *)args->pdata, envp, &r.out, &r.err);
    g_ptr_array_free(args, TRUE);
    return r;
}

#define run_tiersim(...) run_tiersim_env(NULL, __VA_ARGS__, NULL)

static char *sample(const char *name)
{
    const char *root = g_getenv("TIERSIM_SOURCE_DIR");
    return g_build_filename(root ? root : TIERSIM_SOURCE_DIR, "traces", "samples", name, NULL);
}

static cJSON *parse_info(const char *out)
{
    cJSON *j = cJSON_Parse(out);
    if (!j)
        g_error("stdout is not one JSON object: '%s'", out);
    g_assert_true(cJSON_IsObject(j));
    static const char *const keys[] = {"records", "reads", "writes", "pids", "distinct_pages"};
    for (gsize i = 0; i < G_N_ELEMENTS(keys); i++)
        g_assert_nonnull(cJSON_GetObjectItemCaseSensitive(j, keys[i]));
    return j;
}

static double num(cJSON *j, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    g_assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static void test_info_json(void)
{
    char *path = sample("sample.lackey");
    Run r = run_tiersim("trace", "info", "--json", path);
    g_assert_cmpint(r.status, ==, 0);
    cJSON *j = parse_info(r.out);
    g_assert_cmpfloat(num(j, "records"), ==, 49);
    g_assert_cmpfloat(num(j, "reads") + num(j, "writes"), ==, 49);
    cJSON *pids = cJSON_GetObjectItemCaseSensitive(j, "pids");
    g_assert_cmpint(cJSON_GetArraySize(pids), ==, 1);
    g_assert_cmpint(cJSON_GetArrayItem(pids, 0)->valueint, ==, 1);
    g_assert_cmpstr(cJSON_GetObjectItemCaseSensitive(j, "format")->valuestring, ==, "lackey");
    /* the notes went to stderr */
    g_assert_nonnull(strstr(r.err, "format auto-detected as lackey"));
    g_assert_nonnull(strstr(r.err, "ordinal time at 1e9 accesses/s"));
    cJSON_Delete(j);
    run_clear(&r);

    /* the human form mentions the same numbers */
    r = run_tiersim("trace", "info", path);
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "records         49\n"));
    g_assert_nonnull(strstr(r.out, "reuse distance"));
    run_clear(&r);
    g_free(path);

    path = sample("sample.prospero");
    r = run_tiersim("trace", "info", "--json", "--clock-ghz", "2", "--page-size", "8KiB", path);
    g_assert_cmpint(r.status, ==, 0);
    j = parse_info(r.out);
    g_assert_cmpfloat(num(j, "page_size"), ==, 8192);
    cJSON_Delete(j);
    run_clear(&r);
    g_free(path);
}

static void test_bad_input_exits_2(void)
{
    GError *error = NULL;
    char *dir = g_dir_make_tmp("test-cli-XXXXXX", &error);
    char *bad = g_build_filename(dir, "bad.lackey", NULL);
    g_assert_true(g_file_set_contents(bad, " L 1000,8\n S 2000,8\n garbage\n", -1, NULL));
    Run r = run_tiersim("trace", "info", "--format", "lackey", bad);
    g_assert_cmpint(r.status, ==, 2);
    char *where = g_strdup_printf("%s:3: lackey: expected", bad);
    g_assert_nonnull(strstr(r.err, where));
    g_free(where);
    run_clear(&r);
    /* with --skip-bad-lines the line is skipped and reported */
    r = run_tiersim("trace", "info", "--json", "--skip-bad-lines", "--format", "lackey", bad);
    g_assert_cmpint(r.status, ==, 0);
    cJSON *j = parse_info(r.out);
    g_assert_cmpfloat(num(j, "records"), ==, 2);
    g_assert_cmpfloat(num(j, "skipped_lines"), ==, 1);
    g_assert_nonnull(strstr(r.err, "skipped 1 malformed lines"));
    cJSON_Delete(j);
    run_clear(&r);

    const char *const *cases[] = {
        (const char *const[]){"trace", "info", "/nonexistent/trace", NULL},
        (const char *const[]){"trace", "info", NULL},
        (const char *const[]){"trace", "info", "a", "b", NULL},
        (const char *const[]){"trace", "frobnicate", NULL},
        (const char *const[]){"trace", NULL},
        (const char *const[]){"trace", "info", "--format", "nope", bad, NULL},
        (const char *const[]){"trace", "info", "--page-size", "3000", bad, NULL},
        (const char *const[]){"trace", "info", "--time-unit", "fortnight", bad, NULL},
        (const char *const[]){"trace", "info", "--no-such-option", bad, NULL},
        (const char *const[]){"trace", "info", "--format", "lackey", "--clock-ghz", "3", bad, NULL},
        (const char *const[]){"trace", "convert", bad, NULL},
        (const char *const[]){"trace", "record", "-o", bad, NULL},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *const *a = cases[i];
        int n = 0;
        while (a[n])
            n++;
        g_assert_cmpint(n, <=, 7);
        const char *v[8] = {0};
        memcpy(v, a, (gsize)n * sizeof(char *));
        r = run_tiersim_env(NULL, v[0], v[1], v[2], v[3], v[4], v[5], v[6], NULL);
        if (r.status != 2)
            g_error("case %zu (%s %s): exit %d, want 2; stderr: %s", i, a[0], a[1] ? a[1] : "",
                    r.status, r.err);
        g_assert_cmpuint(strlen(r.err), >, 0);
        run_clear(&r);
    }
    r = run_tiersim("trace", "--help");
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.out, "record"));
    run_clear(&r);
    g_unlink(bad);
    g_rmdir(dir);
    g_free(bad);
    g_free(dir);
}

static void test_convert_roundtrip(void)
{
    GError *error = NULL;
    char *dir = g_dir_make_tmp("test-cli-XXXXXX", &error);
    static const char *const samples[] = {"sample.perf", "sample.damon", "sample.csv"};
    for (gsize i = 0; i < G_N_ELEMENTS(samples); i++) {
        for (int z = 0; z < 2; z++) {
            char *in = sample(samples[i]);
            char *out = g_build_filename(dir, "out.trace", NULL);
            Run r = z ? run_tiersim("trace", "convert", "--zstd", in, out)
                      : run_tiersim("trace", "convert", in, out);
            g_assert_cmpint(r.status, ==, 0);
            g_assert_cmpstr(r.out, ==, "");
            run_clear(&r);
            Run a = run_tiersim("trace", "info", "--json", in);
            Run b = run_tiersim("trace", "info", "--json", out);
            g_assert_cmpint(a.status, ==, 0);
            g_assert_cmpint(b.status, ==, 0);
            cJSON *ja = parse_info(a.out), *jb = parse_info(b.out);
            static const char *const keys[] = {"records",        "reads",        "writes",
                                               "distinct_pages", "time_span_ns", "time_first_ns"};
            for (gsize k = 0; k < G_N_ELEMENTS(keys); k++)
                g_assert_cmpfloat(num(ja, keys[k]), ==, num(jb, keys[k]));
            cJSON *ra = cJSON_GetObjectItemCaseSensitive(ja, "reuse_distance");
            cJSON *rb = cJSON_GetObjectItemCaseSensitive(jb, "reuse_distance");
            g_assert_true(cJSON_Compare(ra, rb, TRUE));
            g_assert_true(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(ja, "pids"),
                                        cJSON_GetObjectItemCaseSensitive(jb, "pids"), TRUE));
            g_assert_cmpstr(cJSON_GetObjectItemCaseSensitive(jb, "format")->valuestring, ==,
                            "native");
            cJSON_Delete(ja);
            cJSON_Delete(jb);
            run_clear(&a);
            run_clear(&b);
            g_unlink(out);
            g_free(out);
            g_free(in);
        }
    }
    g_rmdir(dir);
    g_free(dir);
}

static void test_record(void)
{
    char *valgrind = g_find_program_in_path("valgrind");
    if (!valgrind) {
        g_test_skip("valgrind is not installed (Debian package valgrind)");
        return;
    }
    g_free(valgrind);
    GError *error = NULL;
    char *dir = g_dir_make_tmp("test-record-XXXXXX", &error);
    char *out = g_build_filename(dir, "true.trace", NULL);
    Run r = run_tiersim("trace", "record", "-o", out, "--", "/bin/true");
    if (r.status != 0)
        g_error("trace record failed (%d): %s", r.status, r.err);
    run_clear(&r);
    GStatBuf st;
    g_assert_cmpint(g_stat(out, &st), ==, 0);
    g_assert_cmpint(st.st_size, >, 64);
    r = run_tiersim("trace", "info", "--json", out);
    g_assert_cmpint(r.status, ==, 0);
    cJSON *j = parse_info(r.out);
    /* the dynamic loader alone reads and writes thousands of times */
    g_assert_cmpfloat(num(j, "records"), >, 1000);
    g_assert_cmpfloat(num(j, "writes"), >, 100);
    g_assert_cmpfloat(num(j, "distinct_pages"), >, 3);
    cJSON_Delete(j);
    run_clear(&r);
    g_unlink(out);

    /* a program that fails still yields its trace, with a note */
    r = run_tiersim("trace", "record", "-o", out, "--zstd", "--", "/bin/sh", "-c", "exit 3");
    g_assert_cmpint(r.status, ==, 0);
    g_assert_nonnull(strstr(r.err, "exited with status 3"));
    g_assert_true(g_file_test(out, G_FILE_TEST_EXISTS));
    run_clear(&r);
    g_unlink(out);
    g_free(out);
    g_rmdir(dir);
    g_free(dir);
}

static void test_record_without_valgrind(void)
{
    char **envp = g_get_environ();
    envp = g_environ_setenv(envp, "TIERSIM_VALGRIND", "/nonexistent/valgrind", TRUE);
    Run r = run_tiersim_env(envp, "trace", "record", "--", "/bin/true", NULL);
    g_assert_cmpint(r.status, ==, 2);
    g_assert_nonnull(strstr(r.err, "install the Debian package 'valgrind'"));
    run_clear(&r);
    g_strfreev(envp);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/trace-cli/info/json-keys-and-notes-on-stderr", test_info_json);
    g_test_add_func("/trace-cli/bad-input-exits-2", test_bad_input_exits_2);
    g_test_add_func("/trace-cli/convert/same-stream-as-source", test_convert_roundtrip);
    g_test_add_func("/trace-cli/record/bin-true", test_record);
    g_test_add_func("/trace-cli/record/missing-valgrind-names-package",
                    test_record_without_valgrind);
    return g_test_run();
}
