/* SPDX-License-Identifier: MIT */
/* Per-task quotas, charged along the quota tree (quota.h). */
#include "quota.h"
#include "mapdb.h"
#include "notify.h"
#include "pool.h"
#include "thread.h"

/* The root's limits are the pools themselves: it answers for the whole system. */
static const uint32_t root_limit[QUOTA_COUNT] = {
    [QUOTA_THREADS] = MAX_THREADS,      [QUOTA_TASKS] = MAX_TASKS,  [QUOTA_NODES] = MAPDB_NODES,
    [QUOTA_NOTIFY] = MAX_NOTIFICATIONS, [QUOTA_MSGS] = 0xffffffffu,
};

static const uint32_t default_limit[QUOTA_COUNT] = {
    [QUOTA_THREADS] = QUOTA_DEFAULT_THREADS, [QUOTA_TASKS] = QUOTA_DEFAULT_TASKS,
    [QUOTA_NODES] = QUOTA_DEFAULT_NODES,     [QUOTA_NOTIFY] = QUOTA_DEFAULT_NOTIFY,
    [QUOTA_MSGS] = QUOTA_DEFAULT_MSGS,
};

void quota_init(struct task *t, struct task *creator)
{
    t->quota = (struct quota){.up = creator};
    for (unsigned r = 0; r < QUOTA_COUNT; r++) {
        uint32_t lim = creator ? default_limit[r] : root_limit[r];
        if (creator && lim > creator->quota.limit[r]) lim = creator->quota.limit[r];
        t->quota.limit[r] = lim;
    }
}

enum status quota_charge(struct task *t, enum quota_resource r)
{
    for (struct task *q = t; q; q = q->quota.up)
        if (q->quota.used[r] >= q->quota.limit[r]) return E_QUOTA;
    for (struct task *q = t; q; q = q->quota.up)
        q->quota.used[r]++;
    return OK;
}

void quota_release(struct task *t, enum quota_resource r)
{
    for (struct task *q = t; q; q = q->quota.up) {
        kassert(q->quota.used[r] > 0);
        q->quota.used[r]--;
    }
}

void quota_task_freed(struct task *t)
{
    for (uint32_t i = 0; i < task_pool.capacity; i++) {
        struct task *c = pool_at(&task_pool, i);
        if (c && c->quota.up == t) c->quota.up = t->quota.up;
    }
}

enum status quota_set(struct task *creator, struct task *child, enum quota_resource r,
                      uint32_t limit)
{
    if (r >= QUOTA_COUNT) return E_INVAL;
    if (limit > creator->quota.limit[r]) return E_PERM; /* nobody hands out more than it has */
    if (limit < child->quota.used[r]) return E_BUSY;
    child->quota.limit[r] = limit;
    return OK;
}

/* Memory mappings live in address spaces (embedded in tasks); every other kind is held by a
 * task directly (the backends' capability and right spaces). */
enum status quota_mapdb_charge(void *space, unsigned kind, int delta)
{
    struct task *t = kind == MAPDB_KIND_MEM
                         ? (struct task *)((char *)space - __builtin_offsetof(struct task, vs))
                         : space;
    if (delta > 0) return quota_charge(t, QUOTA_NODES);
    quota_release(t, QUOTA_NODES);
    return OK;
}
