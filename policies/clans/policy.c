/* SPDX-License-Identifier: MIT */
/*
 * Backend `clans`: the clan tree's upkeep (creation, chief death), the chief's receiving
 * thread, the deceit rule, and the name hooks (global ids, as in `none`).
 *
 * Chief death: the clan keeps its identity (its members still form one clan of their own), and
 * its chief becomes the dead chief's own chief, so IPC leaving or entering the headless clan is
 * redirected there; a clan with no chief left (the root task's children, after the root) fails
 * such IPC with E_NOPARTNER. A sender blocked on the dying chief is cancelled (E_CANCELLED) by
 * the core. Nothing ever waits for a chief that is gone.
 */
#include "notify.h"
#include "policy.h"
#include "policies/global_ids.h"

/* The thread of `chief` that takes redirected IPC: the one bound to ENDPOINT_REDIRECTS, else
 * its oldest thread (the last in the list: threads are added at the head). */
struct thread *clans_chief_thread(struct task *chief)
{
    if (chief->state != TASK_ALIVE) return NULL;
    if (chief->pol.receiver) return chief->pol.receiver;
    struct thread *t = chief->threads;
    while (t && t->task_next)
        t = t->task_next;
    return t;
}

/*
 * The next hop of a message from task s to task t: NULL to deliver directly, else the chief
 * task it is redirected to; *none set when it must go to s's chief and s has none left.
 * Direct: one clan, one's own chief, one's own clan member. Otherwise walks up from t to the
 * first task on the way that is one of s's own clan members or in s's clan (a sibling): the
 * message enters that task's clan, so it goes to that task as chief; if there is none, t is
 * outside and the message leaves s's clan, to s's chief. O(depth of the creation tree).
 */
struct task *clans_next_hop(struct task *s, struct task *t, bool *none)
{
    *none = false;
    if (t->pol.clan == s->pol.clan || t == s || t == s->pol.chief || t->pol.chief == s) return NULL;
    for (struct task *x = t;;) {
        struct task *up = x->pol.chief;
        if (up == s) return x;                              /* into one of s's own subclans */
        if (x != t && x->pol.clan == s->pol.clan) return x; /* into a sibling's subclan */
        if (up == NULL) break;
        x = up;
    }
    if (s->pol.chief == NULL) *none = true; /* outside, and no chief left to ask */
    return s->pol.chief;                    /* leaves s's clan: to s's chief */
}

/* Everything but the plain send inside a clan: deceit (as clans_may_deceive allows), direct
 * IPC between a chief and its clan, and redirection across clans (intended = the destination,
 * actual = the real sender). */
void clans_resolve_across(struct thread *sender, struct thread *to, word_t name, word_t claimed,
                          struct ipc_route *out)
{
    word_t label = sender->id;
    if (claimed) {
        struct thread *as = claimed <= 0xffffffffUL ? thread_lookup((uint32_t)claimed) : NULL;
        if (as == NULL || as->task == NULL || !clans_may_deceive(sender->task, as, to->task)) {
            out->kind = ROUTE_DENY;
            out->err = E_PERM;
            return;
        }
        out->as = as;
        out->intended = name;
        out->actual = sender->id;
        label = as->id;
    }
    bool none;
    struct task *hop = clans_next_hop(sender->task, to->task, &none);
    if (hop == NULL && !none) {
        out->kind = ROUTE_DELIVER;
        out->to = to;
        out->label = label;
        return;
    }
    struct thread *chief = none ? NULL : clans_chief_thread(hop);
    if (chief == NULL) { /* no chief left on the way: refuse, never wait */
        out->kind = ROUTE_DENY;
        out->err = E_NOPARTNER;
        return;
    }
    out->kind = ROUTE_REDIRECT;
    out->to = chief;
    out->label = label;
    out->intended = name;
    out->actual = sender->id;
}

/*
 * The deceit rule (L4's direction-preserving deceit): task s may send in the name of `claimed`
 * to `dest` only if s lies on the redirection chain from `claimed` to `dest`, i.e. a message
 * from `claimed` to `dest` would be redirected to s on its way, so s forwards what it could
 * have received: out of its clan in the name of a task inside it (or in a subclan), into its
 * clan (or a subclan) in the name of a task outside. Not in a member's name to another member
 * it never sees (inside to inside), nor an outsider's name to an outsider, nor a chief's name
 * by its subclan. The chain follows the clan tree as it is now (after a chief's death the
 * dead chief's chief is on it). A thread of s's own task is s's own name. The walk ends: every
 * hop goes up the tree towards the common ancestor or down towards `dest` (bounded anyway).
 */
bool clans_may_deceive(struct task *s, struct thread *claimed, struct task *dest)
{
    struct task *x = claimed->task;
    if (x == s) return true;
    if (dest == s) return false;
    for (uint32_t hops = 0; hops < MAX_TASKS; hops++) {
        bool none;
        x = clans_next_hop(x, dest, &none);
        if (x == NULL) return false; /* delivered directly from here on: s is not on it */
        if (x == s) return true;
    }
    return false;
}

POLICY_GLOBAL_ID_ENDPOINT_CREATE

/* The one endpoint of this backend: ENDPOINT_REDIRECTS, bound to the thread of the caller's
 * task that receives the IPC redirected to it as a chief (thread 0: back to its oldest). */
long policy_endpoint_bind(struct thread *cur, word_t endpoint, word_t thread_name)
{
    if (endpoint != ENDPOINT_REDIRECTS) return -E_NOTSUP; /* threads are their own endpoints */
    if (thread_name == 0) {
        cur->task->pol.receiver = NULL;
        return OK;
    }
    struct thread *t = thread_name <= 0xffffffffUL ? thread_lookup((uint32_t)thread_name) : NULL;
    if (t == NULL || t->task == NULL) return -E_NOENT;
    if (t->task != cur->task) return -E_PERM;
    cur->task->pol.receiver = t;
    return OK;
}

POLICY_GLOBAL_ID_NAMES

/* The creator is the chief; its id names the clan for good. */
enum status policy_task_init(struct task *t, struct task *creator)
{
    t->pol.clan = creator ? creator->id : 0;
    t->pol.chief = creator;
    t->pol.receiver = NULL;
    return OK;
}

/* Chief death: its clan's chief becomes its own chief (see the top of this file). */
void policy_task_destroy(struct task *t)
{
    for (uint32_t i = 0; i < task_pool.capacity; i++) {
        struct task *c = pool_at(&task_pool, i);
        if (c != NULL && c != t && c->pol.chief == t) c->pol.chief = t->pol.chief;
    }
    t->pol.receiver = NULL;
}

void policy_thread_destroy(struct thread *t)
{
    if (t->task && t->task->pol.receiver == t) t->task->pol.receiver = NULL;
}

POLICY_GLOBAL_ID_MAP_ITEM

void policy_init(void) {}

POLICY_NEVER_QUEUES_ITEMS
