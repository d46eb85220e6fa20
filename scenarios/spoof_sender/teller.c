/* SPDX-License-Identifier: MIT */
/* The trusted client of spoof_sender.scn: two transfers through its own channel c_teller. */
#include "scn.h"

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    const char *me = scn_self();
    long bank = scn_channel("c_teller");
    if (bank < 0) {
        printf("%s: no channel c_teller in my setup\n", me);
        return 1;
    }
    sleep_us(3000); /* the bank starts waiting */
    for (unsigned i = 0; i < 2; i++) {
        struct utcb *u = utcb();
        u->mr[0] = 100 + i;
        memcpy(&u->mr[1], "teller\0\0", 8);
        word_t tag, label;
        long r = ipc_call((word_t)bank, MSGTAG(1, 2, 0, 0), 50000, 50000, &tag, &label);
        scn_record("transfer %u via c_teller: %s, answer proto %lu, privileged %lu", i + 1,
                   status_text(r), r == 0 ? MSGTAG_LABEL(tag) : 0UL,
                   r == 0 && MSGTAG_WORDS(tag) ? u->mr[0] : 0UL);
        sleep_us(10000);
    }
    return 0;
}
