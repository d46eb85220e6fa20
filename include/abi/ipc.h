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
#define UTCB_AREA_PAGES 64             /* the kernel's; no task can map, unmap or grant there */
#define TCR_ERROR 0                    /* the last IPC error, also left here by the kernel */
/* Written by the kernel when a message arrives flagged MSGTAG_F_REDIRECTED or _FORWARDED: whom
 * the sender meant, and who really sent it, as names the receiver's backend gives it. */
#define TCR_INTENDED_RECEIVER 1
#define TCR_ACTUAL_SENDER 2
/* ... and whether its sender waits for a reply (1: a call, which the receiver may answer or
 * pass on; 0: a send): what a chief needs to forward it the same way. */
#define TCR_SENDER_WAITS 3

/* Message tag: | label (48) | flags (4) | typed items (5) | untyped words (7) | */
#define MSGTAG(label, words, items, flags)                                                         \
    (((word_t)(label) << 16) | ((word_t)(flags)&0xf) << 12 | ((word_t)(items)&0x1f) << 7 |         \
     ((word_t)(words)&0x7f))
#define MSGTAG_WORDS(t) ((unsigned)((t)&0x7f))
#define MSGTAG_ITEMS(t) ((unsigned)(((t) >> 7) & 0x1f))
#define MSGTAG_FLAGS(t) ((unsigned)(((t) >> 12) & 0xf))
#define MSGTAG_LABEL(t) ((word_t)(t) >> 16)

/* Timeouts, 32 bits each: 0 = do not block, NEVER, else relative microseconds. */
#define TIMEOUT_ZERO 0u
#define TIMEOUT_NEVER 0xffffffffu
#define IPC_TIMEOUTS(snd, rcv) ((word_t)(uint32_t)(rcv) << 32 | (uint32_t)(snd))
#define IPC_SND_TIMEOUT(t) ((uint32_t)(t))
#define IPC_RCV_TIMEOUT(t) ((uint32_t)((t) >> 32))

/*
 * Typed items follow the untyped words in the message registers, two words each.
 *
 *   string:     mr[k] = ITEM_STRING | len << 4          mr[k+1] = address in the sender
 *               the receiver finds ITEM_STRING | copied << 4 and the address in its buffer.
 *   map/grant:  mr[k] = ITEM_MAP or ITEM_GRANT | kind << 4 | hotspot (page-aligned offset)
 *               mr[k+1] = a flexpage of the sender's space (FPAGE below)
 *               the receiver finds the same header and the flexpage as it landed in its space.
 *
 * The kernel copies a string into the next string buffer the receiver named in its buffer
 * registers; a string longer than that buffer is refused with E_MSGCUT (nothing overruns).
 * A map item gives the receiver the sender's pages in the flexpage (pages not mapped there are
 * skipped), at hotspot modulo the size of the receiver's window, with the rights of the
 * flexpage and never more than the sender had; grant also removes them from the sender.
 */
#define ITEM_STRING 1u
#define ITEM_MAP 2u
#define ITEM_GRANT 3u
#define ITEM_TYPE(w) ((unsigned)((w)&0xf))
#define ITEM_STRING_HDR(len) ((word_t)(len) << 4 | ITEM_STRING)
#define ITEM_STRING_LEN(w) ((word_t)(w) >> 4)
#define ITEM_MAP_HDR(type, kind, hotspot)                                                          \
    (((word_t)(hotspot) & ~0xfffUL) | ((word_t)(kind)&0xff) << 4 | (type))
#define ITEM_MAP_KIND(w) ((unsigned)(((w) >> 4) & 0xff))
#define ITEM_MAP_HOTSPOT(w) ((word_t)(w) & ~0xfffUL)
#define IPC_STRING_MAX (1UL << 20) /* one string item carries at most 1 MiB */

/* Flexpage kinds: what a flexpage's base indexes. Backends add kinds from FPAGE_KIND_BACKEND. */
#define FPAGE_KIND_MEM 0u     /* virtual memory; base is an address */
#define FPAGE_KIND_BACKEND 1u /* first kind a backend may define (capabilities, IPC rights) */

/* Flexpage: | base (52, 4 KiB granular for memory) | order (6) | rights (4) |; size 2^order. */
#define FPAGE(base, order, rights)                                                                 \
    (((word_t)(base) & ~0xfffUL) | ((word_t)(order)&0x3f) << 4 | ((word_t)(rights)&0xf))
#define FPAGE_BASE(f) ((word_t)(f) & ~0xfffUL)
#define FPAGE_ORDER(f) ((unsigned)(((f) >> 4) & 0x3f))
#define FPAGE_RIGHTS(f) ((unsigned)((f)&0xf))
#define FPAGE_R 1u
#define FPAGE_W 2u
#define FPAGE_X 4u
#define FPAGE_RWX 7u

/* Buffer registers: where typed items may land in the receiver. */
#define BR_MAP_WINDOW 0 /* a memory flexpage: where received mappings go (0 = none) */
#define BR_OBJ_WINDOW 1 /* the backend's object window (capability slots etc.; 0 = none) */
#define BR_NSTRINGS 2   /* number of string buffers that follow, at most UTCB_BR_STRINGS */
#define BR_STRING0 3 /* buffer i: br[BR_STRING0 + 2i] = address, br[BR_STRING0 + 2i + 1] = size */
#define UTCB_BR_STRINGS ((UTCB_BRS - BR_STRING0) / 2)

/*
 * Notifications: an IRQ-like kernel object. Triggering ORs bits into it and never blocks; the
 * bound thread receives them in an open wait as a message flagged MSGTAG_F_NOTIFY, labelled
 * with the notification's label, carrying the accumulated bits in mr[0].
 */
#define MSGTAG_F_NOTIFY 1u
/* Set by the kernel only (a user tag with any flag is E_INVAL): the backend redirected the
 * message to this receiver (a chief); the sender claimed another identity and the backend let
 * it (deceit: the label and a closed wait see the claimed sender). */
#define MSGTAG_F_REDIRECTED 2u
#define MSGTAG_F_FORWARDED 4u

/*
 * Exceptions as IPC. A fault makes the faulting thread call its pager (page faults) or its
 * exception handler (other CPU exceptions); its message registers are saved around the call.
 *   page fault:  label IPC_LABEL_PAGEFAULT, mr[0] = address, mr[1] = access (FPAGE_R/W/X),
 *                mr[2] = ip. The reply's map items land anywhere in the faulter's space
 *                (the window is the whole space); the thread then retries the access.
 *   exception:   label IPC_LABEL_EXCEPTION, mr[0] = vector, mr[1] = error code, mr[2] = ip.
 *                A reply with one word resumes at that ip; with no words, at the same ip.
 * A reply labelled IPC_LABEL_KILL, or no handler, or a failed IPC, kills the task.
 */
#define IPC_LABEL_PAGEFAULT 0xfff0UL
#define IPC_LABEL_EXCEPTION 0xfff1UL
#define IPC_LABEL_KILL 0xfff2UL
/*
 * Policy faults: a send the backend neither allows nor refuses makes the sender call its
 * monitor (the backend names it): label IPC_LABEL_POLICY_FAULT, mr[0] = the sender and
 * mr[1] = the intended destination (as the backend names them for the monitor), mr[2] = the
 * send's tag, mr[3] = the identity it claimed (0: none). The sender's message registers are
 * preserved. A reply labelled IPC_LABEL_DENY refuses (the send fails with E_DENIED); any other
 * reply (typically carrying a map item of the backend's rights) makes the kernel resolve the
 * send once more, with what is left of its timeout; a second fault is a refusal.
 */
#define IPC_LABEL_POLICY_FAULT 0xfff3UL
#define IPC_LABEL_DENY 0xfff4UL

/* Names with a fixed meaning in every backend. */
#define IPC_NIL 0UL /* the nil thread: receiving from it with a timeout is sleep */

enum ipc_op {
    IPC_SEND = 1,       /* send to dest */
    IPC_RECV = 2,       /* closed wait: receive from dest only */
    IPC_WAIT = 3,       /* open wait: receive from anyone */
    IPC_CALL = 4,       /* send to dest, then wait for its reply; atomic */
    IPC_REPLY_WAIT = 5, /* reply to the last caller, then open wait; one system call.
                         * If the reply half fails (E_NOREPLY: no caller waits any more;
                         * E_MSGCUT, E_MAPFAIL...) the call returns that status at once and does
                         * NOT wait: a server loop must then wait with IPC_WAIT, or it spins
                         * (scn_serve in user/lib/scn.c shows the loop). */
    IPC_REPLY = 6,      /* reply to the last caller, never blocks */
    IPC_OP_COUNT
};

/*
 * Or'ed into a send or call: the sender claims to be someone else (deceit), named in the
 * system call's fifth argument. Only the backend can allow it (a chief for its clan); the
 * receiver then sees the claimed sender, and the message flagged MSGTAG_F_FORWARDED.
 */
#define IPC_OP_DECEIT 0x100u

#endif
