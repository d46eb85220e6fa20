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
        if (e->rights && (e->rights & rights) == rights && entry_covers(e, id)) return true;
    }
    return false;
}

/* The cache slot of a thread id, or MAX_THREADS if it names none. */
static uint32_t id_slot(uint32_t id)
{
    uint32_t s = (id & ((1u << ID_SLOT_BITS) - 1)) - 1;
    return s < MAX_THREADS ? s : MAX_THREADS;
}

/* Recomputes the cache for the live threads `e` covers (after it came or went): one slot for
 * a right to one thread, every slot for a range. */
static void allow_update(struct refmon_space *rs, const struct refmon_entry *e)
{
    uint32_t first = 0, end = MAX_THREADS;
    if (e->order == 0) {
        if ((first = id_slot(e->base)) == MAX_THREADS) return;
        end = first + 1;
    }
    for (uint32_t s = first; s < end; s++) {
        struct thread *t = pool_at(&thread_pool, s);
        if (t == NULL || !entry_covers(e, t->id)) continue;
        rs->allow[s + 1] = refmon_covers(rs, t->id, REFMON_R_SEND) ? t->id : 0;
    }
}

/* The database key: one node per flexpage in a task (refmon_unmap decodes it). */
static word_t entry_index(uint32_t base, unsigned order)
{
    return (word_t)base << 8 | (word_t)order << 1;
}

static struct refmon_entry *entry_exact(struct refmon_space *rs, uint32_t base, unsigned order)
{
    for (unsigned i = 0; i < REFMON_ENTRIES; i++) {
        struct refmon_entry *e = &rs->e[i];
        if (e->rights && e->base == base && e->order == order) return e;
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
        if (e->rights && (e->rights & rights) == rights && e->order >= order &&
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
            struct refmon_entry gone = *e;
            *e = (struct refmon_entry){0};
            allow_update(rs, &gone);
        }
    }
}

/*
 * The root task owns every IPC right, as it owns all memory: its original, covering every
 * thread id with send and "may map on", is made on first use. Every other right is derived.
 */
static struct refmon_entry *root_original(struct task *root, enum status *err)
{
    struct refmon_space *rs = root->pol.rs;
    struct refmon_entry *e = entry_exact(rs, 0, REFMON_MAX_ORDER);
    if (e) return e;
    if ((e = entry_free(rs)) == NULL) {
        *err = E_NOMEM;
        return NULL;
    }
    struct mapdb_node *node;
    unsigned all = REFMON_R_SEND | REFMON_R_MAP;
    *err = mapdb_insert_root(root, REFMON_KIND, entry_index(0, REFMON_MAX_ORDER), 0, all, &node);
    if (*err != OK) return NULL;
    *e = (struct refmon_entry){0, REFMON_MAX_ORDER, (uint8_t)all, node};
    allow_update(rs, e);
    return e;
}

/*
 * Mapping a right needs a right covering it with "may map on" (like memory: one maps only
 * what one has); the new right is derived from it. A reference monitor grants from what its
 * creator gave it; the root from its original.
 */
enum status refmon_map(struct thread *from, struct thread *to, uint32_t base, unsigned order,
                       unsigned rights)
{
    struct refmon_space *dst = to->task->pol.rs;
    struct refmon_entry *have = entry_exact(dst, base, order);
    if (have && (have->rights & rights) == rights) return OK; /* already held */
    struct refmon_entry *parent =
        entry_cover(from->task->pol.rs, base, order, rights | REFMON_R_MAP);
    enum status s = E_PERM;
    if (parent == NULL && from->task->is_root) parent = root_original(from->task, &s);
    if (parent == NULL || parent == have) return s;
    if (have) mapdb_revoke(have->node, true, right_revoked, NULL); /* replaced with more */
    struct refmon_entry *e = entry_free(dst);
    if (e == NULL) return E_NOMEM;
    struct mapdb_node *node;
    s = mapdb_derive(parent->node, to->task, entry_index(base, order), rights, &node);
    if (s != OK) return s;
    *e = (struct refmon_entry){base, (uint8_t)order, (uint8_t)rights, node};
    allow_update(dst, e);
    return OK;
}

/*
 * unmap: rights of the caller inside the flexpage lose what was derived from them (and go
 * themselves with `self`); of a larger right the caller holds, the rights derived from it
 * that lie inside the flexpage go (a monitor holding every id revokes one grant).
 */
long refmon_unmap(struct task *t, uint32_t base, unsigned order, bool self)
{
    struct refmon_space *rs = t->pol.rs;
    long n = 0;
    for (unsigned i = 0; i < REFMON_ENTRIES; i++) {
        struct refmon_entry *e = &rs->e[i];
        if (e->rights == 0) continue;
        if (entry_within(e, base, order)) {
            mapdb_revoke(e->node, self, right_revoked, NULL);
            n++;
        } else if (e->order > order && entry_covers(e, base)) {
            for (struct mapdb_node *c = e->node->first_child, *next; c; c = next) {
                next = c->next_sibling;
                struct refmon_entry child = {(uint32_t)(c->index >> 8),
                                             (uint8_t)((c->index >> 1) & 0x3f), 1, NULL};
                if (!entry_within(&child, base, order)) continue;
                mapdb_revoke(c, true, right_revoked, NULL);
                n++;
            }
        }
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
