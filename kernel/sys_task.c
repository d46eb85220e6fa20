/* SPDX-License-Identifier: MIT */
/* System calls on tasks and threads: spawn, wait, exit, create, yield, self, shutdown, and
 * ipc_route (which thread a send reaches first: a thread's name). */
#include "abi/backend.h"
#include "abi/layout.h"
#include "arch.h"
#include "ipc.h"
#include "boot.h"
#include "sched.h"
#include "policy.h"
#include "syscall.h"
#include "trace.h"

/* The names the caller gets for a thread, and for a task with one of its threads: the one
 * place the backend is asked (task name << 32 | thread name). */
static word_t thread_name(struct thread *t)
{
    return policy_name_of_thread(current->task, t);
}

static long names_of(struct task *t, struct thread *th)
{
    return (long)(policy_name_of_task(current->task, t) << 32 | thread_name(th));
}

long sys_task_spawn(word_t module, word_t prio, word_t arg, word_t a3, word_t a4)
{
    (void)a3, (void)a4;
    if (module >= boot_info.nmods) return -E_NOENT;
    if (prio & ~(word_t)SPAWN_FLAGS_MASK) return -E_INVAL;
    bool start = !(prio & SPAWN_SUSPENDED);
    word_t mcp = SPAWN_MCP_OF(prio);
    prio &= 0xffu;
    if (prio < 1 || prio > PRIO_MAX) return -E_RANGE;
    if (mcp == 0) mcp = prio;
    if (mcp < prio || mcp > PRIO_MAX) return -E_RANGE;
    /* Priority is authority over the CPU: nobody hands out more than it holds. */
    if (mcp > current->task->mcp) return -E_PERM;
    const struct boot_module *m = &boot_info.mods[module];
    struct task *t;
    enum status s = task_create_from_elf(m->name, arch_phys_to_virt(m->base), m->size,
                                         (uint8_t)prio, arg, start, current->task, &t);
    if (s != OK) return -(long)s;
    t->mcp = (uint8_t)mcp;
    /* A new task starts with its creator's reference monitor (a global name means the same
     * there); the creator may set another with set_handlers. */
    static const struct backend_desc backend = POLICY_DESCRIPTOR;
    if (backend.names == BACKEND_NAMES_GLOBAL) t->threads->monitor = current->monitor;
    return names_of(t, t->threads);
}

long sys_task_wait(word_t id, word_t out, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    struct task *t = task_named(current, id);
    if (t == NULL) return -E_NOENT;
    if (t->parent != current->task) return -E_CHILD;
    struct task_exit probe = {0};
    /* Check the result buffer before blocking, so a bad pointer fails without waiting. */
    if (vspace_copy_out(&current->task->vs, out, &probe, sizeof(probe)) != OK) return -E_FAULT;
    if (t->state == TASK_ALIVE) {
        sched_block_on(&t->exit_waiters);
    } else {
        current->wait_exit = t->exit;
        task_free_zombie(t);
    }
    if (vspace_copy_out(&current->task->vs, out, &current->wait_exit, sizeof(probe)) != OK)
        return -E_FAULT;
    return OK;
}

long sys_thread_exit(word_t code, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    thread_exit_current(code);
}

long sys_thread_create(word_t ip, word_t sp, word_t prio, word_t a3, word_t a4)
{
    (void)a3, (void)a4;
    if (!vm_user_range_ok(ip, 1) || !vm_user_range_ok(sp - 8, 8) || (sp & 7)) return -E_INVAL;
    if (prio < 1 || prio > PRIO_MAX) return -E_RANGE;
    if (prio > current->task->mcp) return -E_PERM;
    struct thread *t;
    enum status s = thread_create(current->task, ip, sp, 0, (uint8_t)prio, true, &t);
    if (s != OK) return -(long)s;
    t->pager = current->pager; /* threads of a task share its fault handlers */
    t->exc_handler = current->exc_handler;
    t->monitor = current->monitor;
    return (long)thread_name(t);
}

/* (dest) -> the thread a send to dest reaches first (ipc_route_query), as the caller names it. */
long sys_ipc_route(word_t dest, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    struct thread *to = NULL;
    long r = ipc_route_query(current, dest, &to);
    return r < 0 ? r : (long)thread_name(to);
}

long sys_yield(word_t a0, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a0, (void)a1, (void)a2, (void)a3, (void)a4;
    sched_yield();
    return OK;
}

long sys_self(word_t a0, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a0, (void)a1, (void)a2, (void)a3, (void)a4;
    return names_of(current->task, current);
}

long sys_shutdown(word_t code, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    if (!current->task->is_root) return -E_PERM;
    if (code > 0x7e) return -E_RANGE;
    kprintf("[kernel] shutdown by the root task, status %lu\n", code);
    trace_dump();
    arch_poweroff((int)code);
}

long sys_set_handlers(word_t task, word_t pager, word_t exc, word_t monitor, word_t a4)
{
    (void)a4;
    struct task *t = task_named(current, task);
    if (t == NULL || t->state != TASK_ALIVE) return -E_NOENT;
    /* The creator decides, or the task itself: handlers only ever act on the faulting task.
     * The reference monitor, which decides for the task, only its creator sets: a task that
     * sets its own handlers keeps its monitor. */
    bool own = t == current->task;
    if (t->parent != current->task && !own) return -E_CHILD;
    for (struct thread *th = t->threads; th; th = th->task_next) {
        th->pager = pager;
        th->exc_handler = exc;
        if (!own) th->monitor = monitor;
    }
    return OK;
}

long sys_task_exit(word_t code, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    task_end(current->task, TASK_END_EXIT, code, 0, 0);
    panic("task_exit returned");
}

/* The creator ends a child in whatever state it is (running, blocked in IPC or in a fault):
 * its threads leave every queue, its partners learn E_CANCELLED, everything it held goes. */
long sys_task_kill(word_t task, word_t code, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    struct task *t = task_named(current, task);
    if (t == NULL) return -E_NOENT;
    if (t->parent != current->task) return -E_CHILD;
    if (t->state != TASK_ALIVE) return -E_BUSY; /* already ended: task_wait reaps it */
    task_end(t, TASK_END_TERMINATED, code, 0, 0);
    return OK;
}

long sys_task_quota(word_t task, word_t resource, word_t limit, word_t a3, word_t a4)
{
    (void)a3, (void)a4;
    struct task *t = task_named(current, task);
    if (t == NULL || t->state != TASK_ALIVE) return -E_NOENT;
    if (t->parent != current->task) return -E_CHILD;
    if (resource >= QUOTA_COUNT || limit > 0xffffffffUL) return -E_INVAL;
    enum status s = quota_set(current->task, t, (enum quota_resource)resource, (uint32_t)limit);
    return s == OK ? OK : -(long)s;
}
