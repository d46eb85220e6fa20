/* SPDX-License-Identifier: MIT */
/* A service nobody was given a name for: it records every message that reaches it anyway. */
#include "ulib.h"

int main(void)
{
    word_t tag, label, first = 0;
    int got = 0;
    unsigned long start = clock_us();
    while (clock_us() - start < 200000) {
        long r = ipc_wait(20000, &tag, &label);
        if (r == 0) {
            if (got++ == 0) first = label;
            if (MSGTAG_FLAGS(tag) == 0) ipc_reply(0);
        }
    }
    printf("victim: received %d unsolicited message%s", got, got == 1 ? "" : "s");
    if (got) printf(" (first with label 0x%lx)", first);
    printf("\n");
    return 0;
}
