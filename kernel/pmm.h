/* SPDX-License-Identifier: MIT */
/*
 * Physical frame allocator: one bit per 4 KiB frame below PMM_MAX_BYTES. Frame 0 is never
 * handed out, so 0 means "no frame". Counts are exact, so tests can check for leaks.
 */
#ifndef KERNEL_PMM_H
#define KERNEL_PMM_H

#include "kernel.h"

#define PMM_MAX_BYTES (4ull << 30)
#define PMM_FRAME 4096ull

struct pmm_stats {
    uint64_t total, free;
};

void pmm_reset(void);                          /* nothing usable */
void pmm_add_free(paddr_t base, uint64_t len); /* whole frames inside [base, base+len) */
void pmm_reserve(paddr_t base, uint64_t len);  /* every frame touching the range */
paddr_t pmm_alloc(void);                       /* 0 when out of memory */
enum status pmm_free(paddr_t frame);           /* E_INVAL: unaligned, unknown or free */
struct pmm_stats pmm_stats(void);

#endif
