/* SPDX-License-Identifier: MIT */
/* Spawns children until the kernel says no (its task quota), then lets them all finish. */
#include "ulib.h"

#define MAX 80

int main(void)
{
    char name[32];
    unsigned child = 0;
    for (unsigned i = 1; module_info(i, name, sizeof(name)) >= 0; i++)
        if (strcmp(name, "child") == 0) child = i;
    if (child == 0) {
        printf("exhaust: no 'child' module\n");
        return 1;
    }
    long ids[MAX];
    int n = 0;
    long r = 0;
    while (n < MAX) {
        r = task_spawn(child, 1, 0); /* below us: they run once we wait */
        if (r < 0) break;
        ids[n++] = SPAWN_TASK(r);
    }
    printf("exhaust: spawned %d children, then: %s\n", n, status_text(r));
    struct kinfo_pools p;
    kinfo(KINFO_POOLS, &p);
    printf("exhaust: task pool used %lu of %lu, %lu failed allocations\n", p.tasks.used,
           p.tasks.capacity, p.tasks.failures);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        struct task_exit e;
        if (task_wait(ids[i], &e) < 0 || e.how != TASK_END_EXIT || e.code != 0) bad++;
    }
    printf("exhaust: all %d children finished, %d abnormally\n", n, bad);
    r = task_spawn(child, 1, 0);
    printf("exhaust: spawning again after they ended: %s\n", r > 0 ? "ok" : status_text(r));
    if (r > 0) {
        struct task_exit e;
        task_wait(SPAWN_TASK(r), &e);
    }
    return bad;
}
