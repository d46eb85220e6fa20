/* SPDX-License-Identifier: MIT */
/*
 * IPC-control backend `clans`: L4's clans & chiefs. Names are global thread ids. A task's chief
 * is its creator; a clan is the set of tasks with the same chief. IPC inside a clan (and
 * between a chief and its own clan) is delivered directly; IPC that leaves the sender's clan
 * goes to the sender's chief; IPC that enters a clan from outside goes to that clan's chief:
 * the nearest chief on the way, one hop per send (the chief forwards it, in the original
 * sender's name, to the next hop). The rules and their cases are in policy.c.
 */
#ifndef POLICY_H
#define POLICY_H

#include "policy_iface.h"

#define POLICY_NAME "clans"
#define POLICY_DESCRIPTOR BACKEND_DESC_CLANS /* abi/backend.h */

struct thread *clans_chief_thread(struct task *chief);
bool clans_may_deceive(struct task *chief, struct thread *claimed, struct task *dest);
struct task *clans_next_hop(struct task *s, struct task *t, bool *none);
void clans_resolve_across(struct thread *sender, struct thread *to, word_t name, word_t claimed,
                          struct ipc_route *out);

/* Inside a clan, in one's own name: delivered, as cheaply as under `none` (the fast path);
 * everything else (chief and member, across clans, deceit) is decided out of line
 * (clans_resolve_across in policy.c). */
static inline __attribute__((always_inline)) void policy_resolve(struct thread *sender, word_t name,
                                                                 word_t tag, word_t claimed,
                                                                 struct ipc_route *out)
{
    (void)tag;
    struct thread *to = name <= 0xffffffffUL ? thread_lookup((uint32_t)name) : NULL;
    if (unlikely(to == NULL || to->task == NULL)) {
        out->kind = ROUTE_DENY;
        out->err = E_NOPARTNER;
        return;
    }
    if (likely(claimed == 0) && likely(to->task->pol.clan == sender->task->pol.clan)) {
        out->kind = ROUTE_DELIVER;
        out->to = to;
        out->label = sender->id;
        return;
    }
    clans_resolve_across(sender, to, name, claimed, out);
}

/* The fast path's question: only the plain send inside a clan is answered (true); everything
 * else goes to the general path, so the out-of-line case costs the fast path nothing. */
static inline bool policy_resolve_fast(struct thread *sender, word_t name, word_t tag,
                                       struct thread **to, word_t *label)
{
    (void)tag;
    /* t may be dead (the fast path checks that it waits); its task pointer stays readable */
    struct thread *t = thread_slot_of(name);
    if (unlikely(t == NULL || t->task == NULL) ||
        unlikely(t->task->pol.clan != sender->task->pol.clan))
        return false;
    *to = t;
    *label = sender->id;
    return true;
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

/* A send that blocked on a chief (or a clan member) is still routed there when picked up: the
 * tree may have changed meanwhile (a chief died). */
static inline enum status policy_commit(struct thread *sender, struct thread *receiver)
{
    struct ipc_route r = {0};
    policy_resolve(sender, sender->ipc_dest, sender->ipc_tag,
                   sender->ipc_as ? sender->ipc_as->id : 0, &r);
    return (r.kind == ROUTE_DELIVER || r.kind == ROUTE_REDIRECT) && r.to == receiver &&
                   r.label == sender->ipc_label
               ? OK
               : E_CANCELLED;
}

/* Synchronous only: nothing is ever queued in the kernel. */
static inline struct msg_queue *policy_pending(struct thread *receiver, struct thread *from)
{
    (void)receiver, (void)from;
    return NULL;
}

/* No right is used up by a message (global ids). */
static inline void policy_sent(struct thread *sender, word_t name)
{
    (void)sender, (void)name;
}

#endif
