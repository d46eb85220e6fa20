/* SPDX-License-Identifier: MIT */
/* IPC gates: created by a task's factory against its quota, bound to one receiver thread. */
#ifndef CAPGATE_GATE_H
#define CAPGATE_GATE_H

#include "cspace.h"

#define MAX_GATES 256

void gate_boot(void); /* the gate pool, empty */
struct gate *gate_create(struct task *factory_owner, struct thread *bound, word_t label);
void gate_bind(struct gate *g, struct thread *t); /* wakes parked senders */
void gate_unref(struct gate *g);                  /* last reference: destroyed */
void gate_thread_gone(struct thread *t);          /* unbind every gate bound to t */
void gate_task_gone(struct task *t);              /* its quota no longer exists */

#endif
