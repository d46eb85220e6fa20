/* SPDX-License-Identifier: MIT */
/*
 * Per-task quotas over the kernel's global pools (abi/syscall.h, enum quota_resource).
 *
 * Each task has a limit per resource. A charge to a task is also a charge to every task above
 * it in the quota tree (its creator, the creator's creator, ...), and fails if any of them is
 * at its limit: a task and everything it creates share what its creator gave it, so one task
 * cannot starve the others by exhausting a global pool, directly or through its children.
 * The quota tree is the creation tree, except that a task's children are handed to its own
 * quota parent when it is freed (their usage is already counted there).
 */
#ifndef KERNEL_QUOTA_H
#define KERNEL_QUOTA_H

#include "abi/syscall.h"
#include "kernel.h"

struct task;

struct quota {
    uint32_t used[QUOTA_COUNT], limit[QUOTA_COUNT];
    struct task *up; /* charged along with this task; NULL for the root */
};

/* What a new task may use unless its creator says otherwise (never more than the creator). */
#define QUOTA_DEFAULT_THREADS 32
/* Creating tasks needs authority: none unless the creator gives it (task_quota). */
#define QUOTA_DEFAULT_TASKS 0
#define QUOTA_DEFAULT_NODES 2048
#define QUOTA_DEFAULT_NOTIFY 16
#define QUOTA_DEFAULT_MSGS 64

/* A new task's limits: the defaults, capped by the creator's; the root gets whole pools. */
void quota_init(struct task *t, struct task *creator);
/* E_QUOTA if `t` or a task above it is at its limit; nothing is charged then. */
enum status quota_charge(struct task *t, enum quota_resource r);
void quota_release(struct task *t, enum quota_resource r);
/* `t` is being freed: its quota children move up to its own quota parent. */
void quota_task_freed(struct task *t);
/* The creator sets a limit of its child: at most its own limit, at least the child's usage. */
enum status quota_set(struct task *creator, struct task *child, enum quota_resource r,
                      uint32_t limit);

/* The mapping database's accounting hook: a node appears in or leaves a space. */
enum status quota_mapdb_charge(void *space, unsigned kind, int delta);

#endif
