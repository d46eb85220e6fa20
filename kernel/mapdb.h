/* SPDX-License-Identifier: MIT */
/*
 * The mapping database: who derived which mapping from whom. A node is one mapping (a space,
 * a kind, an index in that space, the object it maps, rights); an original mapping (a frame a
 * space allocated, a capability a factory made) is a root, and every map through IPC adds a
 * child. Revoking a node removes its whole subtree from every space it reached. Generic over
 * kinds, so memory pages and a backend's objects share one database.
 *
 * Nodes come from a bounded pool (E_NOMEM when empty); lookup by (space, kind, index) is a
 * hash probe; revocation walks the subtree without recursion.
 */
#ifndef KERNEL_MAPDB_H
#define KERNEL_MAPDB_H

#include "kernel.h"

#define MAPDB_NODES 8192
#define MAPDB_BUCKETS 4096

enum mapdb_kind { MAPDB_MEM = 0, MAPDB_CAP = 1, MAPDB_KINDS };

struct mapdb_node {
    void *space;
    word_t index;  /* MAPDB_MEM: virtual page number; MAPDB_CAP: capability slot */
    word_t object; /* MAPDB_MEM: physical frame address; MAPDB_CAP: object pointer */
    uint8_t kind, rights;
    struct mapdb_node *parent, *first_child, *next_sibling, *prev_sibling;
    struct mapdb_node *hash_next;
};

/* Called for every node a revocation removes, deepest first, while it is still linked. */
typedef void (*mapdb_revoke_fn)(void *ctx, struct mapdb_node *n);

void mapdb_init(void);
struct mapdb_node *mapdb_lookup(void *space, unsigned kind, word_t index);
enum status mapdb_insert_root(void *space, unsigned kind, word_t index, word_t object,
                              unsigned rights, struct mapdb_node **out);
/* A child of `parent` in another slot; rights must be a subset of the parent's (E_PERM). */
enum status mapdb_derive(struct mapdb_node *parent, void *space, word_t index, unsigned rights,
                         struct mapdb_node **out);
/* Grant: the node changes place and keeps its parent and its subtree. */
enum status mapdb_move(struct mapdb_node *n, void *space, word_t index);
/* Removes the subtree below n (and n itself if `self`), calling fn for each removed node. */
void mapdb_revoke(struct mapdb_node *n, bool self, mapdb_revoke_fn fn, void *ctx);
void mapdb_stats(uint32_t *used, uint32_t *peak, uint32_t *failures);

#endif
