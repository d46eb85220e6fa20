/* SPDX-License-Identifier: MIT */
/* Backend `none` keeps no state of its own in tasks or threads. */
#ifndef POLICY_TYPES_H
#define POLICY_TYPES_H

struct policy_task_state {
    char unused;
};

struct policy_thread_state {
    char unused;
};

#endif
