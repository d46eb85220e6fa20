/* SPDX-License-Identifier: MIT */
/*
 * Backend `refmon` (Jaeger, Liedtke et al., "Flexible access control using IPC redirection",
 * HotOS'99): names are global thread ids; a task may send to a thread only while an IPC-right
 * flexpage covering it is mapped in its right space (rights.h). A send without one faults to
 * the sender's reference monitor, whose reply maps the right (the send is retried) or refuses;
 * unmapping the right revokes it, recursively, and the next send faults again.
 */
#ifndef POLICY_H
#define POLICY_H

#include "policy_iface.h"
#include "rights.h"

#define POLICY_NAME "refmon"
#define POLICY_DESCRIPTOR BACKEND_DESC_REFMON /* abi/backend.h */

/* The cache missed: a range right covering a thread created after it was mapped, a send inside
 * the task, the kernel's own exception IPC, or no right (the monitor decides). Pure. */
void refmon_resolve_slow(struct thread *sender, struct thread *to, word_t name, word_t claimed,
                         struct ipc_route *out);

/* The check of a cached right: one load and one compare beside the thread lookup. */
static inline void policy_resolve(struct thread *sender, word_t name, word_t tag, word_t claimed,
                                  struct ipc_route *out)
{
    (void)tag;
    struct thread *to = name <= 0xffffffffUL ? thread_lookup((uint32_t)name) : NULL;
    if (unlikely(to == NULL || to->task == NULL)) {
        out->kind = ROUTE_DENY;
        out->err = E_NOPARTNER;
        return;
    }
    uint32_t slot = (uint32_t)(name & ((1u << ID_SLOT_BITS) - 1)) - 1;
    if (likely(sender->task->pol.rs->allow[slot] == name && !claimed)) {
        out->kind = ROUTE_DELIVER;
        out->to = to;
        out->label = sender->id;
        return;
    }
    refmon_resolve_slow(sender, to, name, claimed, out);
}

static inline struct thread *policy_resolve_from(struct thread *receiver, word_t name)
{
    (void)receiver;
    struct thread *t = name <= 0xffffffffUL ? thread_lookup((uint32_t)name) : NULL;
    return (t && t->task) ? t : NULL;
}

static inline word_t policy_reply_label(struct thread *replier, struct thread *caller)
{
    (void)caller;
    return replier->id;
}

/* A send that blocked is delivered only if a right still covers its receiver: an unmap
 * meanwhile cancels it (resolve is pure, so asking again is the check). */
static inline enum status policy_commit(struct thread *sender, struct thread *receiver)
{
    struct ipc_route r = {0};
    policy_resolve(sender, sender->ipc_dest, sender->ipc_tag, 0, &r);
    return r.kind == ROUTE_DELIVER && r.to == receiver ? OK : E_CANCELLED;
}

/* Synchronous only: nothing is ever queued in the kernel. */
static inline struct msg_queue *policy_pending(struct thread *receiver, struct thread *from)
{
    (void)receiver, (void)from;
    return NULL;
}

#endif
