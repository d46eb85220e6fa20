/* SPDX-License-Identifier: MIT */
/*
 * cap_leak (attacker): asks the leaker for rights over its legitimate channel c_leaker, takes
 * whatever name arrives with the answer, and calls the secret service through it. Under none
 * the name is the secret service's global thread id and the call goes through; under capgate
 * the leaker's capability has no give right, so nothing was mapped and the slot is empty.
 * The trace (evil -> secret delivered or not) decides the verdict.
 */
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
    char text[RPC_TEXT_MAX + 1];
    r = rpc_ping((word_t)got, text, sizeof(text));
    if (r == 0)
        scn_record("called the secret service through it: \"%s\"", text);
    else
        scn_record("calling the secret service through it failed: %s", status_text(r));
    return 0;
}
