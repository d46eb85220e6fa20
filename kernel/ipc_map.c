/* SPDX-License-Identifier: MIT */
/*
 * Map and grant items: flexpages from the sender's space into the receiver's window. Memory
 * is the kernel's own kind, recorded in the mapping database; every other kind belongs to the
 * backend (policy_map_item).
 */
#include "ipc.h"
#include "policy.h"
#include "trace.h"

#define MAP_ITEM_MAX_ORDER 22 /* one item moves at most 4 MiB: the kernel is not preemptible */

enum status ipc_transfer_map(struct thread *from, struct thread *to, word_t hdr, word_t fpage,
                             word_t *out)
{
    if (ITEM_MAP_KIND(hdr) >= FPAGE_KIND_BACKEND) {
        /* names (capabilities, ...) handed over in a message: an authority record */
        enum status s = policy_map_item(from, to, hdr, fpage, out);
        trace_auth(TRACE_OP_NAME_GIVE, from, NULL, to, fpage, hdr, s);
        return s;
    }
    if (ITEM_MAP_KIND(hdr) != FPAGE_KIND_MEM) return E_INVAL;

    /* A fault reply may map anywhere in the faulting space; otherwise the receive window. */
    word_t window = to->in_fault ? FPAGE(0, 47, FPAGE_RWX) : to->utcb->br[BR_MAP_WINDOW];
    unsigned s_order = FPAGE_ORDER(fpage), w_order = FPAGE_ORDER(window);
    if (window == 0) return E_MAPFAIL;
    if (s_order < 12 || s_order > MAP_ITEM_MAX_ORDER || w_order < 12 || w_order > 47)
        return E_INVAL;
    word_t s_size = 1ul << s_order, w_size = 1ul << w_order;
    word_t src = FPAGE_BASE(fpage) & ~(s_size - 1), win = FPAGE_BASE(window) & ~(w_size - 1);
    word_t hot = ITEM_MAP_HOTSPOT(hdr), dst, size;
    /* L4's rule: the smaller of the two flexpages decides how much moves, and the hotspot
     * picks where the small one sits inside the large one. */
    if (s_order <= w_order) {
        dst = win + ((hot & (w_size - 1)) & ~(s_size - 1));
        size = s_size;
    } else {
        src += (hot & (s_size - 1)) & ~(w_size - 1);
        dst = win;
        size = w_size;
    }
    unsigned rights = FPAGE_RIGHTS(fpage) & FPAGE_RWX; /* FPAGE_R/W/X are VM_R/W/X */
    bool grant = ITEM_TYPE(hdr) == ITEM_GRANT;
    unsigned moved = 0;
    for (word_t off = 0; off < size; off += 4096) {
        enum status s =
            vspace_map_derived(&from->task->vs, src + off, &to->task->vs, dst + off, rights, grant);
        if (s == OK)
            moved++;
        else if (s == E_NOMEM)
            return E_MAPFAIL;
        /* E_NOENT (nothing there), E_EXISTS (slot taken), E_PERM: that page is skipped */
    }
    out[0] = hdr;
    out[1] = FPAGE(dst, s_order < w_order ? s_order : w_order, rights);
    return moved ? OK : E_MAPFAIL;
}
