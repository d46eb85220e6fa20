/* SPDX-License-Identifier: MIT */
/*
 * Whole x87/SSE register images for tests: fill one with a recognisable pattern, load it
 * (fxrstor64), save the live registers (fxsave64) and compare. The layout is the CPU's
 * 64-bit FXSAVE area; programs build with -mgeneral-regs-only, so only asm touches the FPU.
 */
#ifndef ULIB_FPU_H
#define ULIB_FPU_H

#include "abi/types.h"

#define FPU_AREA 512
#define FPU_FCW 0
#define FPU_FSW 2
#define FPU_FTW 4
#define FPU_MXCSR 24
#define FPU_ST(i) (32 + 16 * (i)) /* 10 bytes used of 16 */
#define FPU_XMM(i) (160 + 16 * (i))
#define FPU_FCW_INIT 0x037f   /* what FNINIT loads: every x87 exception masked */
#define FPU_MXCSR_INIT 0x1f80 /* the reset value: every SSE exception masked */

struct fpu_image {
    uint8_t b[FPU_AREA];
} __attribute__((aligned(16)));

static inline void fpu_save(struct fpu_image *img)
{
    __asm__ volatile("fxsave64 %0" : "=m"(*img));
}

static inline void fpu_load(const struct fpu_image *img)
{
    __asm__ volatile("fxrstor64 %0" ::"m"(*img));
}

static inline uint8_t fpu_pattern(unsigned seed, unsigned reg, unsigned byte)
{
    return (uint8_t)(seed * 0x3b + reg * 0x11 + byte * 7 + 1);
}

/* Every x87 register (valid, distinct per seed) and every XMM register filled. */
static inline void fpu_fill(struct fpu_image *img, unsigned seed)
{
    for (unsigned i = 0; i < FPU_AREA; i++)
        img->b[i] = 0;
    img->b[FPU_FCW] = FPU_FCW_INIT & 0xff;
    img->b[FPU_FCW + 1] = FPU_FCW_INIT >> 8;
    img->b[FPU_FTW] = 0xff;
    img->b[FPU_MXCSR] = FPU_MXCSR_INIT & 0xff;
    img->b[FPU_MXCSR + 1] = FPU_MXCSR_INIT >> 8;
    for (unsigned r = 0; r < 8; r++)
        for (unsigned j = 0; j < 10; j++)
            img->b[FPU_ST(r) + j] = fpu_pattern(seed, r, j);
    for (unsigned r = 0; r < 16; r++)
        for (unsigned j = 0; j < 16; j++)
            img->b[FPU_XMM(r) + j] = fpu_pattern(seed, 8 + r, j);
}

/* The live registers hold exactly what fpu_fill(seed) put there. */
static inline bool fpu_holds(unsigned seed)
{
    struct fpu_image want, got;
    fpu_fill(&want, seed);
    fpu_save(&got);
    /* FCW, FSW, FTW; not FOP, FIP, FDP: the last instruction's opcode and addresses */
    for (unsigned i = 0; i < 5; i++)
        if (want.b[i] != got.b[i]) return false;
    for (unsigned i = FPU_MXCSR; i < FPU_MXCSR + 4; i++)
        if (want.b[i] != got.b[i]) return false;
    for (unsigned r = 0; r < 8; r++)
        for (unsigned j = 0; j < 10; j++)
            if (want.b[FPU_ST(r) + j] != got.b[FPU_ST(r) + j]) return false;
    for (unsigned i = FPU_XMM(0); i < FPU_XMM(16); i++)
        if (want.b[i] != got.b[i]) return false;
    return true;
}

/* The live registers are in the state a new thread starts with: control words at their
 * initial values, nothing pending, every register zero. */
static inline bool fpu_is_initial(void)
{
    struct fpu_image got;
    fpu_save(&got);
    uint16_t fcw = (uint16_t)(got.b[FPU_FCW] | got.b[FPU_FCW + 1] << 8);
    uint16_t fsw = (uint16_t)(got.b[FPU_FSW] | got.b[FPU_FSW + 1] << 8);
    uint32_t mxcsr = (uint32_t)(got.b[FPU_MXCSR] | got.b[FPU_MXCSR + 1] << 8);
    if (fcw != FPU_FCW_INIT || fsw != 0 || got.b[FPU_FTW] != 0 || mxcsr != FPU_MXCSR_INIT)
        return false;
    for (unsigned r = 0; r < 8; r++)
        for (unsigned j = 0; j < 10; j++)
            if (got.b[FPU_ST(r) + j] != 0) return false;
    for (unsigned i = FPU_XMM(0); i < FPU_XMM(16); i++)
        if (got.b[i] != 0) return false;
    return true;
}

#endif
