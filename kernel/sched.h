/* SPDX-License-Identifier: MIT */
/*
 * Priority round-robin scheduler. The running thread is never in the run queue. Higher
 * priorities always win; equal priorities share the CPU in time slices of SCHED_QUANTUM
 * timer ticks. The kernel is not preemptible: switches happen at the end of a system call
 * or interrupt (sched_preempt_point) or when a thread blocks.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "thread.h"

#define SCHED_PRIOS 32
#define SCHED_QUANTUM 10

struct run_queue {
    struct thread *head[SCHED_PRIOS], *tail[SCHED_PRIOS];
    uint32_t nonempty; /* bit p set iff head[p] != NULL */
};

/* Run-queue operations (pure; unit-tested on the host). */
void rq_push_tail(struct run_queue *rq, struct thread *t);
void rq_remove(struct run_queue *rq, struct thread *t);
struct thread *rq_pop_highest(struct run_queue *rq);
bool rq_contains(const struct run_queue *rq, const struct thread *t);

/* Wait queues (pure). */
void wq_push(struct wait_queue *q, struct thread *t);
void wq_remove(struct thread *t);
struct thread *wq_pop(struct wait_queue *q);

extern struct thread *current;

void sched_init(struct thread *idle);
void sched_ready(struct thread *t);        /* READY and queued; may request preemption */
void sched_unready(struct thread *t);      /* out of the run queue (being killed) */
void sched_block_on(struct wait_queue *q); /* current blocks until sched_wake */
void sched_wake(struct thread *t, word_t result);
void sched_yield(void);
void sched_tick(void);
void sched_preempt_point(void); /* switch if a switch was requested */
void schedule(void);
/* The IPC fast path's switch from `from` (which blocks) straight to `to` (blocked, now
 * running), with no run-queue operations: `to` leaves the kernel through its user frame at
 * once with its IPC's results (0, tag, label), and `from` resumes later in ipc_user_resume
 * (arch_switch_exit). Does not return. */
NORETURN void sched_switch_exit(struct thread *from, struct thread *to, word_t tag, word_t label);
void sched_switch_finish(void);

#endif
