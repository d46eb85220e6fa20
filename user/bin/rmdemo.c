/* SPDX-License-Identifier: MIT */
/*
 * A reference monitor at work (backend refmon), in one program run three ways. The first copy
 * (arg 0) is the monitor's owner: it starts a server copy R, reaches it once itself (its
 * first contact faults to the root's permissive monitor, which maps it R's right with "may map
 * on"), then starts a client copy Q whose reference monitor is its own thread M. M's policy:
 * Q's first send to R is granted (mapped from the owner's right); a send to M itself is Q's
 * request to give its right up (M unmaps R's right, recursively, and refuses); after that Q
 * is refused; M then exits, and Q's next send without a right fails at once (no monitor).
 */
#include "ulib.h"

#define ROLE_SERVER (1UL << 40)
#define ROLE_CLIENT (1UL << 41)
#define ID_MASK 0xffffffffUL

static unsigned char mon_stack[8192] __attribute__((aligned(16)));
static word_t server_id;
static volatile int monitor_gone;

static long own_module(void)
{
    char name[32];
    for (unsigned i = 1;; i++) {
        long r = module_info(i, name, sizeof(name));
        if (r < 0) return r;
        if (strcmp(name, "rmdemo") == 0) return i;
    }
}

/* M: answers Q's policy faults, then ends. */
static long monitor(word_t arg)
{
    (void)arg;
    word_t self = self_thread(), tag, label;
    bool revoked = false;
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    for (;;) {
        if (r < 0) {
            r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
            continue;
        }
        struct utcb *u = utcb();
        word_t dest = u->mr[1], reply = MSGTAG(IPC_LABEL_DENY, 0, 0, 0);
        if (MSGTAG_LABEL(tag) != IPC_LABEL_POLICY_FAULT) {
            printf("rmdemo monitor: not a policy fault: refused\n");
        } else if (dest == self) {
            long n = unmap(FPAGE(server_id << 12, 0, 0), UNMAP_KIND(FPAGE_KIND_BACKEND));
            printf("rmdemo monitor: the client gives its right up: %ld right(s) revoked\n", n);
            revoked = true;
        } else if (dest == server_id && !revoked) {
            printf("rmdemo monitor: first contact of the client with the server: granted\n");
            u->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
            u->mr[1] = FPAGE(dest << 12, 0, FPAGE_R);
            reply = MSGTAG(0, 0, 1, 0);
        } else {
            printf("rmdemo monitor: the client again, after revocation: refused; monitor ends\n");
            ipc_reply(reply);
            monitor_gone = 1;
            return 0;
        }
        r = ipc_reply_wait(reply, TIMEOUT_NEVER, &tag, &label);
    }
}

static int server(void) /* until its creator ends it */
{
    word_t tag, label;
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    for (;;)
        r = r < 0 ? ipc_wait(TIMEOUT_NEVER, &tag, &label)
                  : ipc_reply_wait(MSGTAG(2, 0, 0, 0), TIMEOUT_NEVER, &tag, &label);
    return 0;
}

static long call(word_t to)
{
    word_t tag;
    return ipc_call(to, MSGTAG(1, 0, 0, 0), 1000000, 1000000, &tag, NULL);
}

static int client(word_t server_thread, word_t monitor_thread)
{
    printf("rmdemo client: first contact: %s\n", status_text(call(server_thread)));
    printf("rmdemo client: again (cached right): %s\n", status_text(call(server_thread)));
    printf("rmdemo client: asking the monitor to revoke: %s\n", status_text(call(monitor_thread)));
    printf("rmdemo client: after revocation: %s\n", status_text(call(server_thread)));
    sleep_us(2000); /* the monitor has ended meanwhile */
    printf("rmdemo client: without a monitor: %s\n", status_text(call(server_thread)));
    return 0;
}

int main(word_t arg)
{
    if (arg & ROLE_SERVER) return server();
    if (arg & ROLE_CLIENT) return client(arg & ID_MASK, (arg >> 42) & 0x3fffff);
    long mod = own_module();
    long rs = mod < 0 ? mod : task_spawn((unsigned)mod, PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
    if (rs < 0 || task_start(SPAWN_TASK(rs), ROLE_SERVER) < 0) {
        printf("rmdemo: cannot start the server: %s\n", status_text(rs));
        return 1;
    }
    server_id = SPAWN_THREAD(rs);
    printf("rmdemo: the owner reaches the server itself: %s\n", status_text(call(server_id)));
    long m = thread_start(monitor, 0, mon_stack, sizeof(mon_stack), PRIO_DEFAULT + 1);
    long qs = task_spawn((unsigned)mod, PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
    if (m < 0 || qs < 0) {
        printf("rmdemo: cannot start the monitor or the client\n");
        return 1;
    }
    long s = set_handlers_monitor(SPAWN_TASK(qs), 0, 0, (word_t)m);
    if (s >= 0) s = task_start(SPAWN_TASK(qs), ROLE_CLIENT | server_id | (word_t)m << 42);
    if (s < 0) {
        printf("rmdemo: cannot start the client: %s\n", status_text(s));
        return 1;
    }
    struct task_exit e;
    task_wait(SPAWN_TASK(qs), &e);
    printf("rmdemo: the client ended with %lu; the owner still reaches the server: %s\n", e.code,
           status_text(call(server_id)));
    task_kill(SPAWN_TASK(rs), 0);
    task_wait(SPAWN_TASK(rs), &e);
    return monitor_gone ? 0 : 1;
}
