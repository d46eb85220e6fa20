/* SPDX-License-Identifier: MIT */
/* IPC gate objects and the factory quota that pays for them. */
#include "gate.h"
#include "ipc.h"
#include "pool.h"

/*
 * Lifetime: a gate lives while a capability names it (refs); it is charged to the factory of
 * the task that created it until that task dies. Its bound thread dying unbinds it (senders
 * then park until someone rebinds it); the last capability going wakes its parked senders
 * with E_CANCELLED and frees it. A sender already queued on the bound thread is not affected.
 */
POOL_DEFINE(gate_pool, struct gate, MAX_GATES);
void gate_boot(void)
{
    pool_init(&gate_pool);
}

struct gate *gate_create(struct task *owner, struct thread *bound, word_t label)
{
    if (owner->pol.objects >= CAPGATE_QUOTA) return NULL;
    struct gate *g = pool_alloc(&gate_pool);
    if (g == NULL) return NULL;
    g->bound = bound;
    g->label = label;
    g->charged = owner;
    owner->pol.objects++;
    return g;
}

void gate_bind(struct gate *g, struct thread *t)
{
    g->bound = t;
    ipc_wake_parked(&g->parked, OK); /* they resolve the gate again and find the receiver */
}

void gate_unref(struct gate *g)
{
    if (--g->refs > 0) return;
    ipc_wake_parked(&g->parked, E_CANCELLED);
    if (g->charged) g->charged->pol.objects--;
    kassert(pool_free(&gate_pool, g) == OK);
}

void gate_thread_gone(struct thread *t)
{
    for (uint32_t i = 0; i < gate_pool.capacity; i++) {
        struct gate *g = pool_at(&gate_pool, i);
        if (g && g->bound == t) g->bound = NULL; /* senders now park until it is bound again */
    }
}

void gate_task_gone(struct task *t)
{
    for (uint32_t i = 0; i < gate_pool.capacity; i++) {
        struct gate *g = pool_at(&gate_pool, i);
        if (g && g->charged == t) g->charged = NULL;
    }
}
