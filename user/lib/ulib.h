/* SPDX-License-Identifier: MIT */
/* The user runtime: system calls, console output, strings, and a few conveniences. */
#ifndef ULIB_H
#define ULIB_H

#include <stdarg.h>
#include "abi/layout.h"
#include "abi/status.h"
#include "abi/syscall.h"
#include "abi/types.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "ipc.h"
#include "ipc_stream.h"

/* Raw stubs: sys_<name>(a0..a4) for every syscall; unused arguments are ignored. */
long syscall5(word_t no, word_t a0, word_t a1, word_t a2, word_t a3, word_t a4);
#define SYSCALL_PROTO(num, name, nargs)                                                            \
    long sys_##name(word_t a0, word_t a1, word_t a2, word_t a3, word_t a4);
SYSCALL_LIST(SYSCALL_PROTO)
#undef SYSCALL_PROTO

/* Typed wrappers. */
static inline long console_write(const char *s, size_t n)
{
    return sys_console_write((word_t)s, n, 0, 0, 0);
}
static inline void thread_exit(int code)
{
    sys_thread_exit((word_t)code, 0, 0, 0, 0);
    __builtin_unreachable();
}
static inline long yield(void)
{
    return sys_yield(0, 0, 0, 0, 0);
}
/* Returns the task id << 32 | its first thread's id; main(arg) receives arg. */
static inline long task_spawn(unsigned module, unsigned prio, word_t arg)
{
    return sys_task_spawn(module, prio, arg, 0, 0);
}
#define SPAWN_TASK(r) ((long)((word_t)(r) >> 32))
#define SPAWN_THREAD(r) ((word_t)(r)&0xffffffffUL)
static inline long task_wait(long id, struct task_exit *out)
{
    return sys_task_wait((word_t)id, (word_t)out, 0, 0, 0);
}
static inline long module_info(unsigned i, char *name, size_t len)
{
    return sys_module_info(i, (word_t)name, len, 0, 0);
}
static inline long shutdown(int code)
{
    return sys_shutdown((word_t)code, 0, 0, 0, 0);
}
static inline long kinfo(unsigned which, void *out)
{
    return sys_kinfo(which, (word_t)out, 0, 0, 0);
}
static inline unsigned long clock_us(void)
{
    return (unsigned long)sys_clock(0, 0, 0, 0, 0);
}
static inline unsigned self_task(void)
{
    return (unsigned)((word_t)sys_self(0, 0, 0, 0, 0) >> 32);
}
static inline unsigned self_thread(void)
{
    return (unsigned)sys_self(0, 0, 0, 0, 0);
}

static inline long notify_create(word_t label)
{
    return sys_notify_create(label, 0, 0, 0, 0);
}
static inline long notify_bind(long id)
{
    return sys_notify_bind((word_t)id, 0, 0, 0, 0);
}
static inline long notify_trigger(long id, word_t bits)
{
    return sys_notify_trigger((word_t)id, bits, 0, 0, 0);
}
static inline long irq_attach(unsigned irq, long id)
{
    return sys_irq_attach(irq, (word_t)id, 0, 0, 0);
}

static inline long set_handlers(long task, word_t pager, word_t exc)
{
    return sys_set_handlers((word_t)task, pager, exc, 0, 0);
}
/* Also names the task's reference monitor (backends that fault sends to one: refmon). */
static inline long set_handlers_monitor(long task, word_t pager, word_t exc, word_t monitor)
{
    return sys_set_handlers((word_t)task, pager, exc, monitor, 0);
}

/* Names whose meaning the backend defines (policies/README.md): the same code for all. */
static inline long endpoint_create(word_t thread, word_t label)
{
    return sys_endpoint_create(thread, label, 0, 0, 0);
}
static inline long name_give(long task, word_t name, unsigned rights)
{
    return sys_name_give((word_t)task, name, rights, 0, 0);
}
static inline long name_drop(word_t name)
{
    return sys_name_drop(name, 0, 0, 0, 0);
}
static inline long task_start(long task, word_t arg)
{
    return sys_task_start((word_t)task, arg, 0, 0, 0);
}
static inline long endpoint_bind(word_t endpoint, word_t thread)
{
    return sys_endpoint_bind(endpoint, thread, 0, 0, 0);
}
/* The thread a send to `dest` reaches first (l4_nchief): dest itself, or the chief or monitor
 * the backend redirects it to; or -status (the send's refusal; -E_BUSY, -E_DENIED, -E_NOTSUP:
 * it would park, fault or queue). Sends nothing. */
static inline long ipc_route(word_t dest)
{
    return sys_ipc_route(dest, 0, 0, 0, 0);
}

/* Its creator ends a task in any state; task_wait then reports TASK_END_TERMINATED, code. */
static inline long task_kill(long task, word_t code)
{
    return sys_task_kill((word_t)task, code, 0, 0, 0);
}
/* Its creator sets a child's limit of one QUOTA_* resource (at most its own limit). */
static inline long task_quota(long task, unsigned resource, word_t limit)
{
    return sys_task_quota((word_t)task, resource, limit, 0, 0);
}

static inline long unmap(word_t fpage, unsigned flags)
{
    return sys_unmap(fpage, flags, 0, 0, 0);
}

/* The time-stamp counter: under QEMU -icount shift=0 it counts executed instructions. */
static inline unsigned long rdtsc(void)
{
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (unsigned long)hi << 32 | lo;
}

/* Starts fn(arg) on a new thread of this task with the given stack; returns its id. */
long thread_start(long (*fn)(word_t), word_t arg, void *stack, size_t size, unsigned prio);

/* Root only: starts the default pager thread (demand-zero heap for the tasks it is given
 * to, see default_pager.c); returns a name for it, or -status. */
long default_pager_start(void);

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define snprintf fmt_snprintf
#define vsnprintf fmt_vsnprintf
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);

/* Prints "name: what: status text" for a failed call and returns the call's result. */
long report_error(const char *what, long result);

/* Returning from main calls ulib_exit(result): the hook set here (one; NULL clears it) runs
 * first and its result is the task's exit code. */
void ulib_at_exit(long (*fn)(long code));
void ulib_exit(long code) __attribute__((noreturn));

#endif
