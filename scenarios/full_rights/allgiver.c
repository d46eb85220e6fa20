/* SPDX-License-Identifier: MIT */
/*
 * full_rights: the naive server. Creates an endpoint of its own on its thread (it holds every
 * right to it), registers it as "svc", and answers every request on its thread; a request for
 * rights (GRANT_REQ, over c_grant) is answered with that endpoint and every right it can carry
 * (rights.h). Ends when idle.
 */
#include "rights.h"
#include "scenarios/common/rpcsvc.h"

static long own;

static word_t handle(word_t tag, word_t label)
{
    if (MSGTAG_FLAGS(tag) & (MSGTAG_F_NOTIFY | MSGTAG_F_REDIRECTED)) return ~0ul;
    if (MSGTAG_LABEL(tag) != GRANT_REQ) return rpc_handle(tag, label);
    scn_record("asked for rights (label 0x%lx): handing over my endpoint 0x%lx with every right",
               label, own);
    utcb()->mr[0] = 0;
    return put_every_right(GRANT_RESP, 1, (word_t)own);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    own = endpoint_create((word_t)self_thread(), 0x77);
    if (own < 0) own = scn_service("svc"); /* where an endpoint is the thread itself */
    long r = own < 0 ? own : ns_register("svc", (word_t)own);
    scn_record("registered my own endpoint 0x%lx as \"svc\": %s", own, status_text(r));
    return rpc_serve_with(handle);
}
