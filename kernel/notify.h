/* SPDX-License-Identifier: MIT */
/*
 * Notifications: asynchronous, IRQ-like objects for shared-memory producer/consumer pairs.
 * Trigger ORs bits and never blocks, so a consumer can never block its producer; the bound
 * thread collects the bits with an ordinary open wait. Hardware interrupts can be attached.
 */
#ifndef KERNEL_NOTIFY_H
#define KERNEL_NOTIFY_H

#include "thread.h"

#define MAX_NOTIFICATIONS 64
#define MAX_IRQ_LINES 16

struct notification {
    uint32_t id;
    word_t label;
    word_t pending;       /* bits triggered since the last delivery */
    struct task *owner;   /* the creating task; the object dies with it */
    struct thread *bound; /* the receiving thread, or NULL */
};

void notify_init(void);
struct notification *notify_lookup(uint32_t id);

/* Open wait of a bound thread: takes pending bits as a message; false if none. */
bool notify_take(struct thread *t);

/* Teardown when a thread or task goes away. */
void notify_thread_gone(struct thread *t);
void notify_task_gone(struct task *t);

/* The kernel signals a notification on a backend's behalf (dead-name, no-senders): it never
 * blocks, and the trace records it as coming from the kernel. */
void notify_signal(struct notification *n, word_t bits);

/* Accounting of the notification pool, for kinfo. */
struct kinfo_pool notify_pool_info(void);

/* Called by the arch layer for every hardware interrupt line. */
void notify_irq(unsigned irq);

#endif
