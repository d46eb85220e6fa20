/* SPDX-License-Identifier: MIT */
/*
 * The system-call list. The kernel's dispatch table and the user stubs are both generated
 * from SYSCALL_LIST, so numbers cannot drift apart.
 *
 * Calling convention (x86-64 `syscall`): number in rax, arguments in rdi, rsi, rdx, r10, r8;
 * result in rax (>= 0 success, -status on error). rcx and r11 are clobbered. SYS_ipc, the hot
 * one, saves only what it must: it also clobbers rdx, r8, r9 and r10, and returns results in
 * rsi and rdi (abi/ipc.h); rbx, rbp, r12-r15 and rsp survive every system call.
 *
 * x87 and SSE (xmm0-15, MXCSR) may be used by user code: their state belongs to each thread
 * and is preserved across system calls, IPC and preemption. A new thread starts with the
 * initial state (x87 control word 0x37f, MXCSR 0x1f80: every exception masked; all registers
 * zero), never another thread's registers. An unmasked x87 exception (#MF, vector 16) or SSE
 * exception (#XM, vector 19) is a fault like any other: it goes to the exception handler or
 * kills the task. AVX state is not saved (CR4.OSXSAVE stays clear, so AVX is undefined).
 */
#ifndef ABI_SYSCALL_H
#define ABI_SYSCALL_H

#include "backend.h"
#include "types.h"

/* X(number, name, argument count) */
#define SYSCALL_LIST(X)                                                                            \
    X(0, console_write, 2)  /* (const char *buf, size_t len) -> bytes written */                   \
    X(1, thread_exit, 1)    /* (int code): ends the calling thread; last one ends the task */      \
    X(2, yield, 0)          /* () -> 0 */                                                          \
    X(3, task_spawn, 3)     /* (module, prio, arg) -> task name << 32 | thread name */             \
    X(4, task_wait, 2)      /* (task name, struct task_exit *out) -> 0 */                          \
    X(5, module_info, 3)    /* (index, char *name, size_t len) -> module size; E_NOENT past end */ \
    X(6, self, 0)           /* () -> own task name << 32 | own thread name */                      \
    X(7, shutdown, 1)       /* (int code): root task only; powers the machine off */               \
    X(8, thread_create, 3)  /* (entry, stack top, priority) -> thread name */                      \
    X(9, kinfo, 2)          /* (which, struct kinfo_* *out) -> 0: pool and memory accounting */    \
    X(10, clock, 0)         /* () -> microseconds since boot */                                    \
    X(11, ipc, 4)           /* (op, dest, tag, timeouts): see abi/ipc.h */                         \
    X(12, notify_create, 1) /* (label) -> notification name */                                     \
    X(13, notify_bind, 1)   /* (id): the calling thread receives its notifications */              \
    X(14, notify_trigger, 2)  /* (id, bits): never blocks */                                       \
    X(15, irq_attach, 2)      /* (irq, id or 0 to detach): root only; IRQ sets bit irq */          \
    X(16, set_handlers, 4)    /* (task, pager, exception handler, monitor): creator or self */    \
    X(17, endpoint_create, 2) /* (thread name, label) -> a name others can send to */              \
    X(18, name_give, 3)       /* (task name, name, rights) -> the name as that task sees it */     \
    X(19, name_drop, 1)       /* (name): removes it (and, capgate, what was derived from it) */    \
    X(20, task_start, 2)      /* (task name, arg): starts a SPAWN_SUSPENDED task; main(arg) */     \
    X(21, endpoint_bind, 2)   /* (endpoint name, thread name): gives an endpoint its receiver */   \
    X(22, task_exit, 1)       /* (code): ends the calling task, all its threads */                 \
    X(23, unmap, 2)           /* (flexpage, UNMAP_*): revoke what was derived from it */           \
    X(24, module_read, 4)     /* (index, buf, len, offset) -> bytes copied; root only */           \
    X(25, task_kill, 2)       /* (task name, code): its creator ends it, in any state */           \
    X(26, task_quota, 3)      /* (task name, QUOTA_*, limit): its creator sets a limit */        \
    X(27, ipc_route, 1)       /* (dest) -> the thread a send to dest reaches first (l4_nchief) */

enum syscall_number {
#define SYSCALL_ENUM(num, name, nargs) SYS_##name = num,
    SYSCALL_LIST(SYSCALL_ENUM)
#undef SYSCALL_ENUM
        SYS_COUNT
};

/* How a task ended, as reported to its creator by task_wait. */
enum task_end {
    TASK_END_EXIT = 1,       /* last thread called thread_exit; code = its argument */
    TASK_END_KILLED = 2,     /* killed by the kernel after an unhandled fault; code = CPU vector */
    TASK_END_TERMINATED = 3, /* ended by its creator (task_kill) or with it; code = the reason */
};

struct task_exit {
    word_t how;  /* enum task_end */
    word_t code; /* exit code or exception vector */
    word_t addr; /* faulting address (page faults), else 0 */
    word_t ip;   /* instruction pointer at the fault, else 0 */
};

/* kinfo(which): accounting snapshots, so tests can check that nothing leaks. */
enum kinfo_which { KINFO_POOLS = 0, KINFO_MEMORY = 1, KINFO_POLICY = 2, KINFO_QUOTA = 3 };

struct kinfo_pool {
    word_t capacity, used, peak, failures;
};

struct kinfo_pools {
    struct kinfo_pool tasks, threads, mapdb_nodes, notifications, messages;
};

/*
 * Per-task quotas. Every task has a limit per resource, set by its creator (task_quota) within
 * the creator's own; what a task uses is charged to it and to every task above it in the
 * creation tree, so a task and all it creates together stay within what it was given.
 */
enum quota_resource {
    QUOTA_THREADS = 0, /* threads of the task and of everything it created */
    QUOTA_TASKS = 1,   /* tasks it created (alive or not yet reaped), transitively; 0 by
                        * default: creating tasks needs its creator's authority */
    QUOTA_NODES = 2,   /* mapping-database nodes: pages, capabilities, IPC rights it holds */
    QUOTA_NOTIFY = 3,  /* notification objects */
    QUOTA_MSGS = 4,    /* messages buffered in the kernel on its behalf (queueing backends) */
    QUOTA_COUNT
};

/* kinfo(KINFO_QUOTA): the calling task's usage and limits, indexed by enum quota_resource. */
struct kinfo_quota {
    word_t used[QUOTA_COUNT], limit[QUOTA_COUNT];
};

/* What task_kill's code means when the kernel ends a task on its creator's behalf. */
#define KILL_CODE_ORPHANED 0xdeadUL /* a suspended task whose creator died: nobody can start it */

struct kinfo_memory {
    word_t frames_total, frames_free;
};

/* kinfo(KINFO_POLICY): the running backend's descriptor, its row of BACKEND_TABLE
 * (abi/backend.h, struct backend_desc): its name and the properties programs may branch on. */

/* task_spawn: or into the priority to create the task without starting it (task_start). */
#define SPAWN_SUSPENDED 0x100
/* task_spawn: or into the priority to give the child a maximum controlled priority (L4's MCP)
 * above its initial one: the highest priority any of its threads, and any task it creates, may
 * have. Without it the child's MCP is its initial priority. It can never exceed the creator's
 * own: asking more is E_PERM, as is a thread_create above the caller's MCP. */
#define SPAWN_MCP(p) ((word_t)(p) << 16)
#define SPAWN_MCP_OF(w) (((w) >> 16) & 0xffu)
#define SPAWN_FLAGS_MASK (SPAWN_SUSPENDED | SPAWN_MCP(0xffu) | 0xffu)

/* unmap flags: also remove the caller's own pages (and free what it allocated). */
#define UNMAP_SELF 1u
/* unmap of another kind of flexpage than memory (a backend's names: FPAGE_KIND_BACKEND...) */
#define UNMAP_KIND(k) ((unsigned)(k) << 8)
#define UNMAP_KIND_OF(flags) (((flags) >> 8) & 0xffu)

/* Rights a name carries when given to another task (capgate; ignored by none). */
#define NAME_SEND 1u /* may send / call through it */
#define NAME_GIVE 2u /* may give it on (name_give, map or grant) */
#define NAME_FULL 3u /* send and give: what a client may hold */
#define NAME_BIND 4u /* may bind the endpoint to a receiver: the server's right */
#define NAME_ALL 7u

/* endpoint_bind(ENDPOINT_REDIRECTS, thread): the thread of the caller's task that receives the
 * IPC a backend redirects to the task (clans: as a chief); thread 0: back to the default (the
 * task's oldest thread). Backends without redirection: E_NOTSUP. Never a thread's name. */
#define ENDPOINT_REDIRECTS (~0UL)

/* Priorities: 0 is the idle thread's; user threads use 1..PRIO_MAX. */
#define PRIO_MAX 31
#define PRIO_DEFAULT 10

#endif
