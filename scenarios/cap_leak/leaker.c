/* SPDX-License-Identifier: MIT */
/*
 * cap_leak: holds c_secret (send only) and c_print (send and give) legitimately and uses both
 * once. Then it serves c_leaker: whoever asks gets the leaker's name for the secret service in
 * the answer (as an object flexpage under capgate, a plain word under none). Whether that
 * passes anything on is the backend's business: a capability without the give right cannot be
 * mapped, a global thread id always can.
 */
#include "scenarios/common/rpcsvc.h"

static long secret;

static word_t handle(word_t tag, word_t label)
{
    if (MSGTAG_FLAGS(tag) & (MSGTAG_F_NOTIFY | MSGTAG_F_REDIRECTED)) return ~0ul;
    if (MSGTAG_LABEL(tag) != RPC_REQ) return rpc_handle(tag, label);
    scn_record("asked for rights by %s (label 0x%lx): handing on my name 0x%lx for the secret "
               "service",
               rpc_who(label), label, secret);
    unsigned w, it;
    utcb()->mr[0] = 0;
    scn_put_name(1, (word_t)secret, true, &w, &it);
    return MSGTAG(RPC_RESP, w, it, 0);
}

static void use(const char *ch)
{
    char text[RPC_TEXT_MAX + 1];
    long name = scn_channel(ch);
    long r = name < 0 ? name : rpc_ping((word_t)name, text, sizeof(text));
    printf("%s: calling through %s (name 0x%lx): %s%s%s\n", scn_self(), ch, name, status_text(r),
           r == 0 ? ", " : "", r == 0 ? text : "");
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    secret = scn_channel("c_secret");
    use("c_secret");
    use("c_print");
    /* Could this name be handed on at all? A copy to ourselves tells (and is dropped again). */
    long copy = name_give(self_task(), (word_t)secret, NAME_SEND);
    scn_record("my name for the secret service %s be handed on (%s)", copy >= 0 ? "can" : "cannot",
               status_text(copy < 0 ? copy : 0));
    if (copy >= 0 && copy != secret) name_drop((word_t)copy);
    return rpc_serve_with(handle);
}
