/* SPDX-License-Identifier: MIT */
/* CPU-specific types the generic kernel may hold by value: the trap frame, addresses. */
#ifndef ARCH_TYPES_H
#define ARCH_TYPES_H

#include "abi/types.h"

typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;

/* Built by entry.S on the kernel stack for every entry; the lowest address is r15. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

/*
 * The CPU layer's part of every thread: its x87/SSE registers while another thread owns the
 * FPU (the fxsave64 image), and whether it ever used the FPU. Only the #NM handler and a
 * dying thread touch it, so struct thread keeps it last, away from the IPC path's lines.
 */
struct arch_thread {
    uint8_t fpu_area[512] __attribute__((aligned(16)));
    bool fpu_used; /* has an FPU state of its own; else it starts from the initial state */
};

/* System-call arguments and result, named by the ABI (abi/syscall.h). */
#define FRAME_SYSNO(f) ((f)->rax)
#define FRAME_ARG0(f) ((f)->rdi)
#define FRAME_ARG1(f) ((f)->rsi)
#define FRAME_ARG2(f) ((f)->rdx)
#define FRAME_ARG3(f) ((f)->r10)
#define FRAME_ARG4(f) ((f)->r8)
#define FRAME_RESULT(f) ((f)->rax)
/* IPC's second and third results: the received tag and label (abi/ipc.h). */
#define FRAME_RESULT_TAG(f) ((f)->rsi)
#define FRAME_RESULT_LABEL(f) ((f)->rdi)
/* Where the thread resumes; only ever set to a validated user address. */
#define FRAME_IP(f) ((f)->rip)

#endif
