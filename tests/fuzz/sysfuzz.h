/* SPDX-License-Identifier: MIT */
/*
 * The syscall fuzzer's shared layout: how the supervisor (user/bin/sysfuzz.c, the root task)
 * and its workers (user/bin/fuzzworker.c) talk without IPC. Each worker slot has one status
 * page in the supervisor's memory; a worker's first touch of STATUS_VA(slot) faults to the
 * supervisor's pager, which maps that page there. Workers write what they are about to call and
 * count calls; the supervisor reads progress (its watchdog) and writes the names of the other
 * workers in (so workers can IPC each other under any backend).
 */
#ifndef FUZZ_SYSFUZZ_H
#define FUZZ_SYSFUZZ_H

#include "abi/types.h"

#define FZ_SLOTS 4   /* workers alive at once */
#define FZ_THREADS 6 /* fuzzing threads per worker with a record (the first one included) */
#define FZ_STATUS_BASE 0x0000000050000000UL
#define FZ_STATUS_VA(slot) (FZ_STATUS_BASE + (word_t)(slot)*4096UL)
#define FZ_STATUS_END FZ_STATUS_VA(FZ_SLOTS)

/* A worker's spawn argument: FZ_ARG_MAGIC in the top 16 bits, slot, then 40 bits of seed.
 * Anything else (a worker spawning the program with a random argument) exits at once. */
#define FZ_ARG_MAGIC 0x5f5aUL
#define FZ_ARG(slot, seed) (FZ_ARG_MAGIC << 48 | (word_t)(slot) << 40 | ((seed)&0xffffffffffUL))
#define FZ_ARG_OK(a) ((word_t)(a) >> 48 == FZ_ARG_MAGIC && (((word_t)(a) >> 40) & 0xff) < FZ_SLOTS)
#define FZ_ARG_SLOT(a) ((unsigned)(((word_t)(a) >> 40) & 0xff))
#define FZ_ARG_SEED(a) ((word_t)(a)&0xffffffffffUL)

/* What a fuzzing thread is doing, as its record says. */
enum fz_phase {
    FZ_FREE = 0,    /* no thread uses the record */
    FZ_IN_CALL = 1, /* inside call `seq`: nr and args below */
    FZ_BETWEEN = 2, /* in its own code between calls (a fault there goes to the pager) */
    FZ_DEAD = 3,    /* about to end itself (thread_exit, task_exit) */
};

/* Call classes: how long a call may legitimately block. */
enum fz_bound {
    FZ_BOUNDED = 0,   /* returns within a few ms (timeouts small, or no blocking) */
    FZ_UNBOUNDED = 1, /* may block as long as a partner wants (NEVER, a long timeout, wait) */
};

struct fz_record {
    volatile word_t seq;   /* calls issued by this thread, bumped before each call */
    volatile word_t phase; /* enum fz_phase */
    volatile word_t bound; /* enum fz_bound of the current call */
    volatile word_t nr, a[5];
};

struct fz_status {
    volatile word_t alive;            /* written by the worker at start */
    volatile word_t handlers_changed; /* set before the worker changes its own fault handlers */
    volatile word_t verbose;          /* supervisor: print every call before issuing it */
    volatile word_t self_task;        /* the worker's own task name */
    volatile word_t peers[FZ_SLOTS];  /* supervisor: names of the other workers' first threads */
    volatile word_t peer_tasks[FZ_SLOTS];
    struct fz_record thr[FZ_THREADS];
};

#endif
