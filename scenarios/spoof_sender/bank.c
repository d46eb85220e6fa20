/* SPDX-License-Identifier: MIT */
/*
 * The bank of spoof_sender.scn: serves `transfer` (proto 1; mr[0] = amount, mr[1] = the name
 * the sender claims, 8 bytes) with `done` (proto 2) and keeps its own record of the channel
 * each transfer really came through, as far as the kernel lets it tell (scn_sender(label):
 * the gate label under capgate, the sender's thread id under none). A transfer through
 * c_teller is privileged; anything else is not. What a message claims about itself (its tag,
 * its words) is recorded beside it but never trusted.
 */
#include "scn.h"

static unsigned privileged, other;

static word_t serve(word_t tag, word_t label)
{
    struct utcb *u = utcb();
    const char *ch = scn_sender(label);
    char claim[9] = {0};
    if (MSGTAG_WORDS(tag) >= 2) memcpy(claim, &u->mr[1], 8);
    bool teller = ch && strcmp(ch, "c_teller") == 0;
    if (teller)
        privileged++;
    else
        other++;
    scn_record("%s: proto 0x%lx flags 0x%x, amount %lu, claims '%s'; label 0x%lx = %s",
               teller ? "PRIVILEGED transfer" : "ordinary message", MSGTAG_LABEL(tag),
               MSGTAG_FLAGS(tag), MSGTAG_WORDS(tag) ? u->mr[0] : 0UL, claim, label,
               ch ? ch : "an undeclared sender");
    u->mr[0] = teller;
    return MSGTAG(2, 1, 0, 0); /* done */
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long n = scn_serve(150000, serve);
    scn_record("served %ld messages: %u privileged (via c_teller), %u others", n, privileged,
               other);
    return 0;
}
