/* SPDX-License-Identifier: MIT */
/* IPC-right spaces over the kernel's mapping database, with the per-slot send cache (rights.h). */
#include "rights.h"
#include "pool.h"
#include "sched.h"
#include "trace.h"

static struct refmon_space spaces[MAX_TASKS];

struct refmon_space *refmon_space_of(struct task *t)
{
    return &spaces[pool_index(&task_pool, t)];
}

static bool entry_covers(const struct refmon_entry *e, uint32_t id)
{
    return ((uint64_t)id >> e->order) == ((uint64_t)e->base >> e->order);
}

/* Does the entry's range lie inside (base, order)? */
static bool entry_within(const struct refmon_entry *e, uint32_t base, unsigned order)
{
    return e->order <= order && ((uint64_t)e->base >> order) == ((uint64_t)base >> order);
}

bool refmon_covers(const struct refmon_space *rs, uint32_t id, unsigned rights)
{
    for (unsigned i = 0; i < REFMON_ENTRIES; i++) {
        const struct refmon_entry *e = &rs->e[i];
        if (e->rights && !e->grant && (e->rights & rights) == rights && entry_covers(e, id))
            return true;
    }
    return false;
}

/* Refills the cache from the entries: every live thread a send right covers. */
static void allow_rebuild(struct refmon_space *rs)
{
    for (uint32_t s = 0; s < MAX_THREADS; s++) {
        struct thread *t = pool_at(&thread_pool, s);
        rs->allow[s] = t && refmon_covers(rs, t->id, REFMON_R_SEND) ? t->id : 0;
    }
}

/* The cache after one new right: only slots it covers can change. */
static void allow_add(struct refmon_space *rs, const struct refmon_entry *e)
{
    if (!(e->rights & REFMON_R_SEND)) return;
    for (uint32_t s = 0; s < MAX_THREADS; s++) {
        struct thread *t = pool_at(&thread_pool, s);
        if (t && entry_covers(e, t->id)) rs->allow[s] = t->id;
    }
}

/* The database key: one node per (flexpage, right or grant root) in a task. */
static word_t entry_index(uint32_t base, unsigned order, bool grant)
{
    return (word_t)base << 8 | (word_t)order << 1 | (grant ? 1u : 0u);
}

static struct refmon_entry *entry_exact(struct refmon_space *rs, uint32_t base, unsigned order,
                                        bool grant)
{
    for (unsigned i = 0; i < REFMON_ENTRIES; i++) {
        struct refmon_entry *e = &rs->e[i];
        if (e->rights && e->grant == grant && e->base == base && e->order == order) return e;
    }
    return NULL;
}

static struct refmon_entry *entry_free(struct refmon_space *rs)
{
    for (unsigned i = 0; i < REFMON_ENTRIES; i++)
        if (rs->e[i].rights == 0) return &rs->e[i];
    return NULL;
}

/* A right `from` holds that covers the whole flexpage with at least `rights`. */
static struct refmon_entry *entry_cover(struct refmon_space *rs, uint32_t base, unsigned order,
                                        unsigned rights)
{
    for (unsigned i = 0; i < REFMON_ENTRIES; i++) {
        struct refmon_entry *e = &rs->e[i];
        if (e->rights && !e->grant && (e->rights & rights) == rights && e->order >= order &&
            entry_covers(e, base))
            return e;
    }
    return NULL;
}

/* The mapping database removes a right: empty its entry and refill the task's cache. */
static void right_revoked(void *ctx, struct mapdb_node *n)
{
    (void)ctx;
    struct task *t = n->space;
    struct refmon_space *rs = t->pol.rs;
    for (unsigned i = 0; i < REFMON_ENTRIES; i++) {
        struct refmon_entry *e = &rs->e[i];
        if (e->rights && e->node == n) {
            trace_auth(TRACE_OP_REVOKE, current, t, NULL, e->base, e->order, OK);
            *e = (struct refmon_entry){0};
        }
    }
    allow_rebuild(rs);
}

/*
 * The monitor's authority over what it grants: a root in its own table (a grant root, which
 * lets it map, never send), made on first use and shared by every grant of that flexpage.
 */
static struct refmon_entry *grant_root(struct task *mon, uint32_t base, unsigned order,
                                       enum status *err)
{
    struct refmon_space *rs = mon->pol.rs;
    struct refmon_entry *e = entry_exact(rs, base, order, true);
    if (e) return e;
    e = entry_free(rs);
    if (e == NULL) {
        *err = E_NOMEM;
        return NULL;
    }
    struct mapdb_node *node;
    *err = mapdb_insert_root(mon, REFMON_KIND, entry_index(base, order, true), base,
                             REFMON_R_SEND | REFMON_R_MAP, &node);
    if (*err != OK) return NULL;
    *e = (struct refmon_entry){base, (uint8_t)order, REFMON_R_SEND | REFMON_R_MAP, true, node};
    return e;
}

/*
 * Who may map a right into `to`: a holder of a covering right with "may map on" (the new
 * right is derived from it), or `to`'s reference monitor (derived from its grant root).
 */
enum status refmon_map(struct thread *from, struct thread *to, uint32_t base, unsigned order,
                       unsigned rights)
{
    struct refmon_space *dst = to->task->pol.rs;
    struct refmon_entry *have = entry_exact(dst, base, order, false);
    if (have && (have->rights & rights) == rights) return OK; /* already held */
    struct refmon_entry *parent =
        entry_cover(from->task->pol.rs, base, order, rights | REFMON_R_MAP);
    enum status s = E_PERM;
    if (parent == NULL && to->monitor != 0 && to->monitor == from->id)
        parent = grant_root(from->task, base, order, &s);
    if (parent == NULL) return s;
    if (have) mapdb_revoke(have->node, true, right_revoked, NULL); /* replaced with more */
    struct refmon_entry *e = entry_free(dst);
    if (e == NULL) return E_NOMEM;
    struct mapdb_node *node;
    s = mapdb_derive(parent->node, to->task, entry_index(base, order, false), rights, &node);
    if (s != OK) return s;
    *e = (struct refmon_entry){base, (uint8_t)order, (uint8_t)rights, false, node};
    allow_add(dst, e);
    return OK;
}

long refmon_unmap(struct task *t, uint32_t base, unsigned order, bool self)
{
    struct refmon_space *rs = t->pol.rs;
    long n = 0;
    for (unsigned i = 0; i < REFMON_ENTRIES; i++) {
        struct refmon_entry *e = &rs->e[i];
        if (e->rights == 0 || !entry_within(e, base, order)) continue;
        mapdb_revoke(e->node, self, right_revoked, NULL);
        n++;
    }
    return n;
}

void refmon_space_init(struct task *t)
{
    t->pol.rs = refmon_space_of(t);
    *t->pol.rs = (struct refmon_space){0};
}

void refmon_space_destroy(struct task *t)
{
    struct refmon_space *rs = t->pol.rs;
    if (rs == NULL) return;
    for (unsigned i = 0; i < REFMON_ENTRIES; i++)
        if (rs->e[i].rights) mapdb_revoke(rs->e[i].node, true, right_revoked, NULL);
}
