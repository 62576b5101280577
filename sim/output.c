#include "sim/output.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

gboolean output_mkdir(const char *dir, GError **error)
{
    if (g_mkdir_with_parents(dir, 0755) != 0) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot create folder %s: %s", dir, g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

gboolean output_write_atomic(const char *path, const char *data, gsize len, GError **error)
{
    char *tmp = g_strdup_printf("%s.tmp.%d", path, (int)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "cannot write %s: %s", tmp,
                    g_strerror(errno));
        g_free(tmp);
        return FALSE;
    }
    gboolean ok = fwrite(data, 1, len, f) == len;
    ok = (fflush(f) == 0) && ok;
    ok = (fsync(fileno(f)) == 0) && ok;
    int saved = errno;
    ok = (fclose(f) == 0) && ok;
    if (ok && rename(tmp, path) != 0) {
        saved = errno;
        ok = FALSE;
    }
    if (!ok) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot write %s: %s",
                    path, g_strerror(saved));
        g_unlink(tmp);
    }
    g_free(tmp);
    return ok;
}
