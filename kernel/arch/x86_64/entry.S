/* SPDX-License-Identifier: MIT */
/*
 * Kernel entry and exit: interrupt/exception stubs, the syscall entry, and the stack switch.
 * Every entry builds the same struct trap_frame (arch_types.h) on the thread's kernel stack,
 * so C code sees one layout whether it came from `syscall` or an interrupt.
 */
#include "layout.h"

.macro PUSH_GPRS
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro POP_GPRS
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
.endm

/*
 * 256 stubs, each 16-byte aligned, so stub v is at isr_stubs + 16 * v (idt.c relies on it).
 * Vectors where the CPU pushes an error code: 8, 10-14, 17, 21, 29, 30; the others push 0.
 */
    .altmacro
.macro ISR vec
    .align 16
    .if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    pushq $0
    .endif
    pushq $\vec
    jmp isr_common
.endm

    .text
    .align 16
    .global isr_stubs
isr_stubs:
    .set vec, 0
    .rept 256
    ISR %vec
    .set vec, vec + 1
    .endr
    .noaltmacro

isr_common:
    cld
    PUSH_GPRS
    movq %rsp, %rdi
    call trap_dispatch
    .global trap_return
trap_return:
    POP_GPRS
    addq $16, %rsp          /* vector and error code */
    iretq

/*
 * syscall: rcx = user rip, r11 = user rflags, interrupts masked and DF cleared by SFMASK
 * (descriptors.c), so no cld. There is one CPU, so the user rsp can be parked in a global
 * until it is pushed into the frame. The IPC system call branches off first (ipc_entry).
 */
    .global syscall_entry
syscall_entry:
    cmpq $SYSCALL_NR_IPC, %rax
    je ipc_entry
    movq %rsp, cpu_user_rsp(%rip)
    movq tss+4(%rip), %rsp  /* rsp0: the running thread's kernel stack top (one copy) */
    pushq $SEL_UDATA
    pushq cpu_user_rsp(%rip)
    pushq %r11
    pushq $SEL_UCODE
    pushq %rcx
    pushq $0
    pushq $VECTOR_SYSCALL
    PUSH_GPRS
    movq %rsp, %rdi
    call syscall_dispatch
    .global syscall_return
syscall_return:
    /*
     * sysret to a non-canonical rip would raise #GP in ring 0 on Intel CPUs with the user's
     * rsp loaded. It cannot happen here: rip is either the one `syscall` saved (at most
     * USER_TOP, since the last canonical user page is never mapped: a syscall at its very end
     * returns to that page and faults in ring 3) or one the kernel validated against the user
     * range (exception handler resume, thread creation). Boot test fault_sysret_top.
     * One load per register (struct trap_frame's offsets): the frame's rcx and r11 slots are
     * not read (sysret takes rip and rflags there), nor vector, error, cs and ss.
     */
    movq 0(%rsp), %r15
    movq 8(%rsp), %r14
    movq 16(%rsp), %r13
    movq 24(%rsp), %r12
    movq 40(%rsp), %r10
    movq 48(%rsp), %r9
    movq 56(%rsp), %r8
    movq 64(%rsp), %rbp
    movq 72(%rsp), %rdi
    movq 80(%rsp), %rsi
    movq 88(%rsp), %rdx
    movq 104(%rsp), %rbx
    movq 112(%rsp), %rax
    movq 136(%rsp), %rcx    /* rip */
    movq 152(%rsp), %r11    /* rflags */
    movq 160(%rsp), %rsp    /* user rsp; ss is implied by sysret */
    sysretq

/*
 * arch_switch_stack(uint64_t *save_sp, uint64_t new_sp): saves the callee-saved registers
 * on the current kernel stack, parks its rsp in *save_sp and resumes the other stack.
 */
    .global arch_switch_stack
arch_switch_stack:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret

/*
 * The IPC system call skips the table: its arguments are still where the ABI put them (rdi,
 * rsi, rdx, r10 -> rcx, r8), so syscall_ipc takes them as a C call. Only what the IPC ABI
 * preserves is saved (abi/ipc.h: rbx, rbp, r12-r15; rax, rsi, rdi are results; rcx, rdx, r8-r11
 * are scratch), with rip, rflags and rsp: the other slots keep this thread's own older values,
 * so the exit through syscall_return, which restores every register, hands back nothing that
 * is not its own. The cs and ss slots are not written: every entry from user mode (and
 * arch_thread_setup) leaves SEL_UCODE and SEL_UDATA there, and sysret does not read them;
 * vector and error are read only for interrupt frames. r9 is scratch and no IPC argument.
 */
ipc_entry:
    movq %rsp, %r9
    movq tss+4(%rip), %rsp  /* rsp0, as above */
    subq $TRAP_FRAME_SIZE, %rsp
    movq %r9, 160(%rsp)     /* user rsp */
    movq %r11, 152(%rsp)    /* rflags */
    movq %rcx, 136(%rsp)    /* rip */
    movq %rbx, 104(%rsp)
    movq %rbp, 64(%rsp)
    movq %r12, 24(%rsp)
    movq %r13, 16(%rsp)
    movq %r14, 8(%rsp)
    movq %r15, 0(%rsp)
    movq %r10, %rcx
    call syscall_ipc
    jmp syscall_return

/*
 * arch_ipc_exit(next_frame, tag, label): the fast path's exit. The partner leaves its IPC
 * through its frame with the results in registers (rax 0, rsi tag, rdi label, abi/ipc.h),
 * loading only what the IPC ABI preserves plus rip, rflags and rsp; the IPC scratch registers
 * (rdx, r8-r10) are zeroed, so nothing of the kernel leaks. The caller has written prev's
 * resume record (arch.c); nothing on this stack is needed any more.
 */
    .global arch_ipc_exit
arch_ipc_exit:
    movq 0(%rdi), %r15
    movq 8(%rdi), %r14
    movq 16(%rdi), %r13
    movq 24(%rdi), %r12
    movq 64(%rdi), %rbp
    movq 104(%rdi), %rbx
    movq 136(%rdi), %rcx    /* rip */
    movq 152(%rdi), %r11    /* rflags */
    movq 160(%rdi), %rsp    /* user rsp */
    movq %rdx, %rdi
    xorl %eax, %eax
    xorl %edx, %edx
    xorl %r8d, %r8d
    xorl %r9d, %r9d
    xorl %r10d, %r10d
    sysretq

/* A thread that blocked in the fast path runs again: results into its frame, then leave. */
    .global ipc_resume_trampoline
ipc_resume_trampoline:
    call ipc_user_resume
    jmp syscall_return

/* First code a new thread runs: finish the switch in C, then leave through its frame. */
    .global thread_trampoline
thread_trampoline:
    call sched_switch_finish
    jmp trap_return

    .data
cpu_user_rsp:   .quad 0

    .section .note.GNU-stack, "", @progbits
