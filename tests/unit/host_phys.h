/* SPDX-License-Identifier: MIT */
/*
 * Fake physical memory for host unit tests: a 64 MiB arena where a "physical address" is an
 * offset into it, with a frame allocator that counts every frame handed out and freed.
 */
#ifndef TESTS_UNIT_HOST_PHYS_H
#define TESTS_UNIT_HOST_PHYS_H

#include "kernel.h"

#define HOST_PHYS_BYTES (64ull << 20)
#define HOST_PHYS_FRAME 4096ull
#define HOST_PHYS_POISON 0xa5 /* the byte host_phys_alloc_dirty() fills a frame with */

struct host_phys_counts {
    uint64_t allocated; /* frames handed out since the last reset */
    uint64_t freed;     /* frames given back with host_phys_free() */
    uint64_t bad_frees; /* host_phys_free() of a frame that was not allocated */
};

/* Forgets every frame; frame 0 is never handed out, so 0 keeps meaning "no frame". */
void host_phys_reset(void);
/* A fresh zeroed frame, or 0 when the arena is exhausted. */
paddr_t host_phys_alloc(void);
/* Like host_phys_alloc(), but every byte is HOST_PHYS_POISON (a recycled, dirty frame). */
paddr_t host_phys_alloc_dirty(void);
/* Gives a frame back; false (and counted as a bad free) unless it is currently allocated. */
bool host_phys_free(paddr_t frame);
bool host_phys_is_allocated(paddr_t frame);
struct host_phys_counts host_phys_counts(void);

#endif
