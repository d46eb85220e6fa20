/* SPDX-License-Identifier: MIT */
/* The capgate test server (see capclient.c): reports the label each request arrived with. */
#include "ulib.h"

enum { OP_HELLO = 1, OP_DOUBLE_REPLY = 2, OP_TAKE_CAP = 3, OP_USE_CAP = 4, OP_QUIT = 5 };
#define WINDOW_SLOT 64 /* received capabilities land in slots 64..127 */

int main(void)
{
    word_t tag, label, held = 0;
    utcb()->br[BR_OBJ_WINDOW] = FPAGE((word_t)WINDOW_SLOT << 12, 6, FPAGE_RWX);
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    while (r == 0) {
        struct utcb *u = utcb();
        word_t reply = MSGTAG(0, 0, 0, 0);
        switch (MSGTAG_LABEL(tag)) {
        case OP_HELLO:
            printf("capserver: hello arrived with label 0x%lx\n", label);
            u->mr[0] = label;
            reply = MSGTAG(0, 1, 0, 0);
            break;
        case OP_DOUBLE_REPLY:
            printf("capserver: first reply -> %s\n", status_text(ipc_reply(0)));
            printf("capserver: second reply -> %s\n", status_text(ipc_reply(0)));
            r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
            continue;
        case OP_TAKE_CAP: {
            word_t f = u->mr[MSGTAG_WORDS(tag) + 1];
            held = FPAGE_BASE(f) >> 12;
            printf("capserver: received a capability by object flexpage, now in slot %lu\n", held);
            break;
        }
        case OP_USE_CAP: {
            word_t rt;
            long c = ipc_call(held, MSGTAG(9, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &rt, 0);
            printf("capserver: call through the delegated capability -> %s\n", status_text(c));
            u->mr[0] = (word_t)c;
            reply = MSGTAG(0, 1, 0, 0);
            break;
        }
        case OP_QUIT:
            ipc_reply(0);
            return 0;
        }
        r = ipc_reply_wait(reply, TIMEOUT_NEVER, &tag, &label);
    }
    printf("capserver: receive failed: %s\n", status_text(r));
    return 1;
}
