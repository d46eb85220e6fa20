/* SPDX-License-Identifier: MIT */
/*
 * Backend `refmon` driven on the host through the real IPC path: a send needs an IPC-right
 * flexpage for the destination; without one it faults to the sender's reference monitor,
 * whose reply maps the right (the send is retried) or refuses; rights over ranges of ids;
 * revocation by unmap through the mapping database (recursive, and of a send already
 * blocked); a dead or silent monitor; stacked monitors. Actors are one-thread tasks; the
 * monitor's task is made the root (which owns every right) unless a test says otherwise.
 * Run one test alone: test_refmon <name> (a pattern: * and ? match).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "host_kernel.h"
#include "policy.h"
#include "syscall.h"

#define PRIO 10
#define MS(n) ((uint32_t)(n)*1000u)
#define NEVER IPC_TIMEOUTS(TIMEOUT_NEVER, TIMEOUT_NEVER)
#define SND(t) IPC_TIMEOUTS(t, TIMEOUT_NEVER)
#define TAG(words) MSGTAG(0, words, 0, 0)
#define MAP_TAG MSGTAG(0, 0, 1, 0)

#define assert_done(a, status)                                                                     \
    do {                                                                                           \
        assert_false((a)->busy);                                                                   \
        assert_int_equal((a)->result, -(long)(status));                                            \
    } while (0)

static struct host_actor *A, *B, *C, *M;

/* A sender A, receivers B and C, and A's monitor M (root: it may grant every right). */
static void cast(void)
{
    A = actor_new("a", PRIO);
    B = actor_new("b", PRIO);
    C = actor_new("c", PRIO);
    M = actor_new("m", PRIO);
    M->task->is_root = true;
    A->t->monitor = M->id;
}

/* A second monitor M1 for A, not the root: its own first send (to B, waiting) faults to M,
 * which grants it every id with the map right, so it can grant A in turn. */
static struct host_actor *sub_monitor(void)
{
    struct host_actor *M1 = actor_new("m1", PRIO);
    A->t->monitor = M1->id;
    M1->t->monitor = M->id;
    actor_ipc(M, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_post_ipc(M1, IPC_SEND, B->id, TAG(0), NEVER);
    host_run();
    assert_int_equal(MSGTAG_LABEL(M->rcv_tag), IPC_LABEL_POLICY_FAULT);
    assert_int_equal(M->rcv_label, M1->task->id);
    actor_utcb(M)->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    actor_utcb(M)->mr[1] = FPAGE(0, 32, FPAGE_R | FPAGE_W);
    actor_ipc(M, IPC_REPLY, 0, MAP_TAG, NEVER);
    assert_done(M1, OK);
    assert_done(B, OK);
    return M1;
}

static bool may_send(struct host_actor *a, struct host_actor *to)
{
    return refmon_covers(a->task->pol.rs, to->id, REFMON_R_SEND);
}

/* The monitor answers the fault it received with a map item of (first, order, rights). */
static void grant(struct host_actor *mon, word_t first, unsigned order, unsigned rights)
{
    actor_utcb(mon)->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    actor_utcb(mon)->mr[1] = FPAGE(first << 12, order, rights);
    actor_ipc(mon, IPC_REPLY, 0, MAP_TAG, NEVER);
}

static long revoke(struct host_actor *by, word_t first, unsigned order, bool self)
{
    long n = policy_unmap(by->t, FPAGE_KIND_BACKEND, FPAGE(first << 12, order, 0), self);
    host_run();
    return n;
}

/* Proves: the first send without a right reaches the monitor as the documented policy fault
 * (label: the sender's task; mr = sender, destination, tag, no claim); its grant makes the
 * kernel retry and deliver with the sender's id as label; the second call needs no monitor
 * (the cached right) and goes through the fast path when it is on. */
HOST_TEST_BOTH(grant_on_first_contact)
{
    cast();
    actor_ipc(M, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_post_ipc(A, IPC_CALL, B->id, TAG(2), NEVER);
    host_run();
    assert_done(M, OK);
    assert_int_equal(MSGTAG_LABEL(M->rcv_tag), IPC_LABEL_POLICY_FAULT);
    assert_int_equal(M->rcv_label, A->task->id);
    assert_int_equal(actor_utcb(M)->mr[0], A->id);
    assert_int_equal(actor_utcb(M)->mr[1], B->id);
    assert_int_equal(actor_utcb(M)->mr[2], TAG(2));
    assert_int_equal(actor_utcb(M)->mr[3], 0);
    assert_false(may_send(A, B));
    grant(M, B->id, 0, FPAGE_R);
    assert_done(M, OK);
    assert_done(B, OK);
    assert_int_equal(B->rcv_label, A->id);
    assert_true(may_send(A, B));
    actor_ipc(M, IPC_WAIT, 0, 0, NEVER); /* would take a second fault */
    actor_ipc(B, IPC_REPLY_WAIT, 0, TAG(0), NEVER);
    assert_done(A, OK);
    unsigned faults = M->done;
    actor_ipc(A, IPC_CALL, B->id, TAG(1), NEVER);
    assert_int_equal(B->rcv_label, A->id);
    actor_ipc(B, IPC_REPLY_WAIT, 0, TAG(0), NEVER);
    assert_done(A, OK);
    assert_true(M->busy); /* still waiting: no second fault */
    assert_int_equal(M->done, faults);
    assert_int_equal(A->fastpath, fast);
}

/* Proves: the monitor's refusal fails the send with E_DENIED and maps nothing; a claimed
 * identity is refused with E_PERM before any monitor is asked; a nonexistent destination is
 * E_NOPARTNER, never a fault. */
HOST_TEST(refuse_claim_and_unknown)
{
    cast();
    actor_ipc(M, IPC_WAIT, 0, 0, NEVER);
    actor_post_ipc(A, IPC_SEND, B->id, TAG(0), NEVER);
    host_run();
    assert_int_equal(MSGTAG_LABEL(M->rcv_tag), IPC_LABEL_POLICY_FAULT);
    actor_ipc(M, IPC_REPLY_WAIT, 0, MSGTAG(IPC_LABEL_DENY, 0, 0, 0), NEVER);
    assert_done(A, E_DENIED);
    assert_false(may_send(A, B));
    unsigned faults = M->done;
    actor_do(A, host_sys_ipc, IPC_SEND | IPC_OP_DECEIT, B->id, TAG(0), NEVER, C->id);
    assert_done(A, E_PERM);
    actor_ipc(A, IPC_SEND, 0x7fff0123, TAG(0), NEVER);
    assert_done(A, E_NOPARTNER);
    assert_int_equal(M->done, faults); /* neither reached the monitor */
}

/* Proves: a right over a range of ids (base = first id, 2^order ids) lets the sender reach
 * every thread in it without another fault, and no thread outside it. */
HOST_TEST(range_flexpage)
{
    cast();
    struct host_actor *D = actor_new("d", PRIO);
    unsigned order = 0;
    while ((B->id >> order) != (C->id >> order))
        order++;
    word_t base = B->id & ~((1ul << order) - 1);
    if ((D->id >> order) == (base >> order)) order = 0, base = B->id; /* keep D outside */
    assert_true((D->id >> order) != (base >> order));
    actor_ipc(M, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_post_ipc(A, IPC_SEND, B->id, TAG(0), NEVER);
    host_run();
    grant(M, base, order, FPAGE_R);
    assert_done(B, OK);
    actor_ipc(M, IPC_WAIT, 0, 0, NEVER);
    unsigned faults = M->done;
    bool c_inside = (C->id >> order) == (base >> order);
    actor_ipc(C, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A, IPC_SEND, C->id, TAG(0), NEVER);
    if (c_inside) {
        assert_done(A, OK);
        assert_done(C, OK);
        assert_int_equal(M->done, faults);
    }
    actor_post_ipc(A, IPC_SEND, D->id, TAG(0), NEVER); /* outside: faults */
    host_run();
    assert_int_equal(M->done, faults + 1);
    assert_int_equal(actor_utcb(M)->mr[1], D->id);
    actor_ipc(M, IPC_REPLY, 0, MSGTAG(IPC_LABEL_DENY, 0, 0, 0), NEVER);
    assert_done(A, E_DENIED);
    assert_true(c_inside || order == 0);
}

/* Proves: revocation is recursive: A, granted B with "may map on", maps it on to C; the
 * monitor's unmap of B's id takes it from both, and A's next send faults again. Mapping on
 * needs the map right: C, holding send only, cannot map it to D. */
HOST_TEST(recursive_revocation)
{
    cast();
    struct host_actor *D = actor_new("d", PRIO);
    actor_ipc(M, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(B, IPC_WAIT, 0, 0, NEVER);
    actor_post_ipc(A, IPC_SEND, B->id, TAG(0), NEVER);
    host_run();
    grant(M, B->id, 0, FPAGE_R | FPAGE_W);
    assert_done(B, OK);
    /* A maps its right on to C (A may reach C: the monitor grants that too) */
    actor_ipc(C, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(M, IPC_WAIT, 0, 0, NEVER);
    actor_utcb(A)->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    actor_utcb(A)->mr[1] = FPAGE((word_t)B->id << 12, 0, FPAGE_R);
    actor_post_ipc(A, IPC_SEND, C->id, MAP_TAG, NEVER);
    host_run();
    grant(M, C->id, 0, FPAGE_R);
    assert_done(A, OK);
    assert_done(C, OK);
    assert_true(may_send(C, B));
    /* C holds send only: mapping on to D fails */
    actor_ipc(D, IPC_WAIT, 0, 0, NEVER);
    D->t->monitor = 0;
    C->t->monitor = M->id;
    actor_ipc(M, IPC_WAIT, 0, 0, NEVER);
    actor_utcb(C)->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    actor_utcb(C)->mr[1] = FPAGE((word_t)B->id << 12, 0, FPAGE_R);
    actor_post_ipc(C, IPC_SEND, D->id, MAP_TAG, NEVER);
    host_run();
    grant(M, D->id, 0, FPAGE_R);
    assert_false(may_send(D, B));
    /* the monitor revokes B: from A and, through A, from C */
    assert_int_equal(revoke(M, B->id, 0, false), 1);
    assert_false(may_send(A, B));
    assert_false(may_send(C, B));
    assert_true(may_send(A, C)); /* other rights stay */
    actor_ipc(M, IPC_WAIT, 0, 0, NEVER);
    unsigned faults = M->done;
    actor_post_ipc(A, IPC_SEND, B->id, TAG(0), NEVER);
    host_run();
    assert_int_equal(M->done, faults + 1);
    assert_int_equal(actor_utcb(M)->mr[1], B->id);
}

/* Proves: a send blocked at a busy receiver through a right revoked meanwhile fails with
 * E_CANCELLED when the receiver picks it up, and is never delivered. */
HOST_TEST(revoke_blocked_send)
{
    cast();
    actor_ipc(M, IPC_WAIT, 0, 0, NEVER);
    actor_post_ipc(A, IPC_SEND, B->id, TAG(0), NEVER); /* B is not waiting */
    host_run();
    grant(M, B->id, 0, FPAGE_R);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    assert_int_equal(revoke(M, B->id, 0, false), 1);
    assert_true(actor_blocked_in(A, IPC_SENDING)); /* found out at pick-up */
    actor_post_ipc(B, IPC_WAIT, 0, 0, IPC_TIMEOUTS(0, MS(2)));
    host_run();
    assert_done(A, E_CANCELLED);
    host_tick(3);
    assert_done(B, E_RECV_TIMEOUT);
}

/* Proves: the monitor's death never leaves a sender hanging: a send waiting for its answer
 * fails with E_CANCELLED; later sends without a right fail at once with E_NOPARTNER; rights
 * granted before stay usable; with no monitor set at all, E_NOPARTNER too. */
HOST_TEST(monitor_death)
{
    cast();
    struct host_actor *M1 = sub_monitor();
    actor_ipc(M1, IPC_WAIT, 0, 0, NEVER);
    actor_post_ipc(A, IPC_SEND, C->id, TAG(0), NEVER);
    host_run();
    grant(M1, C->id, 0, FPAGE_R);
    assert_true(actor_blocked_in(A, IPC_SENDING));
    actor_ipc(C, IPC_WAIT, 0, 0, NEVER);
    assert_done(A, OK);
    actor_ipc(M1, IPC_WAIT, 0, 0, NEVER);
    actor_post_ipc(A, IPC_SEND, B->id, TAG(0), NEVER);
    host_run();
    assert_true(actor_blocked_in(A, IPC_RECEIVING)); /* in the fault */
    actor_kill(M1);
    assert_done(A, E_CANCELLED);
    actor_ipc(A, IPC_SEND, B->id, TAG(0), NEVER);
    assert_done(A, E_NOPARTNER);
    assert_false(may_send(A, C)); /* what the dead monitor granted went with it */
    B->t->monitor = 0;
    actor_ipc(B, IPC_SEND, C->id, TAG(0), NEVER);
    assert_done(B, E_NOPARTNER);
}

/* Proves: a monitor that takes the fault and never answers leaves the sender's timeout in
 * force (E_RECV_TIMEOUT), and the sender holds no right afterwards. */
HOST_TEST(monitor_never_answers)
{
    cast();
    actor_ipc(M, IPC_WAIT, 0, 0, NEVER);
    actor_post_ipc(A, IPC_SEND, B->id, TAG(0), SND(MS(3)));
    host_run();
    assert_true(actor_blocked_in(A, IPC_RECEIVING));
    host_tick(4);
    assert_done(A, E_RECV_TIMEOUT);
    assert_false(may_send(A, B));
    actor_ipc(M, IPC_REPLY, 0, MAP_TAG, NEVER); /* too late: no reply capability */
    assert_done(M, E_NOREPLY);
}

/* Proves: monitors stack without the kernel looping: M1 (not the root, holding nothing) is
 * A's monitor and M2 is M1's; M1's own send faults to M2, which grants M1 every id with the
 * map right; M1 then grants A from that, and M2's unmap of everything takes A's right too. */
HOST_TEST(stacked_monitors)
{
    cast();
    struct host_actor *M1 = sub_monitor();
    actor_ipc(M1, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(C, IPC_WAIT, 0, 0, NEVER);
    actor_post_ipc(A, IPC_SEND, C->id, TAG(0), NEVER);
    host_run();
    assert_int_equal(MSGTAG_LABEL(M1->rcv_tag), IPC_LABEL_POLICY_FAULT);
    assert_int_equal(M1->rcv_label, A->task->id);
    grant(M1, C->id, 0, FPAGE_R);
    assert_done(A, OK);
    assert_done(C, OK);
    assert_true(may_send(A, C));
    assert_int_equal(revoke(M, 0, 32, false), 1);
    assert_false(may_send(M1, C));
    assert_false(may_send(A, C));
}

/* Proves: a task's end takes every right it held and everything derived from it. */
HOST_TEST(task_end_revokes)
{
    cast();
    struct host_actor *M1 = sub_monitor();
    actor_ipc(M1, IPC_WAIT, 0, 0, NEVER);
    actor_post_ipc(A, IPC_SEND, C->id, TAG(0), NEVER);
    host_run();
    grant(M1, C->id, 0, FPAGE_R);
    assert_true(may_send(A, C));
    uint32_t nodes = A->task->quota.used[QUOTA_NODES];
    assert_true(nodes >= 1);
    actor_kill(M1);
    assert_false(may_send(A, C));
    assert_int_equal(A->task->quota.used[QUOTA_NODES], nodes - 1);
}

int main(int argc, char **argv)
{
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    const struct CMUnitTest tests[] = {
        HOST_RUN_BOTH(grant_on_first_contact),
        HOST_RUN(refuse_claim_and_unknown),
        HOST_RUN(range_flexpage),
        HOST_RUN(recursive_revocation),
        HOST_RUN(revoke_blocked_send),
        HOST_RUN(monitor_death),
        HOST_RUN(monitor_never_answers),
        HOST_RUN(stacked_monitors),
        HOST_RUN(task_end_revokes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
