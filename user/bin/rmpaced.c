/* SPDX-License-Identifier: MIT */
/*
 * A paced client for the loader's boot tests: calls each of its declared channels every 4 ms,
 * 16 times, through the generated rpc stub, and records each run of calls with the same
 * outcome ("calls 1-5 via c: ok", then "calls 6-16 via c: IPC denied by the policy"), so a
 * right revoked at run time shows as the point where the outcome changes.
 */
#include "rpc_idl.h"
#include "scn.h"

#define CALLS 16
#define PACE_US 4000

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(2000); /* let the servers start waiting */
    const char *ch;
    for (unsigned i = 0; (ch = scn_channel_at(i)) != NULL; i++) {
        long last = 1;
        unsigned from = 1;
        for (unsigned n = 1; n <= CALLS + 1; n++) {
            word_t label = 0;
            long r = n <= CALLS ? rpc_req_call_to((word_t)scn_channel(ch), 50000, &label) : 1;
            if (n > 1 && r != last) {
                scn_record("calls %u-%u via %s: %s", from, n - 1, ch, status_text(last));
                from = n;
            }
            last = r;
            if (n < CALLS) sleep_us(PACE_US);
        }
    }
    return 0;
}
