/* SPDX-License-Identifier: MIT */
/* Backend `capgate`: the per-task capability space and quota, per-thread nothing. */
#ifndef POLICY_TYPES_H
#define POLICY_TYPES_H

#include "abi/types.h"

#define CAP_SLOTS 256    /* capability slots per task; slot 0 is always empty */
#define CAPGATE_QUOTA 32 /* gates and notifications a task's factory may create */

struct cap;

struct policy_task_state {
    struct cap *cspace; /* CAP_SLOTS entries, indexed by a task-local name */
    uint32_t objects;   /* objects charged to this task's factory */
};

struct policy_thread_state {
    char unused;
};

#endif
