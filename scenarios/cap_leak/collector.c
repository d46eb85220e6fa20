/* SPDX-License-Identifier: MIT */
/*
 * cap_leak (attacker): asks the leaker for rights over its legitimate channel c_leaker, takes
 * whatever name arrives with the answer, and calls the secret service through it. Under none
 * the name is the secret service's global thread id and the call goes through; under capgate
 * the leaker's capability has no give right, so nothing was mapped and the slot is empty.
 * The trace (evil -> secret delivered or not) decides the verdict.
 */
#include "rpc_idl.h"
#include "scenarios/common/rpcsvc.h"

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long leaker = scn_channel("c_leaker");
    if (leaker < 0) {
        printf("%s: no channel to the leaker: %s\n", scn_self(), status_text(leaker));
        return 1;
    }
    sleep_us(5000); /* the leaker uses its own rights first */
    word_t tag, label;
    scn_accept_names();
    long r =
        ipc_call((word_t)leaker, MSGTAG(RPC_REQ, 0, 0, 0), RPC_IDLE_US, RPC_IDLE_US, &tag, &label);
    if (r < 0 || MSGTAG_LABEL(tag) != RPC_RESP) {
        scn_record("asking the leaker failed: %s", status_text(r));
        return 1;
    }
    long got = scn_got_name(tag);
    if (got < 0) {
        scn_record("the leaker's answer carried no name: %s", status_text(got));
        return 0;
    }
    scn_record("the leaker handed over name 0x%lx", got);
    word_t seen = 0;
    r = rpc_req_call_to((word_t)got, RPC_IDLE_US, &seen); /* the secret is an rpcserver */
    if (r == 0)
        scn_record("called the secret service through it: it saw label 0x%lx", seen);
    else
        scn_record("calling the secret service through it failed: %s", status_text(r));
    return 0;
}
