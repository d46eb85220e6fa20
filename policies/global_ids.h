/* SPDX-License-Identifier: MIT */
/*
 * The name hooks of a backend whose names are global ids (none, clans, refmon): a name is the
 * object's kernel id, handing one on is the identity, and none can be taken back (what such a
 * backend revokes, if anything, is a right to use a name, not the name). A backend's policy.c
 * says POLICY_GLOBAL_ID_NAMES once instead of writing these eight hooks again, and the other
 * macros below for the hooks it shares with them.
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

/* Endpoints are the threads themselves: creating one names the thread (the label is not
 * shown to receivers). none, clans and refmon. */
#define POLICY_GLOBAL_ID_ENDPOINT_CREATE                                                           \
    long policy_endpoint_create(struct thread *cur, word_t thread_name, word_t label)              \
    {                                                                                              \
        (void)cur, (void)label;                                                                    \
        struct thread *t =                                                                         \
            thread_name <= 0xffffffffUL ? thread_lookup((uint32_t)thread_name) : NULL;             \
        if (t == NULL || t->task == NULL) return -E_NOENT;                                         \
        return t->id;                                                                              \
    }

/* "Mapping" a global name hands over the same word, so code that passes names in messages
 * works unchanged under every backend; none can be taken back. none and clans. */
#define POLICY_GLOBAL_ID_MAP_ITEM                                                                  \
    enum status policy_map_item(struct thread *from, struct thread *to, word_t hdr, word_t fpage,  \
                                word_t *out)                                                       \
    {                                                                                              \
        (void)from, (void)to;                                                                      \
        if (ITEM_MAP_KIND(hdr) != FPAGE_KIND_BACKEND) return E_MAPFAIL;                            \
        out[0] = hdr;                                                                              \
        out[1] = fpage;                                                                            \
        return OK;                                                                                 \
    }                                                                                              \
    long policy_unmap(struct thread *cur, unsigned kind, word_t fpage, bool self)                  \
    {                                                                                              \
        (void)cur, (void)kind, (void)fpage, (void)self;                                            \
        return -E_NOTSUP; /* global names cannot be taken back */                                  \
    }

/* A backend that never queues a message has no item to carry in a queue. */
#define POLICY_NEVER_QUEUES_ITEMS                                                                  \
    enum status policy_item_take(struct thread *from, struct msg_queue *into, word_t hdr,          \
                                 word_t fpage, word_t *cookie)                                     \
    {                                                                                              \
        (void)from, (void)into, (void)hdr, (void)fpage, (void)cookie;                              \
        return E_NOTSUP; /* never queues */                                                        \
    }                                                                                              \
    enum status policy_item_put(struct thread *to, word_t hdr, word_t cookie, word_t *out)         \
    {                                                                                              \
        (void)to, (void)hdr, (void)cookie, (void)out;                                              \
        return E_NOTSUP;                                                                           \
    }                                                                                              \
    void policy_item_drop(word_t hdr, word_t cookie)                                               \
    {                                                                                              \
        (void)hdr, (void)cookie;                                                                   \
    }

#endif
