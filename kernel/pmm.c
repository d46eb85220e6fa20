/* SPDX-License-Identifier: MIT */
/* Bitmap frame allocator; a rotating hint keeps allocation close to O(1) in practice. */
#include "pmm.h"

#define NFRAMES (PMM_MAX_BYTES / PMM_FRAME)

static uint64_t free_bits[NFRAMES / 64];  /* 1 = free */
static uint64_t known_bits[NFRAMES / 64]; /* 1 = managed (was ever added) */
static uint64_t total, nfree, hint;

void pmm_reset(void)
{
    for (size_t i = 0; i < NFRAMES / 64; i++)
        free_bits[i] = known_bits[i] = 0;
    total = nfree = hint = 0;
}

static bool bit(const uint64_t *m, uint64_t f)
{
    return (m[f / 64] >> (f % 64)) & 1;
}
static void set(uint64_t *m, uint64_t f)
{
    m[f / 64] |= 1ull << (f % 64);
}
static void clr(uint64_t *m, uint64_t f)
{
    m[f / 64] &= ~(1ull << (f % 64));
}

void pmm_add_free(paddr_t base, uint64_t len)
{
    if (base >= PMM_MAX_BYTES) return;
    if (len > PMM_MAX_BYTES - base) len = PMM_MAX_BYTES - base; /* no wrap-around */
    uint64_t first = (base + PMM_FRAME - 1) / PMM_FRAME;
    uint64_t end = (base + len) / PMM_FRAME;
    if (end > NFRAMES) end = NFRAMES;
    if (first == 0) first = 1;
    for (uint64_t f = first; f < end; f++) {
        if (bit(known_bits, f)) continue;
        set(known_bits, f);
        set(free_bits, f);
        total++;
        nfree++;
    }
}

void pmm_reserve(paddr_t base, uint64_t len)
{
    if (len == 0 || base >= PMM_MAX_BYTES) return; /* an empty range touches no frame */
    if (len > PMM_MAX_BYTES - base) len = PMM_MAX_BYTES - base;
    uint64_t first = base / PMM_FRAME;
    uint64_t end = (base + len + PMM_FRAME - 1) / PMM_FRAME;
    if (end > NFRAMES) end = NFRAMES;
    for (uint64_t f = first; f < end; f++) {
        if (!bit(known_bits, f)) continue;
        clr(known_bits, f);
        total--;
        if (bit(free_bits, f)) {
            clr(free_bits, f);
            nfree--;
        }
    }
}

paddr_t pmm_alloc(void)
{
    if (nfree == 0) return 0;
    for (uint64_t n = 0; n < NFRAMES / 64; n++) {
        uint64_t w = (hint + n) % (NFRAMES / 64);
        if (free_bits[w] == 0) continue;
        uint64_t f = w * 64 + (uint64_t)__builtin_ctzll(free_bits[w]);
        clr(free_bits, f);
        nfree--;
        hint = w;
        return f * PMM_FRAME;
    }
    return 0;
}

enum status pmm_free(paddr_t frame)
{
    uint64_t f = frame / PMM_FRAME;
    if (frame % PMM_FRAME != 0 || f >= NFRAMES || !bit(known_bits, f) || bit(free_bits, f))
        return E_INVAL;
    set(free_bits, f);
    nfree++;
    return OK;
}

struct pmm_stats pmm_stats(void)
{
    return (struct pmm_stats){total, nfree};
}
