/* SPDX-License-Identifier: MIT */
/* Backend `refmon`: global names, the policy fault to the monitor, IPC-right flexpages. */
#include "notify.h"
#include "policy.h"
#include "policies/global_ids.h"

enum refmon_verdict refmon_check_slow(struct thread *sender, struct thread *to, word_t name,
                                      word_t claimed)
{
    if (claimed) return REFMON_CLAIM; /* the label is the kernel's id of the sender */
    /* Inside a task, and the kernel's exception IPC to the handlers the creator set, are not
     * mediated; the root task owns every right (rights.c); otherwise a right must cover the
     * destination, or the monitor decides. */
    if (to->task == sender->task || sender->in_fault || sender->task->is_root ||
        refmon_covers(sender->task->pol.rs, (uint32_t)name, REFMON_R_SEND))
        return REFMON_DELIVER;
    struct thread *mon = sender->monitor != 0 && sender->monitor <= 0xffffffffUL
                             ? thread_lookup((uint32_t)sender->monitor)
                             : NULL;
    return mon && mon->task ? REFMON_FAULT : REFMON_NO_MONITOR;
}

POLICY_GLOBAL_ID_ENDPOINT_CREATE

long policy_endpoint_bind(struct thread *cur, word_t endpoint, word_t thread_name)
{
    (void)cur, (void)endpoint, (void)thread_name;
    return -E_NOTSUP; /* endpoints are the threads themselves */
}

POLICY_GLOBAL_ID_NAMES

enum status policy_task_init(struct task *t, struct task *creator)
{
    (void)creator;
    refmon_space_init(t);
    return OK;
}

void policy_task_destroy(struct task *t)
{
    refmon_space_destroy(t);
}

/* Rights name thread ids, which never repeat: a right to a dead thread covers nobody. */
void policy_thread_destroy(struct thread *t)
{
    (void)t;
}

/* The flexpage of thread ids an item or an unmap names: base >> 12 is the first id. */
static bool right_fpage(word_t fpage, uint32_t *base, unsigned *order)
{
    *order = FPAGE_ORDER(fpage);
    word_t b = FPAGE_BASE(fpage) >> 12;
    if (*order > REFMON_MAX_ORDER || b > 0xffffffffUL) return false;
    *base = (uint32_t)(b & ~((1ul << *order) - 1));
    return true;
}

/*
 * IPC-right flexpages in a message: rights R = send, W = may map on. The right lands in the
 * receiver's right space at its own ids (no window: a right to send harms nobody who holds
 * it), typically in a policy-fault reply. The mapper needs a covering right with "may map
 * on" (rights.c). A grant item maps (the granter keeps its own right).
 */
enum status policy_map_item(struct thread *from, struct thread *to, word_t hdr, word_t fpage,
                            word_t *out)
{
    uint32_t base;
    unsigned order;
    if (ITEM_MAP_KIND(hdr) != FPAGE_KIND_BACKEND || !right_fpage(fpage, &base, &order))
        return E_MAPFAIL;
    unsigned rights = ((FPAGE_RIGHTS(fpage) & FPAGE_R) ? REFMON_R_SEND : 0) |
                      ((FPAGE_RIGHTS(fpage) & FPAGE_W) ? REFMON_R_MAP : 0);
    if (rights == 0) return E_MAPFAIL;
    enum status s = refmon_map(from, to, base, order, rights);
    if (s != OK) return E_MAPFAIL;
    out[0] = hdr;
    out[1] = FPAGE((word_t)base << 12, order, FPAGE_RIGHTS(fpage) & (FPAGE_R | FPAGE_W));
    return OK;
}

void policy_init(void)
{
    mapdb_kind_register(REFMON_KIND, "ipcright");
}

/* unmap of an IPC-right flexpage: what the caller derived inside it goes, in every task (its
 * own rights inside it too, with `self`). Returns how many rights were revoked. */
long policy_unmap(struct thread *cur, unsigned kind, word_t fpage, bool self)
{
    uint32_t base;
    unsigned order;
    if (kind != FPAGE_KIND_BACKEND) return -E_INVAL;
    if (!right_fpage(fpage, &base, &order)) return -E_RANGE;
    return refmon_unmap(cur->task, base, order, self);
}

POLICY_NEVER_QUEUES_ITEMS
