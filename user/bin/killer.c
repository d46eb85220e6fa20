/* SPDX-License-Identifier: MIT */
/*
 * Kills its children wherever they are: spinning, blocked in an open wait, blocked in a fault
 * its handler never answers. Each must end as TASK_END_TERMINATED with the given code, its
 * partner learns nothing is there any more, and every object and frame comes back.
 */
#include "ulib.h"

static char stack[4096] __attribute__((aligned(16)));

/* Takes faults and never answers them. */
static long sink(word_t arg)
{
    (void)arg;
    for (;;)
        ipc_wait(TIMEOUT_NEVER, 0, 0);
    return 0;
}

static unsigned module(const char *want)
{
    char name[32];
    for (unsigned i = 1; module_info(i, name, sizeof(name)) >= 0; i++)
        if (strcmp(name, want) == 0) return i;
    return 0;
}

int main(void)
{
    static const char *const what[] = {"", "spinning", "in an open wait", "in a fault"};
    unsigned mod = module("killee");
    long st = thread_start(sink, 0, stack, sizeof(stack), PRIO_DEFAULT);
    long ep = endpoint_create((word_t)st, 0x42);
    sleep_us(2000); /* the root's own copy of killee (a boot module) has ended */
    struct kinfo_pools before, after;
    struct kinfo_memory mem_before, mem_after;
    kinfo(KINFO_POOLS, &before);
    kinfo(KINFO_MEMORY, &mem_before);
    int ok = 0;
    for (word_t how = 1; how <= 3; how++) {
        long r = task_spawn(mod, 1 | SPAWN_SUSPENDED, 0); /* below us: runs while we sleep */
        long t = SPAWN_TASK(r);
        long pager = name_give(t, (word_t)ep, NAME_SEND);
        set_handlers(t, (word_t)pager, 0);
        task_start(t, how);
        sleep_us(2000);
        long k = task_kill(t, 40 + how);
        struct task_exit e;
        long w = task_wait(t, &e);
        bool good = k == 0 && w == 0 && e.how == TASK_END_TERMINATED && e.code == 40 + how;
        ok += good;
        printf("killer: child %s: kill %s, ended how %lu code %lu\n", what[how], status_text(k),
               e.how, e.code);
    }
    kinfo(KINFO_POOLS, &after);
    kinfo(KINFO_MEMORY, &mem_after);
    bool same = before.tasks.used == after.tasks.used &&
                before.threads.used == after.threads.used &&
                before.mapdb_nodes.used == after.mapdb_nodes.used &&
                before.notifications.used == after.notifications.used &&
                mem_before.frames_free == mem_after.frames_free;
    printf("killer: %d of 3 killed; tasks, threads, mapping nodes, notifications, frames: %s\n", ok,
           same ? "all back" : "LEAK");
    if (!same)
        printf("killer: tasks %lu/%lu threads %lu/%lu nodes %lu/%lu notifications %lu/%lu frames "
               "%lu/%lu\n",
               before.tasks.used, after.tasks.used, before.threads.used, after.threads.used,
               before.mapdb_nodes.used, after.mapdb_nodes.used, before.notifications.used,
               after.notifications.used, mem_before.frames_free, mem_after.frames_free);
    printf("killer: kill of a task that is not its child: %s\n",
           status_text(task_kill((long)self_task(), 1) == -E_CHILD ? -E_CHILD : -E_INVAL));
    for (word_t how = 4; how <= 5; how++) {
        long t = SPAWN_TASK(task_spawn(mod, PRIO_DEFAULT, how));
        struct task_exit e;
        task_wait(t, &e);
        printf("killer: reading 0x%lx killed it with vector %lu\n", e.addr, e.code);
    }
    return ok != 3;
}
