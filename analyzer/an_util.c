/* SPDX-License-Identifier: MIT */
/* Small host utilities: checked allocation, a growable text buffer, a string-to-index map. */
#include "an_util.h"
#include "an_status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void an_oom(void)
{
    fputs("ipcan: error: out of memory\n", stderr);
    exit(AN_EXIT_BAD_INPUT);
}

void *an_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) an_oom();
    return p;
}

void *an_calloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) an_oom();
    return p;
}

void *an_realloc_array(void *p, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) an_oom();
    size_t bytes = count * size;
    void *q = realloc(p, bytes ? bytes : 1);
    if (!q) an_oom();
    return q;
}

char *an_strdup(const char *s)
{
    return an_strndup(s, strlen(s));
}

char *an_strndup(const char *s, size_t n)
{
    char *p = an_malloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void an_grow(void **arr, uint32_t *cap, uint32_t need, size_t size)
{
    if (need <= *cap) return;
    uint32_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > UINT32_MAX / 2) an_oom();
        c *= 2;
    }
    *arr = an_realloc_array(*arr, c, size);
    *cap = c;
}

void an_buf_init(struct an_buf *b)
{
    b->cap = 256;
    b->len = 0;
    b->s = an_malloc(b->cap);
    b->s[0] = '\0';
}

void an_buf_free(struct an_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

void an_buf_clear(struct an_buf *b)
{
    b->len = 0;
    if (b->s) b->s[0] = '\0';
}

static void an_buf_reserve(struct an_buf *b, size_t extra)
{
    if (!b->s) an_buf_init(b);
    if (b->len + extra + 1 <= b->cap) return;
    size_t c = b->cap;
    while (b->len + extra + 1 > c) {
        if (c > SIZE_MAX / 2) an_oom();
        c *= 2;
    }
    b->s = an_realloc_array(b->s, c, 1);
    b->cap = c;
}

void an_buf_addn(struct an_buf *b, const char *s, size_t n)
{
    an_buf_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void an_buf_add(struct an_buf *b, const char *s)
{
    an_buf_addn(b, s, strlen(s));
}

void an_buf_vprintf(struct an_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    an_buf_reserve(b, (size_t)n);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void an_buf_printf(struct an_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    an_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* FNV-1a: good enough for identifiers, and cheap. */
static uint32_t an_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

void an_map_init(struct an_map *m)
{
    m->cap = 16;
    m->count = 0;
    m->keys = an_calloc(m->cap, sizeof(*m->keys));
    m->vals = an_calloc(m->cap, sizeof(*m->vals));
}

void an_map_free(struct an_map *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->count = 0;
}

static void an_map_rehash(struct an_map *m)
{
    struct an_map n = {.cap = m->cap * 2};
    n.keys = an_calloc(n.cap, sizeof(*n.keys));
    n.vals = an_calloc(n.cap, sizeof(*n.vals));
    for (uint32_t i = 0; i < m->cap; i++)
        if (m->keys[i]) an_map_put(&n, m->keys[i], m->vals[i]);
    free(m->keys);
    free(m->vals);
    *m = n;
}

bool an_map_put(struct an_map *m, const char *key, uint32_t val)
{
    if (!m->keys) an_map_init(m);
    if ((m->count + 1) * 2 > m->cap) an_map_rehash(m);
    uint32_t i = an_hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (strcmp(m->keys[i], key) == 0) return false;
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->count++;
    return true;
}

bool an_map_get(const struct an_map *m, const char *key, uint32_t *val)
{
    if (!m->keys) return false;
    uint32_t i = an_hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (strcmp(m->keys[i], key) == 0) {
            *val = m->vals[i];
            return true;
        }
        i = (i + 1) & (m->cap - 1);
    }
    return false;
}

char *an_read_file(const char *path, size_t max, size_t *len_out, const char **why)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = strerror(errno);
        return NULL;
    }
    struct an_buf b;
    an_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (b.len + n > max) {
            fclose(f);
            an_buf_free(&b);
            *why = "file too large";
            return NULL;
        }
        an_buf_addn(&b, chunk, n);
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        an_buf_free(&b);
        *why = "read error";
        return NULL;
    }
    *len_out = b.len;
    return b.s;
}

const char *an_status_text(enum an_status s)
{
    switch (s) {
    case AN_OK:
        return "ok";
    case AN_E_SYNTAX:
        return "syntax error";
    case AN_E_SEMANTIC:
        return "inconsistent declaration";
    case AN_E_LIMIT:
        return "size limit exceeded";
    case AN_E_IO:
        return "i/o error";
    case AN_E_NOTOOL:
        return "external tool missing";
    case AN_E_TOOL:
        return "external tool failed";
    case AN_E_TIMEOUT:
        return "external tool ran out of time";
    case AN_E_USAGE:
        return "usage error";
    }
    return "unknown status";
}
