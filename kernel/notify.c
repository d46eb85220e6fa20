/* SPDX-License-Identifier: MIT */
/* Notification objects, their system calls, and hardware interrupts delivered through them. */
#include "notify.h"
#include "ipc.h"
#include "policy.h"
#include "pool.h"
#include "quota.h"
#include "sched.h"
#include "syscall.h"
#include "trace.h"

/*
 * Lifetime: a notification belongs to the task that created it (charged to its quota) and dies
 * with it (notify_task_gone): IRQ lines detach, names for it go first (the backend revokes
 * them in policy_task_destroy), pending bits are dropped. A bound thread that dies only
 * unbinds (notify_thread_gone); triggers then keep the bits pending.
 */
POOL_DEFINE(notify_pool, struct notification, MAX_NOTIFICATIONS);
static uint32_t notify_gen[MAX_NOTIFICATIONS]; /* pool.h: ids never repeat */
static struct notification *irq_line[MAX_IRQ_LINES];

#define SLOT_MASK ((1u << ID_SLOT_BITS) - 1)

void notify_init(void)
{
    pool_init(&notify_pool);
}

struct kinfo_pool notify_pool_info(void)
{
    return (struct kinfo_pool){notify_pool.capacity, notify_pool.used, notify_pool.peak,
                               notify_pool.failures};
}

struct notification *notify_lookup(uint32_t id)
{
    struct notification *n = pool_at(&notify_pool, (id & SLOT_MASK) - 1);
    return (n && n->id == id) ? n : NULL;
}

/* The object goes back to the pool and its owner's quota. */
static void notify_free(struct notification *n)
{
    quota_release(n->owner, QUOTA_NOTIFY);
    pool_free_id(&notify_pool, notify_gen, n);
}

/* Hands the pending bits to `t` as a message. */
static void deliver(struct notification *n, struct thread *t)
{
    t->utcb->mr[0] = n->pending;
    ipc_landed(t, MSGTAG(n->label, 1, 0, MSGTAG_F_NOTIFY), n->label, 0, 0, false);
    n->pending = 0;
}

static void trigger(struct notification *n, word_t bits)
{
    n->pending |= bits;
    struct thread *t = n->bound;
    /* only an open wait takes notifications; otherwise they stay pending, never a reason to
     * block the producer */
    if (t == NULL || !ipc_waits_for(t, IPC_FROM_ANY) || t->ipc_from != IPC_FROM_ANY) return;
    deliver(n, t);
    ipc_end_wait(t, OK);
}

void notify_signal(struct notification *n, word_t bits)
{
    trace_ipc(TRACE_OP_NOTIFY, NULL, n->id, n->bound, n->label,
              MSGTAG(n->label, 1, 0, MSGTAG_F_NOTIFY), TRACE_DELIVERED, OK);
    trigger(n, bits);
}

bool notify_take(struct thread *t)
{
    for (uint32_t i = 0; i < notify_pool.capacity; i++) {
        struct notification *n = pool_at(&notify_pool, i);
        if (n && n->bound == t && n->pending) {
            deliver(n, t);
            return true;
        }
    }
    return false;
}

void notify_thread_gone(struct thread *t)
{
    for (uint32_t i = 0; i < notify_pool.capacity; i++) {
        struct notification *n = pool_at(&notify_pool, i);
        if (n && n->bound == t) n->bound = NULL;
    }
}

void notify_task_gone(struct task *t)
{
    for (uint32_t i = 0; i < notify_pool.capacity; i++) {
        struct notification *n = pool_at(&notify_pool, i);
        if (n == NULL || n->owner != t) continue;
        for (unsigned irq = 0; irq < MAX_IRQ_LINES; irq++)
            if (irq_line[irq] == n) irq_line[irq] = NULL;
        notify_free(n);
    }
}

void notify_irq(unsigned irq)
{
    if (irq < MAX_IRQ_LINES && irq_line[irq]) trigger(irq_line[irq], 1ul << irq);
}

/* The one place a notification name is resolved. */
static struct notification *notification_named(word_t name)
{
    return policy_notification_lookup(current, name);
}

long sys_notify_create(word_t label, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    enum status q = quota_charge(current->task, QUOTA_NOTIFY);
    if (q != OK) return -(long)q;
    struct notification *n = pool_alloc(&notify_pool);
    if (n == NULL) {
        quota_release(current->task, QUOTA_NOTIFY);
        return -E_NOMEM;
    }
    n->id = pool_new_id(&notify_pool, notify_gen, n);
    n->label = label;
    n->owner = current->task;
    long name = policy_notification_name(current, n);
    if (name < 0) notify_free(n);
    return name;
}

long sys_notify_bind(word_t id, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    struct notification *n = notification_named(id);
    if (n == NULL) return -E_NOENT;
    if (n->owner != current->task) return -E_PERM;
    if (n->bound && n->bound != current) return -E_BUSY;
    n->bound = current;
    current->notify_bound = true;
    return OK;
}

long sys_notify_trigger(word_t id, word_t bits, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    struct notification *n = notification_named(id);
    if (n == NULL) return -E_NOENT;
    if (bits == 0) return -E_INVAL;
    /* the bits reach the bound thread now or at its next wait; either way, on the record */
    trace_ipc(TRACE_OP_NOTIFY, current, id, n->bound, n->label,
              MSGTAG(n->label, 1, 0, MSGTAG_F_NOTIFY), TRACE_DELIVERED, OK);
    trigger(n, bits);
    return OK;
}

long sys_irq_attach(word_t irq, word_t id, word_t a2, word_t a3, word_t a4)
{
    (void)a2, (void)a3, (void)a4;
    if (!current->task->is_root) return -E_PERM;
    if (irq >= MAX_IRQ_LINES) return -E_RANGE;
    if (id == 0) { /* detach */
        irq_line[irq] = NULL;
        return OK;
    }
    struct notification *n = notification_named(id);
    if (n == NULL) return -E_NOENT;
    if (irq_line[irq] && irq_line[irq] != n) return -E_BUSY;
    irq_line[irq] = n;
    return OK;
}
