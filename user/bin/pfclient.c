/* SPDX-License-Identifier: MIT */
/* Page faults served by a user-level pager (main's arg names it): map, write upgrade, a shared
 * frame, recursive revocation by unmap, and a grant. */
#include "ulib.h"

enum { OP_PEEK = 0x10, OP_REVOKE = 0x11, OP_FAULTS = 0x12, OP_GRANT = 0x13, OP_QUIT = 0x14 };

static word_t ask(word_t pager, word_t op)
{
    word_t tag;
    long r = ipc_call(pager, MSGTAG(op, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, 0);
    return r < 0 ? (word_t)r : utcb()->mr[0];
}

int main(word_t pager)
{
    if (set_handlers(self_task(), pager, 0) < 0) return 1;
    volatile char *p = (volatile char *)0x10000000UL;
    printf("pfclient: reading 0x10000000 (nothing mapped there)\n");
    printf("pfclient: it reads \"%s\"\n", (const char *)p);
    p[0] = 'A';
    printf("pfclient: wrote 'A'; the pager's own copy now starts with '%c' (one shared frame)\n",
           (char)ask(pager, OP_PEEK));
    printf("pfclient: the pager revoked %ld mapping(s) derived from its page\n",
           (long)ask(pager, OP_REVOKE));
    printf("pfclient: reading again: \"%s\"\n", (const char *)p);
    printf("pfclient: the pager saw %ld faults\n", (long)ask(pager, OP_FAULTS));

    utcb()->br[BR_MAP_WINDOW] = FPAGE(0x10002000UL, 12, FPAGE_RWX);
    word_t tag;
    long r = ipc_call(pager, MSGTAG(OP_GRANT, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, 0);
    printf("pfclient: grant -> %s, %u item(s); the page reads \"%s\"\n", status_text(r),
           MSGTAG_ITEMS(tag), (const char *)0x10002000UL);
    ask(pager, OP_QUIT);
    return 0;
}
