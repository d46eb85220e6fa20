/* SPDX-License-Identifier: MIT */
/*
 * The general IPC path: send (resolve, park, fault to a monitor, redirect, deceit, queue),
 * closed and open wait, call, reply, reply-and-wait, timeouts, the commit check at pick-up.
 */
#include "ipc.h"
#include "abi/backend.h"
#include "arch.h"
#include "fault.h"
#include "ipc_queue.h"
#include "lib/mem.h"
#include "notify.h"
#include "policy.h"
#include "pool.h"
#include "sched.h"
#include "timer.h"
#include "trace.h"

/* The built backend's properties (abi/backend.h): the one table kernel and analyzer share. */
static const struct backend_desc backend = POLICY_DESCRIPTOR;

/*
 * A string item: copied from the sender's space straight into the receiver's next string
 * buffer. A bad source address is the sender's fault (E_FAULT); a missing, too small or
 * unmapped buffer cuts the message (E_MSGCUT). Nothing is written unless all of it fits.
 */
static enum status transfer_string(struct thread *from, struct thread *to, word_t hdr, word_t src,
                                   unsigned *next_buf, word_t *out)
{
    word_t len = ITEM_STRING_LEN(hdr);
    if (len > IPC_STRING_MAX) return E_INVAL;
    if (!vspace_range_ok(&from->task->vs, src, len, VM_R)) return E_FAULT;
    word_t nbufs = to->utcb->br[BR_NSTRINGS];
    if (nbufs > UTCB_BR_STRINGS) nbufs = UTCB_BR_STRINGS;
    if (*next_buf >= nbufs) return E_MSGCUT;
    word_t dst = to->utcb->br[BR_STRING0 + 2 * *next_buf];
    word_t size = to->utcb->br[BR_STRING0 + 2 * *next_buf + 1];
    (*next_buf)++;
    if (len > size || !vspace_range_ok(&to->task->vs, dst, len, VM_W)) return E_MSGCUT;
    vspace_copy_between(&from->task->vs, src, &to->task->vs, dst, len);
    out[0] = ITEM_STRING_HDR(len);
    out[1] = dst;
    return OK;
}

enum status ipc_transfer(struct thread *from, struct thread *to, word_t tag)
{
    unsigned words = MSGTAG_WORDS(tag), items = MSGTAG_ITEMS(tag);
    memcpy(to->utcb->mr, from->utcb->mr, words * sizeof(word_t));
    unsigned next_buf = 0;
    for (unsigned i = 0; i < items; i++) {
        word_t hdr = from->utcb->mr[words + 2 * i], arg = from->utcb->mr[words + 2 * i + 1];
        word_t *out = &to->utcb->mr[words + 2 * i];
        enum status s;
        switch (ITEM_TYPE(hdr)) {
        case ITEM_STRING:
            s = transfer_string(from, to, hdr, arg, &next_buf, out);
            break;
        case ITEM_MAP:
        case ITEM_GRANT:
            s = ipc_transfer_map(from, to, hdr, arg, out);
            break;
        default:
            s = E_INVAL;
            break;
        }
        if (s != OK) return s;
    }
    return OK;
}

void ipc_landed(struct thread *rcv, word_t tag, word_t label, word_t intended, word_t actual,
                bool call)
{
    rcv->ipc_rcv_tag = tag;
    rcv->ipc_rcv_label = label;
    if (unlikely(MSGTAG_FLAGS(tag) & (MSGTAG_F_REDIRECTED | MSGTAG_F_FORWARDED))) {
        rcv->utcb->tcr[TCR_INTENDED_RECEIVER] = intended;
        rcv->utcb->tcr[TCR_ACTUAL_SENDER] = actual;
        rcv->utcb->tcr[TCR_SENDER_WAITS] = call;
    }
}

void ipc_end_wait(struct thread *t, enum status status)
{
    ipc_timeout_disarm(t);
    t->ipc_wait = IPC_IDLE;
    t->ipc_from = NULL;
    t->ipc_from_nil = false;
    sched_wake(t, (word_t)status);
}

/* Blocks the current thread in an IPC wait; returns the status its waker left. */
static enum status ipc_block(struct thread *cur, enum ipc_wait why, struct wait_queue *q,
                             uint32_t timeout)
{
    cur->ipc_wait = why;
    ipc_timeout_arm(cur, timeout);
    sched_block_on(q);
    return (enum status)cur->wake_result;
}

/* How a blocked sender appears to receivers: the thread it claims to be, if allowed. */
static inline struct thread *seen_sender(struct thread *snd)
{
    return snd->ipc_as ? snd->ipc_as : snd;
}

/* Send phase to a resolved receiver. For a call, the whole call completes before this returns.
 * `tag` carries the kernel's flags already. */
static inline __attribute__((always_inline)) enum status ipc_send(struct thread *cur,
                                                                  const struct ipc_route *r,
                                                                  word_t tag, word_t timeouts,
                                                                  bool is_call, word_t dest)
{
    struct thread *to = r->to;
    word_t op = is_call ? IPC_CALL : IPC_SEND;
    if (ipc_waits_for(to, r->as ? r->as : cur)) {
        enum status s = ipc_transfer(cur, to, tag);
        trace_ipc(op, cur, dest, to, r->label, tag, s == OK ? TRACE_DELIVERED : TRACE_DENIED, s);
        trace_orig(r->as);
        ipc_landed(to, tag, r->label, r->intended, r->actual, is_call);
        ipc_end_wait(to, s);
        if (s == OK) policy_sent(cur, dest);
        if (!is_call || s != OK) return s;
        if (IPC_RCV_TIMEOUT(timeouts) == TIMEOUT_ZERO) return E_RECV_TIMEOUT; /* no reply yet */
        to->reply_to = cur;
        /* Atomic: `to` cannot run before we are waiting for its reply (no preemption). */
        cur->ipc_from = to;
        return ipc_block(cur, IPC_RECEIVING, NULL, IPC_RCV_TIMEOUT(timeouts));
    }
    uint32_t snd_to = IPC_SND_TIMEOUT(timeouts);
    if (snd_to == TIMEOUT_ZERO) {
        trace_ipc(op, cur, dest, to, r->label, tag, TRACE_TIMEOUT, E_SEND_TIMEOUT);
        return E_SEND_TIMEOUT;
    }
    cur->ipc_tag = tag;
    cur->ipc_label = r->label;
    cur->ipc_as = r->as;
    cur->ipc_intended = r->intended;
    cur->ipc_actual = r->actual;
    cur->ipc_dest = dest;
    cur->ipc_to = to;
    cur->ipc_is_call = is_call;
    cur->ipc_rcv_timeout = IPC_RCV_TIMEOUT(timeouts);
    return ipc_block(cur, IPC_SENDING, &to->senders, snd_to);
}

long ipc_call_direct(struct thread *cur, struct thread *to, word_t tag, word_t label,
                     word_t timeouts, word_t *rcv_tag)
{
    if (to == NULL || to->task == NULL || to->state == THREAD_DEAD) return -E_NOPARTNER;
    if (to == cur) return -E_INVAL; /* a thread cannot take its own fault */
    struct ipc_route r = {.kind = ROUTE_DELIVER, .to = to, .label = label};
    enum status s = ipc_send(cur, &r, tag, timeouts, true, 0);
    if (s != OK) return -(long)s;
    *rcv_tag = cur->ipc_rcv_tag;
    return 0;
}

/* Takes a message from a blocked sender; a caller then waits for our reply. */
static enum status pick_up(struct thread *cur, struct thread *snd)
{
    wq_remove(snd);
    ipc_timeout_disarm(snd);
    enum status s = ipc_transfer(snd, cur, snd->ipc_tag);
    trace_ipc(snd->ipc_is_call ? IPC_CALL : IPC_SEND, snd, snd->ipc_dest, cur, snd->ipc_label,
              snd->ipc_tag, s == OK ? TRACE_DELIVERED : TRACE_DENIED, s);
    trace_orig(snd->ipc_as);
    ipc_landed(cur, snd->ipc_tag, snd->ipc_label, snd->ipc_intended, snd->ipc_actual,
               snd->ipc_is_call);
    if (s == OK) policy_sent(snd, snd->ipc_dest);
    if (!snd->ipc_is_call || s != OK) {
        ipc_end_wait(snd, s);
        return s;
    }
    cur->reply_to = snd;
    if (snd->ipc_rcv_timeout == TIMEOUT_ZERO) {
        ipc_end_wait(snd, E_RECV_TIMEOUT);
        cur->reply_to = NULL;
        return OK;
    }
    snd->ipc_wait = IPC_RECEIVING;
    snd->ipc_from = cur;
    ipc_timeout_arm(snd, snd->ipc_rcv_timeout);
    return OK;
}

/* A blocked send whose authority is gone by the time it would be delivered: it fails. */
static __attribute__((noinline, cold)) void revoke_blocked(struct thread *cur, struct thread *snd,
                                                           enum status why)
{
    wq_remove(snd);
    trace_ipc(snd->ipc_is_call ? IPC_CALL : IPC_SEND, snd, snd->ipc_dest, cur, snd->ipc_label,
              snd->ipc_tag, TRACE_CANCELLED, why);
    ipc_end_wait(snd, why);
}

/* Receive phase: from one thread (closed), anyone (open) or the nil thread (sleep). */
static enum status ipc_receive(struct thread *cur, struct thread *from, bool from_nil,
                               uint32_t timeout)
{
    /* the implicit reply capability ends when a new wait starts, unless the backend's
     * descriptor says reply rights live until used */
    if (backend.reply == BACKEND_REPLY_UNTIL_WAIT) cur->reply_to = NULL;
    if (unlikely(cur->notify_bound) && from == IPC_FROM_ANY && !from_nil && notify_take(cur))
        return OK;
    if (!from_nil) {
        struct msg_queue *q = policy_pending(cur, from);
        if (q) return msgq_deliver(cur, q);
        for (struct thread *s = cur->senders.head, *next; s; s = next) {
            next = s->wq_next;
            if (from != IPC_FROM_ANY && seen_sender(s) != from) continue;
            enum status c = policy_commit(s, cur);
            if (c == OK) return pick_up(cur, s);
            revoke_blocked(cur, s, c);
        }
    }
    if (timeout == TIMEOUT_ZERO) return E_RECV_TIMEOUT;
    cur->ipc_from = from;
    cur->ipc_from_nil = from_nil;
    return ipc_block(cur, IPC_RECEIVING, NULL, timeout);
}

/* Whether `caller` takes a reply from `replier` now: it waits for that very reply; or, where
 * reply rights live until used (a Mach send-once right to the caller's reply port), it is in
 * any receive phase: a late reply lands in the caller's next wait, as a reply. */
static inline bool takes_reply(const struct thread *caller, const struct thread *replier)
{
    if (backend.reply == BACKEND_REPLY_UNTIL_USED)
        return caller->state == THREAD_BLOCKED && caller->ipc_wait == IPC_RECEIVING &&
               !caller->ipc_from_nil;
    return ipc_waits_for(caller, replier) && caller->ipc_from == replier;
}

static enum status ipc_reply(struct thread *cur, word_t tag)
{
    struct thread *caller = cur->reply_to;
    cur->reply_to = NULL;
    /* No reply capability: never received a call, already replied, or a new wait started;
     * or the caller stopped waiting (timeout, death). */
    if (caller == NULL || !takes_reply(caller, cur)) {
        /* a late reply (the caller gave up) or none owed: refused, and on the record */
        trace_ipc(IPC_REPLY, cur, 0, caller && caller->state != THREAD_DEAD ? caller : NULL, 0, tag,
                  TRACE_DENIED, E_NOREPLY);
        return E_NOREPLY;
    }
    enum status s = ipc_transfer(cur, caller, tag);
    word_t label = policy_reply_label(cur, caller);
    trace_ipc(IPC_REPLY, cur, 0, caller, label, tag, s == OK ? TRACE_DELIVERED : TRACE_DENIED, s);
    caller->ipc_rcv_tag = tag; /* a reply is never redirected: nothing for the TCRs */
    caller->ipc_rcv_label = label;
    ipc_end_wait(caller, s);
    return s;
}

/* What is left of a relative send timeout `started` microseconds ago (+1); false: none. */
static bool send_time_left(uint64_t started, word_t *timeouts)
{
    uint32_t snd_to = IPC_SND_TIMEOUT(*timeouts);
    if (snd_to == TIMEOUT_NEVER) return true;
    uint64_t spent = timer_now_us() + 1 - started;
    if (spent >= snd_to) return false;
    *timeouts = IPC_TIMEOUTS((uint32_t)(snd_to - spent), IPC_RCV_TIMEOUT(*timeouts));
    return true;
}

/* A resolution as the backend gives it; the core reads `as` whatever the kind, so it starts
 * empty. A call cannot be buffered: routed to a queue it goes to the queue's receiver `to`
 * synchronously if the backend named one (else the core refuses it). */
static inline void resolve(struct thread *cur, word_t op, word_t dest, word_t tag, word_t claimed,
                           struct ipc_route *r)
{
    r->as = NULL; /* `intended` and `actual` the backend sets when it redirects or forwards */
    r->to = NULL;
    policy_resolve(cur, dest, tag, claimed, r);
    if (unlikely(r->kind == ROUTE_QUEUE) && op == IPC_CALL && r->to != NULL)
        r->kind = ROUTE_DELIVER;
    /* Deceit is never the sender's own decision: an unanswered claim is refused. */
    if (unlikely(claimed) && r->as == NULL &&
        (r->kind == ROUTE_DELIVER || r->kind == ROUTE_REDIRECT)) {
        r->kind = ROUTE_DENY;
        r->err = E_PERM;
    }
}

/*
 * The send's first resolution was not final (park, full queue, fault): waits and asks again
 * until it is. A parked send (unbound endpoint, full queue) waits and resolves again; a
 * policy fault asks the monitor once, then resolves again. OK with *r final, or the status
 * the send fails with. Kept out of line: the common sends never come here.
 */
static __attribute__((noinline)) enum status send_resolve_slow(struct thread *cur, word_t op,
                                                               word_t dest, word_t tag,
                                                               word_t *timeouts, word_t claimed,
                                                               struct ipc_route *r)
{
    uint64_t started = timer_now_us() + 1;
    bool asked_monitor = false;
    for (;; resolve(cur, op, dest, tag, claimed, r)) {
        struct wait_queue *park = r->kind == ROUTE_PARK                           ? r->park
                                  : r->kind == ROUTE_QUEUE && msgq_full(r->queue) ? &r->queue->full
                                                                                  : NULL;
        if (park) {
            /* A fault never waits for a handler to appear: a gate without one means it is
             * gone (fault.c kills the task) rather than a task blocked beyond anyone's reach. */
            if (cur->in_fault) return E_NOPARTNER;
            trace_ipc(op, cur, dest, NULL, 0, tag, TRACE_PARKED, OK);
            if (IPC_SND_TIMEOUT(*timeouts) == TIMEOUT_ZERO) return E_SEND_TIMEOUT;
            cur->ipc_tag = tag; /* what a timeout or cancellation reports */
            cur->ipc_dest = dest;
            cur->ipc_to = NULL;
            cur->ipc_as = NULL;
            cur->ipc_is_call = op == IPC_CALL;
            enum status s = ipc_block(cur, IPC_SENDING, park, IPC_SND_TIMEOUT(*timeouts));
            if (s != OK) return s;
            if (!send_time_left(started, timeouts)) return E_SEND_TIMEOUT;
            continue;
        }
        if (r->kind != ROUTE_FAULT) return OK;
        /* No fault while taking a fault, and one question per send: no loops. */
        trace_ipc(op, cur, dest, r->to, r->label, tag, TRACE_FAULTED,
                  cur->in_fault || asked_monitor ? E_DENIED : OK);
        if (cur->in_fault || asked_monitor) return E_DENIED;
        asked_monitor = true;
        enum status s = fault_policy(cur, r, dest, tag, claimed, *timeouts);
        if (s != OK) return s;
        if (!send_time_left(started, timeouts)) return E_SEND_TIMEOUT;
    }
}

static enum status send_phase(struct thread *cur, word_t op, word_t dest, word_t tag,
                              word_t timeouts, word_t claimed)
{
    if (dest == IPC_NIL) return E_NOPARTNER;
    struct ipc_route r;
    resolve(cur, op, dest, tag, claimed, &r);
    if (unlikely(r.kind >= ROUTE_FAULT)) { /* fault, park, queue: not final yet */
        enum status s = send_resolve_slow(cur, op, dest, tag, &timeouts, claimed, &r);
        if (s != OK) return s;
    }
    if (r.kind == ROUTE_DENY) {
        trace_ipc(op, cur, dest, NULL, 0, tag, TRACE_DENIED, r.err);
        return r.err;
    }
    if (unlikely(r.kind == ROUTE_QUEUE)) {
        /* Only a send can be buffered: a call needs its receiver (the contract). Refused,
         * and recorded like every refusal (a call to a port whose receiver is gone). */
        if (op == IPC_CALL) {
            trace_ipc(op, cur, dest, NULL, 0, tag, TRACE_DENIED, E_NOTSUP);
            return E_NOTSUP;
        }
        enum status s = msgq_enqueue(cur, r.queue, &r, tag, dest);
        if (s == OK) policy_sent(cur, dest);
        return s;
    }
    if (unlikely(r.kind == ROUTE_REDIRECT)) {
        tag |= MSGTAG(0, 0, 0, MSGTAG_F_REDIRECTED);
        trace_ipc(op, cur, dest, r.to, r.label, tag, TRACE_REDIRECTED, OK);
    }
    if (unlikely(r.as != NULL)) tag |= MSGTAG(0, 0, 0, MSGTAG_F_FORWARDED);
    /* Calling oneself, or sending to oneself without a timeout, can never complete:
     * refuse it rather than block forever. */
    if (unlikely(r.to == cur && (op == IPC_CALL || IPC_SND_TIMEOUT(timeouts) == TIMEOUT_NEVER)))
        return E_INVAL;
    return ipc_send(cur, &r, tag, timeouts, op == IPC_CALL, dest);
}

long ipc_do(struct thread *cur, word_t op, word_t dest, word_t tag, word_t timeouts, word_t claimed)
{
    if (op & IPC_OP_DECEIT) { /* a claimed identity: only for a send or call, never 0 */
        op &= ~(word_t)IPC_OP_DECEIT;
        if ((op != IPC_SEND && op != IPC_CALL) || claimed == 0) return -E_INVAL;
    } else {
        claimed = 0;
    }
    if (op == 0 || op >= IPC_OP_COUNT) return -E_INVAL;
    /* Only the kernel sets a tag's flags (notification, redirected, forwarded): a receiver
     * must be able to trust them. */
    if (MSGTAG_FLAGS(tag) != 0) return -E_INVAL;
    if (MSGTAG_WORDS(tag) + 2 * MSGTAG_ITEMS(tag) > UTCB_MRS) return -E_INVAL;
    enum status s = OK;

    switch (op) {
    case IPC_SEND:
    case IPC_CALL:
        s = send_phase(cur, op, dest, tag, timeouts, claimed);
        break;
    case IPC_RECV: {
        struct thread *from = NULL;
        if (dest != IPC_NIL) {
            from = policy_resolve_from(cur, dest);
            if (from == NULL) return -E_NOPARTNER;
            if (unlikely(from == cur)) return -E_INVAL; /* waiting for oneself: a deadlock */
        }
        s = ipc_receive(cur, from, dest == IPC_NIL, IPC_RCV_TIMEOUT(timeouts));
        break;
    }
    case IPC_WAIT:
        s = ipc_receive(cur, IPC_FROM_ANY, false, IPC_RCV_TIMEOUT(timeouts));
        break;
    case IPC_REPLY:
        s = ipc_reply(cur, tag);
        break;
    case IPC_REPLY_WAIT:
        s = ipc_reply(cur, tag);
        if (s == OK) s = ipc_receive(cur, IPC_FROM_ANY, false, IPC_RCV_TIMEOUT(timeouts));
        break;
    }
    if (s != OK) return -(long)s;
    /* what a caller reports as received: nothing for an operation without a receive phase */
    if (op == IPC_SEND || op == IPC_REPLY) cur->ipc_rcv_tag = cur->ipc_rcv_label = 0;
    return 0;
}

/*
 * Which thread a send to `dest` reaches first (L4's l4_nchief): dest itself when the backend
 * delivers, the chief or monitor it redirects to. Nothing is sent and nothing changes (resolve
 * is pure). The send's own refusal is returned as it would fail; a route that cannot be told
 * before sending is -E_BUSY (it would park: no receiver yet), -E_DENIED (a policy fault: the
 * monitor decides) or -E_NOTSUP (it would be queued). sys_ipc_route names the thread.
 */
long ipc_route_query(struct thread *cur, word_t dest, struct thread **to)
{
    if (dest == IPC_NIL) return -E_NOPARTNER;
    struct ipc_route r;
    resolve(cur, IPC_SEND, dest, 0, 0, &r);
    switch (r.kind) {
    case ROUTE_DELIVER:
    case ROUTE_REDIRECT:
        *to = r.to;
        return 0;
    case ROUTE_DENY:
        return -(long)r.err;
    case ROUTE_PARK:
        return -E_BUSY;
    case ROUTE_FAULT:
        return -E_DENIED;
    case ROUTE_QUEUE:
        return -E_NOTSUP;
    }
    return -E_INVAL;
}

void ipc_wake_parked(struct wait_queue *q, enum status status)
{
    for (struct thread *t; (t = wq_pop(q)) != NULL;)
        ipc_end_wait(t, status);
}

void ipc_cancel_partner(struct thread *dying)
{
    ipc_timeout_disarm(dying);
    for (struct thread *s; (s = wq_pop(&dying->senders)) != NULL;) {
        trace_ipc(s->ipc_is_call ? IPC_CALL : IPC_SEND, s, s->ipc_dest, dying, 0, s->ipc_tag,
                  TRACE_CANCELLED, E_CANCELLED);
        ipc_end_wait(s, E_CANCELLED);
    }
    for (uint32_t i = 0; i < thread_pool.capacity; i++) {
        struct thread *t = pool_at(&thread_pool, i);
        if (t == NULL || t == dying) continue;
        if (t->reply_to == dying) t->reply_to = NULL;
        if (t->state != THREAD_BLOCKED) continue;
        /* waiting for it, or sending in its name (deceit): neither can complete now */
        if ((t->ipc_wait == IPC_RECEIVING && t->ipc_from == dying) ||
            (t->ipc_wait == IPC_SENDING && t->ipc_as == dying))
            ipc_end_wait(t, E_CANCELLED);
    }
}

/* ---- timeouts: a list sorted by deadline, checked on every tick ---- */
static struct thread *timeouts_head;

void ipc_timeout_arm(struct thread *t, uint32_t rel_us)
{
    ipc_timeout_disarm(t);
    if (rel_us == TIMEOUT_NEVER || rel_us == TIMEOUT_ZERO) return;
    t->deadline_us = timer_now_us() + rel_us;
    struct thread **pp = &timeouts_head, *prev = NULL;
    while (*pp && (*pp)->deadline_us <= t->deadline_us) {
        prev = *pp;
        pp = &(*pp)->timeout_next;
    }
    t->timeout_next = *pp;
    t->timeout_prev = prev;
    if (*pp) (*pp)->timeout_prev = t;
    *pp = t;
}

void ipc_timeout_disarm(struct thread *t)
{
    if (t->deadline_us == 0) return;
    if (t->timeout_prev)
        t->timeout_prev->timeout_next = t->timeout_next;
    else
        timeouts_head = t->timeout_next;
    if (t->timeout_next) t->timeout_next->timeout_prev = t->timeout_prev;
    t->timeout_next = t->timeout_prev = NULL;
    t->deadline_us = 0;
}

void ipc_timeout_tick(uint64_t now_us)
{
    while (timeouts_head && timeouts_head->deadline_us <= now_us) {
        struct thread *t = timeouts_head;
        enum status why = t->ipc_wait == IPC_SENDING ? E_SEND_TIMEOUT : E_RECV_TIMEOUT;
        if (why == E_SEND_TIMEOUT || !t->ipc_from_nil) /* a sleep's end is no IPC decision */
            trace_ipc(why == E_SEND_TIMEOUT ? (t->ipc_is_call ? IPC_CALL : IPC_SEND) : IPC_WAIT, t,
                      why == E_SEND_TIMEOUT ? t->ipc_dest : 0,
                      why == E_SEND_TIMEOUT ? t->ipc_to : t->ipc_from, 0,
                      why == E_SEND_TIMEOUT ? t->ipc_tag : 0, TRACE_TIMEOUT, why);
        wq_remove(t);
        ipc_end_wait(t, why);
    }
}
