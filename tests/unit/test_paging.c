/* SPDX-License-Identifier: MIT */
/* Unit tests for the x86-64 page tables (kernel/arch/x86_64/paging.c) on fake physical memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "host_phys.h"
#include "vm.h"

extern paddr_t kernel_pml4_phys;

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PS (1ull << 7)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define PAGE 0x1000ull
#define VA 0x400000ull
#define MAX_TABLES 64

/* The table allocator handed to arch_pt_map: counts, records, and fails on request. */
struct tables {
    int fail_after; /* allocations left before returning 0; negative: never fail */
    bool dirty;     /* hand out poisoned frames instead of zeroed ones */
    unsigned nalloc, nfree;
    paddr_t allocated[MAX_TABLES];
    paddr_t freed[MAX_TABLES];
};

static struct tables T;
static paddr_t root;

static paddr_t table_alloc(void *ctx)
{
    struct tables *t = ctx;
    if (t->fail_after == 0) return 0;
    if (t->fail_after > 0) t->fail_after--;
    paddr_t pa = t->dirty ? host_phys_alloc_dirty() : host_phys_alloc();
    assert_true(pa != 0 && t->nalloc < MAX_TABLES);
    t->allocated[t->nalloc++] = pa;
    return pa;
}

static void table_free(void *ctx, paddr_t pa)
{
    struct tables *t = ctx;
    assert_true(t->nfree < MAX_TABLES);
    t->freed[t->nfree++] = pa;
    assert_true(host_phys_free(pa)); /* allocated and not freed before */
}

/* Every test starts with a fresh arena, a root made from a dirty frame, and no kernel half. */
static int setup(void **state)
{
    (void)state;
    host_phys_reset();
    memset(&T, 0, sizeof(T));
    T.fail_after = -1;
    kernel_pml4_phys = 0;
    root = host_phys_alloc_dirty();
    assert_int_equal(arch_pt_init_root(root), OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kernel_pml4_phys = 0;
    return 0;
}

static paddr_t frame(void)
{
    paddr_t pa = host_phys_alloc();
    assert_int_not_equal(pa, 0);
    return pa;
}

static enum status map(vaddr_t va, paddr_t pa, unsigned flags)
{
    return arch_pt_map(root, va, pa, flags, table_alloc, &T);
}

static uint64_t *entries(paddr_t table)
{
    return arch_phys_to_virt(table & PTE_ADDR);
}

/* The raw leaf entry for va (0 if absent), walked independently of the code under test. */
static uint64_t raw_pte(vaddr_t va, uint64_t *path /* 3 upper-level entries, or NULL */)
{
    uint64_t e = 0;
    paddr_t t = root;
    for (int level = 3; level >= 0; level--) {
        e = entries(t)[(va >> (12 + 9 * level)) & 511];
        if (level > 0) {
            if (path) path[3 - level] = e;
            if (!(e & PTE_P)) return 0;
            t = e & PTE_ADDR;
        }
    }
    return e;
}

/* Proves: lookup of a mapped page gives the frame plus the in-page offset and read-only rights. */
static void test_map_then_lookup(void **state)
{
    (void)state;
    paddr_t pa = frame();
    assert_int_equal(map(VA, pa, VM_R), OK);
    paddr_t got = 0;
    unsigned flags = 0;
    assert_int_equal(arch_pt_lookup(root, VA, &got, &flags), OK);
    assert_int_equal(got, pa);
    assert_int_equal(flags, VM_R);
    assert_int_equal(arch_pt_lookup(root, VA + 0x123, &got, &flags), OK);
    assert_int_equal(got, pa + 0x123);
    assert_int_equal(arch_pt_lookup(root, VA + 0xfff, &got, NULL), OK);
    assert_int_equal(got, pa + 0xfff);
    assert_int_equal(arch_pt_lookup(root, VA, NULL, &flags), OK);
    assert_int_equal(T.nalloc, 3); /* PDPT, PD, PT */
}

/* Proves: every combination of W, X and USER round-trips through map and lookup. */
static void test_flags_round_trip(void **state)
{
    (void)state;
    for (unsigned f = 0; f < 8; f++) {
        unsigned want = VM_R | ((f & 1) ? VM_W : 0) | ((f & 2) ? VM_X : 0);
        want |= (f & 4) ? VM_USER : 0;
        vaddr_t va = VA + f * PAGE;
        paddr_t pa = frame();
        assert_int_equal(map(va, pa, want), OK);
        unsigned got = 0;
        paddr_t gpa = 0;
        assert_int_equal(arch_pt_lookup(root, va, &gpa, &got), OK);
        assert_int_equal(got, want);
        assert_int_equal(gpa, pa);
    }
}

/* Proves: the leaf encodes W as bit 1, USER as bit 2, no-X as NX; upper levels allow all. */
static void test_pte_encoding(void **state)
{
    (void)state;
    paddr_t a = frame(), b = frame();
    assert_int_equal(map(VA, a, VM_R), OK);
    assert_int_equal(map(VA + PAGE, b, VM_R | VM_W | VM_X | VM_USER), OK);
    uint64_t path[3];
    uint64_t ea = raw_pte(VA, path), eb = raw_pte(VA + PAGE, NULL);
    assert_int_equal(ea, a | PTE_P | PTE_NX);
    assert_int_equal(eb, b | PTE_P | PTE_W | PTE_U);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(path[i] & (PTE_P | PTE_W | PTE_U), PTE_P | PTE_W | PTE_U);
        assert_int_equal(path[i] & (PTE_NX | PTE_PS), 0);
        assert_int_equal(path[i] & PTE_ADDR, T.allocated[i]);
    }
}

/* Proves: mapping an already mapped page is E_EXISTS and keeps the first mapping unchanged. */
static void test_map_twice_is_eexists(void **state)
{
    (void)state;
    paddr_t a = frame(), b = frame();
    assert_int_equal(map(VA, a, VM_R | VM_W), OK);
    unsigned n = T.nalloc;
    assert_int_equal(map(VA, b, VM_R | VM_X), E_EXISTS);
    assert_int_equal(map(VA, a, VM_R | VM_W), E_EXISTS);
    assert_int_equal(T.nalloc, n);
    paddr_t got;
    unsigned flags;
    assert_int_equal(arch_pt_lookup(root, VA, &got, &flags), OK);
    assert_int_equal(got, a);
    assert_int_equal(flags, VM_R | VM_W);
}

/* Proves: unaligned va or pa is E_INVAL and allocates no table. */
static void test_map_unaligned_is_einval(void **state)
{
    (void)state;
    paddr_t pa = frame();
    assert_int_equal(map(VA + 1, pa, VM_R), E_INVAL);
    assert_int_equal(map(VA + 0x800, pa, VM_R), E_INVAL);
    assert_int_equal(map(VA, pa + 8, VM_R), E_INVAL);
    assert_int_equal(map(VA, pa | 0xfff, VM_R), E_INVAL);
    assert_int_equal(map(VA, pa | (1ull << 52), VM_R), E_INVAL); /* beyond physical bits */
    assert_int_equal(T.nalloc, 0);
    assert_int_equal(arch_pt_lookup(root, VA, NULL, NULL), E_NOENT);
    assert_int_equal(arch_pt_unmap(root, VA + 1, NULL), E_INVAL);
}

/* Proves: page 0, the last user page, non-canonical and kernel addresses are E_INVAL everywhere. */
static void test_non_user_va_is_einval(void **state)
{
    (void)state;
    paddr_t pa = frame();
    const vaddr_t bad[] = {0,
                           0x00007ffffffff000ull,
                           0x0000800000000000ull,
                           0x0000fffffffff000ull,
                           0x8000000000000000ull,
                           0xffff800000000000ull,
                           0xffffffff80000000ull,
                           0xfffffffffffff000ull};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_int_equal(map(bad[i], pa, VM_R), E_INVAL);
        assert_int_equal(arch_pt_unmap(root, bad[i], NULL), E_INVAL);
        assert_int_equal(arch_pt_lookup(root, bad[i] + 0x10, NULL, NULL), E_INVAL);
    }
    assert_int_equal(T.nalloc, 0);
    for (int i = 0; i < 512; i++)
        assert_int_equal(entries(root)[i], 0);
    /* The first and last valid user pages are fine. */
    assert_int_equal(map(0x1000, pa, VM_R), OK);
    assert_int_equal(map(0x00007fffffffe000ull, pa, VM_R), OK);
}

/* Proves: unmap returns the old frame; a second unmap is E_NOENT; a remap reuses the tables. */
static void test_unmap_returns_old_frame(void **state)
{
    (void)state;
    paddr_t a = frame(), b = frame();
    assert_int_equal(map(VA, a, VM_R | VM_W), OK);
    assert_int_equal(map(VA + PAGE, b, VM_R), OK);
    paddr_t old = 0;
    assert_int_equal(arch_pt_unmap(root, VA, &old), OK);
    assert_int_equal(old, a);
    assert_int_equal(raw_pte(VA, NULL), 0);
    assert_int_equal(arch_pt_lookup(root, VA, NULL, NULL), E_NOENT);
    old = 0x5000;
    assert_int_equal(arch_pt_unmap(root, VA, &old), E_NOENT);
    assert_int_equal(old, 0x5000);
    /* The neighbour survives, and unmap works without an out pointer. */
    paddr_t got;
    assert_int_equal(arch_pt_lookup(root, VA + PAGE, &got, NULL), OK);
    assert_int_equal(got, b);
    assert_int_equal(arch_pt_unmap(root, VA + PAGE, NULL), OK);
    unsigned n = T.nalloc;
    assert_int_equal(map(VA, b, VM_R), OK);
    assert_int_equal(T.nalloc, n);
}

/* Proves: lookups and unmaps of never-mapped pages are E_NOENT, near and far from a mapping. */
static void test_lookup_unmapped_is_enoent(void **state)
{
    (void)state;
    assert_int_equal(arch_pt_lookup(root, VA, NULL, NULL), E_NOENT);
    assert_int_equal(arch_pt_unmap(root, VA, NULL), E_NOENT);
    assert_int_equal(map(VA, frame(), VM_R), OK);
    const vaddr_t miss[] = {VA + PAGE,         VA - PAGE,         VA + (1ull << 21),
                            VA + (1ull << 30), VA + (1ull << 39), 0x00007fffffffe000ull};
    for (size_t i = 0; i < ARRAY_SIZE(miss); i++) {
        assert_int_equal(arch_pt_lookup(root, miss[i], NULL, NULL), E_NOENT);
        assert_int_equal(arch_pt_unmap(root, miss[i], NULL), E_NOENT);
    }
    assert_int_equal(T.nalloc, 3); /* neither lookup nor unmap creates tables */
}

/* Proves: tables from a dirty allocator are cleared, so no garbage entry appears as a mapping. */
static void test_new_tables_are_cleared(void **state)
{
    (void)state;
    T.dirty = true;
    assert_int_equal(map(VA, frame(), VM_R), OK);
    assert_int_equal(T.nalloc, 3);
    for (unsigned i = 0; i < T.nalloc; i++) {
        const uint64_t *e = entries(T.allocated[i]);
        unsigned present = 0;
        for (int k = 0; k < 512; k++)
            present += (e[k] & PTE_P) != 0;
        assert_int_equal(present, 1); /* only the entry on the path */
    }
    assert_int_equal(arch_pt_lookup(root, VA + PAGE, NULL, NULL), E_NOENT);
    assert_int_equal(arch_pt_lookup(root, VA + (1ull << 21), NULL, NULL), E_NOENT);
}

/* Proves: an allocator failure mid-walk is E_NOMEM, keeps other mappings, and leaks no table. */
static void test_alloc_failure_is_enomem(void **state)
{
    (void)state;
    paddr_t a = frame(), b = frame();
    assert_int_equal(map(VA, a, VM_R | VM_X), OK);
    assert_int_equal(T.nalloc, 3);

    const vaddr_t far = 1ull << 39; /* another PML4 slot: needs three new tables */
    T.fail_after = 0;               /* fails at the first level */
    assert_int_equal(map(far, b, VM_R), E_NOMEM);
    T.fail_after = 1; /* fails at the second level, after one table was added */
    assert_int_equal(map(far, b, VM_R), E_NOMEM);
    assert_int_equal(T.nalloc, 4);
    T.fail_after = 0;
    assert_int_equal(map(VA + (1ull << 21), b, VM_R), E_NOMEM); /* needs a new PT only */

    paddr_t got;
    unsigned flags;
    assert_int_equal(arch_pt_lookup(root, VA, &got, &flags), OK);
    assert_int_equal(got, a);
    assert_int_equal(flags, VM_R | VM_X);
    assert_int_equal(arch_pt_lookup(root, far, NULL, NULL), E_NOENT);
    assert_int_equal(map(VA + PAGE, b, VM_R), OK); /* fits in the existing PT: no allocation */

    T.fail_after = -1;
    assert_int_equal(map(far, b, VM_R), OK);
    assert_int_equal(T.nalloc, 6); /* the table left by the failed attempt was reused */

    arch_pt_destroy(root, NULL, table_free, &T);
    assert_int_equal(T.nfree, T.nalloc);
    assert_int_equal(host_phys_counts().bad_frees, 0);
}

struct leaf_log {
    unsigned n;
    vaddr_t va[64];
    paddr_t pa[64];
};

static struct leaf_log LOG;

static void record_leaf(void *ctx, vaddr_t va, paddr_t pa)
{
    assert_ptr_equal(ctx, &T);
    assert_true(LOG.n < ARRAY_SIZE(LOG.va));
    LOG.va[LOG.n] = va;
    LOG.pa[LOG.n] = pa;
    LOG.n++;
}

/* Proves: destroy reports each leaf once with its va and frees each table once; root stays. */
static void test_destroy_reports_leaves_and_frees_tables(void **state)
{
    (void)state;
    memset(&LOG, 0, sizeof(LOG));
    const vaddr_t vas[] = {
        0x1000,                /* first user page */
        VA,                    /* same PD, another PT */
        VA + PAGE,             /* same PT as VA */
        VA + (1ull << 21),     /* same PD again, another PT */
        VA + (1ull << 30),     /* same PDPT, another PD */
        (1ull << 39) + 0x5000, /* another PML4 slot */
        0x00007fffffffe000ull, /* last valid page, PML4 slot 255 */
    };
    paddr_t pas[ARRAY_SIZE(vas)];
    for (size_t i = 0; i < ARRAY_SIZE(vas); i++) {
        pas[i] = frame();
        assert_int_equal(map(vas[i], pas[i], VM_R | VM_USER), OK);
    }
    const unsigned tables = T.nalloc;
    assert_int_equal(tables, 3 + 1 + 0 + 1 + 2 + 3 + 3); /* new tables, in the order of vas[] */

    arch_pt_destroy(root, record_leaf, table_free, &T);

    assert_int_equal(LOG.n, ARRAY_SIZE(vas));
    for (size_t i = 0; i < ARRAY_SIZE(vas); i++) {
        unsigned seen = 0;
        for (unsigned k = 0; k < LOG.n; k++)
            if (LOG.va[k] == vas[i]) {
                seen++;
                assert_int_equal(LOG.pa[k], pas[i]);
            }
        assert_int_equal(seen, 1);
    }
    assert_int_equal(T.nfree, tables);
    for (unsigned i = 0; i < tables; i++) {
        unsigned seen = 0;
        for (unsigned k = 0; k < T.nfree; k++)
            seen += T.freed[k] == T.allocated[i];
        assert_int_equal(seen, 1);
    }
    for (unsigned k = 0; k < T.nfree; k++)
        assert_int_not_equal(T.freed[k], root);
    assert_true(host_phys_is_allocated(root));
    assert_int_equal(host_phys_counts().bad_frees, 0);
    /* Leaf frames belong to the caller: destroy only reports them. */
    for (size_t i = 0; i < ARRAY_SIZE(vas); i++)
        assert_true(host_phys_is_allocated(pas[i]));

    /* The root is empty and usable again. */
    for (int i = 0; i < 512; i++)
        assert_int_equal(entries(root)[i], 0);
    for (size_t i = 0; i < ARRAY_SIZE(vas); i++)
        assert_int_equal(arch_pt_lookup(root, vas[i], NULL, NULL), E_NOENT);
    assert_int_equal(map(VA, pas[1], VM_R), OK);
}

/* Proves: destroy without a leaf callback still frees every table. */
static void test_destroy_without_leaf_callback(void **state)
{
    (void)state;
    assert_int_equal(map(VA, frame(), VM_R), OK);
    assert_int_equal(map(1ull << 39, frame(), VM_R), OK);
    arch_pt_destroy(root, NULL, table_free, &T);
    assert_int_equal(T.nfree, 6);
    assert_int_equal(host_phys_counts().freed, 6);
    assert_int_equal(host_phys_counts().bad_frees, 0);
}

/* Proves: destroying an empty root reports and frees nothing. */
static void test_destroy_empty_root(void **state)
{
    (void)state;
    memset(&LOG, 0, sizeof(LOG));
    arch_pt_destroy(root, record_leaf, table_free, &T);
    assert_int_equal(LOG.n, 0);
    assert_int_equal(T.nfree, 0);
}

/* Proves: with no kernel tables (host), init_root clears all 512 entries of a dirty frame. */
static void test_init_root_zeroes_user_half(void **state)
{
    (void)state;
    paddr_t r = host_phys_alloc_dirty();
    assert_int_not_equal(entries(r)[0], 0);
    assert_int_equal(arch_pt_init_root(r), OK);
    for (int i = 0; i < 512; i++)
        assert_int_equal(entries(r)[i], 0);
}

/* Proves: init_root copies the kernel half, zeroes the user half; destroy leaves it alone. */
static void test_init_root_copies_kernel_half(void **state)
{
    (void)state;
    paddr_t kroot = host_phys_alloc();
    paddr_t ktable = host_phys_alloc();
    uint64_t *k = entries(kroot);
    for (int i = 0; i < 512; i++)
        k[i] = (ktable | PTE_P | PTE_W) + ((uint64_t)i << 52);
    kernel_pml4_phys = kroot;

    paddr_t r = host_phys_alloc_dirty();
    assert_int_equal(arch_pt_init_root(r), OK);
    uint64_t *e = entries(r);
    for (int i = 0; i < 256; i++)
        assert_int_equal(e[i], 0);
    for (int i = 256; i < 512; i++)
        assert_int_equal(e[i], k[i]);

    root = r;
    assert_int_equal(map(VA, frame(), VM_R), OK);
    arch_pt_destroy(root, NULL, table_free, &T);
    assert_int_equal(T.nfree, 3);
    assert_true(host_phys_is_allocated(ktable));
    for (int i = 256; i < 512; i++)
        assert_int_equal(e[i], k[i]);
}

/* Proves: a walk that meets a huge-page entry refuses to map under it (E_INVAL). */
static void test_map_under_huge_page_is_einval(void **state)
{
    (void)state;
    paddr_t pa = frame();
    assert_int_equal(map(VA, pa, VM_R), OK);
    uint64_t path[3];
    (void)raw_pte(VA, path);
    /* Turn the PD entry covering VA into a 2 MiB page. */
    uint64_t *pd = entries(path[1] & PTE_ADDR);
    pd[(VA >> 21) & 511] = 0x200000 | PTE_P | PTE_W | PTE_PS;
    unsigned n = T.nalloc;
    assert_int_equal(map(VA + PAGE, pa, VM_R), E_INVAL);
    assert_int_equal(T.nalloc, n);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        TEST(test_map_then_lookup),
        TEST(test_flags_round_trip),
        TEST(test_pte_encoding),
        TEST(test_map_twice_is_eexists),
        TEST(test_map_unaligned_is_einval),
        TEST(test_non_user_va_is_einval),
        TEST(test_unmap_returns_old_frame),
        TEST(test_lookup_unmapped_is_enoent),
        TEST(test_new_tables_are_cleared),
        TEST(test_alloc_failure_is_enomem),
        TEST(test_destroy_reports_leaves_and_frees_tables),
        TEST(test_destroy_without_leaf_callback),
        TEST(test_destroy_empty_root),
        TEST(test_init_root_zeroes_user_half),
        TEST(test_init_root_copies_kernel_half),
        TEST(test_map_under_huge_page_is_einval),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]); /* run one test (or a glob) by name */
    return cmocka_run_group_tests_name("paging", tests, NULL, NULL) ? 1 : 0;
}
