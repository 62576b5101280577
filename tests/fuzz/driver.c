/*
 * driver.c - runs a libFuzzer target over files, without libFuzzer.
 *
 * Every fuzz target (tests/fuzz/fuzz_<name>.c, defining
 * LLVMFuzzerTestOneInput) is linked with this driver into an ordinary test
 * that feeds it each file of its seed corpus (tests/fuzz/corpus_<name>/), so
 * the corpus runs under CTest in every build, sanitizers included. With
 * -DTIERSIM_FUZZ=ON and clang the same target is also linked with
 * -fsanitize=fuzzer for real fuzzing.
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        GDir *dir = g_dir_open(argv[i], 0, NULL);
        if (!dir) {
            fprintf(stderr, "fuzz driver: cannot open corpus folder %s\n", argv[i]);
            return 1;
        }
        const char *name;
        while ((name = g_dir_read_name(dir))) {
            char *path = g_build_filename(argv[i], name, NULL);
            gchar *data = NULL;
            gsize len = 0;
            if (g_file_get_contents(path, &data, &len, NULL)) {
                LLVMFuzzerTestOneInput((const uint8_t *)data, len);
                n++;
            }
            g_free(data);
            g_free(path);
        }
        g_dir_close(dir);
    }
    printf("fuzz driver: ran %d inputs\n", n);
    return n > 0 ? 0 : 1;
}
