/*
 * input.c - raw bytes, then (maybe) decompression, then a look-ahead buffer.
 *
 * Three layers: raw_read() yields the bytes of the file, pipe or memory
 * buffer, first serving the few magic bytes read to recognise compression;
 * decoded_read() inflates them (zlib) or decompresses them (libzstd); the
 * head buffer holds bytes that trace_input_peek() looked at and that the next
 * reads return first.
 */
#include "traces/input.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "traces/trace_error.h"

#define INPUT_RAW_BUF_BYTES  (256 * 1024)
#define INPUT_PEEK_MAX_BYTES (64 * 1024)

G_DEFINE_QUARK(tiersim - trace - error - quark, tiersim_trace_error)

struct TraceInput {
    char *name;
    int fd; /* -1 for memory input */
    gboolean own_fd;
    const guint8 *mem;
    gsize mem_len, mem_pos;
    gboolean raw_eof;

    guint8 magic[8]; /* raw bytes read to recognise the compression */
    gsize magic_len, magic_pos;

    TraceCompression comp;
    guint8 *rbuf; /* compressed bytes waiting for the decoder */
    gsize rbuf_pos, rbuf_len;
    z_stream z;
    gboolean z_init, z_member_done;
    ZSTD_DStream *zs;
    size_t zs_hint; /* 0 when the last zstd frame is complete */
    gboolean dec_eof;

    guint8 *head; /* peeked decoded bytes, served before anything else */
    gsize head_pos, head_len;
};

const char *trace_compression_name(TraceCompression c)
{
    switch (c) {
    case TRACE_COMPRESSION_GZIP:
        return "gzip";
    case TRACE_COMPRESSION_ZSTD:
        return "zstd";
    case TRACE_COMPRESSION_NONE:
        break;
    }
    return "none";
}

const char *trace_input_name(const TraceInput *in)
{
    return in->name;
}

TraceCompression trace_input_compression(const TraceInput *in)
{
    return in->comp;
}

/* The raw stream without the magic bytes' pushback. */
static gssize raw_read_source(TraceInput *in, guint8 *buf, gsize cap, GError **error)
{
    if (in->raw_eof || cap == 0)
        return 0;
    if (in->fd < 0) {
        gsize n = MIN(cap, in->mem_len - in->mem_pos);
        memcpy(buf, in->mem + in->mem_pos, n);
        in->mem_pos += n;
        if (n == 0)
            in->raw_eof = TRUE;
        return (gssize)n;
    }
    for (;;) {
        ssize_t n = read(in->fd, buf, cap);
        if (n >= 0) {
            if (n == 0)
                in->raw_eof = TRUE;
            return n;
        }
        if (errno == EINTR)
            continue;
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO, "%s: read failed: %s", in->name,
                    g_strerror(errno));
        return -1;
    }
}

static gssize raw_read(TraceInput *in, guint8 *buf, gsize cap, GError **error)
{
    if (in->magic_pos < in->magic_len) {
        gsize n = MIN(cap, in->magic_len - in->magic_pos);
        memcpy(buf, in->magic + in->magic_pos, n);
        in->magic_pos += n;
        return (gssize)n;
    }
    return raw_read_source(in, buf, cap, error);
}

static gboolean detect_compression(TraceInput *in, GError **error)
{
    while (in->magic_len < 6) {
        gssize n = raw_read_source(in, in->magic + in->magic_len, 6 - in->magic_len, error);
        if (n < 0)
            return FALSE;
        if (n == 0)
            break;
        in->magic_len += (gsize)n;
    }
    const guint8 *m = in->magic;
    gsize len = in->magic_len;
    const char *refused = NULL;
    if (len >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
        in->comp = TRACE_COMPRESSION_GZIP;
    } else if (len >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
        in->comp = TRACE_COMPRESSION_ZSTD;
    } else if (len >= 6 && !memcmp(m,
                                   "\xfd"
                                   "7zXZ\0",
                                   6)) {
        refused = "xz";
    } else if (len >= 3 && !memcmp(m, "BZh", 3)) {
        refused = "bzip2";
    } else if (len >= 4 && m[0] == 0x04 && m[1] == 0x22 && m[2] == 0x4d && m[3] == 0x18) {
        refused = "lz4";
    }
    if (refused) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_UNSUPPORTED,
                    "%s: the input is %s-compressed; tiersim reads plain, gzip and zstd traces "
                    "(decompress it first)",
                    in->name, refused);
        return FALSE;
    }
    if (in->comp == TRACE_COMPRESSION_NONE)
        return TRUE;
    in->rbuf = g_malloc(INPUT_RAW_BUF_BYTES);
    if (in->comp == TRACE_COMPRESSION_GZIP) {
        memset(&in->z, 0, sizeof(in->z));
        if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK) {
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO, "%s: zlib init failed",
                        in->name);
            return FALSE;
        }
        in->z_init = TRUE;
    } else {
        in->zs = ZSTD_createDStream();
        ZSTD_initDStream(in->zs);
    }
    return TRUE;
}

static TraceInput *input_new(const char *name)
{
    TraceInput *in = g_new0(TraceInput, 1);
    in->name = g_strdup(name);
    in->fd = -1;
    return in;
}

TraceInput *trace_input_new_fd(int fd, gboolean own_fd, const char *name, GError **error)
{
    TraceInput *in = input_new(name);
    in->fd = fd;
    in->own_fd = own_fd;
    if (!detect_compression(in, error)) {
        trace_input_free(in);
        return NULL;
    }
    return in;
}

TraceInput *trace_input_open(const char *path, GError **error)
{
    if (!strcmp(path, "-"))
        return trace_input_new_fd(STDIN_FILENO, FALSE, "<stdin>", error);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO, "%s: cannot open: %s", path,
                    g_strerror(errno));
        return NULL;
    }
    return trace_input_new_fd(fd, TRUE, path, error);
}

TraceInput *trace_input_new_memory(const char *name, const void *data, gsize len, GError **error)
{
    TraceInput *in = input_new(name);
    in->mem = data;
    in->mem_len = len;
    if (!detect_compression(in, error)) {
        trace_input_free(in);
        return NULL;
    }
    return in;
}

void trace_input_free(TraceInput *in)
{
    if (!in)
        return;
    if (in->own_fd && in->fd >= 0)
        close(in->fd);
    if (in->z_init)
        inflateEnd(&in->z);
    ZSTD_freeDStream(in->zs);
    g_free(in->rbuf);
    g_free(in->head);
    g_free(in->name);
    g_free(in);
}

/* Refills the compressed-bytes buffer when it is empty; returns FALSE on an
 * I/O error. At the end of the raw stream the buffer stays empty. */
static gboolean refill_raw(TraceInput *in, GError **error)
{
    if (in->rbuf_pos < in->rbuf_len)
        return TRUE;
    gssize n = raw_read(in, in->rbuf, INPUT_RAW_BUF_BYTES, error);
    if (n < 0)
        return FALSE;
    in->rbuf_pos = 0;
    in->rbuf_len = (gsize)n;
    return TRUE;
}

static gssize gzip_read(TraceInput *in, guint8 *buf, gsize cap, GError **error)
{
    gsize out = 0;
    while (out < cap && !in->dec_eof) {
        if (!refill_raw(in, error))
            return -1;
        if (in->rbuf_pos == in->rbuf_len) {
            if (!in->z_member_done) {
                g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                            "%s: the gzip stream is truncated", in->name);
                return -1;
            }
            in->dec_eof = TRUE;
            break;
        }
        if (in->z_member_done) {
            /* Another gzip member follows: concatenated members form one
             * stream, as gzip -d treats them. */
            inflateReset(&in->z);
            in->z_member_done = FALSE;
        }
        in->z.next_in = in->rbuf + in->rbuf_pos;
        in->z.avail_in = (uInt)(in->rbuf_len - in->rbuf_pos);
        in->z.next_out = buf + out;
        in->z.avail_out = (uInt)MIN(cap - out, (gsize)G_MAXUINT32);
        int rc = inflate(&in->z, Z_NO_FLUSH);
        gsize used = (in->rbuf_len - in->rbuf_pos) - in->z.avail_in;
        gsize made = (gsize)(in->z.next_out - (buf + out));
        in->rbuf_pos += used;
        out += made;
        if (rc == Z_STREAM_END) {
            in->z_member_done = TRUE;
        } else if (rc != Z_OK && !(rc == Z_BUF_ERROR && (used || made))) {
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                        "%s: the gzip data is corrupt (%s)", in->name,
                        in->z.msg ? in->z.msg : "inflate failed");
            return -1;
        }
    }
    return (gssize)out;
}

static gssize zstd_read(TraceInput *in, guint8 *buf, gsize cap, GError **error)
{
    ZSTD_outBuffer ob = {buf, cap, 0};
    while (ob.pos < ob.size && !in->dec_eof) {
        if (!refill_raw(in, error))
            return -1;
        if (in->rbuf_pos == in->rbuf_len) {
            if (in->zs_hint != 0) {
                g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                            "%s: the zstd stream is truncated", in->name);
                return -1;
            }
            in->dec_eof = TRUE;
            break;
        }
        ZSTD_inBuffer ib = {in->rbuf, in->rbuf_len, in->rbuf_pos};
        size_t rc = ZSTD_decompressStream(in->zs, &ob, &ib);
        in->rbuf_pos = ib.pos;
        if (ZSTD_isError(rc)) {
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                        "%s: the zstd data is corrupt (%s)", in->name, ZSTD_getErrorName(rc));
            return -1;
        }
        in->zs_hint = rc;
    }
    return (gssize)ob.pos;
}

static gssize decoded_read(TraceInput *in, guint8 *buf, gsize cap, GError **error)
{
    switch (in->comp) {
    case TRACE_COMPRESSION_GZIP:
        return gzip_read(in, buf, cap, error);
    case TRACE_COMPRESSION_ZSTD:
        return zstd_read(in, buf, cap, error);
    case TRACE_COMPRESSION_NONE:
        break;
    }
    return raw_read(in, buf, cap, error);
}

gssize trace_input_read(TraceInput *in, void *buf, gsize cap, GError **error)
{
    if (in->head_pos < in->head_len) {
        gsize n = MIN(cap, in->head_len - in->head_pos);
        memcpy(buf, in->head + in->head_pos, n);
        in->head_pos += n;
        return (gssize)n;
    }
    return decoded_read(in, buf, cap, error);
}

gssize trace_input_read_full(TraceInput *in, void *buf, gsize len, GError **error)
{
    gsize got = 0;
    while (got < len) {
        gssize n = trace_input_read(in, (guint8 *)buf + got, len - got, error);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (gsize)n;
    }
    return (gssize)got;
}

gssize trace_input_peek(TraceInput *in, gsize want, const guint8 **data, GError **error)
{
    want = MIN(want, (gsize)INPUT_PEEK_MAX_BYTES);
    if (!in->head)
        in->head = g_malloc(INPUT_PEEK_MAX_BYTES);
    if (in->head_pos > 0) {
        memmove(in->head, in->head + in->head_pos, in->head_len - in->head_pos);
        in->head_len -= in->head_pos;
        in->head_pos = 0;
    }
    while (in->head_len < want) {
        gssize n = decoded_read(in, in->head + in->head_len, want - in->head_len, error);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        in->head_len += (gsize)n;
    }
    *data = in->head;
    return (gssize)MIN(want, in->head_len);
}
