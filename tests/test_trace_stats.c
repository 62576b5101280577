/* Tests of trace statistics (exact reuse distances against a brute-force
 * count) and of the corpus compressibility measurement. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "traces/corpus.h"
#include "traces/trace_stats.h"

static PageAccess acc(int64_t t, uint64_t vpage, uint32_t pid, uint8_t op)
{
    return (PageAccess){t, vpage, pid, -1, op};
}

static void test_small_sequence(void)
{
    /* pages: A B A C B A  ->  cold, cold, 1, cold, 2, 2 */
    PageAccess seq[] = {
        acc(5, 10, 1, ACCESS_READ), acc(6, 11, 1, ACCESS_WRITE), acc(7, 10, 1, ACCESS_READ),
        acc(8, 12, 1, ACCESS_READ), acc(9, 11, 1, ACCESS_WRITE), acc(20, 10, 1, ACCESS_READ),
    };
    TraceStats *st = trace_stats_new(4096);
    trace_stats_add(st, seq, G_N_ELEMENTS(seq));
    TraceStatsSummary s;
    trace_stats_summary(st, &s);
    g_assert_cmpuint(s.records, ==, 6);
    g_assert_cmpuint(s.reads, ==, 4);
    g_assert_cmpuint(s.writes, ==, 2);
    g_assert_cmpuint(s.distinct_pages, ==, 3);
    g_assert_cmpuint(s.footprint_bytes, ==, 3 * 4096);
    g_assert_cmpint(s.time_first_ns, ==, 5);
    g_assert_cmpint(s.time_last_ns, ==, 20);
    g_assert_cmpuint(s.reuses, ==, 3);
    g_assert_cmpuint(s.reuse_median_pages, ==, 2);
    g_assert_cmpuint(s.reuse_max_pages, ==, 2);
    g_assert_cmpfloat_with_epsilon(s.reuse_mean_pages, 5.0 / 3, 1e-12);
    trace_stats_free(st);
}

static void test_pids_are_separate_pages(void)
{
    PageAccess seq[] = {
        acc(0, 7, 9, ACCESS_READ), acc(1, 7, 3, ACCESS_READ), acc(2, 7, 9, ACCESS_READ),
        acc(3, 7, 3, ACCESS_READ), acc(4, 7, 9, ACCESS_READ),
    };
    TraceStats *st = trace_stats_new(4096);
    trace_stats_add(st, seq, 2);
    trace_stats_add(st, seq + 2, 3);
    TraceStatsSummary s;
    trace_stats_summary(st, &s);
    g_assert_cmpuint(s.n_pids, ==, 2);
    g_assert_cmpuint(s.pids[0], ==, 3);
    g_assert_cmpuint(s.pids[1], ==, 9);
    g_assert_cmpuint(s.distinct_pages, ==, 2);
    g_assert_cmpuint(s.reuses, ==, 3);
    g_assert_cmpuint(s.reuse_median_pages, ==, 1);
    trace_stats_free(st);
}

/* The distance by definition: distinct pages since the previous access. */
static void brute_force(const PageAccess *seq, int n, uint64_t *hist, int hist_cap,
                        uint64_t *reuses, double *sum)
{
    for (int i = 0; i < n; i++) {
        int j = i - 1;
        while (j >= 0 && !(seq[j].vpage == seq[i].vpage && seq[j].pid == seq[i].pid))
            j--;
        if (j < 0)
            continue;
        GHashTable *seen = g_hash_table_new(g_int64_hash, g_int64_equal);
        gint64 *keys = g_new(gint64, (gsize)(i - j));
        int k = 0;
        for (int m = j + 1; m < i; m++) {
            keys[k] = (gint64)(seq[m].vpage * 1000 + seq[m].pid);
            g_hash_table_add(seen, &keys[k++]);
        }
        guint d = g_hash_table_size(seen);
        g_assert_cmpint((int)d, <, hist_cap);
        hist[d]++;
        (*reuses)++;
        *sum += d;
        g_hash_table_destroy(seen);
        g_free(keys);
    }
}

static void test_matches_brute_force(void)
{
    /* Enough accesses over enough pages to renumber positions many times. */
    const int n = 12000;
    GRand *rng = g_rand_new_with_seed(42);
    PageAccess *seq = g_new(PageAccess, n);
    for (int i = 0; i < n; i++) {
        int phase = i / 3000;
        uint64_t range = phase == 0 ? 40 : phase == 1 ? 700 : phase == 2 ? 5 : 300;
        seq[i] = acc(i, (uint64_t)g_rand_int_range(rng, 0, (gint32)range),
                     1 + (uint32_t)g_rand_int_range(rng, 0, 2), ACCESS_READ);
    }
    enum { CAP = 2048 };
    uint64_t *hist = g_new0(uint64_t, CAP);
    uint64_t reuses = 0;
    double sum = 0;
    brute_force(seq, n, hist, CAP, &reuses, &sum);
    uint64_t max = 0, cum = 0, median = 0, p90 = 0;
    gboolean have_median = FALSE, have_p90 = FALSE;
    for (uint64_t d = 0; d < CAP; d++) {
        if (hist[d])
            max = d;
        cum += hist[d];
        if (!have_median && cum * 2 >= reuses) {
            median = d;
            have_median = TRUE;
        }
        if (!have_p90 && cum * 10 >= reuses * 9) {
            p90 = d;
            have_p90 = TRUE;
        }
    }
    TraceStats *st = trace_stats_new(4096);
    for (int i = 0; i < n; i += 77)
        trace_stats_add(st, seq + i, (gsize)MIN(77, n - i));
    TraceStatsSummary s;
    trace_stats_summary(st, &s);
    g_assert_cmpuint(s.reuses, ==, reuses);
    g_assert_cmpuint(s.reuse_median_pages, ==, median);
    g_assert_cmpuint(s.reuse_p90_pages, ==, p90);
    g_assert_cmpuint(s.reuse_max_pages, ==, max);
    g_assert_cmpfloat_with_epsilon(s.reuse_mean_pages, sum / (double)reuses, 1e-9);
    g_assert_cmpuint(s.records, ==, (guint64)n);
    g_free(hist);
    g_free(seq);
    g_rand_free(rng);
    trace_stats_free(st);
}

static void test_empty(void)
{
    TraceStats *st = trace_stats_new(4096);
    TraceStatsSummary s;
    trace_stats_summary(st, &s);
    g_assert_cmpuint(s.records, ==, 0);
    g_assert_cmpuint(s.n_pids, ==, 0);
    g_assert_cmpuint(s.reuse_median_pages, ==, 0);
    trace_stats_free(st);
}

/* ---- corpus ---- */

static char *write_corpus(char **dir_out)
{
    GError *error = NULL;
    char *dir = g_dir_make_tmp("test-corpus-XXXXXX", &error);
    g_assert_no_error(error);
    GString *data = g_string_new(NULL);
    /* page 0: zeros; page 1: random bytes; page 2: text; page 3: a repeated
     * 8-byte word; page 4: 100 bytes of text, zero-padded */
    for (int i = 0; i < 4096; i++)
        g_string_append_c(data, '\0');
    GRand *rng = g_rand_new_with_seed(1);
    for (int i = 0; i < 4096; i++)
        g_string_append_c(data, (char)g_rand_int_range(rng, 0, 256));
    g_rand_free(rng);
    while (data->len < 3 * 4096)
        g_string_append(data, "the quick brown fox jumps over the lazy dog. ");
    g_string_truncate(data, 3 * 4096);
    for (int i = 0; i < 4096 / 8; i++)
        g_string_append_len(data, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    for (int i = 0; i < 100; i++)
        g_string_append_c(data, (char)('a' + i % 26));
    char *path = g_build_filename(dir, "corpus.bin", NULL);
    g_assert_true(g_file_set_contents(path, data->str, (gssize)data->len, NULL));
    g_string_free(data, TRUE);
    *dir_out = dir;
    return path;
}

static double total_weight(const CompressBucket *b, int n)
{
    double w = 0;
    for (int i = 0; i < n; i++)
        w += b[i].weight;
    return w;
}

static void test_corpus_histogram(void)
{
    char *dir;
    char *path = write_corpus(&dir);
    Compressor cs[] = {COMPRESSOR_LZ4, COMPRESSOR_ZSTD};
    for (gsize c = 0; c < G_N_ELEMENTS(cs); c++) {
        CompressBucket *b = NULL;
        int n = 0;
        GError *error = NULL;
        g_assert_true(corpus_measure(path, cs[c], 4096, &b, &n, &error));
        g_assert_no_error(error);
        g_assert_cmpfloat(total_weight(b, n), ==, 5);
        for (int i = 1; i < n; i++)
            g_assert_cmpuint(b[i - 1].bytes, <, b[i].bytes);
        /* the random page does not compress: it counts as a whole page */
        g_assert_cmpuint(b[n - 1].bytes, ==, 4096);
        g_assert_cmpfloat(b[n - 1].weight, ==, 1);
        /* the zero page compresses to a few dozen bytes */
        g_assert_cmpuint(b[0].bytes, <, 64);
        g_free(b);

        CorpusStats st;
        g_assert_true(corpus_measure_stats(path, cs[c], 4096, TRUE, &st, &b, &n, &error));
        g_assert_cmpuint(st.pages, ==, 5);
        g_assert_cmpuint(st.zero_pages, ==, 1);
        g_assert_cmpuint(st.same_filled_pages, ==, 2);
        g_assert_cmpfloat(total_weight(b, n), ==, 3);
        double bytes = 0;
        for (int i = 0; i < n; i++)
            bytes += b[i].bytes * b[i].weight;
        g_assert_cmpfloat(bytes, ==, (double)st.compressed_bytes);
        g_free(b);
    }
    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
}

static void test_corpus_errors(void)
{
    CompressBucket *b = (CompressBucket *)1;
    int n = 7;
    GError *error = NULL;
    g_assert_false(corpus_measure("/nonexistent/corpus", COMPRESSOR_LZ4, 4096, &b, &n, &error));
    g_assert_null(b);
    g_assert_cmpint(n, ==, 0);
    g_assert_nonnull(strstr(error->message, "/nonexistent/corpus: cannot open"));
    g_clear_error(&error);
    g_assert_false(corpus_measure("/dev/null", COMPRESSOR_LZO, 4096, &b, &n, &error));
    g_assert_nonnull(strstr(error->message, "lz4 or zstd"));
    g_clear_error(&error);
    g_assert_false(corpus_measure("/dev/null", COMPRESSOR_ZSTD, 4096, &b, &n, &error));
    g_assert_nonnull(strstr(error->message, "empty"));
    g_clear_error(&error);
    g_assert_false(corpus_measure("/dev/null", COMPRESSOR_ZSTD, 1000, &b, &n, &error));
    g_clear_error(&error);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/trace-stats/reuse/small-sequence", test_small_sequence);
    g_test_add_func("/trace-stats/reuse/pids-are-separate-pages", test_pids_are_separate_pages);
    g_test_add_func("/trace-stats/reuse/matches-brute-force", test_matches_brute_force);
    g_test_add_func("/trace-stats/empty", test_empty);
    g_test_add_func("/corpus/histogram/lz4-zstd", test_corpus_histogram);
    g_test_add_func("/corpus/errors", test_corpus_errors);
    return g_test_run();
}
