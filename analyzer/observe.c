/* SPDX-License-Identifier: MIT */
/* Observed verdicts: each attack kind decided from the kernel's trace records alone, citing the
 * records that decided it. Definitions: analyzer/README.md, "Observed verdicts". */
#include "observe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/status.h"

struct ctx {
    const struct scn *s;
    const struct trace *t;
    const struct bitmat *declared;
    enum an_policy_id p;
    const struct scn_attack *k;
    uint32_t a, b; /* attacker, target (SCN_NONE if the kind has none) */
    struct obs_attack *o;
    uint32_t from;   /* the phase: only successes decided at records from here on count */
    uint32_t before; /* successes before the phase began (allowed, only counted) */
};

static const char *name(const struct ctx *c, uint32_t task)
{
    return task == SCN_NONE ? "an undeclared task" : c->s->tasks[task].name;
}

/* Who a message is from: the original sender when a chief forwarded it in its name. */
static uint32_t sender(const struct tr_event *e)
{
    return e->has_orig ? e->orig : e->from;
}

static bool is_request(enum tr_op op)
{
    return op == TOP_SEND || op == TOP_CALL || op == TOP_NOTIFY;
}

static bool is_reply(enum tr_op op)
{
    return op == TOP_REPLY || op == TOP_REPLY_WAIT;
}

static bool is_message(enum tr_op op)
{
    return is_request(op) || is_reply(op);
}

static bool delivered(const struct tr_event *e)
{
    return e->outcome == TOUT_DELIVERED;
}

static bool declared(const struct ctx *c, uint32_t from, uint32_t to)
{
    return from != SCN_NONE && to != SCN_NONE && bitmat_get(c->declared, from, to);
}

/* A reply to a task with a channel to the replier answers a declared call. */
static bool declared_reply(const struct ctx *c, const struct tr_event *e)
{
    return is_reply(e->op) && declared(c, e->to, sender(e));
}

static void cite(struct obs_attack *o, uint32_t ev, uint32_t limit)
{
    if (o->ncite < limit && o->ncite < AN_ARRAY_SIZE(o->cite))
        o->cite[o->ncite++] = ev;
    else
        o->more++;
}

/* The first decisive records of a success (up to three, e.g. call, timeout, late reply); later
 * successes are only counted. */
static bool succeed(struct ctx *c, const uint32_t *evs, uint32_t n)
{
    struct obs_attack *o = c->o;
    uint32_t last = 0; /* the decisive record: the latest of them */
    for (uint32_t i = 0; i < n; i++)
        if (evs[i] != SCN_NONE && evs[i] > last) last = evs[i];
    if (last < c->from) {
        c->before++;
        return false;
    }
    if (o->verdict == VERDICT_SUCCEEDED) {
        o->more++;
        return false;
    }
    o->verdict = VERDICT_SUCCEEDED;
    o->ncite = 0;
    o->more = 0;
    an_buf_clear(&o->reason);
    for (uint32_t i = 0; i < n; i++)
        if (evs[i] != SCN_NONE) cite(o, evs[i], AN_ARRAY_SIZE(o->cite));
    return true;
}

/* For "blocked": the attacker's messages the kernel did not deliver (refused, timed out, still
 * blocked, diverted), at `at` or at a name that resolved to no thread (at = SCN_NONE: any). */
static void cite_refusals(struct ctx *c, uint32_t at)
{
    struct obs_attack *o = c->o;
    uint32_t mine = 0, refused = 0;
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (sender(e) != c->a || !is_message(e->op)) continue;
        mine++;
        if (delivered(e) || (at != SCN_NONE && e->has_to && e->to != at)) continue;
        refused++;
        cite(o, i, OBS_CITE_MAX);
    }
    if (refused) return;
    if (!mine) {
        snprintf(o->note, sizeof(o->note), "no attempt by %s in the trace", name(c, c->a));
        return;
    }
    /* Nothing of the attacker's was refused: what it did (none of it decisive) and what was
     * refused on its way to it (a right that could not be handed over) are the evidence. */
    uint32_t to_it = 0;
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (e->has_to && e->to == c->a && sender(e) != c->a && is_message(e->op) && !delivered(e)) {
            to_it++;
            cite(o, i, OBS_CITE_MAX);
        }
    }
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (sender(e) == c->a && is_message(e->op)) cite(o, i, OBS_CITE_MAX);
    }
    an_buf_printf(&o->reason, "; none of %s's %u message%s was refused%s%s, and none was decisive",
                  name(c, c->a), mine, mine == 1 ? "" : "s", at != SCN_NONE ? " at " : "",
                  at != SCN_NONE ? name(c, at) : "");
    if (to_it)
        an_buf_printf(&o->reason, "; %u message%s to %s refused", to_it, to_it == 1 ? "" : "s",
                      name(c, c->a));
}

static void obs_reach(struct ctx *c)
{
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (sender(e) != c->a || !is_request(e->op) || !delivered(e) || e->to != c->b) continue;
        if (declared(c, c->a, c->b)) continue;
        if (succeed(c, &i, 1))
            an_buf_printf(
                &c->o->reason, "%s's %s was delivered to %s, and no channel declares %s -> %s",
                name(c, c->a), tr_op_names[e->op], name(c, c->b), name(c, c->a), name(c, c->b));
    }
    if (c->o->verdict == VERDICT_SUCCEEDED) return;
    an_buf_printf(&c->o->reason, "no send or call of %s was delivered to %s%s", name(c, c->a),
                  name(c, c->b), declared(c, c->a, c->b) ? " outside a declared channel" : "");
    cite_refusals(c, c->b);
}

static bool is_ancestor(const struct scn *s, uint32_t anc, uint32_t t)
{
    for (uint32_t x = scn_parent(s, t), n = 0; x != SCN_NONE && n < s->ntasks;
         x = scn_parent(s, x), n++)
        if (x == anc) return true;
    return false;
}

/*
 * The declared task of the thread a faulted message named, or SCN_NONE. A policy fault goes to
 * the sender's monitor (the record's `to`), but the kernel faults only a send whose name it
 * resolved to a live thread: with global names the name is that thread's id, and whichever
 * record shows that thread shows its task.
 */
static uint32_t faulted_dest_task(const struct ctx *c, const struct tr_event *e)
{
    if (e->outcome != TOUT_FAULTED || e->dest == 0 || e->dest > 0xffffffffu) return SCN_NONE;
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *x = &c->t->ev[i];
        if (!tr_is_ipc(x)) continue;
        if (x->has_from && x->from_thread == e->dest) return x->from;
        if (x->has_to && x->to_thread == e->dest) return x->to;
    }
    return SCN_NONE;
}

/* A message of the attacker resolved to a thread of a task it has no channel to tells it that
 * the task exists. Its creators (the loader, a hierarchical name service) are infrastructure
 * it talks to anyway, unless the kernel redirected there: a redirect to a chief happens only for
 * a destination that exists. */
static void obs_probe(struct ctx *c)
{
    struct obs_attack *o = c->o;
    uint32_t refused = 0;
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (sender(e) != c->a || !is_message(e->op)) continue;
        if (!e->has_to) {
            if (o->verdict != VERDICT_SUCCEEDED && !delivered(e)) {
                refused++;
                cite(o, i, OBS_CITE_MAX);
            }
            continue;
        }
        uint32_t to = e->outcome == TOUT_FAULTED ? faulted_dest_task(c, e) : e->to;
        if (to == SCN_NONE || to == c->a || declared(c, c->a, to) || declared_reply(c, e)) continue;
        if (is_ancestor(c->s, to, c->a) && e->outcome != TOUT_REDIRECTED) continue;
        if (succeed(c, &i, 1))
            an_buf_printf(&o->reason,
                          "the kernel resolved %s's %s to a thread of %s (outcome %s), a task %s "
                          "has no channel to: the answer differs from a nonexistent name's",
                          name(c, c->a), tr_op_names[e->op], name(c, to),
                          tr_outcome_names[e->outcome], name(c, c->a));
    }
    if (o->verdict == VERDICT_SUCCEEDED) return;
    if (refused) {
        an_buf_printf(&o->reason,
                      "every attempt of %s at an undeclared destination was refused at the name "
                      "(to=-)",
                      name(c, c->a));
        return;
    }
    an_buf_printf(&o->reason, "no message of %s was resolved to a task it has no channel to",
                  name(c, c->a));
    cite_refusals(c, SCN_NONE);
}

/* Per task, a service it provides that the attacker has no channel (nor lookup channel) to,
 * or SCN_NONE; linear in services and channels. */
static uint32_t *unknown_services(const struct ctx *c)
{
    const struct scn *s = c->s;
    bool *has = an_calloc(s->nservices + 1, sizeof(bool));
    for (uint32_t ch = 0; ch < s->nchannels; ch++)
        if (s->channels[ch].from.idx == c->a && s->channels[ch].service.idx < s->nservices)
            has[s->channels[ch].service.idx] = true;
    uint32_t *svc = an_malloc(s->ntasks * sizeof(uint32_t));
    for (uint32_t t = 0; t < s->ntasks; t++)
        svc[t] = SCN_NONE;
    for (uint32_t v = 0; v < s->nservices; v++) {
        uint32_t owner = s->services[v].owner.idx;
        if (!has[v] && svc[owner] == SCN_NONE) svc[owner] = v;
    }
    free(has);
    return svc;
}

static void obs_enumerate(struct ctx *c)
{
    uint32_t *svc = unknown_services(c);
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (sender(e) != c->a || !is_message(e->op) || !delivered(e)) continue;
        uint32_t to = e->to;
        if (to == SCN_NONE || to == c->a || declared(c, c->a, to) || declared_reply(c, e)) continue;
        uint32_t v = svc[to];
        if (v == SCN_NONE) continue;
        if (succeed(c, &i, 1))
            an_buf_printf(&c->o->reason,
                          "%s's %s was delivered to %s, which provides %s, a service %s has no "
                          "channel to",
                          name(c, c->a), tr_op_names[e->op], name(c, to), c->s->services[v].name,
                          name(c, c->a));
    }
    free(svc);
    if (c->o->verdict == VERDICT_SUCCEEDED) return;
    an_buf_printf(&c->o->reason,
                  "%s delivered nothing to a task providing a service it has no channel to",
                  name(c, c->a));
    cite_refusals(c, SCN_NONE);
}

#define SPOOF_LABELS 64

/* The labels the receiver of channel ch sees on its sender's messages: observed ones, else
 * (capgate) the declared gate label, else (none) the sender's observed thread ids. */
static uint32_t spoof_labels(const struct ctx *c, uint32_t ch, uint64_t *lab, uint32_t *src,
                             const char **how)
{
    const struct scn_channel *k = &c->s->channels[ch];
    uint32_t n = 0, snd = k->from.idx, rcv = k->to;
    for (uint32_t i = 0; i < c->t->nev && n < SPOOF_LABELS; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (sender(e) != snd || !is_request(e->op) || !delivered(e) || e->to != rcv) continue;
        bool seen = false;
        for (uint32_t j = 0; j < n; j++)
            seen |= lab[j] == e->label;
        if (!seen) {
            src[n] = i;
            lab[n++] = e->label;
        }
    }
    *how = "observed on its messages";
    if (n) return n;
    if (c->p == POL_CAPGATE) {
        *how = "the channel's declared gate label";
        src[0] = SCN_NONE;
        lab[0] = (uint64_t)k->label;
        return 1;
    }
    if (c->p == POL_NONE) {
        *how = "its sender's thread id, as observed in the trace";
        for (uint32_t i = 0; i < c->t->nev && n < SPOOF_LABELS; i++) {
            const struct tr_event *e = &c->t->ev[i];
            if (!tr_is_ipc(e)) continue;
            uint64_t id = e->from == snd ? e->from_thread : e->to == snd ? e->to_thread : 0;
            bool seen = !id;
            for (uint32_t j = 0; j < n && !seen; j++)
                seen = lab[j] == id;
            if (!seen) {
                src[n] = i;
                lab[n++] = id;
            }
        }
    }
    return n;
}

static void obs_spoof(struct ctx *c)
{
    const struct scn_channel *ch = &c->s->channels[c->k->as.idx];
    uint32_t rcv = ch->to, snd = ch->from.idx, src[SPOOF_LABELS];
    uint64_t lab[SPOOF_LABELS];
    const char *how;
    uint32_t nl = spoof_labels(c, c->k->as.idx, lab, src, &how);
    uint32_t other = 0;
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (sender(e) != c->a || !is_request(e->op) || !delivered(e) || e->to != rcv) continue;
        uint32_t j = 0;
        while (j < nl && lab[j] != e->label)
            j++;
        if (j == nl) {
            if (c->o->verdict != VERDICT_SUCCEEDED) {
                other++;
                cite(c->o, i, OBS_CITE_MAX);
            }
            continue;
        }
        uint32_t evs[2] = {src[j], i};
        if (succeed(c, evs, 2))
            an_buf_printf(&c->o->reason,
                          "%s's %s reached %s with label 0x%llx, the label of channel %s (%s): "
                          "%s cannot tell %s from %s",
                          name(c, c->a), tr_op_names[e->op], name(c, rcv),
                          (unsigned long long)e->label, ch->name, how, name(c, rcv), name(c, c->a),
                          name(c, snd));
    }
    if (c->o->verdict == VERDICT_SUCCEEDED) return;
    an_buf_printf(&c->o->reason, "no message of %s reached %s with a label of channel %s (",
                  name(c, c->a), name(c, rcv), ch->name);
    for (uint32_t j = 0; j < nl && j < 8; j++)
        an_buf_printf(&c->o->reason, "%s0x%llx", j ? ", " : "", (unsigned long long)lab[j]);
    an_buf_printf(&c->o->reason, "%s%s%s)", nl > 8 ? ", ..." : "", nl ? "; " : "",
                  nl ? how : "none known: its sender delivered nothing");
    if (other)
        an_buf_printf(&c->o->reason, "; %u of its messages arrived with other labels", other);
    else
        cite_refusals(c, rcv);
}

/* The target still waiting, at power-off, in an IPC with the attacker: a send or call whose
 * receiver is the attacker (or, unresolved, a name of the attacker's), or a closed wait for it. */
static void obs_dos(struct ctx *c)
{
    /* Kernel memory exhausted: a message of the target refused for lack of it. */
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (e->from != c->b || !is_message(e->op) || delivered(e) || e->status != E_NOMEM) continue;
        if (succeed(c, &i, 1))
            an_buf_printf(&c->o->reason, "%s's %s was refused: the kernel was out of memory",
                          name(c, c->b), tr_op_names[e->op]);
    }
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (e->outcome != TOUT_BLOCKED || e->from != c->b) continue;
        bool hit = e->has_to ? e->to == c->a
                             : (e->op == TOP_SEND || e->op == TOP_CALL) && declared(c, c->b, c->a);
        if (hit && succeed(c, &i, 1))
            an_buf_printf(&c->o->reason, "at the end of the run %s was still blocked in a %s %s %s",
                          name(c, c->b), tr_op_names[e->op],
                          e->op == TOP_RECV || e->op == TOP_WAIT ? "waiting for" : "to",
                          name(c, c->a));
    }
    if (c->o->verdict == VERDICT_SUCCEEDED) return;
    an_buf_printf(&c->o->reason,
                  "no IPC of %s with %s was still pending at the end of the run, and none of its "
                  "messages was refused for lack of kernel memory",
                  name(c, c->b), name(c, c->a));
    /* The evidence of a blocked DoS is the target's own IPC to the attacker completing. */
    uint32_t done = 0;
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (sender(e) != c->b || !is_request(e->op) || !delivered(e) || !e->has_to || e->to != c->a)
            continue;
        if (done++ == 0)
            an_buf_printf(&c->o->reason, "; %s's messages to %s went through", name(c, c->b),
                          name(c, c->a));
        cite(c->o, i, OBS_CITE_MAX);
    }
    if (!done) cite_refusals(c, SCN_NONE);
}

/* The target gives up its call to the attacker (a timeout or cancellation of the call or of
 * its receive phase); a reply of the attacker delivered after that is late. */
static void obs_late_reply(struct ctx *c)
{
    uint32_t pending = SCN_NONE, gave_up = SCN_NONE, call = SCN_NONE, refused = 0;
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        bool ended = e->outcome == TOUT_TIMEOUT || e->outcome == TOUT_CANCELLED;
        if (e->from == c->b && e->op == TOP_CALL && e->has_to && e->to == c->a) {
            if (delivered(e)) {
                pending = i;
                gave_up = SCN_NONE;
            } else if (ended) {
                pending = SCN_NONE;
                call = gave_up = i;
            }
        } else if (e->from == c->b && (e->op == TOP_RECV || e->op == TOP_WAIT) && ended &&
                   pending != SCN_NONE && (!e->has_to || e->to == c->a)) {
            call = pending;
            gave_up = i;
            pending = SCN_NONE;
        } else if (sender(e) == c->a && is_reply(e->op) && (!e->has_to || e->to == c->b)) {
            if (delivered(e) && e->to == c->b && gave_up != SCN_NONE) {
                uint32_t evs[3] = {call, gave_up == call ? SCN_NONE : gave_up, i};
                if (succeed(c, evs, 3))
                    an_buf_printf(&c->o->reason,
                                  "%s's %s was delivered to %s after %s had given up its call "
                                  "to %s",
                                  name(c, c->a), tr_op_names[e->op], name(c, c->b), name(c, c->b),
                                  name(c, c->a));
            } else if (delivered(e) && e->to == c->b) {
                pending = SCN_NONE; /* the answer to a call still waited for */
            } else if (!delivered(e) && gave_up != SCN_NONE && c->o->verdict != VERDICT_SUCCEEDED) {
                if (!refused++) cite(c->o, gave_up, OBS_CITE_MAX);
                cite(c->o, i, OBS_CITE_MAX);
            }
        }
    }
    if (c->o->verdict == VERDICT_SUCCEEDED) return;
    if (refused)
        an_buf_printf(&c->o->reason, "%s gave up a call to %s, and %s's later replies were refused",
                      name(c, c->b), name(c, c->a), name(c, c->a));
    else if (call != SCN_NONE)
        an_buf_printf(&c->o->reason,
                      "%s gave up a call to %s, and no reply of %s was delivered after it",
                      name(c, c->b), name(c, c->a), name(c, c->a));
    else
        an_buf_printf(&c->o->reason, "%s never gave up a call to %s in the trace", name(c, c->b),
                      name(c, c->a));
    if (!refused && call != SCN_NONE) {
        cite(c->o, call, OBS_CITE_MAX);
        if (gave_up != call && gave_up != SCN_NONE) cite(c->o, gave_up, OBS_CITE_MAX);
    } else if (!refused) {
        cite_refusals(c, c->b);
    }
}

/* A message of the attacker delivered to the target while the target's latest call, to
 * someone else, is unanswered. */
static void obs_third_reply(struct ctx *c)
{
    uint32_t call = SCN_NONE, callee = SCN_NONE;
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (e->from == c->b && e->op == TOP_CALL) {
            call = delivered(e) ? i : SCN_NONE;
            callee = e->to;
            continue;
        }
        if (!delivered(e) || e->to != c->b || !is_message(e->op)) continue;
        bool by_a = sender(e) == c->a && (is_reply(e->op) || e->op == TOP_SEND);
        if (by_a && call != SCN_NONE && callee != c->a) {
            uint32_t evs[2] = {call, i};
            if (succeed(c, evs, 2))
                an_buf_printf(&c->o->reason,
                              "%s's %s was delivered to %s while %s waited for the answer to its "
                              "call to %s",
                              name(c, c->a), tr_op_names[e->op], name(c, c->b), name(c, c->b),
                              name(c, callee));
        }
        if (is_reply(e->op)) call = SCN_NONE; /* answered */
    }
    if (c->o->verdict == VERDICT_SUCCEEDED) return;
    an_buf_printf(&c->o->reason,
                  "no message of %s reached %s while %s waited for the answer to a call to "
                  "another task",
                  name(c, c->a), name(c, c->b), name(c, c->b));
    cite_refusals(c, c->b);
}

static void obs_hijack(struct ctx *c)
{
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (sender(e) != c->b || !is_message(e->op) || !delivered(e) || e->to != c->a) continue;
        if (declared(c, c->b, c->a) || declared_reply(c, e)) continue;
        if (succeed(c, &i, 1))
            an_buf_printf(
                &c->o->reason, "%s's %s was delivered to %s, and no channel declares %s -> %s",
                name(c, c->b), tr_op_names[e->op], name(c, c->a), name(c, c->b), name(c, c->a));
    }
    if (c->o->verdict == VERDICT_SUCCEEDED) return;
    an_buf_printf(&c->o->reason, "nothing %s sent was delivered to %s outside a declared channel",
                  name(c, c->b), name(c, c->a));
    /* the evidence: the target's messages reached whom it meant to reach */
    uint32_t fine = 0;
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (sender(e) != c->b || !is_request(e->op) || !delivered(e) || e->to == SCN_NONE ||
            !declared(c, c->b, e->to))
            continue;
        if (fine++ == 0)
            an_buf_printf(&c->o->reason, "; %s's requests reached its declared partners",
                          name(c, c->b));
        cite(c->o, i, OBS_CITE_MAX);
    }
    /* in a phase: what became of the target's messages once it began */
    uint32_t lost = 0;
    for (uint32_t i = c->from; c->from && i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (sender(e) != c->b || !is_request(e->op) || delivered(e)) continue;
        if (lost++ == 0)
            an_buf_printf(&c->o->reason, "; %s's requests in the phase were refused or not taken",
                          name(c, c->b));
        cite(c->o, i, OBS_CITE_MAX);
    }
    fine += lost;
    if (!fine) cite_refusals(c, SCN_NONE);
}

/* The attacker has the deputy act on the target for it: a request of the deputy, in its own
 * name (the target's record shows the deputy as sender), is delivered to the target while the
 * deputy serves a call of the attacker (after the attacker's delivered call, before the
 * deputy's reply to it), and no channel lets the attacker reach the target itself. */
static void obs_deputy(struct ctx *c)
{
    uint32_t d = c->k->via.idx, call = SCN_NONE, served = 0;
    for (uint32_t i = 0; i < c->t->nev; i++) {
        const struct tr_event *e = &c->t->ev[i];
        if (!is_message(e->op) || !delivered(e)) continue;
        if (sender(e) == c->a && e->op == TOP_CALL && e->to == d) {
            call = i;
            served++;
        } else if (sender(e) == d && is_reply(e->op) && e->to == c->a) {
            call = SCN_NONE;
        } else if (sender(e) == d && is_request(e->op) && e->to == c->b && call != SCN_NONE &&
                   !declared(c, c->a, c->b)) {
            uint32_t evs[2] = {call, i};
            if (succeed(c, evs, 2))
                an_buf_printf(&c->o->reason,
                              "%s's %s was delivered to %s, which sees it as %s's, while %s served "
                              "%s's call; no channel declares %s -> %s",
                              name(c, d), tr_op_names[e->op], name(c, c->b), name(c, d), name(c, d),
                              name(c, c->a), name(c, c->a), name(c, c->b));
        }
    }
    if (c->o->verdict == VERDICT_SUCCEEDED) return;
    an_buf_printf(&c->o->reason,
                  "nothing %s sent reached %s while it served a call of %s (%u call%s served)",
                  name(c, d), name(c, c->b), name(c, c->a), served, served == 1 ? "" : "s");
    cite_refusals(c, d);
}

/* The record that starts an attack's phase: the phase task's first revocation (a `revoke` or
 * `name_drop` record it caused, whatever its status: the attempt is the moment), its end (the
 * `task_exit` record of its task), or its first binding of an endpoint (a `bind` record it
 * caused, any status; not the runtime's probe of ENDPOINT_REDIRECTS). SCN_NONE if none. */
static uint32_t phase_marker(const struct trace *t, const struct scn_attack *k)
{
    uint32_t who = k->phase_task.idx;
    for (uint32_t i = 0; i < t->nev; i++) {
        const struct tr_event *e = &t->ev[i];
        if (k->phase == PHASE_UNTIL_REVOKE && (e->op == TOP_REVOKE || e->op == TOP_NAME_DROP) &&
            e->has_from && e->from == who)
            return i;
        if (k->phase == PHASE_AFTER_DEATH && e->op == TOP_TASK_EXIT && e->has_to && e->to == who)
            return i;
        if (k->phase == PHASE_AFTER_REBIND && e->op == TOP_BIND && e->has_from && e->from == who &&
            e->dest != UINT64_MAX /* ENDPOINT_REDIRECTS (abi/syscall.h) */)
            return i;
    }
    return SCN_NONE;
}

/* Whether task x was still running when the trace ended: its start is recorded (a
 * `task_create` record of its task) and its end is not (`task_exit`). A trace without x's
 * lifecycle records says nothing either way: false. */
static bool task_running(const struct trace *t, uint32_t x)
{
    bool created = false;
    for (uint32_t i = 0; i < t->nev && x != SCN_NONE; i++) {
        const struct tr_event *e = &t->ev[i];
        if (!e->has_to || e->to != x) continue;
        if (e->op == TOP_TASK_EXIT) return false;
        created |= e->op == TOP_TASK_CREATE;
    }
    return created;
}

static void sort_cites(struct obs_attack *o)
{
    for (uint32_t i = 1; i < o->ncite; i++)
        for (uint32_t j = i; j > 0 && o->cite[j - 1] > o->cite[j]; j--) {
            uint32_t x = o->cite[j];
            o->cite[j] = o->cite[j - 1];
            o->cite[j - 1] = x;
        }
}

void observe_attack(const struct scn *s, const struct trace *t, const struct bitmat *declared,
                    enum an_policy_id p, const struct scn_attack *k, struct obs_attack *o)
{
    memset(o, 0, sizeof(*o));
    an_buf_init(&o->reason);
    if (!t->complete) {
        /* what is missing could be the decisive record, either way: no verdict is a guess */
        o->verdict = VERDICT_INCOMPLETE;
        an_buf_printf(&o->reason, "the trace is incomplete (%s), so no verdict is read from it",
                      t->loss);
        snprintf(o->note, sizeof(o->note), "the trace is incomplete: %.160s", t->loss);
        return;
    }
    o->verdict = VERDICT_BLOCKED;
    struct ctx c = {s, t, declared, p, k, k->attacker.idx, k->target.idx, o, 0, 0};
    uint32_t marker = SCN_NONE;
    if (k->phase != PHASE_ALL) {
        marker = phase_marker(t, k);
        if (marker == SCN_NONE) {
            /* the attack is about what happens after that record: without it, nothing is */
            o->verdict = VERDICT_INCONCLUSIVE;
            const char *rec = k->phase == PHASE_AFTER_DEATH    ? "task_exit"
                              : k->phase == PHASE_AFTER_REBIND ? "bind"
                                                               : "revoke or name_drop";
            an_buf_printf(&o->reason, "the phase never began: %s %s left no %s record",
                          scn_phase_names[k->phase], k->phase_task.name, rec);
            snprintf(o->note, sizeof(o->note), "no %s record of %s in the trace", rec,
                     k->phase_task.name);
            return;
        }
        c.from = marker + 1;
    }
    switch (k->kind) {
    case ATTACK_REACH:
        obs_reach(&c);
        break;
    case ATTACK_PROBE:
        obs_probe(&c);
        break;
    case ATTACK_ENUMERATE:
        obs_enumerate(&c);
        break;
    case ATTACK_SPOOF:
        obs_spoof(&c);
        break;
    case ATTACK_DOS:
        obs_dos(&c);
        break;
    case ATTACK_LATE_REPLY:
        obs_late_reply(&c);
        break;
    case ATTACK_THIRD_REPLY:
        obs_third_reply(&c);
        break;
    case ATTACK_HIJACK:
        obs_hijack(&c);
        break;
    case ATTACK_DEPUTY:
        obs_deputy(&c);
        break;
    case ATTACK_COUNT:
        break;
    }
    if (marker != SCN_NONE) {
        an_buf_printf(&o->reason, " (%s %s: counted from trace line %u on",
                      scn_phase_names[k->phase], k->phase_task.name, t->ev[marker].line);
        if (c.before)
            an_buf_printf(&o->reason, "; %u success%s before it, allowed", c.before,
                          c.before == 1 ? "" : "es");
        an_buf_add(&o->reason, ")");
        cite(o, marker, AN_ARRAY_SIZE(o->cite));
    }
    /* A blocked attack whose attacker and target were both still running when the run ended
     * (the deadline) is not over: a slower attack could still succeed. Once the target has
     * ended, nothing more can happen to it. */
    if (o->verdict == VERDICT_BLOCKED && task_running(t, c.a) &&
        (c.b == SCN_NONE || task_running(t, c.b))) {
        o->verdict = VERDICT_INCONCLUSIVE;
        an_buf_printf(&o->reason,
                      "; but %s%s%s %s still running when the run ended (no task_exit record): "
                      "inconclusive, not blocked",
                      name(&c, c.a), c.b == SCN_NONE ? "" : " and ",
                      c.b == SCN_NONE ? "" : name(&c, c.b), c.b == SCN_NONE ? "was" : "were");
    }
    sort_cites(o);
}

void obs_attack_free(struct obs_attack *o)
{
    an_buf_free(&o->reason);
}

void obs_attack_title(const struct scn *s, const struct scn_attack *k, struct an_buf *out)
{
    an_buf_printf(out, "%s %s", scn_attack_names[k->kind], k->attacker.name);
    if (k->via.idx != SCN_NONE) an_buf_printf(out, " via %s", s->tasks[k->via.idx].name);
    if (k->target.idx != SCN_NONE) an_buf_printf(out, " -> %s", s->tasks[k->target.idx].name);
    if (k->as.idx != SCN_NONE) an_buf_printf(out, " as %s", s->channels[k->as.idx].name);
    if (k->phase != PHASE_ALL)
        an_buf_printf(out, " %s %s", scn_phase_names[k->phase], k->phase_task.name);
}
