/* SPDX-License-Identifier: MIT */
/* A client whose send blocks at a busy server, through a name its creator then revokes. */
#include "ulib.h"

#define FROM_REVOKER (1UL << 40) /* its creator marks the name; the root's copy does nothing */

int main(word_t arg)
{
    if (!(arg & FROM_REVOKER)) return 0;
    word_t name = arg & ~FROM_REVOKER;
    utcb()->mr[0] = 0x5ec;
    long r = ipc_send(name, MSGTAG(0x77, 1, 0, 0), TIMEOUT_NEVER);
    printf("revokee: its blocked send, after the revocation: %s\n", status_text(r));
    return 0;
}
