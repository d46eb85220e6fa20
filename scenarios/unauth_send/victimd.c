/* SPDX-License-Identifier: MIT */
/*
 * unauth_send: the victim, scn-aware (user/bin/victim.c is the boot test's). It serves its
 * declared channel c_victim and records every message with the channel it came through; one
 * that came through no declared channel is recorded as unsolicited. Sends (the prober's) get
 * no reply. The trace (prober -> victim delivered or not) decides the verdict.
 */
#include "scenarios/common/rpcsvc.h"

static int unsolicited;

static word_t handle(word_t tag, word_t label)
{
    if (MSGTAG_FLAGS(tag) & (MSGTAG_F_NOTIFY | MSGTAG_F_REDIRECTED)) return ~0ul;
    if (scn_sender(label) == NULL) {
        if (unsolicited++ == 0)
            scn_record("unsolicited message (proto 0x%lx, label 0x%lx)", MSGTAG_LABEL(tag), label);
    }
    return rpc_handle(tag, label);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    int r = rpc_serve_with(handle);
    scn_record("%d unsolicited message%s in all", unsolicited, unsolicited == 1 ? "" : "s");
    return r;
}
