/* SPDX-License-Identifier: MIT */
/*
 * Backend `clans` driven on the host through the real IPC path: direct IPC inside a clan (on
 * the fast path), redirection to the nearest chief at each nesting depth, forwarding in the
 * original sender's name (deceit allowed and refused), the forwarded flag and the closed wait
 * on a deceived sender, replies to a forwarded call, the chief's receiving thread, chief death,
 * and ipc_route (l4_nchief). Run one test alone: test_clans <name> (a pattern: * and ? match).
 *
 * The creation tree (each task one actor thread; R and Z were created by nobody):
 *
 *     R ── P1 ── A1 ── AA          Z
 *      │     └── A2
 *      └── P2 ── B1 ── BB
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
#define TAG(words) MSGTAG(0x77, words, 0, 0)
#define REDIRECTED MSGTAG_F_REDIRECTED
#define FORWARDED MSGTAG_F_FORWARDED

#define assert_done(a, status)                                                                     \
    do {                                                                                           \
        assert_false((a)->busy);                                                                   \
        assert_int_equal((a)->result, -(long)(status));                                            \
    } while (0)

static struct host_actor *R, *P1, *P2, *A1, *A2, *AA, *B1, *BB, *Z;

static void tree(void)
{
    R = actor_new("r", PRIO);
    Z = actor_new("z", PRIO);
    P1 = actor_new_child(R->task, "p1", PRIO);
    P2 = actor_new_child(R->task, "p2", PRIO);
    A1 = actor_new_child(P1->task, "a1", PRIO);
    A2 = actor_new_child(P1->task, "a2", PRIO);
    AA = actor_new_child(A1->task, "aa", PRIO);
    B1 = actor_new_child(P2->task, "b1", PRIO);
    BB = actor_new_child(B1->task, "bb", PRIO);
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

/* An IPC in the name of `claimed` (IPC_OP_DECEIT, the claim in the fifth argument). */
static void post_as(struct host_actor *a, word_t op, word_t dest, word_t tag, word_t claimed)
{
    actor_post(a, host_sys_ipc, op | IPC_OP_DECEIT, dest, tag, NEVER, claimed);
}

/* `who` received a message from `sender` (the label) with exactly these flags; for redirected
 * or forwarded messages its TCRs name the intended receiver and the real sender. */
static void expect_got(struct host_actor *who, struct host_actor *sender, unsigned flags,
                       struct host_actor *intended, struct host_actor *actual)
{
    assert_done(who, OK);
    assert_int_equal(who->rcv_label, sender->id);
    assert_int_equal(MSGTAG_FLAGS(who->rcv_tag), flags);
    assert_int_equal(MSGTAG_LABEL(who->rcv_tag), 0x77);
    if (flags) {
        assert_int_equal(actor_utcb(who)->tcr[TCR_INTENDED_RECEIVER], intended->id);
        assert_int_equal(actor_utcb(who)->tcr[TCR_ACTUAL_SENDER], actual->id);
    }
}

/* The message `who` received was a call (its sender waits for the reply) or a send. */
static void expect_waits(struct host_actor *who, bool call)
{
    assert_int_equal(actor_utcb(who)->tcr[TCR_SENDER_WAITS], call);
}

/* The ipc_route system call as kernel/sys_ipc.c makes it. */
static long host_sys_ipc_route(word_t dest, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    struct thread *to = NULL;
    long r = ipc_route_query(current, dest, &to);
    return r < 0 ? r : (long)policy_name_of_thread(current->task, to);
}

/* Where a send from `a` to `dest` goes first (the ipc_route system call). */
static long route_of(struct host_actor *a, struct host_actor *dest)
{
    actor_do(a, host_sys_ipc_route, dest->id, 0, 0, 0, 0);
    assert_false(a->busy);
    return a->result;
}

/* ---- inside a clan ---- */

/* Proves: siblings (same creator) and a chief with its own clan members talk directly: no
 * flag, the sender's id as label, and a call between siblings takes the fast path. */
HOST_TEST_BOTH(inside_clan_direct)
{
    tree();
    actor_ipc(A2, IPC_WAIT, 0, 0, NEVER);
    words(A1, 3, 0xa1);
    actor_ipc(A1, IPC_CALL, A2->id, TAG(3), NEVER);
    expect_got(A2, A1, 0, NULL, NULL);
    expect_words(A2, 3, 0xa1);
    actor_ipc(A2, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(A1, OK);
    assert_int_equal(A1->fastpath, fast);
    assert_int_equal(A1->rcv_label, A2->id);
    /* member -> its chief, chief -> its member, and the parentless top clan (R, Z) */
    actor_ipc(P1, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A1, IPC_SEND, P1->id, TAG(0), NEVER);
    expect_got(P1, A1, 0, NULL, NULL);
    actor_ipc(A1, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(P1, IPC_SEND, A1->id, TAG(0), NEVER);
    expect_got(A1, P1, 0, NULL, NULL);
    actor_ipc(Z, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(R, IPC_SEND, Z->id, TAG(0), NEVER);
    expect_got(Z, R, 0, NULL, NULL);
}

/* ---- redirection ---- */

/* Proves: IPC leaving the sender's clan goes to the sender's chief, flagged, with the intended
 * receiver and the real sender in the chief's TCRs, and the intended receiver gets nothing;
 * the chief's reply reaches the caller; the fast path declines it; the chief can tell a call
 * from a send (TCR_SENDER_WAITS). At depth 1 (A1 -> B1: to
 * P1) and depth 2 (AA -> A2: to A1). */
HOST_TEST_BOTH(redirect_out_to_senders_chief)
{
    tree();
    actor_ipc(B1, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(P1, IPC_WAIT, 0, 0, NEVER);
    words(A1, 2, 0x51);
    actor_post_ipc(A1, IPC_CALL, B1->id, TAG(2), NEVER);
    host_run();
    expect_got(P1, A1, REDIRECTED, B1, A1);
    expect_waits(P1, true);
    expect_words(P1, 2, 0x51);
    assert_true(actor_blocked_in(B1, IPC_RECEIVING));
    actor_ipc(P1, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(A1, OK);
    assert_false(A1->fastpath);
    assert_int_equal(A1->rcv_label, P1->id);

    actor_ipc(A1, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A2, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(AA, IPC_SEND, A2->id, TAG(0), NEVER);
    expect_got(A1, AA, REDIRECTED, A2, AA);
    expect_waits(A1, false);
    assert_true(actor_blocked_in(A2, IPC_RECEIVING));
}

/* Proves: IPC entering a clan from outside goes to the chief of the first clan it enters:
 * P1 -> B1 to P2 (a sibling's clan), P1 -> AA to A1 (a subclan of its own), R -> BB to P2. */
HOST_TEST(redirect_in_to_receivers_chief)
{
    tree();
    actor_ipc(P2, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(P1, IPC_SEND, B1->id, TAG(0), NEVER);
    expect_got(P2, P1, REDIRECTED, B1, P1);
    actor_ipc(A1, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(P1, IPC_SEND, AA->id, TAG(0), NEVER);
    expect_got(A1, P1, REDIRECTED, AA, P1);
    actor_ipc(P2, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(R, IPC_SEND, BB->id, TAG(0), NEVER);
    expect_got(P2, R, REDIRECTED, BB, R);
}

/* Proves: hop by hop across the tree (A1 -> BB passes P1, P2 and B1: four IPCs become five),
 * each chief forwarding in A1's name: every chief sees A1 as the sender (label), the intended
 * receiver BB, and the chief that forwarded it as the real sender; BB gets A1's words flagged
 * forwarded; BB's reply goes to its real caller B1, and the replies travel back the same way. */
HOST_TEST(forward_hop_by_hop)
{
    tree();
    struct host_actor *hops[] = {P1, P2, B1, BB};
    for (unsigned i = 0; i < 4; i++)
        actor_ipc(hops[i], IPC_WAIT, 0, 0, NEVER);
    words(A1, 4, 0x400);
    actor_post_ipc(A1, IPC_CALL, BB->id, TAG(4), NEVER);
    host_run();
    expect_got(P1, A1, REDIRECTED, BB, A1);
    post_as(P1, IPC_CALL, BB->id, TAG(4), A1->id);
    host_run();
    expect_got(P2, A1, REDIRECTED | FORWARDED, BB, P1);
    post_as(P2, IPC_CALL, BB->id, TAG(4), A1->id);
    host_run();
    expect_got(B1, A1, REDIRECTED | FORWARDED, BB, P2);
    post_as(B1, IPC_CALL, BB->id, TAG(4), A1->id);
    host_run();
    expect_got(BB, A1, FORWARDED, BB, B1);
    expect_words(BB, 4, 0x400);
    words(BB, 1, 0xbb);
    actor_ipc(BB, IPC_REPLY, 0, TAG(1), NEVER);
    assert_done(B1, OK);
    assert_int_equal(B1->rcv_label, BB->id);
    for (unsigned i = 2; i > 0; i--) {
        actor_ipc(hops[i], IPC_REPLY, 0, TAG(1), NEVER);
        assert_done(hops[i - 1], OK);
    }
    actor_ipc(P1, IPC_REPLY, 0, TAG(1), NEVER);
    assert_done(A1, OK);
    assert_int_equal(actor_utcb(A1)->mr[0], 0xbb);
}

/* ---- deceit ---- */

/*
 * Proves: the deceit rule is L4's direction-preserving deceit: a chief sends in another's name
 * only where it lies on the redirection chain from the claimed sender to the destination.
 * Allowed: out of its clan in the name of a task inside it, at each depth (A1 as AA to A2;
 * P1 as AA to P2; P1 as A1 to P2), into its clan or a subclan in an outsider's name, at each
 * depth (P1 as B1 to A1; P1 as BB to A2; A1 as B1 to AA), in its own thread's name. Refused with
 * E_PERM and nothing delivered: inside to inside (P1 as AA to A2: the message AA -> A2 goes through
 * A1, never P1; P1 as A1 to A2: siblings talk directly), an outsider's name to an outsider (P1 as
 * B1 to R), a task with nothing below it (A2 as A1 to P1), a subclan's chief in its own chief's
 * name (A1 as P1 to A2), outward in an outsider's name (A1 as B1 to P2), and a claim of a
 * thread that does not exist.
 */
HOST_TEST(deceit_rule)
{
    tree();
    struct {
        struct host_actor **chief, **claimed, **dest;
        bool allowed;
    } cases[] = {
        {&A1, &AA, &A2, true},  {&P1, &AA, &P2, true},  {&P1, &A1, &P2, true},
        {&P1, &B1, &A1, true},  {&P1, &BB, &A2, true},  {&A1, &B1, &AA, true},
        {&P1, &P1, &A1, true},  {&P1, &AA, &A2, false}, {&P1, &A1, &A2, false},
        {&P1, &B1, &R, false},  {&A2, &A1, &P1, false}, {&A1, &P1, &A2, false},
        {&A1, &B1, &P2, false}, {&P2, &BB, &B1, false},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct host_actor *dest = *cases[i].dest;
        actor_ipc(dest, IPC_WAIT, 0, 0, IPC_TIMEOUTS(TIMEOUT_NEVER, MS(2)));
        post_as(*cases[i].chief, IPC_SEND, dest->id, TAG(0), (*cases[i].claimed)->id);
        host_run();
        if (cases[i].allowed) {
            assert_done(*cases[i].chief, OK);
            expect_got(dest, *cases[i].claimed, FORWARDED, dest, *cases[i].chief);
        } else {
            assert_done(*cases[i].chief, E_PERM);
            host_tick(3);
            assert_done(dest, E_RECV_TIMEOUT); /* nothing was delivered */
        }
    }
    post_as(P2, IPC_SEND, B1->id, TAG(0), 0x7fffffffUL);
    host_run();
    assert_done(P2, E_PERM);
}

/* Proves: after a chief dies the chain follows the tree as it is: with P1 dead, A1's outbound
 * IPC goes to R, so R may forward it in A1's name (to B1, through P2) and P2 in A1's name into
 * its clan, while R still may not deceive inside to inside (as A1 to A2: they are one clan). */
HOST_TEST(deceit_after_chief_death)
{
    tree();
    actor_kill(P1);
    actor_ipc(P2, IPC_WAIT, 0, 0, NEVER);
    post_as(R, IPC_SEND, B1->id, TAG(0), A1->id);
    host_run();
    assert_done(R, OK);
    expect_got(P2, A1, REDIRECTED | FORWARDED, B1, R);
    actor_ipc(B1, IPC_WAIT, 0, 0, NEVER);
    post_as(P2, IPC_SEND, B1->id, TAG(0), A1->id);
    host_run();
    expect_got(B1, A1, FORWARDED, B1, P2);
    actor_ipc(A2, IPC_WAIT, 0, 0, IPC_TIMEOUTS(TIMEOUT_NEVER, MS(2)));
    post_as(R, IPC_SEND, A2->id, TAG(0), A1->id);
    host_run();
    assert_done(R, E_PERM);
    host_tick(3);
    assert_done(A2, E_RECV_TIMEOUT);
}

/* Proves: a closed wait for AA is satisfied by AA's chief forwarding in AA's name (flagged), and
 * not by A1 sending in its own name (that send waits); the forwarded call's reply goes to the
 * chief that made it, which answers AA. */
HOST_TEST(closed_wait_on_deceived_sender)
{
    tree();
    actor_ipc(A1, IPC_WAIT, 0, 0, NEVER);
    words(AA, 2, 0xaa0);
    actor_post_ipc(AA, IPC_CALL, A2->id, TAG(2), NEVER);
    host_run();
    expect_got(A1, AA, REDIRECTED, A2, AA);
    actor_ipc(A2, IPC_RECV, AA->id, 0, NEVER); /* A2 waits for AA only */
    actor_post_ipc(P1, IPC_SEND, A2->id, TAG(0), NEVER);
    host_run();
    assert_true(actor_blocked_in(P1, IPC_SENDING)); /* not AA: waits */
    post_as(A1, IPC_CALL, A2->id, TAG(2), AA->id);
    host_run();
    expect_got(A2, AA, FORWARDED, A2, A1);
    expect_words(A2, 2, 0xaa0);
    words(A2, 1, 0x2222);
    actor_ipc(A2, IPC_REPLY, 0, TAG(1), NEVER);
    assert_done(A1, OK);
    assert_int_equal(A1->rcv_label, A2->id);
    assert_true(AA->busy); /* still waiting for A1's answer */
    actor_ipc(A1, IPC_REPLY, 0, TAG(1), NEVER);
    assert_done(AA, OK);
    assert_int_equal(AA->rcv_label, A1->id);
    assert_int_equal(actor_utcb(AA)->mr[0], 0x2222);
}

/* ---- the chief's receiving thread ---- */

/* Proves: redirected IPC goes to the chief's oldest thread until the chief binds
 * ENDPOINT_REDIRECTS to another of its threads; binding another task's thread is E_PERM, any
 * other endpoint (a thread's or a task's name) E_NOTSUP; the binding ends with the thread. */
HOST_TEST(chief_receiver_binding)
{
    tree();
    struct host_actor *P1b = actor_new_in(P1->task, PRIO);
    actor_ipc(P1, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A1, IPC_SEND, B1->id, TAG(0), NEVER);
    expect_got(P1, A1, REDIRECTED, B1, A1);
    assert_int_equal(policy_endpoint_bind(P1->t, ENDPOINT_REDIRECTS, A1->id), -E_PERM);
    assert_int_equal(policy_endpoint_bind(P1->t, P1->id, P1b->id), -E_NOTSUP);
    assert_int_equal(policy_endpoint_bind(P1->t, P1->task->id, P1b->id), -E_NOTSUP);
    assert_int_equal(policy_endpoint_bind(P1->t, ENDPOINT_REDIRECTS, P1b->id), OK);
    assert_int_equal(route_of(A1, B1), P1b->id);
    actor_ipc(P1b, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A1, IPC_SEND, B1->id, TAG(0), NEVER);
    expect_got(P1b, A1, REDIRECTED, B1, A1);
    actor_exit(P1b);
    assert_int_equal(route_of(A1, B1), P1->id);
}

/* ---- chief death ---- */

/* Proves: when P1 dies, a send blocked on it is cancelled (E_CANCELLED); its clan stays a clan
 * (A1 -> A2 still direct) whose outbound IPC now goes to P1's own chief R, flagged, and so does
 * IPC entering it (P2 -> A1 to R: the nearest living chief on the way). */
HOST_TEST(chief_death_redirects_to_its_chief)
{
    tree();
    actor_post_ipc(A1, IPC_CALL, B1->id, TAG(0), NEVER); /* P1 is not waiting: blocks */
    host_run();
    assert_true(actor_blocked_in(A1, IPC_SENDING));
    actor_kill(P1);
    assert_done(A1, E_CANCELLED);
    actor_ipc(A2, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A1, IPC_SEND, A2->id, TAG(0), NEVER);
    expect_got(A2, A1, 0, NULL, NULL);
    actor_ipc(R, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(A1, IPC_SEND, B1->id, TAG(0), NEVER);
    expect_got(R, A1, REDIRECTED, B1, A1);
    actor_ipc(R, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(P2, IPC_SEND, A1->id, TAG(0), NEVER);
    expect_got(R, P2, REDIRECTED, A1, P2);
    assert_int_equal(route_of(AA, BB), A1->id); /* AA's own chief is alive */
}

/* Proves: a clan with no chief left (its chief was created by nobody and died) cannot send out
 * of the clan: E_NOPARTNER at once, never a wait; inside it, IPC is still direct. */
HOST_TEST(chief_death_no_chief_left)
{
    tree();
    struct host_actor *C1 = actor_new_child(Z->task, "c1", PRIO);
    struct host_actor *C2 = actor_new_child(Z->task, "c2", PRIO);
    actor_kill(Z);
    actor_ipc(C1, IPC_SEND, R->id, TAG(0), NEVER);
    assert_done(C1, E_NOPARTNER);
    assert_int_equal(route_of(C1, R), -E_NOPARTNER);
    actor_ipc(C2, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(C1, IPC_SEND, C2->id, TAG(0), NEVER);
    expect_got(C2, C1, 0, NULL, NULL);
}

/* ---- ipc_route (l4_nchief) ---- */

/* Proves: ipc_route names the destination itself inside a clan, else the chief a send reaches
 * first, and the send's own error for a name that is no thread; it sends nothing. */
HOST_TEST(ipc_route_names_next_chief)
{
    tree();
    assert_int_equal(route_of(A1, A2), A2->id);
    assert_int_equal(route_of(A1, P1), P1->id);
    assert_int_equal(route_of(P1, A1), A1->id);
    assert_int_equal(route_of(A1, B1), P1->id);
    assert_int_equal(route_of(AA, A2), A1->id);
    assert_int_equal(route_of(P1, AA), A1->id);
    assert_int_equal(route_of(P1, BB), P2->id);
    assert_int_equal(route_of(R, BB), P2->id);
    assert_int_equal(route_of(BB, AA), B1->id);
    actor_do(A1, host_sys_ipc_route, 0x7fffffffUL, 0, 0, 0, 0);
    assert_int_equal(A1->result, -E_NOPARTNER);
    actor_do(A1, host_sys_ipc_route, IPC_NIL, 0, 0, 0, 0);
    assert_int_equal(A1->result, -E_NOPARTNER);
    assert_true(host_actor_paused(B1)); /* nobody was sent anything */
    assert_int_equal(B1->done, 0);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        HOST_RUN_BOTH(inside_clan_direct),
        HOST_RUN_BOTH(redirect_out_to_senders_chief),
        HOST_RUN(redirect_in_to_receivers_chief),
        HOST_RUN(forward_hop_by_hop),
        HOST_RUN(deceit_rule),
        HOST_RUN(deceit_after_chief_death),
        HOST_RUN(closed_wait_on_deceived_sender),
        HOST_RUN(chief_receiver_binding),
        HOST_RUN(chief_death_redirects_to_its_chief),
        HOST_RUN(chief_death_no_chief_left),
        HOST_RUN(ipc_route_names_next_chief),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests_name("clans", tests, NULL, NULL) ? 1 : 0;
}
