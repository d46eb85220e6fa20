/* SPDX-License-Identifier: MIT */
/*
 * Backend `ports` (Mach 3 / xnu style): tasks hold port rights under task-local names; a send
 * names a port through a send or send-once right, and the receiver learns the port's name in
 * the receive right's space as the label, never the sender's identity. A receiver waiting for
 * the port gets the message through the shared rendezvous (fast path); otherwise the message
 * is copied into the port's bounded queue, charged to the sender (kernel/ipc_queue.h).
 * A call is never buffered: it goes to the port's receiver synchronously (the core blocks the
 * caller on it, as under every backend). Dispositions and attributes: abi/ports.h.
 */
#ifndef POLICY_H
#define POLICY_H

#include "ipc.h"
#include "port.h"

#define POLICY_NAME "ports"
#define POLICY_DESCRIPTOR BACKEND_DESC_PORTS /* abi/backend.h */

/* Whether every typed item of the message is a right (the only items a queue keeps). */
static inline bool ports_bufferable(const struct thread *sender, word_t tag)
{
    unsigned words = MSGTAG_WORDS(tag), items = MSGTAG_ITEMS(tag);
    for (unsigned i = 0; i < items && words + 2 * i < UTCB_MRS; i++) {
        word_t hdr = sender->utcb->mr[words + 2 * i];
        if ((ITEM_TYPE(hdr) != ITEM_MAP && ITEM_TYPE(hdr) != ITEM_GRANT) ||
            ITEM_MAP_KIND(hdr) != FPAGE_KIND_BACKEND)
            return false;
    }
    return true;
}

/* The one decision on the IPC path: a name-table load and a few compares. */
static inline void policy_resolve(struct thread *sender, word_t name, word_t tag, word_t claimed,
                                  struct ipc_route *out)
{
    const struct port_name *e = &sender->task->pol.names[name & (PORT_NAMES - 1)];
    if (unlikely(name >> PORT_NAME_SHIFT != e->gen || claimed)) { /* no deceit: a port's name */
        out->kind = ROUTE_DENY;
        out->err = claimed ? E_PERM : E_NOCAP;
        return;
    }
    struct port *p = e->port;
    if (unlikely(p == NULL || !(e->send | e->once))) {
        out->kind = ROUTE_DENY;
        /* a dead name: MACH_SEND_INVALID_DEST; a receive right alone cannot send */
        out->err = p ? E_PERM : e->dead ? E_NOPARTNER : e->notify ? E_WRONGTYPE : E_NOCAP;
        return;
    }
    out->label = p->rname;
    out->to = p->receiver;
    if (likely(p->receiver != NULL && ipc_waits_for(p->receiver, sender))) {
        out->kind = ROUTE_DELIVER;
        return;
    }
    /* a call goes to `to` synchronously instead (the core), and so does a message with
     * strings or memory, which cannot wait in the kernel */
    out->kind = unlikely(MSGTAG_ITEMS(tag)) && p->receiver && !ports_bufferable(sender, tag)
                    ? ROUTE_DELIVER
                    : ROUTE_QUEUE;
    out->queue = &p->q;
}

/* The fast path's question, answered without policy_resolve's slow cases: a live send right
 * to a port that has a receiver. Not a send-once right, which policy_sent must use up: that
 * one has a name of its own (port_name_for never merges into it), so a name with send
 * references holds none and `once` needs no test. Whether the receiver waits for this sender
 * is the fast path's own check (ipc_waits_for). */
static inline bool policy_resolve_fast(struct thread *sender, word_t name, word_t tag,
                                       struct thread **to, word_t *label)
{
    (void)tag;
    const struct port_name *e = &sender->task->pol.names[name & (PORT_NAMES - 1)];
    struct port *p = e->port;
    if (unlikely(name >> PORT_NAME_SHIFT != e->gen || !e->send || p == NULL)) return false;
    *to = p->receiver;
    *label = p->rname;
    return likely(*to != NULL);
}

/* Closed waits name threads by their global ids (Mach has none; kept for the runtime). */
static inline struct thread *policy_resolve_from(struct thread *receiver, word_t name)
{
    (void)receiver;
    struct thread *t = name <= 0xffffffffUL ? thread_lookup((uint32_t)name) : NULL;
    return (t && t->task) ? t : NULL;
}

/* The reply travels on the caller's implicit send-once right: it reveals nothing. */
static inline word_t policy_reply_label(struct thread *replier, struct thread *caller)
{
    (void)replier, (void)caller;
    return 0;
}

/* A call that blocked at the receiver is delivered only if the right it used still leads to
 * that receiver (a destroyed port, a dropped right or a moved receive right cancel it). */
static inline enum status policy_commit(struct thread *sender, struct thread *receiver)
{
    struct ipc_route r = {0};
    policy_resolve(sender, sender->ipc_dest, sender->ipc_tag, 0, &r);
    return (r.kind == ROUTE_DELIVER || r.kind == ROUTE_QUEUE) && r.to == receiver ? OK
                                                                                  : E_CANCELLED;
}

void ports_consume_once(struct thread *sender, word_t name);

/* A send-once right is used up by the one message it carried. */
static inline void policy_sent(struct thread *sender, word_t name)
{
    const struct port_name *e = &sender->task->pol.names[name & (PORT_NAMES - 1)];
    if (unlikely(e->once) && name >> PORT_NAME_SHIFT == e->gen) ports_consume_once(sender, name);
}

/* An open wait takes the oldest message of the first port it receives on that has one;
 * queued messages have no sender a closed wait could name. */
static inline struct msg_queue *policy_pending(struct thread *receiver, struct thread *from)
{
    if (from != IPC_FROM_ANY || likely(msgq_queued == 0)) return NULL; /* nothing queued anywhere */
    for (struct port *p = receiver->pol.receives; p; p = p->rnext)
        if (p->q.len) return &p->q;
    return NULL;
}

#endif
