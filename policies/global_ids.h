/* SPDX-License-Identifier: MIT */
/*
 * The name hooks of a backend whose names are global ids (none, clans, refmon): a name is the
 * object's kernel id, handing one on is the identity, and none can be taken back (what such a
 * backend revokes, if anything, is a right to use a name, not the name). A backend's policy.c
 * says POLICY_GLOBAL_ID_NAMES once instead of writing these eight hooks again.
 */
#ifndef POLICIES_GLOBAL_IDS_H
#define POLICIES_GLOBAL_IDS_H

#include "notify.h"
#include "policy_iface.h"

#define POLICY_GLOBAL_ID_NAMES                                                                     \
    long policy_name_give(struct thread *cur, struct task *to, word_t name, unsigned rights)       \
    {                                                                                              \
        (void)cur, (void)to, (void)rights;                                                         \
        return (long)name; /* the receiver sees the same word */                                   \
    }                                                                                              \
    long policy_name_drop(struct thread *cur, word_t name)                                         \
    {                                                                                              \
        (void)cur, (void)name;                                                                     \
        return -E_PERM; /* a global id cannot be taken away from anyone */                         \
    }                                                                                              \
    word_t policy_name_of_thread(struct task *holder, struct thread *t)                            \
    {                                                                                              \
        (void)holder;                                                                              \
        return t->id;                                                                              \
    }                                                                                              \
    word_t policy_name_of_task(struct task *holder, struct task *t)                                \
    {                                                                                              \
        (void)holder;                                                                              \
        return t->id;                                                                              \
    }                                                                                              \
    struct task *policy_task_lookup(struct thread *cur, word_t name)                               \
    {                                                                                              \
        (void)cur;                                                                                 \
        return name <= 0xffffffffUL ? task_lookup((uint32_t)name) : NULL;                          \
    }                                                                                              \
    void policy_task_freed(struct task *t)                                                         \
    {                                                                                              \
        (void)t;                                                                                   \
    }                                                                                              \
    long policy_notification_name(struct thread *cur, struct notification *n)                      \
    {                                                                                              \
        (void)cur;                                                                                 \
        return n->id;                                                                              \
    }                                                                                              \
    struct notification *policy_notification_lookup(struct thread *cur, word_t name)               \
    {                                                                                              \
        (void)cur;                                                                                 \
        return name <= 0xffffffffUL ? notify_lookup((uint32_t)name) : NULL;                        \
    }

#endif
