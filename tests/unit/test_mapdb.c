/* SPDX-License-Identifier: MIT */
/* The mapping database: derivation, rights, grant, recursive revocation, bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include "mapdb.h"

static int spaces[8]; /* distinct addresses stand for distinct spaces */
#define S(i) ((void *)&spaces[i])

static int removed;
static word_t removed_index_sum;
static bool saw_parentless_child;

static void count_removed(void *ctx, struct mapdb_node *n)
{
    (void)ctx;
    removed++;
    removed_index_sum += n->index;
    if (n->first_child) saw_parentless_child = true; /* children must go first */
}

static int setup(void **state)
{
    (void)state;
    mapdb_init();
    removed = 0;
    removed_index_sum = 0;
    saw_parentless_child = false;
    return 0;
}

/* Proves: a root is found by (space, kind, index) and only there; kinds never collide. */
static void test_lookup(void **state)
{
    (void)state;
    struct mapdb_node *a, *b;
    assert_int_equal(mapdb_insert_root(S(0), MAPDB_MEM, 5, 0x5000, 7, &a), OK);
    assert_int_equal(mapdb_insert_root(S(0), MAPDB_CAP, 5, 0x1234, 3, &b), OK);
    assert_ptr_equal(mapdb_lookup(S(0), MAPDB_MEM, 5), a);
    assert_ptr_equal(mapdb_lookup(S(0), MAPDB_CAP, 5), b);
    assert_null(mapdb_lookup(S(1), MAPDB_MEM, 5));
    assert_null(mapdb_lookup(S(0), MAPDB_MEM, 6));
    assert_int_equal(mapdb_insert_root(S(0), MAPDB_MEM, 5, 0x6000, 7, &a), E_EXISTS);
    assert_int_equal(mapdb_insert_root(S(0), MAPDB_KINDS, 1, 0, 7, &a), E_INVAL);
}

/* Proves: a child carries the parent's object with a subset of its rights; raising is E_PERM. */
static void test_derive_rights(void **state)
{
    (void)state;
    struct mapdb_node *r, *c, *x;
    mapdb_insert_root(S(0), MAPDB_MEM, 1, 0x9000, 1 | 2, &r);
    assert_int_equal(mapdb_derive(r, S(1), 7, 1, &c), OK);
    assert_int_equal(c->object, 0x9000);
    assert_ptr_equal(c->parent, r);
    assert_int_equal(mapdb_derive(c, S(2), 7, 1 | 2, &x), E_PERM);
    assert_int_equal(mapdb_derive(r, S(1), 7, 1, &x), E_EXISTS);
    assert_null(mapdb_lookup(S(2), MAPDB_MEM, 7));
}

/* Proves: revoking removes the whole subtree (children first) across spaces, not the ancestors,
 * and keeps the node itself unless asked. */
static void test_revoke_subtree(void **state)
{
    (void)state;
    struct mapdb_node *r, *a, *b, *a1, *a2, *a11;
    mapdb_insert_root(S(0), MAPDB_MEM, 1, 0x1000, 7, &r);
    mapdb_derive(r, S(1), 10, 7, &a);
    mapdb_derive(r, S(2), 20, 7, &b);
    mapdb_derive(a, S(3), 30, 3, &a1);
    mapdb_derive(a, S(4), 40, 1, &a2);
    mapdb_derive(a1, S(5), 50, 1, &a11);
    mapdb_revoke(a, false, count_removed, NULL);
    assert_int_equal(removed, 3);
    assert_int_equal(removed_index_sum, 30 + 40 + 50);
    assert_false(saw_parentless_child);
    assert_non_null(mapdb_lookup(S(1), MAPDB_MEM, 10));
    assert_null(mapdb_lookup(S(5), MAPDB_MEM, 50));
    assert_non_null(mapdb_lookup(S(2), MAPDB_MEM, 20));
    mapdb_revoke(r, true, count_removed, NULL);
    assert_int_equal(removed, 3 + 3);
    assert_null(mapdb_lookup(S(0), MAPDB_MEM, 1));
    uint32_t used, peak, fail;
    mapdb_stats(&used, &peak, &fail);
    assert_int_equal(used, 0);
    assert_int_equal(peak, 6);
}

/* Proves: grant moves a node with its subtree; revoking at the new place reaches the subtree. */
static void test_grant_moves(void **state)
{
    (void)state;
    struct mapdb_node *r, *c;
    mapdb_insert_root(S(0), MAPDB_MEM, 1, 0x1000, 7, &r);
    mapdb_derive(r, S(1), 2, 7, &c);
    assert_int_equal(mapdb_move(r, S(6), 9), OK);
    assert_null(mapdb_lookup(S(0), MAPDB_MEM, 1));
    assert_ptr_equal(mapdb_lookup(S(6), MAPDB_MEM, 9), r);
    assert_ptr_equal(c->parent, r);
    assert_int_equal(mapdb_move(c, S(6), 9), E_EXISTS);
    mapdb_revoke(mapdb_lookup(S(6), MAPDB_MEM, 9), false, count_removed, NULL);
    assert_null(mapdb_lookup(S(1), MAPDB_MEM, 2));
}

/* Proves: a 20,000-deep chain is revoked without recursion (no stack overflow). */
static void test_deep_chain(void **state)
{
    (void)state;
    struct mapdb_node *n;
    mapdb_insert_root(S(0), MAPDB_CAP, 0, 1, 3, &n);
    struct mapdb_node *top = n;
    int made = 1;
    for (word_t i = 1; i < MAPDB_NODES; i++, made++)
        if (mapdb_derive(n, S(i % 2), i, 3, &n) != OK) break;
    assert_int_equal(made, MAPDB_NODES);
    mapdb_revoke(top, true, count_removed, NULL);
    assert_int_equal(removed, MAPDB_NODES);
}

/* Proves: an exhausted pool is E_NOMEM, counted, and leaves the database unchanged. */
static void test_exhaustion(void **state)
{
    (void)state;
    struct mapdb_node *n;
    for (word_t i = 0; i < MAPDB_NODES; i++)
        assert_int_equal(mapdb_insert_root(S(0), MAPDB_MEM, i, i, 1, &n), OK);
    assert_int_equal(mapdb_insert_root(S(0), MAPDB_MEM, MAPDB_NODES, 0, 1, &n), E_NOMEM);
    assert_int_equal(mapdb_derive(mapdb_lookup(S(0), MAPDB_MEM, 0), S(1), 0, 1, &n), E_NOMEM);
    assert_null(mapdb_lookup(S(1), MAPDB_MEM, 0));
    uint32_t used, peak, fail;
    mapdb_stats(&used, &peak, &fail);
    assert_int_equal(used, MAPDB_NODES);
    assert_int_equal(fail, 2);
}

/* Proves: random derive/move/revoke sequences keep every invariant (parents exist, rights are
 * subsets, lookup finds exactly the live nodes) against a simple model. */
static void test_random_model(void **state)
{
    (void)state;
    enum { SLOTS = 64 };
    struct mapdb_node *live[8][SLOTS] = {{0}};
    srand(7);
    for (int step = 0; step < 20000; step++) {
        int sp = rand() % 8, ix = rand() % SLOTS, op = rand() % 4;
        struct mapdb_node *n;
        if (op == 0 && !live[sp][ix]) {
            if (mapdb_insert_root(S(sp), MAPDB_MEM, ix, 0, 7, &n) == OK) live[sp][ix] = n;
        } else if (op == 1 && live[sp][ix]) {
            int tsp = rand() % 8, tix = rand() % SLOTS;
            if (!live[tsp][tix] &&
                mapdb_derive(live[sp][ix], S(tsp), tix,
                             live[sp][ix]->rights & (unsigned)(rand() % 8), &n) == OK)
                live[tsp][tix] = n;
        } else if (op == 2 && live[sp][ix]) {
            mapdb_revoke(live[sp][ix], rand() % 2, NULL, NULL);
            for (int s = 0; s < 8; s++)
                for (int i = 0; i < SLOTS; i++)
                    live[s][i] = mapdb_lookup(S(s), MAPDB_MEM, i);
        }
        if (step % 500 == 0) {
            for (int s = 0; s < 8; s++)
                for (int i = 0; i < SLOTS; i++) {
                    struct mapdb_node *m = mapdb_lookup(S(s), MAPDB_MEM, i);
                    assert_ptr_equal(m, live[s][i]);
                    if (m && m->parent) {
                        assert_int_equal(m->rights & ~m->parent->rights, 0);
                        assert_ptr_equal(
                            mapdb_lookup(m->parent->space, MAPDB_MEM, m->parent->index), m->parent);
                    }
                }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_lookup, setup),
        cmocka_unit_test_setup(test_derive_rights, setup),
        cmocka_unit_test_setup(test_revoke_subtree, setup),
        cmocka_unit_test_setup(test_grant_moves, setup),
        cmocka_unit_test_setup(test_deep_chain, setup),
        cmocka_unit_test_setup(test_exhaustion, setup),
        cmocka_unit_test_setup(test_random_model, setup),
    };
    return cmocka_run_group_tests_name("mapdb", tests, NULL, NULL);
}
