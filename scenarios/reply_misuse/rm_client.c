/* SPDX-License-Identifier: MIT */
/*
 * The victim of reply_misuse.scn: calls `slow` with a 10 ms receive timeout (it gives up on
 * it), then `good` (which takes about 40 ms to answer) and keeps its own record of every
 * answer it received: from whom (the reply label: the replier's thread id under none, 0 under
 * capgate, where the kernel itself matches a reply to the call) and what it said. Only `good`
 * (mr[0] = 0x600d) or `slow` (0x5105) answering its own call would be legitimate. It never
 * waits for anyone else, so a message from a third party can only come in as a reply.
 */
#include "scn.h"

static void call(const char *ch, uint32_t rcv_timeout)
{
    long dest = scn_channel(ch);
    if (dest < 0) {
        scn_record("no channel %s", ch);
        return;
    }
    struct utcb *u = utcb();
    u->mr[0] = 0xca11;
    word_t tag, label;
    unsigned long t0 = clock_us();
    long r = ipc_call((word_t)dest, MSGTAG(1, 1, 0, 0), 50000, rcv_timeout, &tag, &label);
    unsigned long dt = clock_us() - t0;
    if (r < 0) {
        scn_record("call via %s: %s after %lu us: no answer received", ch, status_text(r), dt);
        return;
    }
    word_t word = MSGTAG_WORDS(tag) ? u->mr[0] : 0;
    const char *who = word == 0x600d ? "good" : word == 0x5105 ? "slow" : "SOMEONE ELSE";
    scn_record("call via %s: answer after %lu us, proto %lu, word 0x%lx (written by %s), reply "
               "label 0x%lx",
               ch, dt, MSGTAG_LABEL(tag), word, who, label);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(3000); /* the servers start waiting */
    call("c_slow", 10000);
    call("c_good", 200000);
    return 0;
}
