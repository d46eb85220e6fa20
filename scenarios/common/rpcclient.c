/* SPDX-License-Identifier: MIT */
/* A generic client: calls each of its declared channels once through the generated stub
 * rpc_req_call (idl/rpc.idl: request proto 1 with the opcode, answer proto 2) and records the
 * answer. */
#include "rpc_idl.h"
#include "scn.h"

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(2000); /* let the servers start waiting */
    const char *ch;
    for (unsigned i = 0; (ch = scn_channel_at(i)) != NULL; i++) {
        word_t label = 0;
        long r = rpc_req_call_to((word_t)scn_channel(ch), 50000, &label);
        scn_record("call via %s: %s, answer proto %lu", ch, status_text(r), r == 0 ? rpc_REPLY : 0);
    }
    return 0;
}
