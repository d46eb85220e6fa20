/* SPDX-License-Identifier: MIT */
/* Run queues (one FIFO per priority, a bitmap of non-empty ones) and wait queues. */
#include "sched.h"

void rq_push_tail(struct run_queue *rq, struct thread *t)
{
    unsigned p = t->prio;
    t->rq_next = NULL;
    t->rq_prev = rq->tail[p];
    if (rq->tail[p])
        rq->tail[p]->rq_next = t;
    else
        rq->head[p] = t;
    rq->tail[p] = t;
    rq->nonempty |= 1u << p;
}

void rq_remove(struct run_queue *rq, struct thread *t)
{
    unsigned p = t->prio;
    if (t->rq_prev)
        t->rq_prev->rq_next = t->rq_next;
    else
        rq->head[p] = t->rq_next;
    if (t->rq_next)
        t->rq_next->rq_prev = t->rq_prev;
    else
        rq->tail[p] = t->rq_prev;
    t->rq_next = t->rq_prev = NULL;
    if (rq->head[p] == NULL) rq->nonempty &= ~(1u << p);
}

struct thread *rq_pop_highest(struct run_queue *rq)
{
    if (rq->nonempty == 0) return NULL;
    unsigned p = 31u - (unsigned)__builtin_clz(rq->nonempty);
    struct thread *t = rq->head[p];
    rq_remove(rq, t);
    return t;
}

bool rq_contains(const struct run_queue *rq, const struct thread *t)
{
    for (const struct thread *x = rq->head[t->prio]; x; x = x->rq_next)
        if (x == t) return true;
    return false;
}

void wq_push(struct wait_queue *q, struct thread *t)
{
    t->wq = q;
    t->wq_next = NULL;
    t->wq_prev = q->tail;
    if (q->tail)
        q->tail->wq_next = t;
    else
        q->head = t;
    q->tail = t;
}

void wq_remove(struct thread *t)
{
    struct wait_queue *q = t->wq;
    if (q == NULL) return;
    if (t->wq_prev)
        t->wq_prev->wq_next = t->wq_next;
    else
        q->head = t->wq_next;
    if (t->wq_next)
        t->wq_next->wq_prev = t->wq_prev;
    else
        q->tail = t->wq_prev;
    t->wq = NULL;
    t->wq_next = t->wq_prev = NULL;
}

struct thread *wq_pop(struct wait_queue *q)
{
    struct thread *t = q->head;
    if (t) wq_remove(t);
    return t;
}
