/* SPDX-License-Identifier: MIT */
/* A generic client: calls each of its declared channels once (request proto 1) and records
 * the answer. */
#include "scn.h"

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(2000); /* let the servers start waiting */
    const char *ch;
    for (unsigned i = 0; (ch = scn_channel_at(i)) != NULL; i++) {
        word_t tag;
        utcb()->mr[0] = i;
        long r = ipc_call((word_t)scn_channel(ch), MSGTAG(1, 1, 0, 0), 50000, 50000, &tag, 0);
        scn_record("call via %s: %s, answer proto %lu", ch, status_text(r),
                   r == 0 ? MSGTAG_LABEL(tag) : 0);
    }
    return 0;
}
