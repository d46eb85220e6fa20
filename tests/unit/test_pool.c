/* SPDX-License-Identifier: MIT */
/* Unit tests for the bounded object pools (kernel/pool.c): allocation, reuse, accounting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pool.h"

struct obj {
    uint64_t a;
    uint32_t b;
    char text[20];
}; /* 32 bytes: a size that is not a power of the slot count */

#define CAP 8
#define DIRT 0x5a

static struct obj storage[CAP];
static uint32_t links[CAP];
static struct pool pool = {"test", (uint8_t *)storage, links, sizeof(struct obj), CAP, 0, 0, 0, 0,
                           0};

static struct obj other_storage[2];
static uint32_t other_links[2];
static struct pool other = {
    "other", (uint8_t *)other_storage, other_links, sizeof(struct obj), 2, 0, 0, 0, 0, 0};

/* Every test starts with dirty storage and freshly initialised pools. */
static int setup(void **state)
{
    (void)state;
    memset(storage, DIRT, sizeof(storage));
    memset(other_storage, DIRT, sizeof(other_storage));
    pool_init(&pool);
    pool_init(&other);
    return 0;
}

struct snapshot {
    uint32_t free_head, used, peak, failures;
};

static struct snapshot snap(const struct pool *p)
{
    return (struct snapshot){p->free_head, p->used, p->peak, p->failures};
}

static void assert_same_accounting(const struct pool *p, struct snapshot s)
{
    assert_int_equal(p->free_head, s.free_head);
    assert_int_equal(p->used, s.used);
    assert_int_equal(p->peak, s.peak);
    assert_int_equal(p->failures, s.failures);
}

static bool all_bytes(const void *p, uint8_t v, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != v) return false;
    return true;
}

/* Proves: a fresh pool has no accounting and every slot free. */
static void test_init_starts_empty(void **state)
{
    (void)state;
    assert_int_equal(pool.used, 0);
    assert_int_equal(pool.peak, 0);
    assert_int_equal(pool.failures, 0);
    for (uint32_t i = 0; i < CAP; i++)
        assert_null(pool_at(&pool, i));
}

/* Proves: capacity allocations succeed with distinct, slot-aligned objects inside the storage. */
static void test_alloc_gives_distinct_slots(void **state)
{
    (void)state;
    bool seen[CAP] = {false};
    for (uint32_t n = 0; n < CAP; n++) {
        struct obj *o = pool_alloc(&pool);
        assert_non_null(o);
        assert_true(o >= &storage[0] && o < &storage[CAP]);
        assert_int_equal(((uint8_t *)o - (uint8_t *)storage) % sizeof(struct obj), 0);
        size_t i = (size_t)(o - storage);
        assert_false(seen[i]);
        seen[i] = true;
        assert_int_equal(pool.used, n + 1);
    }
}

/* Proves: once exhausted, alloc returns NULL, counts each failure and leaves used/peak alone. */
static void test_alloc_until_exhausted_returns_null(void **state)
{
    (void)state;
    for (uint32_t n = 0; n < CAP; n++)
        assert_non_null(pool_alloc(&pool));
    assert_int_equal(pool.failures, 0);
    assert_null(pool_alloc(&pool));
    assert_int_equal(pool.failures, 1);
    assert_null(pool_alloc(&pool));
    assert_null(pool_alloc(&pool));
    assert_int_equal(pool.failures, 3);
    assert_int_equal(pool.used, CAP);
    assert_int_equal(pool.peak, CAP);
}

/* Proves: every allocated object is zeroed, also when its slot held data from a previous use. */
static void test_alloc_zeroes_object(void **state)
{
    (void)state;
    struct obj *o = pool_alloc(&pool);
    assert_non_null(o);
    assert_true(all_bytes(o, 0, sizeof(*o)));
    /* Neighbouring slots are not touched by the zeroing. */
    for (struct obj *s = storage; s < storage + CAP; s++)
        if (s != o) assert_true(all_bytes(s, DIRT, sizeof(*s)));
    memset(o, 0xff, sizeof(*o));
    assert_int_equal(pool_free(&pool, o), OK);
    struct obj *again = pool_alloc(&pool);
    assert_ptr_equal(again, o);
    assert_true(all_bytes(again, 0, sizeof(*again)));
}

/* Proves: a freed slot is the next one handed out and the used count follows. */
static void test_free_then_alloc_reuses_slot(void **state)
{
    (void)state;
    struct obj *o[CAP];
    for (int i = 0; i < CAP; i++)
        o[i] = pool_alloc(&pool);
    assert_int_equal(pool_free(&pool, o[3]), OK);
    assert_int_equal(pool.used, CAP - 1);
    assert_ptr_equal(pool_alloc(&pool), o[3]);
    assert_int_equal(pool.used, CAP);
    assert_int_equal(pool.failures, 0);
}

/* Proves: after freeing everything the whole capacity can be allocated again without failures. */
static void test_free_all_allows_full_realloc(void **state)
{
    (void)state;
    struct obj *o[CAP];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < CAP; i++)
            assert_non_null(o[i] = pool_alloc(&pool));
        for (int i = 0; i < CAP; i++)
            assert_int_equal(pool_free(&pool, o[i]), OK);
        assert_int_equal(pool.used, 0);
    }
    assert_int_equal(pool.failures, 0);
    assert_int_equal(pool.peak, CAP);
}

/* Proves: a double free is E_INVAL and changes neither the counts nor the free list. */
static void test_double_free_is_einval(void **state)
{
    (void)state;
    struct obj *a = pool_alloc(&pool);
    struct obj *b = pool_alloc(&pool);
    assert_int_equal(pool_free(&pool, a), OK);
    struct snapshot s = snap(&pool);
    assert_int_equal(pool_free(&pool, a), E_INVAL);
    assert_same_accounting(&pool, s);
    /* The free list is intact: exactly CAP - 1 more allocations succeed, none returns b. */
    for (int i = 0; i < CAP - 1; i++) {
        struct obj *o = pool_alloc(&pool);
        assert_non_null(o);
        assert_ptr_not_equal(o, b);
    }
    assert_null(pool_alloc(&pool));
}

/* Proves: freeing a never-allocated slot is E_INVAL and leaves the accounting unchanged. */
static void test_free_of_free_slot_is_einval(void **state)
{
    (void)state;
    (void)pool_alloc(&pool);
    struct snapshot s = snap(&pool);
    assert_int_equal(pool_free(&pool, &storage[CAP - 1]), E_INVAL);
    assert_same_accounting(&pool, s);
}

/* Proves: pointers that are not this pool's objects are E_INVAL and change nothing. */
static void test_foreign_pointers_are_einval(void **state)
{
    (void)state;
    struct obj *mine = pool_alloc(&pool);
    struct obj *theirs = pool_alloc(&other);
    struct obj on_stack;
    struct snapshot s = snap(&pool), so = snap(&other);

    assert_int_equal(pool_free(&pool, theirs), E_INVAL);    /* another pool's object */
    assert_int_equal(pool_free(&pool, &on_stack), E_INVAL); /* not a pool object */
    assert_int_equal(pool_free(&pool, NULL), E_INVAL);
    assert_int_equal(pool_free(&pool, (uint8_t *)mine + 4), E_INVAL); /* inside an object */
    assert_int_equal(pool_free(&pool, &storage[CAP]), E_INVAL);       /* one past the end */
    assert_int_equal(pool_free(&pool, (uint8_t *)storage - sizeof(struct obj)), E_INVAL);
    assert_same_accounting(&pool, s);
    assert_same_accounting(&other, so);
    /* Both objects are still allocated in their own pools. */
    assert_ptr_equal(pool_at(&pool, pool_index(&pool, mine)), mine);
    assert_ptr_equal(pool_at(&other, pool_index(&other, theirs)), theirs);
}

/* Proves: peak is the high-water mark of used and never goes down on free. */
static void test_peak_tracks_high_water(void **state)
{
    (void)state;
    struct obj *o[CAP];
    for (int i = 0; i < 5; i++)
        o[i] = pool_alloc(&pool);
    assert_int_equal(pool.peak, 5);
    for (int i = 0; i < 3; i++)
        assert_int_equal(pool_free(&pool, o[i]), OK);
    assert_int_equal(pool.used, 2);
    assert_int_equal(pool.peak, 5);
    for (int i = 0; i < 3; i++)
        o[i] = pool_alloc(&pool);
    assert_int_equal(pool.used, 5);
    assert_int_equal(pool.peak, 5);
    (void)pool_alloc(&pool);
    assert_int_equal(pool.peak, 6);
    for (int i = 0; i < 3; i++)
        (void)pool_alloc(&pool); /* two succeed, one fails */
    assert_int_equal(pool.peak, CAP);
    assert_int_equal(pool.failures, 1);
}

/* Proves: pool_index maps an object to its slot and pool_at returns it only while it is in use. */
static void test_at_and_index_on_used_and_free_slots(void **state)
{
    (void)state;
    struct obj *o[3];
    for (int i = 0; i < 3; i++)
        o[i] = pool_alloc(&pool);
    for (int i = 0; i < 3; i++) {
        uint32_t idx = pool_index(&pool, o[i]);
        assert_int_equal(idx, (uint32_t)(o[i] - storage));
        assert_ptr_equal(pool_at(&pool, idx), o[i]);
    }
    uint32_t freed = pool_index(&pool, o[1]);
    assert_int_equal(pool_free(&pool, o[1]), OK);
    assert_null(pool_at(&pool, freed));               /* free slot */
    assert_int_equal(pool_index(&pool, o[1]), freed); /* index is positional */
    assert_ptr_equal(pool_at(&pool, pool_index(&pool, o[0])), o[0]);
    assert_ptr_equal(pool_at(&pool, pool_index(&pool, o[2])), o[2]);
    assert_null(pool_at(&pool, CAP)); /* out of range */
    assert_null(pool_at(&pool, POOL_END));
    assert_int_equal(pool_index(&pool, (uint8_t *)o[0] + 1), POOL_END);
    assert_int_equal(pool_index(&pool, &storage[CAP]), POOL_END);
    assert_int_equal(pool_index(&pool, &other_storage[0]), POOL_END);
}

/* Proves: a pool of capacity 1 hands out its one object, fails, and reuses it after free. */
static void test_capacity_one(void **state)
{
    (void)state;
    struct obj one[1];
    uint32_t one_links[1];
    struct pool p = {"one", (uint8_t *)one, one_links, sizeof(struct obj), 1, 0, 0, 0, 0, 0};
    pool_init(&p);
    struct obj *o = pool_alloc(&p);
    assert_ptr_equal(o, &one[0]);
    assert_ptr_equal(pool_at(&p, 0), o);
    assert_null(pool_alloc(&p));
    assert_int_equal(p.failures, 1);
    assert_int_equal(pool_free(&p, o), OK);
    assert_null(pool_at(&p, 0));
    assert_int_equal(pool_free(&p, o), E_INVAL);
    assert_ptr_equal(pool_alloc(&p), o);
    assert_int_equal(p.used, 1);
    assert_int_equal(p.peak, 1);
    assert_int_equal(p.failures, 1);
}

/* Proves: a pool of capacity 0 never hands out anything and rejects every free and lookup. */
static void test_capacity_zero(void **state)
{
    (void)state;
    struct obj backing[1];
    uint32_t backing_links[1] = {0};
    struct pool p = {"zero", (uint8_t *)backing, backing_links, sizeof(struct obj), 0, 0, 0, 0, 0,
                     0};
    pool_init(&p);
    assert_int_equal(p.free_head, POOL_END);
    assert_null(pool_alloc(&p));
    assert_null(pool_alloc(&p));
    assert_int_equal(p.failures, 2);
    assert_int_equal(p.used, 0);
    assert_int_equal(p.peak, 0);
    assert_null(pool_at(&p, 0));
    assert_int_equal(pool_index(&p, &backing[0]), POOL_END);
    assert_int_equal(pool_free(&p, &backing[0]), E_INVAL);
}

/* Proves: pool_init on a used pool resets the accounting and makes every slot free again. */
static void test_reinit_resets_accounting(void **state)
{
    (void)state;
    for (int i = 0; i < CAP + 2; i++)
        (void)pool_alloc(&pool);
    pool_init(&pool);
    assert_int_equal(pool.used, 0);
    assert_int_equal(pool.peak, 0);
    assert_int_equal(pool.failures, 0);
    for (uint32_t i = 0; i < CAP; i++)
        assert_null(pool_at(&pool, i));
    for (int i = 0; i < CAP; i++)
        assert_non_null(pool_alloc(&pool));
    assert_int_equal(pool.failures, 0);
}

/* Proves: ids of one slot never repeat: each reuse takes the next generation, and a slot whose
 * generations are used up is retired for good (never allocated again, not counted as used). */
static void test_ids_never_repeat_slots_retire(void **state)
{
    (void)state;
    static uint32_t gen[CAP];
    memset(gen, 0, sizeof(gen));
    void *a = pool_alloc(&pool);
    uint32_t slot = pool_index(&pool, a);
    uint32_t id1 = pool_new_id(&pool, gen, a);
    pool_free_id(&pool, gen, a);
    void *b = pool_alloc(&pool); /* the same slot again (LIFO free list) */
    assert_ptr_equal(a, b);
    uint32_t id2 = pool_new_id(&pool, gen, b);
    assert_int_not_equal(id1, id2);
    assert_int_equal(id1 & ((1u << ID_SLOT_BITS) - 1), id2 & ((1u << ID_SLOT_BITS) - 1));
    pool_free_id(&pool, gen, b);
    gen[slot] = ID_GEN_LIMIT - 1; /* the last generation */
    void *c = pool_alloc(&pool);
    assert_ptr_equal(a, c);
    uint32_t last = pool_new_id(&pool, gen, c);
    assert_int_equal(last >> ID_SLOT_BITS, ID_GEN_LIMIT - 1);
    pool_free_id(&pool, gen, c);
    assert_int_equal(pool_retired(&pool), 1);
    assert_int_equal(pool.used, 0);
    assert_null(pool_at(&pool, slot));
    assert_int_equal(pool_free(&pool, c), E_INVAL); /* not in use: no double free either */
    for (int i = 0; i < CAP - 1; i++)
        assert_ptr_not_equal(pool_alloc(&pool), a); /* every other slot, never the retired one */
    assert_null(pool_alloc(&pool));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_starts_empty, setup),
        cmocka_unit_test_setup(test_alloc_gives_distinct_slots, setup),
        cmocka_unit_test_setup(test_alloc_until_exhausted_returns_null, setup),
        cmocka_unit_test_setup(test_alloc_zeroes_object, setup),
        cmocka_unit_test_setup(test_free_then_alloc_reuses_slot, setup),
        cmocka_unit_test_setup(test_free_all_allows_full_realloc, setup),
        cmocka_unit_test_setup(test_double_free_is_einval, setup),
        cmocka_unit_test_setup(test_free_of_free_slot_is_einval, setup),
        cmocka_unit_test_setup(test_foreign_pointers_are_einval, setup),
        cmocka_unit_test_setup(test_peak_tracks_high_water, setup),
        cmocka_unit_test_setup(test_at_and_index_on_used_and_free_slots, setup),
        cmocka_unit_test_setup(test_capacity_one, setup),
        cmocka_unit_test_setup(test_capacity_zero, setup),
        cmocka_unit_test_setup(test_reinit_resets_accounting, setup),
        cmocka_unit_test_setup(test_ids_never_repeat_slots_retire, setup),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]); /* run one test (or a glob) by name */
    return cmocka_run_group_tests_name("pool", tests, NULL, NULL) ? 1 : 0;
}
