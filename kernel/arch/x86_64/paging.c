/* SPDX-License-Identifier: MIT */
/*
 * 4-level x86-64 page tables for user space. Pure table manipulation: frames are reached
 * with arch_phys_to_virt() and new tables come from the caller's allocator, so the same code
 * runs in the kernel and in host unit tests. The upper half (PML4 256..511) is the kernel's,
 * copied from the boot tables into every root and never touched here.
 */
#include "arch.h"
#include "vm.h"

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PS (1ull << 7)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define USER_PML4_ENTRIES 256

typedef uint64_t pte_t;

paddr_t kernel_pml4_phys; /* set by arch_early_init; 0 in host tests (no kernel half) */

static pte_t *table(paddr_t pa)
{
    return (pte_t *)arch_phys_to_virt(pa & PTE_ADDR);
}
static unsigned idx(vaddr_t va, int level)
{
    return (va >> (12 + 9 * level)) & 511;
}

enum status arch_pt_init_root(paddr_t root)
{
    pte_t *r = table(root);
    const pte_t *k = kernel_pml4_phys ? table(kernel_pml4_phys) : NULL;
    for (int i = 0; i < 512; i++)
        r[i] = (k && i >= USER_PML4_ENTRIES) ? k[i] : 0;
    return OK;
}

/* Walks to the last-level entry for va, creating tables on the way if alloc is given. */
static pte_t *walk(paddr_t root, vaddr_t va, pt_alloc_fn alloc, void *ctx, enum status *err)
{
    pte_t *t = table(root);
    for (int level = 3; level > 0; level--) {
        pte_t *e = &t[idx(va, level)];
        if (!(*e & PTE_P)) {
            if (alloc == NULL) {
                *err = E_NOENT;
                return NULL;
            }
            paddr_t fresh = alloc(ctx);
            if (fresh == 0) {
                *err = E_NOMEM;
                return NULL;
            }
            pte_t *ft = table(fresh);
            for (int i = 0; i < 512; i++)
                ft[i] = 0;
            /* Intermediate levels allow everything; the leaf decides the rights. */
            *e = (fresh & PTE_ADDR) | PTE_P | PTE_W | PTE_U;
        } else if (*e & PTE_PS) {
            *err = E_INVAL; /* huge pages never appear in user space */
            return NULL;
        }
        t = table(*e);
    }
    return &t[idx(va, 0)];
}

enum status arch_pt_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned flags, pt_alloc_fn alloc,
                        void *ctx)
{
    if ((va & 0xfff) || (pa & ~PTE_ADDR) || !vm_user_range_ok(va, 0x1000)) return E_INVAL;
    enum status err = OK;
    pte_t *e = walk(root, va, alloc, ctx, &err);
    if (e == NULL) return err;
    if (*e & PTE_P) return E_EXISTS;
    pte_t v = (pa & PTE_ADDR) | PTE_P;
    if (flags & VM_W) v |= PTE_W;
    if (flags & VM_USER) v |= PTE_U;
    if (!(flags & VM_X)) v |= PTE_NX;
    *e = v;
    return OK;
}

enum status arch_pt_unmap(paddr_t root, vaddr_t va, paddr_t *old)
{
    if ((va & 0xfff) || !vm_user_range_ok(va, 0x1000)) return E_INVAL;
    enum status err = OK;
    pte_t *e = walk(root, va, NULL, NULL, &err);
    if (e == NULL || !(*e & PTE_P)) return E_NOENT;
    if (old) *old = *e & PTE_ADDR;
    *e = 0;
    return OK;
}

enum status arch_pt_lookup(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *flags)
{
    if (!vm_user_range_ok(va & ~0xfffull, 0x1000)) return E_INVAL;
    enum status err = OK;
    pte_t *e = walk(root, va, NULL, NULL, &err);
    if (e == NULL || !(*e & PTE_P)) return E_NOENT;
    if (pa) *pa = (*e & PTE_ADDR) | (va & 0xfff);
    if (flags) {
        unsigned f = VM_R;
        if (*e & PTE_W) f |= VM_W;
        if (!(*e & PTE_NX)) f |= VM_X;
        if (*e & PTE_U) f |= VM_USER;
        *flags = f;
    }
    return OK;
}

static void destroy_level(pte_t *t, int level, vaddr_t base, pt_leaf_fn leaf, pt_free_fn free_table,
                          void *ctx)
{
    unsigned n = level == 3 ? USER_PML4_ENTRIES : 512;
    for (unsigned i = 0; i < n; i++) {
        if (!(t[i] & PTE_P)) continue;
        vaddr_t va = base + ((vaddr_t)i << (12 + 9 * level));
        paddr_t pa = t[i] & PTE_ADDR;
        if (level == 0) {
            if (leaf) leaf(ctx, va, pa);
        } else {
            destroy_level(table(pa), level - 1, va, leaf, free_table, ctx);
            free_table(ctx, pa);
        }
        t[i] = 0;
    }
}

/* Reports every user leaf to `leaf` and frees every user table; the root stays. */
void arch_pt_destroy(paddr_t root, pt_leaf_fn leaf, pt_free_fn free_table, void *ctx)
{
    destroy_level(table(root), 3, 0, leaf, free_table, ctx);
}
