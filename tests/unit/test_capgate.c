/* SPDX-License-Identifier: MIT */
/*
 * Backend `capgate` driven on the host through the real IPC path: capability spaces, IPC gates
 * (labels, binding, parking), rights, the factory quota, recursive revocation through the
 * mapping database, object flexpages in messages, and teardown. Names are capability slots.
 * The name hooks are called as kernel/sys_policy.c calls them, for the actor's thread (they
 * only use that thread's task). Run one test alone: test_capgate <name>
 * (a pattern: * and ? match).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "host_kernel.h"
#include "gate.h"
#include "policy.h"
#include "syscall.h"

#define PRIO 10
#define MS(n) ((uint32_t)(n)*1000u)
#define NEVER IPC_TIMEOUTS(TIMEOUT_NEVER, TIMEOUT_NEVER)
#define ZERO IPC_TIMEOUTS(TIMEOUT_ZERO, TIMEOUT_ZERO)
#define SND(t) IPC_TIMEOUTS(t, TIMEOUT_NEVER)
#define TAG(words) MSGTAG(0, words, 0, 0)
#define LABEL 0x5eedUL
#define FULL (CAP_R_SEND | CAP_R_GIVE)

#define assert_done(a, status)                                                                     \
    do {                                                                                           \
        assert_false((a)->busy);                                                                   \
        assert_int_equal((a)->result, -(long)(status));                                            \
    } while (0)

static struct cap *slot(struct host_actor *a, word_t i)
{
    return &a->task->pol.cspace[i];
}

static word_t thread_name(struct host_actor *holder, struct host_actor *t)
{
    word_t n = policy_name_of_thread(holder->task, t->t);
    assert_true(n > 0);
    return n;
}

/* A gate from owner's factory, bound to `bound` (NULL: unbound), with `label`. */
static long gate_new(struct host_actor *owner, struct host_actor *bound, word_t label)
{
    return policy_endpoint_create(owner->t, bound ? thread_name(owner, bound) : 0, label);
}

static word_t gate_ok(struct host_actor *owner, struct host_actor *bound, word_t label)
{
    long g = gate_new(owner, bound, label);
    assert_true(g > 0);
    return (word_t)g;
}

static long give(struct host_actor *from, struct host_actor *to, word_t name, unsigned rights)
{
    return policy_name_give(from->t, to->task, name, rights);
}

static word_t give_ok(struct host_actor *from, struct host_actor *to, word_t name, unsigned rights)
{
    long n = give(from, to, name, rights);
    assert_true(n > 0);
    return (word_t)n;
}

/* name_drop, then let whoever it woke run. */
static long drop(struct host_actor *a, word_t name)
{
    long r = policy_name_drop(a->t, name);
    host_run();
    return r;
}

static long bind(struct host_actor *owner, word_t gate, struct host_actor *t)
{
    long r = policy_endpoint_bind(owner->t, gate, thread_name(owner, t));
    host_run();
    return r;
}

static struct gate *gate_of(struct host_actor *a, word_t name)
{
    assert_int_equal(slot(a, name)->type, CAP_GATE);
    return slot(a, name)->obj;
}

/* ---- capability spaces ---- */

/* Proves: a new task's space holds its own task in slot 1 and its factory in slot 2, both
 * originals with full rights; slot 0 and every other slot are empty; lookups out of range
 * find nothing. */
HOST_TEST(cspace_initial_layout)
{
    struct host_actor *a = actor_new("a", PRIO), *b = actor_new("b", PRIO);
    assert_null(cap_lookup(a->task, 0));
    assert_int_equal(slot(a, 0)->type, CAP_NONE);
    assert_int_equal(slot(a, CSPACE_SLOT_TASK)->type, CAP_TASK);
    assert_ptr_equal(slot(a, CSPACE_SLOT_TASK)->obj, a->task);
    assert_int_equal(slot(a, CSPACE_SLOT_TASK)->rights, FULL);
    assert_null(slot(a, CSPACE_SLOT_TASK)->node->parent);
    assert_int_equal(slot(a, CSPACE_SLOT_FACTORY)->type, CAP_FACTORY);
    assert_ptr_equal(slot(a, CSPACE_SLOT_FACTORY)->obj, a->task);
    assert_int_equal(slot(a, CSPACE_SLOT_FACTORY)->rights, FULL);
    for (word_t s = 3; s < CAP_SLOTS; s++)
        assert_int_equal(slot(a, s)->type, CAP_NONE);
    assert_ptr_equal(cap_lookup(a->task, CAP_SLOTS - 1), slot(a, CAP_SLOTS - 1));
    assert_null(cap_lookup(a->task, CAP_SLOTS));
    assert_null(cap_lookup(a->task, ~0UL));
    assert_ptr_equal(policy_task_lookup(a->t, CSPACE_SLOT_TASK), a->task);
    assert_null(policy_task_lookup(a->t, CSPACE_SLOT_FACTORY));
    assert_ptr_equal(slot(b, CSPACE_SLOT_TASK)->obj, b->task); /* spaces are per task */
    assert_ptr_not_equal(a->task->pol.cspace, b->task->pol.cspace);
}

/* Proves: slots 1 and 2 cannot be dropped (E_PERM); empty or out-of-range names are E_NOCAP
 * for drop, give, bind and endpoint creation. */
HOST_TEST(cspace_bad_names)
{
    struct host_actor *a = actor_new("a", PRIO), *b = actor_new("b", PRIO);
    assert_int_equal(drop(a, CSPACE_SLOT_TASK), -E_PERM);
    assert_int_equal(drop(a, CSPACE_SLOT_FACTORY), -E_PERM);
    assert_int_equal(slot(a, CSPACE_SLOT_FACTORY)->type, CAP_FACTORY);
    static const word_t bad[] = {0, 9, CAP_SLOTS, 1UL << 40};
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_int_equal(drop(a, bad[i]), -E_NOCAP);
        assert_int_equal(give(a, b, bad[i], NAME_SEND), -E_NOCAP);
        assert_int_equal(policy_endpoint_bind(a->t, bad[i], thread_name(a, a)), -E_NOCAP);
        if (bad[i] != 0) assert_int_equal(policy_endpoint_create(a->t, bad[i], 1), -E_NOCAP);
    }
    assert_int_equal(a->task->pol.objects, 0);
}

/* Proves: a task's capability space fills up (never slot 0): giving into a full space is
 * E_NOMEM. */
HOST_TEST(cspace_full)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    word_t g = gate_ok(s, s, LABEL);
    unsigned given = 0;
    for (long r; (r = give(s, c, g, NAME_SEND)) > 0;)
        given++;
    assert_int_equal(given, CAP_SLOTS - 3); /* 0, task and factory are taken */
    assert_int_equal(give(s, c, g, NAME_SEND), -E_NOMEM);
    assert_int_equal(slot(c, 0)->type, CAP_NONE);
}

/* ---- sending through names ---- */

/* Proves: sending or calling through an empty slot or a name beyond the space is E_NOCAP (and
 * name 0 is the nil thread); closed waits on such names are E_NOPARTNER. */
HOST_TEST_BOTH(send_empty_slot_nocap)
{
    struct host_actor *c = actor_new("c", PRIO);
    static const word_t bad[] = {7, CAP_SLOTS - 1, CAP_SLOTS, 1UL << 40};
    for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
        actor_ipc(c, IPC_SEND, bad[i], TAG(0), NEVER);
        assert_done(c, E_NOCAP);
        actor_ipc(c, IPC_CALL, bad[i], TAG(0), NEVER);
        assert_done(c, E_NOCAP);
        assert_false(c->fastpath);
        actor_ipc(c, IPC_RECV, bad[i], 0, NEVER);
        assert_done(c, E_NOPARTNER);
    }
    actor_ipc(c, IPC_CALL, 0, TAG(0), NEVER);
    assert_done(c, E_NOPARTNER);
}

/* Proves: sending through a capability that is not a gate (task, factory, thread) is
 * E_WRONGTYPE; a closed wait on a gate is E_NOPARTNER; hooks given the wrong types refuse. */
HOST_TEST_BOTH(send_wrong_type)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    word_t th = thread_name(c, s);
    word_t g = give_ok(s, c, gate_ok(s, s, LABEL), NAME_SEND);
    actor_ipc(s, IPC_WAIT, 0, 0, NEVER);
    const word_t names[] = {CSPACE_SLOT_TASK, CSPACE_SLOT_FACTORY, th};
    for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
        actor_ipc(c, IPC_CALL, names[i], TAG(0), NEVER);
        assert_done(c, E_WRONGTYPE);
        actor_ipc(c, IPC_SEND, names[i], TAG(0), NEVER);
        assert_done(c, E_WRONGTYPE);
    }
    assert_true(actor_blocked_in(s, IPC_RECEIVING));
    actor_ipc(c, IPC_RECV, g, 0, NEVER);
    assert_done(c, E_NOPARTNER);
    assert_int_equal(policy_endpoint_create(c->t, g, 1), -E_WRONGTYPE);
    word_t own = gate_ok(c, c, 1);
    assert_int_equal(policy_endpoint_bind(c->t, thread_name(c, c), own), -E_WRONGTYPE);
}

/* Proves: a send through a gate reaches the bound thread with the gate's label, never the
 * sender's identity; the tag and words are intact. */
HOST_TEST_BOTH(gate_delivers_with_label)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    word_t g = give_ok(s, c, gate_ok(s, s, LABEL), NAME_SEND);
    actor_ipc(s, IPC_WAIT, 0, 0, NEVER);
    actor_utcb(c)->mr[0] = 0xc0;
    actor_ipc(c, IPC_SEND, g, MSGTAG(0x42, 1, 0, 0), NEVER);
    assert_done(c, OK);
    assert_done(s, OK);
    assert_int_equal(s->rcv_label, LABEL);
    assert_int_not_equal(s->rcv_label, c->id);
    assert_int_equal(s->rcv_tag, MSGTAG(0x42, 1, 0, 0));
    assert_int_equal(actor_utcb(s)->mr[0], 0xc0);
}

/* Proves: two gates bound to one thread are told apart by their labels only. */
HOST_TEST_BOTH(gate_labels_tell_clients_apart)
{
    struct host_actor *s = actor_new("s", PRIO), *c1 = actor_new("c1", PRIO),
                      *c2 = actor_new("c2", PRIO);
    word_t g1 = give_ok(s, c1, gate_ok(s, s, 0x111), NAME_SEND);
    word_t g2 = give_ok(s, c2, gate_ok(s, s, 0x222), NAME_SEND);
    actor_ipc(s, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(c2, IPC_CALL, g2, TAG(0), NEVER);
    assert_int_equal(s->rcv_label, 0x222);
    actor_ipc(s, IPC_REPLY_WAIT, 0, TAG(0), NEVER);
    actor_ipc(c1, IPC_CALL, g1, TAG(0), NEVER);
    assert_int_equal(s->rcv_label, 0x111);
    assert_done(c2, OK);
}

/* Proves: a call through a gate is answered with label 0 (the reply reveals nothing about
 * the replier), on the fast path iff enabled, with the gate's label on the way in. */
HOST_TEST_BOTH(gate_call_reply_label_zero)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    word_t g = give_ok(s, c, gate_ok(s, s, LABEL), NAME_SEND);
    actor_ipc(s, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(c, IPC_CALL, g, TAG(0), NEVER);
    assert_done(s, OK);
    assert_int_equal(s->rcv_label, LABEL);
    actor_utcb(s)->mr[0] = 0x5a;
    actor_ipc(s, IPC_REPLY_WAIT, 0, TAG(1), NEVER);
    assert_done(c, OK);
    assert_int_equal(c->rcv_label, 0);
    assert_int_equal(actor_utcb(c)->mr[0], 0x5a);
    assert_int_equal(c->fastpath, fast);
    actor_ipc(c, IPC_CALL, g, TAG(0), NEVER);
    assert_done(s, OK);
    assert_int_equal(s->rcv_label, LABEL);
    assert_int_equal(s->fastpath, fast); /* its reply-and-wait, ended by the second call */
    actor_ipc(s, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(c, OK);
    assert_int_equal(c->rcv_label, 0);
}

/* Proves: the implicit reply capability works the same under capgate: one reply, then
 * E_NOREPLY; a new wait ends it. */
HOST_TEST_BOTH(gate_reply_capability_lifetime)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    word_t g = give_ok(s, c, gate_ok(s, s, LABEL), NAME_SEND);
    actor_ipc(s, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(c, IPC_CALL, g, TAG(0), NEVER);
    actor_ipc(s, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(s, OK);
    actor_ipc(s, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(s, E_NOREPLY);
    actor_ipc(s, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(c, IPC_CALL, g, TAG(0), NEVER);
    actor_ipc(s, IPC_WAIT, 0, 0, ZERO);
    actor_ipc(s, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(s, E_NOREPLY);
    assert_true(actor_blocked_in(c, IPC_RECEIVING));
}

/* Proves: a closed wait names a thread capability: it takes that thread's send through a gate
 * (with the gate's label) and refuses other senders. */
HOST_TEST(closed_wait_names_thread)
{
    struct host_actor *s = actor_new("s", PRIO), *c1 = actor_new("c1", PRIO),
                      *c2 = actor_new("c2", PRIO);
    word_t gs = gate_ok(s, s, LABEL);
    word_t g1 = give_ok(s, c1, gs, NAME_SEND), g2 = give_ok(s, c2, gs, NAME_SEND);
    actor_ipc(s, IPC_RECV, thread_name(s, c1), 0, NEVER);
    actor_ipc(c2, IPC_SEND, g2, TAG(0), ZERO);
    assert_done(c2, E_SEND_TIMEOUT);
    actor_ipc(c1, IPC_SEND, g1, TAG(0), NEVER);
    assert_done(c1, OK);
    assert_done(s, OK);
    assert_int_equal(s->rcv_label, LABEL);
}

/* ---- unbound gates park their senders ---- */

/* Proves: a send through an unbound gate parks the sender (nothing reaches anyone) until the
 * gate is bound, then it is delivered with the gate's label; the same for a call, whose reply
 * comes back. */
HOST_TEST_BOTH(unbound_gate_parks_until_bound)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO),
                      *d = actor_new("d", PRIO);
    word_t gs = gate_ok(s, NULL, 0x77);
    word_t gc = give_ok(s, c, gs, NAME_SEND), gd = give_ok(s, d, gs, NAME_SEND);
    actor_ipc(s, IPC_WAIT, 0, 0, NEVER);
    actor_utcb(c)->mr[0] = 0xc0;
    actor_ipc(c, IPC_SEND, gc, TAG(1), NEVER);
    actor_ipc(d, IPC_CALL, gd, TAG(0), NEVER);
    assert_true(actor_blocked_in(c, IPC_SENDING));
    assert_true(actor_blocked_in(d, IPC_SENDING));
    assert_ptr_equal(gate_of(s, gs)->parked.head, c->t);
    assert_true(actor_blocked_in(s, IPC_RECEIVING));
    host_tick(20);
    assert_true(actor_blocked_in(c, IPC_SENDING));

    assert_int_equal(bind(s, gs, s), OK);
    assert_done(c, OK);
    assert_done(s, OK);
    assert_int_equal(s->rcv_label, 0x77);
    assert_int_equal(actor_utcb(s)->mr[0], 0xc0);
    assert_true(actor_blocked_in(d, IPC_SENDING)); /* now queued on s, not parked */
    assert_null(gate_of(s, gs)->parked.head);
    actor_ipc(s, IPC_WAIT, 0, 0, NEVER);
    assert_int_equal(s->rcv_label, 0x77);
    actor_ipc(s, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(d, OK);
    assert_int_equal(d->rcv_label, 0);
    assert_false(d->fastpath);
}

/* Proves: a parked sender's send timeout ends its wait with E_SEND_TIMEOUT on exactly its tick
 * and takes it off the gate; a zero timeout never parks; a later binding delivers nothing. */
HOST_TEST(unbound_gate_send_timeout)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    word_t gs = gate_ok(s, NULL, 0x77);
    word_t gc = give_ok(s, c, gs, NAME_SEND);
    actor_ipc(c, IPC_SEND, gc, TAG(0), ZERO);
    assert_done(c, E_SEND_TIMEOUT);
    actor_ipc(c, IPC_CALL, gc, TAG(0), SND(MS(3)));
    host_tick(2);
    assert_true(actor_blocked_in(c, IPC_SENDING));
    host_tick(1);
    assert_done(c, E_SEND_TIMEOUT);
    assert_null(gate_of(s, gs)->parked.head);
    assert_int_equal(bind(s, gs, s), OK);
    actor_ipc(s, IPC_WAIT, 0, 0, ZERO);
    assert_done(s, E_RECV_TIMEOUT);
}

/* Proves: a parked sender whose gate gets bound to a thread that is not waiting moves from
 * the gate to that thread's queue and keeps waiting. */
HOST_TEST(parked_sender_requeued_on_binding)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    struct host_actor *w = actor_new_in(s->task, PRIO);
    word_t gs = gate_ok(s, NULL, 0x77);
    word_t gc = give_ok(s, c, gs, NAME_SEND);
    actor_ipc(c, IPC_SEND, gc, TAG(0), SND(MS(5)));
    host_tick(3);
    assert_int_equal(bind(s, gs, w), OK);
    assert_true(actor_blocked_in(c, IPC_SENDING));
    assert_null(gate_of(s, gs)->parked.head);
    assert_ptr_equal(w->t->senders.head, c->t);
    host_tick(2); /* the 5 ms count from the start of the send, not from the binding */
    assert_done(c, E_SEND_TIMEOUT);
}

/* Proves: a sender parked on a gate whose capability is revoked meanwhile is refused with
 * E_NOCAP when the gate is bound (the name is resolved again). */
HOST_TEST(parked_sender_revoked_before_bind)
{
    struct host_actor *s = actor_new("s", PRIO), *a = actor_new("a", PRIO),
                      *c = actor_new("c", PRIO);
    word_t gs = gate_ok(s, NULL, 0x77);
    word_t ga = give_ok(s, a, gs, NAME_FULL);
    word_t gc = give_ok(a, c, ga, NAME_SEND);
    actor_ipc(c, IPC_SEND, gc, TAG(0), NEVER);
    assert_int_equal(drop(a, ga), OK);
    assert_true(actor_blocked_in(c, IPC_SENDING)); /* the gate lives on in s */
    actor_ipc(s, IPC_WAIT, 0, 0, NEVER);
    assert_int_equal(bind(s, gs, s), OK);
    assert_done(c, E_NOCAP);
    assert_true(actor_blocked_in(s, IPC_RECEIVING));
}

/* ---- rights ---- */

/* Proves: a send-only capability sends but cannot be given on, mapped on or used to rebind
 * (E_PERM / nothing moves); a give-only capability cannot send, and nobody raises rights. */
HOST_TEST(send_only_rights)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO),
                      *d = actor_new("d", PRIO), *e = actor_new("e", PRIO);
    word_t gs = gate_ok(s, s, LABEL);
    word_t gc = give_ok(s, c, gs, NAME_SEND);
    assert_int_equal(slot(c, gc)->rights, CAP_R_SEND);
    assert_int_equal(give(c, d, gc, NAME_SEND), -E_PERM);
    assert_int_equal(give(c, c, gc, NAME_SEND), -E_PERM);
    assert_int_equal(give(c, d, gc, NAME_FULL), -E_PERM);
    assert_int_equal(policy_endpoint_bind(c->t, gc, thread_name(c, c)), -E_PERM);
    assert_ptr_equal(gate_of(s, gs)->bound, s->t);
    actor_ipc(s, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(c, IPC_SEND, gc, TAG(0), NEVER);
    assert_done(c, OK);
    assert_int_equal(s->rcv_label, LABEL);

    /* a map item of a send-only capability moves nothing */
    word_t to_d = give_ok(d, c, gate_ok(d, d, 1), NAME_SEND);
    actor_utcb(d)->br[BR_OBJ_WINDOW] = FPAGE(40UL << 12, 0, 0);
    actor_ipc(d, IPC_WAIT, 0, 0, NEVER);
    actor_utcb(c)->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    actor_utcb(c)->mr[1] = FPAGE(gc << 12, 0, FPAGE_R | FPAGE_W);
    actor_ipc(c, IPC_SEND, to_d, MSGTAG(0, 0, 1, 0), NEVER);
    assert_false(d->busy);
    assert_int_equal(slot(d, 40)->type, CAP_NONE);

    /* give-only: no send, no raise */
    word_t ge = give_ok(s, e, gs, CAP_R_GIVE);
    actor_ipc(e, IPC_SEND, ge, TAG(0), NEVER);
    assert_done(e, E_PERM);
    assert_int_equal(give(e, d, ge, NAME_FULL), -E_PERM);
    assert_int_equal(give(e, d, ge, NAME_SEND), -E_PERM);
    word_t gd = give_ok(e, d, ge, CAP_R_GIVE);
    assert_int_equal(slot(d, gd)->rights, CAP_R_GIVE);
}

/* ---- the factory quota ---- */

/* Proves: a task's factory makes exactly CAPGATE_QUOTA gates, then E_NOMEM; the quota is per
 * task; dropping a gate gives its share back. */
HOST_TEST(factory_quota)
{
    struct host_actor *s = actor_new("s", PRIO), *t = actor_new("t", PRIO);
    word_t first = 0;
    for (unsigned i = 0; i < CAPGATE_QUOTA; i++) {
        long g = gate_new(s, s, i);
        assert_true(g > 0);
        if (i == 0) first = (word_t)g;
    }
    assert_int_equal(s->task->pol.objects, CAPGATE_QUOTA);
    assert_int_equal(gate_new(s, s, 99), -E_NOMEM);
    assert_int_equal(gate_new(s, NULL, 99), -E_NOMEM);
    assert_true(gate_new(t, t, 1) > 0);
    assert_int_equal(drop(s, first), OK);
    assert_int_equal(s->task->pol.objects, CAPGATE_QUOTA - 1);
    assert_true(gate_new(s, s, 100) > 0);
    assert_int_equal(gate_new(s, s, 101), -E_NOMEM);
}

/* Proves: the quota comes back only when the last capability to a gate goes: dropping a copy
 * given away does not return it; dropping the original (which revokes the copy) does. */
HOST_TEST(factory_quota_returns_with_last_capability)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    word_t g = 0;
    for (unsigned i = 0; i < CAPGATE_QUOTA; i++)
        g = gate_ok(s, s, i);
    word_t gc = give_ok(s, c, g, NAME_FULL);
    word_t gc2 = give_ok(c, c, gc, NAME_SEND);
    assert_int_equal(gate_of(s, g)->refs, 3);
    assert_int_equal(drop(c, gc2), OK);
    assert_int_equal(drop(c, gc), OK);
    assert_int_equal(gate_of(s, g)->refs, 1);
    assert_int_equal(gate_new(s, s, 99), -E_NOMEM);
    gc = give_ok(s, c, g, NAME_FULL);
    assert_int_equal(drop(s, g), OK);
    assert_int_equal(slot(c, gc)->type, CAP_NONE);
    assert_int_equal(s->task->pol.objects, CAPGATE_QUOTA - 1);
    assert_true(gate_new(s, s, 99) > 0);
}

/* Proves: notifications are charged to the same quota as gates. */
HOST_TEST(factory_quota_counts_notifications)
{
    struct host_actor *s = actor_new("s", PRIO);
    for (unsigned i = 0; i < CAPGATE_QUOTA - 1; i++)
        gate_ok(s, s, i);
    actor_do(s, sys_notify_create, 0x4e, 0, 0, 0, 0);
    assert_true(s->result > 0);
    assert_int_equal(slot(s, (word_t)s->result)->type, CAP_NOTIFY);
    assert_int_equal(s->task->pol.objects, CAPGATE_QUOTA);
    assert_int_equal(gate_new(s, s, 99), -E_NOMEM);
    actor_do(s, sys_notify_create, 0x4f, 0, 0, 0, 0);
    assert_done(s, E_NOMEM);
}

/* ---- revocation ---- */

/*
 * Proves: dropping a capability revokes every capability derived from it, in every task and
 * across levels (A2 -> A3 -> A4), but neither its ancestors (S, A1) nor a sibling branch (E);
 * dropping the original then revokes everything and destroys the gate.
 */
HOST_TEST(revocation_recursive)
{
    struct host_actor *s = actor_new("s", PRIO), *a1 = actor_new("a1", PRIO),
                      *a2 = actor_new("a2", PRIO), *a3 = actor_new("a3", PRIO),
                      *a4 = actor_new("a4", PRIO), *e = actor_new("e", PRIO);
    struct host_actor *srv = actor_new_in(s->task, PRIO);
    word_t gs = gate_ok(s, srv, LABEL);
    word_t c1 = give_ok(s, a1, gs, NAME_FULL);
    word_t c2 = give_ok(a1, a2, c1, NAME_FULL);
    word_t c3 = give_ok(a2, a3, c2, NAME_FULL);
    word_t c4 = give_ok(a3, a4, c3, NAME_SEND);
    word_t ce = give_ok(s, e, gs, NAME_SEND);
    assert_ptr_equal(slot(a4, c4)->node->parent, slot(a3, c3)->node);
    assert_int_equal(gate_of(s, gs)->refs, 6);

    assert_int_equal(drop(a2, c2), OK);
    assert_int_equal(slot(a2, c2)->type, CAP_NONE);
    assert_int_equal(slot(a3, c3)->type, CAP_NONE);
    assert_int_equal(slot(a4, c4)->type, CAP_NONE);
    assert_null(mapdb_lookup(a3->task, CAPGATE_KIND_CAP, c3));
    assert_null(mapdb_lookup(a4->task, CAPGATE_KIND_CAP, c4));
    assert_int_equal(slot(a1, c1)->type, CAP_GATE);
    assert_int_equal(slot(e, ce)->type, CAP_GATE);
    assert_int_equal(gate_of(s, gs)->refs, 3);
    actor_ipc(a4, IPC_SEND, c4, TAG(0), NEVER);
    assert_done(a4, E_NOCAP);
    actor_ipc(a3, IPC_SEND, c3, TAG(0), NEVER);
    assert_done(a3, E_NOCAP);
    actor_ipc(srv, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(a1, IPC_SEND, c1, TAG(0), NEVER);
    assert_done(a1, OK);
    actor_ipc(srv, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(e, IPC_SEND, ce, TAG(0), NEVER);
    assert_done(e, OK);
    assert_int_equal(srv->rcv_label, LABEL);

    assert_int_equal(drop(s, gs), OK);
    assert_int_equal(slot(s, gs)->type, CAP_NONE);
    assert_int_equal(slot(a1, c1)->type, CAP_NONE);
    assert_int_equal(slot(e, ce)->type, CAP_NONE);
    assert_int_equal(s->task->pol.objects, 0); /* the gate is gone */
    actor_ipc(e, IPC_SEND, ce, TAG(0), NEVER);
    assert_done(e, E_NOCAP);
}

/* An IPC gate in `to`, bound to its thread, that `from` holds (send only): from's name. */
static word_t gate_to(struct host_actor *to, struct host_actor *from)
{
    return give_ok(to, from, gate_ok(to, to, 0xd0), NAME_SEND);
}

/* from's message: one object flexpage item (map or grant) of 2^order slots at `first`. */
static word_t obj_item(struct host_actor *from, word_t type, word_t first, unsigned order,
                       unsigned rights, word_t hotspot)
{
    actor_utcb(from)->mr[0] = ITEM_MAP_HDR(type, FPAGE_KIND_BACKEND, hotspot);
    actor_utcb(from)->mr[1] = FPAGE(first << 12, order, rights);
    return MSGTAG(0, 0, 1, 0);
}

static void obj_window(struct host_actor *a, word_t base, unsigned order)
{
    actor_utcb(a)->br[BR_OBJ_WINDOW] = FPAGE(base << 12, order, 0);
}

/* Proves: a map item of a capability copies it into the receiver's object window with the
 * flexpage's rights (R: send only), reports where it landed, and records it as derived, so
 * dropping the sender's original revokes it. */
HOST_TEST(map_item_copies_capability)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    struct host_actor *srv = actor_new_in(s->task, PRIO);
    word_t gs = gate_ok(s, srv, LABEL);
    word_t to_c = gate_to(c, s);
    obj_window(c, 10, 0);
    actor_ipc(c, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(s, IPC_SEND, to_c, obj_item(s, ITEM_MAP, gs, 0, FPAGE_R, 0), NEVER);
    assert_done(s, OK);
    assert_done(c, OK);
    assert_int_equal(actor_utcb(c)->mr[0], ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0));
    assert_int_equal(actor_utcb(c)->mr[1], FPAGE(10UL << 12, 0, FPAGE_R));
    assert_int_equal(slot(c, 10)->type, CAP_GATE);
    assert_ptr_equal(slot(c, 10)->obj, slot(s, gs)->obj);
    assert_int_equal(slot(c, 10)->rights, CAP_R_SEND);
    assert_ptr_equal(slot(c, 10)->node->parent, slot(s, gs)->node);
    assert_int_equal(slot(s, gs)->type, CAP_GATE); /* map copies */
    assert_int_equal(give(c, s, 10, NAME_SEND), -E_PERM);

    actor_ipc(srv, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(c, IPC_SEND, 10, TAG(0), NEVER);
    assert_done(c, OK);
    assert_int_equal(srv->rcv_label, LABEL);

    assert_int_equal(drop(s, gs), OK);
    assert_int_equal(slot(c, 10)->type, CAP_NONE);
}

/* Proves: an object flexpage of several slots lands at the hotspot's place in a larger window,
 * empty source slots are skipped and an occupied window slot is left alone. */
HOST_TEST(map_item_window_placement)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    word_t to_c = gate_to(c, s);
    /* s's slots 16..19: gate, empty, gate, gate */
    word_t g16 = 16, g18 = 18, g19 = 19;
    word_t tmp = gate_ok(s, s, 0x16);
    assert_true(cap_install_at(s->task, 16, CAP_GATE, slot(s, tmp)->obj, FULL, s->task, tmp) > 0);
    tmp = gate_ok(s, s, 0x18);
    assert_true(cap_install_at(s->task, 18, CAP_GATE, slot(s, tmp)->obj, FULL, s->task, tmp) > 0);
    tmp = gate_ok(s, s, 0x19);
    assert_true(cap_install_at(s->task, 19, CAP_GATE, slot(s, tmp)->obj, FULL, s->task, tmp) > 0);
    /* c's window: slots 32..39; the item (4 slots) goes to the half the hotspot names: 36 */
    word_t mine = gate_ok(c, c, 0xcc);
    assert_true(cap_install_at(c->task, 38, CAP_GATE, slot(c, mine)->obj, FULL, c->task, mine) > 0);
    obj_window(c, 32, 3);
    actor_ipc(c, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(s, IPC_SEND, to_c, obj_item(s, ITEM_MAP, g16, 2, FPAGE_R | FPAGE_W, 5UL << 12),
              NEVER);
    assert_done(s, OK);
    assert_done(c, OK);
    assert_int_equal(actor_utcb(c)->mr[1], FPAGE(36UL << 12, 2, FPAGE_R | FPAGE_W));
    assert_ptr_equal(slot(c, 36)->obj, slot(s, g16)->obj);
    assert_int_equal(slot(c, 36)->rights, FULL);
    assert_int_equal(slot(c, 37)->type, CAP_NONE);
    assert_ptr_equal(slot(c, 38)->obj, slot(c, mine)->obj); /* left alone */
    assert_ptr_equal(slot(c, 39)->obj, slot(s, g19)->obj);
    assert_ptr_not_equal(slot(c, 38)->obj, slot(s, g18)->obj);
    for (word_t i = 32; i < 36; i++)
        assert_int_equal(slot(c, i)->type, CAP_NONE);
}

/* Proves: an object window over slot 0 never fills it (slot 1, taken, is left alone too). */
HOST_TEST(map_item_never_fills_slot_zero)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    word_t to_c = gate_to(c, s);
    word_t g = gate_ok(s, s, LABEL);
    word_t pair = g & ~1UL; /* two slots holding capabilities s may give on */
    assert_int_not_equal(slot(s, pair)->type, CAP_NONE);
    assert_int_not_equal(slot(s, pair + 1)->type, CAP_NONE);
    obj_window(c, 0, 1); /* slots 0 and 1; the window register itself is not 0 */
    assert_int_not_equal(actor_utcb(c)->br[BR_OBJ_WINDOW], 0);
    actor_ipc(c, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(s, IPC_SEND, to_c, obj_item(s, ITEM_MAP, pair, 1, FPAGE_R, 0), NEVER);
    assert_done(c, OK);
    assert_int_equal(slot(c, 0)->type, CAP_NONE);
    assert_null(cap_lookup(c->task, 0));
    assert_int_equal(slot(c, 1)->type, CAP_TASK);
    assert_ptr_equal(slot(c, 1)->obj, c->task);
}

/* Proves: an object flexpage without a window to land in, or larger than the window, fails
 * with E_MAPFAIL for both sides and moves nothing. */
HOST_TEST(map_item_without_window)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    word_t gs = gate_ok(s, s, LABEL);
    word_t to_c = gate_to(c, s);
    actor_utcb(c)->br[BR_OBJ_WINDOW] = 0; /* no window */
    actor_ipc(c, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(s, IPC_SEND, to_c, obj_item(s, ITEM_MAP, gs, 0, FPAGE_R, 0), NEVER);
    assert_done(s, E_MAPFAIL);
    assert_done(c, E_MAPFAIL);
    obj_window(c, 10, 0);
    actor_ipc(c, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(s, IPC_SEND, to_c, obj_item(s, ITEM_MAP, gs & ~1UL, 1, FPAGE_R, 0), NEVER);
    assert_done(s, E_MAPFAIL);
    assert_done(c, E_MAPFAIL);
    assert_int_equal(slot(c, 10)->type, CAP_NONE);
    assert_int_equal(slot(c, 11)->type, CAP_NONE);
    assert_int_equal(slot(s, gs)->type, CAP_GATE);
}

/* Proves: mapping a capability one holds without the give right fails with E_MAPFAIL for both
 * sides (the cap_leak scenario: a send-only right cannot be handed on by IPC either). */
HOST_TEST(map_item_without_give_right)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO),
                      *o = actor_new("o", PRIO);
    word_t send_only = give_ok(o, s, gate_ok(o, o, LABEL), NAME_SEND);
    word_t to_c = gate_to(c, s);
    obj_window(c, 10, 0);
    actor_ipc(c, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(s, IPC_SEND, to_c, obj_item(s, ITEM_MAP, send_only, 0, FPAGE_R, 0), NEVER);
    assert_done(s, E_MAPFAIL);
    assert_done(c, E_MAPFAIL);
    assert_int_equal(slot(c, 10)->type, CAP_NONE);
}

/* Proves: a grant item moves the capability (the sender's slot is empty afterwards) with the
 * flexpage's rights (R: send only) and with what was derived from it: dropping it at its new
 * place revokes the copies made before the grant, and not the original it came from. */
HOST_TEST(grant_moves_capability)
{
    struct host_actor *s = actor_new("s", PRIO), *a1 = actor_new("a1", PRIO),
                      *a2 = actor_new("a2", PRIO), *b = actor_new("b", PRIO);
    struct host_actor *srv = actor_new_in(s->task, PRIO);
    word_t gs = gate_ok(s, srv, LABEL);
    word_t c1 = give_ok(s, a1, gs, NAME_FULL);
    word_t cb = give_ok(a1, b, c1, NAME_SEND);
    struct mapdb_node *moved = slot(a1, c1)->node;
    word_t to_a2 = gate_to(a2, a1);
    obj_window(a2, 20, 0);
    actor_ipc(a2, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(a1, IPC_SEND, to_a2, obj_item(a1, ITEM_GRANT, c1, 0, FPAGE_R, 0), NEVER);
    assert_done(a1, OK);
    assert_done(a2, OK);
    assert_int_equal(actor_utcb(a2)->mr[1], FPAGE(20UL << 12, 0, FPAGE_R));
    assert_int_equal(slot(a1, c1)->type, CAP_NONE);
    assert_null(mapdb_lookup(a1->task, CAPGATE_KIND_CAP, c1));
    assert_int_equal(slot(a2, 20)->type, CAP_GATE);
    assert_int_equal(slot(a2, 20)->rights, CAP_R_SEND);
    assert_ptr_equal(slot(a2, 20)->node, moved);
    assert_ptr_equal(slot(b, cb)->node->parent, moved);
    assert_int_equal(gate_of(s, gs)->refs, 3); /* s, a2, b: a grant adds no reference */
    assert_int_equal(give(a2, b, 20, NAME_SEND), -E_PERM);
    actor_ipc(a1, IPC_SEND, c1, TAG(0), NEVER);
    assert_done(a1, E_NOCAP);
    actor_ipc(srv, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(a2, IPC_SEND, 20, TAG(0), NEVER);
    assert_done(a2, OK);
    assert_int_equal(srv->rcv_label, LABEL);

    assert_int_equal(drop(a2, 20), OK);
    assert_int_equal(slot(b, cb)->type, CAP_NONE);
    assert_int_equal(slot(s, gs)->type, CAP_GATE);
}

/* ---- teardown ---- */

/* Proves: a task's death revokes what it delegated (copies in other tasks, at any depth), and
 * a gate nobody names any more is destroyed. */
HOST_TEST(task_death_revokes_delegated)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO),
                      *d = actor_new("d", PRIO);
    word_t gs = gate_ok(s, s, LABEL);
    word_t gc = give_ok(s, c, gs, NAME_FULL);
    word_t gd = give_ok(c, d, gc, NAME_SEND);
    word_t own = gate_ok(c, c, 1); /* c's own gate stays */
    actor_kill(s);
    assert_int_equal(slot(c, gc)->type, CAP_NONE);
    assert_int_equal(slot(d, gd)->type, CAP_NONE);
    assert_int_equal(slot(c, own)->type, CAP_GATE);
    actor_ipc(d, IPC_SEND, gd, TAG(0), NEVER);
    assert_done(d, E_NOCAP);
    actor_ipc(c, IPC_CALL, gc, TAG(0), NEVER);
    assert_done(c, E_NOCAP);
}

/* Proves: when a gate's thread dies its queued senders get E_CANCELLED and new senders park
 * (E_SEND_TIMEOUT, not delivered, not refused) until the gate is bound to another thread. */
HOST_TEST_BOTH(gate_thread_death_parks_new_senders)
{
    struct host_actor *s1 = actor_new("s", PRIO), *c = actor_new("c", PRIO),
                      *q = actor_new("q", PRIO);
    struct host_actor *s2 = actor_new_in(s1->task, PRIO);
    word_t gs = gate_ok(s1, s1, LABEL);
    word_t gc = give_ok(s1, c, gs, NAME_SEND), gq = give_ok(s1, q, gs, NAME_SEND);
    actor_ipc(q, IPC_SEND, gq, TAG(0), NEVER); /* s1 idle: q queues on it */
    assert_true(actor_blocked_in(q, IPC_SENDING));
    actor_exit(s1);
    assert_null(thread_lookup(s1->id));
    assert_done(q, E_CANCELLED);
    assert_null(gate_of(s2, gs)->bound);

    actor_ipc(c, IPC_CALL, gc, TAG(0), SND(MS(2)));
    assert_true(actor_blocked_in(c, IPC_SENDING));
    host_tick(2);
    assert_done(c, E_SEND_TIMEOUT);
    actor_ipc(c, IPC_CALL, gc, TAG(0), NEVER);
    actor_ipc(s2, IPC_WAIT, 0, 0, NEVER);
    assert_true(actor_blocked_in(c, IPC_SENDING));
    assert_int_equal(bind(s2, gs, s2), OK);
    assert_done(s2, OK);
    assert_int_equal(s2->rcv_label, LABEL);
    actor_ipc(s2, IPC_REPLY, 0, TAG(0), NEVER);
    assert_done(c, OK);
}

/* Proves: senders parked on a gate that is destroyed (its last capability dropped, or its
 * owner task killed) get E_CANCELLED. */
HOST_TEST(destroyed_gate_cancels_parked_senders)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO),
                      *d = actor_new("d", PRIO);
    word_t gs = gate_ok(s, NULL, LABEL);
    word_t gc = give_ok(s, c, gs, NAME_SEND), gd = give_ok(s, d, gs, NAME_SEND);
    actor_ipc(c, IPC_SEND, gc, TAG(0), NEVER);
    actor_ipc(d, IPC_CALL, gd, TAG(0), NEVER);
    assert_true(actor_blocked_in(c, IPC_SENDING) && actor_blocked_in(d, IPC_SENDING));
    assert_int_equal(drop(s, gs), OK);
    assert_done(c, E_CANCELLED);
    assert_done(d, E_CANCELLED);

    word_t g2 = gate_ok(s, NULL, LABEL);
    word_t g2c = give_ok(s, c, g2, NAME_SEND);
    actor_ipc(c, IPC_CALL, g2c, TAG(0), NEVER);
    assert_true(actor_blocked_in(c, IPC_SENDING));
    actor_kill(s);
    assert_done(c, E_CANCELLED);
}

/* Proves: a caller waiting for the reply of a server whose task is killed gets E_CANCELLED. */
HOST_TEST_BOTH(caller_cancelled_when_server_task_dies)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    word_t gc = give_ok(s, c, gate_ok(s, s, LABEL), NAME_SEND);
    actor_ipc(s, IPC_WAIT, 0, 0, NEVER);
    actor_ipc(c, IPC_CALL, gc, TAG(0), NEVER);
    assert_true(actor_blocked_in(c, IPC_RECEIVING));
    actor_kill(s);
    assert_done(c, E_CANCELLED);
    assert_int_equal(c->fastpath, fast);
}

/* Proves: a thread capability dies with its thread (the slot empties, a closed wait on it is
 * E_NOPARTNER), and a gate bound to that thread parks its senders again. */
HOST_TEST(thread_capability_cleared_on_death)
{
    struct host_actor *s = actor_new("s", PRIO), *w = actor_new("w", PRIO),
                      *c = actor_new("c", PRIO);
    word_t tw = thread_name(s, w);
    word_t gs = gate_ok(s, w, LABEL); /* s's gate, bound to w's thread in another task */
    word_t gc = give_ok(s, c, gs, NAME_SEND);
    assert_ptr_equal(gate_of(s, gs)->bound, w->t);
    actor_kill(w);
    assert_int_equal(slot(s, tw)->type, CAP_NONE);
    actor_ipc(s, IPC_RECV, tw, 0, NEVER);
    assert_done(s, E_NOPARTNER);
    assert_null(gate_of(s, gs)->bound);
    actor_ipc(c, IPC_SEND, gc, TAG(0), SND(MS(1)));
    assert_true(actor_blocked_in(c, IPC_SENDING));
    host_tick(1);
    assert_done(c, E_SEND_TIMEOUT);
}

/* Proves: the give right is not the bind right. A client given the gate with send and give
 * cannot bind it to itself (it would receive every other client's messages under the label
 * they trust) nor give itself the bind right; the creator holds it, and can hand it on. */
HOST_TEST(gate_give_right_is_not_bind_right)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO),
                      *d = actor_new("d", PRIO);
    word_t gs = gate_ok(s, s, LABEL);
    assert_int_equal(slot(s, gs)->rights, CAP_R_ALL);
    word_t gc = give_ok(s, c, gs, NAME_FULL);
    assert_int_equal(bind(c, gc, c), -E_PERM);
    assert_int_equal(give(c, c, gc, NAME_ALL), -E_PERM);
    assert_ptr_equal(gate_of(s, gs)->bound, s->t);
    word_t gd = give_ok(s, d, gs, NAME_ALL); /* deliberately delegated */
    assert_int_equal(bind(d, gd, d), OK);
    assert_ptr_equal(gate_of(s, gs)->bound, d->t);
}

/* Proves: revocation reaches a send already blocked at a busy receiver: the creator revokes
 * what it derived from its gate (unmap of the capability flexpage) and, when the server waits,
 * the client's send fails with E_CANCELLED and is never delivered under the gate's label. */
HOST_TEST_BOTH(revocation_cancels_blocked_send)
{
    struct host_actor *s = actor_new("s", PRIO), *c = actor_new("c", PRIO);
    word_t gs = gate_ok(s, s, LABEL);
    word_t gc = give_ok(s, c, gs, NAME_SEND);
    actor_ipc(c, IPC_SEND, gc, TAG(0), NEVER);
    assert_true(actor_blocked_in(c, IPC_SENDING)); /* s is not waiting */
    assert_int_equal(policy_unmap(s->t, FPAGE_KIND_BACKEND, FPAGE(gs << 12, 0, 0), false), 1);
    assert_int_equal(slot(c, gc)->type, CAP_NONE);
    assert_int_equal(slot(s, gs)->type, CAP_GATE); /* the creator keeps its own */
    actor_ipc(s, IPC_WAIT, 0, 0, IPC_TIMEOUTS(0, 0));
    assert_done(s, E_RECV_TIMEOUT);
    assert_done(c, E_CANCELLED);
}

int main(int argc, char **argv)
{
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    const struct CMUnitTest tests[] = {
        HOST_RUN(cspace_initial_layout),
        HOST_RUN(gate_give_right_is_not_bind_right),
        HOST_RUN_BOTH(revocation_cancels_blocked_send),
        HOST_RUN(cspace_bad_names),
        HOST_RUN(cspace_full),
        HOST_RUN_BOTH(send_empty_slot_nocap),
        HOST_RUN_BOTH(send_wrong_type),
        HOST_RUN_BOTH(gate_delivers_with_label),
        HOST_RUN_BOTH(gate_labels_tell_clients_apart),
        HOST_RUN_BOTH(gate_call_reply_label_zero),
        HOST_RUN_BOTH(gate_reply_capability_lifetime),
        HOST_RUN(closed_wait_names_thread),
        HOST_RUN_BOTH(unbound_gate_parks_until_bound),
        HOST_RUN(unbound_gate_send_timeout),
        HOST_RUN(parked_sender_requeued_on_binding),
        HOST_RUN(parked_sender_revoked_before_bind),
        HOST_RUN(send_only_rights),
        HOST_RUN(factory_quota),
        HOST_RUN(factory_quota_returns_with_last_capability),
        HOST_RUN(factory_quota_counts_notifications),
        HOST_RUN(revocation_recursive),
        HOST_RUN(map_item_copies_capability),
        HOST_RUN(map_item_window_placement),
        HOST_RUN(map_item_never_fills_slot_zero),
        HOST_RUN(map_item_without_window),
        HOST_RUN(map_item_without_give_right),
        HOST_RUN(grant_moves_capability),
        HOST_RUN(task_death_revokes_delegated),
        HOST_RUN_BOTH(gate_thread_death_parks_new_senders),
        HOST_RUN(destroyed_gate_cancels_parked_senders),
        HOST_RUN_BOTH(caller_cancelled_when_server_task_dies),
        HOST_RUN(thread_capability_cleared_on_death),
    };
    return cmocka_run_group_tests_name("capgate", tests, NULL, NULL);
}
