/* SPDX-License-Identifier: MIT */
/* Unit tests for the run queues and wait queues (kernel/sched_queue.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sched.h"

#define NTH 40

static struct run_queue rq;
static struct thread th[NTH];

static int setup(void **state)
{
    (void)state;
    memset(&rq, 0, sizeof(rq));
    memset(th, 0, sizeof(th));
    return 0;
}

/* Checks every invariant of a run queue (bitmap, links, priorities); returns its thread count. */
static unsigned check_rq(const struct run_queue *q)
{
    unsigned total = 0;
    for (unsigned p = 0; p < SCHED_PRIOS; p++) {
        bool bit = (q->nonempty >> p) & 1;
        assert_int_equal(bit, q->head[p] != NULL);
        assert_int_equal(q->head[p] == NULL, q->tail[p] == NULL);
        const struct thread *prev = NULL;
        for (const struct thread *t = q->head[p]; t; t = t->rq_next) {
            assert_int_equal(t->prio, p);
            assert_ptr_equal(t->rq_prev, prev);
            prev = t;
            total++;
            assert_true(total <= NTH); /* no cycle */
        }
        assert_ptr_equal(q->tail[p], prev);
    }
    return total;
}

static struct thread *mk(int i, uint8_t prio)
{
    th[i].prio = prio;
    return &th[i];
}

static void push(struct thread *t)
{
    rq_push_tail(&rq, t);
    check_rq(&rq);
}

static struct thread *pop(void)
{
    struct thread *t = rq_pop_highest(&rq);
    check_rq(&rq);
    if (t) {
        assert_null(t->rq_next);
        assert_null(t->rq_prev);
    }
    return t;
}

static void removeq(struct thread *t)
{
    rq_remove(&rq, t);
    check_rq(&rq);
    assert_null(t->rq_next);
    assert_null(t->rq_prev);
}

/* Proves: an empty run queue pops NULL and has an empty bitmap. */
static void test_rq_empty_pops_null(void **state)
{
    (void)state;
    assert_null(pop());
    assert_int_equal(rq.nonempty, 0);
}

/* Proves: threads of one priority come out in the order they were pushed. */
static void test_rq_fifo_within_priority(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        push(mk(i, 7));
    assert_int_equal(rq.nonempty, 1u << 7);
    for (int i = 0; i < 5; i++)
        assert_ptr_equal(pop(), &th[i]);
    assert_null(pop());
    assert_int_equal(rq.nonempty, 0);
}

/* Proves: the highest priority pops first, FIFO among equals, priorities 0 and 31 included. */
static void test_rq_highest_priority_first(void **state)
{
    (void)state;
    push(mk(0, 3));
    push(mk(1, 10));
    push(mk(2, 0));
    push(mk(3, 31));
    push(mk(4, 10));
    push(mk(5, 0));
    assert_int_equal(rq.nonempty, (1u << 31) | (1u << 10) | (1u << 3) | 1u);
    const int order[] = {3, 1, 4, 0, 2, 5};
    for (size_t i = 0; i < ARRAY_SIZE(order); i++)
        assert_ptr_equal(pop(), &th[order[i]]);
    assert_null(pop());
}

/* Proves: a thread pushed at a higher priority overtakes those waiting at lower ones. */
static void test_rq_late_high_priority_overtakes(void **state)
{
    (void)state;
    push(mk(0, 5));
    push(mk(1, 5));
    assert_ptr_equal(pop(), &th[0]);
    push(mk(2, 6));
    push(mk(0, 5)); /* re-queued at the tail */
    assert_ptr_equal(pop(), &th[2]);
    assert_ptr_equal(pop(), &th[1]);
    assert_ptr_equal(pop(), &th[0]);
}

/* Proves: removing middle, head and tail keeps order and links; the bit clears only when empty. */
static void test_rq_remove_head_middle_tail(void **state)
{
    (void)state;
    for (int i = 0; i < 4; i++)
        push(mk(i, 12)); /* a b c d */
    push(mk(4, 2));
    removeq(&th[1]); /* middle: a c d */
    assert_ptr_equal(th[0].rq_next, &th[2]);
    assert_ptr_equal(th[2].rq_prev, &th[0]);
    removeq(&th[0]); /* head: c d */
    assert_ptr_equal(rq.head[12], &th[2]);
    removeq(&th[3]); /* tail: c */
    assert_ptr_equal(rq.tail[12], &th[2]);
    assert_int_equal(rq.nonempty, (1u << 12) | (1u << 2));
    removeq(&th[2]); /* the only one left */
    assert_int_equal(rq.nonempty, 1u << 2);
    assert_ptr_equal(pop(), &th[4]);
    assert_int_equal(rq.nonempty, 0);
}

/* Proves: rq_contains is true exactly while a thread is queued in that run queue. */
static void test_rq_contains(void **state)
{
    (void)state;
    struct run_queue other;
    memset(&other, 0, sizeof(other));
    push(mk(0, 4));
    push(mk(1, 4));
    push(mk(2, 9));
    mk(3, 4);
    mk(5, 9);
    rq_push_tail(&other, mk(4, 4));
    assert_true(rq_contains(&rq, &th[0]));
    assert_true(rq_contains(&rq, &th[1]));
    assert_true(rq_contains(&rq, &th[2]));
    assert_false(rq_contains(&rq, &th[3])); /* never queued */
    assert_false(rq_contains(&rq, &th[4])); /* in another queue */
    assert_true(rq_contains(&other, &th[4]));
    assert_false(rq_contains(&other, &th[0]));
    removeq(&th[1]);
    assert_false(rq_contains(&rq, &th[1]));
    assert_ptr_equal(pop(), &th[2]);
    assert_false(rq_contains(&rq, &th[2]));
    assert_false(rq_contains(&rq, &th[5])); /* same priority as a popped thread */
    assert_true(rq_contains(&rq, &th[0]));
}

static uint64_t rng = 0x243f6a8885a308d3ull;
static unsigned next_rand(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* Proves: random push/remove/pop sequences match a reference model, bitmap checked each step. */
static void test_rq_random_against_model(void **state)
{
    (void)state;
    /* The model: per priority, the queued thread indexes in FIFO order. */
    int model[SCHED_PRIOS][NTH];
    int count[SCHED_PRIOS] = {0};
    bool queued[NTH] = {false};
    for (int step = 0; step < 20000; step++) {
        int i = (int)next_rand(NTH);
        unsigned op = next_rand(3);
        if (!queued[i] && op != 2) {
            unsigned p = next_rand(4) == 0 ? next_rand(SCHED_PRIOS) : 8 + next_rand(3);
            push(mk(i, (uint8_t)p));
            model[p][count[p]++] = i;
            queued[i] = true;
        } else if (queued[i] && op == 1) {
            unsigned p = th[i].prio;
            removeq(&th[i]);
            int k = 0;
            while (model[p][k] != i)
                k++;
            memmove(&model[p][k], &model[p][k + 1], sizeof(int) * (size_t)(count[p] - k - 1));
            count[p]--;
            queued[i] = false;
        } else if (op == 2) {
            struct thread *t = pop();
            int p = SCHED_PRIOS - 1;
            while (p >= 0 && count[p] == 0)
                p--;
            if (p < 0) {
                assert_null(t);
                continue;
            }
            assert_ptr_equal(t, &th[model[p][0]]);
            memmove(&model[p][0], &model[p][1], sizeof(int) * (size_t)(count[p] - 1));
            count[p]--;
            queued[t - th] = false;
        }
        uint32_t bits = 0;
        unsigned n = 0;
        for (unsigned p = 0; p < SCHED_PRIOS; p++) {
            if (count[p]) bits |= 1u << p;
            n += (unsigned)count[p];
        }
        assert_int_equal(rq.nonempty, bits);
        assert_int_equal(check_rq(&rq), n);
    }
}

/* ---- wait queues ----------------------------------------------------------------------------- */

static void check_wq(const struct wait_queue *q, const int *want, int n)
{
    const struct thread *prev = NULL, *t = q->head;
    for (int k = 0; k < n; k++, t = t->wq_next) {
        assert_ptr_equal(t, &th[want[k]]);
        assert_ptr_equal(t->wq, q);
        assert_ptr_equal(t->wq_prev, prev);
        prev = t;
    }
    assert_null(t);
    assert_ptr_equal(q->tail, prev);
}

static void assert_unlinked(const struct thread *t)
{
    assert_null(t->wq);
    assert_null(t->wq_next);
    assert_null(t->wq_prev);
}

/* Proves: a wait queue pops FIFO, sets and clears the thread's queue, then pops NULL. */
static void test_wq_fifo(void **state)
{
    (void)state;
    struct wait_queue q = {NULL, NULL};
    assert_null(wq_pop(&q));
    for (int i = 0; i < 4; i++)
        wq_push(&q, &th[i]);
    check_wq(&q, (const int[]){0, 1, 2, 3}, 4);
    for (int i = 0; i < 4; i++) {
        struct thread *t = wq_pop(&q);
        assert_ptr_equal(t, &th[i]);
        assert_unlinked(t);
    }
    assert_null(wq_pop(&q));
    assert_null(q.head);
    assert_null(q.tail);
}

/* Proves: wq_remove unlinks middle, head and tail given only the thread; the rest keep order. */
static void test_wq_remove_middle_head_tail(void **state)
{
    (void)state;
    struct wait_queue q = {NULL, NULL};
    for (int i = 0; i < 5; i++)
        wq_push(&q, &th[i]);
    wq_remove(&th[2]);
    assert_unlinked(&th[2]);
    check_wq(&q, (const int[]){0, 1, 3, 4}, 4);
    wq_remove(&th[0]);
    check_wq(&q, (const int[]){1, 3, 4}, 3);
    wq_remove(&th[4]);
    check_wq(&q, (const int[]){1, 3}, 2);
    wq_remove(&th[3]);
    wq_remove(&th[1]);
    check_wq(&q, NULL, 0);
    for (int i = 0; i < 5; i++)
        assert_unlinked(&th[i]);
}

/* Proves: wq_remove of a thread in no queue (never queued, or already popped) changes nothing. */
static void test_wq_remove_not_queued_is_noop(void **state)
{
    (void)state;
    struct wait_queue q = {NULL, NULL};
    wq_push(&q, &th[0]);
    wq_push(&q, &th[1]);
    wq_remove(&th[5]); /* never queued */
    assert_unlinked(&th[5]);
    check_wq(&q, (const int[]){0, 1}, 2);
    struct thread *t = wq_pop(&q);
    wq_remove(t); /* already out */
    wq_remove(t);
    check_wq(&q, (const int[]){1}, 1);
}

/* Proves: two wait queues are independent; removal touches only the thread's own queue. */
static void test_wq_queues_independent(void **state)
{
    (void)state;
    struct wait_queue a = {NULL, NULL}, b = {NULL, NULL};
    wq_push(&a, &th[0]);
    wq_push(&b, &th[1]);
    wq_push(&a, &th[2]);
    wq_push(&b, &th[3]);
    wq_remove(&th[0]);
    check_wq(&a, (const int[]){2}, 1);
    check_wq(&b, (const int[]){1, 3}, 2);
    wq_push(&b, &th[0]);
    check_wq(&b, (const int[]){1, 3, 0}, 3);
    assert_ptr_equal(wq_pop(&b), &th[1]);
    assert_ptr_equal(wq_pop(&a), &th[2]);
    check_wq(&a, NULL, 0);
    check_wq(&b, (const int[]){3, 0}, 2);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        T(test_rq_empty_pops_null),         T(test_rq_fifo_within_priority),
        T(test_rq_highest_priority_first),  T(test_rq_late_high_priority_overtakes),
        T(test_rq_remove_head_middle_tail), T(test_rq_contains),
        T(test_rq_random_against_model),    T(test_wq_fifo),
        T(test_wq_remove_middle_head_tail), T(test_wq_remove_not_queued_is_noop),
        T(test_wq_queues_independent),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]); /* run one test (or a glob) by name */
    return cmocka_run_group_tests_name("sched", tests, NULL, NULL) ? 1 : 0;
}
