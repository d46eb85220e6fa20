/* SPDX-License-Identifier: MIT */
/*
 * Ports and port-right names (Mach 3 / xnu mach/port.h): a port is a kernel object with one
 * receive right, a queue of buffered messages and any number of send and send-once rights;
 * a task holds rights only under names in its own table, never a global id.
 */
#ifndef PORTS_PORT_H
#define PORTS_PORT_H

#include "ipc_queue.h"
#include "policy_iface.h"
#include "abi/ports.h"

#define MAX_PORTS 128
#define MACH_PORT_QLIMIT_DEFAULT 5 /* xnu mach/port.h */

/* Rights in transit (a queued message's item): the port with the kind in its low bits. */
enum port_transit { PT_SEND = 1, PT_SEND_ONCE = 2, PT_RECEIVE = 3, PT_THREAD = 4 };

struct port {
    struct thread *receiver; /* the thread its messages go to, or NULL */
    struct port *rnext;      /* in the receiver's list (policy_thread_state.receives) */
    struct task *rtask;      /* the receive right's holder (NULL: in transit, or dead) */
    word_t rname;            /* its name there: the label every message arrives with */
    uint32_t srights;        /* send rights anywhere (names and in transit) */
    uint32_t refs;           /* names and rights in transit naming it */
    bool dead;
    struct task *charged;     /* whose port quota pays for it */
    struct notification *nms; /* no-senders: signalled when srights drops to 0 */
    struct port *transit;     /* receive right queued in a message: the port holding it */
    bool is_set;              /* a port set: no queue of its own, no send rights */
    struct port *set;         /* a member: the set it is in (its receiver is the set's) */
    struct port *snext;       /* a member: the next one of its set */
    struct port *members;     /* a set: its member ports */
    struct msg_queue q;       /* MACH_PORT_QLIMIT_DEFAULT unless its receiver says */
} __attribute__((aligned(8)));

/* One name of a task: rights to one port, a dead name, or a notification. */
struct port_name {
    struct port *port;           /* NULL: no right to a live port under this name */
    struct notification *notify; /* a notification's name (then nothing else) */
    struct notification *dn;     /* dead-name notification asked for by the holder */
    uint16_t send;               /* user references on the send right */
    uint16_t dead;               /* user references on the dead name */
    uint16_t gen;                /* the name's generation: a reused entry gets a new name */
    uint8_t recv;                /* the receive right */
    uint8_t once;                /* a send-once right (a name holds at most one, and no more) */
};

/*
 * A name is (generation << PORT_NAME_SHIFT) | index, as Mach's: the index finds the entry in
 * O(1), the generation (never 0) tells a stale name from a reused entry, so a name freed and
 * reused is a different name, and small integers are never names.
 */
#define PORT_NAME_SHIFT 7 /* log2(PORT_NAMES) */
static inline word_t port_name_of(const struct task *t, uint32_t idx)
{
    return (word_t)t->pol.names[idx].gen << PORT_NAME_SHIFT | idx;
}
/* The entry's index for `name` in `t`, 0 if it is no name there. */
static inline uint32_t port_index(const struct task *t, word_t name)
{
    uint32_t i = (uint32_t)(name & (PORT_NAMES - 1));
    return i != 0 && name >> PORT_NAME_SHIFT == t->pol.names[i].gen ? i : 0;
}
/* The entry holds nothing any more: free, and its next name is another one. */
static inline void port_entry_free(struct port_name *e)
{
    uint16_t gen = (uint16_t)(e->gen + 1);
    *e = (struct port_name){.gen = gen ? gen : 1};
}

/* The port whose queue `q` is (under this backend every queue is a port's). */
static inline struct port *port_of_queue(struct msg_queue *q)
{
    return (struct port *)((char *)q - __builtin_offsetof(struct port, q));
}
/* Whether `dest` is `p` or lies, by receive rights in transit, inside p's queue: p's receive
 * right queued at `dest` would then be reachable only through itself (Mach's circularity,
 * xnu's ipc_port_check_circularity). */
bool port_queued_within(struct port *dest, struct port *p);

void port_boot(void);
void port_task_freed(struct task *t); /* its ports stop naming it */
struct port_name *port_names_of(struct task *t);
struct kinfo_pool port_pool_info(void);

/* A new port; its receive right and one send right (mach_port_allocate, then
 * mach_port_insert_right with MAKE_SEND) under a new name in `holder`; receiver `rcv`. The name, or
 * -E_NOMEM (pool, quota or names exhausted). */
long port_create(struct task *holder, struct thread *rcv);
/* A free entry in `t` (0: none), or the one `t` already has for `p` (send/receive merge). */
uint32_t port_name_for(struct task *t, struct port *p, bool merge);
void port_set_receiver(struct port *p, struct thread *t);
/* A new port set (mach_port_allocate(MACH_PORT_RIGHT_PORT_SET)) named in `holder`, received
 * on by `rcv`: its name, or -E_NOMEM. */
long port_pset_create(struct task *holder, struct thread *rcv);
/* Port p joins set s (leaving any other): its receiver becomes the set's. */
void port_pset_join(struct port *p, struct port *s);
/* Port p leaves its set, if any (its receiver stays until rebound or moved). */
void port_pset_leave(struct port *p);
/* The set's receiver, and every member's, becomes t. */
void port_pset_set_receiver(struct port *s, struct thread *t);
/* The set is destroyed: its members leave it. */
void port_pset_clear(struct port *s);
/* A send right went (dropped, or its holder died): the last one signals no-senders. */
void port_srights_dec(struct port *p);
/* One reference less; a dead port without references is freed. */
void port_unref(struct port *p);
/* The receive right is destroyed: the port dies (dead names, notifications, queue). */
void port_destroy(struct port *p);
/* A task's entry (an index) drops every right under it (its task dies, or name_drop's last
 * reference). */
void port_name_clear(struct task *t, uint32_t name);
/* A task's notifications are going away: nothing may signal them later. */
void port_forget_notifications_of(struct task *owner);

#endif
