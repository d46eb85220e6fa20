/* SPDX-License-Identifier: MIT */
/*
 * revoke_blocked: the owner. Holds c_svc (with the give right) and hands it on to whoever asks
 * over c_own: a mapped right under task-local names (capgate, ports) and under refmon (the
 * IPC right's flexpage), a plain word where a name is only a global id. REVOKE_AFTER_US later,
 * while the holder's send through it waits at the busy server, it revokes what it handed on
 * (unmap of the name's flexpage: what was derived from it) and drops its own name. Every
 * later request is refused.
 */
#include "scenarios/common/rpcsvc.h"

#define REVOKE_AFTER_US 5000

/* The reply carrying the owner's name for the server, in the form the backend passes rights. */
static word_t delegation(long svc)
{
    const struct backend_desc *be = scn_backend();
    unsigned w = 0, it = 0;
    if (be->names == BACKEND_NAMES_LOCAL) {
        scn_put_name(0, (word_t)svc, false, &w, &it);
    } else {
        utcb()->mr[0] = (word_t)svc;
        w = 1;
        if (be->revocable) { /* a reference monitor's IPC right for that thread id */
            utcb()->mr[1] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
            utcb()->mr[2] = FPAGE((word_t)svc << 12, 0, FPAGE_R);
            it = 1;
        }
    }
    return MSGTAG(RPC_RESP, w, it, 0);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long svc = scn_channel("c_svc");
    if (svc < 0) return 1;
    /* Where rights are granted at first contact (refmon: a fault to the monitor), a send
     * that waits a little (the busy server never takes it) makes the right ours before we hand
     * it on; elsewhere it changes nothing. */
    long t = ipc_send((word_t)svc, MSGTAG(0, 0, 0, 0), 1000);
    scn_record("touched my right to the server: %s", status_text(t));
    word_t tag, label;
    long r = ipc_wait(RPC_IDLE_US, &tag, &label);
    if (r < 0) {
        scn_record("nobody asked for the right: %s", status_text(r));
        return 0;
    }
    r = ipc_reply(delegation(svc));
    scn_record("handed my name 0x%lx for the server to %s: %s", svc, rpc_who(label),
               status_text(r));
    sleep_us(REVOKE_AFTER_US);
    long n = unmap(FPAGE((word_t)svc << 12, 0, 0), UNMAP_KIND(FPAGE_KIND_BACKEND));
    long d = name_drop((word_t)svc);
    scn_record("revoked what I handed on (%s%s) and dropped my own name (%s)",
               n < 0 ? status_text(n) : "ok", n > 0 ? ", rights taken back" : "",
               status_text(d < 0 ? d : 0));
    for (;;) {
        r = ipc_wait(RPC_IDLE_US, &tag, &label);
        if (r < 0) return 0;
        utcb()->mr[0] = (word_t)-E_NOENT;
        ipc_reply(MSGTAG(RPC_RESP, 1, 0, 0));
    }
}
