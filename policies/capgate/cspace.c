/* SPDX-License-Identifier: MIT */
/* Capability spaces; derivation and revocation go through the kernel's mapping database. */
#include "cspace.h"
#include "gate.h"
#include "notify.h"
#include "pool.h"
#include "sched.h"
#include "trace.h"

static struct cap cspaces[MAX_TASKS][CAP_SLOTS];

struct cap *cspace_of(struct task *t)
{
    return cspaces[pool_index(&task_pool, t)];
}

struct cap *cap_lookup(struct task *t, word_t name)
{
    if (name == 0 || name >= CAP_SLOTS) return NULL;
    return &t->pol.cspace[name];
}

/* Empties one slot; a gate nobody names any more is destroyed. */
static void cap_clear(struct cap *c)
{
    if (c->type == CAP_GATE) gate_unref(c->obj);
    *c = (struct cap){0};
}

/* The mapping database removes a capability node: empty the slot it stood for. */
static void cap_revoked(void *ctx, struct mapdb_node *n)
{
    (void)ctx;
    struct task *t = n->space;
    trace_auth(TRACE_OP_REVOKE, current, t, NULL, n->index, t->pol.cspace[n->index].type, OK);
    cap_clear(&t->pol.cspace[n->index]);
}

long cap_install_at(struct task *t, unsigned slot, enum cap_type type, void *obj, unsigned rights,
                    struct task *parent_task, unsigned parent_slot)
{
    if (slot == 0 || slot >= CAP_SLOTS) return -E_RANGE;
    struct cap *c = &t->pol.cspace[slot];
    if (c->type != CAP_NONE) return -E_EXISTS;
    struct mapdb_node *node;
    enum status s;
    if (parent_task) {
        struct cap *p = &parent_task->pol.cspace[parent_slot];
        s = mapdb_derive(p->node, t, slot, rights, &node);
    } else {
        s = mapdb_insert_root(t, CAPGATE_KIND_CAP, slot, (word_t)obj, rights, &node);
    }
    if (s != OK) return -(long)s;
    *c = (struct cap){(uint8_t)type, (uint8_t)rights, obj, node};
    if (type == CAP_GATE) ((struct gate *)obj)->refs++;
    return slot;
}

long cap_install(struct task *t, enum cap_type type, void *obj, unsigned rights,
                 struct task *parent_task, unsigned parent_slot)
{
    for (unsigned s = 1; s < CAP_SLOTS; s++)
        if (t->pol.cspace[s].type == CAP_NONE)
            return cap_install_at(t, s, type, obj, rights, parent_task, parent_slot);
    return -E_NOMEM;
}

void cap_revoke(struct task *t, unsigned slot, bool self)
{
    struct cap *c = &t->pol.cspace[slot];
    if (c->type != CAP_NONE) mapdb_revoke(c->node, self, cap_revoked, NULL);
}

/* Grant: the capability changes place; what was derived from it stays attached to it. */
void cap_move(struct task *from, unsigned from_slot, struct task *to, unsigned to_slot)
{
    struct cap *c = &from->pol.cspace[from_slot];
    kassert(mapdb_move(c->node, to, to_slot) == OK);
    to->pol.cspace[to_slot] = *c;
    *c = (struct cap){0};
}

/* The object died: every capability to it goes, with whatever was derived from them. */
void cap_clear_object(void *obj)
{
    for (unsigned ti = 0; ti < MAX_TASKS; ti++)
        for (unsigned s = 1; s < CAP_SLOTS; s++)
            if (cspaces[ti][s].type != CAP_NONE && cspaces[ti][s].obj == obj)
                mapdb_revoke(cspaces[ti][s].node, true, cap_revoked, NULL);
}

void cap_clear_notifications_of(struct task *t)
{
    for (unsigned ti = 0; ti < MAX_TASKS; ti++)
        for (unsigned s = 1; s < CAP_SLOTS; s++) {
            struct cap *c = &cspaces[ti][s];
            if (c->type == CAP_NOTIFY && ((struct notification *)c->obj)->owner == t)
                mapdb_revoke(c->node, true, cap_revoked, NULL);
        }
}
