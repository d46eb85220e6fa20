/* SPDX-License-Identifier: MIT */
/*
 * The backend contract's routes and hooks, driven through the scripted backend
 * (tests/unit/policy_script/): the core's handling of redirect, deceit, queue, policy fault,
 * park and the commit check, on the fast and the general path, before any real backend uses
 * them. Actors A (sender), B (intended receiver), C (chief or monitor) are one-thread tasks.
 * Run one test alone: test_route <name> (a pattern: * and ? match).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "host_kernel.h"
#include "ipc_queue.h"
#include "policy.h"
#include "syscall.h"

#define PRIO 10
#define MS(n) ((uint32_t)(n)*1000u)
#define NEVER IPC_TIMEOUTS(TIMEOUT_NEVER, TIMEOUT_NEVER)
#define SND(t) IPC_TIMEOUTS(t, TIMEOUT_NEVER)
#define TAG(words) MSGTAG(0x55, words, 0, 0)
#define NAME 0x9000UL /* a name only the script knows */

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

static struct ipc_route route(enum route_kind kind, struct host_actor *to, word_t label)
{
    return (struct ipc_route){.kind = kind, .to = to ? to->t : NULL, .label = label};
}

/* An IPC in the name of `claimed` (IPC_OP_DECEIT, the claim in the fifth argument). */
static void actor_ipc_as(struct host_actor *a, word_t op, word_t dest, word_t tag, word_t claimed)
{
    actor_do(a, host_sys_ipc, op | IPC_OP_DECEIT, dest, tag, NEVER, claimed);
}

/* ---- redirect ---- */

/* Proves: a redirected call reaches the chief, not the intended receiver, flagged
 * MSGTAG_F_REDIRECTED with the intended receiver and actual sender in its TCRs; the fast path
 * declines it; the chief's reply reaches the caller. */
HOST_TEST_BOTH(redirect_reaches_chief_flagged)
{
    cast();
    struct ipc_route r = route(ROUTE_REDIRECT, C, 0xc1);
    r.intended = B->id;
    r.actual = A->id;
    script_set(NAME, r, NULL);
    actor_ipc(C, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    words(A, 2, 0xa0);
    actor_post_ipc(A, IPC_CALL, NAME, TAG(2), NEVER);
    host_run();
    assert_done(C, OK);
    assert_true(actor_blocked_in(B, IPC_RECEIVING)); /* the intended receiver got nothing */
    assert_int_equal(C->rcv_label, 0xc1);
    assert_int_equal(MSGTAG_FLAGS(C->rcv_tag), MSGTAG_F_REDIRECTED);
    assert_int_equal(MSGTAG_LABEL(C->rcv_tag), 0x55);
    assert_int_equal(actor_utcb(C)->tcr[TCR_INTENDED_RECEIVER], B->id);
    assert_int_equal(actor_utcb(C)->tcr[TCR_ACTUAL_SENDER], A->id);
    expect_words(C, 2, 0xa0);
    actor_ipc(C, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(A, OK);
    assert_false(A->fastpath);
    assert_int_equal(A->rcv_label, C->id);
}

/* ---- deceit ---- */

/* Proves: a forwarder the backend allows to speak for X reaches B as X: the label is X's, the
 * message is flagged MSGTAG_F_FORWARDED, and B's closed wait for X is satisfied by it. */
HOST_TEST(deceit_allowed_satisfies_closed_wait)
{
    cast();
    struct host_actor *X = actor_new("x", PRIO);
    script_set(NAME, route(ROUTE_DELIVER, B, 0), X->t);
    actor_ipc(B, IPC_RECV, X->id, 0, NEVER); /* B waits for X only */
    words(C, 1, 0xc0);
    actor_ipc_as(C, IPC_SEND, NAME, TAG(1), X->id);
    assert_done(C, OK);
    assert_done(B, OK);
    assert_int_equal(B->rcv_label, X->id);
    assert_int_equal(MSGTAG_FLAGS(B->rcv_tag), MSGTAG_F_FORWARDED);
    expect_words(B, 1, 0xc0);
}

/* Proves: a claim the backend does not allow is E_PERM and delivers nothing; a claim on an
 * operation that does not send, or a claim of 0, is E_INVAL. */
HOST_TEST(deceit_refused)
{
    cast();
    struct host_actor *X = actor_new("x", PRIO);
    script_set(NAME, route(ROUTE_DELIVER, B, 0), X->t);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_ipc_as(C, IPC_SEND, NAME, TAG(0), A->id); /* not the identity the backend allows */
    assert_done(C, E_PERM);
    actor_ipc_as(C, IPC_SEND, B->id, TAG(0), X->id); /* no rule: the baseline forges nothing */
    assert_done(C, E_PERM);
    actor_ipc_as(C, IPC_WAIT, 0, 0, X->id);
    assert_done(C, E_INVAL);
    actor_ipc_as(C, IPC_SEND, NAME, TAG(0), 0);
    assert_done(C, E_INVAL);
    assert_true(actor_blocked_in(B, IPC_RECEIVING));
}

/* Proves: a blocked deceiving sender is picked up by a closed wait for the claimed identity,
 * and is cancelled if that identity dies first. */
HOST_TEST(deceit_blocked_then_claimed_dies)
{
    cast();
    struct host_actor *X = actor_new("x", PRIO), *Y = actor_new("y", PRIO);
    script_set(NAME, route(ROUTE_DELIVER, B, 0), X->t);
    actor_post(C, host_sys_ipc, IPC_SEND | IPC_OP_DECEIT, NAME, TAG(0), NEVER, X->id);
    host_run();
    assert_true(actor_blocked_in(C, IPC_SENDING));
    actor_ipc(B, IPC_RECV, X->id, 0, NEVER);
    assert_done(B, OK);
    assert_int_equal(B->rcv_label, X->id);
    assert_done(C, OK);
    /* again, but the claimed thread dies while the send waits */
    script_set(NAME + 1, route(ROUTE_DELIVER, B, 0), Y->t);
    actor_post(C, host_sys_ipc, IPC_SEND | IPC_OP_DECEIT, NAME + 1, TAG(0), NEVER, Y->id);
    host_run();
    assert_true(actor_blocked_in(C, IPC_SENDING));
    actor_exit(Y);
    assert_done(C, E_CANCELLED);
}

/* ---- queue ---- */

/* Proves: a queued send returns at once with the words copied into the kernel; the receiver's
 * next wait takes it (FIFO), on either path (a reply-and-wait included). */
HOST_TEST_BOTH(queue_send_then_receive)
{
    cast();
    struct ipc_route r = route(ROUTE_QUEUE, NULL, 0x9);
    r.queue = script_queue_for(B->t, 4);
    script_set(NAME, r, NULL);
    words(A, 3, 0xa0);
    actor_ipc(A, IPC_SEND, NAME, TAG(3), NEVER);
    assert_done(A, OK);
    words(A, 2, 0xb0); /* the first message was copied: changing the UTCB changes nothing */
    actor_ipc(A, IPC_SEND, NAME, TAG(2), NEVER);
    assert_done(A, OK);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    assert_done(B, OK);
    assert_int_equal(B->rcv_label, 0x9);
    assert_int_equal(MSGTAG_WORDS(B->rcv_tag), 3);
    expect_words(B, 3, 0xa0);
    /* a call to B (a plain thread id) while a message still waits in B's queue */
    actor_post_ipc(C, IPC_CALL, B->id, TAG(0), NEVER);
    host_run();
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER); /* the queued message first: it is older */
    assert_int_equal(MSGTAG_WORDS(B->rcv_tag), 2);
    expect_words(B, 2, 0xb0);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    assert_int_equal(B->rcv_label, C->id);
    actor_ipc(B, IPC_REPLY_WAIT, 0, TAG(0), IPC_TIMEOUTS(0, 0)); /* nothing left: times out */
    assert_done(B, E_RECV_TIMEOUT);
    assert_done(C, OK);
}

/* Proves: a full queue parks the sender (its timeout runs: E_SEND_TIMEOUT) or, with room made
 * by a receive, lets it through; a call cannot be queued (E_NOTSUP). */
HOST_TEST(queue_full_parks_sender)
{
    cast();
    struct ipc_route r = route(ROUTE_QUEUE, NULL, 0x9);
    r.queue = script_queue_for(B->t, 1);
    script_set(NAME, r, NULL);
    actor_ipc(A, IPC_SEND, NAME, TAG(0), NEVER);
    assert_done(A, OK);
    actor_ipc(A, IPC_SEND, NAME, TAG(0), SND(MS(2)));
    assert_true(actor_blocked_in(A, IPC_SENDING));
    host_tick(3);
    assert_done(A, E_SEND_TIMEOUT);
    actor_ipc(A, IPC_SEND, NAME, TAG(1), SND(0));
    assert_done(A, E_SEND_TIMEOUT);
    words(A, 1, 0x77);
    actor_ipc(A, IPC_SEND, NAME, TAG(1), NEVER);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER); /* makes room: A's send goes in */
    assert_done(A, OK);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    expect_words(B, 1, 0x77);
    actor_ipc(C, IPC_CALL, NAME, TAG(0), NEVER);
    assert_done(C, E_NOTSUP);
}

/* Proves: queued messages are charged to the sender's QUOTA_MSGS (E_QUOTA at its limit,
 * another sender unaffected), and the charge returns at delivery. */
HOST_TEST(queue_charged_to_sender)
{
    cast();
    struct ipc_route r = route(ROUTE_QUEUE, NULL, 0x9);
    r.queue = script_queue_for(B->t, 8);
    script_set(NAME, r, NULL);
    A->task->quota.limit[QUOTA_MSGS] = 2;
    actor_ipc(A, IPC_SEND, NAME, TAG(0), NEVER);
    actor_ipc(A, IPC_SEND, NAME, TAG(0), NEVER);
    assert_int_equal(A->task->quota.used[QUOTA_MSGS], 2);
    actor_ipc(A, IPC_SEND, NAME, TAG(0), NEVER);
    assert_done(A, E_QUOTA);
    actor_ipc(C, IPC_SEND, NAME, TAG(0), NEVER);
    assert_done(C, OK);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    assert_int_equal(A->task->quota.used[QUOTA_MSGS], 1);
    actor_ipc(A, IPC_SEND, NAME, TAG(0), NEVER);
    assert_done(A, OK);
}

/* Proves: a backend item in a queued message is taken at send and installed at receive; one
 * that cannot be taken fails the send with nothing queued; a string cannot wait in the kernel
 * (E_NOTSUP); a receiver that dies drops what was queued for it (items too), and a sender
 * waiting for room learns E_CANCELLED. */
HOST_TEST(queue_items_and_death)
{
    cast();
    struct ipc_route r = route(ROUTE_QUEUE, NULL, 0x9);
    r.queue = script_queue_for(B->t, 2);
    script_set(NAME, r, NULL);
    actor_utcb(A)->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    actor_utcb(A)->mr[1] = 0x5000;
    actor_ipc(A, IPC_SEND, NAME, MSGTAG(1, 0, 1, 0), NEVER);
    assert_done(A, OK);
    assert_int_equal(script_items_taken, 1);
    actor_utcb(A)->mr[1] = 0; /* the script's "cannot be taken" */
    actor_ipc(A, IPC_SEND, NAME, MSGTAG(1, 0, 1, 0), NEVER);
    assert_done(A, E_MAPFAIL);
    actor_utcb(A)->mr[0] = ITEM_STRING_HDR(8);
    actor_utcb(A)->mr[1] = HOST_DATA_VA;
    actor_ipc(A, IPC_SEND, NAME, MSGTAG(1, 0, 1, 0), NEVER);
    assert_done(A, E_NOTSUP);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    assert_done(B, OK);
    assert_int_equal(script_items_put, 1);
    assert_int_equal(actor_utcb(B)->mr[1], 0x5000);
    /* two more with items, one sender waiting for room, then B dies */
    actor_utcb(A)->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    actor_utcb(A)->mr[1] = 0x6000;
    actor_ipc(A, IPC_SEND, NAME, MSGTAG(1, 0, 1, 0), NEVER);
    actor_ipc(A, IPC_SEND, NAME, MSGTAG(1, 0, 1, 0), NEVER);
    actor_ipc(C, IPC_SEND, NAME, TAG(0), NEVER);
    assert_true(actor_blocked_in(C, IPC_SENDING));
    actor_exit(B);
    assert_int_equal(script_items_dropped, 2);
    assert_done(C, E_CANCELLED);
    struct kinfo_pool p = msgq_pool_info();
    assert_int_equal(p.used, 0);
    assert_int_equal(A->task->quota.used[QUOTA_MSGS], 0);
}

/* ---- policy fault ---- */

/* Proves: a send the backend faults reaches the monitor as the documented IPC (label
 * IPC_LABEL_POLICY_FAULT; sender, intended destination, tag, claim) with the sender's words
 * intact; the monitor's answer makes the kernel resolve again and deliver the original. */
HOST_TEST_BOTH(fault_to_monitor_then_retry)
{
    cast();
    struct ipc_route r = route(ROUTE_FAULT, C, 0x3c);
    r.actual = A->id;
    r.intended = 0x1234;
    script_set(NAME, r, NULL);
    actor_ipc(C, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    words(A, 5, 0xa0);
    actor_post_ipc(A, IPC_CALL, NAME, TAG(5), NEVER);
    host_run();
    assert_done(C, OK);
    assert_int_equal(MSGTAG_LABEL(C->rcv_tag), IPC_LABEL_POLICY_FAULT);
    assert_int_equal(C->rcv_label, 0x3c);
    assert_int_equal(actor_utcb(C)->mr[0], A->id);
    assert_int_equal(actor_utcb(C)->mr[1], 0x1234);
    assert_int_equal(actor_utcb(C)->mr[2], TAG(5));
    assert_int_equal(actor_utcb(C)->mr[3], 0);
    script_set(NAME, route(ROUTE_DELIVER, B, 0xb1), NULL);
    actor_utcb(C)->mr[0] = 0xdead; /* a reply word must not leak into A's message */
    actor_ipc(C, IPC_REPLY, 0, MSGTAG(0, 1, 0, 0), NEVER);
    assert_done(B, OK);
    assert_int_equal(B->rcv_label, 0xb1);
    expect_words(B, 5, 0xa0);
    actor_ipc(B, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(A, OK);
    expect_words(A, 5, 0xa0); /* its registers came back: the protocol and the reply were not its */
}

/* Proves: the monitor's refusal fails the send with E_DENIED; a monitor that grants nothing
 * (the send faults again) is a refusal, not a loop; a dead monitor is E_NOPARTNER; a monitor
 * that never answers leaves the sender's send timeout in force. */
HOST_TEST(fault_refused_repeated_gone_slow)
{
    cast();
    script_set(NAME, route(ROUTE_FAULT, C, 0x3c), NULL);
    actor_ipc(C, IPC_WAIT, 0, 0, NEVER);
    actor_post_ipc(A, IPC_SEND, NAME, TAG(0), NEVER);
    host_run();
    actor_ipc(C, IPC_REPLY_WAIT, 0, MSGTAG(IPC_LABEL_DENY, 0, 0, 0), NEVER);
    assert_done(A, E_DENIED);
    actor_post_ipc(A, IPC_SEND, NAME, TAG(0), NEVER);
    host_run();
    actor_ipc(C, IPC_REPLY_WAIT, 0, MSGTAG(0, 0, 0, 0), NEVER); /* "try again", no grant */
    assert_done(A, E_DENIED);
    actor_post_ipc(A, IPC_SEND, NAME, TAG(0), SND(MS(3))); /* C waits, never answers */
    host_run();
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    host_tick(4);
    assert_done(A, E_RECV_TIMEOUT);
    actor_exit(C);
    script_set(NAME, route(ROUTE_FAULT, C, 0x3c), NULL);
    script_rules[0].route.to = NULL; /* the monitor the backend names is gone */
    actor_ipc(A, IPC_SEND, NAME, TAG(0), NEVER);
    assert_done(A, E_NOPARTNER);
}

/* ---- park ---- */

/* Proves: a parked send waits (timeout running) until woken, then resolves again and is
 * delivered where the backend now says; a parked send's timeout expires with E_SEND_TIMEOUT. */
HOST_TEST_BOTH(park_then_resolve_again)
{
    cast();
    static struct wait_queue parked;
    struct ipc_route r = route(ROUTE_PARK, NULL, 0);
    r.park = &parked;
    script_set(NAME, r, NULL);
    actor_ipc(A, IPC_SEND, NAME, TAG(0), SND(MS(2)));
    assert_true(actor_blocked_in(A, IPC_SENDING));
    host_tick(3);
    assert_done(A, E_SEND_TIMEOUT);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    words(A, 1, 0xa5);
    actor_post_ipc(A, IPC_CALL, NAME, TAG(1), NEVER);
    host_run();
    assert_true(actor_blocked_in(A, IPC_SENDING));
    script_set(NAME, route(ROUTE_DELIVER, B, 0xb2), NULL);
    ipc_wake_parked(&parked, OK);
    host_run();
    assert_done(B, OK);
    assert_int_equal(B->rcv_label, 0xb2);
    expect_words(B, 1, 0xa5);
    actor_ipc(B, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(A, OK);
}

/* ---- commit ---- */

/* Proves: a send blocked at a busy receiver whose authority is revoked meanwhile fails with
 * E_CANCELLED when the receiver would take it, and the receiver goes on waiting; an unrevoked
 * one behind it is delivered. */
HOST_TEST_BOTH(commit_check_at_pick_up)
{
    cast();
    script_set(NAME, route(ROUTE_DELIVER, B, 0xb3), NULL);
    script_set(NAME + 1, route(ROUTE_DELIVER, B, 0xb4), NULL);
    actor_ipc(A, IPC_SEND, NAME, TAG(0), NEVER);
    assert_true(actor_blocked_in(A, IPC_SENDING)); /* B is busy (idle, not waiting) */
    actor_ipc(C, IPC_CALL, NAME + 1, TAG(0), NEVER);
    assert_true(actor_blocked_in(C, IPC_SENDING));
    script_clear(NAME); /* A's authority is gone */
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    assert_done(A, E_CANCELLED);
    assert_done(B, OK);
    assert_int_equal(B->rcv_label, 0xb4); /* C's call, not A's send */
    actor_ipc(B, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(C, OK);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        HOST_RUN_BOTH(redirect_reaches_chief_flagged),
        HOST_RUN(deceit_allowed_satisfies_closed_wait),
        HOST_RUN(deceit_refused),
        HOST_RUN(deceit_blocked_then_claimed_dies),
        HOST_RUN_BOTH(queue_send_then_receive),
        HOST_RUN(queue_full_parks_sender),
        HOST_RUN(queue_charged_to_sender),
        HOST_RUN(queue_items_and_death),
        HOST_RUN_BOTH(fault_to_monitor_then_retry),
        HOST_RUN(fault_refused_repeated_gone_slow),
        HOST_RUN_BOTH(park_then_resolve_again),
        HOST_RUN_BOTH(commit_check_at_pick_up),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests_name("route", tests, NULL, NULL) ? 1 : 0;
}
