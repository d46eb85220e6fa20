/* SPDX-License-Identifier: MIT */
/* The scheduler proper: picking, switching, blocking, waking, time slices. */
#include "sched.h"
#include "arch.h"

struct thread *current;
static struct thread *idle_thread;
static struct run_queue runq;
static bool need_resched;
static struct thread *dead_prev; /* the thread we just left, if it died */

void sched_init(struct thread *idle)
{
    idle_thread = idle;
    idle->state = THREAD_RUNNING;
    current = idle;
}

void sched_ready(struct thread *t)
{
    t->state = THREAD_READY;
    rq_push_tail(&runq, t);
    if (current == idle_thread || t->prio > current->prio) need_resched = true;
}

void sched_unready(struct thread *t)
{
    if (t->state == THREAD_READY) rq_remove(&runq, t);
}

void schedule(void)
{
    struct thread *prev = current;
    need_resched = false;
    if (prev->state == THREAD_RUNNING && prev != idle_thread) {
        /* Keep running unless someone of at least our priority is waiting. */
        if (runq.nonempty == 0 || (31u - (unsigned)__builtin_clz(runq.nonempty)) < prev->prio)
            return;
        prev->state = THREAD_READY;
        rq_push_tail(&runq, prev);
    }
    struct thread *next = rq_pop_highest(&runq);
    if (next == NULL) next = idle_thread;
    next->state = THREAD_RUNNING;
    if (next->quantum == 0) next->quantum = SCHED_QUANTUM;
    if (next == prev) return;
    current = next;
    if (prev->state == THREAD_DEAD) dead_prev = prev;
    arch_switch(prev, next);
    sched_switch_finish();
}

/* The caller's remaining time slice goes on with the partner (no refill: a partner that has
 * used its slice up is preempted at the next tick if others of its priority are ready). */
void sched_switch_exit(struct thread *from, struct thread *to, word_t tag, word_t label)
{
    from->state = THREAD_BLOCKED;
    to->state = THREAD_RUNNING;
    current = to;
    arch_switch_exit(from, to, tag, label);
}

/* Runs on the new thread's stack right after a switch (and first thing in a new thread). */
void sched_switch_finish(void)
{
    if (dead_prev) {
        struct thread *d = dead_prev;
        dead_prev = NULL;
        thread_reap(d);
    }
}

void sched_block_on(struct wait_queue *q)
{
    current->state = THREAD_BLOCKED;
    if (q) wq_push(q, current);
    schedule();
}

void sched_wake(struct thread *t, word_t result)
{
    kassert(t->state == THREAD_BLOCKED);
    wq_remove(t);
    t->wake_result = result;
    sched_ready(t);
}

void sched_yield(void)
{
    current->quantum = 0;
    need_resched = true;
}

void sched_tick(void)
{
    if (current == idle_thread) {
        if (runq.nonempty) need_resched = true;
        return;
    }
    if (current->quantum > 0) current->quantum--;
    if (current->quantum == 0) need_resched = true;
}

void sched_preempt_point(void)
{
    if (need_resched) schedule();
}
