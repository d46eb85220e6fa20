/* SPDX-License-Identifier: MIT */
/* Address spaces: page-table roots with per-space accounting of table and user frames. */
#include "vm.h"
#include "arch.h"
#include "lib/mem.h"
#include "mapdb.h"
#include "pmm.h"

/* Page-table frames are charged to the space that needs them. */
static paddr_t table_alloc(void *ctx)
{
    struct vspace *vs = ctx;
    if (vs->table_frames >= vs->table_quota) return 0;
    paddr_t f = pmm_alloc();
    if (f != 0) vs->table_frames++;
    return f;
}

static void table_free(void *ctx, paddr_t table)
{
    struct vspace *vs = ctx;
    kassert(pmm_free(table) == OK);
    vs->table_frames--;
}

/*
 * A mapping leaves a space: its page-table entry goes; if it was the original (the space
 * allocated the frame), the frame goes back too. Called by the mapping database for every
 * node a revocation removes, in whatever space it lives.
 */
static void mem_revoked(void *ctx, struct mapdb_node *n)
{
    (void)ctx;
    struct vspace *vs = n->space;
    vaddr_t va = n->index * PMM_FRAME;
    paddr_t pa;
    if (arch_pt_unmap(vs->root, va, &pa) == OK && arch_pt_is_active(vs->root))
        arch_tlb_flush_page(va);
    if (n->parent == NULL) {
        kassert(pmm_free(n->object) == OK);
        vs->user_frames--;
    }
}

/* Tearing down a space: each of its mappings is revoked with everything derived from it. */
static void leaf_free(void *ctx, vaddr_t va, paddr_t pa)
{
    struct vspace *vs = ctx;
    struct mapdb_node *n = mapdb_lookup(vs, MAPDB_MEM, va / PMM_FRAME);
    if (n) {
        mapdb_revoke(n, true, mem_revoked, NULL);
    } else {
        kprintf("[kernel] warning: page 0x%lx (frame 0x%lx) had no mapping record\n", va, pa);
    }
}

enum status vspace_create(struct vspace *vs)
{
    *vs = (struct vspace){.table_quota = VSPACE_TABLE_QUOTA, .user_quota = VSPACE_USER_QUOTA};
    vs->root = table_alloc(vs);
    if (vs->root == 0) return E_NOMEM;
    return arch_pt_init_root(vs->root);
}

void vspace_destroy(struct vspace *vs)
{
    if (vs->root == 0) return;
    /* Only the user half goes; a thread may still be running on this root (kernel half). */
    arch_pt_destroy(vs->root, leaf_free, table_free, vs);
    /* The root frame itself is released by vspace_release once nobody runs on it. */
}

enum status vspace_alloc(struct vspace *vs, vaddr_t va, size_t pages, unsigned rights)
{
    if ((va & (PMM_FRAME - 1)) || !vm_user_range_ok(va, pages * PMM_FRAME) ||
        vm_in_utcb_area(va, pages * PMM_FRAME))
        return E_INVAL;
    for (size_t i = 0; i < pages; i++) {
        if (vs->user_frames >= vs->user_quota) return E_NOMEM;
        paddr_t f = pmm_alloc();
        if (f == 0) return E_NOMEM;
        memset(arch_phys_to_virt(f), 0, PMM_FRAME);
        vaddr_t page = va + i * PMM_FRAME;
        struct mapdb_node *n;
        enum status s = mapdb_insert_root(vs, MAPDB_MEM, page / PMM_FRAME, f, rights, &n);
        if (s == OK) {
            s = arch_pt_map(vs->root, page, f, rights | VM_USER, table_alloc, vs);
            if (s != OK) mapdb_revoke(n, true, NULL, NULL);
        }
        if (s != OK) {
            kassert(pmm_free(f) == OK);
            return s;
        }
        vs->user_frames++;
    }
    return OK;
}

enum status vspace_translate(struct vspace *vs, vaddr_t va, unsigned need, paddr_t *pa)
{
    unsigned flags;
    if (arch_pt_lookup(vs->root, va, pa, &flags) != OK) return E_FAULT;
    if (!(flags & VM_USER) || (need & ~flags)) return E_FAULT;
    return OK;
}

/* Walks [uva, uva+len) page by page; each chunk is copied through the direct map. */
static enum status copy_pages(struct vspace *vs, vaddr_t uva, uint8_t *kbuf, size_t len, bool out,
                              unsigned need)
{
    /* Check the whole range first so a failing copy-out leaves nothing half-written. */
    if (!vspace_range_ok(vs, uva, len, need)) return E_FAULT;
    while (len > 0) {
        paddr_t pa;
        vspace_translate(vs, uva, need, &pa);
        size_t chunk = PMM_FRAME - (uva & (PMM_FRAME - 1));
        if (chunk > len) chunk = len;
        uint8_t *k = arch_phys_to_virt(pa);
        if (out)
            memcpy(k, kbuf, chunk);
        else
            memcpy(kbuf, k, chunk);
        uva += chunk;
        kbuf += chunk;
        len -= chunk;
    }
    return OK;
}

enum status vspace_copy_in(struct vspace *vs, void *dst, vaddr_t src, size_t len)
{
    return copy_pages(vs, src, dst, len, false, VM_R);
}

enum status vspace_copy_out(struct vspace *vs, vaddr_t dst, const void *src, size_t len)
{
    return copy_pages(vs, dst, (uint8_t *)src, len, true, VM_W);
}

void vspace_release(struct vspace *vs)
{
    kassert(!arch_pt_is_active(vs->root));
    if (vs->root != 0) table_free(vs, vs->root);
    vs->root = 0;
}

enum status vspace_fill(struct vspace *vs, vaddr_t dst, const void *src, size_t len)
{
    return copy_pages(vs, dst, (uint8_t *)src, len, true, 0);
}

enum status vspace_alloc_pinned(struct vspace *vs, vaddr_t va, paddr_t *pa)
{
    kassert(vm_in_utcb_area(va, PMM_FRAME));
    if (vs->user_frames >= vs->user_quota) return E_NOMEM;
    paddr_t f = pmm_alloc();
    if (f == 0) return E_NOMEM;
    memset(arch_phys_to_virt(f), 0, PMM_FRAME);
    enum status s = arch_pt_map(vs->root, va, f, VM_R | VM_W | VM_USER, table_alloc, vs);
    if (s != OK) {
        kassert(pmm_free(f) == OK);
        return s;
    }
    vs->user_frames++;
    *pa = f;
    return OK;
}

void vspace_free_pinned(struct vspace *vs, vaddr_t va)
{
    paddr_t pa;
    kassert(vm_in_utcb_area(va, PMM_FRAME) && mapdb_lookup(vs, MAPDB_MEM, va / PMM_FRAME) == NULL);
    kassert(arch_pt_unmap(vs->root, va, &pa) == OK);
    if (arch_pt_is_active(vs->root)) arch_tlb_flush_page(va);
    kassert(pmm_free(pa) == OK);
    vs->user_frames--;
}

enum status vspace_free_page(struct vspace *vs, vaddr_t va)
{
    struct mapdb_node *n = mapdb_lookup(vs, MAPDB_MEM, va / PMM_FRAME);
    if (n == NULL) return E_NOENT;
    mapdb_revoke(n, true, mem_revoked, NULL);
    return OK;
}

enum status vspace_map_derived(struct vspace *from, vaddr_t src, struct vspace *to, vaddr_t dst,
                               unsigned rights, bool grant)
{
    struct mapdb_node *n = mapdb_lookup(from, MAPDB_MEM, src / PMM_FRAME);
    if (n == NULL) return E_NOENT;                      /* nothing there: skipped, as in L4 */
    if (vm_in_utcb_area(dst, PMM_FRAME)) return E_PERM; /* the kernel's: see vspace_alloc_pinned */
    rights &= n->rights;
    if (!(rights & VM_R)) return E_PERM;
    struct mapdb_node *old = mapdb_lookup(to, MAPDB_MEM, dst / PMM_FRAME);
    if (old) {
        /* Mapping the same frame again from the same source may add rights the source has. */
        if (old->parent != n || old->object != n->object) return E_EXISTS;
        if ((old->rights | rights) == old->rights) return OK;
        old->rights |= (uint8_t)rights;
        arch_pt_unmap(to->root, dst, NULL);
        if (arch_pt_is_active(to->root)) arch_tlb_flush_page(dst);
        return arch_pt_map(to->root, dst, n->object, old->rights | VM_USER, table_alloc, to);
    }
    if (grant) {
        enum status s = mapdb_move(n, to, dst / PMM_FRAME);
        if (s != OK) return s;
        /* Granting with fewer rights: what was derived from the page may not keep more. */
        if (rights != n->rights) mapdb_revoke(n, false, mem_revoked, NULL);
        arch_pt_unmap(from->root, src, NULL);
        if (arch_pt_is_active(from->root)) arch_tlb_flush_page(src);
        n->rights = (uint8_t)rights;
        s = arch_pt_map(to->root, dst, n->object, rights | VM_USER, table_alloc, to);
        if (s != OK) {
            mapdb_revoke(n, true, mem_revoked, NULL);
            return s;
        }
        if (n->parent == NULL) { /* the frame's ownership moves with it */
            from->user_frames--;
            to->user_frames++;
        }
        return OK;
    }
    struct mapdb_node *child;
    enum status s = mapdb_derive(n, to, dst / PMM_FRAME, rights, &child);
    if (s != OK) return s;
    s = arch_pt_map(to->root, dst, n->object, rights | VM_USER, table_alloc, to);
    if (s != OK) mapdb_revoke(child, true, NULL, NULL);
    return s;
}

enum status vspace_unmap(struct vspace *vs, vaddr_t va, bool self)
{
    struct mapdb_node *n = mapdb_lookup(vs, MAPDB_MEM, va / PMM_FRAME);
    if (n == NULL) return E_NOENT;
    mapdb_revoke(n, self, mem_revoked, NULL);
    return OK;
}

bool vspace_range_ok(struct vspace *vs, vaddr_t va, size_t len, unsigned need)
{
    if (len == 0) return true;
    if (!vm_user_range_ok(va, len)) return false;
    paddr_t pa;
    for (vaddr_t p = va & ~(PMM_FRAME - 1); p < va + len; p += PMM_FRAME)
        if (vspace_translate(vs, p, need, &pa) != OK) return false;
    return true;
}

void vspace_copy_between(struct vspace *src_vs, vaddr_t src, struct vspace *dst_vs, vaddr_t dst,
                         size_t len)
{
    while (len > 0) {
        paddr_t sp, dp;
        kassert(vspace_translate(src_vs, src, VM_R, &sp) == OK);
        kassert(vspace_translate(dst_vs, dst, VM_W, &dp) == OK);
        size_t chunk = PMM_FRAME - (src & (PMM_FRAME - 1));
        size_t dchunk = PMM_FRAME - (dst & (PMM_FRAME - 1));
        if (dchunk < chunk) chunk = dchunk;
        if (chunk > len) chunk = len;
        memcpy(arch_phys_to_virt(dp), arch_phys_to_virt(sp), chunk);
        src += chunk;
        dst += chunk;
        len -= chunk;
    }
}
