/* SPDX-License-Identifier: MIT */
/*
 * A generic request/response server: answers every request (proto 1) with a response
 * (proto 2) and keeps its own record of who each message came from, as far as it can tell
 * (the channel its label belongs to): the first message per label, then a count. Ends after
 * 100 ms without a message.
 */
#include "scn.h"

static word_t seen[64];
static unsigned nseen;

static word_t serve(word_t tag, word_t label)
{
    const char *ch = scn_sender(label);
    for (unsigned i = 0; i < nseen; i++)
        if (seen[i] == label) goto answer;
    if (nseen < 64) seen[nseen++] = label;
    scn_record("received proto %lu with label 0x%lx via %s", MSGTAG_LABEL(tag), label,
               ch ? ch : "an undeclared sender");
answer:
    utcb()->mr[0] = label;
    return MSGTAG(MSGTAG_LABEL(tag) == 1 ? 2 : 0, 1, 0, 0);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long n = scn_serve(100000, serve);
    printf("%s: served %ld messages\n", scn_self(), n);
    return 0;
}
