/* SPDX-License-Identifier: MIT */
/*
 * IPC-control backend `clans`: L4's clans & chiefs. Names are global thread ids. A task's chief
 * is its creator; a clan is the set of tasks with the same chief. IPC inside a clan (and
 * between a chief and its own clan) is delivered directly; IPC that leaves the sender's clan
 * goes to the sender's chief; IPC that enters a clan from outside goes to that clan's chief:
 * the nearest chief on the way, one hop per send (the chief forwards it, in the original
 * sender's name, to the next hop). The rules and their cases are in policies/clans/clans.c.
 */
#ifndef POLICY_H
#define POLICY_H

#include "policy_iface.h"

#define POLICY_NAME "clans"
#define POLICY_DESCRIPTOR BACKEND_DESC_CLANS /* abi/backend.h */

struct thread *clans_chief_thread(struct task *chief);
bool clans_may_deceive(struct task *chief, struct thread *claimed, struct task *dest);

/*
 * The next hop of a message from task s to task t: NULL to deliver directly, else the chief
 * task it is redirected to; *none set when it must go to s's chief and s has none left.
 * Walks up from t to find the first task on the way that belongs to s's clan or is s's own
 * clan member; O(depth of the creation tree), O(1) inside a clan.
 */
static inline struct task *clans_next_hop(struct task *s, struct task *t, bool *none)
{
    *none = false;
    if (likely(t->pol.clan == s->pol.clan) || t == s || t == s->pol.chief || t->pol.chief == s)
        return NULL;
    for (struct task *x = t;;) {
        struct task *up = x->pol.chief;
        if (up == s) return x;                              /* into one of s's own subclans */
        if (x != t && x->pol.clan == s->pol.clan) return x; /* into a sibling's subclan */
        if (up == NULL) break;
        x = up;
    }
    if (s->pol.chief == NULL) *none = true; /* outside, and no chief left to ask */
    return s->pol.chief;                    /* leaves s's clan: to s's chief */
}

/* Delivers inside a clan; redirects across clans (intended = the destination, actual = the
 * real sender); deceit only as clans_may_deceive allows. */
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
    word_t label = sender->id;
    if (unlikely(claimed)) {
        struct thread *as = claimed <= 0xffffffffUL ? thread_lookup((uint32_t)claimed) : NULL;
        if (as == NULL || as->task == NULL || !clans_may_deceive(sender->task, as, to->task)) {
            out->kind = ROUTE_DENY;
            out->err = E_PERM;
            return;
        }
        out->as = as;
        out->intended = name;
        out->actual = sender->id;
        label = as->id;
    }
    bool none;
    struct task *hop = clans_next_hop(sender->task, to->task, &none);
    if (likely(hop == NULL) && likely(!none)) {
        out->kind = ROUTE_DELIVER;
        out->to = to;
        out->label = label;
        return;
    }
    struct thread *chief = none ? NULL : clans_chief_thread(hop);
    if (unlikely(chief == NULL)) { /* no chief left on the way: refuse, never wait */
        out->kind = ROUTE_DENY;
        out->err = E_NOPARTNER;
        return;
    }
    out->kind = ROUTE_REDIRECT;
    out->to = chief;
    out->label = label;
    out->intended = name;
    out->actual = sender->id;
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

#endif
