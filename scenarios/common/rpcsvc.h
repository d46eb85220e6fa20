/* SPDX-License-Identifier: MIT */
/*
 * Shared by the scenario programs of name_enum, name_race, cap_leak and unauth_send: both ends
 * of the `rpc` contract (req proto 1 -> resp proto 2). A request carries no words; the answer
 * carries a short text (at most RPC_TEXT_MAX bytes, in mr[0..3]) saying who answered, so a
 * client can record whom it reached. The verdict never rests on that text: the kernel's trace
 * shows who really received what.
 */
#ifndef SCN_RPCSVC_H
#define SCN_RPCSVC_H

#include "scn.h"

#define RPC_REQ 1
#define RPC_RESP 2
#define RPC_IDLE_US 100000 /* servers end after this long without a request */
#define RPC_TEXT_WORDS 4
#define RPC_TEXT_MAX (RPC_TEXT_WORDS * sizeof(word_t) - 1)

/* Which declared channel a request came through, as this receiver can tell. */
static inline const char *rpc_who(word_t label)
{
    const char *c = scn_sender(label);
    return c ? c : "an undeclared sender";
}

/* Puts text into mr[from..from+3] (NUL-padded); returns the number of words. */
static inline unsigned rpc_put_text(unsigned from, const char *text)
{
    char buf[RPC_TEXT_WORDS * sizeof(word_t)] = {0};
    size_t n = strlen(text);
    if (n > RPC_TEXT_MAX) n = RPC_TEXT_MAX;
    memcpy(buf, text, n);
    memcpy(&utcb()->mr[from], buf, sizeof(buf));
    return RPC_TEXT_WORDS;
}

/* Copies the text of an answer (words from mr[from]) into out. */
static inline void rpc_get_text(word_t tag, unsigned from, char *out, size_t len)
{
    unsigned words = MSGTAG_WORDS(tag);
    size_t n = words > from ? (words - from) * sizeof(word_t) : 0;
    if (n > len - 1) n = len - 1;
    memcpy(out, &utcb()->mr[from], n);
    out[n] = 0;
    for (size_t i = 0; i < n; i++) /* text ends at the first byte that is not printable */
        if (out[i] < ' ' || out[i] > '~') {
            out[i] = 0;
            break;
        }
}

/* Calls `name` once with a request; 0 with the answer's text in out, or -status. */
static inline long rpc_ping(word_t name, char *out, size_t len)
{
    word_t tag, label;
    out[0] = 0;
    long r = ipc_call(name, MSGTAG(RPC_REQ, 0, 0, 0), RPC_IDLE_US, RPC_IDLE_US, &tag, &label);
    if (r < 0) return r;
    if (MSGTAG_LABEL(tag) != RPC_RESP) return -E_INVAL;
    rpc_get_text(tag, 0, out, len);
    return 0;
}

/* Registers service `svc` (declared for this task) under `regname`; prints the outcome. */
static inline long rpc_register(const char *svc, const char *regname)
{
    long ep = scn_service(svc);
    if (ep < 0) {
        printf("%s: no service %s declared for me: %s\n", scn_self(), svc, status_text(ep));
        return ep;
    }
    long r = ns_register(regname, (word_t)ep);
    printf("%s: registering \"%s\" with the %s name service: %s\n", scn_self(), regname,
           scn_naming_flat() ? "flat" : "parent's", status_text(r));
    return r;
}

/* The server side: every request is recorded with the channel it came through and answered
 * with "<task> answers"; anything else gets a response carrying -E_INVAL. */
static inline word_t rpc_handle(word_t tag, word_t label)
{
    if (MSGTAG_FLAGS(tag) & (MSGTAG_F_NOTIFY | MSGTAG_F_REDIRECTED)) return ~0ul;
    if (MSGTAG_LABEL(tag) != RPC_REQ) {
        printf("%s: unexpected message (proto %lu, label 0x%lx)\n", scn_self(), MSGTAG_LABEL(tag),
               label);
        utcb()->mr[0] = (word_t)-E_INVAL;
        return MSGTAG(RPC_RESP, 1, 0, 0);
    }
    scn_record("request from %s (label 0x%lx)", rpc_who(label), label);
    char text[RPC_TEXT_MAX + 1];
    snprintf(text, sizeof(text), "%s answers", scn_self());
    return MSGTAG(RPC_RESP, rpc_put_text(0, text), 0, 0);
}

/* Serves with fn until idle; prints how many requests came; the exit code for main. */
static inline int rpc_serve_with(word_t (*fn)(word_t tag, word_t label))
{
    long n = scn_serve(RPC_IDLE_US, fn);
    if (n < 0) {
        printf("%s: receive failed: %s\n", scn_self(), status_text(n));
        return 1;
    }
    printf("%s: idle, leaving after %ld request%s\n", scn_self(), n, n == 1 ? "" : "s");
    return 0;
}

static inline int rpc_serve_text(void)
{
    return rpc_serve_with(rpc_handle);
}

#endif
