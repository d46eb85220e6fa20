/* SPDX-License-Identifier: MIT */
/* Capability spaces, derivation and recursive revocation. */
#include "cspace.h"
#include "gate.h"
#include "notify.h"
#include "pool.h"

static struct cap cspaces[MAX_TASKS][CAP_SLOTS];

static unsigned task_index(struct task *t) { return pool_index(&task_pool, t); }

struct cap *cspace_of(struct task *t) { return cspaces[task_index(t)]; }

struct cap *cap_lookup(struct task *t, word_t name)
{
    if (name == 0 || name >= CAP_SLOTS) return NULL;
    return &t->pol.cspace[name];
}

static void cap_ref(struct cap *c)
{
    if (c->type == CAP_GATE) ((struct gate *)c->obj)->refs++;
}

/* Empties one slot; a gate nobody names any more is destroyed. */
static void cap_clear(struct cap *c)
{
    if (c->type == CAP_GATE) gate_unref(c->obj);
    *c = (struct cap){0};
}

long cap_install_at(struct task *t, unsigned slot, enum cap_type type, void *obj,
                    unsigned rights, struct task *parent_task, unsigned parent_slot)
{
    struct cap *c = &t->pol.cspace[slot];
    if (slot == 0 || slot >= CAP_SLOTS) return -E_RANGE;
    if (c->type != CAP_NONE) return -E_EXISTS;
    *c = (struct cap){(uint8_t)type, (uint8_t)rights, (uint16_t)parent_slot,
                      (uint16_t)(parent_task ? task_index(parent_task) + 1 : 0), obj};
    cap_ref(c);
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

/*
 * Collects the derivation subtree below (task index, slot) with an explicit work list (no
 * recursion: a chain of delegations may be long), then empties every collected slot.
 */
static uint32_t work[MAX_TASKS * CAP_SLOTS];

void cap_revoke(struct task *t, unsigned slot, bool self)
{
    unsigned n = 0, next = 0;
    work[n++] = task_index(t) * CAP_SLOTS + slot;
    while (next < n) {
        uint32_t w = work[next++];
        uint16_t ptask = (uint16_t)(w / CAP_SLOTS + 1), pslot = (uint16_t)(w % CAP_SLOTS);
        for (unsigned ti = 0; ti < MAX_TASKS; ti++) {
            for (unsigned s = 1; s < CAP_SLOTS; s++) {
                struct cap *c = &cspaces[ti][s];
                if (c->type != CAP_NONE && c->parent_task == ptask && c->parent_slot == pslot &&
                    n < MAX_TASKS * CAP_SLOTS)
                    work[n++] = ti * CAP_SLOTS + s;
            }
        }
    }
    for (unsigned i = self ? 0 : 1; i < n; i++) cap_clear(&cspaces[work[i] / CAP_SLOTS][work[i] % CAP_SLOTS]);
}

/* Grant: the capability changes place; what was derived from it now hangs off the new one. */
void cap_move(struct task *from, unsigned from_slot, struct task *to, unsigned to_slot)
{
    uint16_t old_t = (uint16_t)(task_index(from) + 1), new_t = (uint16_t)(task_index(to) + 1);
    to->pol.cspace[to_slot] = from->pol.cspace[from_slot];
    from->pol.cspace[from_slot] = (struct cap){0};
    for (unsigned ti = 0; ti < MAX_TASKS; ti++)
        for (unsigned s = 1; s < CAP_SLOTS; s++) {
            struct cap *c = &cspaces[ti][s];
            if (c->type != CAP_NONE && c->parent_task == old_t && c->parent_slot == from_slot) {
                c->parent_task = new_t;
                c->parent_slot = (uint16_t)to_slot;
            }
        }
}

void cap_clear_object(void *obj)
{
    for (unsigned ti = 0; ti < MAX_TASKS; ti++)
        for (unsigned s = 1; s < CAP_SLOTS; s++)
            if (cspaces[ti][s].type != CAP_NONE && cspaces[ti][s].obj == obj)
                cap_clear(&cspaces[ti][s]);
}

void cap_clear_notifications_of(struct task *t)
{
    for (unsigned ti = 0; ti < MAX_TASKS; ti++)
        for (unsigned s = 1; s < CAP_SLOTS; s++) {
            struct cap *c = &cspaces[ti][s];
            if (c->type == CAP_NOTIFY && ((struct notification *)c->obj)->owner == t) cap_clear(c);
        }
}
