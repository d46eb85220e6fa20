/* SPDX-License-Identifier: MIT */
/* The general IPC path: send, closed and open wait, call, reply, reply-and-wait, timeouts. */
#include "ipc.h"
#include "arch.h"
#include "lib/mem.h"
#include "notify.h"
#include "policy.h"
#include "pool.h"
#include "sched.h"
#include "timer.h"
#include "trace.h"

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

/* Ends a thread's wait with `status`; every way out of an IPC block goes through here. */
static void ipc_wake(struct thread *t, enum status status)
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

static bool waits_for(const struct thread *rcv, const struct thread *snd)
{
    return rcv->state == THREAD_BLOCKED && rcv->ipc_wait == IPC_RECEIVING && !rcv->ipc_from_nil &&
           (rcv->ipc_from == IPC_FROM_ANY || rcv->ipc_from == snd);
}

/* Hands a message to a receiver that is already waiting and releases it; a failed transfer
 * is reported to both sides. */
static enum status deliver_now(struct thread *snd, struct thread *rcv, word_t tag, word_t label,
                               word_t op, word_t dest)
{
    enum status s = ipc_transfer(snd, rcv, tag);
    trace_ipc(op, snd, dest, rcv, label, tag, s == OK ? TRACE_DELIVERED : TRACE_DENIED, s);
    rcv->ipc_rcv_tag = tag;
    rcv->ipc_rcv_label = label;
    ipc_wake(rcv, s);
    return s;
}

/* Send phase. For a call, the whole call completes before this returns. */
static enum status ipc_send(struct thread *cur, struct thread *to, word_t tag, word_t label,
                            word_t timeouts, bool is_call, word_t dest)
{
    if (waits_for(to, cur)) {
        enum status s = deliver_now(cur, to, tag, label, is_call ? IPC_CALL : IPC_SEND, dest);
        if (!is_call || s != OK) return s;
        if (IPC_RCV_TIMEOUT(timeouts) == TIMEOUT_ZERO) return E_RECV_TIMEOUT; /* no reply yet */
        to->reply_to = cur;
        /* Atomic: `to` cannot run before we are waiting for its reply (no preemption). */
        cur->ipc_from = to;
        return ipc_block(cur, IPC_RECEIVING, NULL, IPC_RCV_TIMEOUT(timeouts));
    }
    uint32_t snd_to = IPC_SND_TIMEOUT(timeouts);
    if (snd_to == TIMEOUT_ZERO) {
        trace_ipc(is_call ? IPC_CALL : IPC_SEND, cur, dest, to, label, tag, TRACE_TIMEOUT,
                  E_SEND_TIMEOUT);
        return E_SEND_TIMEOUT;
    }
    cur->ipc_tag = tag;
    cur->ipc_label = label;
    cur->ipc_dest = dest;
    cur->ipc_to = to;
    cur->ipc_is_call = is_call;
    cur->ipc_rcv_timeout = IPC_RCV_TIMEOUT(timeouts);
    return ipc_block(cur, IPC_SENDING, &to->senders, snd_to);
}

/* Takes a message from a blocked sender; a caller then waits for our reply. */
static enum status pick_up(struct thread *cur, struct thread *snd)
{
    wq_remove(snd);
    ipc_timeout_disarm(snd);
    enum status s = ipc_transfer(snd, cur, snd->ipc_tag);
    trace_ipc(snd->ipc_is_call ? IPC_CALL : IPC_SEND, snd, snd->ipc_dest, cur, snd->ipc_label,
              snd->ipc_tag, s == OK ? TRACE_DELIVERED : TRACE_DENIED, s);
    cur->ipc_rcv_tag = snd->ipc_tag;
    cur->ipc_rcv_label = snd->ipc_label;
    if (!snd->ipc_is_call || s != OK) {
        ipc_wake(snd, s);
        return s;
    }
    cur->reply_to = snd;
    if (snd->ipc_rcv_timeout == TIMEOUT_ZERO) {
        ipc_wake(snd, E_RECV_TIMEOUT);
        cur->reply_to = NULL;
        return OK;
    }
    snd->ipc_wait = IPC_RECEIVING;
    snd->ipc_from = cur;
    ipc_timeout_arm(snd, snd->ipc_rcv_timeout);
    return OK;
}

/* Receive phase: from one thread (closed), anyone (open) or the nil thread (sleep). */
static enum status ipc_receive(struct thread *cur, struct thread *from, bool from_nil,
                               uint32_t timeout)
{
    cur->reply_to = NULL; /* the implicit reply capability ends when a new wait starts */
    if (unlikely(cur->notify_bound) && from == IPC_FROM_ANY && !from_nil && notify_take(cur))
        return OK;
    if (!from_nil) {
        for (struct thread *s = cur->senders.head; s; s = s->wq_next) {
            if (from == IPC_FROM_ANY || s == from) return pick_up(cur, s);
        }
    }
    if (timeout == TIMEOUT_ZERO) return E_RECV_TIMEOUT;
    cur->ipc_from = from;
    cur->ipc_from_nil = from_nil;
    return ipc_block(cur, IPC_RECEIVING, NULL, timeout);
}

static enum status ipc_reply(struct thread *cur, word_t tag)
{
    struct thread *caller = cur->reply_to;
    cur->reply_to = NULL;
    /* No reply capability: never received a call, already replied, or a new wait started;
     * or the caller stopped waiting (timeout, death). */
    if (caller == NULL || !waits_for(caller, cur) || caller->ipc_from != cur) {
        /* a late reply (the caller gave up) or none owed: refused, and on the record */
        trace_ipc(IPC_REPLY, cur, 0, caller && caller->state != THREAD_DEAD ? caller : NULL, 0, tag,
                  TRACE_DENIED, E_NOREPLY);
        return E_NOREPLY;
    }
    return deliver_now(cur, caller, tag, policy_reply_label(cur, caller), IPC_REPLY, 0);
}

long ipc_do(struct thread *cur, word_t op, word_t dest, word_t tag, word_t timeouts,
            word_t *rcv_tag, word_t *rcv_label)
{
    if (op == 0 || op >= IPC_OP_COUNT) return -E_INVAL;
    /* Only the kernel marks a message as a notification: a receiver must be able to trust it. */
    if (MSGTAG_FLAGS(tag) & MSGTAG_F_NOTIFY) return -E_INVAL;
    if (MSGTAG_WORDS(tag) + 2 * MSGTAG_ITEMS(tag) > UTCB_MRS) return -E_INVAL;
    enum status s = OK;

    switch (op) {
    case IPC_SEND:
    case IPC_CALL: {
        if (dest == IPC_NIL) return -E_NOPARTNER;
        struct ipc_route r;
        uint64_t started = 0;
        for (;;) {
            policy_resolve(cur, dest, &r);
            if (r.kind != ROUTE_PARK) break;
            /* A fault never waits for a handler to appear: a gate without one means it is
             * gone (fault.c kills the task) rather than a task blocked beyond anyone's reach. */
            if (cur->in_fault) return -E_NOPARTNER;
            if (started == 0) started = timer_now_us() + 1;
            trace_ipc(op, cur, dest, NULL, 0, tag, TRACE_PARKED, OK);
            /* An endpoint without a receiver yet: wait until it gets one, then ask again. */
            if (IPC_SND_TIMEOUT(timeouts) == TIMEOUT_ZERO) return -E_SEND_TIMEOUT;
            cur->ipc_tag = tag; /* what a timeout or cancellation reports */
            cur->ipc_dest = dest;
            cur->ipc_to = NULL;
            cur->ipc_is_call = op == IPC_CALL;
            s = ipc_block(cur, IPC_SENDING, r.park, IPC_SND_TIMEOUT(timeouts));
            if (s != OK) return -(long)s;
            /* Woken by a binding: what is left of a relative timeout still applies. */
            uint32_t snd_to = IPC_SND_TIMEOUT(timeouts);
            if (snd_to != TIMEOUT_NEVER) {
                uint64_t spent = timer_now_us() + 1 - started;
                if (spent >= snd_to) return -E_SEND_TIMEOUT;
                timeouts = IPC_TIMEOUTS((uint32_t)(snd_to - spent), IPC_RCV_TIMEOUT(timeouts));
            }
        }
        if (r.kind == ROUTE_DENY) {
            trace_ipc(op, cur, dest, NULL, 0, tag, TRACE_DENIED, r.err);
            return -(long)r.err;
        }
        if (r.kind == ROUTE_FAULT) { /* monitors arrive with refmon */
            trace_ipc(op, cur, dest, r.to, 0, tag, TRACE_FAULTED, E_DENIED);
            return -E_DENIED;
        }
        if (r.kind == ROUTE_REDIRECT)
            trace_ipc(op, cur, dest, r.to, r.label, tag, TRACE_REDIRECTED, OK);
        /* Calling oneself, or sending to oneself without a timeout, can never complete:
         * refuse it rather than block forever. */
        if (unlikely(r.to == cur && (op == IPC_CALL || IPC_SND_TIMEOUT(timeouts) == TIMEOUT_NEVER)))
            return -E_INVAL;
        s = ipc_send(cur, r.to, tag, r.label, timeouts, op == IPC_CALL, dest);
        break;
    }
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
    if (s == OK && op != IPC_SEND && op != IPC_REPLY) {
        *rcv_tag = cur->ipc_rcv_tag;
        *rcv_label = cur->ipc_rcv_label;
    }
    return s == OK ? 0 : -(long)s;
}

void ipc_wake_parked(struct wait_queue *q, enum status status)
{
    for (struct thread *t; (t = wq_pop(q)) != NULL;)
        ipc_wake(t, status);
}

void ipc_cancel_partner(struct thread *dying)
{
    ipc_timeout_disarm(dying);
    for (struct thread *s; (s = wq_pop(&dying->senders)) != NULL;) {
        trace_ipc(s->ipc_is_call ? IPC_CALL : IPC_SEND, s, s->ipc_dest, dying, 0, s->ipc_tag,
                  TRACE_CANCELLED, E_CANCELLED);
        ipc_wake(s, E_CANCELLED);
    }
    for (uint32_t i = 0; i < thread_pool.capacity; i++) {
        struct thread *t = pool_at(&thread_pool, i);
        if (t == NULL || t == dying) continue;
        if (t->reply_to == dying) t->reply_to = NULL;
        if (t->state == THREAD_BLOCKED && t->ipc_wait == IPC_RECEIVING && t->ipc_from == dying)
            ipc_wake(t, E_CANCELLED);
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
        ipc_wake(t, why);
    }
}
