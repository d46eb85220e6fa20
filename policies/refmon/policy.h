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

#if defined(__x86_64__) && !defined(__SSE__) /* the kernel's build: general registers only */
#define REFMON_ASM_CALL 1
#define REFMON_SAVES_ALL __attribute__((no_caller_saved_registers, used, externally_visible))
#else
#define REFMON_ASM_CALL 0
#define REFMON_SAVES_ALL
#endif

#define POLICY_NAME "refmon"
#define POLICY_DESCRIPTOR BACKEND_DESC_REFMON /* abi/backend.h */

/* What the slow check decided (a plain value, so the IPC path's route never escapes). */
enum refmon_verdict { REFMON_DELIVER, REFMON_FAULT, REFMON_NO_MONITOR, REFMON_CLAIM };

/* The cache missed: a range right covering a thread created after it was mapped, a send inside
 * the task, the kernel's own exception IPC, or no right (the monitor decides). Pure. */
enum refmon_verdict refmon_check_slow(struct thread *sender, struct thread *to, word_t name,
                                      word_t claimed);
struct refmon_args {
    struct thread *sender, *to;
    word_t name, claimed;
};
enum refmon_verdict refmon_check_args(const struct refmon_args *a) REFMON_SAVES_ALL;

/*
 * The IPC path's call of it. In the kernel (x86-64, no SSE) the callee keeps every register
 * (no_caller_saved_registers) and the call is an asm statement that clobbers only the result,
 * so the values the IPC path holds stay in scratch registers: an ordinary call anywhere in the
 * inlined path makes the compiler keep them in callee-saved ones, more pushes and pops on
 * every IPC (measured: 322 against 332 per null round trip, before the fast path's tail call).
 * Elsewhere (host tests) a plain call.
 */
static inline enum refmon_verdict refmon_check_miss(struct thread *sender, struct thread *to,
                                                    word_t name, word_t claimed)
{
#if REFMON_ASM_CALL
    struct refmon_args a = {sender, to, name, claimed}; /* one register pinned, not four */
    enum refmon_verdict v;
    __asm__ volatile("call refmon_check_args" : "=a"(v) : "D"(&a) : "memory", "cc");
    return v;
#else
    return refmon_check_slow(sender, to, name, claimed);
#endif
}

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
    enum refmon_verdict v = REFMON_DELIVER;
    if (unlikely(sender->task->pol.rs->allow[slot] != name || claimed))
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
