/* SPDX-License-Identifier: MIT */
/*
 * confused_deputy: the compiler. It uses its own channel to billing once (its legitimate
 * write), then serves compile requests: each carries a name designating where the output goes
 * (scn_put_name: a word under global names, a mapped right under task-local ones); the
 * compiler sends the output there with its own authority, then answers. A request without a
 * usable name is answered with an error and nothing is written.
 */
#include "scenarios/common/rpcsvc.h"

#define OUT_PROTO 1 /* the output, sent as a request of the rpc contract */

static word_t handle(word_t tag, word_t label)
{
    if (MSGTAG_FLAGS(tag) & (MSGTAG_F_NOTIFY | MSGTAG_F_REDIRECTED)) return ~0ul;
    long out = scn_got_name(tag);
    long r = out;
    if (out >= 0) {
        utcb()->mr[0] = 0xc0de; /* the "object code" */
        r = ipc_send((word_t)out, MSGTAG(OUT_PROTO, 1, 0, 0), 2000);
    }
    static unsigned written;
    if (r == 0 && written++ < 4)
        scn_record("wrote output for %s to the name it designated (0x%lx)", rpc_who(label), out);
    utcb()->mr[0] = (word_t)r;
    scn_accept_names(); /* the next request's designation gets a fresh slot */
    return MSGTAG(RPC_RESP, 1, 0, 0);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    char text[RPC_TEXT_MAX + 1];
    long bill = scn_channel("c_bill");
    long r = bill < 0 ? bill : rpc_ping((word_t)bill, text, sizeof(text));
    scn_record("billed through my own channel c_bill (name 0x%lx): %s", bill, status_text(r));
    if (rpc_register("comp_svc", "compiler") < 0) return 1;
    scn_accept_names();
    return rpc_serve_with(handle);
}
