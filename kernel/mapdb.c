/* SPDX-License-Identifier: MIT */
/* The mapping database: a derivation forest over a bounded pool, indexed by a hash. */
#include "mapdb.h"

_Static_assert(MAPDB_BUCKETS && (MAPDB_BUCKETS & (MAPDB_BUCKETS - 1)) == 0,
               "the bucket count is a power of two");

static const char *kind_names[MAPDB_KIND_COUNT] = {[MAPDB_KIND_MEM] = "mem"};

/*
 * Lifetime of a node: it lives while its mapping exists; its parent cannot die before it
 * (removal is post-order), and each removal is reported (callbacks) while the node is still
 * linked, so the owner of the slot (vm.c for memory, the backend for its kinds) clears the
 * page-table entry or capability slot and, for an original, frees the object. Each node is
 * charged to the task whose space holds it (the `charge` hook) from creation to removal.
 */
static struct mapdb_node kernel_nodes[MAPDB_NODES];
static uint32_t kernel_links[MAPDB_NODES];
static struct mapdb kernel_db;

/* Who hears about a change: a slot-interface callback or a node-interface one (or nobody). */
struct notifier {
    mapdb_change_fn fn;
    mapdb_revoke_fn node_fn;
    void *ctx;
};

const char *mapdb_kind_name(unsigned kind)
{
    return kind < MAPDB_KIND_COUNT && kind_names[kind] ? kind_names[kind] : "?";
}

void mapdb_kind_register(unsigned kind, const char *name)
{
    kassert(kind >= MAPDB_KIND_BACKEND && kind < MAPDB_KIND_COUNT);
    kind_names[kind] = name;
}

struct mapdb *mapdb_kernel(void)
{
    return &kernel_db;
}

/*
 * Lookup cost: the key is mixed into one of MAPDB_BUCKETS chains, so a probe is expected
 * O(1 + n / MAPDB_BUCKETS) (at most 2 nodes per chain on average in the kernel). The hash is
 * not keyed: a task that picks indexes to collide can lengthen chains, so the worst case is
 * O(n), with n bounded by the pool's capacity.
 */
static uint32_t bucket_of(const void *space, unsigned kind, word_t index)
{
    uint64_t h = (uint64_t)(uintptr_t)space * 0x9e3779b97f4a7c15ull;
    h ^= (uint64_t)index * 0xff51afd7ed558ccdull;
    h ^= (uint64_t)kind * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 31;
    h *= 0xd6e8feb86659fd93ull;
    return (uint32_t)(h >> (64 - MAPDB_BUCKET_BITS));
}

static struct mapdb_node *find(struct mapdb *db, const void *space, unsigned kind, word_t index)
{
    for (struct mapdb_node *n = db->buckets[bucket_of(space, kind, index)]; n; n = n->hash_next)
        if (n->space == space && n->kind == kind && n->index == index) return n;
    return NULL;
}

static void hash_add(struct mapdb *db, struct mapdb_node *n)
{
    struct mapdb_node **b = &db->buckets[bucket_of(n->space, n->kind, n->index)];
    n->hash_next = *b;
    *b = n;
}

static void hash_del(struct mapdb *db, struct mapdb_node *n)
{
    for (struct mapdb_node **pp = &db->buckets[bucket_of(n->space, n->kind, n->index)]; *pp;
         pp = &(*pp)->hash_next) {
        if (*pp == n) {
            *pp = n->hash_next;
            return;
        }
    }
    panic("mapdb: node %p missing from its hash chain", (void *)n);
}

/* Allocation is the last step that can fail, so every caller fails with nothing changed. */
static enum status node_new(struct mapdb *db, void *space, unsigned kind, word_t index,
                            word_t object, unsigned rights, struct mapdb_node **out)
{
    if (kind >= MAPDB_KIND_COUNT) return E_INVAL;
    if (find(db, space, kind, index)) return E_EXISTS;
    if (db->charge) {
        enum status s = db->charge(space, kind, +1);
        if (s != OK) return s;
    }
    struct mapdb_node *n = pool_alloc(&db->pool);
    if (n == NULL) {
        if (db->charge) db->charge(space, kind, -1);
        return E_NOMEM;
    }
    n->space = space;
    n->kind = (uint8_t)kind;
    n->index = index;
    n->object = object;
    n->rights = (uint8_t)rights;
    hash_add(db, n);
    *out = n;
    return OK;
}

static void link_child(struct mapdb_node *parent, struct mapdb_node *n)
{
    n->parent = parent;
    n->next_sibling = parent->first_child;
    if (parent->first_child) parent->first_child->prev_sibling = n;
    parent->first_child = n;
}

static void unlink_from_parent(struct mapdb_node *n)
{
    if (n->prev_sibling)
        n->prev_sibling->next_sibling = n->next_sibling;
    else if (n->parent)
        n->parent->first_child = n->next_sibling;
    if (n->next_sibling) n->next_sibling->prev_sibling = n->prev_sibling;
    n->parent = n->prev_sibling = n->next_sibling = NULL;
}

static void notify(const struct notifier *nt, struct mapdb_node *n, unsigned old_rights,
                   unsigned new_rights)
{
    if (nt->node_fn) nt->node_fn(nt->ctx, n);
    if (nt->fn) {
        struct mapdb_change c = {
            .space = n->space,
            .index = n->index,
            .object = n->object,
            .kind = n->kind,
            .old_rights = (uint8_t)old_rights,
            .new_rights = (uint8_t)new_rights,
            .original = n->parent == NULL,
        };
        nt->fn(nt->ctx, &c);
    }
}

/* A leaf leaves: reported while still linked (so the callback can tell a root), then freed. */
static void remove_leaf(struct mapdb *db, struct mapdb_node *n, const struct notifier *nt)
{
    notify(nt, n, n->rights, 0);
    unlink_from_parent(n);
    hash_del(db, n);
    if (db->charge) db->charge(n->space, n->kind, -1);
    kassert(pool_free(&db->pool, n) == OK);
}

/* A node changes space (grant): the new space pays first, so a refusal changes nothing. */
static enum status move_node(struct mapdb *db, struct mapdb_node *n, void *space, word_t index)
{
    if (db->charge && n->space != space) {
        enum status s = db->charge(space, n->kind, +1);
        if (s != OK) return s;
        db->charge(n->space, n->kind, -1);
    }
    hash_del(db, n);
    n->space = space;
    n->index = index;
    hash_add(db, n);
    return OK;
}

/*
 * Removes `top` and its whole subtree, post-order, without recursion or extra memory: descend
 * along first children to a leaf, remove it, go on from its parent (which descends into the
 * next child, or is a leaf by now). Each node is descended into and removed once: O(size),
 * whatever the depth, and a child is always reported before its parent.
 */
static void remove_subtree(struct mapdb *db, struct mapdb_node *top, const struct notifier *nt)
{
    struct mapdb_node *n = top;
    for (;;) {
        while (n->first_child)
            n = n->first_child;
        struct mapdb_node *parent = n->parent;
        bool last = n == top;
        remove_leaf(db, n, nt);
        if (last) return;
        n = parent;
    }
}

static void narrow(struct mapdb_node *n, unsigned mask, const struct notifier *nt)
{
    unsigned old = n->rights;
    if ((old & mask) == 0) return;
    n->rights = (uint8_t)(old & ~mask);
    notify(nt, n, old, n->rights);
}

/*
 * Takes `mask` from every node below `top` (not top itself). A node that would keep nothing
 * goes with its whole subtree, unconditionally: its descendants' rights are subsets of its
 * own, and even if a caller broke that, no child may outlive its parent. Other nodes are
 * narrowed after their children (post-order, iterative: n is the node whose children are
 * being visited, c the next child to visit). The whole subtree is visited, not only the
 * nodes holding a bit of `mask`, so a subtree wider than its root is still cleaned.
 */
static void revoke_below(struct mapdb *db, struct mapdb_node *top, unsigned mask,
                         const struct notifier *nt)
{
    struct mapdb_node *n = top, *c = top->first_child;
    for (;;) {
        if (c) {
            struct mapdb_node *next = c->next_sibling;
            if ((c->rights & ~mask) == 0) {
                remove_subtree(db, c, nt);
                c = next;
            } else {
                n = c;
                c = c->first_child;
            }
            continue;
        }
        if (n == top) return;
        narrow(n, mask, nt);
        c = n->next_sibling;
        n = n->parent;
    }
}

/*
 * Unmap of `mask` at top (and of top itself if `self`). If top is left with nothing, it goes
 * with everything derived from it, whatever those hold; otherwise the walk below runs first
 * and top narrows last, so a callback never sees a parent with less than its children.
 */
static void unmap_node(struct mapdb *db, struct mapdb_node *top, unsigned mask, bool self,
                       const struct notifier *nt)
{
    if (self && (top->rights & ~mask) == 0) {
        remove_subtree(db, top, nt);
        return;
    }
    revoke_below(db, top, mask, nt);
    if (self) narrow(top, mask, nt);
}

/* ---- the slot interface -------------------------------------------------------------------- */

static bool db_ok(const struct mapdb *db)
{
    return db != NULL && db->pool.objs != NULL;
}

static bool rights_ok(unsigned rights)
{
    return rights != 0 && (rights & ~MAPDB_FULL) == 0;
}

enum status mapdb_setup(struct mapdb *db, struct mapdb_node *storage, uint32_t *links,
                        uint32_t capacity)
{
    if (db == NULL || storage == NULL || links == NULL) return E_INVAL;
    if (capacity == 0 || capacity >= POOL_IN_USE) return E_RANGE;
    db->pool = (struct pool){
        "mapdb", (uint8_t *)storage, links, sizeof(struct mapdb_node), capacity, 0, 0, 0, 0, 0};
    db->charge = NULL;
    return mapdb_reset(db);
}

enum status mapdb_reset(struct mapdb *db)
{
    if (!db_ok(db)) return E_INVAL;
    pool_init(&db->pool);
    for (uint32_t i = 0; i < MAPDB_BUCKETS; i++)
        db->buckets[i] = NULL;
    return OK;
}

enum status mapdb_find(struct mapdb *db, void *space, unsigned kind, word_t index,
                       struct mapdb_node **out)
{
    if (!db_ok(db) || space == NULL || kind >= MAPDB_KIND_COUNT || out == NULL) return E_INVAL;
    *out = find(db, space, kind, index);
    return *out ? OK : E_NOENT;
}

enum status mapdb_add_root(struct mapdb *db, void *space, unsigned kind, word_t index,
                           word_t object, unsigned rights, struct mapdb_node **out)
{
    if (!db_ok(db) || space == NULL || !rights_ok(rights)) return E_INVAL;
    struct mapdb_node *n;
    enum status s = node_new(db, space, kind, index, object, rights, &n);
    if (s == OK && out) *out = n;
    return s;
}

/*
 * The checks map and grant share, in the order a caller can act on them: bad arguments, no
 * source, rights the source lacks, destination taken. Nobody can raise rights: a mask with a
 * bit the source lacks is refused (E_PERM), not quietly intersected, so a pager that asks for
 * write on a read-only page learns it instead of handing out less than it meant.
 */
static enum status transfer_check(struct mapdb *db, void *from_space, unsigned kind,
                                  word_t from_index, void *to_space, word_t to_index,
                                  unsigned rights, struct mapdb_node **src)
{
    if (!db_ok(db) || from_space == NULL || to_space == NULL || kind >= MAPDB_KIND_COUNT ||
        !rights_ok(rights))
        return E_INVAL;
    *src = find(db, from_space, kind, from_index);
    if (*src == NULL) return E_NOENT;
    if (rights & ~(unsigned)(*src)->rights) return E_PERM;
    /* Refused rather than replaced: replacing would be a silent unmap the caller never asked
     * for; it can unmap the old mapping first if that is what it means. */
    if (find(db, to_space, kind, to_index)) return E_EXISTS;
    return OK;
}

enum status mapdb_map(struct mapdb *db, void *from_space, unsigned kind, word_t from_index,
                      void *to_space, word_t to_index, unsigned rights, struct mapdb_node **out)
{
    struct mapdb_node *src, *n;
    enum status s =
        transfer_check(db, from_space, kind, from_index, to_space, to_index, rights, &src);
    if (s != OK) return s;
    s = node_new(db, to_space, kind, to_index, src->object, rights, &n);
    if (s != OK) return s;
    link_child(src, n);
    if (out) *out = n;
    return OK;
}

enum status mapdb_grant(struct mapdb *db, void *from_space, unsigned kind, word_t from_index,
                        void *to_space, word_t to_index, unsigned rights, mapdb_change_fn fn,
                        void *ctx, struct mapdb_node **out)
{
    struct mapdb_node *n;
    enum status s =
        transfer_check(db, from_space, kind, from_index, to_space, to_index, rights, &n);
    if (s != OK) return s;
    s = move_node(db, n, to_space, to_index);
    if (s != OK) return s;
    /* What the grantee does not get, nothing derived from its mapping may keep. */
    unsigned dropped = n->rights & ~rights;
    if (dropped) {
        struct notifier nt = {fn, NULL, ctx};
        revoke_below(db, n, dropped, &nt);
        n->rights = (uint8_t)rights;
    }
    if (out) *out = n;
    return OK;
}

enum status mapdb_unmap(struct mapdb *db, void *space, unsigned kind, word_t index, unsigned rights,
                        unsigned flags, mapdb_change_fn fn, void *ctx)
{
    if (!db_ok(db) || space == NULL || kind >= MAPDB_KIND_COUNT || !rights_ok(rights) ||
        (flags & ~MAPDB_UNMAP_CHILDREN_ONLY))
        return E_INVAL;
    struct mapdb_node *n = find(db, space, kind, index);
    if (n == NULL) return E_NOENT;
    struct notifier nt = {fn, NULL, ctx};
    unmap_node(db, n, rights, !(flags & MAPDB_UNMAP_CHILDREN_ONLY), &nt);
    return OK;
}

/*
 * A space keeps no list of its nodes (it is an opaque pointer), so teardown scans the pool:
 * O(capacity + removed), paid once per dying space, and no per-space memory on the fast
 * paths. Nodes the scan has not reached yet may go as part of an earlier subtree; pool_at
 * then sees them free. Nothing is allocated meanwhile, so no freed slot comes back in use.
 */
enum status mapdb_remove_space(struct mapdb *db, void *space, mapdb_change_fn fn, void *ctx)
{
    if (!db_ok(db) || space == NULL) return E_INVAL;
    struct notifier nt = {fn, NULL, ctx};
    for (uint32_t i = 0; i < db->pool.capacity; i++) {
        struct mapdb_node *n = pool_at(&db->pool, i);
        if (n && n->space == space) remove_subtree(db, n, &nt);
    }
    return OK;
}

enum status mapdb_get_usage(const struct mapdb *db, struct mapdb_usage *out)
{
    if (!db_ok(db) || out == NULL) return E_INVAL;
    *out = (struct mapdb_usage){db->pool.capacity, db->pool.used, db->pool.peak, db->pool.failures};
    return OK;
}

/* ---- the node interface, on the kernel's database ------------------------------------------- */

void mapdb_init(mapdb_charge_fn charge)
{
    kassert(mapdb_setup(&kernel_db, kernel_nodes, kernel_links, MAPDB_NODES) == OK);
    kernel_db.charge = charge;
}

struct mapdb_node *mapdb_lookup(void *space, unsigned kind, word_t index)
{
    return find(&kernel_db, space, kind, index);
}

enum status mapdb_insert_root(void *space, unsigned kind, word_t index, word_t object,
                              unsigned rights, struct mapdb_node **out)
{
    return node_new(&kernel_db, space, kind, index, object, rights, out);
}

enum status mapdb_derive(struct mapdb_node *parent, void *space, word_t index, unsigned rights,
                         struct mapdb_node **out)
{
    if (rights & ~(unsigned)parent->rights) return E_PERM; /* nobody raises rights */
    struct mapdb_node *n;
    enum status s = node_new(&kernel_db, space, parent->kind, index, parent->object, rights, &n);
    if (s != OK) return s;
    link_child(parent, n);
    *out = n;
    return OK;
}

enum status mapdb_move(struct mapdb_node *n, void *space, word_t index)
{
    if (find(&kernel_db, space, n->kind, index)) return E_EXISTS;
    return move_node(&kernel_db, n, space, index);
}

/* Every right goes, so every node below (and n if `self`) is removed, children first. */
void mapdb_revoke(struct mapdb_node *n, bool self, mapdb_revoke_fn fn, void *ctx)
{
    struct notifier nt = {NULL, fn, ctx};
    unmap_node(&kernel_db, n, MAPDB_FULL, self, &nt);
}

void mapdb_stats(uint32_t *used, uint32_t *peak, uint32_t *failures)
{
    *used = kernel_db.pool.used;
    *peak = kernel_db.pool.peak;
    *failures = kernel_db.pool.failures;
}
