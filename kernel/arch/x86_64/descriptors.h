/* SPDX-License-Identifier: MIT */
/* Descriptor tables (arch-internal). */
#ifndef ARCH_DESCRIPTORS_H
#define ARCH_DESCRIPTORS_H
#include "abi/types.h"
void descriptors_init(void);
void tss_set_kernel_stack(uint64_t top);
#endif
