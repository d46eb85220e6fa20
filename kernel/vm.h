/* SPDX-License-Identifier: MIT */
/*
 * Address spaces (vspaces): a page-table root plus the accounting of what the space holds.
 * Page-table frames and user frames are charged to the space against quotas, so one task
 * cannot exhaust kernel memory; exhaustion is E_NOMEM, never a crash.
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include "abi/ipc.h"
#include "abi/layout.h"
#include "kernel.h"

/* Generic mapping rights; the arch layer turns them into page-table bits. */
#define VM_R 1u
#define VM_W 2u
#define VM_X 4u
#define VM_USER 8u

struct vspace {
    paddr_t root;
    uint32_t table_frames, table_quota; /* page-table frames, root included */
    uint32_t user_frames, user_quota;   /* frames this space allocated for itself */
};

#define VSPACE_TABLE_QUOTA 128
#define VSPACE_USER_QUOTA 4096 /* 16 MiB */

enum status vspace_create(struct vspace *vs);
/* Frees every user page and table; the root stays until vspace_release (it may be live). */
void vspace_destroy(struct vspace *vs);
void vspace_release(struct vspace *vs);

/* Allocates zeroed frames for [va, va + pages * PAGE_SIZE) and maps them with `rights`. */
enum status vspace_alloc(struct vspace *vs, vaddr_t va, size_t pages, unsigned rights);

/*
 * A zeroed frame mapped read-write at `va` (in the UTCB area) that only the kernel can remove:
 * it has no mapping-database record, so no unmap, map or grant reaches it. *pa: its frame.
 */
enum status vspace_alloc_pinned(struct vspace *vs, vaddr_t va, paddr_t *pa);
void vspace_free_pinned(struct vspace *vs, vaddr_t va);

/* Unmaps one page of this space (and whatever was derived from it) and frees its frame. */
enum status vspace_free_page(struct vspace *vs, vaddr_t va);

/*
 * Map or grant one page from `from` at src to `to` at dst with at most `rights`, recorded in
 * the mapping database. E_NOENT: nothing mapped at src (skipped); E_EXISTS: dst taken by
 * another mapping; E_PERM: no read right; E_NOMEM: database or page-table quota exhausted.
 */
enum status vspace_map_derived(struct vspace *from, vaddr_t src, struct vspace *to, vaddr_t dst,
                               unsigned rights, bool grant);

/* Revokes everything derived from the page at va, and the page itself if `self`. */
enum status vspace_unmap(struct vspace *vs, vaddr_t va, bool self);

enum status vspace_translate(struct vspace *vs, vaddr_t va, unsigned need, paddr_t *pa);

/*
 * Copies between kernel memory and a (possibly non-current) user space through the direct
 * map, page by page. Every byte is checked first, so a bad pointer gives E_FAULT, not a
 * kernel fault.
 */
enum status vspace_copy_in(struct vspace *vs, void *dst, vaddr_t src, size_t len);
enum status vspace_copy_out(struct vspace *vs, vaddr_t dst, const void *src, size_t len);
/* The kernel's own write (loading an image): ignores the page's write right. */
enum status vspace_fill(struct vspace *vs, vaddr_t dst, const void *src, size_t len);

/* True if every page of [va, va + len) is mapped for the user with `need` rights. */
bool vspace_range_ok(struct vspace *vs, vaddr_t va, size_t len, unsigned need);

/* Copies between two user spaces through the direct map; the caller checked both ranges. */
void vspace_copy_between(struct vspace *src_vs, vaddr_t src, struct vspace *dst_vs, vaddr_t dst,
                         size_t len);

/* True if [va, va + len) lies inside the user half (no wrap-around). */
static inline bool vm_user_range_ok(vaddr_t va, size_t len)
{
    return va >= USER_MIN && va < USER_TOP && len <= USER_TOP - va;
}

/* True if [va, va + len) touches the UTCB area, where only the kernel places pages. */
static inline bool vm_in_utcb_area(vaddr_t va, size_t len)
{
    return va < UTCB_AREA + UTCB_AREA_PAGES * PAGE_SIZE && va + len > UTCB_AREA;
}

#endif
