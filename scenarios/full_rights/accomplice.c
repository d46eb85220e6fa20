/* SPDX-License-Identifier: MIT */
/*
 * full_rights (attacker): takes the name the attacker hands it over c_acc, answers, and calls
 * the server through it twice. The trace decides whether that reached the server.
 */
#include "scenarios/common/rpcsvc.h"

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    word_t tag, label;
    scn_accept_names();
    long r = ipc_wait(RPC_IDLE_US, &tag, &label);
    long got = r < 0 ? r : scn_got_name(tag);
    if (r == 0) ipc_reply(MSGTAG(RPC_RESP, 0, 0, 0));
    if (got < 0) {
        scn_record("no name from the attacker: %s", status_text(got));
        return 0;
    }
    char text[RPC_TEXT_MAX + 1];
    for (int i = 0; i < 2; i++) {
        r = rpc_ping((word_t)got, text, sizeof(text));
        scn_record("call through the name 0x%lx it gave me: %s%s%s", got, status_text(r),
                   r ? "" : ", ", r ? "" : text);
    }
    return 0;
}
