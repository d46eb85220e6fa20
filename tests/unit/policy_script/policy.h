/* SPDX-License-Identifier: MIT */
/*
 * A scripted backend, compiled only into the host tests (tests/unit/test_route.c): a test says
 * what resolve answers for a name (deliver, deny, redirect, fault, park, queue; deceit allowed
 * for one claimed identity), so the core's handling of every route and hook is tested before
 * any real backend relies on it, on the fast and the general path. Names without a rule are
 * global thread ids, as under `none`. It is not in policies/: no kernel can be built with it.
 */
#ifndef POLICY_H
#define POLICY_H

#include "abi/backend.h"
#include "ipc_queue.h"
#include "policy_iface.h"

#define POLICY_NAME "script"
#define POLICY_DESCRIPTOR                                                                          \
    {                                                                                              \
        "script", BACKEND_NAMES_GLOBAL, BACKEND_LABEL_SENDER, BACKEND_REPLY_UNTIL_WAIT, 1, 1, 1,   \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }
#define SCRIPT_RULES 16

/* What resolve answers for `name`; `claimable`: the one identity a sender may claim there. */
struct script_rule {
    bool used;
    word_t name;
    struct ipc_route route;
    struct thread *claimable;
};

/* A receiver's kernel queue: what policy_pending offers it. */
struct script_queue {
    struct thread *receiver;
    struct msg_queue q;
};

extern struct script_rule script_rules[SCRIPT_RULES];
extern struct script_queue script_queues[4];
extern unsigned script_items_taken, script_items_put, script_items_dropped;

void script_set(word_t name, struct ipc_route route, struct thread *claimable);
void script_clear(word_t name);
struct msg_queue *script_queue_for(struct thread *receiver, uint32_t limit);

static inline const struct script_rule *script_rule_of(word_t name)
{
    for (unsigned i = 0; i < SCRIPT_RULES; i++)
        if (script_rules[i].used && script_rules[i].name == name) return &script_rules[i];
    return NULL;
}

static inline void policy_resolve(struct thread *sender, word_t name, word_t tag, word_t claimed,
                                  struct ipc_route *out)
{
    (void)tag;
    const struct script_rule *rule = script_rule_of(name);
    if (rule == NULL) {
        struct thread *to = name <= 0xffffffffUL ? thread_lookup((uint32_t)name) : NULL;
        if (to == NULL || to->task == NULL || claimed) {
            out->kind = ROUTE_DENY;
            out->err = to == NULL || to->task == NULL ? E_NOPARTNER : E_PERM;
            return;
        }
        out->kind = ROUTE_DELIVER;
        out->to = to;
        out->label = sender->id;
        return;
    }
    *out = rule->route;
    out->as = NULL;
    if (claimed) {
        if (rule->claimable == NULL || rule->claimable->id != claimed) {
            out->kind = ROUTE_DENY;
            out->err = E_PERM;
            return;
        }
        out->as = rule->claimable;
        out->label = rule->claimable->id;
    }
}

POLICY_RESOLVE_FAST_VIA_RESOLVE

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

/* Revocation is removing a rule: a send blocked through it fails at pick-up. */
static inline enum status policy_commit(struct thread *sender, struct thread *receiver)
{
    struct ipc_route r = {0};
    policy_resolve(sender, sender->ipc_dest, sender->ipc_tag, 0, &r);
    return (r.kind == ROUTE_DELIVER || r.kind == ROUTE_REDIRECT) && r.to == receiver ? OK
                                                                                     : E_CANCELLED;
}

static inline struct msg_queue *policy_pending(struct thread *receiver, struct thread *from)
{
    (void)from;
    for (unsigned i = 0; i < 4; i++)
        if (script_queues[i].receiver == receiver && script_queues[i].q.len)
            return &script_queues[i].q;
    return NULL;
}

/* Nothing is consumed by a send: a name stays usable. */
static inline void policy_sent(struct thread *sender, word_t name)
{
    (void)sender, (void)name;
}

#endif
