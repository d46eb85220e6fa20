/* SPDX-License-Identifier: MIT */
/* The IPC system call: the fast path first, the general path for everything else. */
#include "arch.h"
#include "ipc.h"
#include "sched.h"
#include "syscall.h"

long sys_ipc(word_t op, word_t dest, word_t tag, word_t timeouts, word_t a4)
{
    (void)a4;
    word_t rtag = 0, rlabel = 0;
    long r = ipc_do(current, op, dest, tag, timeouts, &rtag, &rlabel);
    struct trap_frame *f = arch_thread_frame(current);
    f->rsi = rtag;
    f->rdi = rlabel;
    return r;
}
