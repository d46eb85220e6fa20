/* SPDX-License-Identifier: MIT */
/* What the IPC fuzzer checks that depends on the backend (one file per backend). */
#ifndef TESTS_FUZZ_FUZZ_POLICY_H
#define TESTS_FUZZ_FUZZ_POLICY_H

#include "pool.h"
#include "thread.h"

/* Aborts with a message unless cond holds (the harness's one way to report a broken rule). */
#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                            \
    } while (0)
void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5)));

/* Object i of a pool, or NULL if that slot is free (pool_at without its coverage cost). */
static inline void *fuzz_slot(const struct pool *p, uint32_t i)
{
    return p->next[i] == POOL_IN_USE ? p->objs + (size_t)i * p->obj_size : NULL;
}

/* True if t points at a live thread of the thread pool (not freed, not dead). */
bool fuzz_thread_live(const struct thread *t);
/* True if q is a consistent wait queue (links, tail, every member blocked on q). */
void fuzz_check_queue(const struct wait_queue *q, const char *what);

/* The backend's objects: every reference points at something alive, queues are consistent. */
void fuzz_policy_check(void);
/* Backend objects allocated right now (gates, ...): 0 once every task is gone. */
unsigned fuzz_policy_objects(void);

#endif
