/* SPDX-License-Identifier: MIT */
/*
 * IPC ABI: the UTCB, message tags, timeouts, destination names and operations.
 *
 * One system call, SYS_ipc(op, dest, tag, timeouts):
 *   op        enum ipc_op
 *   dest      the name of the partner; what a name means belongs to the backend (for `none`
 *             a global thread id). Ignored by IPC_WAIT and by the reply operations, which
 *             always answer the caller whose call this thread received last.
 *   tag       the message tag of the send phase (words are taken from the sender's UTCB)
 *   timeouts  IPC_TIMEOUTS(send, receive)
 * Returns 0 or -status in rax; after a receive phase rsi holds the received tag and rdi the
 * label the backend gave the sender (for `none`: the sender's thread id). Message registers
 * arrive in the receiver's UTCB.
 */
#ifndef ABI_IPC_H
#define ABI_IPC_H

#include "types.h"

#define UTCB_MRS 64
#define UTCB_BRS 16
#define UTCB_TCRS 8

/* One page per thread, mapped in its task; word 0 holds its own address (read via %fs:0). */
struct utcb {
    word_t self;
    word_t mr[UTCB_MRS];   /* message registers: copied to the receiver */
    word_t br[UTCB_BRS];   /* buffer registers: receive windows for typed items */
    word_t tcr[UTCB_TCRS]; /* thread control registers: private, never copied */
};

#define UTCB_AREA 0x0000600000000000UL /* thread slot i of a task: UTCB_AREA + i * PAGE */
#define TCR_ERROR 0                    /* the last IPC error, also left here by the kernel */

/* Message tag: | label (48) | flags (4) | typed items (5) | untyped words (7) | */
#define MSGTAG(label, words, items, flags)                                                         \
    (((word_t)(label) << 16) | ((word_t)(flags) & 0xf) << 12 | ((word_t)(items) & 0x1f) << 7 |     \
     ((word_t)(words) & 0x7f))
#define MSGTAG_WORDS(t) ((unsigned)((t) & 0x7f))
#define MSGTAG_ITEMS(t) ((unsigned)(((t) >> 7) & 0x1f))
#define MSGTAG_FLAGS(t) ((unsigned)(((t) >> 12) & 0xf))
#define MSGTAG_LABEL(t) ((word_t)(t) >> 16)

/* Timeouts, 32 bits each: 0 = do not block, NEVER, else relative microseconds. */
#define TIMEOUT_ZERO 0u
#define TIMEOUT_NEVER 0xffffffffu
#define IPC_TIMEOUTS(snd, rcv) ((word_t)(uint32_t)(rcv) << 32 | (uint32_t)(snd))
#define IPC_SND_TIMEOUT(t) ((uint32_t)(t))
#define IPC_RCV_TIMEOUT(t) ((uint32_t)((t) >> 32))

/* Names with a fixed meaning in every backend. */
#define IPC_NIL 0UL /* the nil thread: receiving from it with a timeout is sleep */

enum ipc_op {
    IPC_SEND = 1,       /* send to dest */
    IPC_RECV = 2,       /* closed wait: receive from dest only */
    IPC_WAIT = 3,       /* open wait: receive from anyone */
    IPC_CALL = 4,       /* send to dest, then wait for its reply; atomic */
    IPC_REPLY_WAIT = 5, /* reply to the last caller, then open wait; one system call */
    IPC_REPLY = 6,      /* reply to the last caller, never blocks */
    IPC_OP_COUNT
};

#endif
