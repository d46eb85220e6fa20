/* SPDX-License-Identifier: MIT */
/*
 * An attacker of reply_misuse.scn: answers the client's call to `good` in good's place. It
 * was never called, so it holds no reply capability; it tries a reply anyway, then sends a
 * forged response (proto 2, mr[0] = 0x600d, good's word) to every name it can form (global ids
 * under none, capability slots under capgate) while the client waits for good's answer: with
 * timeout zero, then, to every name that exists but was not receiving, with a 4 ms timeout.
 */
#include "scn.h"

static long send_forged(word_t name, uint32_t timeout)
{
    utcb()->mr[0] = 0x600d;
    return ipc_send(name, MSGTAG(2, 1, 0, 0), timeout);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    const char *me = scn_self();
    bool local = scn_backend()->names == BACKEND_NAMES_LOCAL; /* slots, not global ids */
    sleep_us(15000); /* the client has given up on slow and waits for good (about 13..63 ms) */

    utcb()->mr[0] = 0x600d;
    long reply = ipc_reply(MSGTAG(2, 1, 0, 0)), r;
    printf("%s: a reply without having been called: %s\n", me, status_text(reply));

    static word_t candidates[64];
    unsigned ncand = 0, delivered = 0, late = 0;
    word_t limit = local ? 256 : 1024, self = self_thread();
    for (word_t s = 1; s < limit; s++) {
        if (s == self) continue;
        r = send_forged(s, TIMEOUT_ZERO);
        if (r == 0) {
            delivered++;
            printf("%s: a forged response to name %lu was delivered (someone in an open wait)\n",
                   me, s);
        } else if (r == -E_SEND_TIMEOUT && ncand < 64) {
            candidates[ncand++] = s;
        }
    }
    printf("%s: %u names exist but are not receiving; trying each for 4 ms\n", me, ncand);
    for (unsigned i = 0; i < ncand; i++) {
        unsigned long t0 = clock_us();
        r = send_forged(candidates[i], 4000);
        printf("%s: at %lu ms, forged response to name %lu (4 ms): %s\n", me, t0 / 1000,
               candidates[i], status_text(r));
        if (r == 0) late++;
    }
    scn_record("a reply without a call: %s; forged responses taken by someone: %u with timeout "
               "zero, %u with 4 ms (the client's record decides)",
               status_text(reply), delivered, late);
    return 0;
}
