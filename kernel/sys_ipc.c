/* SPDX-License-Identifier: MIT */
/* The IPC system call: the fast path first, the general path for everything else. */
#include "arch.h"
#include "ipc.h"
#include "sched.h"
#include "syscall.h"

/* The general path's half, out of line: the fast path's caller then needs no stack frame. */
static __attribute__((noinline)) long ipc_general(struct thread *cur, word_t op, word_t dest,
                                                  word_t tag, word_t timeouts, word_t claimed)
{
    struct trap_frame *f = arch_thread_frame(cur);
    long r = ipc_do(cur, op, dest, tag, timeouts, claimed);
    FRAME_RESULT_TAG(f) = r == 0 ? cur->ipc_rcv_tag : 0;
    FRAME_RESULT_LABEL(f) = r == 0 ? cur->ipc_rcv_label : 0;
    return r;
}

/*
 * The table's entry for SYS_ipc. The arch entry stub sends every IPC system call to
 * syscall_ipc (below) instead, so this one only ever takes the general path; it is kept so the
 * table stays complete. a4: with IPC_OP_DECEIT in op, the identity the sender claims.
 */
long sys_ipc(word_t op, word_t dest, word_t tag, word_t timeouts, word_t claimed)
{
    return ipc_general(current, op, dest, tag, timeouts, claimed);
}

/* The general path's entry, out of line: the fast path's caller keeps no registers for it. */
static __attribute__((noinline)) void syscall_ipc_general(word_t op, word_t dest, word_t tag,
                                                          word_t timeouts, word_t claimed)
{
    struct thread *cur = current;
    FRAME_RESULT(arch_thread_frame(cur)) =
        (word_t)ipc_general(cur, op, dest, tag, timeouts, claimed);
    sched_preempt_point();
}

/* The IPC system call's own entry: the arch stub sends SYS_ipc here without the table, with
 * the arguments still in the ABI's registers. On success the fast path does not return: the
 * caller resumes in ipc_user_resume. Deceit (IPC_OP_DECEIT) never matches the fast path's ops,
 * so it costs the fast path nothing. */
void syscall_ipc(word_t op, word_t dest, word_t tag, word_t timeouts, word_t claimed)
{
    if (likely(ipc_fastpath(current, op, dest, tag, timeouts))) __builtin_unreachable();
    syscall_ipc_general(op, dest, tag, timeouts, claimed);
}
