/* SPDX-License-Identifier: MIT */
/* Backend `ports`: port creation, names, rights in messages, lifetime. */
#include "policy.h"
#include "notify.h"

static struct port_name *name_get(struct thread *cur, word_t name)
{
    uint32_t i = port_index(cur->task, name);
    return i ? &cur->task->pol.names[i] : NULL;
}

static uint32_t index_of(struct task *t, const struct port_name *e)
{
    return (uint32_t)(e - t->pol.names);
}

/* A thread the caller may make a receiver: its own, or one of a task it created (directly or
 * further down), as the loader does for the tasks it sets up. */
static struct thread *thread_for(struct thread *cur, word_t name, long *err)
{
    struct thread *t = name <= 0xffffffffUL ? thread_lookup((uint32_t)name) : NULL;
    if (t == NULL || t->task == NULL) {
        *err = -E_NOENT;
        return NULL;
    }
    for (struct task *k = t->task; k; k = k->parent)
        if (k == cur->task) return t;
    *err = -E_PERM;
    return NULL;
}

/* A new port: its creator holds the receive right, `thread_name` (0: none yet) receives. The
 * label argument means nothing else (the label is the port's name, BACKEND_LABEL_PORT) except
 * PORTS_NEW_SET: a port set received on by `thread_name`. */
long policy_endpoint_create(struct thread *cur, word_t thread_name, word_t label)
{
    struct thread *t = NULL;
    long err;
    if (thread_name != 0 && (t = thread_for(cur, thread_name, &err)) == NULL) return err;
    return label == PORTS_NEW_SET ? port_pset_create(cur->task, t) : port_create(cur->task, t);
}

/* mach_port_move_member: the receive right `e` joins the set named `set` (0: leaves its set). */
static long join_set(struct thread *cur, struct port_name *e, word_t set)
{
    if (!e->recv) return -E_PERM;
    if (set == 0) {
        port_pset_leave(e->port);
        return OK;
    }
    struct port_name *s = name_get(cur, set);
    if (s == NULL || s->port == NULL) return s && s->dead ? -E_NOPARTNER : -E_NOCAP;
    if (!s->port->is_set) return -E_WRONGTYPE;
    port_pset_join(e->port, s->port);
    ipc_wake_parked(&e->port->q.full, OK);
    return OK;
}

/* The receive right's holder names the receiver, the queue limit, the no-senders notification
 * or the port set it is in; a send right's holder asks for a dead-name notification; a set's
 * holder names the thread receiving on it (abi/ports.h). */
long policy_endpoint_bind(struct thread *cur, word_t endpoint, word_t arg)
{
    struct port_name *e = name_get(cur, endpoint);
    if (e == NULL || (e->port == NULL && e->dead == 0)) return -E_NOCAP;
    if (e->port == NULL) return -E_NOPARTNER; /* a dead name */
    word_t kind = PORTS_BIND_KIND(arg), val = PORTS_BIND_ARG(arg);
    struct port *p = e->port;
    if (p->is_set && kind != 0) return -E_WRONGTYPE; /* a set has only a receiver */
    if (kind == 3) return join_set(cur, e, val);
    if (kind == 2) {
        struct port_name *n = name_get(cur, val);
        if (n == NULL || n->notify == NULL) return -E_WRONGTYPE;
        if (e->recv)
            e->port->nms = n->notify;
        else
            e->dn = n->notify;
        return OK;
    }
    if (!e->recv) return -E_PERM; /* a sender can neither rebind nor resize the port */
    if (kind == 1) {
        if (val < 1 || val > MSGQ_LIMIT_MAX) return -E_RANGE;
        msgq_set_limit(&e->port->q, (uint32_t)val);
        return OK;
    }
    if (kind != 0) return -E_INVAL;
    if (p->set) return -E_BUSY; /* a member receives where its set does */
    long err;
    struct thread *t = thread_for(cur, val, &err);
    if (t == NULL) return err;
    if (p->is_set) {
        port_pset_set_receiver(p, t);
        return OK;
    }
    port_set_receiver(p, t);
    ipc_wake_parked(&p->q.full, OK);
    return OK;
}

/* A send right for `to` (a make-send from the receive right or a copy-send); a notification
 * name is handed on as it is. Send-once rights and dead names are not given this way. */
long policy_name_give(struct thread *cur, struct task *to, word_t name, unsigned rights)
{
    struct port_name *e = name_get(cur, name);
    if (e == NULL || (e->port == NULL && e->notify == NULL))
        return e && e->dead ? -E_NOPARTNER : -E_NOCAP;
    if (!(rights & NAME_SEND)) return -E_PERM; /* a port name is a send right or nothing */
    if (e->notify) {
        uint32_t n = port_name_for(to, NULL, false);
        if (n == 0) return -E_NOMEM;
        to->pol.names[n].notify = e->notify;
        return (long)port_name_of(to, n);
    }
    if (e->port->is_set) return -E_WRONGTYPE; /* no send rights to a port set */
    if (e->once || !(e->send || e->recv)) return -E_PERM;
    struct port *p = e->port;
    uint32_t n = port_name_for(to, p, true);
    if (n == 0) return -E_NOMEM;
    struct port_name *d = &to->pol.names[n];
    if (d->send == 0xffff) return -E_RANGE; /* MACH_PORT_UREFS_MAX */
    if (d->port == NULL) {
        d->port = p;
        p->refs++;
    }
    if (d->send++ == 0) p->srights++;
    return (long)port_name_of(to, n);
}

/* mach_port_deallocate: one user reference of a send right or dead name; a send-once right,
 * a receive right (the port dies) or a notification name goes whole. */
long policy_name_drop(struct thread *cur, word_t name)
{
    struct port_name *e = name_get(cur, name);
    if (e == NULL || (e->port == NULL && e->notify == NULL && e->dead == 0)) return -E_NOCAP;
    if (e->dead) {
        if (--e->dead == 0) port_entry_free(e);
        return OK;
    }
    if (e->notify) {
        port_entry_free(e);
        return OK;
    }
    if (e->send > 1) {
        e->send--;
        return OK;
    }
    if (e->send == 1 && e->recv) {
        e->send = 0;
        port_srights_dec(e->port);
        return OK;
    }
    port_name_clear(cur->task, index_of(cur->task, e));
    return OK;
}

void ports_consume_once(struct thread *sender, word_t name)
{
    struct port_name *e = &sender->task->pol.names[name & (PORT_NAMES - 1)];
    struct port *p = e->port;
    port_entry_free(e);
    if (p) port_unref(p);
}

/* Threads and tasks are named by their global ids (names of ports are the table's). */
word_t policy_name_of_thread(struct task *holder, struct thread *t)
{
    (void)holder;
    return t->id;
}

word_t policy_name_of_task(struct task *holder, struct task *t)
{
    (void)holder;
    return t->id;
}

struct task *policy_task_lookup(struct thread *cur, word_t name)
{
    (void)cur;
    return name <= 0xffffffffUL ? task_lookup((uint32_t)name) : NULL;
}

long policy_notification_name(struct thread *cur, struct notification *n)
{
    uint32_t name = port_name_for(cur->task, NULL, false);
    if (name == 0) return -E_NOMEM;
    cur->task->pol.names[name].notify = n;
    return (long)port_name_of(cur->task, name);
}

struct notification *policy_notification_lookup(struct thread *cur, word_t name)
{
    struct port_name *e = name_get(cur, name);
    return e ? e->notify : NULL;
}

void policy_init(void)
{
    port_boot();
}

enum status policy_task_init(struct task *t, struct task *creator)
{
    (void)creator;
    t->pol.names = port_names_of(t);
    for (uint32_t n = 0; n < PORT_NAMES; n++)
        t->pol.names[n] = (struct port_name){.gen = 1};
    t->pol.ports = 0;
    return OK;
}

/* Every right the task holds goes: its receive rights kill their ports, its send rights may
 * end a port's senders; notifications it owns are forgotten before they go. */
void policy_task_destroy(struct task *t)
{
    if (t->pol.names == NULL) return;
    for (uint32_t n = 1; n < PORT_NAMES; n++)
        port_name_clear(t, n);
    port_forget_notifications_of(t);
}

/* Its ports stay charged to it until it is freed; then they pay for themselves. */
void policy_task_freed(struct task *t)
{
    port_task_freed(t);
    t->pol.names = NULL;
}

/* A receiver that dies leaves its ports without one: their messages wait for a new receiver
 * (endpoint_bind by the receive right's holder, or the right moved elsewhere). */
void policy_thread_destroy(struct thread *t)
{
    while (t->pol.receives)
        port_set_receiver(t->pol.receives, NULL);
}

/* ---- rights in messages ---- */

/* Takes the right a message carries from the sender: the transit handle, or why not. A
 * receive right that would end up inside its own port's queue (`into`, directly or through
 * other receive rights in transit) is refused with E_CIRCULAR and stays with the sender. */
enum status policy_item_take(struct thread *from, struct msg_queue *into, word_t hdr, word_t fpage,
                             word_t *cookie)
{
    if (ITEM_MAP_KIND(hdr) != FPAGE_KIND_BACKEND || FPAGE_ORDER(fpage) != 0) return E_INVAL;
    word_t name = FPAGE_BASE(fpage) >> 12;
    if (!(FPAGE_RIGHTS(fpage) & PORTS_DISP_EXPLICIT) && port_index(from->task, name) == 0) {
        /* Not a port: a thread's global id (of the sender's task or one below it) travels
         * as the same word, as under `none`: a parent hands the loader its child's thread. */
        long err;
        if (thread_for(from, name, &err) == NULL) return E_NOCAP;
        *cookie = name << 3 | PT_THREAD;
        return OK;
    }
    struct port_name *e = name_get(from, name);
    if (e == NULL || e->notify) return e ? E_WRONGTYPE : E_NOCAP;
    if (e->port == NULL) return e->dead ? E_NOPARTNER : E_NOCAP;
    struct port *p = e->port;
    if (p->is_set) return E_WRONGTYPE; /* a port set never travels */
    enum port_transit kind;
    unsigned disp = FPAGE_RIGHTS(fpage) & 7u;
    if (!(FPAGE_RIGHTS(fpage) & PORTS_DISP_EXPLICIT)) { /* generic rights: hand on a send right */
        if (!(disp & FPAGE_R)) return E_PERM;
        disp = ITEM_TYPE(hdr) == ITEM_GRANT ? PORTS_DISP_MOVE_SEND
               : e->send                    ? PORTS_DISP_COPY_SEND
                                            : PORTS_DISP_MAKE_SEND;
    }
    switch (disp) {
    case PORTS_DISP_MOVE_SEND:
        if (!e->send) return E_PERM;
        kind = PT_SEND;
        p->refs++;
        if (e->send > 1) {
            e->send--;
            p->srights++; /* the task keeps its right: the one in transit is another */
        } else if (e->recv) {
            e->send = 0; /* the right moves, its count with it */
        } else {
            port_entry_free(e); /* the name goes with its last reference */
            port_unref(p);
        }
        break;
    case PORTS_DISP_COPY_SEND:
    case PORTS_DISP_MAKE_SEND:
        if (disp == PORTS_DISP_COPY_SEND ? !e->send : !e->recv) return E_PERM;
        kind = PT_SEND;
        p->refs++;
        p->srights++;
        break;
    case PORTS_DISP_MAKE_SEND_ONCE:
        if (!e->recv) return E_PERM;
        kind = PT_SEND_ONCE;
        p->refs++;
        break;
    case PORTS_DISP_MOVE_SEND_ONCE:
        if (!e->once) return E_PERM;
        kind = PT_SEND_ONCE;
        p->refs++;
        ports_consume_once(from, name);
        break;
    case PORTS_DISP_MOVE_RECEIVE:
        if (!e->recv) return E_PERM;
        if (into && port_queued_within(port_of_queue(into), p)) return E_CIRCULAR;
        kind = PT_RECEIVE;
        p->refs++;
        p->transit = into ? port_of_queue(into) : NULL;
        port_pset_leave(p); /* a receive right leaving the task leaves its set */
        e->recv = 0;
        p->rtask = NULL;
        p->rname = 0;
        port_set_receiver(p, NULL);
        if (e->send == 0) {
            port_entry_free(e);
            port_unref(p);
        }
        break;
    default:
        return E_INVAL;
    }
    *cookie = (word_t)p | kind;
    return OK;
}

/* Installs a right in transit in `to`'s task; out: the map item the receiver finds. */
enum status policy_item_put(struct thread *to, word_t hdr, word_t cookie, word_t *out)
{
    struct port *p = (struct port *)(cookie & ~(word_t)7);
    enum port_transit kind = (enum port_transit)(cookie & 7);
    if (kind == PT_THREAD) {
        out[0] = hdr;
        out[1] = FPAGE((cookie >> 3) << 12, 0, FPAGE_R); /* the thread's id, unchanged */
        return OK;
    }
    unsigned disp = kind == PT_SEND        ? PORTS_DISP_MOVE_SEND
                    : kind == PT_SEND_ONCE ? PORTS_DISP_MOVE_SEND_ONCE
                                           : PORTS_DISP_MOVE_RECEIVE;
    out[0] = hdr;
    if (p->dead) { /* it died on the way: the receiver learns a dead name (name 0) */
        policy_item_drop(hdr, cookie);
        out[1] = PORTS_RIGHT(0, disp);
        return OK;
    }
    uint32_t n = port_name_for(to->task, p, kind != PT_SEND_ONCE);
    if (n == 0) {
        policy_item_drop(hdr, cookie);
        return E_NOMEM; /* the receiver's name table is full */
    }
    struct port_name *e = &to->task->pol.names[n];
    bool merged = e->port == p;
    e->port = p;
    switch (kind) {
    case PT_SEND:
        if (e->send == 0xffff) {
            policy_item_drop(hdr, cookie);
            return E_RANGE;
        }
        if (e->send++ > 0) p->srights--; /* one right per port and task: the two merge */
        break;
    case PT_SEND_ONCE:
        e->once = 1;
        break;
    case PT_RECEIVE:
        p->transit = NULL;
        e->recv = 1;
        p->rtask = to->task;
        p->rname = port_name_of(to->task, n);
        port_set_receiver(p, to);      /* the thread that took the right receives from now on */
        msgq_relabel(&p->q, p->rname); /* its queue moved with it: messages arrive by its name */
        break;
    case PT_THREAD:
        break; /* handled above */
    }
    if (merged) port_unref(p); /* the name already held a reference */
    out[1] = PORTS_RIGHT(port_name_of(to->task, n), disp);
    return OK;
}

/* A right in transit is destroyed with its message: a receive right kills its port. */
void policy_item_drop(word_t hdr, word_t cookie)
{
    (void)hdr;
    struct port *p = (struct port *)(cookie & ~(word_t)7);
    enum port_transit kind = (enum port_transit)(cookie & 7);
    if (kind == PT_THREAD) return;
    if (kind == PT_RECEIVE) p->transit = NULL;
    if (!p->dead) {
        if (kind == PT_SEND) port_srights_dec(p);
        if (kind == PT_RECEIVE) port_destroy(p);
    }
    port_unref(p);
}

/* A right sent to a waiting receiver: taken from the sender and installed at once. */
enum status policy_map_item(struct thread *from, struct thread *to, word_t hdr, word_t fpage,
                            word_t *out)
{
    word_t cookie;
    enum status s = policy_item_take(from, NULL, hdr, fpage, &cookie);
    if (s != OK) return s;
    return policy_item_put(to, hdr, cookie, out);
}

/* Rights are taken away only by their port's death, never by the one who gave them. */
long policy_unmap(struct thread *cur, unsigned kind, word_t fpage, bool self)
{
    (void)cur, (void)kind, (void)fpage, (void)self;
    return -E_NOTSUP;
}
