/* SPDX-License-Identifier: MIT */
/* Backend `clans`: each task's clan (its creator's id), its living chief, and the thread of the
 * task that takes the IPC redirected to it as a chief. */
#ifndef POLICY_TYPES_H
#define POLICY_TYPES_H

#include "abi/types.h"

struct task;
struct thread;

struct policy_task_state {
    /* The clan: the id of the task that created this one (0: none, the root task). It never
     * changes, so a clan whose chief died stays a clan of its own. */
    uint32_t clan;
    /* The chief that handles the clan's redirected IPC: the creator while it lives, then the
     * dead chief's own chief (policy.c: chief death). Never a zombie; NULL for the root task. */
    struct task *chief;
    /* The thread that receives IPC redirected to this task as a chief (endpoint_bind of
     * ENDPOINT_REDIRECTS), or NULL: the task's oldest thread. */
    struct thread *receiver;
};

struct policy_thread_state {
    char unused;
};

#endif
