/* SPDX-License-Identifier: MIT */
/* Common kernel definitions: console output, panic, assertions, branch hints. */
#ifndef KERNEL_H
#define KERNEL_H

#include "abi/types.h"
#include "abi/status.h"
#include "arch_types.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + (a)-1, (a))
#define NORETURN __attribute__((noreturn))

#include <stdarg.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Formats (at most 255 characters) and hands the text to `write` (a console, the trace port). */
void kvprintf_to(void (*write)(const char *, size_t), const char *fmt, va_list ap);
NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Assertions check kernel invariants; the condition must have no side effects. */
#define kassert(c)                                                                                 \
    do {                                                                                           \
        if (unlikely(!(c))) panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__);         \
    } while (0)

#endif
