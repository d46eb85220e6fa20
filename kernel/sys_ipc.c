/* SPDX-License-Identifier: MIT */
/* The IPC system call: the fast path first, the general path for everything else. */
#include "arch.h"
#include "ipc.h"
#include "sched.h"
#include "syscall.h"

/* a4: with IPC_OP_DECEIT in op, the identity the sender claims; only the backend allows it.
 * Such an op never matches the fast path's, so deceit costs the fast path nothing. */
long sys_ipc(word_t op, word_t dest, word_t tag, word_t timeouts, word_t claimed)
{
    struct thread *cur = current;
    struct trap_frame *f = arch_thread_frame(cur);
    long r;
    /* On success the fast path does not return: the caller resumes in ipc_user_resume. */
    if (likely(ipc_fastpath(cur, op, dest, tag, timeouts))) __builtin_unreachable();
    word_t rtag = 0, rlabel = 0;
    r = ipc_do(cur, op, dest, tag, timeouts, claimed, &rtag, &rlabel);
    FRAME_RESULT_TAG(f) = rtag;
    FRAME_RESULT_LABEL(f) = rlabel;
    return r;
}
