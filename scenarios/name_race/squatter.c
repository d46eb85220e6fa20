/* SPDX-License-Identifier: MIT */
/*
 * name_race (attacker): registers "fs" at once, before the real file server has finished its
 * start-up, with an endpoint of its own. Under flat naming the claim wins and the client's
 * requests come here (it answers them with forged data); under hierarchical naming the parent
 * refuses the claim and nobody ever calls. The trace, not this task, decides the verdict.
 */
#include "scenarios/common/rpcsvc.h"

enum { FS_OPEN = 1, FS_READ = 2, FS_DATA = 3, FS_ERROR = 4 };
#define EVIL_LABEL 0xe0 /* what this task sees on its own endpoint (capgate) */

static word_t handle(word_t tag, word_t label)
{
    if (MSGTAG_FLAGS(tag) & (MSGTAG_F_NOTIFY | MSGTAG_F_REDIRECTED)) return ~0ul;
    scn_record("hijacked a request: proto %lu from %s (label 0x%lx)", MSGTAG_LABEL(tag),
               rpc_who(label), label);
    if (MSGTAG_LABEL(tag) == FS_OPEN) {
        utcb()->mr[0] = 7; /* any handle will do */
        return MSGTAG(FS_DATA, 1, 0, 0);
    }
    if (MSGTAG_LABEL(tag) == FS_READ) {
        char text[RPC_TEXT_MAX + 1];
        snprintf(text, sizeof(text), "forged by %s", scn_self());
        return MSGTAG(FS_DATA, rpc_put_text(0, text), 0, 0);
    }
    utcb()->mr[0] = (word_t)-E_INVAL;
    return MSGTAG(FS_ERROR, 1, 0, 0);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long ep = endpoint_create(self_thread(), EVIL_LABEL);
    if (ep < 0) {
        printf("%s: no endpoint of my own: %s\n", scn_self(), status_text(ep));
        return 1;
    }
    long r = ns_register("fs", (word_t)ep);
    scn_record("claiming \"fs\" with the %s name service: %s",
               scn_naming_flat() ? "flat" : "parent's", status_text(r));
    if (r < 0) return 0; /* nobody can find this task: nothing to wait for */
    return rpc_serve_with(handle);
}
