/* SPDX-License-Identifier: MIT */
/* Map and grant items: flexpages from the sender's space into the receiver's window. */
#include "ipc.h"

enum status ipc_transfer_map(struct thread *from, struct thread *to, word_t hdr, word_t fpage,
                             word_t *out)
{
    (void)from, (void)to, (void)hdr, (void)fpage, (void)out;
    return E_MAPFAIL; /* map items are refused until the mapping database is wired in */
}
