/* SPDX-License-Identifier: MIT */
/* name_enum: the network stack. Registers its service as "net" after a short start-up and
 * answers every request, recording which declared channel (if any) it came through. Nobody is
 * meant to talk to it: a request here is the enumerating attacker's. */
#include "scenarios/common/rpcsvc.h"

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(5000); /* start-up work */
    rpc_register("net_svc", "net");
    return rpc_serve_text();
}
