/* SPDX-License-Identifier: MIT */
/*
 * slow_probe (attacker): idprober, patient. Uses its one channel (c_bystand) at once, sleeps
 * WAIT_US of virtual time, then sends to every name 1..1023 with timeout zero. Under none the
 * victim's global thread id is among them. The trace decides.
 */
#include "scenarios/common/rpcsvc.h"

#define WAIT_US 1200000
#define PROBE_PROTO 0x666
#define PROBE_MAX 1024

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long given = scn_channel("c_bystand");
    char text[RPC_TEXT_MAX + 1];
    long r = given < 0 ? given : rpc_ping((word_t)given, text, sizeof(text));
    printf("%s: calling through c_bystand (name 0x%lx): %s\n", scn_self(), given, status_text(r));
    sleep_us(WAIT_US);
    int delivered = 0;
    for (word_t name = 1; name < PROBE_MAX; name++) {
        if ((long)name == given) continue;
        utcb()->mr[0] = 0xbad;
        delivered += ipc_send(name, MSGTAG(PROBE_PROTO, 1, 0, 0), TIMEOUT_ZERO) == 0;
    }
    scn_record("probed after %d ms: %d sends went through", WAIT_US / 1000, delivered);
    return 0;
}
