/* SPDX-License-Identifier: MIT */
/* A chief's rule table and its serving loop (chief.h). */
#include "chief.h"

unsigned long chief_counts[CHIEF_ACTIONS];

static const char *const action_names[CHIEF_ACTIONS] = {"forwarded", "dropped", "answered"};

/* One decimal number or '*' (0) at *p; advances *p. */
static long parse_name(const char **p, word_t *out)
{
    const char *s = *p;
    if (*s == '*') {
        *out = 0;
        *p = s + 1;
        return 0;
    }
    if (*s < '0' || *s > '9') return -E_INVAL;
    word_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (word_t)(*s - '0');
    *out = v;
    *p = s;
    return 0;
}

long chief_table_parse(struct chief_table *t, const char *rules, const char *infra)
{
    for (const char *p = rules; p && *p;) {
        if (t->nrules == CHIEF_MAX_RULES) return -E_RANGE;
        struct chief_rule *r = &t->rules[t->nrules];
        if (parse_name(&p, &r->src) < 0 || *p++ != '>' || parse_name(&p, &r->dst) < 0)
            return -E_INVAL;
        t->nrules++;
        if (*p == ',')
            p++;
        else if (*p)
            return -E_INVAL;
    }
    for (const char *p = infra; p && *p;) {
        if (t->ninfra == CHIEF_MAX_INFRA) return -E_RANGE;
        if (parse_name(&p, &t->infra[t->ninfra]) < 0) return -E_INVAL;
        t->ninfra++;
        if (*p == ',')
            p++;
        else if (*p)
            return -E_INVAL;
    }
    return 0;
}

bool chief_allows(const struct chief_table *t, word_t src, word_t dst)
{
    for (unsigned i = 0; i < t->ninfra; i++)
        if (t->infra[i] == src || t->infra[i] == dst) return true;
    for (unsigned i = 0; i < t->nrules; i++) {
        const struct chief_rule *r = &t->rules[i];
        if ((r->src == 0 || r->src == src) && (r->dst == 0 || r->dst == dst)) return true;
    }
    return false;
}

/* Traces a decision: the first ones in full, then every 64th of each kind with the count, so a
 * flood cannot flood the console. */
static void trace(const struct chief_table *t, enum chief_action a, word_t src, word_t dst,
                  bool call, long r)
{
    unsigned long n = ++chief_counts[a];
    if (t->quiet || (n > 16 && n % 64 != 0)) return;
    printf("[chief %s] %s %s 0x%lx -> 0x%lx%s%s (%lu so far)\n", t->who, action_names[a],
           call ? "call" : "send", src, dst, r < 0 ? ": " : "", r < 0 ? status_text(r) : "", n);
}

/* Refuses a call in a reply the caller can tell from a server's: label IPC_LABEL_DENY, mr[0] the
 * status. */
static void answer(long status)
{
    utcb()->mr[0] = (word_t)status;
    ipc_reply(MSGTAG(IPC_LABEL_DENY, 1, 0, 0));
}

enum chief_action chief_handle(const struct chief_table *t, word_t tag, word_t label)
{
    struct utcb *u = utcb();
    word_t dst = u->tcr[TCR_INTENDED_RECEIVER];
    bool call = u->tcr[TCR_SENDER_WAITS] != 0;
    /* Names are global words here; typed items would be re-sent from this task's own space. */
    if (!chief_allows(t, label, dst) || MSGTAG_ITEMS(tag) != 0) {
        enum chief_action a = call ? CHIEF_ANSWERED : CHIEF_DROPPED;
        trace(t, a, label, dst, call, -E_DENIED);
        if (call) answer(-E_DENIED);
        return a;
    }
    word_t out = MSGTAG(MSGTAG_LABEL(tag), MSGTAG_WORDS(tag), 0, 0); /* the kernel's flags go */
    word_t rtag = 0;
    long r = ipc_as(call ? IPC_CALL : IPC_SEND, dst, out,
                    IPC_TIMEOUTS(CHIEF_SND_TIMEOUT, call ? CHIEF_RCV_TIMEOUT : 0), label, &rtag, 0);
    if (r < 0) {
        trace(t, call ? CHIEF_ANSWERED : CHIEF_DROPPED, label, dst, call, r);
        if (call) answer(r);
        return call ? CHIEF_ANSWERED : CHIEF_DROPPED;
    }
    trace(t, CHIEF_FORWARDED, label, dst, call, 0);
    if (call) /* the reply travels back the same way; E_NOREPLY if the caller gave up */
        ipc_reply(MSGTAG(MSGTAG_LABEL(rtag), MSGTAG_WORDS(rtag), 0, 0));
    return CHIEF_FORWARDED;
}

long chief_serve(word_t arg)
{
    const struct chief_table *t = (const struct chief_table *)arg;
    for (;;) {
        word_t tag, label;
        long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
        if (r < 0) continue;
        if (!(MSGTAG_FLAGS(tag) & MSGTAG_F_REDIRECTED)) {
            answer(-E_NOTSUP); /* not redirected: nothing a chief serves (a send: no-op) */
            continue;
        }
        /* The table may be incomplete yet: wait for it (yielding: a sleep would be a new wait,
         * which ends the caller's reply capability), a bounded time. */
        for (unsigned long t0 = clock_us();
             !t->ready && !chief_allows(t, label, utcb()->tcr[TCR_INTENDED_RECEIVER]) &&
             clock_us() - t0 < CHIEF_READY_WAIT;)
            yield();
        chief_handle(t, tag, label);
    }
}
