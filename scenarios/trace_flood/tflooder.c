/* SPDX-License-Identifier: MIT */
/*
 * trace_flood (attacker): probes every name 1..1023 once with timeout zero, as unauth_send's
 * idprober does (under none the victim's global thread id is among them), then sends
 * FLOOD_SENDS messages to names that resolve to nothing, each refused and each a trace record:
 * about twice the kernel's trace ring (8192 records). If the ring overwrote records it had
 * not written out, the probe's delivery would vanish from the trace; the kernel writes the
 * ring out whenever it fills instead. What it counts is not the verdict; the trace is.
 */
#include "scenarios/common/rpcsvc.h"

#define PROBE_PROTO 0x666
#define PROBE_MAX 1024
#define FLOOD_PROTO 0x667
#define FLOOD_SENDS 17000
#define FLOOD_BASE 0x3000 /* names beyond every task's ids and slots in a scenario run */

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long given = scn_channel("c_bystand");
    char text[RPC_TEXT_MAX + 1];
    long r = given < 0 ? given : rpc_ping((word_t)given, text, sizeof(text));
    printf("%s: calling through c_bystand (name 0x%lx): %s\n", scn_self(), given, status_text(r));
    sleep_us(5000); /* let the victim start waiting */
    int delivered = 0;
    for (word_t name = 1; name < PROBE_MAX; name++) {
        if ((long)name == given) continue;
        utcb()->mr[0] = 0xbad;
        delivered += ipc_send(name, MSGTAG(PROBE_PROTO, 1, 0, 0), TIMEOUT_ZERO) == 0;
    }
    scn_record("probe: %d sends went through; now flooding %d refused sends", delivered,
               FLOOD_SENDS);
    int refused = 0;
    for (int i = 0; i < FLOOD_SENDS; i++)
        refused += ipc_send(FLOOD_BASE + (word_t)(i % 256), MSGTAG(FLOOD_PROTO, 0, 0, 0),
                            TIMEOUT_ZERO) < 0;
    scn_record("flood: %d of %d sends refused", refused, FLOOD_SENDS);
    return 0;
}
