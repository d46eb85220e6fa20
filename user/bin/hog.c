/* SPDX-License-Identifier: MIT */
/*
 * A resource hog: spawns copies of itself and creates threads and notifications until the
 * kernel says no. Its quota covers everything it creates, so it stops at its own limits while
 * the global pools still have room for others (the `frugal`); then it kills its copies.
 * main(0) is the hog; main(1) a copy, which grabs threads and then waits to be killed.
 */
#include "ulib.h"

#define MAX_COPIES 64
#define STACK 1024

static char stacks[64][STACK] __attribute__((aligned(16)));

static long idle_thread(word_t arg)
{
    (void)arg;
    for (;;)
        ipc_wait(TIMEOUT_NEVER, 0, 0);
    return 0;
}

/* Threads until refused; returns the refusal. */
static long grab_threads(int *made)
{
    long r = 0;
    for (*made = 0; *made < 64; (*made)++) {
        r = thread_start(idle_thread, 0, stacks[*made], STACK, PRIO_DEFAULT);
        if (r < 0) break;
    }
    return r;
}

int main(word_t arg)
{
    int made;
    if (arg == 1) {
        grab_threads(&made);
        idle_thread(0);
    }
    char name[32];
    unsigned self_mod = 0;
    for (unsigned i = 1; module_info(i, name, sizeof(name)) >= 0; i++)
        if (strcmp(name, "hog") == 0) self_mod = i;
    long copies[MAX_COPIES];
    int n = 0;
    long r = 0;
    while (n < MAX_COPIES && (r = task_spawn(self_mod, PRIO_DEFAULT, 1)) > 0)
        copies[n++] = SPAWN_TASK(r);
    printf("hog: spawned %d copies, then: %s\n", n, status_text(r));
    r = grab_threads(&made);
    sleep_us(1000); /* the copies take what is left */
    struct kinfo_quota q;
    kinfo(KINFO_QUOTA, &q);
    printf("hog: its tree holds %lu threads, limit %lu; one more: %s\n", q.used[QUOTA_THREADS],
           q.limit[QUOTA_THREADS], status_text(r));
    int notes = 0;
    while ((r = notify_create(0x10)) > 0)
        notes++;
    printf("hog: created %d notifications, then: %s\n", notes, status_text(r));
    sleep_us(50000); /* the frugal works now */
    int killed = 0;
    for (int i = 0; i < n; i++) {
        struct task_exit e;
        if (task_kill(copies[i], 7) == 0 && task_wait(copies[i], &e) == 0 &&
            e.how == TASK_END_TERMINATED && e.code == 7)
            killed++;
    }
    if (killed == n && n > 0)
        printf("hog: killed every copy; each ended as its creator said\n");
    else
        printf("hog: FAIL killed %d of %d copies\n", killed, n);
    return 0;
}
