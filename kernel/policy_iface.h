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
#ifndef KERNEL_POLICY_IFACE_H
#define KERNEL_POLICY_IFACE_H

#include "thread.h"

enum route_kind {
    ROUTE_DELIVER,  /* to `to`, which sees `label` */
    ROUTE_DENY,     /* refuse with `err` */
    ROUTE_REDIRECT, /* deliver to `to` instead (a chief, a monitor), which sees `label` */
    ROUTE_FAULT,    /* raise a fault IPC at monitor `to`; the sender waits for its verdict */
};

struct ipc_route {
    enum route_kind kind;
    struct thread *to;
    word_t label;
    enum status err;
};

#endif
