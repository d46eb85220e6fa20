/* SPDX-License-Identifier: MIT */
/*
 * A worker: calls each of its declared channels ROUNDS times, recording the guest
 * instructions per round trip (rdtsc under -icount counts instructions), then serves its own
 * services until idle (one thread, so receivers under `none` see the id the loader declared). Under
 * clans a call across clans passes every chief on the way; the other backends deliver it directly:
 * the difference is the cost.
 */
#include "scn.h"

#define ROUNDS 16

static void call_all(void)
{
    sleep_us(5000); /* the servers are waiting by now */
    const char *ch;
    for (unsigned i = 0; (ch = scn_channel_at(i)) != NULL; i++) {
        word_t dest = (word_t)scn_channel(ch), tag;
        long r = 0;
        unsigned long start = rdtsc();
        unsigned n = 0;
        for (; n < ROUNDS && r == 0; n++)
            r = ipc_call(dest, MSGTAG(1, 0, 0, 0), 50000, 50000, &tag, 0);
        unsigned long per = n ? (rdtsc() - start) / n : 0;
        scn_record("%s: %u calls, %s, %lu instructions per round trip", ch, n, status_text(r), per);
    }
}

static word_t answer(word_t tag, word_t label)
{
    (void)label;
    return MSGTAG(MSGTAG_LABEL(tag) == 1 ? 2 : 0, 0, 0, 0);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    call_all();
    long served = scn_serve(100000, answer);
    printf("%s: served %ld calls\n", scn_self(), served);
    return 0;
}
