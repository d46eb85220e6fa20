/* SPDX-License-Identifier: MIT */
/* Host stand-ins for what the kernel core calls elsewhere: console, panic, physical memory. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "host_phys.h"

#define NFRAMES (HOST_PHYS_BYTES / HOST_PHYS_FRAME)

static uint8_t *arena;
static uint8_t frame_state[NFRAMES]; /* 1 = allocated */
static uint64_t next_frame = 1;      /* bump pointer; frame 0 is never handed out */
static struct host_phys_counts counts;

/* Undefined behaviour found by UBSan fails the test binary instead of only printing a note. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "halt_on_error=1:print_stacktrace=1";
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    fputs("panic: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

static uint8_t *arena_base(void)
{
    if (arena == NULL) {
        arena = aligned_alloc(HOST_PHYS_FRAME, HOST_PHYS_BYTES);
        if (arena == NULL)
            panic("host: cannot allocate the %llu-byte physical arena",
                  (unsigned long long)HOST_PHYS_BYTES);
    }
    return arena;
}

/* Every physical address the code under test touches must lie inside the arena. */
void *arch_phys_to_virt(paddr_t pa)
{
    if (pa >= HOST_PHYS_BYTES)
        panic("host: physical address %#llx outside the arena", (unsigned long long)pa);
    return arena_base() + pa;
}

void host_phys_reset(void)
{
    memset(frame_state, 0, sizeof(frame_state));
    memset(&counts, 0, sizeof(counts));
    next_frame = 1;
}

static paddr_t take_frame(int fill)
{
    if (next_frame >= NFRAMES) return 0;
    uint64_t f = next_frame++;
    frame_state[f] = 1;
    counts.allocated++;
    memset(arena_base() + f * HOST_PHYS_FRAME, fill, HOST_PHYS_FRAME);
    return f * HOST_PHYS_FRAME;
}

paddr_t host_phys_alloc(void)
{
    return take_frame(0);
}

paddr_t host_phys_alloc_dirty(void)
{
    return take_frame(HOST_PHYS_POISON);
}

bool host_phys_is_allocated(paddr_t frame)
{
    return frame % HOST_PHYS_FRAME == 0 && frame < HOST_PHYS_BYTES &&
           frame_state[frame / HOST_PHYS_FRAME];
}

bool host_phys_free(paddr_t frame)
{
    if (!host_phys_is_allocated(frame)) {
        counts.bad_frees++;
        return false;
    }
    frame_state[frame / HOST_PHYS_FRAME] = 0;
    counts.freed++;
    /* Poison what was freed so a later use of a freed table reads garbage, not zeros. */
    memset(arena_base() + frame, 0xdd, HOST_PHYS_FRAME);
    return true;
}

struct host_phys_counts host_phys_counts(void)
{
    return counts;
}
