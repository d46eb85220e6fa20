/* SPDX-License-Identifier: MIT */
/* Bounded formatting shared by the kernel and the user runtime (and tested on the host). */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include "abi/types.h"

/*
 * fmt_vsnprintf: a small printf. Conversions: %d %i %u %x %X %p %s %c %%, with flags '-' '0',
 * a width, a precision for %s, and the length modifiers l, ll, z. Never writes past buf[size-1],
 * always terminates when size > 0, and returns the length the full output would have had.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
