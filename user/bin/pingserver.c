/* SPDX-License-Identifier: MIT */
/* Benchmark partner: replies to every call with the same number of words, until label 2. */
#include "ulib.h"

int main(void)
{
    word_t tag, label;
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    while (r == 0 && MSGTAG_LABEL(tag) != 2)
        r = ipc_reply_wait(MSGTAG(1, MSGTAG_WORDS(tag), 0, 0), TIMEOUT_NEVER, &tag, &label);
    if (r == 0) ipc_reply(0);
    return r == 0 ? 0 : 1;
}
