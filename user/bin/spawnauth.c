/* SPDX-License-Identifier: MIT */
/*
 * Creating tasks needs authority: a task may spawn only within the task quota its creator gave
 * it, 0 by default (any task used to be able to spawn any boot module). main(0) is the parent
 * the root gave a quota; main(1) a child given nothing; main(2) a child given exactly one.
 */
#include "ulib.h"

static unsigned self_module(void)
{
    char name[32];
    for (unsigned i = 1; module_info(i, name, sizeof(name)) >= 0; i++)
        if (strcmp(name, "spawnauth") == 0) return i;
    return 0;
}

static long run_child(unsigned mod, word_t how, word_t quota)
{
    long r = task_spawn(mod, PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
    if (r < 0) return r;
    long t = SPAWN_TASK(r);
    if (quota) task_quota(t, QUOTA_TASKS, quota);
    task_start(t, how);
    struct task_exit e;
    task_wait(t, &e);
    return (long)e.code;
}

int main(word_t how)
{
    unsigned mod = self_module();
    if (how == 1) {
        printf("spawnauth: a child without a task quota spawns: %s\n",
               status_text(task_spawn(mod, PRIO_DEFAULT, 3)));
        return 0;
    }
    if (how == 2) {
        long a = task_spawn(mod, PRIO_DEFAULT, 3), b = task_spawn(mod, PRIO_DEFAULT, 3);
        printf("spawnauth: a child with a quota of 1 spawns: %s, then %s\n",
               status_text(a < 0 ? a : 0), status_text(b < 0 ? b : 0));
        struct task_exit e;
        if (a > 0) task_wait(SPAWN_TASK(a), &e);
        return 0;
    }
    if (how == 3) return 0;
    run_child(mod, 1, 0);
    run_child(mod, 2, 1);
    long r = task_spawn(mod, PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
    long big = task_quota(SPAWN_TASK(r), QUOTA_TASKS, 1000);
    printf("spawnauth: giving a child more than it has itself: %s\n", status_text(big));
    task_kill(SPAWN_TASK(r), 0);
    struct task_exit e;
    task_wait(SPAWN_TASK(r), &e);
    return 0;
}
