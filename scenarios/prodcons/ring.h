/* SPDX-License-Identifier: MIT */
/*
 * The shared ring of the prodcons scenarios: one page the consumer owns and maps to its
 * producer in the reply to OP_CONNECT. The consumer's "waiting" flag lives in the page: the
 * consumer sets it before it blocks, the producer wakes it only if it is set.
 */
#ifndef PRODCONS_RING_H
#define PRODCONS_RING_H

#include "scn.h"

/* Message-tag labels: match the `proto` of the contracts in prodcons*.scn. */
#define OP_WAKEUP 1  /* producer -> consumer: data in the ring (IPC, or a notification's label) */
#define OP_SPACE 2   /* consumer -> producer: space in the ring (a reply, or a notification) */
#define OP_CONNECT 3 /* producer -> consumer: mr[0] = MODE_*; reply OP_RING with the page */
#define OP_RING 4    /* reply: a map item of the ring page */
#define OP_NOTIFY                                                                                  \
    5 /* producer -> consumer: the producer's space notification (a name);                         \
         reply OP_NAMES with the consumer's data notification (a name) */
#define OP_NAMES 6

#define MODE_IPC 0    /* wake-ups are IPC sends */
#define MODE_NOTIFY 1 /* wake-ups are notification triggers */

#define RING_SLOTS 8
#define RING_WINDOW 0x10000000UL /* where the producer receives the page */

struct ring {
    volatile word_t waiting;      /* the consumer is about to wait / waits for data */
    volatile word_t prod_waiting; /* the producer waits for space (notification variant) */
    volatile word_t head, tail;   /* producer writes head, consumer writes tail */
    volatile word_t total;        /* items the producer will send (0: not known yet) */
    volatile word_t dropped;      /* items the producer dropped (ring full) */
    volatile word_t data[RING_SLOTS];
};

static inline bool ring_full(const struct ring *r)
{
    return r->head - r->tail == RING_SLOTS;
}
static inline bool ring_empty(const struct ring *r)
{
    return r->head == r->tail;
}

/* Takes everything in the ring, folding it into *sum; returns how many items. */
static inline unsigned ring_drain(struct ring *r, word_t *sum)
{
    unsigned n = 0;
    while (!ring_empty(r)) {
        *sum = *sum * 31 + r->data[r->tail % RING_SLOTS];
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        r->tail++;
        n++;
    }
    return n;
}

/* Producer: the name of its one channel (c_ring1 or c_ring2) in *ch, or -E_NOENT. */
static inline long ring_channel(const char **ch)
{
    *ch = "c_ring1";
    long dest = scn_channel(*ch);
    if (dest >= 0) return dest;
    *ch = "c_ring2";
    return scn_channel(*ch);
}

/* Producer: asks the consumer behind `dest` for its ring page, mapped at RING_WINDOW. */
static inline long ring_connect(word_t dest, word_t mode)
{
    struct utcb *u = utcb();
    word_t tag, label;
    u->br[BR_MAP_WINDOW] = FPAGE(RING_WINDOW, 12, FPAGE_RWX);
    u->mr[0] = mode;
    long r = ipc_call(dest, MSGTAG(OP_CONNECT, 1, 0, 0), TIMEOUT_NEVER, 300000, &tag, &label);
    if (r == 0 && (MSGTAG_LABEL(tag) != OP_RING || MSGTAG_ITEMS(tag) != 1)) r = -E_MAPFAIL;
    return r;
}

/* Consumer: waits for its producer's OP_CONNECT and maps it `page` in the reply. Returns the
 * producer's MODE_*, or -status; *label is what the request arrived with. */
static inline long ring_accept(void *page, word_t *label)
{
    struct utcb *u = utcb();
    word_t tag;
    long r = ipc_wait(500000, &tag, label);
    if (r == 0 && MSGTAG_LABEL(tag) != OP_CONNECT) r = -E_INVAL;
    if (r < 0) return r;
    long mode = MSGTAG_WORDS(tag) ? (long)u->mr[0] : MODE_IPC;
    u->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_MEM, 0);
    u->mr[1] = FPAGE((word_t)page, 12, FPAGE_R | FPAGE_W);
    r = ipc_reply(MSGTAG(OP_RING, 0, 1, 0));
    return r < 0 ? r : mode;
}

#endif
