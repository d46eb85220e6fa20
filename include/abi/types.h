/* SPDX-License-Identifier: MIT */
/* Fixed-width types shared by the kernel, the user runtime and host tools (no libc needed). */
#ifndef ABI_TYPES_H
#define ABI_TYPES_H

#if defined(__STDC_HOSTED__) && __STDC_HOSTED__
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#else
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long uint64_t;
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long int64_t;
typedef unsigned long uintptr_t;
typedef unsigned long size_t;
typedef long ssize_t;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)
#define offsetof(t, m) __builtin_offsetof(t, m)
#endif

/* A machine word: message registers, syscall arguments and results are words. */
typedef unsigned long word_t;

#endif
