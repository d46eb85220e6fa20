/* SPDX-License-Identifier: MIT */
/* The mapping database: a derivation forest over a bounded pool, indexed by a hash. */
#include "mapdb.h"
#include "pool.h"

POOL_DEFINE(mapdb_pool, struct mapdb_node, MAPDB_NODES);
static struct mapdb_node *buckets[MAPDB_BUCKETS];

void mapdb_init(void)
{
    pool_init(&mapdb_pool);
    for (unsigned i = 0; i < MAPDB_BUCKETS; i++)
        buckets[i] = NULL;
}

static unsigned bucket(void *space, unsigned kind, word_t index)
{
    word_t h = (word_t)space * 0x9e3779b97f4a7c15ull ^ (index + kind) * 0xff51afd7ed558ccdull;
    return (unsigned)(h >> 40) % MAPDB_BUCKETS;
}

struct mapdb_node *mapdb_lookup(void *space, unsigned kind, word_t index)
{
    for (struct mapdb_node *n = buckets[bucket(space, kind, index)]; n; n = n->hash_next)
        if (n->space == space && n->kind == kind && n->index == index) return n;
    return NULL;
}

static void hash_add(struct mapdb_node *n)
{
    struct mapdb_node **b = &buckets[bucket(n->space, n->kind, n->index)];
    n->hash_next = *b;
    *b = n;
}

static void hash_del(struct mapdb_node *n)
{
    for (struct mapdb_node **pp = &buckets[bucket(n->space, n->kind, n->index)]; *pp;
         pp = &(*pp)->hash_next) {
        if (*pp == n) {
            *pp = n->hash_next;
            return;
        }
    }
}

static enum status node_new(void *space, unsigned kind, word_t index, word_t object,
                            unsigned rights, struct mapdb_node **out)
{
    if (kind >= MAPDB_KINDS) return E_INVAL;
    if (mapdb_lookup(space, kind, index)) return E_EXISTS;
    struct mapdb_node *n = pool_alloc(&mapdb_pool);
    if (n == NULL) return E_NOMEM;
    n->space = space;
    n->kind = (uint8_t)kind;
    n->index = index;
    n->object = object;
    n->rights = (uint8_t)rights;
    hash_add(n);
    *out = n;
    return OK;
}

enum status mapdb_insert_root(void *space, unsigned kind, word_t index, word_t object,
                              unsigned rights, struct mapdb_node **out)
{
    return node_new(space, kind, index, object, rights, out);
}

enum status mapdb_derive(struct mapdb_node *parent, void *space, word_t index, unsigned rights,
                         struct mapdb_node **out)
{
    if (rights & ~(unsigned)parent->rights) return E_PERM; /* nobody raises rights */
    struct mapdb_node *n;
    enum status s = node_new(space, parent->kind, index, parent->object, rights, &n);
    if (s != OK) return s;
    n->parent = parent;
    n->next_sibling = parent->first_child;
    if (parent->first_child) parent->first_child->prev_sibling = n;
    parent->first_child = n;
    *out = n;
    return OK;
}

enum status mapdb_move(struct mapdb_node *n, void *space, word_t index)
{
    if (mapdb_lookup(space, n->kind, index)) return E_EXISTS;
    hash_del(n);
    n->space = space;
    n->index = index;
    hash_add(n);
    return OK;
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

/*
 * Post-order walk without recursion or extra memory: descend to a leaf, remove it, continue
 * with its sibling or climb to its parent. Every node of the subtree is visited once.
 */
void mapdb_revoke(struct mapdb_node *top, bool self, mapdb_revoke_fn fn, void *ctx)
{
    while (top->first_child) {
        struct mapdb_node *n = top->first_child;
        while (n->first_child)
            n = n->first_child;
        if (fn) fn(ctx, n); /* still linked: fn can tell an original from a derived mapping */
        unlink_from_parent(n);
        hash_del(n);
        kassert(pool_free(&mapdb_pool, n) == OK);
    }
    if (!self) return;
    if (fn) fn(ctx, top);
    unlink_from_parent(top);
    hash_del(top);
    kassert(pool_free(&mapdb_pool, top) == OK);
}

void mapdb_stats(uint32_t *used, uint32_t *peak, uint32_t *failures)
{
    *used = mapdb_pool.used;
    *peak = mapdb_pool.peak;
    *failures = mapdb_pool.failures;
}
