/* SPDX-License-Identifier: MIT */
/*
 * What an IPC-control backend answers when the IPC path asks it to resolve a name
 * (policies/README.md describes the whole interface). Every backend's policy.h includes this
 * file and defines, as static inline functions with these exact names:
 *
 *   void policy_resolve(struct thread *sender, word_t name, struct ipc_route *out);
 *       the send phase: which thread receives, under which label; or deny / redirect / fault.
 *   struct thread *policy_resolve_from(struct thread *receiver, word_t name);
 *       a closed wait: which thread a receiver means by `name` (NULL: no such partner).
 *   word_t policy_reply_label(struct thread *replier, struct thread *caller);
 *       the label a caller sees on the reply.
 */
#ifndef KERNEL_BACKEND_IFACE_H
#define KERNEL_BACKEND_IFACE_H

#include "thread.h"

enum route_kind {
    ROUTE_DELIVER,  /* to `to`, which sees `label` */
    ROUTE_DENY,     /* refuse with `err` */
    ROUTE_REDIRECT, /* deliver to `to` instead (a chief, a monitor), which sees `label` */
    ROUTE_FAULT,    /* raise a fault IPC at monitor `to`; the sender waits for its verdict */
    ROUTE_PARK,     /* block on `park` (e.g. an unbound gate) until woken, then resolve again */
};

struct ipc_route {
    enum route_kind kind;
    struct thread *to;
    word_t label;
    enum status err;
    struct wait_queue *park;
};

struct notification;

/* The hooks every backend's policy.h defines (policies/README.md has the contracts). */
long policy_endpoint_create(struct thread *cur, word_t thread_name, word_t label);
long policy_endpoint_bind(struct thread *cur, word_t endpoint, word_t thread_name);
long policy_name_give(struct thread *cur, struct task *to, word_t name, unsigned rights);
long policy_name_drop(struct thread *cur, word_t name);
word_t policy_name_of_thread(struct task *holder, struct thread *t);
word_t policy_name_of_task(struct task *holder, struct task *t);
struct task *policy_task_lookup(struct thread *cur, word_t name);
void policy_task_freed(struct task *t);
long policy_notification_name(struct thread *cur, struct notification *n);
struct notification *policy_notification_lookup(struct thread *cur, word_t name);
enum status policy_task_init(struct task *t, struct task *creator);
void policy_task_destroy(struct task *t);
void policy_thread_destroy(struct thread *t);
enum status policy_map_item(struct thread *from, struct thread *to, word_t hdr, word_t fpage,
                            word_t *out);

#endif
