/* SPDX-License-Identifier: MIT */
/*
 * Messages buffered in the kernel, for backends that route a send into a queue (ROUTE_QUEUE:
 * Mach-style ports). This is where the lecture's costs of asynchronous IPC live: every queued
 * message is copied twice (sender -> kernel -> receiver), and its kernel memory is charged to
 * the sender's QUOTA_MSGS, so a flood exhausts the flooder's quota, not the kernel.
 *
 * A queue belongs to a backend object (a port); the core only copies, counts and wakes. Typed
 * items of the backend's kinds (rights) are taken from the sender at enqueue and installed in
 * the receiver at delivery (policy_item_take / _put / _drop); strings and memory mappings are
 * not buffered (E_NOTSUP): they need both address spaces at once.
 */
#ifndef KERNEL_IPC_QUEUE_H
#define KERNEL_IPC_QUEUE_H

#include "policy_iface.h"

#define MAX_KMSGS 256     /* buffered messages in the whole system */
#define MSGQ_LIMIT_MAX 64 /* the largest limit a queue may have */

struct kmsg;

struct msg_queue {
    struct kmsg *head, *tail;
    uint32_t len, limit;
    struct wait_queue full; /* senders waiting for room (their send timeouts run) */
};

/* Messages waiting in all queues together: while there are none, an open wait need not look
 * at its queues (the fast path's reply-and-wait, through the backend's policy_pending). */
extern uint32_t msgq_queued;

void msgq_boot(void); /* the message pool, empty */
void msgq_init(struct msg_queue *q, uint32_t limit);
static inline bool msgq_full(const struct msg_queue *q)
{
    return q->len >= q->limit;
}

/* Copies the send into the queue (the caller checked it is not full). OK, E_QUOTA (the
 * sender's), E_NOMEM (the pool), E_NOTSUP (an item that cannot wait), or an item's error. */
enum status msgq_enqueue(struct thread *snd, struct msg_queue *q, const struct ipc_route *r,
                         word_t tag, word_t dest);
/* Hands the oldest message to `rcv` and wakes one sender waiting for room. */
enum status msgq_deliver(struct thread *rcv, struct msg_queue *q);
/* The queue's object dies: its messages go (with the rights they carried), and senders
 * waiting for room learn E_CANCELLED. */
void msgq_destroy(struct msg_queue *q);
/* The queue's owner is known by a new label (a port's receive right moved to another task):
 * every message still queued arrives with `label`. */
void msgq_relabel(struct msg_queue *q, word_t label);
/* The limit the queue's owner asks for, at most MSGQ_LIMIT_MAX and at least 1; senders
 * waiting for room are woken to try again. */
void msgq_set_limit(struct msg_queue *q, uint32_t limit);
/* A task is being freed: messages charged to it stop naming it (their charge returns now). */
void msgq_task_freed(struct task *t);
struct kinfo_pool msgq_pool_info(void);

#endif
