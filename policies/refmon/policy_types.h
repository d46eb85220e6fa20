/* SPDX-License-Identifier: MIT */
/* Backend `refmon`: each task's IPC-right space (rights.h); threads keep nothing of their own. */
#ifndef POLICY_TYPES_H
#define POLICY_TYPES_H

struct refmon_space;

struct policy_task_state {
    struct refmon_space *rs; /* the task's IPC rights and their per-thread-slot cache */
};

struct policy_thread_state {
    char unused;
};

#endif
