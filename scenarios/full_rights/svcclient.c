/* SPDX-License-Identifier: MIT */
/*
 * full_rights: the server's client. Looks up "svc" (until the server has registered it) and calls
 * it once, then CALLS more times from 10 ms on, 2 ms apart, each answer recorded with who gave it.
 */
#include "scenarios/common/rpcsvc.h"

#define CALLS 5

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long svc = -E_NOENT;
    for (int i = 0; i < 20 && svc < 0; i++) { /* until the server has registered */
        sleep_us(1000);
        svc = ns_lookup("svc");
    }
    char text[RPC_TEXT_MAX + 1];
    long r = svc < 0 ? svc : rpc_ping((word_t)svc, text, sizeof(text));
    scn_record("\"svc\" is 0x%lx; first call: %s%s%s", svc, status_text(r), r ? "" : ", ",
               r ? "" : text);
    if (svc < 0) return 1;
    sleep_us(9000);
    for (int i = 0; i < CALLS; i++) {
        r = rpc_ping((word_t)svc, text, sizeof(text));
        scn_record("call %d: %s%s%s", i + 2, status_text(r), r ? "" : ", ", r ? "" : text);
        sleep_us(2000);
    }
    return 0;
}
