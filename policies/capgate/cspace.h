/* SPDX-License-Identifier: MIT */
/*
 * Capability spaces: a task names kernel objects only through indexes into its own table.
 * Every capability is a node in the kernel's mapping database (kind MAPDB_CAP, the same
 * database as memory): an original is a root, a copy handed on is a child, so dropping a
 * capability revokes everything derived from it, in every task, recursively.
 */
#ifndef CAPGATE_CSPACE_H
#define CAPGATE_CSPACE_H

#include "mapdb.h"
#include "policy_iface.h"

enum cap_type { CAP_NONE, CAP_TASK, CAP_THREAD, CAP_GATE, CAP_NOTIFY, CAP_FACTORY };

#define CAP_R_SEND 1u /* NAME_SEND: invoke (send, call, trigger) */
#define CAP_R_GIVE 2u /* NAME_GIVE: may be given on / mapped / granted */
#define CAP_R_BIND 4u /* NAME_BIND: may bind a gate to a receiver (the server's right) */
#define CAP_R_ALL (CAP_R_SEND | CAP_R_GIVE | CAP_R_BIND)

#define CAPGATE_KIND_CAP MAPDB_KIND_BACKEND /* capabilities in the mapping database */

/* An IPC gate: bound to a receiver thread, carrying the label its receiver sees. */
struct gate {
    struct thread *bound;
    word_t label;
    struct task *charged;     /* whose factory quota pays for it */
    uint32_t refs;            /* capabilities naming it */
    struct wait_queue parked; /* senders waiting for a bound thread */
};

struct cap {
    uint8_t type;   /* enum cap_type (read on the IPC path: kept in the slot) */
    uint8_t rights; /* CAP_R_* */
    void *obj;
    struct mapdb_node *node; /* where it sits in the derivation tree */
};

#define CSPACE_SLOT_TASK 1 /* every task starts with its own task and factory */
#define CSPACE_SLOT_FACTORY 2

struct cap *cspace_of(struct task *t);
struct cap *cap_lookup(struct task *t, word_t name); /* NULL if out of range */
long cap_install(struct task *t, enum cap_type type, void *obj, unsigned rights,
                 struct task *parent_task, unsigned parent_slot); /* -> index or -E_NOMEM */
long cap_install_at(struct task *t, unsigned slot, enum cap_type type, void *obj, unsigned rights,
                    struct task *parent_task, unsigned parent_slot);
void cap_revoke(struct task *t, unsigned slot, bool self); /* derived caps, and self if asked */
void cap_move(struct task *from, unsigned from_slot, struct task *to, unsigned to_slot);
void cap_clear_object(void *obj); /* the object died: every capability to it goes */
void cap_clear_notifications_of(struct task *t);

#endif
