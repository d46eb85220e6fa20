/* SPDX-License-Identifier: MIT */
/*
 * The legitimate server of reply_misuse.scn: answers each request (proto 1) with a response
 * (proto 2, mr[0] = 0x600d) after about 40 ms of work -- done in place, not by sleeping, since a
 * new wait would end its reply capability. The work keeps its caller waiting for the answer,
 * which is when a third party would like to answer in its place.
 */
#include "scn.h"

static word_t serve(word_t tag, word_t label)
{
    const char *ch = scn_sender(label);
    scn_record("request proto %lu via %s; working 40 ms before answering", MSGTAG_LABEL(tag),
               ch ? ch : "an undeclared sender");
    scn_work(40000); /* not a sleep: a sleep is a receive and would end the reply capability */
    utcb()->mr[0] = 0x600d;
    return MSGTAG(2, 1, 0, 0);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long n = scn_serve(150000, serve);
    printf("%s: served %ld requests\n", scn_self(), n);
    return 0;
}
