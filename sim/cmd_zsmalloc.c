/*
 * cmd_zsmalloc.c - `tiersim zsmalloc classes`: the size classes of a
 * (page size, chain size, rule), one row per representative class.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/zsmalloc.h"
#include "sim/cli.h"

/* Writes the class table of g; the layout is documented in --help. */
static void write_class_table(const ZsGeometry *g, GString *out)
{
    uint32_t page_size = zs_geometry_page_size(g);
    g_string_append_printf(out, " %5s %5s %9s %11s %16s %15s %6s %6s %8s %4s\n", "class", "size",
                           "merged", "lens", "pages_per_zspage", "objs_per_zspage", "waste",
                           "used%", "spanning", "huge");
    for (int r = 0; r < zs_geometry_n_classes(g); r++) {
        const ZsClassInfo *c = zs_geometry_class(g, r);
        char merged[32], lens[32];
        g_snprintf(merged, sizeof merged, "%d-%d", c->first_index, c->index);
        g_snprintf(lens, sizeof lens, "%" PRIu32 "-%" PRIu32, c->min_len, c->max_len);
        double used =
            100.0 * c->objs_per_zspage * c->size / ((double)c->pages_per_zspage * page_size);
        g_string_append_printf(
            out, " %5d %5" PRIu32 " %9s %11s %16d %15d %6" PRIu32 " %6.2f %8d %4s\n", c->index,
            c->size, merged, lens, c->pages_per_zspage, c->objs_per_zspage, c->waste_bytes, used,
            c->spanning_objs, c->huge ? "yes" : "no");
    }
    g_string_append_printf(out,
                           "\n%d classes (%d indices), huge_class_size %zu, chain size %d, "
                           "rule %s, page size %" PRIu32 "\n",
                           zs_geometry_n_classes(g), zs_geometry_n_indices(g),
                           zs_geometry_huge_class_size(g), zs_geometry_chain_size(g),
                           zs_rule_name(zs_geometry_rule(g)), page_size);
}

int cmd_zsmalloc(int argc, char **argv)
{
    int chain_size = -1;
    gint64 page_size = 4096;
    g_autofree char *rule_name = NULL;
    GOptionEntry entries[] = {
        {"chain-size", 0, 0, G_OPTION_ARG_INT, &chain_size,
         "Maximum pages per zspage, 4..16 (default 8; 4 for pre-6.3)", "N"},
        {"rule", 0, 0, G_OPTION_ARG_STRING, &rule_name,
         "Chain-size rule: current (v6.3+, least waste) or pre-6.3 (highest percentage used)",
         "RULE"},
        {"page-size", 0, 0, G_OPTION_ARG_INT64, &page_size,
         "Page size in bytes, a power of two in [4096, 65536] (default 4096)", "N"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("classes - zsmalloc geometry");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_summary(
        ctx, "Prints the zsmalloc size classes the kernel builds at pool creation: one row per\n"
             "representative class (class = its largest index, as in debugfs), the index range\n"
             "merged into it, the zs_malloc lengths that land in it (len + 8 picks the class),\n"
             "pages and objects per zspage, bytes wasted at the end of a zspage, percentage\n"
             "used, objects per zspage that straddle a page boundary, and whether it is huge\n"
             "(1 page, 1 object). Then the class count and zs_huge_class_size().");
    if (!cli_parse(ctx, &argc, &argv))
        return TIERSIM_EXIT_BAD_INPUT;
    if (argc < 2) {
        fprintf(stderr, "tiersim: zsmalloc: missing subcommand (expected \"classes\"; see "
                        "--help)\n");
        return TIERSIM_EXIT_BAD_INPUT;
    }
    if (strcmp(argv[1], "classes") != 0) {
        fprintf(stderr, "tiersim: zsmalloc: unknown subcommand \"%s\" (expected \"classes\")\n",
                argv[1]);
        return TIERSIM_EXIT_BAD_INPUT;
    }
    if (argc > 2) {
        fprintf(stderr, "tiersim: zsmalloc classes: unexpected argument \"%s\"\n", argv[2]);
        return TIERSIM_EXIT_BAD_INPUT;
    }

    GError *error = NULL;
    ZsRule rule = ZS_RULE_CURRENT;
    if (rule_name && !zs_rule_parse(rule_name, &rule, &error))
        return cli_fail(error);
    if (chain_size < 0)
        chain_size = rule == ZS_RULE_PRE_6_3 ? ZS_CHAIN_SIZE_PRE_6_3 : ZS_CHAIN_SIZE_DEFAULT;
    if (page_size < 0 || page_size > UINT32_MAX) {
        fprintf(stderr,
                "tiersim: zsmalloc page size: expected a power of two in [4096, 65536], "
                "got %" G_GINT64_FORMAT "\n",
                page_size);
        return TIERSIM_EXIT_BAD_INPUT;
    }
    g_autoptr(ZsGeometry) g = zs_geometry_new((uint32_t)page_size, chain_size, rule, &error);
    if (!g)
        return cli_fail(error);
    g_autoptr(GString) out = g_string_new(NULL);
    write_class_table(g, out);
    fwrite(out->str, 1, out->len, stdout);
    return TIERSIM_EXIT_OK;
}
