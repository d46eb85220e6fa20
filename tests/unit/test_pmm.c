/* SPDX-License-Identifier: MIT */
/* Unit tests for the bitmap frame allocator (kernel/pmm.c): regions, reservations, exact counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pmm.h"

#define F PMM_FRAME
#define MiB (1ull << 20)

static int reset(void **state)
{
    (void)state;
    pmm_reset();
    return 0;
}

static void assert_stats(uint64_t total, uint64_t nfree)
{
    struct pmm_stats s = pmm_stats();
    assert_int_equal(s.total, total);
    assert_int_equal(s.free, nfree);
}

/* Allocates until pmm_alloc returns 0, checking the counts at each step; caller frees. */
static paddr_t *drain(size_t *n)
{
    struct pmm_stats s = pmm_stats();
    paddr_t *v = calloc(s.free + 1, sizeof(*v));
    assert_non_null(v);
    size_t k = 0;
    for (;;) {
        paddr_t f = pmm_alloc();
        if (f == 0) break;
        assert_true(k < s.free); /* never more frames than were free */
        v[k++] = f;
        assert_stats(s.total, s.free - k);
    }
    *n = k;
    return v;
}

static int cmp_paddr(const void *a, const void *b)
{
    paddr_t x = *(const paddr_t *)a, y = *(const paddr_t *)b;
    return x < y ? -1 : x > y;
}

/* Proves: after pmm_reset nothing is managed and pmm_alloc returns 0. */
static void test_reset_leaves_nothing(void **state)
{
    (void)state;
    pmm_add_free(MiB, 16 * F);
    pmm_reset();
    assert_stats(0, 0);
    assert_int_equal(pmm_alloc(), 0);
    assert_int_equal(pmm_free(MiB), E_INVAL);
}

/* Proves: an aligned region adds exactly its frames and they are all handed out from it. */
static void test_add_free_counts_whole_frames(void **state)
{
    (void)state;
    pmm_add_free(MiB, 16 * F);
    assert_stats(16, 16);
    size_t n;
    paddr_t *v = drain(&n);
    assert_int_equal(n, 16);
    qsort(v, n, sizeof(*v), cmp_paddr);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i], MiB + i * F);
    free(v);
}

/* Proves: unaligned region bounds round inward, so partial frames are never handed out. */
static void test_add_free_unaligned_rounds_inward(void **state)
{
    (void)state;
    pmm_add_free(MiB + 1, 3 * F); /* [1M+1, 1M+3F+1): frames 1M+F and 1M+2F */
    assert_stats(2, 2);
    pmm_add_free(2 * MiB + 0x800, 0x800); /* inside one frame: nothing */
    assert_stats(2, 2);
    pmm_add_free(3 * MiB + 0x800, F); /* straddles two frames, covers neither */
    assert_stats(2, 2);
    pmm_add_free(4 * MiB, F - 1); /* one byte short of a frame */
    assert_stats(2, 2);
    pmm_add_free(5 * MiB - 1, F + 1); /* ends exactly on a frame boundary */
    assert_stats(3, 3);
    size_t n;
    paddr_t *v = drain(&n);
    assert_int_equal(n, 3);
    qsort(v, n, sizeof(*v), cmp_paddr);
    assert_int_equal(v[0], MiB + F);
    assert_int_equal(v[1], MiB + 2 * F);
    assert_int_equal(v[2], 5 * MiB);
    free(v);
}

/* Proves: adding a region that overlaps managed frames counts each frame once. */
static void test_add_free_overlap_counts_once(void **state)
{
    (void)state;
    pmm_add_free(MiB, 8 * F);
    pmm_add_free(MiB + 4 * F, 8 * F);
    assert_stats(12, 12);
    pmm_add_free(MiB, 12 * F);
    assert_stats(12, 12);
}

/* Proves: frame 0 is never managed or handed out, even when a region starts at address 0. */
static void test_frame_zero_never_handed_out(void **state)
{
    (void)state;
    pmm_add_free(0, 4 * F);
    assert_stats(3, 3);
    size_t n;
    paddr_t *v = drain(&n);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(v[i], 0);
    free(v);
    assert_int_equal(pmm_free(0), E_INVAL);
    assert_stats(3, 0);
}

/* Proves: reserving an aligned range removes exactly its frames from total and free. */
static void test_reserve_removes_frames(void **state)
{
    (void)state;
    pmm_add_free(MiB, 16 * F);
    pmm_reserve(MiB + 2 * F, 2 * F);
    assert_stats(14, 14);
    size_t n;
    paddr_t *v = drain(&n);
    assert_int_equal(n, 14);
    for (size_t i = 0; i < n; i++)
        assert_true(v[i] < MiB + 2 * F || v[i] >= MiB + 4 * F);
    free(v);
}

/* Proves: a reservation covering part of a frame reserves every frame it touches. */
static void test_reserve_partial_frames_round_outward(void **state)
{
    (void)state;
    pmm_add_free(MiB, 16 * F);
    pmm_reserve(MiB + 2 * F - 1, 2); /* last byte of frame 1, first of frame 2 */
    assert_stats(14, 14);
    pmm_reserve(MiB + 5 * F + 0x800, 0x100); /* the middle of frame 5 */
    assert_stats(13, 13);
    pmm_reserve(MiB + 8 * F + 1, F); /* frames 8 and 9 */
    assert_stats(11, 11);
    size_t n;
    paddr_t *v = drain(&n);
    assert_int_equal(n, 11);
    for (size_t i = 0; i < n; i++) {
        uint64_t f = (v[i] - MiB) / F;
        assert_true(f != 1 && f != 2 && f != 5 && f != 8 && f != 9);
    }
    free(v);
}

/* Proves: overlapping and repeated reservations subtract each frame once. */
static void test_reserve_overlapping_counts_once(void **state)
{
    (void)state;
    pmm_add_free(MiB, 16 * F);
    pmm_reserve(MiB + 2 * F, 4 * F); /* frames 2..5 */
    pmm_reserve(MiB + 4 * F, 4 * F); /* frames 4..7 */
    assert_stats(10, 10);
    pmm_reserve(MiB + 2 * F, 6 * F); /* all again */
    assert_stats(10, 10);
}

/* Proves: reserving memory outside every region changes nothing. */
static void test_reserve_outside_regions_is_noop(void **state)
{
    (void)state;
    pmm_add_free(MiB, 16 * F);
    pmm_reserve(0, MiB);
    pmm_reserve(MiB + 16 * F, MiB);
    pmm_reserve(PMM_MAX_BYTES, MiB); /* beyond what the bitmap covers */
    assert_stats(16, 16);
}

/* Not covered: lengths whose end wraps past 2^64 (reported: pmm.c add_free/reserve overflow). */
/* Proves: a reservation or region running past PMM_MAX_BYTES is clamped to it. */
static void test_ranges_past_max_are_clamped(void **state)
{
    (void)state;
    pmm_add_free(PMM_MAX_BYTES - 4 * F, 64 * F);
    assert_stats(4, 4);
    pmm_reserve(PMM_MAX_BYTES - 2 * F, PMM_MAX_BYTES);
    assert_stats(2, 2);
    size_t n;
    paddr_t *v = drain(&n);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        assert_true(v[i] < PMM_MAX_BYTES - 2 * F);
    free(v);
}

/* Proves: frames handed out until empty are unique, aligned, in a region and not reserved. */
static void test_alloc_until_empty_gives_valid_unique_frames(void **state)
{
    (void)state;
    /* Two regions, one with unaligned ends, and reservations inside both. */
    const paddr_t r1 = MiB, r1_len = 100 * F;
    const paddr_t r2 = 64 * MiB + 0x123, r2_len = 50 * F;
    pmm_add_free(r1, r1_len);
    pmm_add_free(r2, r2_len);
    pmm_reserve(r1 + 10 * F, 5 * F);
    pmm_reserve(r2 + 20 * F, 3); /* touches one frame */
    const uint64_t expect = 100 + 49 - 5 - 1;
    assert_stats(expect, expect);

    size_t n;
    paddr_t *v = drain(&n);
    assert_int_equal(n, expect);
    assert_int_equal(pmm_alloc(), 0); /* stays empty */
    assert_int_equal(pmm_alloc(), 0);
    assert_stats(expect, 0);
    for (size_t i = 0; i < n; i++) {
        paddr_t f = v[i];
        assert_int_equal(f % F, 0);
        bool in1 = f >= r1 && f + F <= r1 + r1_len;
        bool in2 = f >= r2 && f + F <= r2 + r2_len;
        assert_true(in1 || in2);
        assert_false(f >= r1 + 10 * F && f < r1 + 15 * F);
        assert_false(f == ALIGN_DOWN(r2 + 20 * F, F));
    }
    qsort(v, n, sizeof(*v), cmp_paddr);
    for (size_t i = 1; i < n; i++)
        assert_true(v[i - 1] != v[i]);

    /* Everything can be given back, one at a time with exact counts, and handed out again. */
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(pmm_free(v[i]), OK);
        assert_stats(expect, i + 1);
    }
    free(v);
    v = drain(&n);
    assert_int_equal(n, expect);
    free(v);
}

/* Proves: the one freed frame of an exhausted allocator is the next frame handed out. */
static void test_free_then_alloc_reuses_frame(void **state)
{
    (void)state;
    pmm_add_free(MiB, 8 * F);
    size_t n;
    paddr_t *v = drain(&n);
    assert_int_equal(pmm_free(v[5]), OK);
    assert_stats(8, 1);
    assert_int_equal(pmm_alloc(), v[5]);
    assert_stats(8, 0);
    assert_int_equal(pmm_alloc(), 0);
    free(v);
}

/* Proves: freeing an unknown, unaligned, reserved or free frame is E_INVAL, counts unchanged. */
static void test_bad_free_is_einval(void **state)
{
    (void)state;
    pmm_add_free(MiB, 8 * F);
    pmm_reserve(MiB + 7 * F, F);
    paddr_t a = pmm_alloc();
    assert_int_not_equal(a, 0);
    assert_stats(7, 6);

    assert_int_equal(pmm_free(2 * MiB), E_INVAL);     /* never added */
    assert_int_equal(pmm_free(MiB + 7 * F), E_INVAL); /* reserved */
    assert_int_equal(pmm_free(a + 1), E_INVAL);       /* unaligned, frame in use */
    assert_int_equal(pmm_free(a + F - 1), E_INVAL);
    assert_int_equal(pmm_free(PMM_MAX_BYTES), E_INVAL); /* beyond the bitmap */
    assert_int_equal(pmm_free(~0ull & ~(F - 1)), E_INVAL);
    paddr_t never = a == MiB ? MiB + F : MiB; /* managed but still free */
    assert_int_equal(pmm_free(never), E_INVAL);
    assert_stats(7, 6);

    assert_int_equal(pmm_free(a), OK);
    assert_stats(7, 7);
    assert_int_equal(pmm_free(a), E_INVAL); /* double free */
    assert_stats(7, 7);
}

/* Proves: ranges so long they would wrap stop at the managed limit, and an empty reservation
 * touches no frame. */
static void test_huge_and_empty_ranges(void **state)
{
    (void)state;
    pmm_add_free(0x100000, 0x10000);
    pmm_reserve(0x100800, 0);
    assert_int_equal(pmm_stats().total, 16);
    pmm_reserve(0x100000, ~0ull - 0x100000);
    assert_int_equal(pmm_stats().total, 0);
    pmm_reset();
    pmm_add_free(0x1000, ~0ull);
    assert_int_equal(pmm_stats().total, PMM_MAX_BYTES / PMM_FRAME - 1);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_reset_leaves_nothing, reset),
        cmocka_unit_test_setup(test_add_free_counts_whole_frames, reset),
        cmocka_unit_test_setup(test_add_free_unaligned_rounds_inward, reset),
        cmocka_unit_test_setup(test_add_free_overlap_counts_once, reset),
        cmocka_unit_test_setup(test_frame_zero_never_handed_out, reset),
        cmocka_unit_test_setup(test_reserve_removes_frames, reset),
        cmocka_unit_test_setup(test_reserve_partial_frames_round_outward, reset),
        cmocka_unit_test_setup(test_reserve_overlapping_counts_once, reset),
        cmocka_unit_test_setup(test_reserve_outside_regions_is_noop, reset),
        cmocka_unit_test_setup(test_ranges_past_max_are_clamped, reset),
        cmocka_unit_test_setup(test_alloc_until_empty_gives_valid_unique_frames, reset),
        cmocka_unit_test_setup(test_free_then_alloc_reuses_frame, reset),
        cmocka_unit_test_setup(test_bad_free_is_einval, reset),
        cmocka_unit_test_setup(test_huge_and_empty_ranges, reset),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]); /* run one test (or a glob) by name */
    return cmocka_run_group_tests_name("pmm", tests, NULL, NULL) ? 1 : 0;
}
