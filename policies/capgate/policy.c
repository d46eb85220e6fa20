/* SPDX-License-Identifier: MIT */
/* Backend `capgate`: object creation through the factory, names, lifetime, object flexpages. */
#include "policy.h"
#include "gate.h"
#include "notify.h"

static struct cap *cap_get(struct thread *cur, word_t name, long *err)
{
    struct cap *c = cap_lookup(cur->task, name);
    if (c == NULL || c->type == CAP_NONE) {
        *err = -E_NOCAP;
        return NULL;
    }
    return c;
}

long policy_endpoint_create(struct thread *cur, word_t thread_name, word_t label)
{
    struct thread *t = NULL;
    if (thread_name != 0) {
        long err;
        struct cap *c = cap_get(cur, thread_name, &err);
        if (c == NULL) return err;
        if (c->type != CAP_THREAD) return -E_WRONGTYPE;
        t = c->obj;
    }
    struct gate *g = gate_create(cur->task, t, label);
    if (g == NULL) return -E_NOMEM;
    /* Its creator is its server: only it can bind it, unless it gives NAME_BIND on. */
    long slot = cap_install(cur->task, CAP_GATE, g, CAP_R_ALL, NULL, 0);
    if (slot < 0) {
        g->refs = 1;
        gate_unref(g);
    }
    return slot;
}

long policy_endpoint_bind(struct thread *cur, word_t endpoint, word_t thread_name)
{
    long err;
    struct cap *e = cap_get(cur, endpoint, &err);
    if (e == NULL) return err;
    struct cap *t = cap_get(cur, thread_name, &err);
    if (t == NULL) return err;
    if (e->type != CAP_GATE || t->type != CAP_THREAD) return -E_WRONGTYPE;
    /* A right to send or to give is not a right to rebind: a client holding the gate with
     * NAME_FULL could otherwise bind it to itself and receive other clients' messages. */
    if (!(e->rights & CAP_R_BIND)) return -E_PERM;
    gate_bind(e->obj, t->obj);
    return OK;
}

long policy_name_give(struct thread *cur, struct task *to, word_t name, unsigned rights)
{
    long err;
    struct cap *c = cap_get(cur, name, &err);
    if (c == NULL) return err;
    if (!(c->rights & CAP_R_GIVE) || (rights & ~(unsigned)c->rights)) return -E_PERM;
    return cap_install(to, (enum cap_type)c->type, c->obj, rights, cur->task, (unsigned)name);
}

long policy_name_drop(struct thread *cur, word_t name)
{
    long err;
    if (cap_get(cur, name, &err) == NULL) return err;
    if (name == CSPACE_SLOT_TASK || name == CSPACE_SLOT_FACTORY) return -E_PERM;
    cap_revoke(cur->task, (unsigned)name, true);
    return OK;
}

/* A name for an object the holder may use: the slot it already has for it, or a new one. */
static word_t name_for(struct task *holder, enum cap_type type, void *obj)
{
    for (unsigned s = 1; s < CAP_SLOTS; s++)
        if (holder->pol.cspace[s].type == type && holder->pol.cspace[s].obj == obj) return s;
    long slot = cap_install(holder, type, obj, CAP_R_SEND | CAP_R_GIVE, NULL, 0);
    return slot > 0 ? (word_t)slot : 0;
}

word_t policy_name_of_thread(struct task *holder, struct thread *t)
{
    return name_for(holder, CAP_THREAD, t);
}

word_t policy_name_of_task(struct task *holder, struct task *t)
{
    return name_for(holder, CAP_TASK, t);
}

/* Only a task capability names a task: global task ids mean nothing here. */
struct task *policy_task_lookup(struct thread *cur, word_t name)
{
    const struct cap *c = cap_lookup(cur->task, name);
    return (c && c->type == CAP_TASK) ? c->obj : NULL;
}

void policy_task_freed(struct task *t)
{
    cap_clear_object(t);
}

long policy_notification_name(struct thread *cur, struct notification *n)
{
    if (cur->task->pol.objects >= CAPGATE_QUOTA) return -E_NOMEM;
    long slot = cap_install(cur->task, CAP_NOTIFY, n, CAP_R_SEND | CAP_R_GIVE, NULL, 0);
    if (slot > 0) cur->task->pol.objects++;
    return slot;
}

struct notification *policy_notification_lookup(struct thread *cur, word_t name)
{
    struct cap *c = cap_lookup(cur->task, name);
    return (c && c->type == CAP_NOTIFY && (c->rights & CAP_R_SEND)) ? c->obj : NULL;
}

enum status policy_task_init(struct task *t, struct task *creator)
{
    (void)creator;
    t->pol.cspace = cspace_of(t);
    for (unsigned s = 0; s < CAP_SLOTS; s++)
        t->pol.cspace[s] = (struct cap){0};
    t->pol.objects = 0;
    long a = cap_install_at(t, CSPACE_SLOT_TASK, CAP_TASK, t, CAP_R_SEND | CAP_R_GIVE, NULL, 0);
    long b =
        cap_install_at(t, CSPACE_SLOT_FACTORY, CAP_FACTORY, t, CAP_R_SEND | CAP_R_GIVE, NULL, 0);
    if (a < 0 || b < 0) {
        policy_task_destroy(t);
        return E_NOMEM; /* the mapping database is full */
    }
    return OK;
}

/* Everything the task held is revoked, with all that was derived from it; every capability
 * others hold to the task, or to notifications it owns, goes. */
void policy_task_destroy(struct task *t)
{
    for (unsigned s = 1; s < CAP_SLOTS; s++)
        if (t->pol.cspace[s].type != CAP_NONE) cap_revoke(t, s, true);
    /* Task capabilities others hold stay until the task is reaped (task_wait needs them). */
    cap_clear_notifications_of(t);
    gate_task_gone(t);
}

void policy_thread_destroy(struct thread *t)
{
    cap_clear_object(t);
    gate_thread_gone(t);
}

/*
 * Object flexpages: base >> 12 is the first capability slot, 2^order slots; the flexpage
 * rights R, W and X stand for the send, give and bind rights. Only capabilities the sender may give
 * on move (none at all: E_MAPFAIL); occupied slots in the receiver's window are left alone.
 */
enum status policy_map_item(struct thread *from, struct thread *to, word_t hdr, word_t fpage,
                            word_t *out)
{
    if (ITEM_MAP_KIND(hdr) != FPAGE_KIND_BACKEND) return E_MAPFAIL;
    word_t window = to->utcb->br[BR_OBJ_WINDOW];
    unsigned order = FPAGE_ORDER(fpage), w_order = FPAGE_ORDER(window);
    if (window == 0 || order > 8 || w_order > 8 || order > w_order) return E_MAPFAIL;
    word_t src = FPAGE_BASE(fpage) >> 12, count = 1ul << order;
    word_t w_base = FPAGE_BASE(window) >> 12, w_size = 1ul << w_order;
    if (src + count > CAP_SLOTS || w_base + w_size > CAP_SLOTS) return E_MAPFAIL;
    word_t dst = w_base + (((ITEM_MAP_HOTSPOT(hdr) >> 12) & (w_size - 1)) & ~(count - 1));
    unsigned mask = ((FPAGE_RIGHTS(fpage) & FPAGE_R) ? CAP_R_SEND : 0) |
                    ((FPAGE_RIGHTS(fpage) & FPAGE_W) ? CAP_R_GIVE : 0) |
                    ((FPAGE_RIGHTS(fpage) & FPAGE_X) ? CAP_R_BIND : 0);
    word_t givable = 0;
    for (word_t i = 0; i < count; i++) {
        struct cap *c = &from->task->pol.cspace[src + i];
        if (src + i == 0 || dst + i == 0 || c->type == CAP_NONE || !(c->rights & CAP_R_GIVE))
            continue;
        givable++;
        if (to->task->pol.cspace[dst + i].type != CAP_NONE) continue;
        if (ITEM_TYPE(hdr) == ITEM_GRANT) {
            cap_move(from->task, (unsigned)(src + i), to->task, (unsigned)(dst + i));
            struct cap *moved = &to->task->pol.cspace[dst + i];
            moved->rights &= (uint8_t)mask;
            moved->node->rights = moved->rights;
        } else {
            cap_install_at(to->task, (unsigned)(dst + i), (enum cap_type)c->type, c->obj,
                           c->rights & mask, from->task, (unsigned)(src + i));
        }
    }
    /* Like memory: mapping nothing one may give (no give right, empty slots) fails. */
    if (givable == 0) return E_MAPFAIL;
    out[0] = hdr;
    out[1] = FPAGE(dst << 12, order, FPAGE_RIGHTS(fpage));
    return OK;
}

void policy_init(void)
{
    gate_boot();
    mapdb_kind_register(CAPGATE_KIND_CAP, "cap");
}

/* unmap of an object flexpage: what was derived from the capabilities in the slot range goes,
 * in every task it reached (and the caller's own, with `self`). Returns how many slots held
 * a capability. The task and factory slots cannot go themselves. */
long policy_unmap(struct thread *cur, unsigned kind, word_t fpage, bool self)
{
    if (kind != FPAGE_KIND_BACKEND) return -E_INVAL;
    unsigned order = FPAGE_ORDER(fpage);
    word_t first = FPAGE_BASE(fpage) >> 12, count = 1ul << (order > 8 ? 8 : order);
    if (order > 8 || first + count > CAP_SLOTS) return -E_RANGE;
    long n = 0;
    for (word_t s = first; s < first + count; s++) {
        if (s == 0 || cur->task->pol.cspace[s].type == CAP_NONE) continue;
        bool keep = s == CSPACE_SLOT_TASK || s == CSPACE_SLOT_FACTORY;
        cap_revoke(cur->task, (unsigned)s, self && !keep);
        n++;
    }
    return n;
}

/* Gates never queue: these are never called (the contract's queue hooks). */
enum status policy_item_take(struct thread *from, struct msg_queue *into, word_t hdr, word_t fpage,
                             word_t *cookie)
{
    (void)from, (void)into, (void)hdr, (void)fpage, (void)cookie;
    return E_NOTSUP;
}

enum status policy_item_put(struct thread *to, word_t hdr, word_t cookie, word_t *out)
{
    (void)to, (void)hdr, (void)cookie, (void)out;
    return E_NOTSUP;
}

void policy_item_drop(word_t hdr, word_t cookie)
{
    (void)hdr, (void)cookie;
}
