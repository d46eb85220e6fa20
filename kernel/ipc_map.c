/* SPDX-License-Identifier: MIT */
/* Map and grant items: flexpages from the sender's space into the receiver's window. Memory
 * is the kernel's own kind; every other kind belongs to the backend. */
#include "ipc.h"
#include "policy.h"

enum status ipc_transfer_map(struct thread *from, struct thread *to, word_t hdr, word_t fpage,
                             word_t *out)
{
    if (ITEM_MAP_KIND(hdr) >= FPAGE_KIND_BACKEND) return policy_map_item(from, to, hdr, fpage, out);
    return E_MAPFAIL; /* memory map items: refused until the mapping database is wired in */
}
