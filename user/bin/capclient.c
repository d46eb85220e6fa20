/* SPDX-License-Identifier: MIT */
/*
 * capgate semantics, observed from a client: main's argument is the capability (slot) to a
 * gate bound to capserver that the root handed over. Checks labels, empty slots, wrong
 * types, send-only rights, the factory quota, a gate without a receiver, delegation by object
 * flexpage, and recursive revocation.
 */
#include "ulib.h"

enum { OP_HELLO = 1, OP_DOUBLE_REPLY = 2, OP_TAKE_CAP = 3, OP_USE_CAP = 4, OP_QUIT = 5 };

static int failures;
static void expect(const char *what, long got, long want)
{
    printf("capclient: %s%s -> %s\n", got == want ? "" : "FAIL ", what, status_text(got));
    if (got != want) failures++;
}

static long call0(word_t cap, word_t op, uint32_t timeout)
{
    return ipc_call(cap, MSGTAG(op, 0, 0, 0), timeout, TIMEOUT_NEVER, 0, 0);
}

static word_t worker_gate;
static unsigned char stacks[2][4096] __attribute__((aligned(16)));

/* Answers calls on the client's own gate (used by the server through a delegated copy). */
static long worker(word_t arg)
{
    (void)arg;
    word_t tag, label;
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    while (r == 0) {
        printf("capclient: worker got a call with label 0x%lx\n", label);
        r = ipc_reply_wait(MSGTAG(0, 0, 0, 0), TIMEOUT_NEVER, &tag, &label);
    }
    return 0;
}

static volatile long parked_result = 1;
static word_t unbound_gate;
static long parked_sender(word_t arg)
{
    (void)arg;
    parked_result = call0(unbound_gate, 7, TIMEOUT_NEVER);
    return 0;
}

int main(word_t server)
{
    word_t tag, label;
    printf("capclient: the server is capability slot %lu\n", server);
    long r =
        ipc_call(server, MSGTAG(OP_HELLO, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, &label);
    expect("call through the gate", r, 0);
    printf("capclient: the reply label is %lu (the server stays anonymous)\n", label);

    expect("call through an empty slot", call0(200, OP_HELLO, TIMEOUT_NEVER), -E_NOCAP);
    expect("call through slot 1 (a task capability)", call0(1, OP_HELLO, TIMEOUT_NEVER),
           -E_WRONGTYPE);
    expect("call through slot 4096 (out of range)", call0(4096, OP_HELLO, TIMEOUT_NEVER), -E_NOCAP);

    long me = self_task();
    long send_only = name_give(me, server, NAME_SEND);
    expect("call through a send-only copy", call0((word_t)send_only, OP_HELLO, TIMEOUT_NEVER), 0);
    expect("giving on a send-only copy", name_give(me, (word_t)send_only, NAME_SEND), -E_PERM);
    expect("giving more rights than held", name_give(me, (word_t)send_only, NAME_FULL), -E_PERM);

    expect("a second reply to one call", call0(server, OP_DOUBLE_REPLY, TIMEOUT_NEVER), 0);

    /* The factory quota: endpoints until the factory says no, then all of them back. */
    long made[64];
    int n = 0;
    for (; n < 64; n++) {
        made[n] = endpoint_create(0, 0x2000 + (word_t)n);
        if (made[n] < 0) break;
    }
    printf("capclient: the factory made %d gates, then: %s\n", n,
           n < 64 ? status_text(made[n]) : "no limit");
    for (int i = 0; i < n; i++)
        name_drop((word_t)made[i]);
    long again = endpoint_create(0, 0x3000);
    expect("a gate after dropping them all", again < 0 ? again : 0, 0);
    name_drop((word_t)again);

    /* A gate without a receiver: a sender waits until it is bound, or until its timeout. */
    unbound_gate = (word_t)endpoint_create(0, 0x4444);
    expect("send to an unbound gate with a 5 ms timeout", call0(unbound_gate, 7, 5000),
           -E_SEND_TIMEOUT);
    long w = thread_start(worker, 0, stacks[0], sizeof(stacks[0]), PRIO_DEFAULT);
    thread_start(parked_sender, 0, stacks[1], sizeof(stacks[1]), PRIO_DEFAULT);
    sleep_us(2000); /* the sender parks on the gate */
    expect("binding the gate to the worker", endpoint_bind(unbound_gate, (word_t)w), 0);
    sleep_us(2000);
    expect("the parked call, once the gate was bound", parked_result, 0);

    /* Delegation by object flexpage: the server gets a copy of a gate to our worker. */
    worker_gate = (word_t)endpoint_create((word_t)w, 0x5555);
    struct utcb *u = utcb();
    u->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    u->mr[1] = FPAGE(worker_gate << 12, 0, FPAGE_R); /* send right only */
    expect("mapping a gate capability to the server",
           ipc_call(server, MSGTAG(OP_TAKE_CAP, 0, 1, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, 0, 0), 0);
    expect("the server calls our worker through it", call0(server, OP_USE_CAP, TIMEOUT_NEVER), 0);
    printf("capclient: the server's call returned %s\n", status_text((long)u->mr[0]));
    expect("dropping our gate (revokes the server's copy)", name_drop(worker_gate), 0);
    call0(server, OP_USE_CAP, TIMEOUT_NEVER);
    expect("the server's call after revocation", (long)u->mr[0], -E_NOCAP);

    call0(server, OP_QUIT, TIMEOUT_NEVER);
    printf("capclient: %d unexpected results\n", failures);
    return failures;
}
