/* SPDX-License-Identifier: MIT */
/*
 * revoke_blocked: the server is busy for its first BUSY_US (it sleeps: no open wait, so a send
 * to it blocks, or queues where messages queue), then answers requests until idle.
 */
#include "scenarios/common/rpcsvc.h"

#define BUSY_US 20000

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(BUSY_US);
    scn_record("busy for %d ms; now serving", BUSY_US / 1000);
    return rpc_serve_text();
}
