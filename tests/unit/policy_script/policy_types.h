/* SPDX-License-Identifier: MIT */
/* The scripted test backend keeps no state in tasks or threads: its script is global. */
#ifndef POLICY_TYPES_H
#define POLICY_TYPES_H

struct policy_task_state {
    char unused;
};

struct policy_thread_state {
    char unused;
};

#endif
