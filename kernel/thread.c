/* SPDX-License-Identifier: MIT */
/* Task and thread objects: creation from ELF images, ids, teardown, reaping. */
#include "thread.h"
#include "abi/layout.h"
#include "arch.h"
#include "elf.h"
#include "ipc.h"
#include "ipc_queue.h"
#include "notify.h"
#include "policy.h"
#include "lib/mem.h"
#include "pool.h"
#include "quota.h"
#include "sched.h"
#include "trace.h"

/*
 * Lifetimes (who holds a reference, what happens to each user when the object dies):
 *
 * Thread: held by its task's thread list, the run queue or one wait queue, partners' reply_to
 *   and ipc_from, the timeout list, a notification's `bound`, a gate's `bound` (capgate), and
 *   capabilities naming it. thread_kill removes it from all of them: blocked senders to it and
 *   callers waiting for its reply get E_CANCELLED (ipc_cancel_partner), reply capabilities to
 *   it vanish, bindings are dropped (senders to its gates park again), its UTCB frame is freed
 *   last. The slot is freed at once, or after the switch away if it was running (thread_reap),
 *   and its id is never reused (pool.h).
 * UTCB: a frame pinned into the task for exactly the thread's life (vspace_alloc_pinned); no
 *   user operation can unmap, grant or map over it, so t->utcb is valid until thread_kill.
 * Task: held by its creator (task_wait, task_kill, names for it), the quota tree, and its
 *   threads. task_end kills every thread, revokes everything it holds (memory and backend
 *   names, recursively, in every space they reached), ends children it never started, and
 *   orphans the others; it stays a zombie (its root table, its exit record) until its creator
 *   reaps it, or is freed at once if nobody will. Its quota children move up when it is freed.
 */
POOL_DEFINE(task_pool, struct task, MAX_TASKS);
struct thread thread_slots[MAX_THREADS];
POOL_DEFINE_OVER(thread_pool, struct thread, MAX_THREADS, thread_slots);

/* One kernel stack per thread slot, so a thread never allocates on the IPC path. */
static uint8_t kstacks[MAX_THREADS][KSTACK_SIZE] __attribute__((aligned(4096)));
static uint32_t task_gen[MAX_TASKS], thread_gen[MAX_THREADS]; /* pool.h: ids never repeat */

void objects_init(void)
{
    pool_init(&task_pool);
    pool_init(&thread_pool);
}

/*
 * A thread's UTCB is a frame pinned into its task (vspace_alloc_pinned): mapped for the user,
 * but with no mapping-database record, so no unmap, map or grant can reach it, and only the
 * thread's death frees it. That is what lets the kernel keep a direct-map pointer (t->utcb)
 * and write message registers through it for the thread's whole life.
 */
enum status thread_create(struct task *task, vaddr_t ip, vaddr_t sp, word_t arg, uint8_t prio,
                          bool start, struct thread **out)
{
    if (task->utcb_slots == ~0ull) return E_QUOTA; /* MAX_THREADS_PER_TASK */
    enum status s = quota_charge(task, QUOTA_THREADS);
    if (s != OK) return s;
    unsigned us = (unsigned)__builtin_ctzll(~task->utcb_slots);
    vaddr_t uva = UTCB_AREA + us * PAGE_SIZE;
    paddr_t upa;
    struct thread *t = pool_alloc(&thread_pool);
    s = t ? vspace_alloc_pinned(&task->vs, uva, &upa) : E_NOMEM;
    if (s != OK) {
        if (t) kassert(pool_free(&thread_pool, t) == OK);
        quota_release(task, QUOTA_THREADS);
        return s;
    }
    task->utcb_slots |= 1ull << us;
    t->utcb_slot = us;
    t->utcb_uva = uva;
    t->utcb = arch_phys_to_virt(upa);
    t->utcb->self = uva;
    uint32_t slot = pool_index(&thread_pool, t);
    t->id = pool_new_id(&thread_pool, thread_gen, t);
    t->task = task;
    t->prio = prio;
    t->kstack_top = (uintptr_t)&kstacks[slot][KSTACK_SIZE];
    arch_thread_setup(t, ip, sp, arg);
    t->task_next = task->threads;
    task->threads = t;
    task->nthreads++;
    if (start)
        sched_ready(t);
    else
        t->state = THREAD_BLOCKED; /* until task_start */
    trace_auth(TRACE_OP_THREAD_CREATE, current, task, t, t->id, ip, OK);
    *out = t;
    return OK;
}

/* Everything the task holds through the backend goes (the one place it is asked). */
static void task_release_names(struct task *t)
{
    policy_task_destroy(t);
}

static enum status load_image(struct task *t, const void *image, size_t len, vaddr_t *entry)
{
    struct elf_image elf;
    enum status s = elf_parse(image, len, &elf);
    if (s != OK) return s;
    for (unsigned i = 0; i < elf.nsegs; i++) {
        const struct elf_segment *seg = &elf.segs[i];
        s = vspace_alloc(&t->vs, seg->vaddr, seg->memsz / PAGE_SIZE, seg->rights);
        if (s != OK) return s;
        s = vspace_fill(&t->vs, seg->copy_at, (const uint8_t *)image + seg->offset, seg->filesz);
        if (s != OK) return s;
    }
    s = vspace_alloc(&t->vs, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE, USER_STACK_PAGES,
                     VM_R | VM_W);
    *entry = elf.entry;
    return s;
}

enum status task_create_from_elf(const char *name, const void *image, size_t len, uint8_t prio,
                                 word_t arg, bool start, struct task *parent, struct task **out)
{
    if (parent) {
        enum status q = quota_charge(parent, QUOTA_TASKS);
        if (q != OK) return q;
    }
    struct task *t = pool_alloc(&task_pool);
    if (t == NULL) {
        if (parent) quota_release(parent, QUOTA_TASKS);
        return E_NOMEM;
    }
    quota_init(t, parent);
    t->id = pool_new_id(&task_pool, task_gen, t);
    t->state = TASK_ALIVE;
    t->parent = parent;
    t->mcp = prio; /* a creator may raise it up to its own (sys_task_spawn) */
    strlcpy(t->name, name, sizeof(t->name));
    vaddr_t entry = 0;
    t->started = start;
    enum status s = vspace_create(&t->vs);
    bool policy_ok = false;
    if (s == OK) s = policy_task_init(t, parent);
    policy_ok = s == OK;
    if (s == OK) s = load_image(t, image, len, &entry);
    struct thread *first;
    if (s == OK) s = thread_create(t, entry, USER_STACK_TOP, arg, prio, start, &first);
    if (s != OK) {
        if (policy_ok) task_release_names(t);
        vspace_destroy(&t->vs);
        vspace_release(&t->vs);
        if (parent) quota_release(parent, QUOTA_TASKS);
        pool_free_id(&task_pool, task_gen, t);
        return s;
    }
    trace_task(t);
    trace_auth(TRACE_OP_TASK_CREATE, current, t, NULL, t->id, parent ? parent->id : 0, OK);
    *out = t;
    return OK;
}

static void thread_free(struct thread *t)
{
    pool_free_id(&thread_pool, thread_gen, t);
}

/* Frees a thread's slot once nothing runs on its stack; a dead orphan task goes with it. */
void thread_reap(struct thread *dead)
{
    struct task *task = dead->task;
    thread_free(dead);
    if (task && task->state == TASK_ZOMBIE && task->nthreads == 0 && task->parent == NULL)
        task_free_zombie(task);
}

void task_free_zombie(struct task *t)
{
    kassert(t->state == TASK_ZOMBIE);
    policy_task_freed(t); /* names for it may outlive the task until it is reaped */
    vspace_release(&t->vs);
    msgq_task_freed(t);
    if (t->quota.up) quota_release(t->quota.up, QUOTA_TASKS);
    quota_task_freed(t);
    pool_free_id(&task_pool, task_gen, t);
}

/* Unlinks one thread from its task and the scheduler; frees it unless it is running. */
static void thread_kill(struct thread *t)
{
    struct task *task = t->task;
    for (struct thread **pp = &task->threads; *pp; pp = &(*pp)->task_next) {
        if (*pp == t) {
            *pp = t->task_next;
            break;
        }
    }
    task->nthreads--;
    sched_unready(t);
    wq_remove(t);
    ipc_cancel_partner(t);
    policy_thread_destroy(t);
    if (t->notify_bound) notify_thread_gone(t);
    arch_thread_gone(t);
    /* Nobody can reach it now: no queue, no partner, no binding. Its UTCB goes last. */
    vspace_free_pinned(&task->vs, t->utcb_uva);
    t->utcb = NULL;
    task->utcb_slots &= ~(1ull << t->utcb_slot);
    quota_release(task, QUOTA_THREADS);
    bool running = (t == current);
    t->state = THREAD_DEAD;
    if (!running) thread_free(t);
}

void task_end(struct task *t, enum task_end how, word_t code, word_t addr, word_t ip)
{
    kassert(t->state == TASK_ALIVE);
    bool self = current->task == t;
    t->exit = (struct task_exit){how, code, addr, ip};
    trace_auth(TRACE_OP_TASK_EXIT, current, t, NULL, how, code, OK);
    t->state = TASK_ZOMBIE;
    while (t->threads)
        thread_kill(t->threads);
    task_release_names(t); /* before its notifications go: capabilities name them */
    notify_task_gone(t);
    vspace_destroy(&t->vs);

    /* Children outlive their creator as orphans; dead orphans are freed at once, and so are
     * children never started: only their creator could have started them. */
    for (uint32_t i = 0; i < task_pool.capacity; i++) {
        struct task *c = pool_at(&task_pool, i);
        if (c == NULL || c->parent != t) continue;
        c->parent = NULL;
        if (c->state == TASK_ALIVE && !c->started)
            task_end(c, TASK_END_TERMINATED, KILL_CODE_ORPHANED, 0, 0);
        else if (c->state == TASK_ZOMBIE)
            task_free_zombie(c);
    }

    bool waited = false;
    for (struct thread *w; (w = wq_pop(&t->exit_waiters)) != NULL; waited = true) {
        w->wait_exit = t->exit;
        w->state = THREAD_BLOCKED;
        sched_wake(w, OK);
    }
    if (t->is_root) {
        kprintf("[kernel] root task ended (%s %lu): powering off\n",
                how == TASK_END_EXIT ? "exit code" : "killed by vector", code);
        trace_dump();
        arch_poweroff(how == TASK_END_EXIT && code == 0 ? 0 : 2);
    }
    if ((waited || t->parent == NULL) && !self)
        task_free_zombie(t);
    else if (waited)
        t->parent = NULL; /* reaped with the running thread */
    if (self) schedule(); /* never returns: current is dead */
}

void thread_exit_current(word_t code)
{
    struct task *t = current->task;
    if (t->nthreads == 1) {
        task_end(t, TASK_END_EXIT, code, 0, 0);
    } else {
        thread_kill(current);
        schedule();
    }
    panic("dead thread resumed");
}
