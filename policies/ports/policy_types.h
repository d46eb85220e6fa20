/* SPDX-License-Identifier: MIT */
/* Backend `ports`: the per-task name table of port rights, per-thread the ports it receives on. */
#ifndef POLICY_TYPES_H
#define POLICY_TYPES_H

#include "abi/types.h"

#define PORT_NAMES 128 /* names per task; name 0 is never used (MACH_PORT_NULL) */
#define PORTS_QUOTA 32 /* ports a task may create (charged to it until it dies) */

struct port_name;
struct port;

struct policy_task_state {
    struct port_name *names; /* PORT_NAMES entries, indexed by a task-local name */
    uint32_t ports;          /* ports charged to this task */
};

struct policy_thread_state {
    struct port *receives; /* the ports whose receiver this thread is (a list) */
};

#endif
