/* SPDX-License-Identifier: MIT */
/*
 * User faults, described without CPU details. The arch layer fills a fault_info and calls
 * fault_user(); the generic path decides what happens: today a fault with no handler kills
 * the task with a diagnostic; the IPC layer turns the same point into an IPC to the pager.
 */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include "kernel.h"

enum fault_kind {
    FAULT_PAGE,       /* access to an unmapped page or one without the needed rights */
    FAULT_INVALID_OP, /* undefined or privileged instruction */
    FAULT_PROTECTION, /* general protection: e.g. a non-canonical address, `int n` */
    FAULT_DIVIDE,     /* divide error */
    FAULT_BREAKPOINT, /* int3 */
    FAULT_X87,        /* x87 floating-point exception (#MF): an unmasked one, then a wait */
    FAULT_SIMD,       /* SSE floating-point exception (#XM): unmasked in MXCSR */
    FAULT_OTHER,
};

struct fault_info {
    enum fault_kind kind;
    unsigned vector; /* the CPU's exception number */
    word_t error;    /* the CPU's error code */
    vaddr_t addr;    /* faulting address (page faults) */
    vaddr_t ip;      /* instruction pointer */
    unsigned access; /* VM_R / VM_W / VM_X: what the access wanted (page faults) */
    bool present;    /* the page was mapped, the rights were insufficient */
};

/*
 * How long a fault waits for its handler to take it (the send phase); the reply may take as
 * long as the handler needs: a handler that never answers leaves the thread blocked until the
 * handler dies (E_CANCELLED: the task is killed) or the task's creator kills it (task_kill).
 * A handler named by a gate with no receiver is gone: the task is killed at once.
 */
#define FAULT_SEND_TIMEOUT_US 100000u

const char *fault_kind_text(enum fault_kind k);

struct ipc_route;
struct thread;
/*
 * A policy fault (ROUTE_FAULT): `t` calls the monitor the backend named in `r` with the
 * abi/ipc.h IPC_LABEL_POLICY_FAULT message. OK: the monitor answered, resolve again;
 * E_DENIED: it refused; otherwise why it could not be asked (gone, timed out).
 */
enum status fault_policy(struct thread *t, const struct ipc_route *r, word_t dest, word_t tag,
                         word_t claimed, word_t timeouts);

/* Called with the current thread's frame. Returns if the thread may resume (handled). */
void fault_user(struct trap_frame *f, const struct fault_info *fi);

#endif
