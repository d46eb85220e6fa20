/* SPDX-License-Identifier: MIT */
/*
 * x87/SSE state per thread, switched lazily. CR0.TS is set whenever the running thread does
 * not own the FPU, so its first FPU or SSE instruction raises #NM; only then is the owner's
 * state saved (fxsave64) and the thread's own (or a clean initial state) loaded. Threads that
 * never touch the FPU cost a switch one flag test (arch_switch_work, set only for the owner). The
 * kernel itself never uses the FPU.
 */
#include "fpu.h"
#include "cpu.h"
#include "lib/mem.h"
#include "thread.h"

struct thread *fpu_owner;
bool fpu_ts_clear;
static uint64_t cr0_ts_set; /* CR0 with TS set: written without reading CR0 first */

/* What a thread that never used the FPU starts with: FINIT's control word, MXCSR's reset
 * value (all exceptions masked), every x87 and XMM register zero. */
static uint8_t fpu_initial[512] __attribute__((aligned(16)));

void fpu_init(void)
{
    uint64_t cr0 = (read_cr0() & ~CR0_EM) | CR0_MP | CR0_NE | CR0_TS;
    cr0_ts_set = cr0;
    write_cr0(cr0);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    fpu_owner = NULL;
    fpu_ts_clear = false;
    uint16_t fcw = 0x037f;
    uint32_t mxcsr = 0x1f80;
    memcpy(&fpu_initial[0], &fcw, sizeof(fcw));
    memcpy(&fpu_initial[24], &mxcsr, sizeof(mxcsr));
}

static void ts_set(void)
{
    write_cr0(cr0_ts_set);
    fpu_ts_clear = false;
}

static void ts_clear(void)
{
    clts();
    fpu_ts_clear = true;
}

void fpu_switch_slow(struct thread *next)
{
    if (next == fpu_owner) {
        if (!fpu_ts_clear) ts_clear();
    } else if (fpu_ts_clear) {
        ts_set();
    }
}

void fpu_claim(struct thread *t)
{
    ts_clear();
    if (fpu_owner == t) return; /* its state is still in the registers */
    if (fpu_owner) {
        fxsave64(fpu_owner->arch.fpu_area);
        fpu_owner->arch_switch_work = 0;
    }
    fxrstor64(t->arch.fpu_used ? t->arch.fpu_area : fpu_initial);
    t->arch.fpu_used = true;
    t->arch_switch_work = 1;
    fpu_owner = t;
}

void fpu_thread_gone(struct thread *t)
{
    if (t != fpu_owner) return;
    t->arch_switch_work = 0;
    fpu_owner = NULL;
    if (fpu_ts_clear) ts_set(); /* nobody may run on with the dead thread's registers */
}
