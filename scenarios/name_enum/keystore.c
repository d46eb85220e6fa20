/* SPDX-License-Identifier: MIT */
/* name_enum: the key store. Registers its service as "keys" after a short start-up and answers
 * every request, recording which declared channel it came through: app is meant to reach it
 * (c_app_key), the enumerating attacker is not. */
#include "scenarios/common/rpcsvc.h"

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(8000); /* start-up work */
    rpc_register("key_svc", "keys");
    return rpc_serve_text();
}
