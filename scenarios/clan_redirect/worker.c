/* SPDX-License-Identifier: MIT */
/*
 * A worker: calls each of its declared channels ROUNDS times, recording the guest
 * instructions per round trip (rdtsc under -icount counts instructions), then serves its own
 * services until idle through the stubs generated from idl/rpc.idl (one thread, so receivers under
 * `none` see the id the loader declared). Under clans a call across clans passes every chief on the
 * way; the other backends deliver it directly: the difference is the cost.
 */
#include "rpc_idl.h"
#include "scn.h"

#define ROUNDS 16

static void call_all(void)
{
    sleep_us(5000); /* the servers are waiting by now */
    const char *ch;
    for (unsigned i = 0; (ch = scn_channel_at(i)) != NULL; i++) {
        word_t dest = (word_t)scn_channel(ch), label;
        long r = 0;
        unsigned long start = rdtsc();
        unsigned n = 0;
        for (; n < ROUNDS && r == 0; n++)
            r = rpc_req_call_to(dest, 50000, &label); /* the servers are rpcserver */
        unsigned long per = n ? (rdtsc() - start) / n : 0;
        scn_record("%s: %u calls, %s, %lu instructions per round trip", ch, n, status_text(r), per);
    }
}

/* The rpc interface's req (idl/rpc.idl), served by the generated dispatch. */
static long answer(void *ctx, word_t label, word_t *seen)
{
    (void)ctx;
    *seen = label;
    return 0;
}

static const struct rpc_server server = {.req = answer};

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    call_all();
    long served = rpc_serve(&server, NULL, 100000);
    printf("%s: served %ld calls\n", scn_self(), served);
    return 0;
}
