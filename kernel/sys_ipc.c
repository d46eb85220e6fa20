/* SPDX-License-Identifier: MIT */
/* The IPC system call: the fast path first, the general path for everything else. */
#include "arch.h"
#include "ipc.h"
#include "sched.h"
#include "syscall.h"

long sys_ipc(word_t op, word_t dest, word_t tag, word_t timeouts, word_t a4)
{
    (void)a4;
    struct thread *cur = current;
    struct trap_frame *f = arch_thread_frame(cur);
    long r;
    if (likely(ipc_fastpath(cur, op, dest, tag, timeouts, &r))) {
        if (r == 0) {
            FRAME_RESULT_TAG(f) = cur->ipc_rcv_tag;
            FRAME_RESULT_LABEL(f) = cur->ipc_rcv_label;
        }
        return r;
    }
    word_t rtag = 0, rlabel = 0;
    r = ipc_do(cur, op, dest, tag, timeouts, &rtag, &rlabel);
    FRAME_RESULT_TAG(f) = rtag;
    FRAME_RESULT_LABEL(f) = rlabel;
    return r;
}
