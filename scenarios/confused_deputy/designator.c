/* SPDX-License-Identifier: MIT */
/*
 * confused_deputy (attacker): calls the compiler over its own channel, designating as the
 * output every name it can form: 1..DESIGNATE_MAX. Under global names those are thread ids,
 * billing's among them; under task-local names they are slots of its own space, and a slot it
 * holds no right in cannot be passed on (the call fails at the map). The trace decides.
 */
#include "scenarios/common/rpcsvc.h"

#define DESIGNATE_MAX 64

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long comp = scn_channel("c_comp");
    if (comp < 0) return 1;
    sleep_us(5000); /* the compiler bills and registers first */
    int ok = 0, failed = 0;
    for (word_t name = 1; name <= DESIGNATE_MAX; name++) {
        unsigned w, it;
        scn_put_name(0, name, false, &w, &it);
        word_t tag, label;
        long r = ipc_call((word_t)comp, MSGTAG(RPC_REQ, w, it, 0), RPC_IDLE_US, RPC_IDLE_US, &tag,
                          &label);
        if (r == 0 && (long)utcb()->mr[0] == 0)
            ok++;
        else
            failed++;
    }
    scn_record("designated names 1..%d: the compiler wrote %d outputs, %d requests failed",
               DESIGNATE_MAX, ok, failed);
    return 0;
}
