/* SPDX-License-Identifier: MIT */
/*
 * dead_name: the client looks up "svc", calls it once (the service answers and ends), then
 * keeps its name and retries it RETRIES times, one every millisecond, and looks "svc" up again
 * and calls what it gets. Any answer after the service's end came from someone else.
 */
#include "scenarios/common/rpcsvc.h"

#define RETRIES 30

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(2000); /* the service registers */
    long svc = ns_lookup("svc");
    char text[RPC_TEXT_MAX + 1];
    long r = svc < 0 ? svc : rpc_ping((word_t)svc, text, sizeof(text));
    scn_record("\"svc\" is name 0x%lx; first call: %s%s%s", svc, status_text(r), r ? "" : ", ",
               r ? "" : text);
    if (svc < 0) return 1;
    sleep_us(5000); /* the service has ended; the attacker is filling the pools */
    int answered = 0;
    for (int i = 0; i < RETRIES; i++) {
        word_t tag, label;
        r = ipc_call((word_t)svc, MSGTAG(RPC_REQ, 0, 0, 0), 1000, 1000, &tag, &label);
        answered += r == 0;
        sleep_us(1000);
    }
    long again = ns_lookup("svc");
    long r2 = again < 0 ? again : rpc_ping((word_t)again, text, sizeof(text));
    scn_record("after the service's end: %d of %d retries of the old name answered; looked up "
               "again (0x%lx): %s",
               answered, RETRIES, again, status_text(r2));
    return 0;
}
