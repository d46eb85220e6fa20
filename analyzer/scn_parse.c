/* SPDX-License-Identifier: MIT */
/* The scenario-language parser: one token of lookahead, one statement per line, no recursion. */
#include "scn_model.h"
#include "scn_lex.h"
#include "scn_idl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    struct scn_lexer lx;
    struct scn_token tok;
    struct scn *s;
    struct an_diag *d;
    bool failed;
    enum an_status why;
};

static void describe(const struct scn_token *t, char *out, size_t n)
{
    switch (t->kind) {
    case TOK_IDENT:
        snprintf(out, n, "'%.40s'", t->text);
        break;
    case TOK_INT:
        snprintf(out, n, "integer %lld", (long long)t->value);
        break;
    case TOK_STRING:
        snprintf(out, n, "string \"%.40s\"", t->text);
        break;
    default:
        snprintf(out, n, "%s", scn_tok_name(t->kind));
        break;
    }
}

static bool fail_at(struct parser *p, uint32_t line, uint32_t col, enum an_status why,
                    const char *msg)
{
    if (!p->failed) {
        an_diag_error(p->d, line, col, "%s", msg);
        p->failed = true;
        p->why = why;
    }
    return false;
}

/* "expected X, got Y" at the current token: the one error message shape of the grammar. */
static bool expected(struct parser *p, const char *what)
{
    char got[80], msg[240];
    describe(&p->tok, got, sizeof(got));
    snprintf(msg, sizeof(msg), "expected %s, got %s", what, got);
    return fail_at(p, p->tok.line, p->tok.col, AN_E_SYNTAX, msg);
}

static bool advance(struct parser *p)
{
    scn_lex_next(&p->lx, &p->tok);
    if (p->tok.kind == TOK_ERROR)
        return fail_at(p, p->tok.line, p->tok.col, AN_E_SYNTAX, p->tok.text);
    return true;
}

static bool at(const struct parser *p, enum scn_tok k)
{
    return p->tok.kind == k;
}
static bool at_word(const struct parser *p, const char *w)
{
    return p->tok.kind == TOK_IDENT && strcmp(p->tok.text, w) == 0;
}

static bool eat(struct parser *p, enum scn_tok k, const char *what)
{
    if (!at(p, k)) return expected(p, what);
    return advance(p);
}

static bool eat_word(struct parser *p, const char *w)
{
    if (!at_word(p, w)) {
        char what[64];
        snprintf(what, sizeof(what), "'%s'", w);
        return expected(p, what);
    }
    return advance(p);
}

static bool end_of_statement(struct parser *p)
{
    if (at(p, TOK_EOF)) return true;
    return eat(p, TOK_NL, "end of line");
}

/* Takes an identifier into a fresh string; `what` names it in the error. */
static bool take_ident(struct parser *p, const char *what, char **out, struct scn_pos *pos)
{
    if (!at(p, TOK_IDENT)) return expected(p, what);
    *out = an_strdup(p->tok.text);
    if (pos) *pos = (struct scn_pos){p->tok.line, p->tok.col};
    return advance(p);
}

static bool take_ref(struct parser *p, const char *what, struct scn_ref *r)
{
    r->idx = SCN_NONE;
    if (r->name) {
        char msg[160];
        snprintf(msg, sizeof(msg), "%s given twice", what);
        return fail_at(p, p->tok.line, p->tok.col, AN_E_SYNTAX, msg);
    }
    return take_ident(p, what, &r->name, &r->pos);
}

static bool take_string(struct parser *p, const char *what, char **out, struct scn_pos *pos)
{
    if (!at(p, TOK_STRING)) return expected(p, what);
    if (*out) return fail_at(p, p->tok.line, p->tok.col, AN_E_SYNTAX, "given twice");
    *out = an_strdup(p->tok.text);
    if (pos) *pos = (struct scn_pos){p->tok.line, p->tok.col};
    return advance(p);
}

static bool take_int(struct parser *p, const char *what, int64_t *out)
{
    if (!at(p, TOK_INT)) return expected(p, what);
    *out = p->tok.value;
    return advance(p);
}

static bool limit(struct parser *p, uint32_t n, uint32_t max, const char *what)
{
    if (n < max) return true;
    char msg[120];
    snprintf(msg, sizeof(msg), "too many %s (limit %u)", what, max);
    return fail_at(p, p->tok.line, p->tok.col, AN_E_LIMIT, msg);
}

static bool register_name(struct parser *p, struct an_map *m, const char *kind, const char *name,
                          struct scn_pos pos, uint32_t idx)
{
    if (an_map_put(m, name, idx)) return true;
    char msg[220];
    snprintf(msg, sizeof(msg), "%s '%s' declared twice", kind, name);
    return fail_at(p, pos.line, pos.col, AN_E_SEMANTIC, msg);
}

static bool parse_scenario(struct parser *p)
{
    struct scn *s = p->s;
    if (!eat_word(p, "scenario")) return false;
    if (!take_ident(p, "a scenario name", &s->name, &s->name_pos)) return false;
    if (at(p, TOK_STRING) && !take_string(p, "a description", &s->description, NULL)) return false;
    return end_of_statement(p);
}

static bool parse_naming(struct parser *p)
{
    if (at_word(p, "flat"))
        p->s->naming = NAMING_FLAT;
    else if (at_word(p, "hierarchical"))
        p->s->naming = NAMING_HIERARCHICAL;
    else
        return expected(p, "'flat' or 'hierarchical'");
    return advance(p) && end_of_statement(p);
}

static bool parse_task(struct parser *p)
{
    struct scn *s = p->s;
    if (!limit(p, s->ntasks, SCN_MAX_TASKS, "tasks")) return false;
    struct scn_task *t = AN_PUSH(s->tasks, s->ntasks, s->cap_tasks);
    memset(t, 0, sizeof(*t));
    t->parent.idx = t->monitor.idx = SCN_NONE;
    t->threads = 1;
    if (!take_ident(p, "a task name", &t->name, &t->pos)) return false;
    if (!register_name(p, &s->task_map, "task", t->name, t->pos, s->ntasks - 1)) return false;
    if (!eat_word(p, "program")) return false;
    if (!take_ident(p, "a program name", &t->program, NULL)) return false;
    while (!at(p, TOK_NL) && !at(p, TOK_EOF)) {
        if (at_word(p, "parent")) {
            if (!advance(p) || !take_ref(p, "a parent task name", &t->parent)) return false;
        } else if (at_word(p, "monitor")) {
            if (!advance(p) || !take_ref(p, "a monitor task name", &t->monitor)) return false;
        } else if (at_word(p, "attacker")) {
            t->attacker = true;
            if (!advance(p)) return false;
        } else if (at_word(p, "unlimited")) {
            t->unlimited = true;
            if (!advance(p)) return false;
        } else if (at_word(p, "threads")) {
            int64_t n = 0;
            if (!advance(p)) return false;
            uint32_t line = p->tok.line, col = p->tok.col;
            if (!take_int(p, "a thread count", &n)) return false;
            if (n < 1 || n > SCN_MAX_THREADS)
                return fail_at(p, line, col, AN_E_LIMIT, "thread count must be 1..64");
            t->threads = (uint32_t)n;
        } else {
            return expected(p, "'parent', 'monitor', 'attacker', 'unlimited', 'threads' or end "
                               "of line");
        }
    }
    return end_of_statement(p);
}

static bool parse_service(struct parser *p)
{
    struct scn *s = p->s;
    if (!limit(p, s->nservices, SCN_MAX_SERVICES, "services")) return false;
    struct scn_service *v = AN_PUSH(s->services, s->nservices, s->cap_services);
    memset(v, 0, sizeof(*v));
    if (!take_ident(p, "a service name", &v->name, &v->pos)) return false;
    if (!register_name(p, &s->service_map, "service", v->name, v->pos, s->nservices - 1))
        return false;
    if (!eat_word(p, "task") || !take_ref(p, "the providing task's name", &v->owner)) return false;
    if (at_word(p, "name")) {
        if (!advance(p) ||
            !take_string(p, "a registered name (a string)", &v->regname, &v->regname_pos))
            return false;
    }
    return end_of_statement(p);
}

static bool parse_claim(struct parser *p)
{
    struct scn *s = p->s;
    if (!limit(p, s->nclaims, SCN_MAX_SERVICES, "claims")) return false;
    struct scn_claim *c = AN_PUSH(s->claims, s->nclaims, s->cap_claims);
    memset(c, 0, sizeof(*c));
    c->pos = (struct scn_pos){p->tok.line, p->tok.col};
    if (!take_ref(p, "the claiming task's name", &c->task)) return false;
    if (!eat_word(p, "name") ||
        !take_string(p, "the claimed name (a string)", &c->regname, &c->regname_pos))
        return false;
    return end_of_statement(p);
}

static bool skip_blank_lines(struct parser *p)
{
    while (at(p, TOK_NL))
        if (!advance(p)) return false;
    return true;
}

static bool parse_message(struct parser *p, struct scn_contract *c, enum scn_dir dir)
{
    if (!limit(p, c->nmsgs, SCN_MAX_MESSAGES, "messages in a contract")) return false;
    struct scn_message *m = AN_PUSH(c->msgs, c->nmsgs, c->cap_msgs);
    memset(m, 0, sizeof(*m));
    m->dir = dir;
    m->proto = -1;
    if (!take_ident(p, "a message name", &m->name, &m->pos)) return false;
    for (uint32_t i = 0; i + 1 < c->nmsgs; i++) {
        if (strcmp(c->msgs[i].name, m->name) == 0)
            return fail_at(p, m->pos.line, m->pos.col, AN_E_SEMANTIC, "message declared twice");
    }
    bool mode_set = false;
    while (!at(p, TOK_NL) && !at(p, TOK_EOF)) {
        if (at_word(p, "proto")) {
            if (m->proto >= 0)
                return fail_at(p, p->tok.line, p->tok.col, AN_E_SYNTAX, "proto given twice");
            if (!advance(p) || !take_int(p, "a protocol label (integer)", &m->proto)) return false;
        } else if (!mode_set &&
                   (at_word(p, "sync") || at_word(p, "lossy") || at_word(p, "async"))) {
            m->mode = at_word(p, "sync")    ? MODE_SYNC
                      : at_word(p, "lossy") ? MODE_LOSSY
                                            : MODE_ASYNC;
            mode_set = true;
            if (!advance(p)) return false;
        } else {
            return expected(p, "'proto', 'sync', 'lossy', 'async' or end of line");
        }
    }
    return end_of_statement(p);
}

static bool add_state(struct parser *p, struct scn_role *r)
{
    if (!limit(p, r->nstates, SCN_MAX_STATES, "states in a role")) return false;
    if (!at(p, TOK_IDENT)) return expected(p, "a state name");
    struct scn_pos pos = {p->tok.line, p->tok.col};
    if (scn_role_state_find(r, p->tok.text) != SCN_NONE)
        return fail_at(p, pos.line, pos.col, AN_E_SEMANTIC, "state declared twice");
    /* stored before advancing, so that a lexical error after it leaks nothing */
    r->states[r->nstates] = an_strdup(p->tok.text);
    r->state_pos[r->nstates] = pos;
    r->nstates++;
    return advance(p);
}

/* A role body: `states`, `initial`, `final` and transitions `from: msg? -> to` / `msg!`. */
static bool parse_role(struct parser *p, struct scn_role *r)
{
    if (r->present) return fail_at(p, p->tok.line, p->tok.col, AN_E_SEMANTIC, "role given twice");
    r->present = true;
    r->pos = (struct scn_pos){p->tok.line, p->tok.col};
    r->initial.idx = SCN_NONE;
    if (!advance(p) || !eat(p, TOK_LBRACE, "'{'") || !eat(p, TOK_NL, "end of line")) return false;
    for (;;) {
        if (!skip_blank_lines(p)) return false;
        if (at(p, TOK_RBRACE)) break;
        if (at_word(p, "states")) {
            if (!advance(p)) return false;
            if (!at(p, TOK_IDENT)) return expected(p, "a state name");
            while (at(p, TOK_IDENT))
                if (!add_state(p, r)) return false;
        } else if (at_word(p, "initial")) {
            if (!advance(p) || !take_ref(p, "the initial state", &r->initial)) return false;
        } else if (at_word(p, "final")) {
            if (!advance(p)) return false;
            if (!at(p, TOK_IDENT)) return expected(p, "a state name");
            while (at(p, TOK_IDENT)) {
                uint32_t st = scn_role_state_find(r, p->tok.text);
                if (st == SCN_NONE) {
                    char msg[200];
                    snprintf(msg, sizeof(msg), "unknown state '%s' (declare it with 'states')",
                             p->tok.text);
                    return fail_at(p, p->tok.line, p->tok.col, AN_E_SEMANTIC, msg);
                }
                r->final_mask |= 1ull << st;
                if (!advance(p)) return false;
            }
        } else if (at(p, TOK_IDENT)) {
            if (!limit(p, r->ntrans, SCN_MAX_TRANS, "transitions in a role")) return false;
            struct scn_trans *t = AN_PUSH(r->trans, r->ntrans, r->cap_trans);
            memset(t, 0, sizeof(*t));
            if (!take_ref(p, "a state name", &t->from) || !eat(p, TOK_COLON, "':'") ||
                !take_ref(p, "a message name", &t->msg))
                return false;
            if (at(p, TOK_QMARK))
                t->send = false;
            else if (at(p, TOK_BANG))
                t->send = true;
            else
                return expected(p, "'?' (receive) or '!' (send)");
            if (!advance(p) || !eat(p, TOK_ARROW, "'->'") || !take_ref(p, "the next state", &t->to))
                return false;
        } else {
            return expected(p, "'states', 'initial', 'final', a transition or '}'");
        }
        if (!end_of_statement(p)) return false;
        if (at(p, TOK_EOF)) return expected(p, "'}'");
    }
    return advance(p) && end_of_statement(p);
}

static bool parse_contract_body(struct parser *p, struct scn_contract *c);

/*
 * `contract NAME from idl "FILE"`: ipcidl's contract of interface NAME, parsed as if written
 * here. A mistake inside the generated text (there should be none) is reported at the string.
 */
static bool parse_contract_from_idl(struct parser *p, struct scn_contract *c)
{
    if (!advance(p) || !eat_word(p, "idl")) return false;
    char *file = NULL;
    struct scn_pos pos = {0, 0};
    if (!take_string(p, "the interface file (a string)", &file, &pos)) return false;
    if (!end_of_statement(p)) {
        free(file);
        return false;
    }
    char why[512];
    char *text = scn_idl_contract(p->s->file, file, c->name, why, sizeof(why));
    free(file);
    if (!text) return fail_at(p, pos.line, pos.col, AN_E_SEMANTIC, why);
    struct parser sub = {.s = p->s, .d = p->d, .why = AN_OK};
    scn_lex_init(&sub.lx, text, strlen(text));
    /* the generated text: comment lines, then "contract NAME {" */
    bool ok = advance(&sub) && skip_blank_lines(&sub) && eat_word(&sub, "contract") &&
              at(&sub, TOK_IDENT) && advance(&sub) && parse_contract_body(&sub, c);
    free(text);
    if (!ok)
        return fail_at(p, pos.line, pos.col, sub.why ? sub.why : AN_E_SYNTAX,
                       "the contract generated from this interface file did not parse");
    return true;
}

static bool parse_contract(struct parser *p)
{
    struct scn *s = p->s;
    if (!limit(p, s->ncontracts, SCN_MAX_CONTRACTS, "contracts")) return false;
    struct scn_contract *c = AN_PUSH(s->contracts, s->ncontracts, s->cap_contracts);
    memset(c, 0, sizeof(*c));
    if (!take_ident(p, "a contract name", &c->name, &c->pos)) return false;
    if (!register_name(p, &s->contract_map, "contract", c->name, c->pos, s->ncontracts - 1))
        return false;
    if (at_word(p, "from")) return parse_contract_from_idl(p, c);
    return parse_contract_body(p, c);
}

/* `{ messages and roles }` to the end of the statement. */
static bool parse_contract_body(struct parser *p, struct scn_contract *c)
{
    if (!eat(p, TOK_LBRACE, "'{'") || !eat(p, TOK_NL, "end of line")) return false;
    for (;;) {
        if (!skip_blank_lines(p)) return false;
        if (at(p, TOK_RBRACE)) break;
        if (at_word(p, "in") || at_word(p, "out")) {
            enum scn_dir dir = at_word(p, "in") ? DIR_IN : DIR_OUT;
            if (!advance(p) || !parse_message(p, c, dir)) return false;
        } else if (at_word(p, "server") || at_word(p, "client")) {
            if (!parse_role(p, &c->role[at_word(p, "server") ? ROLE_SERVER : ROLE_CLIENT]))
                return false;
        } else {
            return expected(p, "'in', 'out', 'server', 'client' or '}'");
        }
        if (at(p, TOK_EOF)) return expected(p, "'}'");
    }
    return advance(p) && end_of_statement(p);
}

static bool parse_channel(struct parser *p)
{
    struct scn *s = p->s;
    if (!limit(p, s->nchannels, SCN_MAX_CHANNELS, "channels")) return false;
    struct scn_channel *c = AN_PUSH(s->channels, s->nchannels, s->cap_channels);
    memset(c, 0, sizeof(*c));
    c->label = -1;
    c->to = SCN_NONE;
    c->service.idx = c->contract.idx = SCN_NONE;
    if (!take_ident(p, "a channel name", &c->name, &c->pos)) return false;
    if (!register_name(p, &s->channel_map, "channel", c->name, c->pos, s->nchannels - 1))
        return false;
    if (!take_ref(p, "the sending task's name", &c->from) || !eat(p, TOK_ARROW, "'->'"))
        return false;
    if (at_word(p, "name")) {
        if (!advance(p)) return false;
        if (!take_string(p, "a registered name (a string)", &c->lookup, &c->lookup_pos))
            return false;
    } else if (!take_ref(p, "a service name or 'name \"...\"'", &c->service)) {
        return false;
    }
    while (!at(p, TOK_NL) && !at(p, TOK_EOF)) {
        if (at_word(p, "contract")) {
            if (!advance(p) || !take_ref(p, "a contract name", &c->contract)) return false;
        } else if (at_word(p, "label")) {
            if (c->label >= 0)
                return fail_at(p, p->tok.line, p->tok.col, AN_E_SYNTAX, "label given twice");
            if (!advance(p) || !take_int(p, "a label (integer)", &c->label)) return false;
        } else if (at_word(p, "give")) {
            c->give = true;
            if (!advance(p)) return false;
        } else {
            return expected(p, "'contract', 'label', 'give' or end of line");
        }
    }
    if (!c->contract.name) return expected(p, "'contract NAME' (every channel has a contract)");
    return end_of_statement(p);
}

static bool parse_expect(struct parser *p)
{
    struct scn *s = p->s;
    s->has_expect = true;
    if (!at(p, TOK_IDENT)) return expected(p, "a policy name");
    while (at(p, TOK_IDENT)) {
        enum an_policy_id pol = an_policy_lookup(p->tok.text);
        if (pol == POL_COUNT) return expected(p, "a policy (none, clans, ports, refmon, capgate)");
        struct scn_pos pos = {p->tok.line, p->tok.col};
        if (s->expect[pol] != VERDICT_UNSET)
            return fail_at(p, pos.line, pos.col, AN_E_SEMANTIC,
                           "verdict for this policy given twice");
        if (!advance(p) || !eat(p, TOK_EQUALS, "'='")) return false;
        if (at_word(p, "blocked"))
            s->expect[pol] = VERDICT_BLOCKED;
        else if (at_word(p, "succeeded"))
            s->expect[pol] = VERDICT_SUCCEEDED;
        else if (at_word(p, "n/a"))
            s->expect[pol] = VERDICT_NA;
        else
            return expected(p, "a verdict: 'blocked', 'succeeded' or 'n/a'");
        s->expect_pos[pol] = pos;
        if (!advance(p)) return false;
    }
    return end_of_statement(p);
}

/* An attack's optional phase: `until revoke TASK`, `after death TASK` or `after rebind TASK`
 * (scn_model.h). */
static bool parse_phase(struct parser *p, struct scn_attack *a)
{
    if (at(p, TOK_NL) || at(p, TOK_EOF)) return end_of_statement(p);
    a->phase_pos = (struct scn_pos){p->tok.line, p->tok.col};
    if (at_word(p, "until")) {
        if (!advance(p) || !eat_word(p, "revoke")) return false;
        a->phase = PHASE_UNTIL_REVOKE;
        if (!take_ref(p, "the revoking task's name", &a->phase_task)) return false;
    } else if (at_word(p, "after")) {
        if (!advance(p)) return false;
        if (at_word(p, "death"))
            a->phase = PHASE_AFTER_DEATH;
        else if (at_word(p, "rebind"))
            a->phase = PHASE_AFTER_REBIND;
        else
            return expected(p, "'death' or 'rebind'");
        if (!advance(p) ||
            !take_ref(p,
                      a->phase == PHASE_AFTER_DEATH ? "the name of the task that dies"
                                                    : "the name of the task that rebinds",
                      &a->phase_task))
            return false;
    } else {
        return expected(p, "'until revoke TASK', 'after death TASK', 'after rebind TASK' or end "
                           "of line");
    }
    return end_of_statement(p);
}

static bool parse_attack(struct parser *p)
{
    struct scn *s = p->s;
    if (!limit(p, s->nattacks, 256, "attacks")) return false;
    struct scn_attack *a = AN_PUSH(s->attacks, s->nattacks, s->cap_attacks);
    memset(a, 0, sizeof(*a));
    a->attacker.idx = a->target.idx = a->as.idx = a->via.idx = a->phase_task.idx = SCN_NONE;
    a->pos = (struct scn_pos){p->tok.line, p->tok.col};
    enum scn_attack_kind k = ATTACK_COUNT;
    for (unsigned i = 0; i < ATTACK_COUNT; i++)
        if (at_word(p, scn_attack_names[i])) k = (enum scn_attack_kind)i;
    if (k == ATTACK_COUNT)
        return expected(p, "an attack kind: reach, probe, enumerate, spoof, dos, late_reply, "
                           "third_reply, hijack, deputy");
    a->kind = k;
    if (!advance(p) || !take_ref(p, "the attacker's task name", &a->attacker)) return false;
    if (k == ATTACK_PROBE || k == ATTACK_ENUMERATE) return parse_phase(p, a);
    if (k == ATTACK_SPOOF) {
        if (!eat_word(p, "as") || !take_ref(p, "the impersonated channel's name", &a->as))
            return false;
        return parse_phase(p, a);
    }
    if (k == ATTACK_DEPUTY &&
        (!eat_word(p, "via") || !take_ref(p, "the deputy's task name", &a->via)))
        return false;
    if (!eat(p, TOK_ARROW, "'->'") || !take_ref(p, "the target task's name", &a->target))
        return false;
    return parse_phase(p, a);
}

/* `run INT ms|s`: how long the loader lets the run go (virtual time). */
static bool parse_run(struct parser *p)
{
    struct scn *s = p->s;
    struct scn_pos pos = {p->tok.line, p->tok.col};
    if (s->run_ms) return fail_at(p, pos.line, pos.col, AN_E_SEMANTIC, "'run' given twice");
    int64_t v = 0;
    if (!take_int(p, "a run length (e.g. 'run 3 s', 'run 1500 ms')", &v)) return false;
    int64_t scale;
    if (at_word(p, "ms"))
        scale = 1;
    else if (at_word(p, "s"))
        scale = 1000;
    else
        return expected(p, "a unit: 'ms' or 's'");
    if (v < 1 || v > SCN_RUN_MS_MAX || v * scale < SCN_RUN_MS_MIN || v * scale > SCN_RUN_MS_MAX) {
        char msg[120];
        snprintf(msg, sizeof(msg), "run length out of range (%u ms to %u s)", SCN_RUN_MS_MIN,
                 SCN_RUN_MS_MAX / 1000);
        return fail_at(p, pos.line, pos.col, AN_E_LIMIT, msg);
    }
    s->run_ms = (uint32_t)(v * scale);
    s->run_pos = pos;
    return advance(p) && end_of_statement(p);
}

static bool parse_policy_block(struct parser *p)
{
    struct scn *s = p->s;
    if (!at(p, TOK_IDENT)) return expected(p, "a policy name");
    enum an_policy_id pol = an_policy_lookup(p->tok.text);
    if (pol == POL_COUNT) return expected(p, "a policy (none, clans, ports, refmon, capgate)");
    if (!advance(p) || !eat(p, TOK_LBRACE, "'{'") || !eat(p, TOK_NL, "end of line")) return false;
    for (;;) {
        if (!skip_blank_lines(p)) return false;
        if (at(p, TOK_RBRACE)) break;
        if (!limit(p, s->nadds, SCN_MAX_CHANNELS, "policy additions")) return false;
        struct scn_addition *a = AN_PUSH(s->adds, s->nadds, s->cap_adds);
        memset(a, 0, sizeof(*a));
        a->policy = pol;
        a->pos = (struct scn_pos){p->tok.line, p->tok.col};
        if (!take_ident(p, "an addition (e.g. 'cap', 'forward', 'allow', 'send')", &a->verb, NULL))
            return false;
        while (!at(p, TOK_NL) && !at(p, TOK_EOF)) {
            if (a->nargs == SCN_MAX_ARGS)
                return fail_at(p, p->tok.line, p->tok.col, AN_E_LIMIT,
                               "too many arguments (limit 8)");
            struct scn_arg *g = &a->args[a->nargs];
            memset(g, 0, sizeof(*g));
            g->pos = (struct scn_pos){p->tok.line, p->tok.col};
            g->idx = SCN_NONE;
            if (at(p, TOK_IDENT) || at(p, TOK_STRING)) {
                g->kind = at(p, TOK_IDENT) ? ARG_IDENT : ARG_STRING;
                g->s = an_strdup(p->tok.text);
            } else if (at(p, TOK_INT)) {
                g->kind = ARG_INT;
                g->v = p->tok.value;
            } else if (at(p, TOK_STAR)) {
                g->kind = ARG_STAR;
            } else if (at(p, TOK_ARROW)) {
                g->kind = ARG_ARROW;
            } else {
                return expected(p, "an argument (name, integer, string, '*', '->') or end of line");
            }
            a->nargs++;
            if (!advance(p)) return false;
        }
        if (!end_of_statement(p)) return false;
        if (at(p, TOK_EOF)) return expected(p, "'}'");
    }
    return advance(p) && end_of_statement(p);
}

static bool parse_statement(struct parser *p)
{
    static const struct {
        const char *word;
        bool (*fn)(struct parser *);
    } stmts[] = {
        {"naming", parse_naming}, {"task", parse_task},         {"service", parse_service},
        {"claim", parse_claim},   {"contract", parse_contract}, {"channel", parse_channel},
        {"expect", parse_expect}, {"attack", parse_attack},     {"policy", parse_policy_block},
        {"run", parse_run},
    };
    for (size_t i = 0; i < AN_ARRAY_SIZE(stmts); i++)
        if (at_word(p, stmts[i].word)) return advance(p) && stmts[i].fn(p);
    if (at_word(p, "scenario"))
        return fail_at(p, p->tok.line, p->tok.col, AN_E_SYNTAX,
                       "only one 'scenario' line per file");
    return expected(p, "a statement (task, service, claim, naming, contract, channel, expect, "
                       "attack, policy, run)");
}

enum an_status scn_parse(const char *file, const char *buf, size_t len, struct scn *s,
                         struct an_diag *d)
{
    memset(s, 0, sizeof(*s));
    s->file = an_strdup(file);
    struct parser p = {.s = s, .d = d, .why = AN_OK};
    scn_lex_init(&p.lx, buf, len);
    if (advance(&p) && skip_blank_lines(&p) && parse_scenario(&p)) {
        while (!p.failed) {
            if (!skip_blank_lines(&p)) break;
            if (at(&p, TOK_EOF)) break;
            parse_statement(&p);
        }
    }
    enum an_status st = p.failed ? p.why : scn_check(s, d);
    if (st != AN_OK) scn_free(s);
    return st;
}

enum an_status scn_load(const char *path, struct scn *s, struct an_diag *d)
{
    size_t len;
    const char *why;
    char *buf = an_read_file(path, SCN_MAX_FILE, &len, &why);
    if (!buf) {
        memset(s, 0, sizeof(*s));
        an_diag_error(d, 0, 0, "cannot read: %s", why);
        return AN_E_IO;
    }
    enum an_status st = scn_parse(path, buf, len, s, d);
    free(buf);
    return st;
}
