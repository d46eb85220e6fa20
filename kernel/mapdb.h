/* SPDX-License-Identifier: MIT */
/*
 * The mapping database: who derived which mapping from whom, for memory and for the kinds of
 * flexpage a backend defines (capabilities, IPC rights), in one derivation forest.
 *
 * A node is one mapping, (space, kind, index) -> object with rights. An original is a root;
 * map adds a child with a subset of its parent's rights; grant moves a node with its subtree;
 * unmap takes rights from a node's whole subtree, in every space it reached, and removes what
 * is left with none. Nodes come from a bounded pool (E_NOMEM, never a crash); lookup is a hash
 * probe; every walk is iterative, so derivation depth costs no stack.
 *
 * Two interfaces, one database: the slot interface (struct mapdb *, by (space, kind, index))
 * for new code and host tests; the node interface (mapdb_init, mapdb_derive, ...) on the
 * kernel's database, mapdb_kernel(), for vm.c and capgate, which keep a node per slot.
 */
#ifndef KERNEL_MAPDB_H
#define KERNEL_MAPDB_H

#include "kernel.h"
#include "pool.h"

#define MAPDB_NODES 8192     /* nodes in the kernel's database */
#define MAPDB_BUCKET_BITS 12 /* hash buckets per database: 4096, so load <= 2 in the kernel */
#define MAPDB_BUCKETS (1u << MAPDB_BUCKET_BITS)

/*
 * What an index names and what the object is. The kernel owns MEM; kinds from
 * MAPDB_KIND_BACKEND on belong to the backend, which registers their names in policy_init
 * (capability slots, IPC-right slots).
 */
enum mapdb_kind {
    MAPDB_KIND_MEM = 0,     /* index: virtual page number; object: the physical frame */
    MAPDB_KIND_BACKEND = 1, /* the first of the backend's kinds */
    MAPDB_KIND_COUNT = 4
};
#define MAPDB_MEM MAPDB_KIND_MEM

/*
 * Rights: eight generic bits, meaningful per kind. MEM uses R, W, X (the values of VM_R/W/X).
 * IPC rights use S (may send to the destination). Capabilities leave the bits to the backend
 * (capgate: bit 0 = invoke, bit 1 = give on). Bits 4..7 are free for backends. The slot interface
 * never makes a mapping without rights; MAPDB_FULL as an unmap mask removes whatever it holds.
 */
#define MAPDB_R 0x01u
#define MAPDB_W 0x02u
#define MAPDB_X 0x04u
#define MAPDB_S 0x08u
#define MAPDB_FULL 0xffu

/* mapdb_unmap flag: L4's flush. Only what was derived loses rights; the own mapping stays. */
#define MAPDB_UNMAP_CHILDREN_ONLY 1u

struct mapdb_node {
    void *space;
    word_t index;
    word_t object;
    uint8_t kind, rights;
    struct mapdb_node *parent, *first_child, *next_sibling, *prev_sibling;
    struct mapdb_node *hash_next;
};

/* Accounting: a node appears in (+1) or leaves (-1) a space; a refused +1 fails the call. */
typedef enum status (*mapdb_charge_fn)(void *space, unsigned kind, int delta);

struct mapdb {
    struct pool pool;       /* the nodes, with used / peak / failures */
    mapdb_charge_fn charge; /* NULL: nothing is charged */
    struct mapdb_node *buckets[MAPDB_BUCKETS];
};

/* One mapping an unmap, grant or teardown reduced or removed (new_rights == 0: removed). */
struct mapdb_change {
    void *space;
    word_t index, object;
    uint8_t kind, old_rights, new_rights;
    bool original; /* a root: e.g. the space that allocated the frame, which must free it */
};
/* Must not call into the database; removals come deepest first, so a root comes last. */
typedef void (*mapdb_change_fn)(void *ctx, const struct mapdb_change *c);

struct mapdb_usage {
    uint32_t capacity, used, peak, failures;
};

/* ---- the slot interface -------------------------------------------------------------------- */

/* A database over caller storage (capacity nodes and links). E_RANGE: capacity 0 or too big. */
enum status mapdb_setup(struct mapdb *db, struct mapdb_node *storage, uint32_t *links,
                        uint32_t capacity);
enum status mapdb_reset(struct mapdb *db);  /* forgets every mapping, no callbacks */
struct mapdb *mapdb_kernel(void);           /* the kernel's database (set up by mapdb_init) */
const char *mapdb_kind_name(unsigned kind); /* "mem", a backend's name; "?" if unknown */
void mapdb_kind_register(unsigned kind, const char *name); /* a backend names its kinds */

/* The mapping at a slot; E_NOENT if the slot is empty. Expected O(1), see mapdb.c. */
enum status mapdb_find(struct mapdb *db, void *space, unsigned kind, word_t index,
                       struct mapdb_node **out);
/* An original mapping (no parent). E_EXISTS: slot taken; E_NOMEM: pool exhausted. */
enum status mapdb_add_root(struct mapdb *db, void *space, unsigned kind, word_t index,
                           word_t object, unsigned rights, struct mapdb_node **out);
/*
 * Derives a mapping at (to_space, kind, to_index) with exactly `rights` from the one at the
 * source. E_NOENT: no source; E_PERM: rights the source lacks; E_EXISTS: destination taken
 * (the source itself included); E_NOMEM: pool exhausted. On any error nothing changed.
 * `out` may be NULL.
 */
enum status mapdb_map(struct mapdb *db, void *from_space, unsigned kind, word_t from_index,
                      void *to_space, word_t to_index, unsigned rights, struct mapdb_node **out);
/*
 * Moves the source mapping to the destination with `rights` (errors as mapdb_map, nothing
 * allocated, so never E_NOMEM); it keeps its parent and subtree. Rights the grant drops are
 * unmapped from the subtree, reported through fn. The caller moves the node's own entry.
 */
enum status mapdb_grant(struct mapdb *db, void *from_space, unsigned kind, word_t from_index,
                        void *to_space, word_t to_index, unsigned rights, mapdb_change_fn fn,
                        void *ctx, struct mapdb_node **out);
/*
 * Takes `rights` away from the mapping at the slot (unless MAPDB_UNMAP_CHILDREN_ONLY) and
 * from everything derived from it, transitively; a mapping left with nothing is removed with
 * its subtree. fn (may be NULL) sees each mapping that changed exactly once. E_NOENT: empty.
 */
enum status mapdb_unmap(struct mapdb *db, void *space, unsigned kind, word_t index, unsigned rights,
                        unsigned flags, mapdb_change_fn fn, void *ctx);
/* A dying space: removes all its mappings (every kind) and all derived from them elsewhere. */
enum status mapdb_remove_space(struct mapdb *db, void *space, mapdb_change_fn fn, void *ctx);
enum status mapdb_get_usage(const struct mapdb *db, struct mapdb_usage *out);

/* ---- the node interface, on the kernel's database ------------------------------------------- */

/* Called for every node a revocation removes, deepest first, while it is still linked. */
typedef void (*mapdb_revoke_fn)(void *ctx, struct mapdb_node *n);

/* (Re)sets up the kernel's database, empty; `charge` accounts its nodes (may be NULL). */
void mapdb_init(mapdb_charge_fn charge);
struct mapdb_node *mapdb_lookup(void *space, unsigned kind, word_t index);
enum status mapdb_insert_root(void *space, unsigned kind, word_t index, word_t object,
                              unsigned rights, struct mapdb_node **out);
/* A child of `parent` in another slot; rights must be a subset of the parent's (E_PERM). */
enum status mapdb_derive(struct mapdb_node *parent, void *space, word_t index, unsigned rights,
                         struct mapdb_node **out);
/* Grant: the node changes place and keeps its parent and its subtree; E_QUOTA if the new
 * space may hold no more nodes (nothing changed then). */
enum status mapdb_move(struct mapdb_node *n, void *space, word_t index);
/* Removes the subtree below n (and n itself if `self`), calling fn for each removed node. */
void mapdb_revoke(struct mapdb_node *n, bool self, mapdb_revoke_fn fn, void *ctx);
void mapdb_stats(uint32_t *used, uint32_t *peak, uint32_t *failures);

#endif
