/* SPDX-License-Identifier: MIT */
/*
 * A user-level pager: resolves its clients' page faults in [0x10000000, 0x10001000) by
 * mapping one of its own pages; on request it revokes that mapping again (unmap) or grants a
 * page away for good. See pfclient.c.
 */
#include "ulib.h"

enum { OP_PEEK = 0x10, OP_REVOKE = 0x11, OP_FAULTS = 0x12, OP_GRANT = 0x13, OP_QUIT = 0x14 };
#define SERVED 0x10000000UL

static char shared[4096] __attribute__((aligned(4096))) = "a page that belongs to the pager";
static char gift[4096] __attribute__((aligned(4096))) = "a page granted for good";

int main(void)
{
    word_t tag, label;
    int faults = 0;
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    while (r == 0) {
        struct utcb *u = utcb();
        word_t reply = MSGTAG(0, 0, 0, 0);
        switch (MSGTAG_LABEL(tag)) {
        case IPC_LABEL_PAGEFAULT: {
            word_t addr = u->mr[0], access = u->mr[1];
            faults++;
            if ((addr & ~0xfffUL) != SERVED) {
                printf("pagerd: fault at 0x%lx is outside what I serve\n", addr);
                reply = MSGTAG(IPC_LABEL_KILL, 0, 0, 0);
                break;
            }
            unsigned rights = access == FPAGE_W ? FPAGE_R | FPAGE_W : FPAGE_R;
            printf("pagerd: fault %d at 0x%lx (%s); mapping my page %s\n", faults, addr,
                   access == FPAGE_W ? "write" : "read",
                   rights & FPAGE_W ? "read-write" : "read-only");
            u->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_MEM, addr);
            u->mr[1] = FPAGE((word_t)shared, 12, rights);
            reply = MSGTAG(0, 0, 1, 0);
            break;
        }
        case OP_PEEK:
            u->mr[0] = (word_t)shared[0];
            reply = MSGTAG(0, 1, 0, 0);
            break;
        case OP_REVOKE:
            u->mr[0] = (word_t)unmap(FPAGE((word_t)shared, 12, 0), 0); /* what others got from it */
            reply = MSGTAG(0, 1, 0, 0);
            break;
        case OP_FAULTS:
            u->mr[0] = (word_t)faults;
            reply = MSGTAG(0, 1, 0, 0);
            break;
        case OP_GRANT:
            u->mr[0] = ITEM_MAP_HDR(ITEM_GRANT, FPAGE_KIND_MEM, 0);
            u->mr[1] = FPAGE((word_t)gift, 12, FPAGE_R | FPAGE_W);
            reply = MSGTAG(0, 0, 1, 0);
            break;
        case OP_QUIT:
            printf("pagerd: after the grant, unmapping the gift finds %ld pages\n",
                   unmap(FPAGE((word_t)gift, 12, 0), UNMAP_SELF));
            ipc_reply(0);
            return 0;
        }
        r = ipc_reply_wait(reply, TIMEOUT_NEVER, &tag, &label);
    }
    printf("pagerd: receive failed: %s\n", status_text(r));
    return 1;
}
