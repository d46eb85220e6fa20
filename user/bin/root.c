/* SPDX-License-Identifier: MIT */
/* The root task: starts every other boot module, waits for each, reports, powers off. */
#include "ulib.h"

#define MAX_CHILDREN 24

static void describe_end(const char *name, long id, const struct task_exit *e)
{
    if (e->how == TASK_END_EXIT)
        printf("[root] task %ld '%s' exited with code %lu\n", id, name, e->code);
    else
        printf("[root] task %ld '%s' was killed (vector %lu, address 0x%lx, ip 0x%lx)\n", id,
               name, e->code, e->addr, e->ip);
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
    printf("[root] timer interrupt delivered through notification %ld: %d times, bits 0x%lx, label 0x%lx\n",
           n, got, bits, label);
}

int main(void)
{
    char names[MAX_CHILDREN][32];
    long ids[MAX_CHILDREN];
    struct kinfo_memory mem_before, mem_after;
    kinfo(KINFO_MEMORY, &mem_before);
    check_timer_irq();

    int n = 0;
    word_t last_thread = 0;
    for (unsigned i = 1; n < MAX_CHILDREN; i++) {
        long size = module_info(i, names[n], sizeof(names[n]));
        if (size == -E_NOENT) break;
        if (size < 0) {
            report_error("[root] module_info", size);
            break;
        }
        /* Each child gets the previous child's first thread id: a server's name under `none`. */
        long r = task_spawn(i, PRIO_DEFAULT, last_thread);
        if (r < 0) {
            printf("[root] cannot start '%s': %s\n", names[n], status_text(r));
            continue;
        }
        ids[n] = SPAWN_TASK(r);
        last_thread = SPAWN_THREAD(r);
        printf("[root] started '%s' as task %ld (thread %lu)\n", names[n], ids[n], last_thread);
        n++;
    }

    int failed = 0;
    for (int i = 0; i < n; i++) {
        struct task_exit e;
        long r = task_wait(ids[i], &e);
        if (r < 0) {
            printf("[root] waiting for task %ld: %s\n", ids[i], status_text(r));
            failed++;
            continue;
        }
        describe_end(names[i], ids[i], &e);
    }

    struct kinfo_pools pools;
    kinfo(KINFO_POOLS, &pools);
    kinfo(KINFO_MEMORY, &mem_after);
    printf("[root] all %d tasks finished; pools: tasks %lu/%lu (peak %lu), threads %lu/%lu "
           "(peak %lu); frames free %lu (before %lu)\n",
           n, pools.tasks.used, pools.tasks.capacity, pools.tasks.peak, pools.threads.used,
           pools.threads.capacity, pools.threads.peak, mem_after.frames_free,
           mem_before.frames_free);
    if (pools.tasks.used != 1 || pools.threads.used != 1 ||
        mem_after.frames_free != mem_before.frames_free)
        printf("[root] LEAK: kernel objects or frames were not returned\n");
    shutdown(failed ? 1 : 0);
    return 1;
}
