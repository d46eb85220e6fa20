/* SPDX-License-Identifier: MIT */
/*
 * dead_name: the service registers "svc", answers exactly one request, and ends: its thread,
 * its endpoints and its id are gone (the name service keeps the registration).
 */
#include "scenarios/common/rpcsvc.h"

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    if (rpc_register("svc", "svc") < 0) return 1;
    word_t tag, label;
    long r = ipc_wait(RPC_IDLE_US, &tag, &label);
    if (r == 0) r = ipc_reply(rpc_handle(tag, label));
    scn_record("answered one request (%s); ending", status_text(r));
    return 0;
}
