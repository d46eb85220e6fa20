/* SPDX-License-Identifier: MIT */
/* Contract checks by explicit state search over the joint states of the two ends. */
#include "contract_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cc_kind_name(enum cc_kind k)
{
    switch (k) {
    case CC_UNREACHABLE:
        return "unreachable-state";
    case CC_NONDET:
        return "nondeterministic";
    case CC_STUCK:
        return "stuck-state";
    case CC_UNUSED:
        return "unused-message";
    case CC_DEADLOCK:
        return "deadlock";
    case CC_UNRECEIVED:
        return "unreceived-message";
    }
    return "?";
}

static const char *const role_names[2] = {"server", "client"};

static struct cc_issue *add_issue(struct cc_result *r, enum cc_kind k, int role, struct scn_pos pos,
                                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static struct cc_issue *add_issue(struct cc_result *r, enum cc_kind k, int role, struct scn_pos pos,
                                  const char *fmt, ...)
{
    if (r->nissues == CC_MAX_ISSUES) {
        r->dropped++;
        return NULL;
    }
    struct cc_issue *i = &r->issues[r->nissues++];
    memset(i, 0, sizeof(*i));
    i->kind = k;
    i->role = role;
    i->pos = pos;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(i->text, sizeof(i->text), fmt, ap);
    va_end(ap);
    return i;
}

static void check_role(const struct scn_contract *c, int ri, struct cc_result *r)
{
    const struct scn_role *ro = &c->role[ri];
    bool reach[SCN_MAX_STATES] = {false};
    uint32_t queue[SCN_MAX_STATES], head = 0, tail = 0;
    reach[ro->initial.idx] = true;
    queue[tail++] = ro->initial.idx;
    while (head < tail) {
        uint32_t st = queue[head++];
        for (uint32_t i = 0; i < ro->ntrans; i++) {
            const struct scn_trans *t = &ro->trans[i];
            if (t->from.idx != st || reach[t->to.idx]) continue;
            reach[t->to.idx] = true;
            queue[tail++] = t->to.idx;
        }
    }
    for (uint32_t st = 0; st < ro->nstates; st++) {
        bool out = false;
        for (uint32_t i = 0; i < ro->ntrans; i++)
            out |= ro->trans[i].from.idx == st;
        if (!reach[st])
            add_issue(r, CC_UNREACHABLE, ri, ro->state_pos[st],
                      "contract %s, %s: state '%s' is unreachable from '%s'", c->name,
                      role_names[ri], ro->states[st], ro->states[ro->initial.idx]);
        else if (!out && !(ro->final_mask >> st & 1))
            add_issue(r, CC_STUCK, ri, ro->state_pos[st],
                      "contract %s, %s: state '%s' is not final and has no transition", c->name,
                      role_names[ri], ro->states[st]);
    }
    for (uint32_t i = 0; i < ro->ntrans; i++)
        for (uint32_t j = i + 1; j < ro->ntrans; j++) {
            const struct scn_trans *a = &ro->trans[i], *b = &ro->trans[j];
            if (a->from.idx != b->from.idx || a->msg.idx != b->msg.idx || a->send != b->send)
                continue;
            add_issue(r, CC_NONDET, ri, b->from.pos,
                      "contract %s, %s: state '%s' has two transitions on %s%c (to '%s' and '%s')",
                      c->name, role_names[ri], ro->states[a->from.idx], c->msgs[a->msg.idx].name,
                      a->send ? '!' : '?', ro->states[a->to.idx], ro->states[b->to.idx]);
        }
}

static void set_bit(uint8_t *bits, uint32_t k)
{
    bits[k >> 3] |= (uint8_t)(1u << (k & 7));
}

struct search {
    const struct scn_contract *c;
    struct cc_result *r;
    uint32_t *queue;
    uint32_t tail;
};

static void visit(struct search *x, uint32_t s, uint32_t c, uint32_t p, bool *moved)
{
    *moved = true;
    uint32_t k = CC_KEY(s, c, p);
    if (cc_bit(x->r->reach_bits, k)) return;
    set_bit(x->r->reach_bits, k);
    x->queue[x->tail++] = k;
}

/* The moves of one end that send (ri is the sender) from joint state (s, c, p). */
static void sender_moves(struct search *x, int ri, uint32_t s, uint32_t c, uint32_t p, bool *moved)
{
    const struct scn_contract *k = x->c;
    const struct scn_role *me = &k->role[ri], *peer = &k->role[!ri];
    uint32_t mine = ri == ROLE_SERVER ? s : c, theirs = ri == ROLE_SERVER ? c : s;
    for (uint32_t i = 0; i < me->ntrans; i++) {
        const struct scn_trans *t = &me->trans[i];
        if (t->from.idx != mine || !t->send) continue;
        const struct scn_message *m = &k->msgs[t->msg.idx];
        uint32_t nm = t->to.idx;
        if (m->mode == MODE_ASYNC) { /* a notification: never blocks, coalesces */
            uint32_t np = p | 1u << m->async_bit;
            visit(x, ri == ROLE_SERVER ? nm : s, ri == ROLE_SERVER ? c : nm, np, moved);
            continue;
        }
        bool received = false;
        for (uint32_t j = 0; j < peer->ntrans; j++) {
            const struct scn_trans *u = &peer->trans[j];
            if (u->from.idx != theirs || u->send || u->msg.idx != t->msg.idx) continue;
            received = true;
            visit(x, ri == ROLE_SERVER ? nm : u->to.idx, ri == ROLE_SERVER ? u->to.idx : nm, p,
                  moved);
        }
        if (m->mode == MODE_LOSSY) { /* zero timeout: the message may be lost */
            visit(x, ri == ROLE_SERVER ? nm : s, ri == ROLE_SERVER ? c : nm, p, moved);
        } else if (!received) {
            uint32_t key = CC_UNRECV_KEY(ri, s, c, t->msg.idx);
            if (!cc_bit(x->r->unrecv_bits, key)) {
                set_bit(x->r->unrecv_bits, key);
                struct cc_issue *is = add_issue(
                    x->r, CC_UNRECEIVED, ri, t->msg.pos,
                    "contract %s: the %s may send '%s' in state '%s' while the %s, in state '%s', "
                    "cannot receive it (the sender blocks)",
                    k->name, role_names[ri], m->name, me->states[mine], role_names[!ri],
                    peer->states[theirs]);
                if (is) {
                    is->srv = s;
                    is->cli = c;
                    is->msg = t->msg.idx;
                }
            }
        }
    }
}

/* Receiving a pending notification. */
static void async_receives(struct search *x, int ri, uint32_t s, uint32_t c, uint32_t p,
                           bool *moved)
{
    const struct scn_role *me = &x->c->role[ri];
    uint32_t mine = ri == ROLE_SERVER ? s : c;
    for (uint32_t i = 0; i < me->ntrans; i++) {
        const struct scn_trans *t = &me->trans[i];
        const struct scn_message *m = &x->c->msgs[t->msg.idx];
        if (t->from.idx != mine || t->send || m->mode != MODE_ASYNC) continue;
        uint32_t bit = 1u << m->async_bit;
        if (!(p & bit)) continue;
        visit(x, ri == ROLE_SERVER ? t->to.idx : s, ri == ROLE_SERVER ? c : t->to.idx, p & ~bit,
              moved);
    }
}

static void joint_search(const struct scn_contract *c, struct cc_result *r)
{
    struct search x = {.c = c, .r = r};
    x.queue = an_malloc(CC_KEYS * sizeof(uint32_t));
    bool dummy;
    visit(&x, c->role[ROLE_SERVER].initial.idx, c->role[ROLE_CLIENT].initial.idx, 0, &dummy);
    for (uint32_t head = 0; head < x.tail; head++) {
        uint32_t k = x.queue[head];
        uint32_t s = k & 63, cl = (k >> 6) & 63, p = k >> 12;
        bool moved = false;
        sender_moves(&x, ROLE_SERVER, s, cl, p, &moved);
        sender_moves(&x, ROLE_CLIENT, s, cl, p, &moved);
        async_receives(&x, ROLE_SERVER, s, cl, p, &moved);
        async_receives(&x, ROLE_CLIENT, s, cl, p, &moved);
        bool fin = (c->role[ROLE_SERVER].final_mask >> s & 1) &&
                   (c->role[ROLE_CLIENT].final_mask >> cl & 1);
        if (moved || fin) continue;
        set_bit(r->dead_bits, k);
        struct cc_issue *is = add_issue(
            r, CC_DEADLOCK, ROLE_SERVER, c->pos,
            "contract %s: deadlock in joint state (server '%s', client '%s'%s): neither end can "
            "move and they are not both final",
            c->name, c->role[ROLE_SERVER].states[s], c->role[ROLE_CLIENT].states[cl],
            p ? ", notifications pending" : "");
        if (is) {
            is->srv = s;
            is->cli = cl;
            is->pending = p;
        }
    }
    r->reachable = x.tail;
    free(x.queue);
}

void contract_check(const struct scn_contract *c, struct cc_result *r)
{
    memset(r, 0, sizeof(*r));
    r->reach_bits = an_calloc(CC_KEYS / 8, 1);
    r->dead_bits = an_calloc(CC_KEYS / 8, 1);
    r->unrecv_bits = an_calloc(CC_UNRECV_KEYS / 8, 1);
    check_role(c, ROLE_SERVER, r);
    if (!c->role[ROLE_CLIENT].derived) check_role(c, ROLE_CLIENT, r);
    for (uint32_t m = 0; m < c->nmsgs; m++) {
        bool used = false;
        for (int ri = 0; ri < 2; ri++)
            for (uint32_t i = 0; i < c->role[ri].ntrans; i++)
                used |= c->role[ri].trans[i].msg.idx == m;
        if (!used)
            add_issue(r, CC_UNUSED, ROLE_SERVER, c->msgs[m].pos,
                      "contract %s: message '%s' is declared but no transition uses it", c->name,
                      c->msgs[m].name);
    }
    joint_search(c, r);
}

void cc_result_free(struct cc_result *r)
{
    free(r->reach_bits);
    free(r->dead_bits);
    free(r->unrecv_bits);
    memset(r, 0, sizeof(*r));
}
