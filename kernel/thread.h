/* SPDX-License-Identifier: MIT */
/* Tasks (address spaces with a name and a creator) and threads (what the scheduler runs). */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include "abi/ipc.h"
#include "abi/syscall.h"
#include "kernel.h"
#include "policy_types.h"
#include "pool.h"
#include "quota.h"
#include "vm.h"

#define MAX_TASKS 64
#define MAX_THREADS 256
#define MAX_THREADS_PER_TASK UTCB_AREA_PAGES
#define KSTACK_SIZE 16384

struct thread;

/* A FIFO of blocked threads (doubly linked through the threads, so removal is O(1)). */
struct wait_queue {
    struct thread *head, *tail;
};

enum thread_state { THREAD_READY, THREAD_RUNNING, THREAD_BLOCKED, THREAD_DEAD };

/* What a blocked thread waits for. */
enum ipc_wait { IPC_IDLE, IPC_SENDING, IPC_RECEIVING };

#define IPC_FROM_ANY ((struct thread *)0)

struct thread {
    uint32_t id;
    enum thread_state state;
    uint8_t prio;
    uint8_t quantum;          /* ticks left in this time slice */
    uint8_t arch_switch_work; /* non-zero: arch_switch has CPU work for this thread (its FPU) */
    struct task *task;        /* NULL for kernel threads (idle) */
    struct thread *task_next; /* the task's thread list */
    struct thread *rq_next, *rq_prev;
    struct wait_queue *wq; /* the queue this thread is blocked on, if any */
    struct thread *wq_next, *wq_prev;
    word_t wake_result;         /* what the waker left for the blocked call */
    struct task_exit wait_exit; /* task_wait: how the awaited task ended */
    uint64_t kstack_sp;         /* saved by arch_switch while not running */
    uintptr_t kstack_top;

    /* IPC */
    struct utcb *utcb; /* the kernel's view of the UTCB (direct map) */
    vaddr_t utcb_uva;  /* where the task sees it */
    unsigned utcb_slot;
    enum ipc_wait ipc_wait;
    struct thread *ipc_from;           /* closed wait: the only acceptable sender; NULL = any */
    bool ipc_from_nil;                 /* waiting on the nil thread: sleep */
    struct wait_queue senders;         /* threads blocked sending to this one */
    word_t ipc_tag;                    /* blocked sender: the tag it sends */
    word_t ipc_label;                  /* blocked sender: the label the backend resolved */
    word_t ipc_dest;                   /* blocked sender: the name it used (for the trace) */
    struct thread *ipc_as;             /* blocked sender: whom receivers see (deceit), or NULL */
    word_t ipc_intended, ipc_actual;   /* blocked sender: for a redirected / forwarded message */
    struct thread *ipc_to;             /* blocked sender: whom it waits for (NULL: a gate) */
    bool ipc_is_call;                  /* blocked sender: a receive phase follows */
    uint32_t ipc_rcv_timeout;          /* blocked caller: timeout of its receive phase */
    word_t ipc_rcv_tag, ipc_rcv_label; /* receiver: what arrived */
    struct thread *reply_to; /* the caller this thread owes a reply (implicit reply cap) */
    bool notify_bound;
    word_t pager, exc_handler; /* names (the backend resolves them); 0 = none */
    word_t monitor;            /* the backend's reference monitor for this thread; 0 = none */
    bool in_fault;
    /* a fault IPC is in progress: map window = whole space */ /* a notification is bound: open
                                                                  waits check it first */
    uint64_t deadline_us;                                      /* absolute timeout; 0 = none */
    struct policy_thread_state pol;                            /* the backend's per-thread state */
    struct thread *timeout_next, *timeout_prev;
    struct arch_thread arch; /* CPU-specific, cold: the FPU save area (arch_types.h) */
};

enum task_state { TASK_ALIVE, TASK_ZOMBIE };

struct task {
    uint32_t id;
    enum task_state state;
    char name[32];
    struct vspace vs;
    struct task *parent; /* the creator; NULL for the root task and orphans */
    struct thread *threads;
    uint32_t nthreads;
    bool is_root;
    uint8_t mcp; /* maximum controlled priority: no thread or child of it runs above this */
    struct task_exit exit;        /* valid once a zombie */
    uint64_t utcb_slots;          /* bitmap of UTCB pages in use */
    bool started;                 /* false while spawned suspended */
    struct policy_task_state pol; /* the backend's per-task state */
    struct wait_queue exit_waiters;
    struct quota quota; /* limits, and usage charged to it and the tasks above it */
};

void objects_init(void);
extern struct pool task_pool, thread_pool;

/* The live object an id names, or NULL (ids never repeat: pool.h). Inline: backends with
 * global names resolve every send through thread_lookup. */
static inline struct task *task_lookup(uint32_t id)
{
    struct task *t = pool_at(&task_pool, (id & ((1u << ID_SLOT_BITS) - 1)) - 1);
    return (t && t->id == id) ? t : NULL;
}

/* A slot's id and state are exact whether it is in use or not (a freed thread is DEAD, a
 * never-used or failed one has id 0), so no pool bookkeeping is consulted: constant stride.
 * Every thread in the slots belongs to a task (the idle thread lives outside them). */
extern struct thread thread_slots[MAX_THREADS];
static inline struct thread *thread_lookup(uint32_t id)
{
    uint32_t slot = (id & ((1u << ID_SLOT_BITS) - 1)) - 1;
    if (slot >= MAX_THREADS) return NULL;
    struct thread *t = &thread_slots[slot];
    return (t->id == id && t->state != THREAD_DEAD) ? t : NULL;
}

/* The fast path's lookup (policy_resolve_fast): the thread in the slot a name's low bits
 * index if its id is exactly `name` (a name above 32 bits never is), alive or not: the caller
 * delivers only to a thread that waits (ipc_waits_for), so the state is not tested twice. */
static inline struct thread *thread_slot_of(word_t name)
{
    uint32_t slot = (uint32_t)(name & ((1u << ID_SLOT_BITS) - 1)) - 1;
    if (slot >= MAX_THREADS) return NULL;
    struct thread *t = &thread_slots[slot];
    return t->id == name ? t : NULL;
}

/* Creates a task from an ELF image with one ready thread at `prio`, charged to `parent`. */
enum status task_create_from_elf(const char *name, const void *image, size_t len, uint8_t prio,
                                 word_t arg, bool start, struct task *parent, struct task **out);
/* A new thread of `t`, charged to its quota: E_QUOTA, E_NOMEM. */
enum status thread_create(struct task *t, vaddr_t ip, vaddr_t sp, word_t arg, uint8_t prio,
                          bool start, struct thread **out);

/*
 * Ends a task: records how, tears down every thread and the address space, wakes whoever
 * waits for it. If the current thread belongs to it, this does not return.
 */
void task_end(struct task *t, enum task_end how, word_t code, word_t addr, word_t ip);
void thread_exit_current(word_t code) NORETURN;
void task_free_zombie(struct task *t);

/* Called on the new stack after every switch: frees what the previous thread left dead. */
void thread_reap(struct thread *dead);

#endif
