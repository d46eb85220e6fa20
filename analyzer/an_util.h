/* SPDX-License-Identifier: MIT */
/* Small host utilities: checked allocation, a growable text buffer, a string-to-index map. */
#ifndef AN_UTIL_H
#define AN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AN_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation failure is not recoverable in a host tool: these print and exit(2). */
void *an_malloc(size_t n);
void *an_calloc(size_t count, size_t size);
void *an_realloc_array(void *p, size_t count, size_t size);
char *an_strdup(const char *s);
char *an_strndup(const char *s, size_t n);

/* Grow *arr (element size `size`) so that index `need - 1` fits; *cap doubles. */
void an_grow(void **arr, uint32_t *cap, uint32_t need, size_t size);
#define AN_PUSH(arr, n, cap)                                                                       \
    (an_grow((void **)&(arr), &(cap), (n) + 1, sizeof(*(arr))), &(arr)[(n)++])

/* A growable NUL-terminated text buffer. */
struct an_buf {
    char *s;
    size_t len, cap;
};
void an_buf_init(struct an_buf *b);
void an_buf_free(struct an_buf *b);
void an_buf_add(struct an_buf *b, const char *s);
void an_buf_addn(struct an_buf *b, const char *s, size_t n);
void an_buf_printf(struct an_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void an_buf_vprintf(struct an_buf *b, const char *fmt, va_list ap);
void an_buf_clear(struct an_buf *b);

/* Open-addressing map from strings (not copied: the caller keeps them alive) to uint32. */
struct an_map {
    const char **keys;
    uint32_t *vals;
    uint32_t cap, count;
};
void an_map_init(struct an_map *m);
void an_map_free(struct an_map *m);
/* Inserts key -> val; returns false (and leaves the map) if key is present. */
bool an_map_put(struct an_map *m, const char *key, uint32_t val);
/* Returns true and sets *val if key is present. */
bool an_map_get(const struct an_map *m, const char *key, uint32_t *val);

/* Reads a whole file (at most max bytes) into a NUL-terminated buffer. */
char *an_read_file(const char *path, size_t max, size_t *len_out, const char **why);

#endif
