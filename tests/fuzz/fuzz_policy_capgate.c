/* SPDX-License-Identifier: MIT */
/* IPC fuzzer, backend `capgate`: capabilities, gates and the factory quota stay consistent. */
#include "fuzz_policy.h"
#include "gate.h"
#include "notify.h"
#include "pool.h"

extern struct pool gate_pool, notify_pool;

static bool in_pool(const struct pool *p, const void *obj)
{
    uint32_t i = pool_index(p, obj);
    return i != POOL_END && fuzz_slot(p, i) == obj;
}

/* Every capability names a live object of its type; gate reference counts match the
 * capabilities; a gate is bound to a live thread and its parked senders form a queue; a task's
 * quota counts the gates and notifications charged to it. */
void fuzz_policy_check(void)
{
    static uint32_t refs[MAX_GATES], charged[MAX_TASKS];
    for (uint32_t i = 0; i < MAX_GATES; i++)
        refs[i] = 0;
    for (uint32_t i = 0; i < MAX_TASKS; i++)
        charged[i] = 0;
    for (uint32_t ti = 0; ti < task_pool.capacity; ti++) {
        struct task *t = fuzz_slot(&task_pool, ti);
        if (t == NULL || t->state != TASK_ALIVE) continue;
        for (unsigned s = 0; s < CAP_SLOTS; s++) {
            const struct cap *c = &t->pol.cspace[s];
            FUZZ_CHECK(s != 0 || c->type == CAP_NONE, "task %u: slot 0 holds type %u", t->id,
                       c->type);
            switch (c->type) {
            case CAP_NONE:
                break;
            case CAP_THREAD:
                FUZZ_CHECK(fuzz_thread_live(c->obj), "task %u slot %u: a dead thread", t->id, s);
                break;
            case CAP_GATE:
                FUZZ_CHECK(in_pool(&gate_pool, c->obj), "task %u slot %u: a freed gate", t->id, s);
                refs[pool_index(&gate_pool, c->obj)]++;
                break;
            case CAP_NOTIFY:
                FUZZ_CHECK(in_pool(&notify_pool, c->obj), "task %u slot %u: a freed notification",
                           t->id, s);
                break;
            case CAP_TASK:
            case CAP_FACTORY:
                FUZZ_CHECK(in_pool(&task_pool, c->obj), "task %u slot %u: a freed task", t->id, s);
                break;
            default:
                FUZZ_CHECK(false, "task %u slot %u: type %u", t->id, s, c->type);
            }
        }
    }
    for (uint32_t i = 0; i < gate_pool.capacity; i++) {
        struct gate *g = fuzz_slot(&gate_pool, i);
        if (g == NULL) continue;
        FUZZ_CHECK(g->refs == refs[i], "gate %u: refs %u, capabilities %u", i, g->refs, refs[i]);
        FUZZ_CHECK(g->bound == NULL || fuzz_thread_live(g->bound), "gate %u bound to a dead thread",
                   i);
        fuzz_check_queue(&g->parked, "a gate's parked senders");
        if (g->charged) {
            FUZZ_CHECK(in_pool(&task_pool, g->charged) && g->charged->state == TASK_ALIVE,
                       "gate %u charged to a dead task", i);
            charged[pool_index(&task_pool, g->charged)]++;
        }
    }
    for (uint32_t i = 0; i < notify_pool.capacity; i++) {
        struct notification *n = fuzz_slot(&notify_pool, i);
        if (n && in_pool(&task_pool, n->owner)) charged[pool_index(&task_pool, n->owner)]++;
    }
    for (uint32_t ti = 0; ti < task_pool.capacity; ti++) {
        struct task *t = fuzz_slot(&task_pool, ti);
        if (t == NULL || t->state != TASK_ALIVE) continue;
        FUZZ_CHECK(t->pol.objects == charged[ti] && t->pol.objects <= CAPGATE_QUOTA,
                   "task %u: quota counts %u objects, %u are charged to it", t->id, t->pol.objects,
                   charged[ti]);
    }
}

unsigned fuzz_policy_objects(void)
{
    return gate_pool.used;
}
