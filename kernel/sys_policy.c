/* SPDX-License-Identifier: MIT */
/* System calls whose meaning the backend defines: endpoints and names; and task_start. */
#include "arch.h"
#include "policy.h"
#include "sched.h"
#include "syscall.h"

long sys_endpoint_create(word_t thread_name, word_t label, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    return policy_endpoint_create(current, thread_name, label);
}

long sys_name_give(word_t task, word_t name, word_t rights, word_t a3, word_t a4)
{
    (void)a3, (void)a4;
    struct task *t = policy_task_lookup(current, task);
    if (t == NULL || t->state != TASK_ALIVE) return -E_NOENT;
    /* Only into the caller's own children (set-up by the creator) or itself. */
    if (t->parent != current->task && t != current->task) return -E_CHILD;
    if (rights == 0 || (rights & ~(word_t)NAME_FULL)) return -E_INVAL;
    return policy_name_give(current, t, name, (unsigned)rights);
}

long sys_name_drop(word_t name, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    return policy_name_drop(current, name);
}

long sys_endpoint_bind(word_t endpoint, word_t thread_name, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    return policy_endpoint_bind(current, endpoint, thread_name);
}

long sys_task_start(word_t task, word_t arg, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    struct task *t = policy_task_lookup(current, task);
    if (t == NULL || t->state != TASK_ALIVE) return -E_NOENT;
    if (t->parent != current->task) return -E_CHILD;
    if (t->started) return -E_BUSY;
    t->started = true;
    if (t->threads) FRAME_ARG0(arch_thread_frame(t->threads)) = arg; /* main(arg) */
    for (struct thread *th = t->threads; th; th = th->task_next)
        if (th->state == THREAD_BLOCKED && th->ipc_wait == IPC_IDLE && th->wq == NULL)
            sched_ready(th);
    return OK;
}
