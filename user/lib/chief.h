/* SPDX-License-Identifier: MIT */
/*
 * A chief (backends that redirect, abi/backend.h `redirects`: clans): the user-level server that
 * receives the IPC the kernel redirects to its task and decides, by a rule table, whether to
 * forward it in the original sender's name (deceit), drop it, or answer it. It never blocks on a
 * misbehaving task: every forward has a send and a receive timeout. The scenario runtime runs one
 * in every declared parent (scn.c); monitor/chief/ is the same logic as a program of its own.
 */
#ifndef ULIB_CHIEF_H
#define ULIB_CHIEF_H

#include "ulib.h"

#define CHIEF_MAX_RULES 64
#define CHIEF_MAX_INFRA 8
#define CHIEF_SND_TIMEOUT 200000u /* us a forward waits for the destination to receive */
#define CHIEF_RCV_TIMEOUT 500000u /* us a forwarded call waits for its reply */

/* A rule: `src` may reach `dst` (thread names; 0: any). */
struct chief_rule {
    word_t src, dst;
};

struct chief_table {
    struct chief_rule rules[CHIEF_MAX_RULES];
    unsigned nrules;
    word_t infra[CHIEF_MAX_INFRA]; /* reachable from and reaching everyone (loader, name server) */
    unsigned ninfra;
    char who[32]; /* the chief's name in its trace lines */
    /* false while the table is still being filled (a declared parent's setup arrives after its
     * children start): a message no rule allows yet waits for it (CHIEF_READY_WAIT at most) */
    volatile bool ready;
    bool quiet; /* no trace lines (benchmarks): decisions are still counted */
};

#define CHIEF_READY_WAIT 300000u /* us */

/* What a chief did with one message. */
enum chief_action {
    CHIEF_FORWARDED = 0, /* passed on in the original sender's name (and the reply back) */
    CHIEF_DROPPED,       /* a send no rule allows: gone */
    CHIEF_ANSWERED,      /* a call no rule allows, or one that failed: refused in a reply */
    CHIEF_ACTIONS
};

/* Parses "s>d,s>d,..." (decimal thread names, * for any) into rules and "a,b,..." into the
 * infrastructure list; either may be NULL. 0, or -E_RANGE (too many) / -E_INVAL (malformed). */
long chief_table_parse(struct chief_table *t, const char *rules, const char *infra);

/* Whether the table lets `src` reach `dst`. */
bool chief_allows(const struct chief_table *t, word_t src, word_t dst);

/* Decides about the redirected message just received (tag, label, this thread's UTCB and
 * TCRs) and carries the decision out; the reply to a forwarded call is passed back. */
enum chief_action chief_handle(const struct chief_table *t, word_t tag, word_t label);

/* Serves redirected IPC for good (the thread ends with its task); arg: a struct chief_table *.
 * Messages not redirected (sent to the chief thread by name) are answered with E_NOTSUP. */
long chief_serve(word_t arg);

/* Decisions made so far, by action (all chiefs of this task). */
extern unsigned long chief_counts[CHIEF_ACTIONS];

#endif
