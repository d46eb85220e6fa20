/* SPDX-License-Identifier: MIT */
/*
 * IPC-right spaces: a task may send to thread X iff it holds an IPC-right flexpage covering X
 * (base = first thread id, 2^order ids). Every right is a node of the kernel's mapping
 * database (kind REFMON_KIND): the root task's original covers every id, every other right is
 * derived from a right its mapper held with "may map on", so unmapping a right takes
 * everything derived from it, in every task. `allow` caches, per thread slot, the id of a live
 * thread some right covers: the IPC path's check is one load and one compare; a miss scans the
 * entries (bounded).
 */
#ifndef REFMON_RIGHTS_H
#define REFMON_RIGHTS_H

#include "mapdb.h"
#include "thread.h"

#define REFMON_KIND MAPDB_KIND_BACKEND /* IPC rights in the mapping database */
#define REFMON_ENTRIES 64              /* rights a task holds at once */
#define REFMON_MAX_ORDER 32            /* a flexpage covers at most every thread id */
#define REFMON_R_SEND MAPDB_S          /* may send to the covered threads (flexpage R) */
#define REFMON_R_MAP 0x10u             /* may map the right on (flexpage W) */

struct refmon_entry {
    uint32_t base;  /* first thread id covered (aligned to 2^order) */
    uint8_t order;  /* 2^order ids */
    uint8_t rights; /* REFMON_R_*; 0: the entry is free */
    struct mapdb_node *node;
};

struct refmon_space {
    /* by thread slot + 1 (an id's low bits, so the check needs no arithmetic): the covered
     * live thread's id, or 0 */
    uint32_t allow[MAX_THREADS + 1];
    struct refmon_entry e[REFMON_ENTRIES];
};

struct refmon_space *refmon_space_of(struct task *t);
/* Does a right with `rights` cover thread id `id`? Pure. */
bool refmon_covers(const struct refmon_space *rs, uint32_t id, unsigned rights);
/* Maps the flexpage (base, order, rights) from a right `from` holds into `to`'s right space:
 * E_PERM if it holds none covering it with "may map on", E_NOMEM if a table or pool is full. */
enum status refmon_map(struct thread *from, struct thread *to, uint32_t base, unsigned order,
                       unsigned rights);
/* Revokes what the task derived inside (base, order) (rights.c); returns how many went. */
long refmon_unmap(struct task *t, uint32_t base, unsigned order, bool self);
/* A dying task: every right it holds goes, with all derived from them. */
void refmon_space_destroy(struct task *t);
void refmon_space_init(struct task *t);
#endif
