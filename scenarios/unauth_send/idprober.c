/* SPDX-License-Identifier: MIT */
/*
 * unauth_send (attacker), scn-aware (user/bin/prober.c is the boot test's): uses its one
 * legitimate channel (c_bystand) once, then sends a message to every other name it can form
 * (1..1023), never blocking. Under none names are global thread ids, so the victim is among
 * them; under capgate they are slots of its own capability space, which holds no capability to
 * the victim. What it counts here is not the verdict; the trace is.
 */
#include "scenarios/common/rpcsvc.h"

#define PROBE_PROTO 0x666
#define PROBE_MAX 1024

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long given = scn_channel("c_bystand");
    char text[RPC_TEXT_MAX + 1];
    long r = given < 0 ? given : rpc_ping((word_t)given, text, sizeof(text));
    printf("%s: calling through c_bystand (name 0x%lx): %s\n", scn_self(), given, status_text(r));
    sleep_us(5000); /* let the victim start waiting */
    int delivered = 0, refused = 0;
    for (word_t name = 1; name < PROBE_MAX; name++) {
        if ((long)name == given) continue;
        utcb()->mr[0] = 0xbad;
        if (ipc_send(name, MSGTAG(PROBE_PROTO, 1, 0, 0), TIMEOUT_ZERO) == 0)
            delivered++;
        else
            refused++;
    }
    printf("%s: %d sends went through, %d did not\n", scn_self(), delivered, refused);
    return 0;
}
