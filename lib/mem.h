/* SPDX-License-Identifier: MIT */
/* Memory and string primitives for freestanding code (kernel and user runtime). */
#ifndef LIB_MEM_H
#define LIB_MEM_H

#include "abi/types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c); /* first c in s (c may be 0), or NULL */
/* Copies at most size-1 characters and always terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

#endif
