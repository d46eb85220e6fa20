/* SPDX-License-Identifier: MIT */
/* System calls whose meaning the backend defines: endpoints and names; and task_start. */
#include "arch.h"
#include "policy.h"
#include "sched.h"
#include "syscall.h"
#include "trace.h"

/* A policy call's result as the trace's status: OK for a name or success, else the error. */
static enum status result_status(long r)
{
    return r < 0 ? (enum status) - r : OK;
}

/* The one place a task name is resolved (every system call that names a task goes here). */
struct task *task_named(struct thread *cur, word_t name)
{
    return policy_task_lookup(cur, name);
}

long sys_endpoint_create(word_t thread_name, word_t label, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    long r = policy_endpoint_create(current, thread_name, label);
    trace_auth(TRACE_OP_NAME_CREATE, current, current->task, NULL, r < 0 ? thread_name : (word_t)r,
               label, result_status(r));
    return r;
}

long sys_name_give(word_t task, word_t name, word_t rights, word_t a3, word_t a4)
{
    (void)a3, (void)a4;
    struct task *t = task_named(current, task);
    if (t == NULL || t->state != TASK_ALIVE) return -E_NOENT;
    /* Only into the caller's own children (set-up by the creator) or itself. */
    if (t->parent != current->task && t != current->task) return -E_CHILD;
    if (rights == 0 || (rights & ~(word_t)NAME_ALL)) return -E_INVAL;
    long r = policy_name_give(current, t, name, (unsigned)rights);
    trace_auth(TRACE_OP_NAME_GIVE, current, t, NULL, name, rights, result_status(r));
    return r;
}

long sys_name_drop(word_t name, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    long r = policy_name_drop(current, name);
    trace_auth(TRACE_OP_NAME_DROP, current, current->task, NULL, name, 0, result_status(r));
    return r;
}

long sys_endpoint_bind(word_t endpoint, word_t thread_name, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    long r = policy_endpoint_bind(current, endpoint, thread_name);
    trace_auth(TRACE_OP_BIND, current, current->task, NULL, endpoint, thread_name,
               result_status(r));
    return r;
}

long sys_task_start(word_t task, word_t arg, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    struct task *t = task_named(current, task);
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
