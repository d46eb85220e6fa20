/* SPDX-License-Identifier: MIT */
/* Port objects, names and port death (port.h). */
#include "port.h"
#include "ipc.h"
#include "notify.h"
#include "pool.h"

POOL_DEFINE(port_pool, struct port, MAX_PORTS);
static struct port_name name_tables[MAX_TASKS][PORT_NAMES];

void port_boot(void)
{
    pool_init(&port_pool);
}

struct port_name *port_names_of(struct task *t)
{
    return name_tables[pool_index(&task_pool, t)];
}

struct kinfo_pool port_pool_info(void)
{
    return (struct kinfo_pool){port_pool.capacity, port_pool.used, port_pool.peak,
                               port_pool.failures};
}

uint32_t port_name_for(struct task *t, struct port *p, bool merge)
{
    uint32_t free = 0;
    for (uint32_t n = 1; n < PORT_NAMES; n++) {
        struct port_name *e = &t->pol.names[n];
        if (merge && e->port == p && !e->once) return n;
        if (!free && e->port == NULL && e->notify == NULL && e->dead == 0) free = n;
    }
    return free;
}

void port_set_receiver(struct port *p, struct thread *t)
{
    if (p->receiver == t) return;
    if (p->receiver) {
        struct port **pp = &p->receiver->pol.receives;
        while (*pp != p)
            pp = &(*pp)->rnext;
        *pp = p->rnext;
    }
    p->receiver = t;
    p->rnext = NULL;
    if (t) {
        p->rnext = t->pol.receives;
        t->pol.receives = p;
    }
}

long port_create(struct task *holder, struct thread *rcv)
{
    if (holder->pol.ports >= PORTS_QUOTA) return -E_NOMEM;
    uint32_t name = port_name_for(holder, NULL, false);
    if (name == 0) return -E_NOMEM;
    struct port *p = pool_alloc(&port_pool);
    if (p == NULL) return -E_NOMEM;
    msgq_init(&p->q, MACH_PORT_QLIMIT_DEFAULT);
    p->rtask = holder;
    p->rname = port_name_of(holder, name);
    p->refs = 1;
    p->srights = 1;
    p->charged = holder;
    holder->pol.ports++;
    struct port_name *e = &holder->pol.names[name];
    e->port = p;
    e->send = 1;
    e->recv = 1;
    port_set_receiver(p, rcv);
    return (long)p->rname;
}

/* Follows `dest`'s receive right through the messages carrying it (bounded by the pool: the
 * chains are acyclic because every link was checked here when it was made). */
bool port_queued_within(struct port *dest, struct port *p)
{
    uint32_t hops = 0;
    for (struct port *x = dest; x && hops <= MAX_PORTS; x = x->transit, hops++)
        if (x == p) return true;
    return false;
}

long port_pset_create(struct task *holder, struct thread *rcv)
{
    long name = port_create(holder, rcv);
    if (name < 0) return name;
    struct port_name *e = &holder->pol.names[port_index(holder, (word_t)name)];
    struct port *s = e->port;
    e->send = 0; /* a set has only its "receive right": no senders */
    s->srights = 0;
    s->is_set = true;
    return name;
}

void port_pset_leave(struct port *p)
{
    struct port *s = p->set;
    if (s == NULL) return;
    struct port **pp = &s->members;
    while (*pp != p)
        pp = &(*pp)->snext;
    *pp = p->snext;
    p->set = NULL;
    p->snext = NULL;
}

void port_pset_join(struct port *p, struct port *s)
{
    if (p->set == s) return;
    port_pset_leave(p);
    p->set = s;
    p->snext = s->members;
    s->members = p;
    port_set_receiver(p, s->receiver);
}

void port_pset_set_receiver(struct port *s, struct thread *t)
{
    port_set_receiver(s, t);
    for (struct port *m = s->members; m; m = m->snext) {
        port_set_receiver(m, t);
        ipc_wake_parked(&m->q.full, OK); /* a receiver now: they may be handed off */
    }
}

void port_pset_clear(struct port *s)
{
    while (s->members)
        port_pset_leave(s->members);
}

void port_unref(struct port *p)
{
    kassert(p->refs > 0);
    if (--p->refs > 0 || !p->dead) return;
    if (p->charged) p->charged->pol.ports--;
    kassert(pool_free(&port_pool, p) == OK);
}

void port_srights_dec(struct port *p)
{
    kassert(p->srights > 0);
    if (--p->srights == 0 && !p->dead && p->nms && p->rtask)
        notify_signal(p->nms, PORTS_NOTIFY_BIT(p->rname));
}

/*
 * Port death: every name with a send or send-once right to it becomes a dead name (holders
 * that asked learn it), its queued messages go with the rights they carry (which may kill
 * other ports: recursion is bounded by the pool), senders waiting for room are cancelled.
 * The object itself lives on while rights in transit still name it.
 */
void port_destroy(struct port *p)
{
    kassert(!p->dead);
    p->dead = true;
    p->refs++;          /* held across the teardown */
    port_pset_leave(p); /* a dead port leaves its set; a dying set lets its members go */
    port_pset_clear(p);
    port_set_receiver(p, NULL);
    p->nms = NULL;
    for (uint32_t i = 0; i < task_pool.capacity; i++) {
        struct task *t = pool_at(&task_pool, i);
        if (t == NULL || t->pol.names == NULL) continue;
        for (uint32_t n = 1; n < PORT_NAMES; n++) {
            struct port_name *e = &t->pol.names[n];
            if (e->port != p) continue;
            uint16_t dead = (uint16_t)(e->send + e->once);
            struct notification *dn = e->dn;
            *e = (struct port_name){.dead = dead, .gen = e->gen}; /* the name stays, dead */
            if (!dead) port_entry_free(e);
            p->refs--;
            if (dead && dn) notify_signal(dn, PORTS_NOTIFY_BIT(port_name_of(t, n)));
        }
    }
    p->rtask = NULL;
    p->srights = 0;
    msgq_destroy(&p->q);
    port_unref(p);
}

void port_name_clear(struct task *t, uint32_t name)
{
    struct port_name *e = &t->pol.names[name];
    struct port *p = e->port;
    struct port_name old = *e;
    port_entry_free(e);
    if (p == NULL) return;
    if (old.recv) {
        /* the receive right dies: the port with it (its own name is already gone) */
        if (old.send) p->srights--; /* no no-senders for a dying port */
        port_destroy(p);
    } else if (old.send) {
        port_srights_dec(p);
    }
    port_unref(p);
}

void port_forget_notifications_of(struct task *owner)
{
    for (uint32_t i = 0; i < port_pool.capacity; i++) {
        struct port *p = pool_at(&port_pool, i);
        if (p && p->nms && p->nms->owner == owner) p->nms = NULL;
    }
    for (uint32_t i = 0; i < task_pool.capacity; i++) {
        struct task *t = pool_at(&task_pool, i);
        if (t == NULL || t->pol.names == NULL) continue;
        for (uint32_t k = 1; k < PORT_NAMES; k++) {
            struct port_name *e = &t->pol.names[k];
            if (e->dn && e->dn->owner == owner) e->dn = NULL;
            if (e->notify && e->notify->owner == owner) e->notify = NULL;
        }
    }
}

void port_task_freed(struct task *t)
{
    for (uint32_t i = 0; i < port_pool.capacity; i++) {
        struct port *p = pool_at(&port_pool, i);
        if (p && p->charged == t) p->charged = NULL;
    }
}
