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

/* What the slow check decided (a plain value, so the IPC path's route never escapes). */
enum refmon_verdict { REFMON_DELIVER, REFMON_FAULT, REFMON_NO_MONITOR, REFMON_CLAIM };

/* The cache missed: a range right covering a thread created after it was mapped, a send inside
 * the task, the kernel's own exception IPC, or no right (the monitor decides). Pure. */
enum refmon_verdict refmon_check_slow(struct thread *sender, struct thread *to, word_t name,
                                      word_t claimed);
/* The general path's call of it (the fast path asks only the cached question,
 * policy_resolve_fast, so nothing here weighs on it). */
static inline enum refmon_verdict refmon_check_miss(struct thread *sender, struct thread *to,
                                                    word_t name, word_t claimed)
{
    return refmon_check_slow(sender, to, name, claimed);
}

/* The check of a cached right: one load and one compare beside the thread lookup. */
static inline void policy_resolve(struct thread *sender, word_t name, word_t tag, word_t claimed,
                                  struct ipc_route *out)
{
    (void)tag;
    struct thread *to = name <= 0xffffffffUL ? thread_lookup((uint32_t)name) : NULL;
    if (unlikely(to == NULL)) { /* thread_lookup: a live user thread */
        out->kind = ROUTE_DENY;
        out->err = E_NOPARTNER;
        return;
    }
    enum refmon_verdict v = REFMON_DELIVER;
    if (unlikely(sender->task->pol.rs->allow[name & ((1u << ID_SLOT_BITS) - 1)] != name || claimed))
        v = refmon_check_miss(sender, to, name, claimed);
    if (likely(v == REFMON_DELIVER)) {
        out->kind = ROUTE_DELIVER;
        out->to = to;
        out->label = sender->id;
    } else if (v == REFMON_FAULT) {
        out->kind = ROUTE_FAULT;
        out->to = thread_lookup((uint32_t)sender->monitor);
        out->label = sender->task->id; /* the monitor's rules name tasks */
        out->actual = sender->id;
        out->intended = name;
    } else {
        out->kind = ROUTE_DENY; /* a claimed identity; or no monitor to ask (none, or dead) */
        out->err = v == REFMON_CLAIM ? E_PERM : E_NOPARTNER;
    }
}

/* The fast path asks only the cached question: a right to this live thread (one load and one
 * compare); a miss goes to the general path, whose policy_resolve faults to the monitor. */
static inline bool policy_resolve_fast(struct thread *sender, word_t name, word_t tag,
                                       struct thread **to, word_t *label)
{
    (void)tag;
    /* the slot first: it bounds the index into allow[] (MAX_THREADS + 1 entries); the thread
     * may be dead (the fast path checks that it waits) */
    struct thread *t = thread_slot_of(name);
    if (unlikely(t == NULL ||
                 sender->task->pol.rs->allow[name & ((1u << ID_SLOT_BITS) - 1)] != name))
        return false;
    *to = t;
    *label = sender->id;
    return true;
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

/* Nothing is consumed by a send: a right stays usable. */
static inline void policy_sent(struct thread *sender, word_t name)
{
    (void)sender, (void)name;
}

#endif
