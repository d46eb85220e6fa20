/* SPDX-License-Identifier: MIT */
/*
 * Backend `capgate` (Fiasco.OC / L4Re style): tasks name objects only by indexes into their
 * own capability space; a send names a capability to an IPC gate, and the receiver learns the
 * gate's label, never the sender's identity.
 */
#ifndef POLICY_H
#define POLICY_H

#include "cspace.h"
#include "policy_iface.h"

#define POLICY_NAME "capgate"
#define POLICY_DESCRIPTOR BACKEND_DESC_CAPGATE /* abi/backend.h */

/* The one decision on the IPC path: a slot load and a few compares. */
static inline void policy_resolve(struct thread *sender, word_t name, word_t tag, word_t claimed,
                                  struct ipc_route *out)
{
    (void)tag;
    if (unlikely(name == 0 || name >= CAP_SLOTS || claimed)) { /* a gate's label: no deceit */
        out->kind = ROUTE_DENY;
        out->err = claimed ? E_PERM : E_NOCAP;
        return;
    }
    const struct cap *c = &sender->task->pol.cspace[name];
    if (unlikely(c->type != CAP_GATE)) {
        out->kind = ROUTE_DENY;
        out->err = c->type == CAP_NONE ? E_NOCAP : E_WRONGTYPE;
        return;
    }
    if (unlikely(!(c->rights & CAP_R_SEND))) {
        out->kind = ROUTE_DENY;
        out->err = E_PERM;
        return;
    }
    struct gate *g = c->obj;
    if (unlikely(g->bound == NULL)) {
        out->kind = ROUTE_PARK;
        out->park = &g->parked;
        return;
    }
    out->kind = ROUTE_DELIVER;
    out->to = g->bound;
    out->label = g->label;
}

/* A closed wait names a thread capability. */
POLICY_RESOLVE_FAST_VIA_RESOLVE

static inline struct thread *policy_resolve_from(struct thread *receiver, word_t name)
{
    const struct cap *c = cap_lookup(receiver->task, name);
    return (c && c->type == CAP_THREAD) ? c->obj : NULL;
}

/* A reply reveals nothing about the replier: the caller knows which gate it called. */
static inline word_t policy_reply_label(struct thread *replier, struct thread *caller)
{
    (void)replier, (void)caller;
    return 0;
}

/*
 * A send that blocked at a busy receiver is delivered only if the capability it used still
 * leads there with the same label: dropping or revoking it (or unbinding the gate) meanwhile
 * cancels the send. Resolve is pure, so asking it again is the check.
 */
static inline enum status policy_commit(struct thread *sender, struct thread *receiver)
{
    struct ipc_route r = {0};
    policy_resolve(sender, sender->ipc_dest, sender->ipc_tag, 0, &r);
    return r.kind == ROUTE_DELIVER && r.to == receiver && r.label == sender->ipc_label
               ? OK
               : E_CANCELLED;
}

/* Gates are synchronous: nothing is ever queued in the kernel. */
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
