/* SPDX-License-Identifier: MIT */
/* A user-level exception handler and pager: answers fault IPCs (see abi/ipc.h); it exits
 * after it has had a task killed, which ends the test. */
#include "ulib.h"

int main(void)
{
    word_t tag, label;
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    while (r == 0) {
        struct utcb *u = utcb();
        word_t w0 = u->mr[0], w1 = u->mr[1], ip = u->mr[2];
        word_t reply;
        if (MSGTAG_LABEL(tag) == IPC_LABEL_EXCEPTION && w0 == 6) {
            printf("exchandler: thread %lu: invalid instruction at 0x%lx; resuming after it\n",
                   label, ip);
            u->mr[0] = ip + 2; /* ud2 is two bytes */
            reply = MSGTAG(0, 1, 0, 0);
        } else if (MSGTAG_LABEL(tag) == IPC_LABEL_EXCEPTION) {
            printf("exchandler: thread %lu: exception %lu at 0x%lx; resuming\n", label, w0, ip);
            reply = MSGTAG(0, 0, 0, 0);
        } else if (MSGTAG_LABEL(tag) == IPC_LABEL_PAGEFAULT) {
            printf("exchandler: thread %lu: page fault at 0x%lx (access %lu) ip 0x%lx; refusing\n",
                   label, w0, w1, ip);
            reply = MSGTAG(IPC_LABEL_KILL, 0, 0, 0);
        } else {
            printf("exchandler: unexpected message label 0x%lx\n", MSGTAG_LABEL(tag));
            reply = MSGTAG(IPC_LABEL_KILL, 0, 0, 0);
        }
        if (MSGTAG_LABEL(reply) == IPC_LABEL_KILL) {
            ipc_reply(reply); /* the test is over once the victim is gone */
            return 0;
        }
        r = ipc_reply_wait(reply, TIMEOUT_NEVER, &tag, &label);
    }
    return 0;
}
