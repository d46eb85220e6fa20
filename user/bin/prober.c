/* SPDX-License-Identifier: MIT */
/* The attacker: sends to every name it can form (1..1023), never blocking. What it reports is
 * not the verdict; the victim's own record is. */
#include "ulib.h"

int main(word_t given)
{
    sleep_us(5000); /* let the victim start waiting */
    int delivered = 0, refused = 0;
    for (word_t name = 1; name < 1024; name++) {
        if (name == given) continue; /* the one legitimate name */
        utcb()->mr[0] = 0xbad;
        long r = ipc_send(name, MSGTAG(0x666, 1, 0, 0), TIMEOUT_ZERO);
        if (r == 0)
            delivered++;
        else
            refused++;
    }
    printf("prober: %d sends went through, %d did not\n", delivered, refused);
    return 0;
}
