/*
 * native.c - encoder and decoder of the native trace format (README, "The native trace format").
 *
 * Record tag byte:
 *   bit 0     op (1 = write)
 *   bits 1-3  width code of the time delta
 *   bits 4-6  width code of the zigzag page delta
 *   bit 7     an extension byte follows the deltas: bit 0 a new pid (u32)
 *             follows, bit 1 a new cpu (i32) follows
 * Width codes 0..7 mean 0, 1, 2, 3, 4, 5, 6, 8 bytes.
 */
#include "traces/native.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "traces/reader_priv.h"

#define PAYLOAD_PAD 32 /* zeroed slack after a block: 8-byte loads stay inside */
#define PAYLOAD_CAP (NATIVE_BLOCK_RECORDS * NATIVE_RECORD_MAX_BYTES)
#define ZSTD_LEVEL  3

static const uint8_t width_bytes[8] = {0, 1, 2, 3, 4, 5, 6, 8};
static const uint64_t width_mask[8] = {
    0, 0xffULL, 0xffffULL, 0xffffffULL, 0xffffffffULL, 0xffffffffffULL, 0xffffffffffffULL, ~0ULL,
};

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return GUINT64_FROM_LE(v);
}

static inline uint32_t load32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return GUINT32_FROM_LE(v);
}

static inline void store64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_LE(v);
    memcpy(p, &v, 8);
}

static inline void store32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(p, &v, 4);
}

static inline void store16(uint8_t *p, uint16_t v)
{
    v = GUINT16_TO_LE(v);
    memcpy(p, &v, 2);
}

static inline unsigned width_code(uint64_t v)
{
    if (v == 0)
        return 0;
    unsigned bytes = (unsigned)(64 - __builtin_clzll(v) + 7) / 8;
    return bytes >= 7 ? 7 : bytes;
}

static void header_encode(uint8_t out[NATIVE_HEADER_BYTES], const NativeHeader *h)
{
    memset(out, 0, NATIVE_HEADER_BYTES);
    memcpy(out, NATIVE_MAGIC, 8);
    store16(out + 8, h->version);
    store16(out + 10, NATIVE_HEADER_BYTES);
    store32(out + 12, h->page_size);
    store32(out + 16, h->time_unit_ns);
    store32(out + 20, h->flags);
    store64(out + 24, h->record_count);
    memcpy(out + 32, h->source_format, strnlen(h->source_format, 16));
}

static gboolean header_decode(const char *name, const uint8_t *in, gsize len, NativeHeader *h,
                              GError **error)
{
    if (len < NATIVE_HEADER_BYTES || memcmp(in, NATIVE_MAGIC, 8)) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                    "%s: offset 0: expected a native trace header (magic TSTRACE)", name);
        return FALSE;
    }
    memset(h, 0, sizeof(*h));
    uint16_t version, hb;
    memcpy(&version, in + 8, 2);
    memcpy(&hb, in + 10, 2);
    h->version = GUINT16_FROM_LE(version);
    hb = GUINT16_FROM_LE(hb);
    h->page_size = load32(in + 12);
    h->time_unit_ns = load32(in + 16);
    h->flags = load32(in + 20);
    h->record_count = load64(in + 24);
    memcpy(h->source_format, in + 32, 16);
    h->source_format[16] = '\0';
    const char *what = NULL;
    if (h->version != NATIVE_VERSION)
        what = "version 1 (this tiersim reads native version 1 only)";
    else if (hb != NATIVE_HEADER_BYTES)
        what = "a 64-byte header";
    else if (h->page_size == 0 || (h->page_size & (h->page_size - 1)))
        what = "a page size that is a power of two";
    else if (h->time_unit_ns == 0)
        what = "a time unit of at least 1 ns";
    else if (h->flags & ~(uint32_t)(NATIVE_FLAG_ZSTD | NATIVE_FLAG_COUNT))
        what = "known flags (0x1 zstd, 0x2 count)";
    if (what) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                    "%s: offset 0: native header: expected %s", name, what);
        return FALSE;
    }
    for (char *c = h->source_format; *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
            *c = '?';
    return TRUE;
}

/* ---- writer ---- */

struct NativeWriter {
    char *path, *tmp_path;
    int fd;
    NativeHeader h;
    gboolean zstd, failed;
    ZSTD_CCtx *cctx;
    uint8_t *payload, *zbuf;
    gsize zcap;
    gsize used;       /* payload bytes of the open block */
    uint32_t n_block; /* records in the open block */
    uint64_t t, vpage;
    uint32_t pid;
    int32_t cpu;
    int64_t last_time;
    uint64_t count;
};

static gboolean write_all(NativeWriter *w, const void *data, gsize len, GError **error)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t n = write(w->fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO, "%s: write failed: %s", w->path,
                        g_strerror(errno));
            return FALSE;
        }
        p += n;
        len -= (gsize)n;
    }
    return TRUE;
}

NativeWriter *native_writer_new(const char *path, uint32_t page_size, gboolean zstd, GError **error)
{
    if (page_size == 0 || (page_size & (page_size - 1))) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_OPTION,
                    "%s: page size %u is not a power of two", path, page_size);
        return NULL;
    }
    NativeWriter *w = g_new0(NativeWriter, 1);
    w->path = g_strdup(path);
    w->tmp_path = g_strdup_printf("%s.tmp-XXXXXX", path);
    w->fd = g_mkstemp_full(w->tmp_path, O_WRONLY | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO, "%s: cannot create: %s", path,
                    g_strerror(errno));
        g_free(w->tmp_path);
        g_free(w->path);
        g_free(w);
        return NULL;
    }
    w->h.version = NATIVE_VERSION;
    w->h.page_size = page_size;
    w->h.time_unit_ns = 1;
    w->h.flags = zstd ? NATIVE_FLAG_ZSTD : 0;
    w->zstd = zstd;
    w->payload = g_malloc(PAYLOAD_CAP + PAYLOAD_PAD);
    if (zstd) {
        w->cctx = ZSTD_createCCtx();
        w->zcap = ZSTD_compressBound(PAYLOAD_CAP);
        w->zbuf = g_malloc(w->zcap);
    }
    w->cpu = -1;
    uint8_t hdr[NATIVE_HEADER_BYTES];
    header_encode(hdr, &w->h);
    if (!write_all(w, hdr, sizeof(hdr), error)) {
        native_writer_abort(w);
        return NULL;
    }
    return w;
}

void native_writer_set_source_format(NativeWriter *w, const char *format)
{
    memset(w->h.source_format, 0, sizeof(w->h.source_format));
    g_strlcpy(w->h.source_format, format ? format : "", 17);
}

uint64_t native_writer_count(const NativeWriter *w)
{
    return w->count;
}

static gboolean flush_block(NativeWriter *w, GError **error)
{
    uint8_t bh[NATIVE_BLOCK_HEADER_BYTES];
    const uint8_t *data = w->payload;
    gsize stored = w->used;
    uint32_t bflags = 0;
    if (w->n_block == 0)
        return TRUE;
    if (w->zstd) {
        size_t z = ZSTD_compressCCtx(w->cctx, w->zbuf, w->zcap, w->payload, w->used, ZSTD_LEVEL);
        if (!ZSTD_isError(z) && z < w->used) {
            data = w->zbuf;
            stored = z;
            bflags = 1;
        }
    }
    store32(bh, w->n_block);
    store32(bh + 4, (uint32_t)w->used);
    store32(bh + 8, (uint32_t)stored);
    store32(bh + 12, bflags);
    if (!write_all(w, bh, sizeof(bh), error) || !write_all(w, data, stored, error))
        return FALSE;
    w->used = 0;
    w->n_block = 0;
    w->t = 0;
    w->vpage = 0;
    w->pid = 0;
    w->cpu = -1;
    return TRUE;
}

gboolean native_writer_add(NativeWriter *w, const PageAccess *recs, gsize n, GError **error)
{
    if (w->failed) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO, "%s: the writer already failed",
                    w->path);
        return FALSE;
    }
    for (gsize i = 0; i < n; i++) {
        const PageAccess *a = &recs[i];
        if (a->time_ns < 0 || a->time_ns < w->last_time || a->op > ACCESS_WRITE || a->cpu < -1) {
            g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                        "%s: record %" G_GUINT64_FORMAT ": expected time >= 0 in time order "
                        "(after %" G_GINT64_FORMAT " ns), op read or write and cpu >= -1; got "
                        "time %" G_GINT64_FORMAT " ns, op %u, cpu %d",
                        w->path, w->count + 1, w->last_time, a->time_ns, a->op, a->cpu);
            w->failed = TRUE;
            return FALSE;
        }
        if (w->n_block == NATIVE_BLOCK_RECORDS && !flush_block(w, error)) {
            w->failed = TRUE;
            return FALSE;
        }
        uint64_t d = (uint64_t)a->time_ns - w->t;
        uint64_t delta = a->vpage - w->vpage;
        uint64_t z = (delta << 1) ^ (uint64_t)((int64_t)delta >> 63);
        unsigned tw = width_code(d), vw = width_code(z);
        unsigned ext = (a->pid != w->pid ? 1u : 0u) | (a->cpu != w->cpu ? 2u : 0u);
        uint8_t *q = w->payload + w->used;
        *q++ = (uint8_t)(a->op | tw << 1 | vw << 4 | (ext ? 0x80 : 0));
        store64(q, d);
        q += width_bytes[tw];
        store64(q, z);
        q += width_bytes[vw];
        if (ext) {
            *q++ = (uint8_t)ext;
            if (ext & 1) {
                store32(q, a->pid);
                q += 4;
            }
            if (ext & 2) {
                store32(q, (uint32_t)a->cpu);
                q += 4;
            }
        }
        w->used = (gsize)(q - w->payload);
        w->t = (uint64_t)a->time_ns;
        w->vpage = a->vpage;
        w->pid = a->pid;
        w->cpu = a->cpu;
        w->last_time = a->time_ns;
        w->n_block++;
        w->count++;
    }
    return TRUE;
}

static void writer_free(NativeWriter *w)
{
    if (w->fd >= 0)
        close(w->fd);
    ZSTD_freeCCtx(w->cctx);
    g_free(w->zbuf);
    g_free(w->payload);
    g_free(w->tmp_path);
    g_free(w->path);
    g_free(w);
}

void native_writer_abort(NativeWriter *w)
{
    if (!w)
        return;
    if (w->fd >= 0)
        unlink(w->tmp_path);
    writer_free(w);
}

gboolean native_writer_close(NativeWriter *w, GError **error)
{
    uint8_t end[NATIVE_BLOCK_HEADER_BYTES] = {0};
    uint8_t hdr[NATIVE_HEADER_BYTES];
    if (w->failed) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO,
                    "%s: the writer failed earlier; nothing written", w->path);
        native_writer_abort(w);
        return FALSE;
    }
    if (!flush_block(w, error) || !write_all(w, end, sizeof(end), error))
        goto fail;
    w->h.flags |= NATIVE_FLAG_COUNT;
    w->h.record_count = w->count;
    header_encode(hdr, &w->h);
    if (pwrite(w->fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr) || fsync(w->fd) != 0) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO, "%s: write failed: %s", w->path,
                    g_strerror(errno));
        goto fail;
    }
    if (close(w->fd) != 0) {
        w->fd = -1;
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO, "%s: close failed: %s", w->path,
                    g_strerror(errno));
        unlink(w->tmp_path);
        writer_free(w);
        return FALSE;
    }
    w->fd = -1;
    if (rename(w->tmp_path, w->path) != 0) {
        g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_IO,
                    "%s: cannot rename %s into place: %s", w->path, w->tmp_path, g_strerror(errno));
        unlink(w->tmp_path);
        writer_free(w);
        return FALSE;
    }
    writer_free(w);
    return TRUE;
fail:
    native_writer_abort(w);
    return FALSE;
}

/* ---- reader ---- */

typedef struct NativeReader {
    NativeHeader h;
    ZSTD_DCtx *dctx;
    uint8_t *payload; /* PAYLOAD_CAP + PAYLOAD_PAD */
    uint8_t *zbuf;
    gsize zcap;
    const uint8_t *p, *pend;
    uint32_t left; /* records left in the block */
    uint64_t t, vpage;
    uint32_t pid;
    int32_t cpu;
    uint64_t offset;       /* file offset of the next block header */
    uint64_t block_offset; /* file offset of the block being decoded */
    uint64_t seen;
    gboolean ended;
    int shift_right, shift_left; /* file page size -> requested page size */
} NativeReader;

static void native_reader_free(void *p)
{
    NativeReader *nr = p;
    if (!nr)
        return;
    ZSTD_freeDCtx(nr->dctx);
    g_free(nr->payload);
    g_free(nr->zbuf);
    g_free(nr);
}

static gboolean corrupt(TraceReader *r, uint64_t offset, const char *what, GError **error)
{
    g_set_error(error, TIERSIM_TRACE_ERROR, TRACE_ERROR_MALFORMED,
                "%s: offset %" G_GUINT64_FORMAT ": native block: expected %s", r->name, offset,
                what);
    return FALSE;
}

/* Reads the next block header and payload; FALSE on error; sets ended at
 * the end block. */
static gboolean next_block(TraceReader *r, NativeReader *nr, GError **error)
{
    uint8_t bh[NATIVE_BLOCK_HEADER_BYTES];
    gssize got = trace_input_read_full(r->in, bh, sizeof(bh), error);
    if (got < 0)
        return FALSE;
    nr->block_offset = nr->offset;
    if (got < (gssize)sizeof(bh))
        return corrupt(r, nr->offset, "a block header (the trace is truncated)", error);
    uint32_t n = load32(bh), raw = load32(bh + 4), stored = load32(bh + 8),
             bflags = load32(bh + 12);
    if (n == 0) {
        if (raw || stored || bflags)
            return corrupt(r, nr->offset, "an all-zero end block", error);
        uint8_t extra;
        gssize more = trace_input_read(r->in, &extra, 1, error);
        if (more < 0)
            return FALSE;
        if (more > 0)
            return corrupt(r, nr->offset + sizeof(bh), "nothing after the end block", error);
        if ((nr->h.flags & NATIVE_FLAG_COUNT) && nr->seen != nr->h.record_count) {
            char what[128];
            g_snprintf(what, sizeof(what),
                       "%" G_GUINT64_FORMAT " records as the header says; found %" G_GUINT64_FORMAT,
                       nr->h.record_count, nr->seen);
            return corrupt(r, nr->offset, what, error);
        }
        nr->ended = TRUE;
        return TRUE;
    }
    if (n > NATIVE_BLOCK_RECORDS || raw < n || raw > (uint64_t)n * NATIVE_RECORD_MAX_BYTES ||
        bflags > 1 || (bflags == 0 && stored != raw) ||
        (bflags == 1 && (!(nr->h.flags & NATIVE_FLAG_ZSTD) || stored > ZSTD_compressBound(raw))))
        return corrupt(r, nr->offset, "a consistent block header (records, sizes, flags)", error);
    uint8_t *dst = bflags ? nr->zbuf : nr->payload;
    if (bflags && !nr->zbuf) {
        nr->zcap = ZSTD_compressBound(PAYLOAD_CAP);
        nr->zbuf = g_malloc(nr->zcap);
        nr->dctx = ZSTD_createDCtx();
        dst = nr->zbuf;
    }
    got = trace_input_read_full(r->in, dst, stored, error);
    if (got < 0)
        return FALSE;
    if ((uint32_t)got != stored)
        return corrupt(r, nr->offset + sizeof(bh), "the block's bytes (the trace is truncated)",
                       error);
    if (bflags) {
        size_t out = ZSTD_decompressDCtx(nr->dctx, nr->payload, PAYLOAD_CAP, nr->zbuf, stored);
        if (ZSTD_isError(out) || out != raw)
            return corrupt(r, nr->offset + sizeof(bh), "a valid zstd frame of the stated size",
                           error);
    }
    memset(nr->payload + raw, 0, PAYLOAD_PAD);
    nr->p = nr->payload;
    nr->pend = nr->payload + raw;
    nr->left = n;
    nr->t = 0;
    nr->vpage = 0;
    nr->pid = 0;
    nr->cpu = -1;
    nr->offset += sizeof(bh) + stored;
    return TRUE;
}

/* The hot loop: k records of the current block into out. Returns FALSE
 * when the block's bytes do not decode to its records. */
static gboolean decode_records(NativeReader *nr, PageAccess *restrict out, uint32_t k)
{
    const uint8_t *p = nr->p;
    const uint8_t *const pend = nr->pend;
    uint64_t t = nr->t, vp = nr->vpage, bad = 0;
    uint32_t pid = nr->pid;
    int32_t cpu = nr->cpu;
    for (uint32_t i = 0; i < k; i++) {
        unsigned h = p[0];
        unsigned tw = (h >> 1) & 7, vw = (h >> 4) & 7;
        uint64_t d = load64(p + 1) & width_mask[tw];
        p += 1 + width_bytes[tw];
        uint64_t z = load64(p) & width_mask[vw];
        p += width_bytes[vw];
        t += d;
        vp += (z >> 1) ^ (0 - (z & 1));
        bad |= d | t;
        if (h & 0x80) {
            unsigned e = *p++;
            if (e & 1) {
                pid = load32(p);
                p += 4;
            }
            if (e & 2) {
                cpu = (int32_t)load32(p);
                p += 4;
            }
            bad |= (uint64_t)((e & ~3u) | (e == 0) | (cpu < -1)) << 63;
        }
        if (G_UNLIKELY(p > pend))
            return FALSE;
        out[i].time_ns = (int64_t)t;
        out[i].vpage = vp;
        out[i].pid = pid;
        out[i].cpu = cpu;
        out[i].op = (uint8_t)(h & 1);
    }
    if (bad >> 63)
        return FALSE;
    nr->p = p;
    nr->t = t;
    nr->vpage = vp;
    nr->pid = pid;
    nr->cpu = cpu;
    return TRUE;
}

static gssize native_read(TraceReader *r, PageAccess *buf, gsize cap, GError **error)
{
    NativeReader *nr = r->fmt;
    gsize n = 0;
    while (n < cap) {
        if (nr->left == 0) {
            if (nr->ended)
                break;
            if (nr->p != nr->pend) {
                corrupt(r, nr->block_offset, "records that use exactly the block's bytes", error);
                return -1;
            }
            if (!next_block(r, nr, error))
                return -1;
            if (nr->ended)
                break;
        }
        uint32_t k = (uint32_t)MIN((gsize)nr->left, cap - n);
        if (!decode_records(nr, buf + n, k)) {
            corrupt(r, nr->block_offset,
                    "records within the block, in time order, with known tag bits", error);
            return -1;
        }
        nr->left -= k;
        nr->seen += k;
        n += k;
    }
    if (nr->h.time_unit_ns != 1 || nr->shift_right || nr->shift_left) {
        for (gsize i = 0; i < n; i++) {
            if (__builtin_mul_overflow(buf[i].time_ns, (int64_t)nr->h.time_unit_ns,
                                       &buf[i].time_ns)) {
                corrupt(r, nr->block_offset,
                        "record times that fit in int64 nanoseconds after the time unit", error);
                return -1;
            }
            buf[i].vpage = (buf[i].vpage >> nr->shift_right) << nr->shift_left;
        }
    }
    return (gssize)n;
}

static gboolean native_open(TraceReader *r, GError **error)
{
    if (!reader_check_options(r, 0, "native traces carry their own time", error))
        return FALSE;
    uint8_t hdr[NATIVE_HEADER_BYTES];
    gssize got = trace_input_read_full(r->in, hdr, sizeof(hdr), error);
    if (got < 0)
        return FALSE;
    NativeReader *nr = g_new0(NativeReader, 1);
    r->fmt = nr;
    r->fmt_free = native_reader_free;
    if (!header_decode(r->name, hdr, (gsize)got, &nr->h, error))
        return FALSE;
    nr->payload = g_malloc(PAYLOAD_CAP + PAYLOAD_PAD);
    nr->offset = NATIVE_HEADER_BYTES;
    nr->cpu = -1;
    unsigned fshift = (unsigned)g_bit_nth_lsf(nr->h.page_size, -1);
    if (fshift < r->page_shift) {
        nr->shift_right = (int)(r->page_shift - fshift);
    } else if (fshift > r->page_shift) {
        nr->shift_left = (int)(fshift - r->page_shift);
        reader_note(r,
                    "native: the trace was recorded at page size %u, read at %u: each access "
                    "maps to the first %u-byte page of its %u-byte page",
                    nr->h.page_size, r->page_size, r->page_size, nr->h.page_size);
    }
    r->read = native_read;
    return TRUE;
}

const TraceFormatDef trace_format_native = {"native", FALSE, native_open, NULL};

gboolean native_read_header(const char *path, NativeHeader *h, GError **error)
{
    TraceInput *in = trace_input_open(path, error);
    if (!in)
        return FALSE;
    uint8_t hdr[NATIVE_HEADER_BYTES];
    gssize got = trace_input_read_full(in, hdr, sizeof(hdr), error);
    gboolean ok = got >= 0 && header_decode(path, hdr, (gsize)got, h, error);
    trace_input_free(in);
    return ok;
}
