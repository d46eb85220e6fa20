/* SPDX-License-Identifier: MIT */
/* The root task: starts every other boot module, waits for each, reports, powers off. */
#include "ulib.h"

#define MAX_CHILDREN 24
#define ROOT_CHILD_TASKS 16

static void describe_end(const char *name, const struct task_exit *e)
{
    if (e->how == TASK_END_EXIT)
        printf("[root] '%s' exited with code %lu\n", name, e->code);
    else
        printf("[root] '%s' was killed (vector %lu, address 0x%lx, ip 0x%lx)\n", name, e->code,
               e->addr, e->ip);
}

/* Shows a hardware interrupt arriving through a notification: the timer, three times. */
static void check_timer_irq(void)
{
    long n = notify_create(0x71);
    if (n < 0 || notify_bind(n) < 0 || irq_attach(0, n) < 0) {
        printf("[root] cannot attach the timer interrupt: %s\n", status_text(n < 0 ? n : -E_INVAL));
        return;
    }
    int got = 0;
    word_t tag, label, bits = 0;
    while (got < 3 && ipc_wait(100000, &tag, &label) == 0) {
        if (MSGTAG_FLAGS(tag) & MSGTAG_F_NOTIFY) {
            bits |= utcb()->mr[0];
            got++;
        }
    }
    irq_attach(0, 0);
    printf("[root] timer interrupt delivered through notification %ld: %d times, bits 0x%lx, label "
           "0x%lx\n",
           n, got, bits, label);
}

int main(void)
{
    char names[MAX_CHILDREN][32];
    long ids[MAX_CHILDREN];
    struct kinfo_memory mem_before, mem_after;
    check_timer_irq();
    long pager = default_pager_start();
    if (pager < 0) printf("[root] no default pager: %s\n", status_text(pager));
    kinfo(KINFO_MEMORY, &mem_before); /* from here on, every frame must come back */

    int n = 0;
    word_t last_thread = 0;
    for (unsigned i = 1; n < MAX_CHILDREN; i++) {
        long size = module_info(i, names[n], sizeof(names[n]));
        if (size == -E_NOENT) break;
        if (size < 0) {
            report_error("[root] module_info", size);
            break;
        }
        /* Each child gets a name through which it can send to the previous child's first
         * thread (a server, say): under `none` that thread's id, under `capgate` a capability
         * to a gate bound to it. Set up while the child is suspended, then started with it. */
        /* Boot modules are the system's trusted programs (tests among them): every priority. */
        long r = task_spawn(i, PRIO_DEFAULT | SPAWN_SUSPENDED | SPAWN_MCP(PRIO_MAX), 0);
        if (r < 0) {
            printf("[root] cannot start '%s': %s\n", names[n], status_text(r));
            continue;
        }
        ids[n] = SPAWN_TASK(r);
        /* Creating tasks needs authority its creator gives: the root lets each boot module
         * create 16 (their threads, mappings and notifications keep the defaults). */
        long q = task_quota(ids[n], QUOTA_TASKS, ROOT_CHILD_TASKS);
        if (q < 0) printf("[root] cannot give '%s' a task quota: %s\n", names[n], status_text(q));
        word_t arg = 0;
        if (last_thread != 0) {
            long ep = endpoint_create(last_thread, 0x1000 + (word_t)n);
            long given = ep < 0 ? ep : name_give(ids[n], (word_t)ep, NAME_FULL);
            if (given < 0)
                printf("[root] cannot hand '%s' a name: %s\n", names[n], status_text(given));
            else
                arg = (word_t)given;
        }
        last_thread = SPAWN_THREAD(r);
        if (pager > 0) { /* the root is every child's default pager (and permissive monitor) */
            long p = name_give(ids[n], (word_t)pager, NAME_SEND);
            if (p > 0) set_handlers_monitor(ids[n], (word_t)p, 0, (word_t)p);
        }
        task_start(ids[n], arg);
        printf("[root] started '%s'\n", names[n]);
        n++;
    }

    int failed = 0;
    for (int i = 0; i < n; i++) {
        struct task_exit e;
        long r = task_wait(ids[i], &e);
        if (r < 0) {
            printf("[root] waiting for '%s': %s\n", names[i], status_text(r));
            failed++;
            continue;
        }
        describe_end(names[i], &e);
    }

    struct kinfo_pools pools;
    kinfo(KINFO_POOLS, &pools);
    kinfo(KINFO_MEMORY, &mem_after);
    printf("[root] all %d tasks finished; pools: tasks %lu/%lu (peak %lu), threads %lu/%lu "
           "(peak %lu); frames free %lu (before %lu)\n",
           n, pools.tasks.used, pools.tasks.capacity, pools.tasks.peak, pools.threads.used,
           pools.threads.capacity, pools.threads.peak, mem_after.frames_free,
           mem_before.frames_free);
    if (pools.tasks.used != 1 || pools.threads.used != 2 ||
        mem_after.frames_free != mem_before.frames_free)
        printf("[root] LEAK: kernel objects or frames were not returned\n");
    shutdown(failed ? 1 : 0);
    return 1;
}
