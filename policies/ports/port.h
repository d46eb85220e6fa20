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
#include "ports_abi.h"

#define MAX_PORTS 128
#define MACH_PORT_QLIMIT_DEFAULT 5 /* xnu mach/port.h */

/* Rights in transit (a queued message's item): the port with the kind in its low bits. */
enum port_transit { PT_SEND = 1, PT_SEND_ONCE = 2, PT_RECEIVE = 3 };

struct port {
    struct thread *receiver; /* the thread its messages go to, or NULL */
    struct port *rnext;      /* in the receiver's list (policy_thread_state.receives) */
    struct task *rtask;      /* the receive right's holder (NULL: in transit, or dead) */
    uint32_t rname;          /* its name there: the label every message arrives with */
    uint32_t srights;        /* send rights anywhere (names and in transit) */
    uint32_t refs;           /* names and rights in transit naming it */
    bool dead;
    struct task *charged;      /* whose port quota pays for it */
    struct notification *nms;  /* no-senders: signalled when srights drops to 0 */
    struct msg_queue q;        /* MACH_PORT_QLIMIT_DEFAULT unless its receiver says */
} __attribute__((aligned(8)));

/* One name of a task: rights to one port, a dead name, or a notification. */
struct port_name {
    struct port *port;          /* NULL: no right to a live port under this name */
    struct notification *notify; /* a notification's name (then nothing else) */
    struct notification *dn;    /* dead-name notification asked for by the holder */
    uint16_t send;              /* user references on the send right */
    uint16_t dead;              /* user references on the dead name */
    uint8_t recv;               /* the receive right */
    uint8_t once;               /* a send-once right (a name holds at most one, and no more) */
};

void port_boot(void);
void port_task_freed(struct task *t); /* its ports stop naming it */
struct port_name *port_names_of(struct task *t);
struct kinfo_pool port_pool_info(void);

/* A new port; its receive right under a new name in `holder`; receiver `rcv`. The name, or
 * -E_NOMEM (pool, quota or names exhausted). */
long port_create(struct task *holder, struct thread *rcv);
/* A free name in `t` (0: none), or the name `t` already has for `p` (send/receive merge). */
uint32_t port_name_for(struct task *t, struct port *p, bool merge);
void port_set_receiver(struct port *p, struct thread *t);
/* A send right went (dropped, or its holder died): the last one signals no-senders. */
void port_srights_dec(struct port *p);
/* One reference less; a dead port without references is freed. */
void port_unref(struct port *p);
/* The receive right is destroyed: the port dies (dead names, notifications, queue). */
void port_destroy(struct port *p);
/* A task's name drops every right under it (its task dies, or name_drop's last reference). */
void port_name_clear(struct task *t, uint32_t name);
/* A task's notifications are going away: nothing may signal them later. */
void port_forget_notifications_of(struct task *owner);

#endif
