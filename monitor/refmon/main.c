/* SPDX-License-Identifier: MIT */
/*
 * The reference monitor (backend refmon; Jaeger, Liedtke et al., HotOS'99): the kernel turns a
 * send without an IPC right into a policy fault at the sender's monitor. This one answers
 * each fault from its rule table: a rule for (sender's task, destination) maps the IPC-right
 * flexpage for that one thread (with "may map on" if the rule says so), and the kernel
 * retries the send; no rule, or a claimed identity, is refused. It only ever replies, so a
 * task that stops waiting cannot block it. The loader gives it its rules and may have it
 * revoke at run time (refmon_proto.h); a rule with a lifetime is forgotten that long after its
 * first grant and the rights it granted are revoked then, by the monitor itself (its wait
 * times out when the next rule is due). It prints its first decisions, each expiry and, on
 * each loader request, how many it made.
 */
#include "refmon.h"

#define PRINT_FIRST 24 /* decisions printed one by one; the kernel's trace has them all */

static word_t loader;
static unsigned long granted, refused, printed;

static void say(const char *what, word_t task, word_t dest, word_t tag)
{
    if (printed++ < PRINT_FIRST)
        printf("[refmon] task %lu -> thread %lu (label 0x%lx): %s\n", task, dest, MSGTAG_LABEL(tag),
               what);
}

/* A policy fault: the reply that grants (a map item) or refuses. */
static word_t on_fault(word_t task)
{
    struct utcb *u = utcb();
    word_t dest = u->mr[1], tag = u->mr[2], claimed = u->mr[3];
    struct rm_rule *r = claimed == 0 ? rm_rule_find(task, dest) : NULL;
    if (r == NULL) {
        refused++;
        say(claimed ? "refused (a claimed identity)" : "refused (no rule)", task, dest, tag);
        return MSGTAG(IPC_LABEL_DENY, 0, 0, 0);
    }
    granted++;
    say(r->map ? "granted, may map on" : "granted", task, dest, tag);
    if (r->life && r->expires == 0) r->expires = clock_us() + r->life * 1000ul;
    u->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    u->mr[1] = FPAGE(dest << 12, 0, FPAGE_R | (r->map ? FPAGE_W : 0));
    return MSGTAG(0, 0, 1, 0);
}

/* Every right to `thread` this monitor granted goes (recursively, in every task). */
static long revoke(word_t thread)
{
    return unmap(FPAGE(thread << 12, 0, 0), UNMAP_KIND(FPAGE_KIND_BACKEND));
}

/* Rules whose lifetime ended go, and with them every right to their thread this monitor
 * granted: the holders' next sends fault again (and are refused, or granted under another
 * rule). */
static void expire_due(void)
{
    struct rm_rule r;
    while (rm_rule_take_expired(clock_us(), &r)) {
        long n = revoke(r.thread);
        printf("[refmon] rule task %lu -> thread %lu expired after %u ms: forgotten, revoked %ld "
               "right(s)\n",
               r.task, r.thread, r.life, n);
    }
}

/* How long the next wait may last: until the next rule is due. */
static uint32_t wait_timeout(void)
{
    unsigned long next = rm_rule_next_expiry(), now = clock_us();
    if (next == 0) return TIMEOUT_NEVER;
    return next <= now                   ? 1
           : next - now >= TIMEOUT_NEVER ? TIMEOUT_NEVER - 1
                                         : (uint32_t)(next - now);
}

/* The loader's requests. */
static word_t on_request(word_t tag)
{
    struct utcb *u = utcb();
    long result = -E_INVAL;
    if (MSGTAG_LABEL(tag) == RM_OP_RULES) {
        for (unsigned i = 0; i + 1 < MSGTAG_WORDS(tag); i += 2) {
            word_t w = u->mr[i + 1];
            long s = rm_rule_add(u->mr[i], RM_RULE_THREAD(w), (w & RM_RULE_MAP) != 0,
                                 RM_RULE_LIFE_OF(w));
            if (s < 0) printf("[refmon] rule table full: %s\n", status_text(s));
        }
        result = rm_rule_count();
    } else if (MSGTAG_LABEL(tag) == RM_OP_REVOKE && MSGTAG_WORDS(tag) >= 1) {
        result = revoke(u->mr[0]);
        printf("[refmon] revoked the rights to thread %lu: %ld\n", u->mr[0], result);
    } else if (MSGTAG_LABEL(tag) == RM_OP_FORGET && MSGTAG_WORDS(tag) >= 2) {
        result = rm_rule_forget(u->mr[0], u->mr[1]);
        long n = revoke(u->mr[1]);
        printf("[refmon] forgot task %lu -> thread %lu (%ld rule), revoked %ld right(s)\n",
               u->mr[0], u->mr[1], result, n);
    }
    printf("[refmon] %lu granted, %lu refused so far\n", granted, refused);
    u->mr[0] = (word_t)result;
    return MSGTAG(0, 1, 0, 0);
}

int main(word_t arg)
{
    loader = arg;
    printf("[refmon] reference monitor for the tasks of thread %lu's scenario\n", loader);
    word_t tag = 0, label = 0, reply = 0;
    bool answer = false; /* a reply is due before the next wait */
    for (;;) {
        expire_due();
        /* a caller that gave up makes the reply fail: never wait for it, just wait again */
        long r = answer ? ipc_reply_wait(reply, wait_timeout(), &tag, &label)
                        : ipc_wait(wait_timeout(), &tag, &label);
        answer = r >= 0;
        if (!answer) continue; /* a timeout: a rule is due */
        if (MSGTAG_LABEL(tag) == IPC_LABEL_POLICY_FAULT && MSGTAG_WORDS(tag) >= 4)
            reply = on_fault(label);
        else if (label == loader)
            reply = on_request(tag);
        else
            reply = MSGTAG(IPC_LABEL_DENY, 0, 0, 0); /* not a fault, not the loader */
    }
}
