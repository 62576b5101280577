/* Running the tiersim binary from tests (CTest sets TIERSIM_BIN). */
#ifndef TIERSIM_TESTS_TEST_CLI_H
#define TIERSIM_TESTS_TEST_CLI_H

#include <glib.h>
#include <sys/wait.h>

/* Runs argv (argv[0] a path) in cwd (NULL: ours) with envp (NULL: ours);
 * returns the exit status, 128 + signal when killed. */
static inline int test_spawn(const char *cwd, const char *const *argv, char **envp, char **out,
                             char **err)
{
    int status = 0;
    GError *error = NULL;
    gboolean ok = g_spawn_sync(cwd, (char **)argv, envp, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                               &status, &error);
    g_assert_no_error(error);
    g_assert_true(ok);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Runs `tiersim ARGS...` (args NULL-terminated, without the binary). */
static inline int test_cli_run(const char *const *args, char **envp, char **out, char **err)
{
    const char *bin = g_getenv("TIERSIM_BIN");
    g_assert_nonnull(bin);
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (char *)bin);
    for (int i = 0; args[i]; i++)
        g_ptr_array_add(argv, (char *)args[i]);
    g_ptr_array_add(argv, NULL);
    int rc = test_spawn(NULL, (const char *const *)argv->pdata, envp, out, err);
    g_ptr_array_free(argv, TRUE);
    return rc;
}

#endif
