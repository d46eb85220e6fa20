/* SPDX-License-Identifier: MIT */
/*
 * The kernel core on the host: an arch layer whose threads are ucontext fibres, and what the
 * IPC and backend tests need to drive it (boot, tasks from a tiny ELF image, "actor" threads
 * that make one system call per driver command, time, inspection).
 *
 * The test driver is the idle thread: it is the process's main context, it gets the CPU back
 * whenever every other thread is blocked or dead, and from there it creates threads, hands
 * out commands, advances time and checks state. A "user thread" is a C function running on
 * its own host stack; it enters the kernel by calling the core directly, as if it had made a
 * system call.
 *
 * Isolation: every test runs in a forked child (host_isolated), which boots a fresh kernel.
 * The core keeps state it offers no way to reset (the run queue, the timeout list, the tick
 * count, thread-id generations, capgate's gate pool), and a failing test can leave threads
 * parked on their stacks; a child process starts from the pristine image every time, and a
 * kernel panic or sanitizer report fails one test, not the binary.
 */
#ifndef TESTS_UNIT_HOST_KERNEL_H
#define TESTS_UNIT_HOST_KERNEL_H

#include "ipc.h"
#include "sched.h"
#include "thread.h"

/* ---- boot, isolation, running ---- */

/* A fresh kernel: memory over the fake physical arena, pools, notifications, mapping database,
 * scheduler with the caller (the driver) as idle thread; fast path on, as at boot. */
void host_boot(void);

/* Runs body(arg) in a forked child that first calls host_boot(); a failed assertion, a kernel
 * panic, a sanitizer report or a hang (10 s) fails the calling CMocka test. */
void host_isolated(void (*body)(bool), bool arg);

/* Lets every ready thread run until all are blocked or dead; the driver then runs again. */
void host_run(void);
/* n timer ticks (1 ms each), every thread running to a standstill after each. */
void host_tick(unsigned n);

/* Counted by host_sys_ipc: IPC system calls made (on entry), and those the fast path handled
 * (on return: a call the fast path takes returns only when its reply arrives). */
struct host_stats {
    unsigned ipc_calls, fastpath_hits;
};
extern struct host_stats host_stats;

/* ---- tasks and threads ---- */

typedef void (*host_fn)(word_t arg);

/* User memory every host task has (the ELF image's writable segment) and an address that is
 * never mapped. The image's text page (HOST_TEXT_VA) is readable but not writable. */
#define HOST_TEXT_VA 0x400000UL
#define HOST_DATA_VA 0x410000UL
#define HOST_DATA_PAGES 4
#define HOST_DATA_END (HOST_DATA_VA + HOST_DATA_PAGES * 0x1000UL)
#define HOST_UNMAPPED_VA 0x300000UL

/* The "user address" whose code is fn (an entry inside the image's text page). */
vaddr_t host_entry(host_fn fn);
/* A minimal valid ELF executable entering at `entry`: text page + data segment. */
const void *host_elf_image(vaddr_t entry, size_t *len);
/* A task created through task_create_from_elf (the loader's real path), first thread fn(arg). */
struct task *host_task_create(const char *name, uint8_t prio, host_fn fn, word_t arg, bool start);
/* The same, created by `creator` (its child in the creation tree; NULL: none); the task
 * quotas of the creator and the tasks above it are raised to make room for it. */
struct task *host_task_create_by(struct task *creator, const char *name, uint8_t prio, host_fn fn,
                                 word_t arg, bool start);
/* A task whose n threads run fns[i](args[i]) (the first from the ELF path, the rest through
 * thread_create), all ready; out[i] is thread i. */
struct task *host_task_n(const char *name, uint8_t prio, unsigned n, const host_fn *fns,
                         const word_t *args, struct thread **out);
/* Another thread of `task` running fn(arg), through thread_create. */
struct thread *host_thread_create(struct task *task, host_fn fn, word_t arg, uint8_t prio,
                                  bool start);

/* Copies to / from a task's user memory (through its page tables). */
void host_user_write(struct task *t, vaddr_t va, const void *src, size_t len);
void host_user_read(struct task *t, vaddr_t va, void *dst, size_t len);

/* ---- system calls as user threads make them ---- */

/* SYS_ipc exactly as kernel/sys_ipc.c does it: the fast path first, then ipc_do; the received
 * tag and label land in the thread's trap frame (rsi, rdi). Counts host_stats. */
long host_sys_ipc(word_t op, word_t dest, word_t tag, word_t timeouts, word_t a4);
/* SYS_thread_exit. */
long host_sys_thread_exit(word_t code, word_t a1, word_t a2, word_t a3, word_t a4);
/* Blocks the calling thread outside any IPC (as task_wait would) until host_resume. */
void host_pause(void);
void host_resume(struct thread *t);

/* ---- actors: threads that run one system call per driver command ---- */

typedef long (*host_syscall_fn)(word_t, word_t, word_t, word_t, word_t);

struct host_actor {
    struct thread *t; /* stale once the thread died: use `id` to name it */
    uint32_t id;
    struct task *task;
    bool busy;      /* a command is in progress (the thread is in the kernel or blocked) */
    unsigned done;  /* commands completed */
    long result;    /* of the last completed command: FRAME_RESULT */
    word_t rcv_tag; /* and what the IPC system call left in rsi / rdi */
    word_t rcv_label;
    bool fastpath; /* the last command was an IPC the fast path handled */
    host_syscall_fn fn;
    word_t args[5];
};

/* A new actor in its own task (name, prio), idle and waiting for a command. */
struct host_actor *actor_new(const char *name, uint8_t prio);
/* A new actor in its own task created by `creator` (its child in the creation tree). */
struct host_actor *actor_new_child(struct task *creator, const char *name, uint8_t prio);
/* A new actor as another thread of `task`. */
struct host_actor *actor_new_in(struct task *task, uint8_t prio);
/* Hands the actor a system call to make; it runs at the next host_run. */
void actor_post(struct host_actor *a, host_syscall_fn fn, word_t a0, word_t a1, word_t a2,
                word_t a3, word_t a4);
/* Post, then run to a standstill. */
void actor_do(struct host_actor *a, host_syscall_fn fn, word_t a0, word_t a1, word_t a2, word_t a3,
              word_t a4);
void actor_post_ipc(struct host_actor *a, word_t op, word_t dest, word_t tag, word_t timeouts);
void actor_ipc(struct host_actor *a, word_t op, word_t dest, word_t tag, word_t timeouts);
/* The actor's thread calls thread_exit (its task ends with it if it was the last thread). */
void actor_exit(struct host_actor *a);
/* Ends the actor's task from outside, as the kernel does after an unhandled fault; then runs
 * whoever the death woke. */
void actor_kill(struct host_actor *a);
/* Forgets every actor and fibre (keeping the fibres' host stacks for reuse), for a harness
 * that puts the core's own memory back to its pristine image between runs (tests/fuzz). */
void host_forget(void);
/* The actor's thread is alive and parked between commands. */
bool host_actor_paused(const struct host_actor *a);
/* The actor's thread is blocked inside an IPC of this kind (IPC_SENDING / IPC_RECEIVING). */
bool actor_blocked_in(const struct host_actor *a, enum ipc_wait why);
/* Its UTCB (the kernel's view), e.g. to fill message or buffer registers before a command. */
struct utcb *actor_utcb(const struct host_actor *a);

/* ---- declaring tests (the including file includes <cmocka.h> first) ---- */

/* HOST_TEST(name) { body }: one CMocka test, run in a child with the fast path on (the boot
 * default). HOST_TEST_BOTH(name) { body }: two tests, name_fast and name_slow, with the fast
 * path on and off; the body sees `fast`. Listed with HOST_RUN(name) / HOST_RUN_BOTH(name). */
#define HOST_TEST(name)                                                                            \
    static void name(bool fast __attribute__((unused)));                                           \
    static void name##_run(void **state)                                                           \
    {                                                                                              \
        (void)state;                                                                               \
        host_isolated(name, true);                                                                 \
    }                                                                                              \
    static void name(bool fast __attribute__((unused)))
#define HOST_TEST_BOTH(name)                                                                       \
    static void name(bool fast __attribute__((unused)));                                           \
    static void name##_fast(void **state)                                                          \
    {                                                                                              \
        (void)state;                                                                               \
        host_isolated(name, true);                                                                 \
    }                                                                                              \
    static void name##_slow(void **state)                                                          \
    {                                                                                              \
        (void)state;                                                                               \
        host_isolated(name, false);                                                                \
    }                                                                                              \
    static void name(bool fast __attribute__((unused)))
/* clang-format off */
#define HOST_RUN(name) {#name, name##_run, NULL, NULL, NULL}
#define HOST_RUN_BOTH(name)                                                                        \
    {#name "_fast", name##_fast, NULL, NULL, NULL}, {#name "_slow", name##_slow, NULL, NULL, NULL}
/* clang-format on */

#endif
