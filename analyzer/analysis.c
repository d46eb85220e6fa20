/* SPDX-License-Identifier: MIT */
/* One analysis of a scenario: contracts, closures, comparisons with declared and observed
 * communication, verdicts. */
#include "analysis.h"
#include "z3_check.h"
#include "z3_run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const fd_kind_names[FD_COUNT] = {
    "excess-authority",     "broken-setup", "violation",   "observed-not-permitted", "contract",
    "contract-conformance", "verdict",      "verdict-run", "z3-disagreement"};

void analysis_init(struct analysis *an, const struct scn *s, const struct analysis_opts *o)
{
    memset(an, 0, sizeof(*an));
    an->s = s;
    an->max_list = o->max_list;
    an->trace_policy = -1;
    bitmat_init(&an->declared, s->ntasks);
    for (uint32_t i = 0; i < s->nchannels; i++)
        bitmat_set(&an->declared, s->channels[i].from.idx, s->channels[i].to);
    an_buf_init(&an->notes);
}

static uint32_t *listed_slot(struct analysis *an, enum fd_kind k, int policy)
{
    return policy >= 0 ? &an->pol[policy].listed[k] : &an->listed_global[k];
}

/* Adds a finding unless its kind already has max_list entries for this policy; the text and
 * derivation are built by the caller into bufs so that suppressed findings cost nothing. */
static bool want(struct analysis *an, enum fd_kind k, int policy)
{
    if (!an->max_list || *listed_slot(an, k, policy) < an->max_list) return true;
    an->suppressed++;
    return false;
}

static void add(struct analysis *an, enum fd_kind k, int policy, uint32_t a, uint32_t b,
                uint32_t line, const char *why, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static void add(struct analysis *an, enum fd_kind k, int policy, uint32_t a, uint32_t b,
                uint32_t line, const char *why, const char *fmt, ...)
{
    (*listed_slot(an, k, policy))++;
    struct finding *f = AN_PUSH(an->f, an->nf, an->cap_f);
    f->kind = k;
    f->policy = policy;
    f->a = a;
    f->b = b;
    f->line = line;
    struct an_buf t;
    an_buf_init(&t);
    va_list ap;
    va_start(ap, fmt);
    an_buf_vprintf(&t, fmt, ap);
    va_end(ap);
    f->text = t.s;
    f->why = why ? an_strdup(why) : NULL;
}

uint32_t analysis_count(const struct analysis *an)
{
    return an->nf + (uint32_t)an->suppressed;
}

enum an_status analysis_contracts(struct analysis *an, const struct analysis_opts *o,
                                  struct an_buf *err)
{
    const struct scn *s = an->s;
    an->cc = an_calloc(s->ncontracts, sizeof(*an->cc));
    an->cc_z3 = an_calloc(s->ncontracts, sizeof(int));
    for (uint32_t i = 0; i < s->ncontracts; i++) {
        const struct scn_contract *c = &s->contracts[i];
        contract_check(c, &an->cc[i]);
        for (uint32_t k = 0; k < an->cc[i].nissues; k++) {
            const struct cc_issue *is = &an->cc[i].issues[k];
            if (want(an, FD_CONTRACT, -1))
                add(an, FD_CONTRACT, -1, SCN_NONE, SCN_NONE, is->pos.line, NULL, "[%s] %s",
                    cc_kind_name(is->kind), is->text);
        }
        an->suppressed += an->cc[i].dropped;
        an->cc_z3[i] = -1;
        if (!o->use_z3) continue;
        struct an_buf diff;
        an_buf_init(&diff);
        bool agree;
        enum an_status st = contract_z3_crosscheck(c, &an->cc[i], &agree, &diff, err);
        if (st == AN_E_TIMEOUT) { /* the explicit search's result stands, unchecked */
            an_buf_printf(&an->notes,
                          "contract %s: Z3 ran out of time (%u s); the explicit search's result "
                          "stands, not cross-checked\n",
                          c->name, z3_timeout_s());
            an_buf_clear(err);
            an_buf_free(&diff);
            continue;
        }
        if (st != AN_OK) {
            an_buf_free(&diff);
            return st;
        }
        an->cc_z3[i] = agree;
        if (!agree)
            add(an, FD_Z3, -1, SCN_NONE, SCN_NONE, c->pos.line, NULL,
                "contract %s: the explicit search and Z3 disagree: %s", c->name, diff.s);
        an_buf_free(&diff);
    }
    return AN_OK;
}

void analysis_set_trace(struct analysis *an, const struct trace *t)
{
    an->trace = t;
    an->trace_policy = (int)an_policy_lookup(t->policy);
    bitmat_init(&an->observed, an->s->ntasks);
    bitmat_init(&an->violated, an->s->ntasks);
}

static bool is_send_op(enum tr_op op)
{
    return op == TOP_SEND || op == TOP_CALL || op == TOP_NOTIFY || op == TOP_REPLY ||
           op == TOP_REPLY_WAIT;
}
static bool is_reply_op(enum tr_op op)
{
    return op == TOP_REPLY || op == TOP_REPLY_WAIT;
}

/* The channel an observed message a -> b belongs to: a channel a -> b (dir in) or, for a
 * reply or answer, a channel b -> a (dir out); prefer one whose contract knows the proto. */
static uint32_t channel_of(const struct scn *s, uint32_t a, uint32_t b, int64_t proto,
                           bool *out_dir)
{
    uint32_t first = SCN_NONE;
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = 0; i < s->nchannels; i++) {
            const struct scn_channel *c = &s->channels[i];
            bool fwd = c->from.idx == a && c->to == b, rev = c->from.idx == b && c->to == a;
            if ((pass == 0 && !fwd) || (pass == 1 && !rev)) continue;
            if (first == SCN_NONE) {
                first = i;
                *out_dir = pass == 1;
            }
            const struct scn_contract *k = &s->contracts[c->contract.idx];
            for (uint32_t m = 0; m < k->nmsgs; m++)
                if (k->msgs[m].proto == proto && (k->msgs[m].dir == DIR_OUT) == (pass == 1)) {
                    *out_dir = pass == 1;
                    return i;
                }
        }
    return first;
}

/* Follows each channel's observed messages through both roles of its contract. */
static void check_conformance(struct analysis *an, int p)
{
    const struct scn *s = an->s;
    const struct trace *t = an->trace;
    uint32_t *state = an_malloc((s->nchannels * 2 + 1) * sizeof(uint32_t));
    bool *broken = an_calloc(s->nchannels + 1, sizeof(bool));
    for (uint32_t i = 0; i < s->nchannels; i++) {
        const struct scn_contract *k = &s->contracts[s->channels[i].contract.idx];
        state[2 * i] = k->role[ROLE_SERVER].initial.idx;
        state[2 * i + 1] = k->role[ROLE_CLIENT].initial.idx;
    }
    uint32_t no_proto = 0;
    for (uint32_t i = 0; i < t->nev; i++) {
        const struct tr_event *e = &t->ev[i];
        uint32_t a = e->has_orig ? e->orig : e->from;
        if (!is_send_op(e->op) || e->outcome != TOUT_DELIVERED || a == SCN_NONE ||
            e->to == SCN_NONE)
            continue;
        bool out_dir = false;
        uint32_t ch = channel_of(s, a, e->to, e->proto, &out_dir);
        if (ch == SCN_NONE || broken[ch]) continue;
        if (e->proto < 0) {
            no_proto++;
            continue;
        }
        const struct scn_contract *k = &s->contracts[s->channels[ch].contract.idx];
        uint32_t m = SCN_NONE;
        for (uint32_t j = 0; j < k->nmsgs; j++)
            if (k->msgs[j].proto == e->proto && (k->msgs[j].dir == DIR_OUT) == out_dir) m = j;
        const char *dir = out_dir ? "server to client" : "client to server";
        if (m == SCN_NONE) {
            broken[ch] = true;
            if (want(an, FD_CONFORMANCE, p))
                add(an, FD_CONFORMANCE, p, a, e->to, e->line, NULL,
                    "channel %s: message with proto 0x%llx (%s) is not in contract %s",
                    s->channels[ch].name, (unsigned long long)e->proto, dir, k->name);
            continue;
        }
        for (int ri = 0; ri < 2 && !broken[ch]; ri++) {
            const struct scn_role *ro = &k->role[ri];
            bool sends = (ri == ROLE_SERVER) == out_dir;
            uint32_t *st = &state[2 * ch + (uint32_t)ri], next = SCN_NONE;
            for (uint32_t j = 0; j < ro->ntrans; j++)
                if (ro->trans[j].from.idx == *st && ro->trans[j].msg.idx == m &&
                    ro->trans[j].send == sends)
                    next = ro->trans[j].to.idx;
            if (next != SCN_NONE) {
                *st = next;
                continue;
            }
            broken[ch] = true;
            if (want(an, FD_CONFORMANCE, p))
                add(an, FD_CONFORMANCE, p, a, e->to, e->line, NULL,
                    "channel %s: '%s' (%s) arrived while the %s was in state '%s', where contract "
                    "%s does not allow it",
                    s->channels[ch].name, k->msgs[m].name, dir,
                    ri == ROLE_SERVER ? "server" : "client", ro->states[*st], k->name);
        }
    }
    if (no_proto)
        an_buf_printf(&an->notes,
                      "%s: %u delivered messages carry no proto=, so their contract "
                      "conformance was not checked\n",
                      an_policy_names[p], no_proto);
    free(state);
    free(broken);
}

/* Observed communication against declared and permitted; the run's verdict. */
static void compare_trace(struct analysis *an, int p, struct pol_result *r)
{
    const struct scn *s = an->s;
    const struct trace *t = an->trace;
    uint32_t undeclared = 0, with_loader = 0;
    for (uint32_t i = 0; i < t->nev; i++) {
        const struct tr_event *e = &t->ev[i];
        if (!is_send_op(e->op) || e->outcome != TOUT_DELIVERED) continue;
        uint32_t a = e->has_orig ? e->orig : e->from, b = e->to;
        if (a == SCN_NONE || b == SCN_NONE) {
            undeclared++;
            continue;
        }
        if (a == b) continue;
        /* A task without a parent runs the scenario loader (monitor/scnroot/): what passes
         * between it and its tasks is the setup, paging and the parent name service, not the
         * scenario's communication. */
        if (s->tasks[a].parent.name == NULL || s->tasks[b].parent.name == NULL) {
            with_loader++;
            continue;
        }
        /* a reply to a declared caller is declared communication, and so is a notification
         * from a server to its declared client (a contract's async `out` message) */
        bool reply_ok =
            (is_reply_op(e->op) || e->op == TOP_NOTIFY) && bitmat_get(&an->declared, b, a);
        bool violation = !bitmat_get(&an->declared, a, b) && !reply_ok;
        if (bitmat_get(&an->observed, a, b) && (!violation || bitmat_get(&an->violated, a, b)))
            continue;
        bitmat_set(&an->observed, a, b);
        if (violation) {
            bitmat_set(&an->violated, a, b);
            r->nviolations++;
            if (want(an, FD_VIOLATION, p))
                add(an, FD_VIOLATION, p, a, b, e->line, NULL,
                    "%s -> %s was delivered (%s, trace line %u) but no channel declares it",
                    s->tasks[a].name, s->tasks[b].name, tr_op_names[e->op], e->line);
        }
        bool unsound = !is_reply_op(e->op) && !bitmat_get(&r->perm, a, b);
        r->nunsound += unsound;
        if (unsound && want(an, FD_UNSOUND, p))
            add(an, FD_UNSOUND, p, a, b, e->line, NULL,
                "%s -> %s was delivered (trace line %u) although the derived %s setup does not "
                "permit it (kernel and setup model disagree)",
                s->tasks[a].name, s->tasks[b].name, e->line, r->be->name);
    }
    if (with_loader)
        an_buf_printf(&an->notes,
                      "%s: %u delivered messages between the loader (the root task) and its tasks "
                      "(setup, paging, parent name service); not compared\n",
                      an_policy_names[p], with_loader);
    if (undeclared)
        an_buf_printf(&an->notes,
                      "%s: %u delivered messages involve tasks the scenario does not "
                      "declare (root, pagers); not compared\n",
                      an_policy_names[p], undeclared);
    check_conformance(an, p);
    /* The run's verdict: succeeded if any attack succeeded, each decided from the trace's
     * records alone (observe.c). */
    r->observed = s->nattacks ? VERDICT_BLOCKED : VERDICT_NA;
    r->obs = s->nattacks ? an_calloc(s->nattacks, sizeof(*r->obs)) : NULL;
    for (uint32_t i = 0; i < s->nattacks; i++) {
        observe_attack(s, t, &an->declared, (enum an_policy_id)p, &s->attacks[i], &r->obs[i]);
        if (r->obs[i].verdict == VERDICT_SUCCEEDED) r->observed = VERDICT_SUCCEEDED;
    }
    /* no success, but an attack whose end the run did not see: not blocked */
    for (uint32_t i = 0; i < s->nattacks && r->observed == VERDICT_BLOCKED; i++)
        if (r->obs[i].verdict == VERDICT_INCONCLUSIVE) r->observed = VERDICT_INCONCLUSIVE;
    if (!t->complete) r->observed = VERDICT_INCOMPLETE; /* never a guess from a lossy trace */
}

/* Whether a contract can block an end. Where messages are buffered (the backend queues), a
 * message its receiver is not ready for waits in the kernel and its sender goes on: only a
 * deadlock blocks then. */
static bool contract_has_issue(const struct analysis *an, uint32_t contract, bool queues)
{
    const struct cc_result *r = &an->cc[contract];
    for (uint32_t i = 0; i < r->nissues; i++)
        if (r->issues[i].kind == CC_DEADLOCK || (!queues && r->issues[i].kind == CC_UNRECEIVED))
            return true;
    return false;
}

/* The verdict the derived setup predicts for one attack, with the reason. */
static bool predict_attack(struct analysis *an, struct pol_result *r, const struct scn_attack *k,
                           struct an_buf *why)
{
    const struct scn *s = an->s;
    const struct an_backend *be = r->be;
    uint32_t a = k->attacker.idx, b = k->target.idx;
    switch (k->kind) {
    case ATTACK_REACH:
        be->explain(s, r->setup, a, b, why);
        return bitmat_get(&r->perm, a, b);
    case ATTACK_PROBE:
        an_buf_add(why, be->desc->names == BACKEND_NAMES_GLOBAL
                            ? "names are global ids: a probe tells existing ids apart"
                            : "names are task-local: there are no global ids to probe");
        return be->desc->names == BACKEND_NAMES_GLOBAL;
    case ATTACK_ENUMERATE:
        if (s->naming == NAMING_FLAT && be->names_not_authority) {
            /* listing works; using a listed name needs a rule for the service's owner */
            for (uint32_t v = 0; v < s->nservices; v++) {
                uint32_t o = s->services[v].owner.idx;
                bool chan = false;
                for (uint32_t i = 0; i < s->nchannels; i++)
                    chan |= s->channels[i].from.idx == a && s->channels[i].to == o;
                if (o == a || chan || !bitmat_get(&r->perm, a, o)) continue;
                an_buf_printf(why, "flat naming lists every name, and %s may reach %s",
                              s->tasks[a].name, s->tasks[o].name);
                return true;
            }
            an_buf_add(why, "flat naming lists every name, but the monitor's rules come from the "
                            "declared channels: a listed service it has no rule for is refused");
            return false;
        }
        an_buf_add(why, s->naming == NAMING_FLAT
                            ? "flat naming: one name service lists every registered name to anyone"
                            : "hierarchical naming: each parent shows a child only the names meant "
                              "for it");
        return s->naming == NAMING_FLAT;
    case ATTACK_SPOOF:
        return be->can_spoof(s, r->setup, a, k->as.idx, why);
    case ATTACK_DOS:
        for (uint32_t i = 0; i < s->nchannels; i++) {
            const struct scn_channel *c = &s->channels[i];
            bool between = (c->from.idx == a && c->to == b) || (c->from.idx == b && c->to == a);
            if (!between || !contract_has_issue(an, c->contract.idx, be->desc->queues)) continue;
            an_buf_printf(why,
                          "contract %s of channel %s can block an end (deadlock or "
                          "unreceived message; the IPC semantics, not the policy, decide)",
                          s->contracts[c->contract.idx].name, c->name);
            return true;
        }
        /* Kernel memory: where messages (not senders) wait, a sender that never stops fills it,
         * and then everybody's messages are refused. */
        for (uint32_t i = 0; i < s->nchannels; i++) {
            if (s->channels[i].from.idx != a) continue;
            if (be->desc->queues && !s->tasks[a].unlimited) {
                an_buf_printf(why,
                              "%s may send (channel %s) and messages queue in kernel memory, but "
                              "charged to it: its message quota stops it, everybody else's "
                              "messages still fit",
                              s->tasks[a].name, s->channels[i].name);
                return false;
            }
            an_buf_printf(why,
                          be->desc->queues
                              ? "%s may send (channel %s) and messages queue in kernel memory "
                                "with no quota on it: sending without end exhausts it for "
                                "everyone"
                              : "no contract between them can block an end, and a sender blocks "
                                "instead of being buffered (%s's channel %s occupies no kernel "
                                "memory)",
                          s->tasks[a].name, s->channels[i].name);
            return be->desc->queues;
        }
        an_buf_add(why, "no contract between them can block an end");
        return false;
    case ATTACK_LATE_REPLY: {
        bool serves = false;
        for (uint32_t i = 0; i < s->nchannels; i++)
            serves |= s->channels[i].from.idx == b && s->channels[i].to == a;
        bool ok = serves && be->desc->reply == BACKEND_REPLY_UNTIL_USED;
        an_buf_add(why, !serves ? "the target never calls the attacker"
                        : ok ? "the reply right (a send-once right) stays valid after the caller "
                               "gave up, so a late reply lands in the next wait"
                             : "the implicit reply capability ends when the caller's wait ends");
        return ok;
    }
    case ATTACK_THIRD_REPLY:
        an_buf_add(why, "a reply needs the reply right of that very call, which only the callee "
                        "holds; the caller's closed wait takes nothing else");
        return false;
    case ATTACK_HIJACK: {
        /* The target looks a name up; under flat naming the attacker may register it first. */
        for (uint32_t i = 0; i < s->nchannels; i++) {
            if (s->channels[i].from.idx != b) continue;
            POL_FOR_RIVALS(s, i, j)
            {
                if (s->claims[j].task.idx != a) continue;
                bool ok = bitmat_get(&r->perm, b, a);
                an_buf_printf(why, "flat naming: %s may register \"%s\" before %s; then ",
                              s->tasks[a].name, s->channels[i].lookup,
                              s->tasks[s->channels[i].to].name);
                if (!ok) an_buf_add(why, "the setup still does not let the target send to it: ");
                be->explain(s, r->setup, b, a, why);
                return ok;
            }
        }
        an_buf_add(why, s->naming == NAMING_FLAT
                            ? "the attacker claims no name the target looks up"
                            : "hierarchical naming: the parent registers each name for the task it "
                              "started, so a rival's claim is refused");
        if (be->desc->label == BACKEND_LABEL_GATE)
            an_buf_add(why, "; nor can it rebind the target's gate: the bind right stays with the "
                            "gate's creator, a send or give right is not enough");
        return false;
    }
    case ATTACK_DEPUTY: {
        /* The deputy acts with its own right on a name the attacker designates: where a name is
         * a right (task-local), the attacker has none for the target to hand over. */
        uint32_t d = k->via.idx;
        bool global = be->desc->names == BACKEND_NAMES_GLOBAL, reach = bitmat_get(&r->perm, d, b);
        an_buf_printf(why,
                      global
                          ? "names are global ids: %s can designate %s without holding a right, "
                            "and %s %s reach it"
                          : "a designation is a task-local right: %s holds no right to %s to hand "
                            "%s, whatever %s itself may reach",
                      s->tasks[a].name, s->tasks[b].name, s->tasks[d].name,
                      global ? (reach ? "may" : "may not") : s->tasks[d].name);
        return global && reach;
    }
    case ATTACK_COUNT:
        break;
    }
    return false;
}

/* The verdict predicted for an attack under its phase: after a revocation only a backend that
 * cannot take a delegated right back lets the attacker go on (Mach: a copied send right is the
 * holder's own; only the port's receiver can destroy the port). */
static bool predict_phase(const struct scn *s, struct pol_result *r, const struct scn_attack *k,
                          bool ok, struct an_buf *why)
{
    if (k->phase == PHASE_AFTER_DEATH && k->kind == ATTACK_HIJACK && ok) {
        /* A claim races the provider's registration; once the provider has registered and
         * died, the name service still holds its registration (first come, first served). */
        for (uint32_t v = 0; v < s->nservices; v++) {
            if (s->services[v].owner.idx != k->phase_task.idx || !s->services[v].regname) continue;
            an_buf_printf(why,
                          "; after death %s: its registration of \"%s\" outlives it, so a later "
                          "claim is refused",
                          k->phase_task.name, s->services[v].regname);
            return false;
        }
    }
    if (k->phase != PHASE_UNTIL_REVOKE || !ok) return ok;
    const struct backend_desc *d = r->be->desc;
    bool takes_back = d->revocable && d->label != BACKEND_LABEL_PORT;
    an_buf_printf(why, "; %s %s: %s", scn_phase_names[k->phase], k->phase_task.name,
                  takes_back     ? "revoking takes the delegated right back, a blocked send with it"
                  : d->revocable ? "a copied send right is its holder's own; only the port's "
                                   "receiver can destroy the port"
                                 : "names cannot be revoked");
    return !takes_back;
}

static void predict(struct analysis *an, int p, struct pol_result *r)
{
    const struct scn *s = an->s;
    r->predicted = s->nattacks ? VERDICT_BLOCKED : VERDICT_NA;
    for (uint32_t i = 0; i < s->nattacks; i++) {
        const struct scn_attack *k = &s->attacks[i];
        struct an_buf why;
        an_buf_init(&why);
        bool ok = predict_phase(s, r, k, predict_attack(an, r, k, &why), &why);
        an_buf_printf(&r->verdict_why, "%s%s %s%s%s: %s (%s)", i ? "; " : "",
                      scn_attack_names[k->kind], k->attacker.name,
                      k->target.idx != SCN_NONE ? " -> " : "",
                      k->target.idx != SCN_NONE ? s->tasks[k->target.idx].name : "",
                      ok ? "succeeded" : "blocked", why.s);
        an_buf_free(&why);
        if (ok) r->predicted = VERDICT_SUCCEEDED;
    }
    enum scn_verdict e = s->expect[p];
    if ((e == VERDICT_BLOCKED || e == VERDICT_SUCCEEDED) && r->predicted != VERDICT_NA &&
        e != r->predicted && want(an, FD_VERDICT, p))
        add(an, FD_VERDICT, p, SCN_NONE, SCN_NONE, s->expect_pos[p].line, r->verdict_why.s,
            "expected %s under %s, but the derived setup predicts %s", scn_verdict_name(e),
            an_policy_names[p], scn_verdict_name(r->predicted));
    if (an->trace && an->trace_policy == p &&
        (e == VERDICT_BLOCKED || e == VERDICT_SUCCEEDED || r->observed == VERDICT_INCOMPLETE ||
         r->observed == VERDICT_INCONCLUSIVE) &&
        r->observed != VERDICT_NA && e != r->observed && want(an, FD_VERDICT_RUN, p)) {
        struct an_buf why;
        an_buf_init(&why);
        for (uint32_t i = 0; i < s->nattacks && r->obs; i++)
            an_buf_printf(&why, "%s%s: %s", i ? "; " : "", scn_verdict_name(r->obs[i].verdict),
                          r->obs[i].reason.s);
        add(an, FD_VERDICT_RUN, p, SCN_NONE, SCN_NONE, s->expect_pos[p].line, why.s,
            "expected %s under %s, but the run shows %s", scn_verdict_name(e), an_policy_names[p],
            scn_verdict_name(r->observed));
        an_buf_free(&why);
    }
}

static void z3_crosscheck(struct analysis *an, int p, struct pol_result *r, struct bitmat *zp)
{
    const struct scn *s = an->s;
    uint64_t only_c = bitmat_count_minus(&r->perm, zp), only_z = bitmat_count_minus(zp, &r->perm);
    r->z3 = !only_c && !only_z;
    an_buf_printf(&r->z3_note, "Z3 %s the C closure (%llu pairs)",
                  r->z3 ? "agrees with" : "DISAGREES with", (unsigned long long)r->npermitted);
    if (r->z3) return;
    struct an_buf t;
    an_buf_init(&t);
    uint32_t shown = 0;
    for (uint32_t a = 0; a < s->ntasks && shown < 8; a++)
        for (uint32_t b = 0; b < s->ntasks && shown < 8; b++) {
            bool c = bitmat_get(&r->perm, a, b), z = bitmat_get(zp, a, b);
            if (c == z) continue;
            an_buf_printf(&t, "%s%s -> %s only in %s", shown ? ", " : "", s->tasks[a].name,
                          s->tasks[b].name, c ? "C" : "Z3");
            shown++;
        }
    add(an, FD_Z3, p, SCN_NONE, SCN_NONE, 0, NULL, "%s: %llu pairs only in C, %llu only in Z3: %s",
        an_policy_names[p], (unsigned long long)only_c, (unsigned long long)only_z, t.s);
    an_buf_free(&t);
}

enum an_status analysis_policy(struct analysis *an, enum an_policy_id p,
                               const struct analysis_opts *o, struct an_buf *err)
{
    const struct scn *s = an->s;
    struct pol_result *r = &an->pol[p];
    r->be = an_backend_get(p);
    r->setup = r->be->derive(s);
    bitmat_init(&r->perm, s->ntasks);
    r->be->closure(s, r->setup, &r->perm);
    r->done = true;
    r->z3 = -1;
    an_buf_init(&r->verdict_why);
    an_buf_init(&r->z3_note);
    r->npermitted = bitmat_count(&r->perm);
    r->nexcess = bitmat_count_minus(&r->perm, &an->declared);
    r->nbroken = bitmat_count_minus(&an->declared, &r->perm);
    struct an_buf why;
    an_buf_init(&why);
    for (uint32_t a = 0; a < s->ntasks; a++) {
        for (uint32_t b = bitmat_next(&an->declared, a, 0); b < s->ntasks;
             b = bitmat_next(&an->declared, a, b + 1)) {
            if (bitmat_get(&r->perm, a, b) || !want(an, FD_BROKEN, (int)p)) continue;
            an_buf_clear(&why);
            r->be->explain(s, r->setup, a, b, &why);
            add(an, FD_BROKEN, (int)p, a, b, 0, why.s,
                "%s -> %s is declared but %s does not permit it", s->tasks[a].name,
                s->tasks[b].name, r->be->name);
        }
    }
    uint64_t excess_left = r->nexcess;
    for (uint32_t a = 0; a < s->ntasks && excess_left; a++) {
        for (uint32_t b = bitmat_next(&r->perm, a, 0); b < s->ntasks;
             b = bitmat_next(&r->perm, a, b + 1)) {
            if (bitmat_get(&an->declared, a, b)) continue;
            excess_left--;
            if (!want(an, FD_EXCESS, (int)p)) {
                an->suppressed += excess_left; /* the rest of this kind are counted, not listed */
                excess_left = 0;
                break;
            }
            an_buf_clear(&why);
            r->be->explain(s, r->setup, a, b, &why);
            add(an, FD_EXCESS, (int)p, a, b, 0, why.s, "%s -> %s is permitted but not declared",
                s->tasks[a].name, s->tasks[b].name);
        }
    }
    an_buf_free(&why);
    if (an->trace && an->trace_policy == (int)p) {
        memset(an->observed.bits, 0,
               (size_t)an->observed.n * an->observed.words * sizeof(uint64_t));
        memset(an->violated.bits, 0,
               (size_t)an->violated.n * an->violated.words * sizeof(uint64_t));
        compare_trace(an, (int)p, r);
    } else {
        r->observed = VERDICT_UNSET;
    }
    predict(an, (int)p, r);
    if (o->use_z3) {
        if (s->ntasks > Z3_MAX_TASKS) {
            an_buf_printf(&r->z3_note, "Z3 cross-check skipped: %u tasks > %d", s->ntasks,
                          Z3_MAX_TASKS);
            return AN_OK;
        }
        struct bitmat zp;
        bitmat_init(&zp, s->ntasks);
        enum an_status st = closure_z3(s, r->be, r->setup, &zp, err);
        if (st == AN_OK) z3_crosscheck(an, (int)p, r, &zp);
        bitmat_free(&zp);
        if (st == AN_E_TIMEOUT) { /* fall back to the C closure, and say so */
            an_buf_printf(&r->z3_note,
                          "Z3 ran out of time (%u s): the C closure's result (%llu pairs) stands, "
                          "not cross-checked",
                          z3_timeout_s(), (unsigned long long)r->npermitted);
            an_buf_clear(err);
            return AN_OK;
        }
        return st;
    }
    return AN_OK;
}

void analysis_free(struct analysis *an)
{
    for (int p = 0; p < POL_COUNT; p++) {
        struct pol_result *r = &an->pol[p];
        if (!r->done) continue;
        r->be->free_setup(r->setup);
        bitmat_free(&r->perm);
        an_buf_free(&r->verdict_why);
        an_buf_free(&r->z3_note);
        for (uint32_t i = 0; r->obs && i < an->s->nattacks; i++)
            obs_attack_free(&r->obs[i]);
        free(r->obs);
    }
    if (an->cc)
        for (uint32_t i = 0; i < an->s->ncontracts; i++)
            cc_result_free(&an->cc[i]);
    free(an->cc);
    free(an->cc_z3);
    for (uint32_t i = 0; i < an->nf; i++) {
        free(an->f[i].text);
        free(an->f[i].why);
    }
    free(an->f);
    bitmat_free(&an->declared);
    if (an->observed.bits) bitmat_free(&an->observed);
    if (an->violated.bits) bitmat_free(&an->violated);
    an_buf_free(&an->notes);
    memset(an, 0, sizeof(*an));
}
