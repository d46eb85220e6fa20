/* SPDX-License-Identifier: MIT */
/* IPC-control backend `none`: names are global thread ids, nothing is checked; the baseline
 * every attack succeeds against and every overhead is compared with. */
#ifndef POLICY_H
#define POLICY_H

#include "policy_iface.h"

#define POLICY_NAME "none"
#define POLICY_DESCRIPTOR BACKEND_DESC_NONE /* abi/backend.h */

/* Every thread is reachable by its id; nobody may speak in another's name. */
static inline void policy_resolve(struct thread *sender, word_t name, word_t tag, word_t claimed,
                                  struct ipc_route *out)
{
    (void)tag;
    struct thread *to = name <= 0xffffffffUL ? thread_lookup((uint32_t)name) : NULL;
    if (to == NULL) { /* thread_lookup: a live user thread */
        out->kind = ROUTE_DENY;
        out->err = E_NOPARTNER;
        return;
    }
    if (unlikely(claimed)) { /* the baseline forges nothing: labels are the kernel's ids */
        out->kind = ROUTE_DENY;
        out->err = E_PERM;
        return;
    }
    out->kind = ROUTE_DELIVER;
    out->to = to;
    out->label = sender->id;
}

/* The fast path's question: the thread the id names (the fast path checks that it waits). */
static inline bool policy_resolve_fast(struct thread *sender, word_t name, word_t tag,
                                       struct thread **to, word_t *label)
{
    (void)tag;
    *to = thread_slot_of(name);
    *label = sender->id;
    return *to != NULL;
}

static inline struct thread *policy_resolve_from(struct thread *receiver, word_t name)
{
    (void)receiver;
    struct thread *t = name <= 0xffffffffUL ? thread_lookup((uint32_t)name) : NULL;
    return t;
}

static inline word_t policy_reply_label(struct thread *replier, struct thread *caller)
{
    (void)caller;
    return replier->id;
}

/* Nothing can be revoked: a blocked send is still allowed when it is delivered. */
static inline enum status policy_commit(struct thread *sender, struct thread *receiver)
{
    (void)sender, (void)receiver;
    return OK;
}

/* Synchronous only: nothing is ever queued in the kernel. */
static inline struct msg_queue *policy_pending(struct thread *receiver, struct thread *from)
{
    (void)receiver, (void)from;
    return NULL;
}

/* Nothing is consumed by a send: a name stays usable. */
static inline void policy_sent(struct thread *sender, word_t name)
{
    (void)sender, (void)name;
}

#endif
