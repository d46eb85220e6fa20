/* SPDX-License-Identifier: MIT */
/* Unit tests for the mapping database (kernel/mapdb.c): map, grant, unmap, teardown, bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "mapdb.h"

#define DEEP 10000          /* levels of the deep-chain test */
#define STORAGE (DEEP + 16) /* nodes of the test database's storage */
#define SMALL_STACK (128 * 1024)

static struct mapdb_node storage[STORAGE];
static uint32_t links[STORAGE];
static struct mapdb db;

static char spaces[8]; /* distinct addresses stand for distinct spaces */
#define S(i) ((void *)&spaces[i])

#define MEM MAPDB_KIND_MEM
#define CAP MAPDB_KIND_BACKEND /* two backend kinds, as capgate and refmon would name them */
#define IPC (MAPDB_KIND_BACKEND + 1)
#define R MAPDB_R
#define W MAPDB_W
#define X MAPDB_X
#define RW (MAPDB_R | MAPDB_W)
#define RWX (MAPDB_R | MAPDB_W | MAPDB_X)

/* ---- what the callbacks saw ---- */

#define EVENTS_MAX (DEEP + 64)
static struct mapdb_change events[EVENTS_MAX];
static size_t nevents;
static bool events_overflowed;

static void record(void *ctx, const struct mapdb_change *c)
{
    (void)ctx;
    if (nevents < EVENTS_MAX)
        events[nevents++] = *c;
    else
        events_overflowed = true;
}

static void events_clear(void)
{
    nevents = 0;
    events_overflowed = false;
}

/* How many times the callbacks reported the slot; *last gets the last report. */
static int events_for(void *space, unsigned kind, word_t index, struct mapdb_change *last)
{
    int n = 0;
    for (size_t i = 0; i < nevents; i++) {
        if (events[i].space == space && events[i].kind == kind && events[i].index == index) {
            n++;
            if (last) *last = events[i];
        }
    }
    return n;
}

/* Asserts the slot was reported exactly once, going from `old` to `new` rights. */
static void assert_event(void *space, unsigned kind, word_t index, unsigned old, unsigned new)
{
    struct mapdb_change c;
    assert_int_equal(events_for(space, kind, index, &c), 1);
    assert_int_equal(c.old_rights, old);
    assert_int_equal(c.new_rights, new);
}

/* Where in the report order the (memory) slot came. */
static size_t event_pos(void *space, word_t index)
{
    for (size_t i = 0; i < nevents; i++)
        if (events[i].space == space && events[i].index == index) return i;
    fail_msg("slot %lu was not reported", (unsigned long)index);
    return 0;
}

static struct mapdb_node *at(void *space, unsigned kind, word_t index)
{
    struct mapdb_node *n = NULL;
    enum status s = mapdb_find(&db, space, kind, index, &n);
    assert_true(s == OK || s == E_NOENT);
    return s == OK ? n : NULL;
}

static uint32_t used(void)
{
    struct mapdb_usage u;
    assert_int_equal(mapdb_get_usage(&db, &u), OK);
    return u.used;
}

static void setup_db(uint32_t capacity)
{
    memset(storage, 0x5a, sizeof(storage)); /* dirty: nothing may rely on zeroed storage */
    assert_int_equal(mapdb_setup(&db, storage, links, capacity), OK);
    events_clear();
}

static int setup(void **state)
{
    (void)state;
    setup_db(64);
    return 0;
}

/* A snapshot of everything the database is made of, to prove a failed call changed nothing. */
struct snapshot {
    struct mapdb db;
    struct mapdb_node nodes[64];
    uint32_t links[64];
};

static void take(struct snapshot *s)
{
    assert_true(db.pool.capacity <= 64);
    s->db = db;
    memcpy(s->nodes, storage, sizeof(s->nodes));
    memcpy(s->links, links, sizeof(s->links));
}

static void assert_unchanged(const struct snapshot *s, uint32_t new_failures)
{
    assert_memory_equal(s->nodes, storage, sizeof(s->nodes));
    assert_memory_equal(s->links, links, sizeof(s->links));
    assert_memory_equal(s->db.buckets, db.buckets, sizeof(db.buckets));
    assert_int_equal(s->db.pool.free_head, db.pool.free_head);
    assert_int_equal(s->db.pool.used, db.pool.used);
    assert_int_equal(s->db.pool.peak, db.pool.peak);
    assert_int_equal(s->db.pool.failures + new_failures, db.pool.failures);
    assert_int_equal(nevents, 0);
}

/* ---- tests ---- */

/* Proves: every entry point refuses bad arguments (and an unset database) with a status. */
static void test_arguments_validated(void **state)
{
    (void)state;
    struct mapdb blank = {0};
    struct mapdb_node *n;
    struct mapdb_usage u;
    assert_int_equal(mapdb_setup(NULL, storage, links, 4), E_INVAL);
    assert_int_equal(mapdb_setup(&blank, NULL, links, 4), E_INVAL);
    assert_int_equal(mapdb_setup(&blank, storage, NULL, 4), E_INVAL);
    assert_int_equal(mapdb_setup(&blank, storage, links, 0), E_RANGE);
    assert_int_equal(mapdb_setup(&blank, storage, links, POOL_IN_USE), E_RANGE);
    assert_int_equal(mapdb_reset(&blank), E_INVAL);
    assert_int_equal(mapdb_find(&blank, S(0), MEM, 0, &n), E_INVAL);
    assert_int_equal(mapdb_add_root(&blank, S(0), MEM, 0, 0, R, &n), E_INVAL);
    assert_int_equal(mapdb_get_usage(&blank, &u), E_INVAL);
    assert_int_equal(mapdb_get_usage(&db, NULL), E_INVAL);

    assert_int_equal(mapdb_add_root(&db, NULL, MEM, 0, 0, R, &n), E_INVAL);
    assert_int_equal(mapdb_add_root(&db, S(0), MAPDB_KIND_COUNT, 0, 0, R, &n), E_INVAL);
    assert_int_equal(mapdb_add_root(&db, S(0), MEM, 0, 0, 0, &n), E_INVAL);
    assert_int_equal(mapdb_add_root(&db, S(0), MEM, 0, 0, 0x100, &n), E_INVAL);
    assert_int_equal(mapdb_find(&db, S(0), MEM, 0, NULL), E_INVAL);
    assert_int_equal(mapdb_find(&db, S(0), 99, 0, &n), E_INVAL);
    assert_int_equal(mapdb_find(&db, NULL, MEM, 0, &n), E_INVAL);

    assert_int_equal(mapdb_add_root(&db, S(0), MEM, 1, 0x1000, RW, NULL), OK);
    assert_int_equal(mapdb_map(&db, S(0), MEM, 1, NULL, 2, R, &n), E_INVAL);
    assert_int_equal(mapdb_map(&db, NULL, MEM, 1, S(1), 2, R, &n), E_INVAL);
    assert_int_equal(mapdb_map(&db, S(0), MAPDB_KIND_COUNT, 1, S(1), 2, R, &n), E_INVAL);
    assert_int_equal(mapdb_map(&db, S(0), MEM, 1, S(1), 2, 0, &n), E_INVAL);
    assert_int_equal(mapdb_map(&db, S(0), MEM, 1, S(1), 2, 0x1ff, &n), E_INVAL);
    assert_int_equal(mapdb_grant(&db, S(0), MEM, 1, S(1), 2, 0, NULL, NULL, &n), E_INVAL);
    assert_int_equal(mapdb_unmap(&db, S(0), MEM, 1, R, 2, NULL, NULL), E_INVAL);
    assert_int_equal(mapdb_unmap(&db, S(0), MEM, 1, 0, 0, NULL, NULL), E_INVAL);
    assert_int_equal(mapdb_unmap(&db, S(0), 7, 1, R, 0, NULL, NULL), E_INVAL);
    assert_int_equal(mapdb_remove_space(&db, NULL, NULL, NULL), E_INVAL);
    assert_int_equal(mapdb_remove_space(&blank, S(0), NULL, NULL), E_INVAL);
    assert_int_equal(used(), 1);
}

/* Proves: every kind has a name for diagnostics, and an unknown kind gets "?". */
static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(mapdb_kind_name(MEM), "mem");
    assert_string_equal(mapdb_kind_name(CAP), "?"); /* until the backend names it */
    mapdb_kind_register(CAP, "cap");
    mapdb_kind_register(IPC, "ipc");
    assert_string_equal(mapdb_kind_name(CAP), "cap");
    assert_string_equal(mapdb_kind_name(IPC), "ipc");
    assert_string_equal(mapdb_kind_name(MAPDB_KIND_COUNT), "?");
}

/* Proves: a root is found at its slot and only there; a taken slot is E_EXISTS. */
static void test_root_insert_and_lookup(void **state)
{
    (void)state;
    struct mapdb_node *a, *n;
    assert_int_equal(mapdb_add_root(&db, S(0), MEM, 5, 0x5000, RWX, &a), OK);
    assert_int_equal(mapdb_find(&db, S(0), MEM, 5, &n), OK);
    assert_ptr_equal(n, a);
    assert_ptr_equal(a->space, S(0));
    assert_int_equal(a->index, 5);
    assert_int_equal(a->object, 0x5000);
    assert_int_equal(a->rights, RWX);
    assert_null(a->parent);
    assert_int_equal(mapdb_find(&db, S(1), MEM, 5, &n), E_NOENT);
    assert_null(n);
    assert_int_equal(mapdb_find(&db, S(0), MEM, 6, &n), E_NOENT);
    assert_int_equal(mapdb_add_root(&db, S(0), MEM, 5, 0x6000, R, &n), E_EXISTS);
    assert_int_equal(a->object, 0x5000);
    assert_int_equal(used(), 1);
}

/* Proves: the same space and index under different kinds are three independent mappings. */
static void test_kinds_never_collide(void **state)
{
    (void)state;
    struct mapdb_node *m, *c, *i;
    assert_int_equal(mapdb_add_root(&db, S(0), MEM, 7, 0x7000, RW, &m), OK);
    assert_int_equal(mapdb_add_root(&db, S(0), CAP, 7, 0xc0, MAPDB_FULL, &c), OK);
    assert_int_equal(mapdb_add_root(&db, S(0), IPC, 7, 0x11, MAPDB_S, &i), OK);
    assert_ptr_equal(at(S(0), MEM, 7), m);
    assert_ptr_equal(at(S(0), CAP, 7), c);
    assert_ptr_equal(at(S(0), IPC, 7), i);
    /* a map of one kind lands beside, not onto, another kind's mapping at the same slot */
    assert_int_equal(mapdb_map(&db, S(0), IPC, 7, S(1), 7, MAPDB_S, NULL), OK);
    assert_int_equal(mapdb_map(&db, S(0), MEM, 7, S(1), 7, R, NULL), OK);
    assert_int_equal(at(S(1), IPC, 7)->object, 0x11);
    assert_int_equal(at(S(1), MEM, 7)->object, 0x7000);
    assert_null(at(S(1), CAP, 7));
    /* revoking one kind leaves the others */
    assert_int_equal(mapdb_unmap(&db, S(0), MEM, 7, MAPDB_FULL, 0, record, NULL), OK);
    assert_int_equal(nevents, 2);
    assert_null(at(S(0), MEM, 7));
    assert_null(at(S(1), MEM, 7));
    assert_ptr_equal(at(S(0), CAP, 7), c);
    assert_ptr_equal(at(S(0), IPC, 7), i);
    assert_non_null(at(S(1), IPC, 7));
    assert_int_equal(mapdb_remove_space(&db, S(0), record, NULL), OK);
    assert_int_equal(used(), 0);
}

/* Proves: a derived mapping carries the source's object, exactly the rights asked, its parent. */
static void test_map_reduces_rights(void **state)
{
    (void)state;
    struct mapdb_node *r, *c, *g;
    mapdb_add_root(&db, S(0), MEM, 1, 0x9000, RWX, &r);
    assert_int_equal(mapdb_map(&db, S(0), MEM, 1, S(1), 40, R | X, &c), OK);
    assert_ptr_equal(at(S(1), MEM, 40), c);
    assert_int_equal(c->object, 0x9000);
    assert_int_equal(c->rights, R | X);
    assert_ptr_equal(c->parent, r);
    assert_ptr_equal(r->first_child, c);
    assert_int_equal(r->rights, RWX); /* the source keeps what it had */
    assert_int_equal(mapdb_map(&db, S(1), MEM, 40, S(2), 41, X, &g), OK);
    assert_ptr_equal(g->parent, c);
    assert_int_equal(g->rights, X);
    assert_int_equal(mapdb_map(&db, S(0), MEM, 1, S(0), 2, R, &g), OK); /* same space, alias */
    assert_ptr_equal(g->parent, r);
}

/* Proves: nobody raises rights: asking for a bit the source lacks is E_PERM, nothing changes. */
static void test_map_cannot_raise_rights(void **state)
{
    (void)state;
    struct mapdb_node *n = NULL;
    struct snapshot snap;
    mapdb_add_root(&db, S(0), MEM, 1, 0x9000, R | W, NULL);
    mapdb_map(&db, S(0), MEM, 1, S(1), 1, R, NULL);
    take(&snap);
    assert_int_equal(mapdb_map(&db, S(1), MEM, 1, S(2), 1, R | W, &n), E_PERM);
    assert_int_equal(mapdb_map(&db, S(0), MEM, 1, S(2), 1, R | X, &n), E_PERM);
    assert_int_equal(mapdb_grant(&db, S(1), MEM, 1, S(2), 1, W, record, NULL, &n), E_PERM);
    assert_null(n);
    assert_unchanged(&snap, 0);
}

/* Proves: mapping or granting from an empty slot is E_NOENT and changes nothing. */
static void test_map_from_empty_slot(void **state)
{
    (void)state;
    struct snapshot snap;
    mapdb_add_root(&db, S(0), MEM, 1, 0x9000, RW, NULL);
    take(&snap);
    assert_int_equal(mapdb_map(&db, S(0), MEM, 2, S(1), 1, R, NULL), E_NOENT);
    assert_int_equal(mapdb_map(&db, S(1), MEM, 1, S(2), 1, R, NULL), E_NOENT);
    assert_int_equal(mapdb_map(&db, S(0), CAP, 1, S(2), 1, R, NULL), E_NOENT);
    assert_int_equal(mapdb_grant(&db, S(3), MEM, 1, S(2), 1, R, NULL, NULL, NULL), E_NOENT);
    assert_int_equal(mapdb_unmap(&db, S(3), MEM, 1, R, 0, record, NULL), E_NOENT);
    assert_unchanged(&snap, 0);
}

/* Proves: a taken destination (the source itself too) is refused with E_EXISTS, not replaced. */
static void test_map_destination_occupied(void **state)
{
    (void)state;
    struct snapshot snap;
    struct mapdb_node *other;
    mapdb_add_root(&db, S(0), MEM, 1, 0x1000, RW, NULL);
    mapdb_add_root(&db, S(1), MEM, 9, 0x2000, RW, &other);
    take(&snap);
    assert_int_equal(mapdb_map(&db, S(0), MEM, 1, S(1), 9, R, NULL), E_EXISTS);
    assert_int_equal(mapdb_map(&db, S(0), MEM, 1, S(0), 1, R, NULL), E_EXISTS);
    assert_int_equal(mapdb_grant(&db, S(0), MEM, 1, S(1), 9, R, record, NULL, NULL), E_EXISTS);
    assert_int_equal(mapdb_grant(&db, S(0), MEM, 1, S(0), 1, R, record, NULL, NULL), E_EXISTS);
    assert_unchanged(&snap, 0);
    assert_int_equal(other->object, 0x2000);
}

/*
 * The tree the revocation tests use (space.index, rights):
 *   0.1 RWX -> 1.10 RWX -> 3.30 RW -> 5.50 R
 *                       -> 4.40 R
 *                       -> 6.60 RW -> 7.70 RW -> 2.71 W
 *           -> 2.20 RW
 */
static void build_tree(void)
{
    assert_int_equal(mapdb_add_root(&db, S(0), MEM, 1, 0x1000, RWX, NULL), OK);
    assert_int_equal(mapdb_map(&db, S(0), MEM, 1, S(1), 10, RWX, NULL), OK);
    assert_int_equal(mapdb_map(&db, S(0), MEM, 1, S(2), 20, RW, NULL), OK);
    assert_int_equal(mapdb_map(&db, S(1), MEM, 10, S(3), 30, RW, NULL), OK);
    assert_int_equal(mapdb_map(&db, S(1), MEM, 10, S(4), 40, R, NULL), OK);
    assert_int_equal(mapdb_map(&db, S(1), MEM, 10, S(6), 60, RW, NULL), OK);
    assert_int_equal(mapdb_map(&db, S(3), MEM, 30, S(5), 50, R, NULL), OK);
    assert_int_equal(mapdb_map(&db, S(6), MEM, 60, S(7), 70, RW, NULL), OK);
    assert_int_equal(mapdb_map(&db, S(7), MEM, 70, S(2), 71, W, NULL), OK);
    assert_int_equal(used(), 9);
}

/* Proves: unmap removes a 3+-level subtree with siblings, each once, deepest first, not above. */
static void test_unmap_recursive_tree(void **state)
{
    (void)state;
    build_tree();
    assert_int_equal(mapdb_unmap(&db, S(1), MEM, 10, MAPDB_FULL, 0, record, NULL), OK);
    assert_false(events_overflowed);
    assert_int_equal(nevents, 7);
    assert_event(S(1), MEM, 10, RWX, 0);
    assert_event(S(3), MEM, 30, RW, 0);
    assert_event(S(4), MEM, 40, R, 0);
    assert_event(S(5), MEM, 50, R, 0);
    assert_event(S(6), MEM, 60, RW, 0);
    assert_event(S(7), MEM, 70, RW, 0);
    assert_event(S(2), MEM, 71, W, 0);
    for (size_t i = 0; i < nevents; i++) {
        assert_false(events[i].original);
        assert_int_equal(events[i].object, 0x1000);
    }
    /* post-order: 5.50 before 3.30, 2.71 before 7.70 before 6.60, and 1.10 last */
    assert_true(event_pos(S(5), 50) < event_pos(S(3), 30));
    assert_true(event_pos(S(2), 71) < event_pos(S(7), 70));
    assert_true(event_pos(S(7), 70) < event_pos(S(6), 60));
    assert_int_equal(event_pos(S(1), 10), nevents - 1);
    for (int s = 1; s < 8; s++)
        for (word_t i = 10; i <= 71; i++)
            if (!(s == 2 && i == 20)) assert_null(at(S(s), MEM, i));
    assert_non_null(at(S(0), MEM, 1));
    assert_non_null(at(S(2), MEM, 20));
    assert_ptr_equal(at(S(0), MEM, 1)->first_child, at(S(2), MEM, 20));
    assert_null(at(S(2), MEM, 20)->next_sibling);
    assert_int_equal(used(), 2);
    /* the root goes last and is reported as the original */
    events_clear();
    assert_int_equal(mapdb_unmap(&db, S(0), MEM, 1, MAPDB_FULL, 0, record, NULL), OK);
    assert_int_equal(nevents, 2);
    assert_true(events[1].original);
    assert_ptr_equal(events[1].space, S(0));
    assert_int_equal(used(), 0);
}

/* Proves: unmapping W takes write downstream, keeps read, removes mappings that had only W. */
static void test_unmap_partial_rights(void **state)
{
    (void)state;
    build_tree();
    assert_int_equal(mapdb_unmap(&db, S(1), MEM, 10, W, 0, record, NULL), OK);
    assert_int_equal(nevents, 5);
    assert_event(S(1), MEM, 10, RWX, R | X);
    assert_event(S(3), MEM, 30, RW, R);
    assert_event(S(6), MEM, 60, RW, R);
    assert_event(S(7), MEM, 70, RW, R);
    assert_event(S(2), MEM, 71, W, 0);
    assert_int_equal(events_for(S(4), MEM, 40, NULL), 0); /* had no write: not reported */
    assert_int_equal(events_for(S(5), MEM, 50, NULL), 0);
    assert_int_equal(at(S(1), MEM, 10)->rights, R | X);
    assert_int_equal(at(S(3), MEM, 30)->rights, R);
    assert_int_equal(at(S(5), MEM, 50)->rights, R);
    assert_int_equal(at(S(7), MEM, 70)->rights, R);
    assert_null(at(S(2), MEM, 71));
    assert_null(at(S(7), MEM, 70)->first_child);
    assert_int_equal(at(S(0), MEM, 1)->rights, RWX); /* ancestors untouched */
    assert_int_equal(at(S(2), MEM, 20)->rights, RW); /* and siblings */
    assert_int_equal(used(), 8);
}

/* Proves: flush revokes only what was derived; unmap without the flag takes the own one too. */
static void test_flush_children_only(void **state)
{
    (void)state;
    build_tree();
    assert_int_equal(mapdb_unmap(&db, S(1), MEM, 10, W, MAPDB_UNMAP_CHILDREN_ONLY, record, NULL),
                     OK);
    assert_int_equal(events_for(S(1), MEM, 10, NULL), 0);
    assert_int_equal(at(S(1), MEM, 10)->rights, RWX);
    assert_int_equal(at(S(3), MEM, 30)->rights, R);
    assert_int_equal(nevents, 4);
    events_clear();
    assert_int_equal(
        mapdb_unmap(&db, S(1), MEM, 10, MAPDB_FULL, MAPDB_UNMAP_CHILDREN_ONLY, record, NULL), OK);
    assert_int_equal(nevents, 5);
    assert_non_null(at(S(1), MEM, 10));
    assert_null(at(S(1), MEM, 10)->first_child);
    events_clear();
    assert_int_equal(mapdb_unmap(&db, S(1), MEM, 10, R | X, 0, record, NULL), OK);
    assert_int_equal(nevents, 1);
    assert_event(S(1), MEM, 10, RWX, W);
    assert_int_equal(at(S(1), MEM, 10)->rights, W);
    events_clear();
    assert_int_equal(mapdb_unmap(&db, S(1), MEM, 10, W, 0, record, NULL), OK);
    assert_event(S(1), MEM, 10, W, 0);
    assert_null(at(S(1), MEM, 10));
    assert_int_equal(used(), 2);
}

/* Proves: grant moves the node with parent and subtree, empties the source, allocates nothing. */
static void test_grant_moves_subtree(void **state)
{
    (void)state;
    build_tree();
    struct mapdb_node *n = at(S(1), MEM, 10), *moved;
    struct mapdb_usage before, after;
    mapdb_get_usage(&db, &before);
    assert_int_equal(mapdb_grant(&db, S(1), MEM, 10, S(5), 99, RWX, record, NULL, &moved), OK);
    mapdb_get_usage(&db, &after);
    assert_ptr_equal(moved, n);
    assert_null(at(S(1), MEM, 10));
    assert_ptr_equal(at(S(5), MEM, 99), n);
    assert_ptr_equal(n->space, S(5));
    assert_int_equal(n->index, 99);
    assert_ptr_equal(n->parent, at(S(0), MEM, 1));
    assert_ptr_equal(at(S(3), MEM, 30)->parent, n);
    assert_ptr_equal(at(S(6), MEM, 60)->parent, n);
    assert_int_equal(nevents, 0);
    assert_int_equal(after.used, before.used);
    assert_int_equal(after.peak, before.peak);
    /* a granted root stays a root: ownership moved */
    assert_int_equal(mapdb_grant(&db, S(0), MEM, 1, S(6), 1, RWX, record, NULL, &moved), OK);
    assert_null(moved->parent);
    assert_ptr_equal(n->parent, moved);
}

/* Proves: a grant with fewer rights takes the dropped rights from the whole subtree. */
static void test_grant_with_fewer_rights(void **state)
{
    (void)state;
    build_tree();
    struct mapdb_node *n;
    assert_int_equal(mapdb_grant(&db, S(1), MEM, 10, S(4), 11, R | X, record, NULL, &n), OK);
    assert_int_equal(n->rights, R | X);
    assert_int_equal(events_for(S(4), MEM, 11, NULL), 0); /* the node itself is the caller's */
    assert_event(S(3), MEM, 30, RW, R);
    assert_event(S(6), MEM, 60, RW, R);
    assert_event(S(7), MEM, 70, RW, R);
    assert_event(S(2), MEM, 71, W, 0);
    assert_int_equal(nevents, 4);
    assert_int_equal(at(S(4), MEM, 40)->rights, R);
}

/* Proves: after a grant, unmap by the new holder revokes the subtree; the old slot is empty. */
static void test_unmap_after_grant(void **state)
{
    (void)state;
    build_tree();
    assert_int_equal(mapdb_grant(&db, S(1), MEM, 10, S(4), 11, RWX, NULL, NULL, NULL), OK);
    assert_int_equal(mapdb_unmap(&db, S(1), MEM, 10, MAPDB_FULL, 0, record, NULL), E_NOENT);
    assert_int_equal(
        mapdb_unmap(&db, S(4), MEM, 11, MAPDB_FULL, MAPDB_UNMAP_CHILDREN_ONLY, record, NULL), OK);
    assert_int_equal(nevents, 6);
    assert_null(at(S(3), MEM, 30));
    assert_null(at(S(2), MEM, 71));
    assert_non_null(at(S(4), MEM, 11));
    assert_int_equal(used(), 3);
}

/* Proves: a full pool is E_NOMEM, counted, database byte-for-byte unchanged; grant still works. */
static void test_exhaustion_leaves_db_unchanged(void **state)
{
    (void)state;
    struct snapshot snap;
    struct mapdb_node *n = NULL;
    setup_db(6);
    mapdb_add_root(&db, S(0), MEM, 0, 0x1000, RW, NULL);
    for (word_t i = 1; i < 6; i++)
        assert_int_equal(mapdb_map(&db, S(i - 1), MEM, i - 1, S(i), i, RW, NULL), OK);
    take(&snap);
    assert_int_equal(mapdb_map(&db, S(5), MEM, 5, S(6), 6, R, &n), E_NOMEM);
    assert_null(n);
    assert_unchanged(&snap, 1);
    take(&snap);
    assert_int_equal(mapdb_add_root(&db, S(7), CAP, 0, 1, R, &n), E_NOMEM);
    assert_unchanged(&snap, 1);
    struct mapdb_usage u;
    mapdb_get_usage(&db, &u);
    assert_int_equal(u.capacity, 6);
    assert_int_equal(u.used, 6);
    assert_int_equal(u.peak, 6);
    assert_int_equal(u.failures, 2);
    /* a full pool does not stop a grant (it allocates nothing) */
    assert_int_equal(mapdb_grant(&db, S(5), MEM, 5, S(7), 5, R, record, NULL, &n), OK);
    assert_int_equal(mapdb_unmap(&db, S(7), MEM, 5, MAPDB_FULL, 0, record, NULL), OK);
    assert_int_equal(mapdb_map(&db, S(4), MEM, 4, S(6), 6, R, &n), OK);
    assert_ptr_equal(n->parent, at(S(4), MEM, 4));
    mapdb_get_usage(&db, &u);
    assert_int_equal(u.used, 6);
    assert_int_equal(u.failures, 2);
}

/* Proves: remove_space takes a space's mappings and their descendants, never their ancestors. */
static void test_remove_space(void **state)
{
    (void)state;
    build_tree();
    /* space 6 also holds a capability root with a child elsewhere, and an IPC right */
    mapdb_add_root(&db, S(6), CAP, 3, 0xcafe, MAPDB_FULL, NULL);
    mapdb_map(&db, S(6), CAP, 3, S(0), 3, R, NULL);
    mapdb_add_root(&db, S(0), IPC, 9, 0x77, MAPDB_S, NULL);
    mapdb_map(&db, S(0), IPC, 9, S(6), 9, MAPDB_S, NULL);
    assert_int_equal(mapdb_remove_space(&db, S(6), record, NULL), OK);
    assert_int_equal(nevents, 6);
    assert_event(S(6), MEM, 60, RW, 0);
    assert_event(S(7), MEM, 70, RW, 0);
    assert_event(S(2), MEM, 71, W, 0);
    assert_event(S(6), CAP, 3, MAPDB_FULL, 0);
    assert_event(S(0), CAP, 3, R, 0);
    assert_event(S(6), IPC, 9, MAPDB_S, 0);
    struct mapdb_change c;
    events_for(S(6), CAP, 3, &c);
    assert_true(c.original);
    events_for(S(6), MEM, 60, &c);
    assert_false(c.original);
    assert_non_null(at(S(1), MEM, 10)); /* the parent of 6.60 */
    assert_non_null(at(S(0), MEM, 1));
    assert_non_null(at(S(0), IPC, 9)); /* the source of 6's IPC right */
    assert_null(at(S(0), IPC, 9)->first_child);
    assert_non_null(at(S(3), MEM, 30));
    assert_non_null(at(S(5), MEM, 50));
    assert_int_equal(used(), 7);
    events_clear();
    assert_int_equal(mapdb_remove_space(&db, S(6), record, NULL), OK); /* nothing left: no-op */
    assert_int_equal(nevents, 0);
}

/* What the deep-chain run found, checked by the test thread (cmocka asserts stay there). */
struct deep_result {
    enum status build, flush, grant, unmap, rebuild, remove;
    size_t flush_events, unmap_events, remove_events;
    bool first_is_deepest, last_is_original, all_found, empty_after, root_left;
};

static void *deep_chain_run(void *arg)
{
    struct deep_result *r = arg;
    r->build = mapdb_add_root(&db, S(0), MEM, 0, 0xd000, RWX, NULL);
    for (word_t i = 1; i <= DEEP && r->build == OK; i++)
        r->build = mapdb_map(&db, S((i - 1) % 2), MEM, i - 1, S(i % 2), i, RWX, NULL);
    r->all_found = true;
    for (word_t i = 0; i <= DEEP; i++) {
        struct mapdb_node *n;
        if (mapdb_find(&db, S(i % 2), MEM, i, &n) != OK || n->index != i) r->all_found = false;
    }
    events_clear();
    r->flush = mapdb_unmap(&db, S(0), MEM, 0, W, MAPDB_UNMAP_CHILDREN_ONLY, record, NULL);
    r->flush_events = nevents;
    r->grant = mapdb_grant(&db, S(0), MEM, 0, S(2), 0, RWX, record, NULL, NULL);
    events_clear();
    r->unmap = mapdb_unmap(&db, S(2), MEM, 0, MAPDB_FULL, 0, record, NULL);
    r->unmap_events = nevents;
    r->first_is_deepest = nevents > 0 && events[0].index == DEEP;
    r->last_is_original = nevents > 0 && events[nevents - 1].original;
    struct mapdb_usage u;
    mapdb_get_usage(&db, &u);
    r->empty_after = u.used == 0;
    r->rebuild = mapdb_add_root(&db, S(0), MEM, 0, 0xd000, RWX, NULL);
    for (word_t i = 1; i <= DEEP && r->rebuild == OK; i++)
        r->rebuild = mapdb_map(&db, S((i - 1) % 2), MEM, i - 1, S(i % 2), i, R, NULL);
    events_clear();
    r->remove = mapdb_remove_space(&db, S(1), record, NULL);
    r->remove_events = nevents;
    mapdb_get_usage(&db, &u);
    r->root_left = u.used == 1 && mapdb_find(&db, S(0), MEM, 0, &(struct mapdb_node *){0}) == OK;
    return NULL;
}

/* Proves: a 10,000-deep chain is mapped, flushed, granted, unmapped on a 128 KiB stack. */
static void test_deep_chain_small_stack(void **state)
{
    (void)state;
    setup_db(DEEP + 1);
    struct deep_result r = {0};
    pthread_attr_t attr;
    pthread_t t;
    assert_int_equal(pthread_attr_init(&attr), 0);
    assert_int_equal(pthread_attr_setstacksize(&attr, SMALL_STACK), 0);
    assert_int_equal(pthread_create(&t, &attr, deep_chain_run, &r), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    pthread_attr_destroy(&attr);
    assert_false(events_overflowed);
    assert_int_equal(r.build, OK);
    assert_true(r.all_found);
    assert_int_equal(r.flush, OK);
    assert_int_equal(r.flush_events, DEEP);
    assert_int_equal(r.grant, OK);
    assert_int_equal(r.unmap, OK);
    assert_int_equal(r.unmap_events, DEEP + 1);
    assert_true(r.first_is_deepest);
    assert_true(r.last_is_original);
    assert_true(r.empty_after);
    assert_int_equal(r.rebuild, OK);
    assert_int_equal(r.remove, OK);
    assert_int_equal(r.remove_events, DEEP);
    assert_true(r.root_left);
}

/* ---- the randomized model test ---- */

enum { MSPACES = 4, MKINDS = 2, MSLOTS = 12, MKEYS = MSPACES * MKINDS * MSLOTS, MCAP = 24 };

struct mnode {
    bool live;
    uint8_t rights;
    word_t object;
    int parent; /* key of the parent, -1 for a root */
};

static struct mnode model[MKEYS];

static int key_of(int space, int kind, int slot)
{
    return (space * MKINDS + kind) * MSLOTS + slot;
}
static int key_space(int k)
{
    return k / (MKINDS * MSLOTS);
}
static int key_kind(int k)
{
    return k / MSLOTS % MKINDS;
}
static int key_slot(int k)
{
    return k % MSLOTS;
}

static int model_count(void)
{
    int n = 0;
    for (int k = 0; k < MKEYS; k++)
        n += model[k].live;
    return n;
}

/* Marks every live node below a marked one, until nothing changes (the model may be slow). */
static void model_close_down(bool mark[MKEYS])
{
    for (bool changed = true; changed;) {
        changed = false;
        for (int k = 0; k < MKEYS; k++)
            if (model[k].live && !mark[k] && model[k].parent >= 0 && mark[model[k].parent])
                mark[k] = changed = true;
    }
}

/* The model's unmap of `mask` below top (and top itself if self): the same rule, computed
 * over the whole set at once rather than by walking. */
static void model_unmap(int top, unsigned mask, bool self)
{
    bool below[MKEYS] = {0}, gone[MKEYS] = {0};
    below[top] = true;
    model_close_down(below);
    below[top] = self;
    for (int k = 0; k < MKEYS; k++)
        if (below[k] && (model[k].rights & ~mask) == 0) gone[k] = true;
    model_close_down(gone);
    for (int k = 0; k < MKEYS; k++) {
        if (gone[k])
            model[k].live = false;
        else if (below[k])
            model[k].rights &= (uint8_t)~mask;
    }
}

static enum status model_check(int from, int to, unsigned rights)
{
    if (!model[from].live) return E_NOENT;
    if (rights & ~(unsigned)model[from].rights) return E_PERM;
    if (model[to].live) return E_EXISTS;
    return OK;
}

/* A live key of the kind, most of the time, so most operations have something to work on. */
static int pick_source(int kind)
{
    int live[MKEYS], n = 0;
    for (int k = 0; k < MKEYS; k++)
        if (model[k].live && key_kind(k) == kind) live[n++] = k;
    if (n == 0 || rand() % 5 == 0) return key_of(rand() % MSPACES, kind, rand() % MSLOTS);
    return live[rand() % n];
}

static void *space_ptr(int k)
{
    return S(key_space(k));
}

/* The database agrees with the model everywhere, and its own links are consistent. */
static void check_against_model(void)
{
    for (int k = 0; k < MKEYS; k++) {
        struct mapdb_node *n = at(space_ptr(k), (unsigned)key_kind(k), (word_t)key_slot(k));
        assert_int_equal(n != NULL, model[k].live);
        if (!n) continue;
        assert_int_equal(n->rights, model[k].rights);
        assert_int_equal(n->object, model[k].object);
        assert_int_not_equal(n->rights, 0);
        int p = model[k].parent;
        if (p < 0) {
            assert_null(n->parent);
        } else {
            assert_true(model[p].live);
            struct mapdb_node *pn = at(space_ptr(p), (unsigned)key_kind(p), (word_t)key_slot(p));
            assert_ptr_equal(n->parent, pn);
            assert_int_equal(n->rights & ~pn->rights, 0);
            assert_int_equal(n->kind, pn->kind);
        }
        int children = 0;
        for (struct mapdb_node *c = n->first_child; c; c = c->next_sibling) {
            assert_ptr_equal(c->parent, n);
            if (c->next_sibling) assert_ptr_equal(c->next_sibling->prev_sibling, c);
            children++;
        }
        int expected = 0;
        for (int j = 0; j < MKEYS; j++)
            expected += model[j].live && model[j].parent == k;
        assert_int_equal(children, expected);
    }
    assert_int_equal(used(), (uint32_t)model_count());
}

/* Every node whose rights changed between the two models was reported once, and no other
 * (the granted node itself, at `skip_a` / `skip_b`, is the caller's to handle). */
static void check_events(const struct mnode *before, int skip_a, int skip_b)
{
    size_t expected = 0;
    for (int k = 0; k < MKEYS; k++) {
        void *sp = space_ptr(k);
        unsigned kind = (unsigned)key_kind(k);
        word_t slot = (word_t)key_slot(k);
        if (k == skip_a || k == skip_b) {
            assert_int_equal(events_for(sp, kind, slot, NULL), 0);
            continue;
        }
        unsigned now = model[k].live ? model[k].rights : 0;
        if (!before[k].live || now == before[k].rights) {
            assert_int_equal(events_for(sp, kind, slot, NULL), 0);
            continue;
        }
        struct mapdb_change c;
        assert_int_equal(events_for(sp, kind, slot, &c), 1);
        assert_int_equal(c.old_rights, before[k].rights);
        assert_int_equal(c.new_rights, now);
        assert_int_equal(c.object, before[k].object);
        assert_int_equal(c.original, before[k].parent < 0);
        expected++;
    }
    assert_int_equal(nevents, expected);
}

/* Proves: 5,000 random operations match a reference model; invariants and callbacks hold. */
static void test_random_model(void **state)
{
    (void)state;
    setup_db(MCAP);
    memset(model, 0, sizeof(model));
    unsigned seen[STATUS_COUNT] = {0}, cascades = 0;
    srand(20240611);
    for (int step = 0; step < 5000; step++) {
        struct mnode before[MKEYS];
        memcpy(before, model, sizeof(model));
        events_clear();
        int op = rand() % 100, kind = rand() % MKINDS;
        int from = op < 15 ? key_of(rand() % MSPACES, kind, rand() % MSLOTS) : pick_source(kind);
        int to = key_of(rand() % MSPACES, kind, rand() % MSLOTS);
        unsigned rights = 1u + (unsigned)(rand() % 15);
        if (op >= 15 && op < 70 && model[from].live && rand() % 5)
            rights &= model[from].rights; /* mostly legal requests, some raising ones */
        if (rights == 0) rights = R;
        enum status want, got;
        int skip_a = -1, skip_b = -1;
        if (op < 15) { /* an original */
            want = model[from].live ? E_EXISTS : model_count() == MCAP ? E_NOMEM : OK;
            word_t obj = (word_t)rand();
            got = mapdb_add_root(&db, space_ptr(from), (unsigned)kind, (word_t)key_slot(from), obj,
                                 rights, NULL);
            if (want == OK) model[from] = (struct mnode){true, (uint8_t)rights, obj, -1};
        } else if (op < 55) { /* map */
            want = model_check(from, to, rights);
            if (want == OK && model_count() == MCAP) want = E_NOMEM;
            got = mapdb_map(&db, space_ptr(from), (unsigned)kind, (word_t)key_slot(from),
                            space_ptr(to), (word_t)key_slot(to), rights, NULL);
            if (want == OK)
                model[to] = (struct mnode){true, (uint8_t)rights, model[from].object, from};
        } else if (op < 70) { /* grant */
            want = model_check(from, to, rights);
            got = mapdb_grant(&db, space_ptr(from), (unsigned)kind, (word_t)key_slot(from),
                              space_ptr(to), (word_t)key_slot(to), rights, record, NULL, NULL);
            if (want == OK) {
                unsigned dropped = model[from].rights & ~rights;
                model[to] = model[from];
                model[from].live = false;
                for (int k = 0; k < MKEYS; k++)
                    if (model[k].live && model[k].parent == from) model[k].parent = to;
                if (dropped) model_unmap(to, dropped, false);
                model[to].rights = (uint8_t)rights;
                skip_a = from;
                skip_b = to;
            }
        } else if (op < 97) { /* unmap or flush */
            bool self = rand() % 3 != 0;
            want = model[from].live ? OK : E_NOENT;
            got = mapdb_unmap(&db, space_ptr(from), (unsigned)kind, (word_t)key_slot(from), rights,
                              self ? 0 : MAPDB_UNMAP_CHILDREN_ONLY, record, NULL);
            if (want == OK) model_unmap(from, rights, self);
        } else { /* a space dies */
            int sp = key_space(from);
            bool gone[MKEYS] = {0};
            for (int k = 0; k < MKEYS; k++)
                gone[k] = model[k].live && key_space(k) == sp;
            model_close_down(gone);
            for (int k = 0; k < MKEYS; k++)
                if (gone[k]) model[k].live = false;
            want = OK;
            got = mapdb_remove_space(&db, S(sp), record, NULL);
        }
        assert_int_equal(got, want);
        seen[got]++;
        cascades += nevents > 1;
        check_events(before, skip_a, skip_b);
        check_against_model();
    }
    /* the run went through every outcome, so the comparison above covered each path */
    assert_true(seen[OK] > 1000);
    assert_true(seen[E_NOENT] > 0);
    assert_true(seen[E_PERM] > 0);
    assert_true(seen[E_EXISTS] > 0);
    assert_true(seen[E_NOMEM] > 0);
    assert_true(cascades > 100); /* revocations that reached more than one mapping */
}

/* ---- the node interface on the kernel's database ---- */

static int node_removed;
static bool node_saw_child;
static bool node_saw_root_last;

static void node_gone(void *ctx, struct mapdb_node *n)
{
    (void)ctx;
    node_removed++;
    if (n->first_child) node_saw_child = true; /* children must go first */
    node_saw_root_last = n->parent == NULL;    /* still linked: a root is recognisable */
}

/* Proves: the node interface (vm.c, capgate) keeps its contracts on the kernel's database. */
static void test_node_interface_same_database(void **state)
{
    (void)state;
    node_removed = 0;
    node_saw_child = node_saw_root_last = false;
    mapdb_init(NULL);
    struct mapdb *k = mapdb_kernel();
    struct mapdb_node *r, *a, *b, *c, *n;
    assert_int_equal(mapdb_insert_root(S(0), MAPDB_MEM, 1, 0x1000, 7, &r), OK);
    assert_int_equal(mapdb_insert_root(S(0), MAPDB_MEM, 1, 0x1000, 7, &n), E_EXISTS);
    assert_int_equal(mapdb_insert_root(S(0), MAPDB_KIND_COUNT, 1, 0, 7, &n), E_INVAL);
    assert_int_equal(mapdb_derive(r, S(1), 2, 3, &a), OK);
    assert_int_equal(mapdb_derive(a, S(2), 3, 7, &n), E_PERM);
    assert_int_equal(mapdb_derive(a, S(2), 3, 1, &b), OK);
    assert_ptr_equal(mapdb_lookup(S(1), MAPDB_MEM, 2), a);
    assert_int_equal(mapdb_find(k, S(2), MEM, 3, &n), OK); /* one database, two interfaces */
    assert_ptr_equal(n, b);
    assert_int_equal(mapdb_map(k, S(2), MEM, 3, S(3), 4, R, &c), OK);
    assert_ptr_equal(mapdb_lookup(S(3), MAPDB_MEM, 4), c);
    assert_int_equal(mapdb_move(a, S(2), 3), E_EXISTS);
    assert_int_equal(mapdb_move(a, S(4), 5), OK);
    assert_null(mapdb_lookup(S(1), MAPDB_MEM, 2));
    assert_ptr_equal(mapdb_lookup(S(4), MAPDB_MEM, 5), a);
    mapdb_revoke(a, false, node_gone, NULL);
    assert_int_equal(node_removed, 2);
    assert_false(node_saw_child);
    assert_ptr_equal(mapdb_lookup(S(4), MAPDB_MEM, 5), a);
    assert_null(a->first_child);
    mapdb_revoke(r, true, node_gone, NULL);
    assert_int_equal(node_removed, 4);
    assert_true(node_saw_root_last);
    uint32_t u, p, f;
    mapdb_stats(&u, &p, &f);
    assert_int_equal(u, 0);
    assert_int_equal(p, 4);
    assert_int_equal(f, 0);
    mapdb_init(NULL); /* starts empty again */
    mapdb_stats(&u, &p, &f);
    assert_int_equal(p, 0);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_arguments_validated, setup),
        cmocka_unit_test_setup(test_kind_names, setup),
        cmocka_unit_test_setup(test_root_insert_and_lookup, setup),
        cmocka_unit_test_setup(test_kinds_never_collide, setup),
        cmocka_unit_test_setup(test_map_reduces_rights, setup),
        cmocka_unit_test_setup(test_map_cannot_raise_rights, setup),
        cmocka_unit_test_setup(test_map_from_empty_slot, setup),
        cmocka_unit_test_setup(test_map_destination_occupied, setup),
        cmocka_unit_test_setup(test_unmap_recursive_tree, setup),
        cmocka_unit_test_setup(test_unmap_partial_rights, setup),
        cmocka_unit_test_setup(test_flush_children_only, setup),
        cmocka_unit_test_setup(test_grant_moves_subtree, setup),
        cmocka_unit_test_setup(test_grant_with_fewer_rights, setup),
        cmocka_unit_test_setup(test_unmap_after_grant, setup),
        cmocka_unit_test_setup(test_exhaustion_leaves_db_unchanged, setup),
        cmocka_unit_test_setup(test_remove_space, setup),
        cmocka_unit_test_setup(test_deep_chain_small_stack, setup),
        cmocka_unit_test_setup(test_random_model, setup),
        cmocka_unit_test_setup(test_node_interface_same_database, setup),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]); /* run one test (or a glob) by name */
    return cmocka_run_group_tests_name("mapdb", tests, NULL, NULL);
}
