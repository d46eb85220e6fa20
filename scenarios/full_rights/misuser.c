/* SPDX-License-Identifier: MIT */
/*
 * full_rights (attacker): asks the server for rights over c_grant and misuses each one it
 * gets: gives the endpoint on to its accomplice over c_acc (the right to give), then binds it
 * to its own thread (the right to bind or receive; without an endpoint from the server, the
 * name it holds for the server: the attempt is still made), and answers whatever then
 * arrives, the server's client's calls among them. The trace decides.
 */
#include "rights.h"
#include "scenarios/common/rpcsvc.h"

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long grant = scn_channel("c_grant"), acc = scn_channel("c_acc");
    if (grant < 0 || acc < 0) return 1;
    sleep_us(3000); /* the server registers, its client makes its first call */
    word_t tag, label;
    scn_accept_names();
    long r =
        ipc_call((word_t)grant, MSGTAG(GRANT_REQ, 0, 0, 0), RPC_IDLE_US, RPC_IDLE_US, &tag, &label);
    long got = r < 0 ? r : scn_got_name(tag);
    if (got < 0) {
        /* nothing to misuse but the name we hold for the server: bind that one */
        scn_record("no endpoint from the server: %s", status_text(got));
        got = grant;
    } else {
        /* the right to give: a send right (a copy of ours, or made from the receive right) */
        unsigned w, it;
        scn_put_name(0, (word_t)got, true, &w, &it);
        word_t gt = MSGTAG(RPC_REQ, w, it, 0);
        if (scn_backend()->revocable && scn_backend()->names == BACKEND_NAMES_GLOBAL)
            gt = put_every_right(RPC_REQ, 0, (word_t)got); /* a monitor's right, mapped on */
        r = ipc_call((word_t)acc, gt, RPC_IDLE_US, RPC_IDLE_US, &tag, &label);
        scn_record("gave endpoint 0x%lx on to the accomplice: %s", got, status_text(r));
        sleep_us(1000); /* the accomplice uses it */
    }
    /* the right to receive: bind it to ourselves */
    r = endpoint_bind((word_t)got, (word_t)self_thread());
    scn_record("bound endpoint 0x%lx to my own thread: %s", got, status_text(r));
    long n = scn_serve(30000, rpc_handle);
    scn_record("%ld messages arrived on my thread", n);
    return 0;
}
