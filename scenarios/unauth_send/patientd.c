/* SPDX-License-Identifier: MIT */
/*
 * slow_probe: the victim. Serves requests (recording unsolicited ones, as victimd does) for
 * LIFETIME_US of virtual time, whatever comes or does not come, then ends.
 */
#include "scenarios/common/rpcsvc.h"

#define LIFETIME_US 1500000

static int unsolicited;

static word_t handle(word_t tag, word_t label)
{
    if (MSGTAG_FLAGS(tag) & (MSGTAG_F_NOTIFY | MSGTAG_F_REDIRECTED)) return ~0ul;
    if (scn_sender(label) == NULL && unsolicited++ == 0)
        scn_record("unsolicited message (proto 0x%lx, label 0x%lx)", MSGTAG_LABEL(tag), label);
    return rpc_handle(tag, label);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    unsigned long t0 = clock_us();
    long served = 0;
    while (clock_us() - t0 < LIFETIME_US) {
        long n = scn_serve(RPC_IDLE_US, handle);
        if (n < 0) return 1;
        served += n;
    }
    scn_record("served %ld messages in %d ms, %d unsolicited", served, LIFETIME_US / 1000,
               unsolicited);
    return 0;
}
