/* SPDX-License-Identifier: MIT */
/*
 * Clans & chiefs at boot (backend clans; boot test `clans`). One program in five roles, by
 * main's argument (role | data << 4):
 *   0 top (T): starts the outsider O, then a chief C with its member M, then a chief C2 that
 *     dies at once, leaving its member M2; T then receives what M2's clan sends out.
 *   1 outsider O: answers every call with the label it saw, the flags, the actual sender and
 *     T's thread (data), until idle.
 *   2 chief C: runs the chief logic (user/lib/chief.c) with one rule, M -> O, and starts M.
 *   3 member M: probes the route to O, calls O (forwarded by C), calls T (no rule: refused by
 *     C), and claims T's identity (E_PERM).
 *   4 chief C2: starts its member M2 and ends. 5 member M2: calls O after its chief died.
 */
#include "chief.h"

#define ROLE(arg) ((arg)&0xf)
#define DATA(arg) ((arg) >> 4)
#define ARG(role, data) ((word_t)(role) | (word_t)(data) << 4)
#define MS(n) ((n)*1000u)

static unsigned self_module(void)
{
    char name[32];
    for (unsigned i = 1; module_info(i, name, sizeof(name)) >= 0; i++)
        if (strcmp(name, "clanstest") == 0) return i;
    return 0;
}

/* Spawns a copy in `role` (suspended), with `quota` tasks it may create; its task and thread. */
static long spawn(unsigned role, word_t data, word_t quota, long *thread)
{
    long r = task_spawn(self_module(), PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
    if (r < 0) return r;
    if (quota) task_quota(SPAWN_TASK(r), QUOTA_TASKS, quota);
    *thread = SPAWN_THREAD(r);
    long t = SPAWN_TASK(r);
    r = task_start(t, ARG(role, data));
    return r < 0 ? r : t;
}

static void wait_task(long t)
{
    struct task_exit e;
    task_wait(t, &e);
}

static long outsider(word_t top)
{
    word_t tag, label;
    long r = ipc_wait(MS(400), &tag, &label);
    while (r == 0) {
        struct utcb *u = utcb();
        u->mr[0] = label;
        u->mr[1] = MSGTAG_FLAGS(tag);
        u->mr[2] = u->tcr[TCR_ACTUAL_SENDER];
        u->mr[3] = top;
        r = ipc_reply_wait(MSGTAG(2, 4, 0, 0), MS(400), &tag, &label);
    }
    return 0;
}

static struct chief_table table = {.who = "C"};
static char chief_stack[16384] __attribute__((aligned(16)));

static long chief(word_t o)
{
    long m_thread;
    long m = task_spawn(self_module(), PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
    if (m < 0) return report_error("clanstest: the member", m);
    m_thread = SPAWN_THREAD(m);
    table.rules[0] = (struct chief_rule){(word_t)m_thread, o};
    table.nrules = 1;
    table.ready = true;
    long th =
        thread_start(chief_serve, (word_t)&table, chief_stack, sizeof(chief_stack), PRIO_DEFAULT);
    long b = th < 0 ? th : endpoint_bind(ENDPOINT_REDIRECTS, (word_t)th);
    printf("clanstest: the chief binds its chief thread: %s\n", status_text(b));
    printf("clanstest: binding a thread's name instead: %s\n",
           status_text(endpoint_bind((word_t)th, (word_t)th)));
    task_start(SPAWN_TASK(m), ARG(3, o));
    wait_task(SPAWN_TASK(m));
    printf("clanstest: chief C: %lu forwarded, %lu dropped, %lu answered\n",
           chief_counts[CHIEF_FORWARDED], chief_counts[CHIEF_DROPPED],
           chief_counts[CHIEF_ANSWERED]);
    return 0;
}

static long member(word_t o)
{
    word_t me = self_thread(), tag, label;
    long route = ipc_route(o);
    printf("clanstest: M's route to O: %s; to itself: %s\n",
           route > 0 && (word_t)route != o ? "its chief, not O" : "O itself",
           ipc_route(me) == (long)me ? "itself" : "?");
    utcb()->mr[0] = 0x1234;
    long r = ipc_call(o, MSGTAG(1, 1, 0, 0), MS(100), MS(100), &tag, &label);
    struct utcb *u = utcb();
    word_t top = u->mr[3];
    printf("clanstest: M calls O: %s; O saw M: %s, flagged forwarded: %s, sent by C: %s\n",
           status_text(r), u->mr[0] == me ? "yes" : "no",
           u->mr[1] == MSGTAG_F_FORWARDED ? "yes" : "no",
           u->mr[2] != me && u->mr[2] != 0 ? "yes" : "no");
    r = ipc_call(top, MSGTAG(1, 0, 0, 0), MS(100), MS(100), &tag, &label);
    printf("clanstest: M calls T (no rule): %s, %s\n", status_text(r),
           MSGTAG_LABEL(tag) == IPC_LABEL_DENY ? "refused by the chief" : "answered by T");
    r = ipc_as(IPC_SEND, o, MSGTAG(1, 0, 0, 0), IPC_TIMEOUTS(MS(10), 0), top, 0, 0);
    printf("clanstest: M sends in T's name: %s\n", status_text(r));
    return 0;
}

static long orphan(word_t o)
{
    sleep_us(MS(20)); /* its chief is gone by now */
    word_t tag, label;
    long r = ipc_call(o, MSGTAG(1, 0, 0, 0), MS(200), MS(200), &tag, &label);
    printf("clanstest: M2 calls O after its chief died: %s, answered by %s\n", status_text(r),
           MSGTAG_LABEL(tag) == 7 ? "T (the dead chief's chief)" : "someone else");
    return 0;
}

static long top(void)
{
    long o_thread, c_thread, c2_thread;
    long o = spawn(1, self_thread(), 0, &o_thread);
    long c = spawn(2, (word_t)o_thread, 1, &c_thread);
    if (o < 0 || c < 0) return report_error("clanstest: spawning", o < 0 ? o : c);
    wait_task(c);
    long c2 = spawn(4, (word_t)o_thread, 1, &c2_thread);
    if (c2 < 0) return report_error("clanstest: spawning", c2);
    wait_task(c2);
    word_t tag, label;
    long r = ipc_wait(MS(500), &tag, &label);
    struct utcb *u = utcb();
    printf("clanstest: T receives from the dead chief's clan: %s, redirected: %s, meant for O: "
           "%s\n",
           status_text(r), MSGTAG_FLAGS(tag) & MSGTAG_F_REDIRECTED ? "yes" : "no",
           u->tcr[TCR_INTENDED_RECEIVER] == (word_t)o_thread ? "yes" : "no");
    if (r == 0) ipc_reply(MSGTAG(7, 0, 0, 0));
    wait_task(o);
    return 0;
}

int main(word_t arg)
{
    switch (ROLE(arg)) {
    case 0:
        return (int)top();
    case 1:
        return (int)outsider(DATA(arg));
    case 2:
        return (int)chief(DATA(arg));
    case 3:
        return (int)member(DATA(arg));
    case 4: {
        long m = task_spawn(self_module(), PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
        if (m >= 0) task_start(SPAWN_TASK(m), ARG(5, DATA(arg)));
        return 0; /* the chief ends: its member lives on */
    }
    case 5:
        return (int)orphan(DATA(arg));
    }
    return 1;
}
