/* SPDX-License-Identifier: MIT */
/*
 * revoke_blocked (attacker): asks the owner for its right to the server, calls the server
 * through it at once (the server is busy: the send waits, or queues), and, after the owner's
 * revocation, calls once more through the same name. Only a delivery after the owner revoked
 * counts (`until revoke owner`); the trace decides.
 */
#include "scenarios/common/rpcsvc.h"

static void try_call(long name, uint32_t send_us, const char *when)
{
    word_t tag, label;
    long r = ipc_call((word_t)name, MSGTAG(RPC_REQ, 0, 0, 0), send_us, 20000, &tag, &label);
    scn_record("%s call through the delegated name 0x%lx: %s", when, name, status_text(r));
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long own = scn_channel("c_own");
    if (own < 0) return 1;
    sleep_us(2000); /* the owner waits for the request */
    word_t tag, label;
    scn_accept_names();
    long r =
        ipc_call((word_t)own, MSGTAG(RPC_REQ, 0, 0, 0), RPC_IDLE_US, RPC_IDLE_US, &tag, &label);
    long got = r < 0 ? r : scn_got_name(tag);
    if (got < 0) {
        scn_record("no right from the owner: %s", status_text(got));
        return 0;
    }
    try_call(got, 60000, "first (blocks at the busy server)");
    sleep_us(5000);
    try_call(got, 5000, "second (after the revocation)");
    return 0;
}
