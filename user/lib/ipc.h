/* SPDX-License-Identifier: MIT */
/* IPC bindings: one C function per operation (abi/ipc.h describes the semantics). */
#ifndef ULIB_IPC_H
#define ULIB_IPC_H

#include "abi/ipc.h"
#include "abi/syscall.h"

/* This thread's UTCB; its first word holds its own address and %fs points at it. */
static inline struct utcb *utcb(void)
{
    struct utcb *u;
    __asm__("movq %%fs:0, %0" : "=r"(u));
    return u;
}

/* The raw call: returns 0 or -status; after a receive, *tag and *label are what arrived. */
static inline long ipc(word_t op, word_t dest, word_t tag, word_t timeouts, word_t *rtag,
                       word_t *rlabel)
{
    register word_t r10 __asm__("r10") = timeouts;
    long ret;
    word_t t, l;
    __asm__ volatile("syscall"
                     : "=a"(ret), "=S"(t), "=D"(l), "+r"(r10), "+d"(tag)
                     : "a"((word_t)SYS_ipc), "D"(op), "S"(dest)
                     : "rcx", "r8", "r9", "r11", "memory");
    if (rtag) *rtag = t;
    if (rlabel) *rlabel = l;
    return ret;
}

/* A send (IPC_SEND) or call (IPC_CALL) in the name of `claimed` (deceit): the backend decides
 * whether this sender may (E_PERM otherwise). */
static inline long ipc_as(word_t op, word_t dest, word_t tag, word_t timeouts, word_t claimed,
                          word_t *rtag, word_t *rlabel)
{
    register word_t r10 __asm__("r10") = timeouts;
    register word_t r8 __asm__("r8") = claimed;
    long ret;
    word_t t, l;
    __asm__ volatile("syscall"
                     : "=a"(ret), "=S"(t), "=D"(l), "+r"(r10), "+r"(r8), "+d"(tag)
                     : "a"((word_t)SYS_ipc), "D"(op | IPC_OP_DECEIT), "S"(dest)
                     : "rcx", "r9", "r11", "memory");
    if (rtag) *rtag = t;
    if (rlabel) *rlabel = l;
    return ret;
}

static inline long ipc_send(word_t dest, word_t tag, uint32_t snd_timeout)
{
    return ipc(IPC_SEND, dest, tag, IPC_TIMEOUTS(snd_timeout, 0), 0, 0);
}
static inline long ipc_recv(word_t from, uint32_t timeout, word_t *tag, word_t *label)
{
    return ipc(IPC_RECV, from, 0, IPC_TIMEOUTS(0, timeout), tag, label);
}
static inline long ipc_wait(uint32_t timeout, word_t *tag, word_t *label)
{
    return ipc(IPC_WAIT, 0, 0, IPC_TIMEOUTS(0, timeout), tag, label);
}
static inline long ipc_call(word_t dest, word_t tag, uint32_t snd_to, uint32_t rcv_to, word_t *rtag,
                            word_t *rlabel)
{
    return ipc(IPC_CALL, dest, tag, IPC_TIMEOUTS(snd_to, rcv_to), rtag, rlabel);
}
static inline long ipc_reply_wait(word_t tag, uint32_t timeout, word_t *rtag, word_t *rlabel)
{
    return ipc(IPC_REPLY_WAIT, 0, tag, IPC_TIMEOUTS(0, timeout), rtag, rlabel);
}
static inline long ipc_reply(word_t tag)
{
    return ipc(IPC_REPLY, 0, tag, 0, 0, 0);
}

/* Sleep is a receive from the nil thread that times out: returns -E_RECV_TIMEOUT. */
static inline long sleep_us(uint32_t us)
{
    return ipc(IPC_RECV, IPC_NIL, 0, IPC_TIMEOUTS(0, us), 0, 0);
}

#endif
