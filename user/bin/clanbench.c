/* SPDX-License-Identifier: MIT */
/*
 * Clans & chiefs cost (make bench): null round trips (call + reply) inside a clan, and across
 * clans through one chief (client in chief C1's clan, server beside C1) and through two chiefs
 * (client in C3's clan, server in C2's clan, C2 and C3 siblings), each chief a real chief thread
 * (user/lib/chief.c) forwarding by its one rule. Under a backend that does not redirect the same
 * tree runs with idle chiefs, so every row compares with the direct call. Prints
 * "bench,<case>,<instructions per round trip>" (the minimum over batches; -icount TSC).
 * Roles by main's argument (role | data << 4): 0 top, 1 server, 2 chief with a client (data:
 * the server), 3 client (data: server | case << 32), 4 chief with a server (reports it to top).
 */
#include "chief.h"

#define ROLE(arg) ((arg)&0xf)
#define DATA(arg) ((arg) >> 4)
#define ARG(role, data) ((word_t)(role) | (word_t)(data) << 4)
#define WARMUP 50
#define BATCHES 10
#define PER_BATCH 20

static const char *const case_names[] = {"clans_intra_clan_null_rt", "clans_one_chief_null_rt",
                                         "clans_two_chiefs_null_rt"};

static unsigned self_module(void)
{
    char name[32];
    for (unsigned i = 1; module_info(i, name, sizeof(name)) >= 0; i++)
        if (strcmp(name, "clanbench") == 0) return i;
    return 0;
}

/* A copy in `role`, suspended until started; its task (its first thread in *thread). */
static long spawn(unsigned role, word_t data, word_t quota, long *thread, bool start)
{
    long r = task_spawn(self_module(), PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
    if (r < 0) return r;
    if (quota) task_quota(SPAWN_TASK(r), QUOTA_TASKS, quota);
    *thread = SPAWN_THREAD(r);
    if (start) task_start(SPAWN_TASK(r), ARG(role, data));
    return SPAWN_TASK(r);
}

static void wait_task(long t)
{
    struct task_exit e;
    task_wait(t, &e);
}

static long server(void)
{
    word_t tag, label;
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    while (r == 0 && MSGTAG_LABEL(tag) != 2)
        r = ipc_reply_wait(MSGTAG(1, 0, 0, 0), TIMEOUT_NEVER, &tag, &label);
    if (r == 0) ipc_reply(0);
    return 0;
}

static long client(word_t data)
{
    word_t srv = data & 0xffffffffUL, tag;
    unsigned which = (unsigned)(data >> 32);
    long r = 0;
    for (int i = 0; i < WARMUP && r == 0; i++)
        r = ipc_call(srv, MSGTAG(1, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, 0);
    unsigned long best = ~0UL;
    for (int b = 0; b < BATCHES && r == 0; b++) {
        unsigned long t0 = rdtsc();
        for (int i = 0; i < PER_BATCH && r == 0; i++)
            r = ipc_call(srv, MSGTAG(1, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, 0);
        unsigned long d = rdtsc() - t0;
        if (d < best) best = d;
    }
    if (r < 0)
        printf("clanbench: %s: %s\n", case_names[which], status_text(r));
    else
        printf("bench,%s,%lu\n", case_names[which], best / PER_BATCH);
    ipc_call(srv, MSGTAG(2, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, 0, 0);
    return 0;
}

static struct chief_table table = {.who = "bench", .quiet = true, .ready = true};
static char chief_stack[16384] __attribute__((aligned(16)));

/* The chief thread with one rule, src -> dst (0: any); E_NOTSUP where nothing is redirected. */
static void chief_start(word_t src, word_t dst)
{
    table.rules[0] = (struct chief_rule){src, dst};
    table.nrules = 1;
    long th =
        thread_start(chief_serve, (word_t)&table, chief_stack, sizeof(chief_stack), PRIO_DEFAULT);
    if (th > 0) endpoint_bind(ENDPOINT_REDIRECTS, (word_t)th);
}

/* A chief whose clan is one client of `srv` (case `which`). */
static long chief_with_client(word_t data)
{
    long c_thread;
    long c = spawn(3, data, 0, &c_thread, false);
    if (c < 0) return c;
    chief_start((word_t)c_thread, data & 0xffffffffUL);
    task_start(c, ARG(3, data));
    wait_task(c);
    return 0;
}

/* A chief whose clan is one server; tells its creator the server's name, then waits for it. */
static long chief_with_server(word_t top)
{
    long s_thread;
    long s = spawn(1, 0, 0, &s_thread, false);
    if (s < 0) return s;
    chief_start(0, (word_t)s_thread);
    task_start(s, ARG(1, 0));
    utcb()->mr[0] = (word_t)s_thread;
    ipc_send(top, MSGTAG(0, 1, 0, 0), TIMEOUT_NEVER);
    wait_task(s);
    return 0;
}

static long top(void)
{
    long srv_thread, c_thread, t;
    /* inside a clan: server and client are both the top's children */
    long s = spawn(1, 0, 0, &srv_thread, true);
    t = spawn(3, (word_t)srv_thread | 0UL << 32, 0, &c_thread, true);
    wait_task(t);
    wait_task(s);
    /* one chief: the client in C1's clan, the server beside C1 */
    s = spawn(1, 0, 0, &srv_thread, true);
    t = spawn(2, (word_t)srv_thread | 1UL << 32, 1, &c_thread, true);
    wait_task(t);
    wait_task(s);
    /* two chiefs: the server in C2's clan, the client in C3's */
    long c2 = spawn(4, self_thread(), 1, &c_thread, true);
    word_t tag;
    long r = ipc_recv((word_t)c_thread, TIMEOUT_NEVER, &tag, 0);
    if (r < 0) return report_error("clanbench: the server's name", r);
    t = spawn(2, utcb()->mr[0] | 2UL << 32, 1, &c_thread, true);
    wait_task(t);
    wait_task(c2);
    return 0;
}

int main(word_t arg)
{
    struct backend_desc be;
    if (ROLE(arg) == 0 && (kinfo(KINFO_POLICY, &be) < 0 || be.names != BACKEND_NAMES_GLOBAL)) {
        for (unsigned i = 0; i < 3; i++) /* thread ids as names: global-name backends only */
            printf("bench,%s,-\n", case_names[i]);
        return 0;
    }
    switch (ROLE(arg)) {
    case 0:
        return (int)top();
    case 1:
        return (int)server();
    case 2:
        return (int)chief_with_client(DATA(arg));
    case 3:
        return (int)client(DATA(arg));
    case 4:
        return (int)chief_with_server(DATA(arg));
    }
    return 1;
}
