/* SPDX-License-Identifier: MIT */
/*
 * The IPC state machine under backend `none` (names are global thread ids), driven on the host:
 * every operation against every partner state, with the fast path on and off; timeouts, sleep,
 * cancellation, reply capabilities, message words, string items, invalid input, notifications.
 * Actors A, B, C are one-thread tasks; B is the partner, C "someone else" (host_kernel.h).
 * Run one test alone: test_ipc <name> (a pattern: * and ? match).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "host_kernel.h"
#include "syscall.h"

#define PRIO 10
#define MS(n) ((uint32_t)(n)*1000u)
#define NEVER IPC_TIMEOUTS(TIMEOUT_NEVER, TIMEOUT_NEVER)
#define ZERO IPC_TIMEOUTS(TIMEOUT_ZERO, TIMEOUT_ZERO)
#define SND(t) IPC_TIMEOUTS(t, TIMEOUT_NEVER)
#define RCV(t) IPC_TIMEOUTS(TIMEOUT_NEVER, t)
#define TAG(words) MSGTAG(0, words, 0, 0)
#define SENTINEL 0x5e5e5e5e5e5e5e5eUL
#define SLOT_MASK ((1u << ID_SLOT_BITS) - 1)

/* The actor finished its last command with `status` (OK or an E_* value). */
#define assert_done(a, status)                                                                     \
    do {                                                                                           \
        assert_false((a)->busy);                                                                   \
        assert_int_equal((a)->result, -(long)(status));                                            \
    } while (0)

static struct host_actor *A, *B, *C;

static void cast(void)
{
    A = actor_new("a", PRIO);
    B = actor_new("b", PRIO);
    C = actor_new("c", PRIO);
}

/* mr[i] = base + i for the first n words. */
static void words(struct host_actor *a, unsigned n, word_t base)
{
    for (unsigned i = 0; i < n; i++)
        actor_utcb(a)->mr[i] = base + i;
}

static void expect_words(struct host_actor *a, unsigned n, word_t base)
{
    for (unsigned i = 0; i < n; i++)
        assert_int_equal(actor_utcb(a)->mr[i], base + i);
}

static void fill_sentinel(struct host_actor *a)
{
    for (unsigned i = 0; i < UTCB_MRS; i++)
        actor_utcb(a)->mr[i] = SENTINEL;
}

static void expect_sentinel_from(struct host_actor *a, unsigned first)
{
    for (unsigned i = first; i < UTCB_MRS; i++)
        assert_int_equal(actor_utcb(a)->mr[i], SENTINEL);
}

/* The actor completed a receive of `words` words from `from` (label = its id under `none`). */
static void expect_received(struct host_actor *a, struct host_actor *from, unsigned n, word_t base)
{
    assert_done(a, OK);
    assert_int_equal(a->rcv_label, from->id);
    assert_int_equal(MSGTAG_WORDS(a->rcv_tag), n);
    expect_words(a, n, base);
}

/* ---- the partner's states, as seen from A ---- */

enum partner { P_OPEN, P_CLOSED_US, P_CLOSED_OTHER, P_IDLE, P_SENDING_US, P_DEAD };

/* Puts B into state `st`: in an open wait, a closed wait for A or for C, idle (blocked outside
 * IPC), blocked sending two words 0xb0.. to A, or dead. */
static void partner(enum partner st)
{
    switch (st) {
    case P_OPEN:
        actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
        assert_true(actor_blocked_in(B, IPC_RECEIVING));
        break;
    case P_CLOSED_US:
        actor_ipc(B, IPC_RECV, A->id, 0, NEVER);
        assert_true(actor_blocked_in(B, IPC_RECEIVING));
        break;
    case P_CLOSED_OTHER:
        actor_ipc(B, IPC_RECV, C->id, 0, NEVER);
        assert_true(actor_blocked_in(B, IPC_RECEIVING));
        break;
    case P_IDLE:
        assert_false(B->busy);
        assert_int_equal(B->t->state, THREAD_BLOCKED);
        assert_int_equal(B->t->ipc_wait, IPC_IDLE);
        break;
    case P_SENDING_US:
        words(B, 2, 0xb0);
        actor_ipc(B, IPC_SEND, A->id, TAG(2), NEVER);
        assert_true(actor_blocked_in(B, IPC_SENDING));
        break;
    case P_DEAD:
        actor_exit(B);
        assert_null(thread_lookup(B->id));
        break;
    }
}

/* ---- send ---- */

/* A send to a partner already waiting for it is delivered at once; the sender never blocks. */
static void send_delivered_at_once(enum partner st)
{
    cast();
    partner(st);
    words(A, 3, 0xa0);
    actor_ipc(A, IPC_SEND, B->id, MSGTAG(0x77, 3, 0, 0), NEVER);
    assert_done(A, OK);
    assert_false(A->fastpath); /* the fast path is for call and reply-and-wait only */
    expect_received(B, A, 3, 0xa0);
    assert_int_equal(B->rcv_tag, MSGTAG(0x77, 3, 0, 0));
}

/* Proves: send to a partner in an open wait: delivered at once, the sender's id as label. */
HOST_TEST_BOTH(send_partner_open)
{
    send_delivered_at_once(P_OPEN);
}

/* Proves: send to a partner in a closed wait for the sender: delivered at once. */
HOST_TEST_BOTH(send_partner_closed_for_us)
{
    send_delivered_at_once(P_CLOSED_US);
}

/* Proves: send to a partner waiting for someone else blocks; the partner takes it at its next
 * open wait, after the awaited message. */
HOST_TEST_BOTH(send_partner_closed_for_other)
{
    cast();
    partner(P_CLOSED_OTHER);
    words(A, 2, 0xa0);
    actor_ipc(A, IPC_SEND, B->id, TAG(2), NEVER);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
    assert_int_equal(B->done, 0);
    words(C, 1, 0xc0);
    actor_ipc(C, IPC_SEND, B->id, TAG(1), NEVER);
    expect_received(B, C, 1, 0xc0);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    expect_received(B, A, 2, 0xa0);
    assert_done(A, OK);
}

/* Proves: send to a partner not in IPC blocks until the partner waits, then completes. */
HOST_TEST_BOTH(send_partner_idle)
{
    cast();
    partner(P_IDLE);
    words(A, 2, 0xa0);
    actor_ipc(A, IPC_SEND, B->id, TAG(2), NEVER);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    assert_ptr_equal(B->t->senders.head, A->t);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    expect_received(B, A, 2, 0xa0);
    assert_done(A, OK);
}

/* Proves: two threads sending to each other both block; a send timeout ends one side with
 * E_SEND_TIMEOUT while the other's message stays intact for a later wait. */
HOST_TEST_BOTH(send_partner_sending_to_us)
{
    cast();
    partner(P_SENDING_US);
    actor_ipc(A, IPC_SEND, B->id, TAG(1), SND(MS(2)));
    assert_true(actor_blocked_in(A, IPC_SENDING));
    host_tick(1);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    host_tick(1);
    assert_done(A, E_SEND_TIMEOUT);
    assert_true(actor_blocked_in(B, IPC_SENDING));
    actor_ipc(A, IPC_WAIT, 0, 0, NEVER);
    expect_received(A, B, 2, 0xb0);
    assert_done(B, OK);
}

/* Proves: send to a dead thread is E_NOPARTNER at once, also after a new thread took its slot
 * (ids carry a generation); the new thread receives nothing. */
HOST_TEST_BOTH(send_partner_dead)
{
    cast();
    partner(P_DEAD);
    actor_ipc(A, IPC_SEND, B->id, TAG(1), NEVER);
    assert_done(A, E_NOPARTNER);
    struct host_actor *d = actor_new("d", PRIO);
    assert_int_equal(d->id & SLOT_MASK, B->id & SLOT_MASK);
    assert_int_not_equal(d->id, B->id);
    actor_ipc(d, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, B->id, TAG(1), NEVER);
    assert_done(A, E_NOPARTNER);
    actor_ipc(A, IPC_CALL, B->id, TAG(1), NEVER);
    assert_done(A, E_NOPARTNER);
    assert_true(actor_blocked_in(d, IPC_RECEIVING));
    assert_int_equal(d->done, 0);
}

/* ---- closed wait ---- */

/* A closed wait on B that nobody satisfies: C's send is refused (A waits for B only) and the
 * wait ends with E_RECV_TIMEOUT after exactly 2 ms. */
static void recv_blocks(void)
{
    actor_ipc(A, IPC_RECV, B->id, 0, RCV(MS(2)));
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    actor_ipc(C, IPC_SEND, A->id, TAG(1), ZERO);
    assert_done(C, E_SEND_TIMEOUT);
    host_tick(1);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    host_tick(1);
    assert_done(A, E_RECV_TIMEOUT);
}

/* Proves: closed wait on a partner that is itself in an open wait blocks (and times out). */
HOST_TEST_BOTH(recv_partner_open)
{
    cast();
    partner(P_OPEN);
    recv_blocks();
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
    assert_int_equal(B->done, 0);
}

/* Proves: two closed waits on each other block both; after A's timeout B still takes A's send. */
HOST_TEST_BOTH(recv_partner_closed_for_us)
{
    cast();
    partner(P_CLOSED_US);
    recv_blocks();
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
    words(A, 1, 0xa0);
    actor_ipc(A, IPC_SEND, B->id, TAG(1), ZERO);
    assert_done(A, OK);
    expect_received(B, A, 1, 0xa0);
}

/* Proves: closed wait on a partner that waits for someone else blocks; nothing is delivered. */
HOST_TEST_BOTH(recv_partner_closed_for_other)
{
    cast();
    partner(P_CLOSED_OTHER);
    recv_blocks();
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
    assert_int_equal(B->done, 0);
}

/* Proves: closed wait on an idle partner blocks, refuses others, and takes the partner's send. */
HOST_TEST_BOTH(recv_partner_idle)
{
    cast();
    partner(P_IDLE);
    actor_ipc(A, IPC_RECV, B->id, 0, NEVER);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    actor_ipc(C, IPC_SEND, A->id, TAG(1), ZERO);
    assert_done(C, E_SEND_TIMEOUT);
    words(B, 2, 0xb0);
    actor_ipc(B, IPC_SEND, A->id, TAG(2), NEVER);
    assert_done(B, OK);
    expect_received(A, B, 2, 0xb0);
}

/* Proves: closed wait picks the named sender out of the queue at once, ahead of an earlier
 * sender, which stays queued for the next open wait. */
HOST_TEST_BOTH(recv_partner_sending_to_us)
{
    cast();
    words(C, 1, 0xc0);
    actor_ipc(C, IPC_SEND, A->id, TAG(1), NEVER);
    assert_true(actor_blocked_in(C, IPC_SENDING));
    partner(P_SENDING_US);
    actor_ipc(A, IPC_RECV, B->id, 0, NEVER);
    expect_received(A, B, 2, 0xb0);
    assert_done(B, OK);
    assert_true(actor_blocked_in(C, IPC_SENDING));
    actor_ipc(A, IPC_WAIT, 0, 0, NEVER);
    expect_received(A, C, 1, 0xc0);
    assert_done(C, OK);
}

/* Proves: closed wait on a dead thread is E_NOPARTNER at once (no block). */
HOST_TEST_BOTH(recv_partner_dead)
{
    cast();
    partner(P_DEAD);
    actor_ipc(A, IPC_RECV, B->id, 0, NEVER);
    assert_done(A, E_NOPARTNER);
}

/* ---- open wait ---- */

/* An open wait with nobody sending: blocked, then E_RECV_TIMEOUT after exactly 2 ms; B's own
 * wait is untouched. */
static void wait_blocks(enum partner st)
{
    cast();
    partner(st);
    actor_ipc(A, IPC_WAIT, 0, 0, RCV(MS(2)));
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    host_tick(1);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    host_tick(1);
    assert_done(A, E_RECV_TIMEOUT);
    assert_int_equal(B->done, 0);
}

/* Proves: open wait while the partner is in an open wait: blocks until its timeout. */
HOST_TEST_BOTH(wait_partner_open)
{
    wait_blocks(P_OPEN);
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
}

/* Proves: open wait while the partner waits closed for us: both block (no message). */
HOST_TEST_BOTH(wait_partner_closed_for_us)
{
    wait_blocks(P_CLOSED_US);
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
}

/* Proves: open wait while the partner waits for someone else: blocks until its timeout. */
HOST_TEST_BOTH(wait_partner_closed_for_other)
{
    wait_blocks(P_CLOSED_OTHER);
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
}

/* Proves: open wait while the partner is idle: blocks until its timeout. */
HOST_TEST_BOTH(wait_partner_idle)
{
    wait_blocks(P_IDLE);
    assert_false(B->busy);
}

/* Proves: open wait takes a queued sender at once and releases it. */
HOST_TEST_BOTH(wait_partner_sending_to_us)
{
    cast();
    partner(P_SENDING_US);
    actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
    expect_received(A, B, 2, 0xb0);
    assert_done(B, OK);
}

/* Proves: a sender that died while queued is gone from the queue: the open wait finds nothing. */
HOST_TEST_BOTH(wait_partner_dead)
{
    cast();
    partner(P_SENDING_US);
    actor_kill(B);
    assert_null(thread_lookup(B->id));
    assert_null(A->t->senders.head);
    actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
    assert_done(A, E_RECV_TIMEOUT);
}

/* ---- call ---- */

/*
 * A calls B, which is already waiting: B gets the call (A's id as label), A waits for B's reply;
 * B answers with reply-and-wait and is then in an open wait (C's send reaches it). Both system
 * calls go through the fast path exactly when it is on.
 */
static void call_round_trip(bool fast)
{
    words(A, 3, 0xa0);
    actor_ipc(A, IPC_CALL, B->id, TAG(3), NEVER);
    expect_received(B, A, 3, 0xa0);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    assert_ptr_equal(A->t->ipc_from, B->t);
    assert_ptr_equal(B->t->reply_to, A->t);
    words(B, 2, 0xb0);
    actor_ipc(B, IPC_REPLY_WAIT, 0, TAG(2), NEVER);
    expect_received(A, B, 2, 0xb0);
    assert_int_equal(A->fastpath, fast);
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
    actor_ipc(C, IPC_SEND, B->id, TAG(0), NEVER);
    expect_received(B, C, 0, 0);
    assert_int_equal(B->fastpath, fast);
}

/* Proves: call to a partner in an open wait: delivered, answered; fast path iff enabled. */
HOST_TEST_BOTH(call_partner_open)
{
    cast();
    partner(P_OPEN);
    call_round_trip(fast);
}

/* Proves: call to a partner in a closed wait for the caller: delivered, answered; fast path
 * iff enabled. */
HOST_TEST_BOTH(call_partner_closed_for_us)
{
    cast();
    partner(P_CLOSED_US);
    call_round_trip(fast);
}

/* Proves: call to a partner waiting for someone else blocks in its send phase (the fast path
 * declines); the partner picks it up later and its reply reaches the caller. */
HOST_TEST_BOTH(call_partner_closed_for_other)
{
    cast();
    partner(P_CLOSED_OTHER);
    words(A, 2, 0xa0);
    actor_ipc(A, IPC_CALL, B->id, TAG(2), NEVER);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    actor_ipc(C, IPC_SEND, B->id, TAG(0), NEVER);
    expect_received(B, C, 0, 0);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    expect_received(B, A, 2, 0xa0);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    assert_ptr_equal(A->t->ipc_from, B->t);
    words(B, 1, 0xb0);
    actor_ipc(B, IPC_REPLY, 0, TAG(1), NEVER);
    assert_done(B, OK);
    expect_received(A, B, 1, 0xb0);
    assert_false(A->fastpath);
}

/* Proves: call to an idle partner blocks until picked up; the reply-and-wait that answers it
 * takes the fast path iff enabled (the caller waits closed for the replier). */
HOST_TEST_BOTH(call_partner_idle)
{
    cast();
    partner(P_IDLE);
    words(A, 2, 0xa0);
    actor_ipc(A, IPC_CALL, B->id, TAG(2), NEVER);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    expect_received(B, A, 2, 0xa0);
    words(B, 1, 0xb0);
    actor_ipc(B, IPC_REPLY_WAIT, 0, TAG(1), NEVER);
    expect_received(A, B, 1, 0xb0);
    assert_false(A->fastpath);
    actor_ipc(C, IPC_SEND, B->id, TAG(0), NEVER);
    expect_received(B, C, 0, 0);
    assert_int_equal(B->fastpath, fast);
}

/* Proves: call to a partner that is itself sending to the caller blocks (no deadlock breaker)
 * and ends with E_SEND_TIMEOUT; the partner's send is still pending. */
HOST_TEST_BOTH(call_partner_sending_to_us)
{
    cast();
    partner(P_SENDING_US);
    actor_ipc(A, IPC_CALL, B->id, TAG(1), SND(MS(2)));
    assert_true(actor_blocked_in(A, IPC_SENDING));
    host_tick(2);
    assert_done(A, E_SEND_TIMEOUT);
    assert_true(actor_blocked_in(B, IPC_SENDING));
}

/* Proves: call to a dead thread is E_NOPARTNER at once. */
HOST_TEST_BOTH(call_partner_dead)
{
    cast();
    partner(P_DEAD);
    actor_ipc(A, IPC_CALL, B->id, TAG(1), NEVER);
    assert_done(A, E_NOPARTNER);
    assert_false(A->fastpath);
}

/* ---- reply and reply-and-wait: the partner is the caller we owe a reply ---- */

/*
 * A holds a reply capability for B's call and B is in state `st`: P_CLOSED_US = still waiting
 * for the reply; P_DEAD = killed while waiting; the other states: B's receive phase timed out
 * (1 ms) and B then waits open, waits for C, stays idle, or sends to A.
 */
static void caller_state(enum partner st)
{
    cast();
    actor_ipc(A, IPC_WAIT, 0, 0, NEVER);
    words(B, 2, 0xb0);
    actor_ipc(B, IPC_CALL, A->id, TAG(2), st == P_CLOSED_US ? NEVER : RCV(MS(1)));
    expect_received(A, B, 2, 0xb0);
    assert_ptr_equal(A->t->reply_to, B->t);
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
    if (st == P_CLOSED_US) return;
    if (st == P_DEAD) {
        actor_kill(B);
        assert_null(thread_lookup(B->id));
        return;
    }
    host_tick(1);
    assert_done(B, E_RECV_TIMEOUT);
    switch (st) {
    case P_OPEN:
        actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
        assert_true(actor_blocked_in(B, IPC_RECEIVING));
        break;
    case P_CLOSED_OTHER:
        actor_ipc(B, IPC_RECV, C->id, 0, NEVER);
        assert_true(actor_blocked_in(B, IPC_RECEIVING));
        break;
    case P_SENDING_US:
        words(B, 1, 0xb8);
        actor_ipc(B, IPC_SEND, A->id, TAG(1), NEVER);
        assert_true(actor_blocked_in(B, IPC_SENDING));
        break;
    default:
        break;
    }
}

/* A's reply (op IPC_REPLY or IPC_REPLY_WAIT) finds no reply capability: E_NOREPLY at once,
 * no wait follows, and B is left exactly as it was. */
static void reply_refused(word_t op, enum partner st)
{
    caller_state(st);
    unsigned b_done = B->done;
    words(A, 1, 0xa0);
    actor_ipc(A, op, 0, TAG(1), NEVER);
    assert_done(A, E_NOREPLY);
    assert_false(A->fastpath);
    assert_null(A->t->reply_to);
    if (st == P_DEAD) return;
    assert_int_equal(B->done, b_done);
    if (st == P_IDLE)
        assert_false(B->busy);
    else
        assert_true(actor_blocked_in(B, st == P_SENDING_US ? IPC_SENDING : IPC_RECEIVING));
    if (st == P_SENDING_US) { /* still queued: the next wait takes it */
        actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
        expect_received(A, B, 1, 0xb8);
    }
}

/* Proves: reply-and-wait to a caller waiting for it: reply delivered (replier's id as label),
 * then an open wait; both halves on the fast path iff enabled. */
HOST_TEST_BOTH(reply_wait_partner_closed_for_us)
{
    caller_state(P_CLOSED_US);
    words(A, 2, 0xa0);
    actor_ipc(A, IPC_REPLY_WAIT, 0, TAG(2), NEVER);
    expect_received(B, A, 2, 0xa0);
    assert_int_equal(B->fastpath, fast); /* B's call met A waiting */
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    assert_null(A->t->reply_to);
    actor_ipc(C, IPC_SEND, A->id, TAG(0), NEVER);
    expect_received(A, C, 0, 0);
    assert_int_equal(A->fastpath, fast);
}

/* Proves: reply-and-wait to a caller that timed out and now waits open: E_NOREPLY, no wait. */
HOST_TEST_BOTH(reply_wait_partner_open)
{
    reply_refused(IPC_REPLY_WAIT, P_OPEN);
}

/* Proves: reply-and-wait to a caller that timed out and waits for someone else: E_NOREPLY. */
HOST_TEST_BOTH(reply_wait_partner_closed_for_other)
{
    reply_refused(IPC_REPLY_WAIT, P_CLOSED_OTHER);
}

/* Proves: reply-and-wait to a caller that timed out and is idle: E_NOREPLY. */
HOST_TEST_BOTH(reply_wait_partner_idle)
{
    reply_refused(IPC_REPLY_WAIT, P_IDLE);
}

/* Proves: reply-and-wait to a caller that timed out and now sends to us: E_NOREPLY, and the
 * failed reply starts no wait (the send stays queued). */
HOST_TEST_BOTH(reply_wait_partner_sending_to_us)
{
    reply_refused(IPC_REPLY_WAIT, P_SENDING_US);
}

/* Proves: reply-and-wait to a caller that died: E_NOREPLY (the capability died with it). */
HOST_TEST_BOTH(reply_wait_partner_dead)
{
    reply_refused(IPC_REPLY_WAIT, P_DEAD);
}

/* Proves: reply to a caller waiting for it: delivered, the replier never blocks, and the
 * capability is used up (a second reply is E_NOREPLY). */
HOST_TEST_BOTH(reply_partner_closed_for_us)
{
    caller_state(P_CLOSED_US);
    words(A, 2, 0xa0);
    actor_ipc(A, IPC_REPLY, 0, TAG(2), NEVER);
    assert_done(A, OK);
    expect_received(B, A, 2, 0xa0);
    actor_ipc(A, IPC_REPLY, 0, TAG(2), NEVER);
    assert_done(A, E_NOREPLY);
}

/* Proves: reply to a caller that timed out and waits open: E_NOREPLY, nothing delivered. */
HOST_TEST_BOTH(reply_partner_open)
{
    reply_refused(IPC_REPLY, P_OPEN);
}

/* Proves: reply to a caller that timed out and waits for someone else: E_NOREPLY. */
HOST_TEST_BOTH(reply_partner_closed_for_other)
{
    reply_refused(IPC_REPLY, P_CLOSED_OTHER);
}

/* Proves: reply to a caller that timed out and is idle: E_NOREPLY. */
HOST_TEST_BOTH(reply_partner_idle)
{
    reply_refused(IPC_REPLY, P_IDLE);
}

/* Proves: reply to a caller that timed out and now sends to us: E_NOREPLY, its send intact. */
HOST_TEST_BOTH(reply_partner_sending_to_us)
{
    reply_refused(IPC_REPLY, P_SENDING_US);
}

/* Proves: reply to a caller that died: E_NOREPLY, even to a new thread that took the dead
 * caller's slot and waits for the replier. */
HOST_TEST_BOTH(reply_partner_dead)
{
    caller_state(P_DEAD);
    struct host_actor *d = actor_new("d", PRIO);
    assert_int_equal(d->id & SLOT_MASK, B->id & SLOT_MASK);
    actor_ipc(d, IPC_RECV, A->id, 0, NEVER);
    actor_ipc(A, IPC_REPLY, 0, TAG(1), NEVER);
    assert_done(A, E_NOREPLY);
    assert_true(actor_blocked_in(d, IPC_RECEIVING));
    assert_int_equal(d->done, 0);
}

/* Proves: reply and reply-and-wait without ever having received a call: E_NOREPLY. */
HOST_TEST_BOTH(reply_without_call)
{
    cast();
    actor_ipc(A, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(A, E_NOREPLY);
    actor_ipc(A, IPC_REPLY_WAIT, 0, TAG(0), NEVER);
    assert_done(A, E_NOREPLY);
    assert_false(A->fastpath);
}

/* ---- reply capability lifetime ---- */

/* Proves: a new wait (open or closed) ends the reply capability: the reply is E_NOREPLY and
 * the caller keeps waiting. */
HOST_TEST_BOTH(reply_after_new_wait)
{
    caller_state(P_CLOSED_US);
    actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
    assert_done(A, E_RECV_TIMEOUT);
    actor_ipc(A, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(A, E_NOREPLY);
    assert_true(actor_blocked_in(B, IPC_RECEIVING));

    /* the same with a closed wait, on a second call */
    actor_kill(B);
    B = actor_new("b2", PRIO);
    actor_ipc(A, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(B, IPC_CALL, A->id, TAG(0), NEVER);
    assert_ptr_equal(A->t->reply_to, B->t);
    actor_ipc(A, IPC_RECV, C->id, 0, ZERO);
    assert_done(A, E_RECV_TIMEOUT);
    actor_ipc(A, IPC_REPLY_WAIT, 0, TAG(0), NEVER);
    assert_done(A, E_NOREPLY);
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
}

/* Proves: reply to a caller whose receive phase timed out is E_NOREPLY even though it waits
 * again (in an open wait): a reply only reaches a caller still waiting for it. */
HOST_TEST_BOTH(reply_to_timed_out_caller)
{
    caller_state(P_OPEN);
    actor_ipc(A, IPC_REPLY, 0, TAG(1), NEVER);
    assert_done(A, E_NOREPLY);
    assert_int_equal(B->done, 1);
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
}

/* Proves: a server that calls on (nested call) keeps its reply capability for its own caller. */
HOST_TEST_BOTH(reply_after_nested_call)
{
    cast();
    actor_ipc(A, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(B, IPC_CALL, A->id, TAG(0), NEVER);
    actor_ipc(C, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_CALL, C->id, TAG(0), NEVER);
    expect_received(C, A, 0, 0);
    words(C, 1, 0xc0);
    actor_ipc(C, IPC_REPLY, 0, TAG(1), NEVER);
    expect_received(A, C, 1, 0xc0);
    words(A, 1, 0xa0);
    actor_ipc(A, IPC_REPLY, 0, TAG(1), NEVER);
    assert_done(A, OK);
    expect_received(B, A, 1, 0xa0);
}

/* ---- timeouts and sleep ---- */

/* Proves: a zero send timeout to a partner not waiting is E_SEND_TIMEOUT at once; nothing is
 * left queued. */
HOST_TEST(send_timeout_zero)
{
    cast();
    actor_ipc(A, IPC_SEND, B->id, TAG(1), ZERO);
    assert_done(A, E_SEND_TIMEOUT);
    assert_null(B->t->senders.head);
    actor_ipc(B, IPC_WAIT, 0, 0, ZERO);
    assert_done(B, E_RECV_TIMEOUT);
}

/* Proves: a relative send timeout fires on exactly the tick its deadline falls in (2.5 ms:
 * the third tick) with E_SEND_TIMEOUT, and the sender leaves the queue. */
HOST_TEST(send_timeout_relative)
{
    cast();
    actor_ipc(A, IPC_SEND, B->id, TAG(1), SND(2500));
    host_tick(2);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    host_tick(1);
    assert_done(A, E_SEND_TIMEOUT);
    assert_null(B->t->senders.head);
    actor_ipc(B, IPC_WAIT, 0, 0, ZERO);
    assert_done(B, E_RECV_TIMEOUT);
}

/* Proves: zero receive timeouts (open and closed wait) return E_RECV_TIMEOUT without blocking. */
HOST_TEST(recv_timeout_zero)
{
    cast();
    actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
    assert_done(A, E_RECV_TIMEOUT);
    actor_ipc(A, IPC_RECV, B->id, 0, ZERO);
    assert_done(A, E_RECV_TIMEOUT);
    assert_int_equal(A->t->deadline_us, 0);
}

/* Proves: a relative receive timeout fires on exactly its tick with E_RECV_TIMEOUT. */
HOST_TEST(recv_timeout_relative)
{
    cast();
    actor_ipc(A, IPC_WAIT, 0, 0, RCV(MS(3)));
    host_tick(2);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    host_tick(1);
    assert_done(A, E_RECV_TIMEOUT);
}

/* Proves: timeouts fire in deadline order, not in the order they were armed. */
HOST_TEST(timeouts_fire_in_deadline_order)
{
    cast();
    actor_ipc(A, IPC_WAIT, 0, 0, RCV(MS(5)));
    actor_ipc(B, IPC_WAIT, 0, 0, RCV(MS(2)));
    actor_ipc(C, IPC_WAIT, 0, 0, RCV(MS(3)));
    host_tick(2);
    assert_done(B, E_RECV_TIMEOUT);
    assert_true(A->busy && C->busy);
    host_tick(1);
    assert_done(C, E_RECV_TIMEOUT);
    assert_true(A->busy);
    host_tick(2);
    assert_done(A, E_RECV_TIMEOUT);
}

/* Proves: delivery disarms the receive timeout: the result stays OK and a later wait is not
 * cut short by the old deadline. */
HOST_TEST(delivery_disarms_timeout)
{
    cast();
    actor_ipc(A, IPC_WAIT, 0, 0, RCV(MS(3)));
    host_tick(1);
    actor_ipc(B, IPC_SEND, A->id, TAG(0), NEVER);
    expect_received(A, B, 0, 0);
    assert_int_equal(A->t->deadline_us, 0);
    actor_ipc(A, IPC_WAIT, 0, 0, NEVER);
    host_tick(10);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    assert_int_equal(A->done, 1);
}

/* Proves: a call's send timeout fires with E_SEND_TIMEOUT while nobody picks the call up. */
HOST_TEST(call_send_timeout)
{
    cast();
    actor_ipc(A, IPC_CALL, B->id, TAG(1), IPC_TIMEOUTS(MS(2), TIMEOUT_NEVER));
    host_tick(1);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    host_tick(1);
    assert_done(A, E_SEND_TIMEOUT);
    actor_ipc(B, IPC_WAIT, 0, 0, ZERO);
    assert_done(B, E_RECV_TIMEOUT);
}

/* Proves: a call's receive timeout starts when the call is picked up, not when it was made,
 * and ends the wait for the reply with E_RECV_TIMEOUT (the reply is then refused). */
HOST_TEST(call_receive_timeout_starts_at_pickup)
{
    cast();
    actor_ipc(A, IPC_CALL, B->id, TAG(0), RCV(MS(3)));
    host_tick(5);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    expect_received(B, A, 0, 0);
    host_tick(2);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    host_tick(1);
    assert_done(A, E_RECV_TIMEOUT);
    actor_ipc(B, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(B, E_NOREPLY);
}

/* Proves: a queued call with a zero receive timeout is delivered when picked up and returns
 * E_RECV_TIMEOUT at once; the receiver holds no reply capability. */
HOST_TEST(call_zero_receive_timeout_picked_up)
{
    cast();
    actor_ipc(A, IPC_CALL, B->id, TAG(0), IPC_TIMEOUTS(TIMEOUT_NEVER, TIMEOUT_ZERO));
    assert_true(actor_blocked_in(A, IPC_SENDING));
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    expect_received(B, A, 0, 0);
    assert_done(A, E_RECV_TIMEOUT);
    actor_ipc(B, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(B, E_NOREPLY);
}

/* Proves: a call with a zero receive timeout to a partner already waiting is delivered. */
HOST_TEST(call_zero_receive_timeout_to_waiter)
{
    cast();
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    words(A, 1, 0xa0);
    actor_ipc(A, IPC_CALL, B->id, TAG(1), IPC_TIMEOUTS(TIMEOUT_NEVER, TIMEOUT_ZERO));
    expect_received(B, A, 1, 0xa0);
    assert_done(A, E_RECV_TIMEOUT); /* at once, as when picked up from the queue */
    actor_ipc(B, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(B, E_NOREPLY);
}

/* Proves: sleep (receive from the nil thread) ends with E_RECV_TIMEOUT on exactly its tick. */
HOST_TEST(sleep_times_out)
{
    cast();
    actor_ipc(A, IPC_RECV, IPC_NIL, 0, RCV(MS(3)));
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    assert_true(A->t->ipc_from_nil);
    host_tick(2);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    host_tick(1);
    assert_done(A, E_RECV_TIMEOUT);
}

/* Proves: a sleeping thread is not waiting for IPC: a zero-timeout send fails, a blocking send
 * waits past the sleep and is taken by the next wait. */
HOST_TEST(sleep_is_not_a_wait)
{
    cast();
    actor_ipc(A, IPC_RECV, IPC_NIL, 0, RCV(MS(2)));
    actor_ipc(B, IPC_SEND, A->id, TAG(0), ZERO);
    assert_done(B, E_SEND_TIMEOUT);
    words(B, 1, 0xb0);
    actor_ipc(B, IPC_SEND, A->id, TAG(1), NEVER);
    assert_true(actor_blocked_in(B, IPC_SENDING));
    host_tick(2);
    assert_done(A, E_RECV_TIMEOUT);
    assert_true(actor_blocked_in(B, IPC_SENDING));
    actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
    expect_received(A, B, 1, 0xb0);
}

/* Proves: sleep with a zero timeout returns at once; with NEVER it does not end. */
HOST_TEST(sleep_zero_and_never)
{
    cast();
    actor_ipc(A, IPC_RECV, IPC_NIL, 0, ZERO);
    assert_done(A, E_RECV_TIMEOUT);
    actor_ipc(A, IPC_RECV, IPC_NIL, 0, NEVER);
    host_tick(50);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
}

/* Proves: sending or calling the nil thread is E_NOPARTNER. */
HOST_TEST_BOTH(send_to_nil)
{
    cast();
    actor_ipc(A, IPC_SEND, IPC_NIL, TAG(0), NEVER);
    assert_done(A, E_NOPARTNER);
    actor_ipc(A, IPC_CALL, IPC_NIL, TAG(0), NEVER);
    assert_done(A, E_NOPARTNER);
}

/* ---- cancellation ---- */

/* Proves: a sender blocked on a receiver that dies gets E_CANCELLED. */
HOST_TEST(cancel_blocked_sender)
{
    cast();
    actor_ipc(A, IPC_SEND, B->id, TAG(1), NEVER);
    actor_kill(B);
    assert_done(A, E_CANCELLED);
}

/* Proves: a caller still queued on a receiver that dies gets E_CANCELLED. */
HOST_TEST(cancel_queued_caller)
{
    cast();
    actor_ipc(A, IPC_CALL, B->id, TAG(1), NEVER);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    actor_kill(B);
    assert_done(A, E_CANCELLED);
}

/* Proves: a caller waiting for the reply of a server that is killed gets E_CANCELLED, on the
 * path its call took. */
HOST_TEST_BOTH(cancel_caller_awaiting_reply)
{
    cast();
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_CALL, B->id, TAG(1), NEVER);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    actor_kill(B);
    assert_done(A, E_CANCELLED);
    assert_int_equal(A->fastpath, fast);
}

/* Proves: a caller blocked by the fast path (its kernel stack dropped, to resume in
 * ipc_user_resume) can be killed cleanly: the server's reply then finds no caller, and a new
 * call from another thread is served as usual. */
HOST_TEST_BOTH(kill_caller_blocked_in_call)
{
    cast();
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_CALL, B->id, TAG(1), NEVER);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    actor_kill(A);
    actor_ipc(B, IPC_REPLY_WAIT, 0, TAG(0), NEVER);
    assert_done(B, E_NOREPLY);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(C, IPC_CALL, B->id, TAG(0), NEVER);
    assert_done(B, OK);
    actor_ipc(B, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(C, OK);
    assert_int_equal(C->fastpath, fast);
}

/* Proves: a caller waiting for the reply of a server that exits by itself gets E_CANCELLED. */
HOST_TEST_BOTH(cancel_caller_when_server_exits)
{
    cast();
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_CALL, B->id, TAG(1), NEVER);
    actor_exit(B);
    assert_null(thread_lookup(B->id));
    assert_done(A, E_CANCELLED);
}

/* Proves: a closed wait on a thread that dies ends with E_CANCELLED. */
HOST_TEST(cancel_closed_receiver)
{
    cast();
    actor_ipc(A, IPC_RECV, B->id, 0, NEVER);
    actor_kill(B);
    assert_done(A, E_CANCELLED);
}

/* Proves: a death cancels only the dead thread's partners: an open waiter and a closed waiter
 * on its surviving sibling thread keep waiting. */
HOST_TEST_BOTH(cancel_only_partners_of_the_dead)
{
    cast();
    struct host_actor *b2 = actor_new_in(B->task, PRIO);
    actor_ipc(b2, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_CALL, b2->id, TAG(1), NEVER);
    actor_ipc(C, IPC_RECV, B->id, 0, NEVER);
    struct host_actor *d = actor_new("d", PRIO);
    actor_ipc(d, IPC_WAIT, 0, 0, NEVER);
    actor_exit(b2); /* the task lives on with B */
    assert_null(thread_lookup(b2->id));
    assert_non_null(thread_lookup(B->id));
    assert_done(A, E_CANCELLED);
    assert_true(actor_blocked_in(C, IPC_RECEIVING));
    assert_true(actor_blocked_in(d, IPC_RECEIVING));
}

/* ---- message words ---- */

/* Proves: exactly the tag's words are copied, both ways of a call; every register beyond the
 * count keeps what the receiver had. */
HOST_TEST_BOTH(words_copied_exactly)
{
    cast();
    words(A, UTCB_MRS, 0xa000);
    fill_sentinel(B);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_CALL, B->id, TAG(5), NEVER);
    expect_received(B, A, 5, 0xa000);
    expect_sentinel_from(B, 5);
    words(B, UTCB_MRS, 0xb000);
    actor_ipc(B, IPC_REPLY_WAIT, 0, TAG(3), NEVER);
    expect_received(A, B, 3, 0xb000);
    for (unsigned i = 3; i < UTCB_MRS; i++)
        assert_int_equal(actor_utcb(A)->mr[i], 0xa000 + i);
    assert_int_equal(A->fastpath, fast);
}

/* Proves: a message of all 64 registers goes through the queue (pick-up path) intact. */
HOST_TEST(words_full_utcb_picked_up)
{
    cast();
    words(A, UTCB_MRS, 0xa000);
    fill_sentinel(B);
    actor_ipc(A, IPC_SEND, B->id, TAG(UTCB_MRS), NEVER);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    expect_received(B, A, UTCB_MRS, 0xa000);
    assert_done(A, OK);
}

/* Proves: a message of no words leaves every register of the receiver as it was. */
HOST_TEST_BOTH(words_none_copied_for_empty_tag)
{
    cast();
    words(A, UTCB_MRS, 0xa000);
    fill_sentinel(B);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_CALL, B->id, TAG(0), NEVER);
    expect_received(B, A, 0, 0);
    expect_sentinel_from(B, 0);
}

/* Proves: the most words the fast path carries (15) take it, intact, and not one more. */
HOST_TEST_BOTH(words_fifteen_fast_sixteen_general)
{
    cast();
    words(A, UTCB_MRS, 0xa000);
    fill_sentinel(B);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_CALL, B->id, TAG(15), NEVER);
    expect_received(B, A, 15, 0xa000);
    expect_sentinel_from(B, 15);
    actor_ipc(B, IPC_REPLY_WAIT, 0, TAG(0), NEVER);
    assert_done(A, OK);
    assert_int_equal(A->fastpath, fast);
    fill_sentinel(B);
    actor_ipc(A, IPC_CALL, B->id, TAG(16), NEVER);
    expect_received(B, A, 16, 0xa000);
    expect_sentinel_from(B, 16);
    actor_ipc(B, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(A, OK);
    assert_false(A->fastpath);
}

/* Proves: the tag arrives exactly as sent (protocol label, words). */
HOST_TEST_BOTH(tag_passes_unchanged)
{
    cast();
    word_t tag = MSGTAG(0xabcdef, 2, 0, 0);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_CALL, B->id, tag, NEVER);
    assert_done(B, OK);
    assert_int_equal(B->rcv_tag, tag);
    word_t rtag = MSGTAG(0x1234, 1, 0, 0);
    actor_ipc(B, IPC_REPLY_WAIT, 0, rtag, NEVER);
    assert_done(A, OK);
    assert_int_equal(A->rcv_tag, rtag);
}

/* Proves: every flag of a tag is the kernel's (notification, redirected, forwarded): a user tag
 * with any flag bit is E_INVAL on every sending operation, and nothing arrives. */
HOST_TEST_BOTH(user_tag_flags_refused)
{
    cast();
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    for (unsigned f = 1; f <= 0xf; f++) {
        actor_ipc(A, IPC_SEND, B->id, MSGTAG(1, 0, 0, f), NEVER);
        assert_done(A, E_INVAL);
        actor_ipc(A, IPC_CALL, B->id, MSGTAG(1, 0, 0, f), NEVER);
        assert_done(A, E_INVAL);
    }
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
}

/* Proves: a call to a lower-priority waiter is not switched to directly (fast path declines)
 * but completes; to a higher-priority one the fast path takes it iff enabled. */
HOST_TEST_BOTH(call_priority_and_fast_path)
{
    A = actor_new("a", PRIO);
    struct host_actor *low = actor_new("low", PRIO - 5), *high = actor_new("high", PRIO + 5);
    actor_ipc(low, IPC_WAIT, 0, 0, NEVER);
    words(A, 1, 0xa0);
    actor_ipc(A, IPC_CALL, low->id, TAG(1), NEVER);
    expect_received(low, A, 1, 0xa0);
    actor_ipc(low, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(A, OK);
    assert_false(A->fastpath);
    actor_ipc(high, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_CALL, high->id, TAG(0), NEVER);
    assert_done(high, OK);
    actor_ipc(high, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(A, OK);
    assert_int_equal(A->fastpath, fast);
}

/* ---- string items ---- */

#define A_SRC (HOST_DATA_VA + 0x300)
#define B_BUF (HOST_DATA_VA + 0xf00)

/* A's message: one word 0x11, then one string item (len bytes at src). */
static word_t string_msg(word_t len, word_t src)
{
    actor_utcb(A)->mr[0] = 0x11;
    actor_utcb(A)->mr[1] = ITEM_STRING_HDR(len);
    actor_utcb(A)->mr[2] = src;
    return MSGTAG(0, 1, 1, 0);
}

/* B offers one string buffer. */
static void string_buffer(word_t addr, word_t size)
{
    actor_utcb(B)->br[BR_NSTRINGS] = 1;
    actor_utcb(B)->br[BR_STRING0] = addr;
    actor_utcb(B)->br[BR_STRING0 + 1] = size;
}

static uint8_t pattern[6000];

static void write_pattern(struct task *t, vaddr_t va, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++)
        pattern[i] = (uint8_t)(seed + i * 7);
    host_user_write(t, va, pattern, len);
}

/* The len bytes at va in t are the pattern written with seed. */
static void expect_pattern(struct task *t, vaddr_t va, size_t len, uint8_t seed)
{
    static uint8_t got[sizeof(pattern)];
    host_user_read(t, va, got, len);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(got[i], (uint8_t)(seed + i * 7));
}

/* B's buffer of len bytes at va still holds only the 0x5a filler. */
static void expect_filler(struct task *t, vaddr_t va, size_t len)
{
    static uint8_t got[sizeof(pattern)];
    host_user_read(t, va, got, len);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(got[i], 0x5a);
}

static void fill_filler(struct task *t, vaddr_t va, size_t len)
{
    static uint8_t f[sizeof(pattern)];
    memset(f, 0x5a, len);
    host_user_write(t, va, f, len);
}

/* Proves: a string item that fits is copied across pages into the receiver's buffer, which
 * learns its length and address; the bytes after it are untouched. */
HOST_TEST(string_fits)
{
    cast();
    write_pattern(A->task, A_SRC, 5000, 3);
    fill_filler(B->task, B_BUF, 5100);
    string_buffer(B_BUF, 5100);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, B->id, string_msg(5000, A_SRC), NEVER);
    assert_done(A, OK);
    expect_received(B, A, 1, 0x11);
    assert_int_equal(MSGTAG_ITEMS(B->rcv_tag), 1);
    assert_int_equal(actor_utcb(B)->mr[1], ITEM_STRING_HDR(5000));
    assert_int_equal(actor_utcb(B)->mr[2], B_BUF);
    expect_pattern(B->task, B_BUF, 5000, 3);
    expect_filler(B->task, B_BUF + 5000, 100);
}

/* Proves: a string item from a queued sender is copied when the receiver picks it up. */
HOST_TEST(string_fits_picked_up)
{
    cast();
    write_pattern(A->task, A_SRC, 300, 9);
    string_buffer(B_BUF, 300);
    actor_ipc(A, IPC_SEND, B->id, string_msg(300, A_SRC), NEVER);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    assert_done(A, OK);
    expect_received(B, A, 1, 0x11);
    expect_pattern(B->task, B_BUF, 300, 9);
}

/* Proves: two string items land in the receiver's first and second buffers, in order. */
HOST_TEST(string_two_items_two_buffers)
{
    cast();
    write_pattern(A->task, A_SRC, 40, 1);
    write_pattern(A->task, A_SRC + 0x1000, 20, 2);
    struct utcb *u = actor_utcb(A);
    u->mr[0] = ITEM_STRING_HDR(40);
    u->mr[1] = A_SRC;
    u->mr[2] = ITEM_STRING_HDR(20);
    u->mr[3] = A_SRC + 0x1000;
    struct utcb *b = actor_utcb(B);
    b->br[BR_NSTRINGS] = 2;
    b->br[BR_STRING0] = HOST_DATA_VA;
    b->br[BR_STRING0 + 1] = 64;
    b->br[BR_STRING0 + 2] = HOST_DATA_VA + 0x2000;
    b->br[BR_STRING0 + 3] = 64;
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, B->id, MSGTAG(0, 0, 2, 0), NEVER);
    assert_done(A, OK);
    assert_done(B, OK);
    expect_pattern(B->task, HOST_DATA_VA, 40, 1);
    expect_pattern(B->task, HOST_DATA_VA + 0x2000, 20, 2);
    assert_int_equal(b->mr[1], HOST_DATA_VA);
    assert_int_equal(b->mr[3], HOST_DATA_VA + 0x2000);
}

/* Proves: a string longer than the receiver's buffer is E_MSGCUT for both sides and nothing of
 * it is written. */
HOST_TEST(string_too_long)
{
    cast();
    write_pattern(A->task, A_SRC, 100, 3);
    fill_filler(B->task, B_BUF, 128);
    string_buffer(B_BUF, 64);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, B->id, string_msg(100, A_SRC), NEVER);
    assert_done(A, E_MSGCUT);
    assert_done(B, E_MSGCUT);
    expect_filler(B->task, B_BUF, 128);
}

/* Proves: a string to a receiver that offers no buffer is E_MSGCUT for both (queued sender). */
HOST_TEST(string_without_buffer)
{
    cast();
    write_pattern(A->task, A_SRC, 10, 3);
    actor_ipc(A, IPC_SEND, B->id, string_msg(10, A_SRC), NEVER);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    assert_done(A, E_MSGCUT);
    assert_done(B, E_MSGCUT);
}

/* Proves: a buffer whose end is unmapped, or one in read-only memory, cuts the message
 * (E_MSGCUT) and nothing is written into its mapped part. */
HOST_TEST(string_buffer_not_writable)
{
    cast();
    write_pattern(A->task, A_SRC, 32, 3);
    fill_filler(B->task, HOST_DATA_END - 16, 16);
    string_buffer(HOST_DATA_END - 16, 64);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, B->id, string_msg(32, A_SRC), NEVER);
    assert_done(A, E_MSGCUT);
    assert_done(B, E_MSGCUT);
    expect_filler(B->task, HOST_DATA_END - 16, 16);

    uint8_t before[64], after[64];
    host_user_read(B->task, HOST_TEXT_VA + 0x800, before, sizeof(before));
    string_buffer(HOST_TEXT_VA + 0x800, 64);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, B->id, string_msg(32, A_SRC), NEVER);
    assert_done(A, E_MSGCUT);
    assert_done(B, E_MSGCUT);
    host_user_read(B->task, HOST_TEXT_VA + 0x800, after, sizeof(after));
    assert_memory_equal(before, after, sizeof(before));
}

/* Proves: a string from an unmapped (or partly unmapped) source is the sender's fault:
 * E_FAULT, reported to both sides, nothing written. */
HOST_TEST(string_unmapped_source)
{
    cast();
    fill_filler(B->task, B_BUF, 64);
    string_buffer(B_BUF, 64);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, B->id, string_msg(32, HOST_UNMAPPED_VA), NEVER);
    assert_done(A, E_FAULT);
    assert_done(B, E_FAULT);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, B->id, string_msg(32, HOST_DATA_END - 8), NEVER);
    assert_done(A, E_FAULT);
    assert_done(B, E_FAULT);
    expect_filler(B->task, B_BUF, 64);
}

/* Proves: a string item longer than IPC_STRING_MAX is refused with E_INVAL. */
HOST_TEST(string_longer_than_max)
{
    cast();
    string_buffer(B_BUF, 64);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, B->id, string_msg(IPC_STRING_MAX + 1, A_SRC), NEVER);
    assert_done(A, E_INVAL);
}

/* Proves: a call carrying a string item takes the general path even with the fast path on,
 * and a failed transfer ends the call without a wait for the reply. */
HOST_TEST_BOTH(string_in_call)
{
    cast();
    write_pattern(A->task, A_SRC, 50, 5);
    string_buffer(B_BUF, 64);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_CALL, B->id, string_msg(50, A_SRC), NEVER);
    expect_received(B, A, 1, 0x11);
    expect_pattern(B->task, B_BUF, 50, 5);
    actor_ipc(B, IPC_REPLY_WAIT, 0, TAG(0), NEVER);
    assert_done(A, OK);
    assert_false(A->fastpath);
    string_buffer(B_BUF, 10);
    actor_ipc(A, IPC_CALL, B->id, string_msg(50, A_SRC), NEVER);
    assert_done(A, E_MSGCUT);
    assert_done(B, E_MSGCUT);
}

/* ---- invalid input ---- */

/* Proves: unknown operations are E_INVAL and never block. */
HOST_TEST(invalid_ops)
{
    cast();
    static const word_t bad[] = {0, IPC_OP_COUNT, 99, ~0UL};
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        actor_ipc(A, bad[i], B->id, TAG(0), NEVER);
        assert_done(A, E_INVAL);
    }
}

/* Proves: a tag claiming more registers than the UTCB has is E_INVAL and delivers nothing;
 * exactly 64 registers is accepted. */
HOST_TEST_BOTH(invalid_tags)
{
    cast();
    fill_sentinel(B);
    words(A, UTCB_MRS, 0xa000);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, B->id, TAG(UTCB_MRS + 1), NEVER);
    assert_done(A, E_INVAL);
    actor_ipc(A, IPC_CALL, B->id, MSGTAG(0, 60, 3, 0), NEVER);
    assert_done(A, E_INVAL);
    actor_ipc(A, IPC_CALL, B->id, MSGTAG(0, 0x7f, 0x1f, 0), NEVER);
    assert_done(A, E_INVAL);
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
    expect_sentinel_from(B, 0);
    actor_ipc(A, IPC_SEND, B->id, TAG(UTCB_MRS), NEVER);
    assert_done(A, OK);
    expect_received(B, A, UTCB_MRS, 0xa000);
}

/* Proves: only the kernel marks a message as a notification: a user tag carrying
 * MSGTAG_F_NOTIFY is E_INVAL, on every operation that sends, and the receiver gets nothing. */
HOST_TEST_BOTH(user_tag_cannot_claim_notification)
{
    cast();
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, B->id, MSGTAG(7, 1, 0, MSGTAG_F_NOTIFY), NEVER);
    assert_done(A, E_INVAL);
    actor_ipc(A, IPC_CALL, B->id, MSGTAG(7, 0, 0, MSGTAG_F_NOTIFY), NEVER);
    assert_done(A, E_INVAL);
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
    actor_ipc(A, IPC_SEND, B->id, MSGTAG(7, 0, 0, 0), NEVER);
    assert_done(A, OK);
}

/* Proves: an item of unknown type is E_INVAL for both sides. */
HOST_TEST(invalid_item_type)
{
    cast();
    actor_utcb(A)->mr[0] = 0x5; /* type 5: no such item */
    actor_utcb(A)->mr[1] = 0;
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, B->id, MSGTAG(0, 0, 1, 0), NEVER);
    assert_done(A, E_INVAL);
    assert_done(B, E_INVAL);
}

/* Proves: a call to oneself is refused with E_INVAL instead of deadlocking. */
HOST_TEST_BOTH(call_to_self)
{
    cast();
    actor_ipc(A, IPC_CALL, A->id, TAG(0), NEVER);
    assert_done(A, E_INVAL);
    assert_false(A->fastpath);
}

/* Proves: a closed wait for oneself and a send to oneself without a timeout are refused with
 * E_INVAL; a send to oneself with a timeout is allowed and times out. */
HOST_TEST(self_deadlocks_refused)
{
    cast();
    actor_ipc(A, IPC_RECV, A->id, 0, NEVER);
    assert_done(A, E_INVAL);
    actor_ipc(A, IPC_SEND, A->id, TAG(0), NEVER);
    assert_done(A, E_INVAL);
    actor_ipc(A, IPC_SEND, A->id, TAG(0), ZERO);
    assert_done(A, E_SEND_TIMEOUT);
}

/* Proves: closed waits on names that were never threads are E_NOPARTNER. */
HOST_TEST(recv_from_bad_names)
{
    cast();
    static const word_t bad[] = {1UL << 40, 200, (7u << ID_SLOT_BITS) | 1, ~0UL};
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        actor_ipc(A, IPC_RECV, bad[i], 0, NEVER);
        assert_done(A, E_NOPARTNER);
        actor_ipc(A, IPC_SEND, bad[i], TAG(0), NEVER);
        assert_done(A, E_NOPARTNER);
    }
}

/* ---- notifications ---- */

#define NLABEL 0x4e

/* A creates a notification labelled NLABEL and binds its thread to it; returns its name. */
static word_t bound_notification(void)
{
    actor_do(A, sys_notify_create, NLABEL, 0, 0, 0, 0);
    assert_true(A->result > 0);
    word_t n = (word_t)A->result;
    actor_do(A, sys_notify_bind, n, 0, 0, 0, 0);
    assert_done(A, OK);
    return n;
}

static void expect_notification(struct host_actor *a, word_t bits)
{
    assert_done(a, OK);
    assert_int_equal(a->rcv_tag, MSGTAG(NLABEL, 1, 0, MSGTAG_F_NOTIFY));
    assert_int_equal(a->rcv_label, NLABEL);
    assert_int_equal(actor_utcb(a)->mr[0], bits);
}

/* Proves: trigger never blocks the producer, whether the bound consumer is idle or blocked
 * sending elsewhere; bad triggers fail cleanly. */
HOST_TEST(notify_trigger_never_blocks)
{
    cast();
    word_t n = bound_notification();
    actor_do(B, sys_notify_trigger, n, 0x1, 0, 0, 0);
    assert_done(B, OK);
    assert_false(A->busy);
    actor_ipc(A, IPC_SEND, C->id, TAG(0), NEVER);
    actor_do(B, sys_notify_trigger, n, 0x8, 0, 0, 0);
    assert_done(B, OK);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    actor_do(B, sys_notify_trigger, n, 0, 0, 0, 0);
    assert_done(B, E_INVAL);
    actor_do(B, sys_notify_trigger, n + 1, 0x1, 0, 0, 0);
    assert_done(B, E_NOENT);
}

/* Proves: bits triggered while nobody waits are kept and delivered together at the next open
 * wait (label and flag of a notification), then cleared. */
HOST_TEST(notify_pending_delivered_at_open_wait)
{
    cast();
    word_t n = bound_notification();
    actor_do(B, sys_notify_trigger, n, 0x1, 0, 0, 0);
    actor_do(C, sys_notify_trigger, n, 0x8, 0, 0, 0);
    actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
    expect_notification(A, 0x9);
    actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
    assert_done(A, E_RECV_TIMEOUT);
}

/* Proves: a bound thread already in an open wait receives a trigger at once. */
HOST_TEST(notify_wakes_bound_waiter)
{
    cast();
    word_t n = bound_notification();
    actor_ipc(A, IPC_WAIT, 0, 0, RCV(MS(5)));
    actor_do(B, sys_notify_trigger, n, 0x2, 0, 0, 0);
    expect_notification(A, 0x2);
    assert_int_equal(A->t->deadline_us, 0);
}

/* Proves: a closed wait neither takes pending bits nor is ended by a trigger; the bits wait
 * for the next open wait. */
HOST_TEST(notify_not_taken_by_closed_wait)
{
    cast();
    word_t n = bound_notification();
    actor_do(B, sys_notify_trigger, n, 0x4, 0, 0, 0);
    actor_ipc(A, IPC_RECV, C->id, 0, ZERO);
    assert_done(A, E_RECV_TIMEOUT);
    actor_ipc(A, IPC_RECV, C->id, 0, NEVER);
    actor_do(B, sys_notify_trigger, n, 0x1, 0, 0, 0);
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    words(C, 1, 0xc0);
    actor_ipc(C, IPC_SEND, A->id, TAG(1), NEVER);
    expect_received(A, C, 1, 0xc0);
    actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
    expect_notification(A, 0x5);
}

/* Proves: an open wait takes pending bits before queued senders; the sender comes next. */
HOST_TEST(notify_before_queued_senders)
{
    cast();
    word_t n = bound_notification();
    words(C, 1, 0xc0);
    actor_ipc(C, IPC_SEND, A->id, TAG(1), NEVER);
    actor_do(B, sys_notify_trigger, n, 0x10, 0, 0, 0);
    actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
    expect_notification(A, 0x10);
    actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
    expect_received(A, C, 1, 0xc0);
}

/* Proves: bits for a notification nobody bound stay pending; an unbound thread's open wait
 * does not take them. */
HOST_TEST(notify_unbound_keeps_bits)
{
    cast();
    actor_do(A, sys_notify_create, NLABEL, 0, 0, 0, 0);
    word_t n = (word_t)A->result;
    actor_do(B, sys_notify_trigger, n, 0x3, 0, 0, 0);
    assert_done(B, OK);
    actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
    assert_done(A, E_RECV_TIMEOUT);
    actor_do(A, sys_notify_bind, n, 0, 0, 0, 0);
    actor_ipc(A, IPC_WAIT, 0, 0, ZERO);
    expect_notification(A, 0x3);
}

/* Proves: a bound server's reply-and-wait delivers the reply and then the pending bits, on
 * the general path (the fast path declines bound threads). */
HOST_TEST_BOTH(notify_bound_reply_wait)
{
    cast();
    word_t n = bound_notification();
    actor_ipc(A, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(B, IPC_CALL, A->id, TAG(0), NEVER);
    actor_do(C, sys_notify_trigger, n, 0x20, 0, 0, 0);
    actor_ipc(A, IPC_REPLY_WAIT, 0, TAG(0), NEVER);
    assert_done(B, OK);
    expect_notification(A, 0x20);
    assert_false(A->fastpath);
}

/* ---- plain C threads ---- */

static word_t echo_server_id;
static unsigned echo_rounds;

/* An echo server in one reply-and-wait loop: every call is answered with its word plus one. */
static void echo_server(word_t rounds)
{
    long r = host_sys_ipc(IPC_WAIT, 0, 0, NEVER, 0);
    for (word_t i = 0; i < rounds && r == 0; i++) {
        current->utcb->mr[0] += 1;
        r = host_sys_ipc(IPC_REPLY_WAIT, 0, TAG(1), NEVER, 0);
    }
}

/* Its client: `rounds` calls, each checked (result, answer, replier's id); then it exits. */
static void echo_client(word_t rounds)
{
    for (word_t i = 0; i < rounds; i++) {
        current->utcb->mr[0] = i * 3;
        long r = host_sys_ipc(IPC_CALL, echo_server_id, TAG(1), NEVER, 0);
        if (r != 0 || current->utcb->mr[0] != i * 3 + 1 ||
            arch_thread_frame(current)->rdi != echo_server_id)
            return;
        echo_rounds++;
    }
}

/* Proves: two C threads of one task run 100 call / reply-and-wait round trips with every
 * answer right; with the fast path on, every call and every reply-and-wait after the first
 * wait take it, with it off none does. */
HOST_TEST_BOTH(round_trips_in_a_loop)
{
    const host_fn fns[] = {echo_server, echo_client};
    const word_t args[] = {100, 100};
    struct thread *th[2];
    struct task *t = host_task_n("echo", PRIO, 2, fns, args, th);
    echo_server_id = th[0]->id;
    host_run();
    assert_int_equal(echo_rounds, 100);
    assert_null(thread_lookup(th[1]->id)); /* the client returned: thread_exit */
    assert_int_equal(t->nthreads, 1);
    assert_int_equal(th[0]->state, THREAD_BLOCKED);
    assert_int_equal(th[0]->ipc_wait, IPC_RECEIVING);
    assert_int_equal(host_stats.ipc_calls, 100 + 1 + 100);
    assert_int_equal(host_stats.fastpath_hits, fast ? 100 + 99 : 0); /* the last one waits on */
}

int main(int argc, char **argv)
{
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    const struct CMUnitTest tests[] = {
        HOST_RUN_BOTH(send_partner_open),
        HOST_RUN_BOTH(send_partner_closed_for_us),
        HOST_RUN_BOTH(send_partner_closed_for_other),
        HOST_RUN_BOTH(send_partner_idle),
        HOST_RUN_BOTH(send_partner_sending_to_us),
        HOST_RUN_BOTH(send_partner_dead),
        HOST_RUN_BOTH(recv_partner_open),
        HOST_RUN_BOTH(recv_partner_closed_for_us),
        HOST_RUN_BOTH(recv_partner_closed_for_other),
        HOST_RUN_BOTH(recv_partner_idle),
        HOST_RUN_BOTH(recv_partner_sending_to_us),
        HOST_RUN_BOTH(recv_partner_dead),
        HOST_RUN_BOTH(wait_partner_open),
        HOST_RUN_BOTH(wait_partner_closed_for_us),
        HOST_RUN_BOTH(wait_partner_closed_for_other),
        HOST_RUN_BOTH(wait_partner_idle),
        HOST_RUN_BOTH(wait_partner_sending_to_us),
        HOST_RUN_BOTH(wait_partner_dead),
        HOST_RUN_BOTH(call_partner_open),
        HOST_RUN_BOTH(call_partner_closed_for_us),
        HOST_RUN_BOTH(call_partner_closed_for_other),
        HOST_RUN_BOTH(call_partner_idle),
        HOST_RUN_BOTH(call_partner_sending_to_us),
        HOST_RUN_BOTH(call_partner_dead),
        HOST_RUN_BOTH(reply_wait_partner_closed_for_us),
        HOST_RUN_BOTH(reply_wait_partner_open),
        HOST_RUN_BOTH(reply_wait_partner_closed_for_other),
        HOST_RUN_BOTH(reply_wait_partner_idle),
        HOST_RUN_BOTH(reply_wait_partner_sending_to_us),
        HOST_RUN_BOTH(reply_wait_partner_dead),
        HOST_RUN_BOTH(reply_partner_closed_for_us),
        HOST_RUN_BOTH(reply_partner_open),
        HOST_RUN_BOTH(reply_partner_closed_for_other),
        HOST_RUN_BOTH(reply_partner_idle),
        HOST_RUN_BOTH(reply_partner_sending_to_us),
        HOST_RUN_BOTH(reply_partner_dead),
        HOST_RUN_BOTH(reply_without_call),
        HOST_RUN_BOTH(reply_after_new_wait),
        HOST_RUN_BOTH(reply_to_timed_out_caller),
        HOST_RUN_BOTH(reply_after_nested_call),
        HOST_RUN(send_timeout_zero),
        HOST_RUN(send_timeout_relative),
        HOST_RUN(recv_timeout_zero),
        HOST_RUN(recv_timeout_relative),
        HOST_RUN(timeouts_fire_in_deadline_order),
        HOST_RUN(delivery_disarms_timeout),
        HOST_RUN(call_send_timeout),
        HOST_RUN(call_receive_timeout_starts_at_pickup),
        HOST_RUN(call_zero_receive_timeout_picked_up),
        HOST_RUN(call_zero_receive_timeout_to_waiter),
        HOST_RUN(sleep_times_out),
        HOST_RUN(sleep_is_not_a_wait),
        HOST_RUN(sleep_zero_and_never),
        HOST_RUN_BOTH(send_to_nil),
        HOST_RUN(cancel_blocked_sender),
        HOST_RUN(cancel_queued_caller),
        HOST_RUN_BOTH(cancel_caller_awaiting_reply),
        HOST_RUN_BOTH(kill_caller_blocked_in_call),
        HOST_RUN_BOTH(cancel_caller_when_server_exits),
        HOST_RUN(cancel_closed_receiver),
        HOST_RUN_BOTH(cancel_only_partners_of_the_dead),
        HOST_RUN_BOTH(words_copied_exactly),
        HOST_RUN(words_full_utcb_picked_up),
        HOST_RUN_BOTH(words_none_copied_for_empty_tag),
        HOST_RUN_BOTH(words_fifteen_fast_sixteen_general),
        HOST_RUN_BOTH(tag_passes_unchanged),
        HOST_RUN_BOTH(user_tag_flags_refused),
        HOST_RUN_BOTH(call_priority_and_fast_path),
        HOST_RUN(string_fits),
        HOST_RUN(string_fits_picked_up),
        HOST_RUN(string_two_items_two_buffers),
        HOST_RUN(string_too_long),
        HOST_RUN(string_without_buffer),
        HOST_RUN(string_buffer_not_writable),
        HOST_RUN(string_unmapped_source),
        HOST_RUN(string_longer_than_max),
        HOST_RUN_BOTH(string_in_call),
        HOST_RUN(invalid_ops),
        HOST_RUN_BOTH(invalid_tags),
        HOST_RUN_BOTH(user_tag_cannot_claim_notification),
        HOST_RUN(invalid_item_type),
        HOST_RUN_BOTH(call_to_self),
        HOST_RUN(self_deadlocks_refused),
        HOST_RUN(recv_from_bad_names),
        HOST_RUN(notify_trigger_never_blocks),
        HOST_RUN(notify_pending_delivered_at_open_wait),
        HOST_RUN(notify_wakes_bound_waiter),
        HOST_RUN(notify_not_taken_by_closed_wait),
        HOST_RUN(notify_before_queued_senders),
        HOST_RUN(notify_unbound_keeps_bits),
        HOST_RUN_BOTH(notify_bound_reply_wait),
        HOST_RUN_BOTH(round_trips_in_a_loop),
    };
    return cmocka_run_group_tests_name("ipc", tests, NULL, NULL);
}
