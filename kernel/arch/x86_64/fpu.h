/* SPDX-License-Identifier: MIT */
/* Lazy x87/SSE state switching (arch-internal): CR0.TS, an owner, and #NM. */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include "kernel.h"

struct thread;

/*
 * The thread whose state is in the FPU registers (NULL: nobody's that matters), and whether
 * CR0.TS is clear. TS is clear only while the owner runs, so a switch need do nothing unless
 * it leaves or enters the owner, the only thread whose arch_switch_work is set.
 */
extern struct thread *fpu_owner;
extern bool fpu_ts_clear;

void fpu_init(void);
/* A switch from or to the owner: TS set unless next owns the FPU. */
void fpu_switch_slow(struct thread *next);
/* #NM from user mode: current takes the FPU (the owner's state saved, its own loaded). */
void fpu_claim(struct thread *t);
/* t is dying: if it owns the FPU, nobody does now (its state is dropped, never saved). */
void fpu_thread_gone(struct thread *t);

#endif
