/* SPDX-License-Identifier: MIT */
/*
 * Backend `ports` driven on the host through the real IPC path: port rights under task-local
 * names, the handoff to a waiting receiver and the bounded queue otherwise (full queue and
 * each send timeout, the sender's message quota), every disposition of a right in a message
 * (delivered at once and queued), a receive right moved with its queue, port death (dead
 * names, dead-name and no-senders notifications, queued rights released) and a task dying
 * with queued messages (every pool and frame count back). The name hooks are called as
 * kernel/sys_policy.c calls them, for the actor's thread. Run one test alone: test_ports <name>.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "host_kernel.h"
#include "notify.h"
#include "pmm.h"
#include "policy.h"
#include "pool.h"
#include "syscall.h"

#define PRIO 10
#define MS(n) ((uint32_t)(n)*1000u)
#define NEVER IPC_TIMEOUTS(TIMEOUT_NEVER, TIMEOUT_NEVER)
#define SND(t) IPC_TIMEOUTS(t, TIMEOUT_NEVER)
#define TAG(words) MSGTAG(0, words, 0, 0)

#define assert_done(a, status)                                                                     \
    do {                                                                                           \
        assert_false((a)->busy);                                                                   \
        assert_int_equal((a)->result, -(long)(status));                                            \
    } while (0)

static struct port_name *entry(struct host_actor *a, word_t name)
{
    uint32_t i = port_index(a->task, name);
    assert_true(i != 0);
    return &a->task->pol.names[i];
}

/* A port whose receive right (and one send right) `owner` holds, received by `rcv`. */
static word_t port_new(struct host_actor *owner, struct host_actor *rcv)
{
    long p = policy_endpoint_create(owner->t, rcv ? rcv->id : 0, 0x1234);
    assert_true(p > 0);
    return (word_t)p;
}

static word_t give_ok(struct host_actor *from, struct host_actor *to, word_t name)
{
    long n = policy_name_give(from->t, to->task, name, NAME_SEND);
    assert_true(n > 0);
    return (word_t)n;
}

static long bind(struct host_actor *a, word_t port, word_t arg)
{
    long r = policy_endpoint_bind(a->t, port, arg);
    host_run();
    return r;
}

static long drop(struct host_actor *a, word_t name)
{
    long r = policy_name_drop(a->t, name);
    host_run();
    return r;
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

/* One right as the message's only item after `nw` words. */
static word_t with_right(struct host_actor *a, unsigned nw, word_t name, unsigned disp)
{
    actor_utcb(a)->mr[nw] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    actor_utcb(a)->mr[nw + 1] = PORTS_RIGHT(name, disp);
    return MSGTAG(0, nw, 1, 0);
}

/* The right that arrived as the only item after `nw` words: its name in the receiver. */
static word_t got_right(struct host_actor *a, unsigned nw, unsigned disp)
{
    word_t f = actor_utcb(a)->mr[nw + 1];
    assert_int_equal(PORTS_RIGHT_DISP(f), disp);
    return PORTS_RIGHT_NAME(f);
}

/* A notification `a` creates and may ask for; its kernel object. */
static word_t notification(struct host_actor *a, struct notification **n)
{
    actor_do(a, sys_notify_create, 0x77, 0, 0, 0, 0);
    assert_true(a->result > 0);
    *n = policy_notification_lookup(a->t, (word_t)a->result);
    assert_non_null(*n);
    return (word_t)a->result;
}

static struct kinfo_pool pool_info(const struct pool *p)
{
    return (struct kinfo_pool){p->capacity, p->used, p->peak, p->failures};
}

static struct port *port_of(struct host_actor *a, word_t name)
{
    return entry(a, name)->port;
}

/* ---- names, the handoff, the label ---- */

/* Proves: a call through a send right reaches the port's waiting receiver (on the fast path
 * when it is on), which sees the port's name in its own space as the label, never the
 * caller's id; the reply reveals nothing; the name means nothing in another task, small
 * integers are no names, a stale name stays dead, and nobody may claim another identity. */
HOST_TEST_BOTH(handoff_label_is_the_port_name)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO),
                      *D = actor_new("d", PRIO);
    word_t p = port_new(S, S);
    word_t c = give_ok(S, C, p);
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    words(C, 3, 0xa0);
    actor_ipc(C, IPC_CALL, c, TAG(3), NEVER);
    assert_done(S, OK);
    assert_int_equal(S->rcv_label, p);
    assert_int_not_equal(S->rcv_label, C->id);
    expect_words(S, 3, 0xa0);
    actor_ipc(S, IPC_REPLY_WAIT, 0, TAG(0), NEVER);
    assert_done(C, OK);
    assert_int_equal(C->rcv_label, 0);
    assert_int_equal(C->fastpath, fast);
    /* D holds nothing: neither C's name nor small integers name anything there */
    actor_ipc(D, IPC_SEND, c, TAG(0), SND(0));
    assert_done(D, E_NOCAP);
    for (word_t n = 0; n < 8; n++) {
        actor_ipc(C, IPC_SEND, n, TAG(0), SND(0));
        assert_done(C, n == 0 ? E_NOPARTNER : E_NOCAP);
    }
    /* a name dropped and its entry reused is another name */
    assert_int_equal(drop(C, c), OK);
    word_t c2 = give_ok(S, C, p);
    assert_int_not_equal(c2, c);
    actor_ipc(C, IPC_SEND, c, TAG(0), SND(0));
    assert_done(C, E_NOCAP);
    /* no deceit */
    actor_post(C, host_sys_ipc, IPC_SEND | IPC_OP_DECEIT, c2, TAG(0), SND(0), D->id);
    host_run();
    assert_done(C, E_PERM);
}

/* Proves: a receive right alone cannot send; only its holder names the receiver or the queue
 * limit; endpoint_create names only threads of the caller's own task or of tasks below it. */
HOST_TEST(receive_right_alone_and_bind)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO);
    word_t p = port_new(S, S);
    word_t c = give_ok(S, C, p);
    assert_int_equal(drop(S, p), OK); /* its send right goes, the receive right stays */
    assert_int_equal(entry(S, p)->recv, 1);
    actor_ipc(S, IPC_SEND, p, TAG(0), SND(0));
    assert_done(S, E_PERM);
    assert_int_equal(bind(C, c, S->id), -E_PERM);
    assert_int_equal(bind(C, c, PORTS_BIND_QLIMIT(2)), -E_PERM);
    assert_int_equal(bind(S, p, PORTS_BIND_QLIMIT(MSGQ_LIMIT_MAX + 1)), -E_RANGE);
    assert_int_equal(bind(S, p, PORTS_BIND_QLIMIT(0)), -E_RANGE);
    assert_int_equal(bind(S, p, C->id), -E_PERM); /* C's thread is not S's to name */
    assert_int_equal(policy_endpoint_create(S->t, C->id, 0), -E_PERM);
    assert_int_equal(policy_endpoint_create(S->t, 0x7fffffff, 0), -E_NOENT);
}

/* ---- the queue ---- */

/* Proves: sends to a port whose receiver is not waiting are queued (charged to the sender's
 * QUOTA_MSGS) and later received in order, each with the port's label and its words; the
 * charge returns at delivery. A call is never queued: it waits for the receiver. */
HOST_TEST_BOTH(queued_send_then_receive)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO);
    word_t p = port_new(S, S);
    word_t c = give_ok(S, C, p);
    for (word_t i = 0; i < 3; i++) {
        words(C, 8, 0x100 * (i + 1));
        actor_ipc(C, IPC_SEND, c, TAG(8), NEVER);
        assert_done(C, OK);
    }
    assert_int_equal(C->task->quota.used[QUOTA_MSGS], 3);
    assert_int_equal(port_of(S, p)->q.len, 3);
    for (word_t i = 0; i < 3; i++) {
        actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
        assert_done(S, OK);
        assert_int_equal(S->rcv_label, p);
        assert_int_equal(MSGTAG_WORDS(S->rcv_tag), 8);
        expect_words(S, 8, 0x100 * (i + 1));
    }
    assert_int_equal(C->task->quota.used[QUOTA_MSGS], 0);
    actor_ipc(C, IPC_CALL, c, TAG(1), NEVER); /* not waiting: the call blocks, unqueued */
    assert_true(actor_blocked_in(C, IPC_SENDING));
    assert_int_equal(port_of(S, p)->q.len, 0);
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    assert_done(S, OK);
    assert_int_equal(S->rcv_label, p);
    actor_ipc(S, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(C, OK);
}

/* Proves: the queue holds MACH_PORT_QLIMIT_DEFAULT (5) messages; then a zero send timeout
 * fails at once, a finite one parks the sender until it runs out (E_SEND_TIMEOUT), an
 * infinite one parks it until a receive makes room; the receive right's holder may change
 * the limit, and a lower limit parks senders sooner. */
HOST_TEST(queue_full_each_timeout)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO);
    word_t p = port_new(S, S);
    word_t c = give_ok(S, C, p);
    for (int i = 0; i < MACH_PORT_QLIMIT_DEFAULT; i++) {
        actor_ipc(C, IPC_SEND, c, TAG(0), NEVER);
        assert_done(C, OK);
    }
    actor_ipc(C, IPC_SEND, c, TAG(0), SND(0));
    assert_done(C, E_SEND_TIMEOUT);
    actor_ipc(C, IPC_SEND, c, TAG(0), SND(MS(3)));
    assert_true(actor_blocked_in(C, IPC_SENDING));
    host_tick(2);
    assert_true(actor_blocked_in(C, IPC_SENDING));
    host_tick(2);
    assert_done(C, E_SEND_TIMEOUT);
    words(C, 1, 0x66);
    actor_ipc(C, IPC_SEND, c, TAG(1), NEVER);
    assert_true(actor_blocked_in(C, IPC_SENDING));
    host_tick(50);
    assert_true(actor_blocked_in(C, IPC_SENDING));
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER); /* room: the parked send goes in last */
    assert_done(C, OK);
    assert_int_equal(port_of(S, p)->q.len, MACH_PORT_QLIMIT_DEFAULT);
    for (int i = 0; i < MACH_PORT_QLIMIT_DEFAULT - 1; i++)
        actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    expect_words(S, 1, 0x66);
    /* a limit of 2 */
    assert_int_equal(bind(S, p, PORTS_BIND_QLIMIT(2)), OK);
    actor_ipc(C, IPC_SEND, c, TAG(0), NEVER);
    actor_ipc(C, IPC_SEND, c, TAG(0), NEVER);
    actor_ipc(C, IPC_SEND, c, TAG(0), SND(0));
    assert_done(C, E_SEND_TIMEOUT);
    assert_int_equal(bind(S, p, PORTS_BIND_QLIMIT(MSGQ_LIMIT_MAX)), OK);
    actor_ipc(C, IPC_SEND, c, TAG(0), SND(0));
    assert_done(C, OK);
}

/* Proves: kernel memory for queued messages is the sender's: a flooder stops at its own
 * QUOTA_MSGS (E_QUOTA) while another client's sends to the same port still go in, and its
 * failed sends queue nothing. */
HOST_TEST(quota_exhaustion_isolated)
{
    struct host_actor *S = actor_new("s", PRIO), *F = actor_new("flooder", PRIO),
                      *C = actor_new("c", PRIO);
    word_t p = port_new(S, S);
    word_t f = give_ok(S, F, p), c = give_ok(S, C, p);
    assert_int_equal(bind(S, p, PORTS_BIND_QLIMIT(MSGQ_LIMIT_MAX)), OK);
    F->task->quota.limit[QUOTA_MSGS] = 4;
    for (int i = 0; i < 4; i++) {
        actor_ipc(F, IPC_SEND, f, TAG(0), SND(0));
        assert_done(F, OK);
    }
    for (int i = 0; i < 10; i++) {
        actor_ipc(F, IPC_SEND, f, TAG(0), SND(0));
        assert_done(F, E_QUOTA);
    }
    assert_int_equal(port_of(S, p)->q.len, 4);
    assert_int_equal(F->task->quota.used[QUOTA_MSGS], 4);
    words(C, 1, 0xc0);
    actor_ipc(C, IPC_SEND, c, TAG(1), SND(0));
    assert_done(C, OK);
    assert_int_equal(port_of(S, p)->q.len, 5);
    assert_int_equal(C->task->quota.used[QUOTA_MSGS], 1);
}

/* ---- rights in messages ---- */

/*
 * Every disposition, to a receiver waiting (map item at once) or not (queued: taken at send,
 * installed at receive). C owns port q; it sends S copy-send, make-send, move-send (merged
 * under S's one name with three user references), make-send-once (a name of its own, used
 * up by one message), then move-receive (S holds the port now and receives its messages).
 * Rights not held cannot be sent, and a failed send delivers nothing.
 */
static void dispositions(bool queued)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO);
    word_t p = port_new(S, S);
    word_t c = give_ok(S, C, p);
    word_t q = port_new(C, C);
    struct port *Q = port_of(C, q);
    static const unsigned disps[] = {PORTS_DISP_COPY_SEND, PORTS_DISP_MAKE_SEND,
                                     PORTS_DISP_MOVE_SEND};
    word_t sq = 0;
    for (unsigned i = 0; i < 3; i++) {
        if (!queued) actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
        words(C, 1, 0xd0 + i);
        actor_ipc(C, IPC_SEND, c, with_right(C, 1, q, disps[i]), NEVER);
        assert_done(C, OK);
        if (queued) actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
        assert_done(S, OK);
        expect_words(S, 1, 0xd0 + i);
        word_t got = got_right(S, 1, PORTS_DISP_MOVE_SEND);
        if (i == 0) sq = got;
        assert_int_equal(got, sq); /* one name per port and task */
        assert_int_equal(entry(S, sq)->send, i + 1);
        assert_ptr_equal(entry(S, sq)->port, Q);
    }
    assert_int_equal(entry(C, q)->send, 0); /* moved away: C keeps only the receive right */
    assert_int_equal(entry(C, q)->recv, 1);
    assert_int_equal(Q->srights, 1);
    /* C has no send right to q any more, and D-like names it never had */
    actor_ipc(C, IPC_SEND, c, with_right(C, 0, q, PORTS_DISP_COPY_SEND), SND(0));
    assert_done(C, E_PERM);
    actor_ipc(C, IPC_SEND, c, with_right(C, 0, c, PORTS_DISP_MAKE_SEND), SND(0));
    assert_done(C, E_PERM);
    actor_ipc(C, IPC_SEND, c, with_right(C, 0, q + 1, PORTS_DISP_COPY_SEND), SND(0));
    assert_done(C, E_NOCAP);
    assert_int_equal(port_of(S, p)->q.len, 0);
    /* make-send-once: used up by the one message it carries */
    if (!queued) actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(C, IPC_SEND, c, with_right(C, 0, q, PORTS_DISP_MAKE_SEND_ONCE), NEVER);
    assert_done(C, OK);
    if (queued) actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    word_t once = got_right(S, 0, PORTS_DISP_MOVE_SEND_ONCE);
    assert_int_not_equal(once, sq);
    assert_int_equal(entry(S, once)->once, 1);
    words(S, 1, 0x0e);
    actor_ipc(S, IPC_SEND, once, TAG(1), NEVER); /* C is not waiting: queued in q */
    assert_done(S, OK);
    assert_int_equal(port_index(S->task, once), 0);
    actor_ipc(S, IPC_SEND, once, TAG(1), SND(0));
    assert_done(S, E_NOCAP);
    actor_ipc(C, IPC_WAIT, 0, 0, NEVER);
    assert_int_equal(C->rcv_label, q);
    expect_words(C, 1, 0x0e);
    /* move-receive: S receives q's messages from now on, under its own name */
    if (!queued) actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(C, IPC_SEND, c, with_right(C, 0, q, PORTS_DISP_MOVE_RECEIVE), NEVER);
    assert_done(C, OK);
    if (queued) actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    assert_int_equal(got_right(S, 0, PORTS_DISP_MOVE_RECEIVE), sq); /* merged with its sends */
    assert_int_equal(port_index(C->task, q), 0);
    assert_int_equal(entry(S, sq)->recv, 1);
    assert_ptr_equal(Q->receiver, S->t);
    assert_int_equal(Q->rname, sq);
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    words(C, 1, 0);
    actor_ipc(C, IPC_SEND, c, with_right(C, 0, q, PORTS_DISP_MOVE_RECEIVE), SND(0));
    assert_done(C, E_NOCAP);                    /* a right not held cannot be sent */
    actor_ipc(S, IPC_SEND, sq, TAG(0), SND(0)); /* S sends to itself: queued on q */
    assert_done(S, OK);
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    assert_done(S, OK);
    assert_int_equal(S->rcv_label, sq);
}

HOST_TEST(dispositions_delivered)
{
    dispositions(false);
}

HOST_TEST(dispositions_queued)
{
    dispositions(true);
}

/* Proves: moving a receive right moves its queue: messages queued before the move arrive at
 * the new holder, in order, labelled with its name for the port. */
HOST_TEST(receive_right_moved_with_queue)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO),
                      *D = actor_new("d", PRIO);
    word_t p = port_new(S, S);
    port_new(S, S); /* S's name for q will differ from C's */
    word_t c = give_ok(S, C, p);
    word_t q = port_new(C, C);
    word_t d = give_ok(C, D, q);
    for (word_t i = 0; i < 3; i++) {
        words(D, 2, 0x300 + 0x10 * i);
        actor_ipc(D, IPC_SEND, d, TAG(2), NEVER);
        assert_done(D, OK);
    }
    actor_ipc(C, IPC_SEND, c, with_right(C, 0, q, PORTS_DISP_MOVE_RECEIVE), NEVER);
    assert_done(C, OK); /* queued in p, carrying q and q's three messages */
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    word_t sq = got_right(S, 0, PORTS_DISP_MOVE_RECEIVE);
    assert_int_not_equal(sq, q);
    for (word_t i = 0; i < 3; i++) {
        actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
        assert_done(S, OK);
        assert_int_equal(S->rcv_label, sq);
        expect_words(S, 2, 0x300 + 0x10 * i);
    }
    actor_ipc(C, IPC_WAIT, 0, 0, IPC_TIMEOUTS(TIMEOUT_NEVER, TIMEOUT_ZERO));
    assert_done(C, E_RECV_TIMEOUT); /* nothing for C any more */
    assert_int_equal(D->task->quota.used[QUOTA_MSGS], 0);
}

/* ---- port death and notifications ---- */

/* Proves: the last send right going signals the receiver's no-senders notification (not
 * before); destroying the receive right turns every send right into a dead name (sends then
 * fail with E_NOPARTNER), signals the dead-name notification a holder asked for, destroys the
 * queued messages and releases the rights they carried. */
HOST_TEST(dead_names_and_notifications)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO),
                      *D = actor_new("d", PRIO);
    struct notification *nms, *dn;
    word_t m = notification(S, &nms), n = notification(C, &dn);
    word_t p = port_new(S, S);
    word_t c = give_ok(S, C, p);
    assert_int_equal(bind(S, p, PORTS_BIND_NOTIFY(m)), OK);
    assert_int_equal(bind(C, c, PORTS_BIND_NOTIFY(n)), OK);
    assert_int_equal(bind(C, c, PORTS_BIND_NOTIFY(c)), -E_WRONGTYPE);
    assert_int_equal(drop(S, p), OK); /* S's own send right: C still holds one */
    assert_int_equal(nms->pending, 0);
    word_t c2 = give_ok(S, C, p);
    assert_int_equal(c2, c); /* a second user reference under the same name */
    assert_int_equal(entry(C, c)->send, 2);
    assert_int_equal(drop(C, c), OK);
    assert_int_equal(nms->pending, 0);
    assert_int_equal(drop(C, c), OK); /* the last one */
    assert_int_equal(nms->pending, PORTS_NOTIFY_BIT(p));
    assert_int_equal(port_index(C->task, c), 0);
    /* again a sender; queued messages carry a send right to D's port r */
    c = give_ok(S, C, p);
    assert_int_equal(bind(C, c, PORTS_BIND_NOTIFY(n)), OK);
    word_t r = port_new(D, D);
    word_t dp = give_ok(S, D, p);
    actor_ipc(D, IPC_SEND, dp, with_right(D, 0, r, PORTS_DISP_COPY_SEND), NEVER);
    actor_ipc(D, IPC_SEND, dp, with_right(D, 0, r, PORTS_DISP_MAKE_SEND), NEVER);
    assert_int_equal(port_of(D, r)->srights, 3);
    assert_int_equal(port_of(D, r)->refs, 3);
    assert_int_equal(msgq_pool_info().used, 2);
    nms->pending = 0;
    assert_int_equal(drop(S, p), OK);  /* the receive right: the port dies */
    assert_int_equal(nms->pending, 0); /* no no-senders for a dead port */
    assert_int_equal(dn->pending, PORTS_NOTIFY_BIT(c));
    assert_null(entry(C, c)->port);
    assert_int_equal(entry(C, c)->dead, 1);
    assert_int_equal(entry(D, dp)->dead, 1);
    assert_int_equal(msgq_pool_info().used, 0);
    assert_int_equal(D->task->quota.used[QUOTA_MSGS], 0);
    assert_int_equal(port_of(D, r)->srights, 1); /* the rights in the messages are released */
    assert_int_equal(port_of(D, r)->refs, 1);
    actor_ipc(C, IPC_SEND, c, TAG(0), SND(0));
    assert_done(C, E_NOPARTNER);
    assert_int_equal(policy_name_give(C->t, D->task, c, NAME_SEND), -E_NOPARTNER);
    assert_int_equal(drop(C, c), OK); /* the dead name's reference */
    assert_int_equal(port_index(C->task, c), 0);
    assert_int_equal(port_pool_info().used, 1); /* r only */
}

/* Proves: a sender waiting for room in a port that dies learns E_CANCELLED; a call waiting
 * for the port's receiver is cancelled at pick-up once its right is gone. */
HOST_TEST(port_death_wakes_waiting_senders)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO);
    word_t p = port_new(S, S);
    word_t c = give_ok(S, C, p);
    assert_int_equal(bind(S, p, PORTS_BIND_QLIMIT(1)), OK);
    actor_ipc(C, IPC_SEND, c, TAG(0), NEVER);
    actor_ipc(C, IPC_SEND, c, TAG(0), NEVER);
    assert_true(actor_blocked_in(C, IPC_SENDING));
    assert_int_equal(drop(S, p), OK); /* S's send reference */
    assert_int_equal(drop(S, p), OK); /* the receive right */
    assert_done(C, E_CANCELLED);
    assert_int_equal(msgq_pool_info().used, 0);
}

/* Proves: a task that dies with messages queued in its port, carrying rights, leaves nothing:
 * its ports die (senders get dead names), the messages and their rights go, the senders'
 * quota returns; once every task has gone, ports, messages, tasks, threads, notifications
 * and frames are back at their starting counts. */
HOST_TEST(task_dies_with_queued_messages)
{
    struct pmm_stats frames0 = pmm_stats();
    struct kinfo_pool tasks0 = pool_info(&task_pool), threads0 = pool_info(&thread_pool);
    struct kinfo_pool ports0 = port_pool_info(), notes0 = notify_pool_info();
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO);
    struct notification *dn;
    word_t n = notification(C, &dn);
    word_t p = port_new(S, S);
    word_t c = give_ok(S, C, p);
    assert_int_equal(bind(C, c, PORTS_BIND_NOTIFY(n)), OK);
    word_t q = port_new(C, C);
    for (int i = 0; i < 3; i++) {
        actor_ipc(C, IPC_SEND, c, with_right(C, 0, q, PORTS_DISP_MAKE_SEND), NEVER);
        assert_done(C, OK);
    }
    word_t sq = port_new(C, NULL);
    actor_ipc(C, IPC_SEND, c, with_right(C, 0, sq, PORTS_DISP_MOVE_RECEIVE), NEVER);
    assert_done(C, OK); /* a receive right in transit dies with the message */
    assert_int_equal(port_of(C, q)->srights, 4);
    assert_int_equal(msgq_pool_info().used, 4);
    actor_kill(S);
    assert_int_equal(msgq_pool_info().used, 0);
    assert_int_equal(C->task->quota.used[QUOTA_MSGS], 0);
    assert_int_equal(entry(C, c)->dead, 1);
    assert_int_equal(dn->pending, PORTS_NOTIFY_BIT(c));
    assert_int_equal(port_of(C, q)->srights, 1);
    assert_int_equal(port_pool_info().used, ports0.used + 1); /* q */
    actor_kill(C);
    host_run();
    assert_int_equal(port_pool_info().used, ports0.used);
    assert_int_equal(notify_pool_info().used, notes0.used);
    assert_int_equal(pool_info(&task_pool).used, tasks0.used);
    assert_int_equal(pool_info(&thread_pool).used, threads0.used);
    assert_int_equal(pmm_stats().free, frames0.free);
}

/*
 * Proves: a receive right is never queued inside its own port (Mach's circularity): sent into
 * its own queue, or into a port whose receive right is itself in transit inside it (one and
 * two hops), the send fails with E_CIRCULAR, nothing is queued and the sender keeps the right
 * (it still receives). An acyclic chain is accepted; destroying its head destroys every port
 * in it, and every pool and frame count returns to its start.
 */
HOST_TEST(receive_right_into_own_queue_refused)
{
    struct pmm_stats frames0 = pmm_stats();
    struct kinfo_pool ports0 = port_pool_info(), msgs0 = msgq_pool_info();
    struct host_actor *S = actor_new("s", PRIO);
    word_t a = port_new(S, NULL), b = port_new(S, NULL), c = port_new(S, NULL);
    /* a into a's own queue */
    actor_ipc(S, IPC_SEND, a, with_right(S, 0, a, PORTS_DISP_MOVE_RECEIVE), NEVER);
    assert_done(S, E_CIRCULAR);
    assert_int_equal(entry(S, a)->recv, 1);
    assert_int_equal(port_of(S, a)->q.len, 0);
    assert_int_equal(msgq_pool_info().used, msgs0.used);
    /* a into b (fine), then b into a, which now lies in b's queue */
    struct port *A = port_of(S, a), *B = port_of(S, b);
    actor_ipc(S, IPC_SEND, b, with_right(S, 0, a, PORTS_DISP_MOVE_RECEIVE), NEVER);
    assert_done(S, OK);
    assert_ptr_equal(A->transit, B);
    actor_ipc(S, IPC_SEND, a, with_right(S, 0, b, PORTS_DISP_MOVE_RECEIVE), NEVER);
    assert_done(S, E_CIRCULAR);
    assert_int_equal(entry(S, b)->recv, 1);
    assert_int_equal(A->q.len, 0);
    /* b into c (fine), then c into a: a lies in b, b in c (two hops) */
    actor_ipc(S, IPC_SEND, c, with_right(S, 0, b, PORTS_DISP_MOVE_RECEIVE), NEVER);
    assert_done(S, OK);
    actor_ipc(S, IPC_SEND, a, with_right(S, 0, c, PORTS_DISP_MOVE_RECEIVE), NEVER);
    assert_done(S, E_CIRCULAR);
    assert_int_equal(entry(S, c)->recv, 1);
    assert_int_equal(msgq_pool_info().used, msgs0.used + 2);
    /* the sender still receives on c: a message queued there arrives */
    words(S, 1, 0x77);
    actor_ipc(S, IPC_SEND, c, TAG(1), NEVER);
    assert_done(S, OK);
    assert_int_equal(bind(S, c, S->id), OK);
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER); /* the message carrying b's receive right */
    assert_done(S, OK);
    word_t sb = got_right(S, 0, PORTS_DISP_MOVE_RECEIVE);
    assert_int_equal(sb, b); /* the name b still held its send right: merged */
    assert_null(B->transit);
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER); /* S now receives on b too: a's right, queued there */
    assert_int_equal(got_right(S, 0, PORTS_DISP_MOVE_RECEIVE), a);
    assert_null(A->transit);
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    expect_words(S, 1, 0x77);
    /* a into b, b into c again, then c's receive right dropped: c, b and a all die */
    actor_ipc(S, IPC_SEND, b, with_right(S, 0, a, PORTS_DISP_MOVE_RECEIVE), NEVER);
    assert_done(S, OK);
    actor_ipc(S, IPC_SEND, c, with_right(S, 0, b, PORTS_DISP_MOVE_RECEIVE), NEVER);
    assert_done(S, OK);
    assert_int_equal(drop(S, c), OK); /* c's send reference */
    assert_int_equal(drop(S, c), OK); /* its receive right */
    assert_int_equal(entry(S, a)->dead, 1);
    assert_int_equal(entry(S, b)->dead, 1);
    assert_int_equal(msgq_pool_info().used, msgs0.used);
    assert_int_equal(drop(S, a), OK);
    assert_int_equal(drop(S, b), OK);
    assert_int_equal(port_pool_info().used, ports0.used);
    actor_kill(S);
    host_run();
    assert_int_equal(port_pool_info().used, ports0.used);
    assert_int_equal(msgq_pool_info().used, msgs0.used);
    assert_int_equal(pmm_stats().free, frames0.free);
}

/* ---- port sets ---- */

static word_t set_new(struct host_actor *owner, struct host_actor *rcv)
{
    long s = policy_endpoint_create(owner->t, rcv ? rcv->id : 0, PORTS_NEW_SET);
    assert_true(s > 0);
    return (word_t)s;
}

static unsigned members(struct port *s)
{
    unsigned n = 0;
    for (struct port *m = s->members; m; m = m->snext)
        n++;
    return n;
}

/*
 * Proves: a port set's receiver takes messages from any member port, each labelled with that
 * member's name: queued ones (both members), and a send handed straight to it while it waits;
 * a port outside the set is not received; a message queued before its port joined arrives
 * through the set. Rebinding the set moves every member's receiver at once.
 */
HOST_TEST(port_set_receives_from_any_member)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO);
    struct host_actor *W = actor_new_in(S->task, PRIO);
    word_t set = set_new(S, S);
    word_t a = port_new(S, NULL), b = port_new(S, NULL), out = port_new(S, NULL);
    word_t ca = give_ok(S, C, a), cb = give_ok(S, C, b), cout = give_ok(S, C, out);
    words(C, 1, 0xb0);
    actor_ipc(C, IPC_SEND, cb, TAG(1), NEVER); /* queued before b joins */
    assert_done(C, OK);
    assert_int_equal(bind(S, a, PORTS_BIND_SET(set)), OK);
    assert_int_equal(bind(S, b, PORTS_BIND_SET(set)), OK);
    assert_int_equal(members(port_of(S, set)), 2);
    assert_ptr_equal(port_of(S, a)->receiver, S->t);
    words(C, 1, 0xa0);
    actor_ipc(C, IPC_SEND, ca, TAG(1), NEVER);
    words(C, 1, 0xc0);
    actor_ipc(C, IPC_SEND, cout, TAG(1), NEVER); /* not a member: stays queued */
    word_t got = 0;
    for (int i = 0; i < 2; i++) {
        actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
        assert_done(S, OK);
        assert_true(S->rcv_label == a || S->rcv_label == b);
        expect_words(S, 1, S->rcv_label == a ? 0xa0 : 0xb0);
        got |= S->rcv_label == a ? 1 : 2;
    }
    assert_int_equal(got, 3);
    actor_ipc(S, IPC_WAIT, 0, 0, IPC_TIMEOUTS(TIMEOUT_NEVER, TIMEOUT_ZERO));
    assert_done(S, E_RECV_TIMEOUT); /* `out` is no member */
    assert_int_equal(port_of(S, out)->q.len, 1);
    /* handoff: the set's receiver waits, a send to a member goes straight to it */
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    words(C, 1, 0xb1);
    actor_ipc(C, IPC_SEND, cb, TAG(1), NEVER);
    assert_done(S, OK);
    assert_int_equal(S->rcv_label, b);
    expect_words(S, 1, 0xb1);
    assert_int_equal(port_of(S, b)->q.len, 0);
    /* the set received on by W now: every member with it */
    assert_int_equal(bind(S, set, W->id), OK);
    assert_ptr_equal(port_of(S, a)->receiver, W->t);
    assert_ptr_equal(port_of(S, b)->receiver, W->t);
    actor_ipc(C, IPC_SEND, ca, TAG(0), NEVER);
    actor_ipc(W, IPC_WAIT, 0, 0, NEVER);
    assert_done(W, OK);
    assert_int_equal(W->rcv_label, a);
}

/* Proves: a set has no send rights (it cannot be given, sent to or carried: E_WRONGTYPE /
 * E_PERM), no queue limit or notification; joining needs the port's receive right and a set
 * (E_PERM, E_WRONGTYPE); a member's own receiver cannot be bound (E_BUSY) until it leaves. */
HOST_TEST(port_set_rules)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO);
    word_t set = set_new(S, S), other = set_new(S, NULL);
    word_t a = port_new(S, NULL), b = port_new(S, NULL);
    word_t ca = give_ok(S, C, a);
    assert_int_equal(policy_name_give(S->t, C->task, set, NAME_SEND), -E_WRONGTYPE);
    actor_ipc(S, IPC_SEND, set, TAG(0), SND(0));
    assert_done(S, E_PERM);
    actor_ipc(S, IPC_SEND, a, with_right(S, 0, set, PORTS_DISP_MAKE_SEND), SND(0));
    assert_done(S, E_WRONGTYPE);
    actor_ipc(S, IPC_SEND, a, with_right(S, 0, set, PORTS_DISP_MOVE_RECEIVE), SND(0));
    assert_done(S, E_WRONGTYPE);
    assert_int_equal(bind(S, set, PORTS_BIND_QLIMIT(3)), -E_WRONGTYPE);
    assert_int_equal(bind(S, set, PORTS_BIND_SET(other)), -E_WRONGTYPE); /* no nesting */
    assert_int_equal(bind(C, ca, PORTS_BIND_SET(set)), -E_PERM);         /* a send right */
    assert_int_equal(bind(S, a, PORTS_BIND_SET(b)), -E_WRONGTYPE);       /* not a set */
    assert_int_equal(bind(S, a, PORTS_BIND_SET(set + PORT_NAMES)), -E_NOCAP);
    assert_int_equal(bind(S, a, PORTS_BIND_SET(set)), OK);
    assert_int_equal(bind(S, a, S->id), -E_BUSY);
    assert_int_equal(bind(S, a, PORTS_BIND_SET(other)), OK); /* moves: one set at a time */
    assert_int_equal(members(port_of(S, set)), 0);
    assert_int_equal(members(port_of(S, other)), 1);
    assert_int_equal(bind(S, a, PORTS_BIND_SET(0)), OK);
    assert_int_equal(members(port_of(S, other)), 0);
    assert_int_equal(bind(S, a, S->id), OK);
}

/* Proves: a member leaves its set when its port dies or its receive right moves to another
 * task (whose thread then receives it); destroying the set lets its members go with their
 * queued messages; a task dying with a set and members leaves every count as it started. */
HOST_TEST(port_set_members_leave)
{
    struct pmm_stats frames0 = pmm_stats();
    struct kinfo_pool ports0 = port_pool_info(), msgs0 = msgq_pool_info();
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO),
                      *D = actor_new("d", PRIO);
    word_t set = set_new(S, S);
    word_t a = port_new(S, NULL), b = port_new(S, NULL), c = port_new(S, NULL);
    word_t d = give_ok(D, S, port_new(D, D));
    for (word_t *p = (word_t[]){a, b, c}, i = 0; i < 3; i++)
        assert_int_equal(bind(S, p[i], PORTS_BIND_SET(set)), OK);
    struct port *SET = port_of(S, set), *B = port_of(S, b), *Cp = port_of(S, c);
    assert_int_equal(members(SET), 3);
    assert_int_equal(drop(S, a), OK); /* a's send right */
    assert_int_equal(drop(S, a), OK); /* its receive right: a dies */
    assert_int_equal(members(SET), 2);
    /* b's receive right goes to D: it leaves the set, D receives it */
    actor_ipc(D, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(S, IPC_SEND, d, with_right(S, 0, b, PORTS_DISP_MOVE_RECEIVE), NEVER);
    assert_done(S, OK);
    assert_done(D, OK);
    assert_int_equal(members(SET), 1);
    assert_null(B->set);
    assert_ptr_equal(B->receiver, D->t);
    /* the set destroyed: c stays, with its message, received by the set's last receiver */
    word_t cc = give_ok(S, C, c);
    actor_ipc(C, IPC_SEND, cc, TAG(0), NEVER);
    assert_int_equal(Cp->q.len, 1);
    assert_int_equal(drop(S, set), OK);
    assert_null(Cp->set);
    assert_int_equal(Cp->q.len, 1);
    assert_int_equal(port_index(S->task, set), 0);
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    assert_done(S, OK);
    assert_int_equal(S->rcv_label, c);
    /* a task dying with a set whose members hold messages */
    word_t set2 = set_new(S, S), e = port_new(S, NULL);
    word_t ce = give_ok(S, C, e);
    assert_int_equal(bind(S, e, PORTS_BIND_SET(set2)), OK);
    actor_ipc(C, IPC_SEND, ce, TAG(0), NEVER);
    actor_kill(S);
    actor_kill(C);
    actor_kill(D);
    host_run();
    assert_int_equal(port_pool_info().used, ports0.used);
    assert_int_equal(msgq_pool_info().used, msgs0.used);
    assert_int_equal(pmm_stats().free, frames0.free);
}

/* Proves: the receiver thread dying leaves the port without one: sends queue, and binding a
 * new receiver (the receive right's holder) lets it take them. */
HOST_TEST(receiver_dies_then_rebound)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO);
    struct host_actor *W = actor_new_in(S->task, PRIO);
    word_t p = port_new(S, W);
    word_t c = give_ok(S, C, p);
    actor_exit(W);
    assert_null(port_of(S, p)->receiver);
    words(C, 1, 0x55);
    actor_ipc(C, IPC_SEND, c, TAG(1), NEVER);
    assert_done(C, OK);
    actor_ipc(C, IPC_CALL, c, TAG(0), NEVER); /* no receiver to call */
    assert_done(C, E_NOTSUP);
    assert_int_equal(bind(S, p, S->id), OK);
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    assert_done(S, OK);
    expect_words(S, 1, 0x55);
}

/* Proves: a reply-and-wait while a message waits in the replier's port takes that message at
 * once (the fast path declines while anything is queued anywhere: msgq_queued counts it), and
 * the caller still gets its reply. */
HOST_TEST_BOTH(reply_wait_takes_the_queued_message)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO),
                      *D = actor_new("d", PRIO);
    word_t p = port_new(S, S);
    word_t c = give_ok(S, C, p), d = give_ok(S, D, p);
    assert_int_equal(msgq_queued, 0);
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(C, IPC_CALL, c, TAG(0), NEVER);
    assert_done(S, OK);
    words(D, 1, 0x77);
    actor_ipc(D, IPC_SEND, d, TAG(1), NEVER); /* S is not waiting: queued */
    assert_done(D, OK);
    assert_int_equal(msgq_queued, 1);
    actor_ipc(S, IPC_REPLY_WAIT, 0, TAG(0), NEVER);
    assert_done(C, OK);
    assert_done(S, OK);
    assert_int_equal(S->rcv_label, p);
    expect_words(S, 1, 0x77);
    assert_int_equal(msgq_queued, 0);
}

/* Proves: a call through a send-once right to the port's waiting receiver is delivered and
 * uses the right up, on both paths (policy_resolve_fast refuses it, since the fast path does
 * not call policy_sent; the general path consumes it). */
HOST_TEST_BOTH(send_once_call_used_up)
{
    struct host_actor *S = actor_new("s", PRIO), *C = actor_new("c", PRIO);
    word_t p = port_new(S, S);
    word_t c = give_ok(S, C, p);
    word_t q = port_new(C, C);
    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(C, IPC_SEND, c, with_right(C, 0, q, PORTS_DISP_MAKE_SEND_ONCE), NEVER);
    assert_done(C, OK);
    assert_done(S, OK);
    word_t once = got_right(S, 0, PORTS_DISP_MOVE_SEND_ONCE);
    assert_int_equal(entry(S, once)->once, 1);
    actor_ipc(C, IPC_WAIT, 0, 0, NEVER);
    words(S, 2, 0x70);
    actor_ipc(S, IPC_CALL, once, TAG(2), NEVER);
    assert_done(C, OK);
    assert_int_equal(C->rcv_label, q);
    expect_words(C, 2, 0x70);
    assert_int_equal(port_index(S->task, once), 0); /* used up */
    actor_ipc(C, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(S, OK);
    actor_ipc(S, IPC_SEND, once, TAG(0), SND(0));
    assert_done(S, E_NOCAP);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        HOST_RUN_BOTH(handoff_label_is_the_port_name),
        HOST_RUN_BOTH(send_once_call_used_up),
        HOST_RUN_BOTH(reply_wait_takes_the_queued_message),
        HOST_RUN(receive_right_alone_and_bind),
        HOST_RUN_BOTH(queued_send_then_receive),
        HOST_RUN(queue_full_each_timeout),
        HOST_RUN(quota_exhaustion_isolated),
        HOST_RUN(dispositions_delivered),
        HOST_RUN(dispositions_queued),
        HOST_RUN(receive_right_moved_with_queue),
        HOST_RUN(dead_names_and_notifications),
        HOST_RUN(port_death_wakes_waiting_senders),
        HOST_RUN(task_dies_with_queued_messages),
        HOST_RUN(receiver_dies_then_rebound),
        HOST_RUN(receive_right_into_own_queue_refused),
        HOST_RUN(port_set_receives_from_any_member),
        HOST_RUN(port_set_rules),
        HOST_RUN(port_set_members_leave),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests_name("ports", tests, NULL, NULL) ? 1 : 0;
}
