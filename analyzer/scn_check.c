/* SPDX-License-Identifier: MIT */
/* Resolves the names of a parsed scenario and checks that the declaration is consistent. */
#include "policy.h"
#include "scn_model.h"

#include <string.h>

static bool resolve_task(const struct scn *s, struct scn_ref *r, const char *what,
                         struct an_diag *d)
{
    if (!r->name) return true;
    r->idx = scn_task_find(s, r->name);
    if (r->idx != SCN_NONE) return true;
    an_diag_error(d, r->pos.line, r->pos.col, "unknown task '%s' (%s; declare it with 'task')",
                  r->name, what);
    return false;
}

/* Parents must form a forest; walking up at most ntasks steps proves it without recursion. */
static bool check_tree(const struct scn *s, struct an_diag *d)
{
    for (uint32_t t = 0; t < s->ntasks; t++) {
        uint32_t cur = t;
        for (uint32_t steps = 0; cur != SCN_NONE; steps++) {
            if (steps > s->ntasks) {
                const struct scn_task *k = &s->tasks[t];
                an_diag_error(d, k->parent.pos.line, k->parent.pos.col,
                              "task '%s' is its own ancestor (the creation tree has a cycle)",
                              k->name);
                return false;
            }
            cur = s->tasks[cur].parent.idx;
        }
    }
    return true;
}

/* Which service a `-> name "x"` channel reaches: the declared provider of that name in the
 * client's view (flat: the one global provider; hierarchical: the provider among the
 * client's siblings, or the client's parent itself). */
static uint32_t resolve_lookup(const struct scn *s, const struct scn_channel *c, uint32_t *count)
{
    uint32_t found = SCN_NONE;
    *count = 0;
    uint32_t parent = c->from.idx == SCN_NONE ? SCN_NONE : scn_parent(s, c->from.idx);
    for (uint32_t i = 0; i < s->nservices; i++) {
        const struct scn_service *v = &s->services[i];
        if (!v->regname || strcmp(v->regname, c->lookup) != 0) continue;
        if (s->naming == NAMING_HIERARCHICAL && v->owner.idx != parent &&
            scn_parent(s, v->owner.idx) != parent)
            continue;
        if (found == SCN_NONE) found = i;
        (*count)++;
    }
    return found;
}

static bool check_role_refs(const struct scn_contract *c, struct scn_role *r, const char *role,
                            struct an_diag *d)
{
    bool ok = true;
    if (!r->initial.name) {
        an_diag_error(d, r->pos.line, r->pos.col, "%s role of contract '%s' has no 'initial' state",
                      role, c->name);
        return false;
    }
    r->initial.idx = scn_role_state_find(r, r->initial.name);
    if (r->initial.idx == SCN_NONE) {
        an_diag_error(d, r->initial.pos.line, r->initial.pos.col,
                      "unknown state '%s' (declare it with 'states')", r->initial.name);
        ok = false;
    }
    for (uint32_t i = 0; i < r->ntrans; i++) {
        struct scn_trans *t = &r->trans[i];
        t->from.idx = scn_role_state_find(r, t->from.name);
        t->to.idx = scn_role_state_find(r, t->to.name);
        t->msg.idx = scn_contract_msg_find(c, t->msg.name);
        const struct scn_ref *bad = t->from.idx == SCN_NONE ? &t->from
                                    : t->to.idx == SCN_NONE ? &t->to
                                                            : NULL;
        if (bad) {
            an_diag_error(d, bad->pos.line, bad->pos.col,
                          "unknown state '%s' (declare it with 'states')", bad->name);
            ok = false;
            continue;
        }
        if (t->msg.idx == SCN_NONE) {
            an_diag_error(d, t->msg.pos.line, t->msg.pos.col,
                          "unknown message '%s' (declare it with 'in' or 'out')", t->msg.name);
            ok = false;
            continue;
        }
        /* The server receives `in` and sends `out`; the client the other way round. */
        const struct scn_message *m = &c->msgs[t->msg.idx];
        bool server = r == &c->role[ROLE_SERVER];
        bool must_send = server ? m->dir == DIR_OUT : m->dir == DIR_IN;
        if (t->send != must_send) {
            an_diag_error(d, t->msg.pos.line, t->msg.pos.col,
                          "message '%s' is '%s' (%s): the %s %s it, so write '%s%c'", m->name,
                          m->dir == DIR_IN ? "in" : "out",
                          m->dir == DIR_IN ? "client to server" : "server to client", role,
                          must_send ? "sends" : "receives", m->name, must_send ? '!' : '?');
            ok = false;
        }
    }
    return ok;
}

/* The client role, when not written, is the server's dual: same states, ! and ? swapped. */
static void derive_client(struct scn_contract *c)
{
    struct scn_role *sr = &c->role[ROLE_SERVER], *cr = &c->role[ROLE_CLIENT];
    cr->present = cr->derived = true;
    cr->pos = sr->pos;
    cr->nstates = sr->nstates;
    for (uint32_t i = 0; i < sr->nstates; i++) {
        cr->states[i] = an_strdup(sr->states[i]);
        cr->state_pos[i] = sr->state_pos[i];
    }
    cr->initial = sr->initial;
    cr->initial.name = an_strdup(sr->initial.name);
    cr->final_mask = sr->final_mask;
    cr->ntrans = cr->cap_trans = sr->ntrans;
    cr->trans = an_calloc(sr->ntrans, sizeof(*cr->trans));
    for (uint32_t i = 0; i < sr->ntrans; i++) {
        struct scn_trans *t = &cr->trans[i];
        *t = sr->trans[i];
        t->send = !t->send;
        t->from.name = an_strdup(t->from.name);
        t->msg.name = an_strdup(t->msg.name);
        t->to.name = an_strdup(t->to.name);
    }
}

static bool check_contract(struct scn_contract *c, struct an_diag *d)
{
    uint32_t nasync = 0;
    for (uint32_t i = 0; i < c->nmsgs; i++) {
        if (c->msgs[i].mode != MODE_ASYNC) continue;
        if (nasync == SCN_MAX_ASYNC) {
            an_diag_error(d, c->msgs[i].pos.line, c->msgs[i].pos.col,
                          "too many async messages in one contract (limit %d)", SCN_MAX_ASYNC);
            return false;
        }
        c->msgs[i].async_bit = nasync++;
    }
    if (!c->role[ROLE_SERVER].present) {
        an_diag_error(d, c->pos.line, c->pos.col, "contract '%s' has no 'server { ... }' role",
                      c->name);
        return false;
    }
    if (!check_role_refs(c, &c->role[ROLE_SERVER], "server", d)) return false;
    if (!c->role[ROLE_CLIENT].present) {
        derive_client(c);
        return true;
    }
    return check_role_refs(c, &c->role[ROLE_CLIENT], "client", d);
}

static bool check_channels(struct scn *s, struct an_diag *d)
{
    bool ok = true;
    for (uint32_t i = 0; i < s->nchannels; i++) {
        struct scn_channel *c = &s->channels[i];
        if (!resolve_task(s, &c->from, "the channel's sender", d)) {
            ok = false;
            continue;
        }
        if (c->lookup) {
            uint32_t n;
            c->service.idx = resolve_lookup(s, c, &n);
            if (n != 1) {
                an_diag_error(d, c->lookup_pos.line, c->lookup_pos.col,
                              n ? "name \"%s\" has %u providers in the sender's view"
                                : "no service registers the name \"%s\" in the sender's view%.0u",
                              c->lookup, n);
                ok = false;
                continue;
            }
        } else {
            c->service.idx = scn_service_find(s, c->service.name);
            if (c->service.idx == SCN_NONE) {
                an_diag_error(d, c->service.pos.line, c->service.pos.col,
                              "unknown service '%s' (declare it with 'service')", c->service.name);
                ok = false;
                continue;
            }
        }
        c->to = s->services[c->service.idx].owner.idx;
        if (c->to == c->from.idx) {
            an_diag_error(d, c->pos.line, c->pos.col, "channel '%s' goes from '%s' to itself",
                          c->name, c->from.name);
            ok = false;
        }
        uint32_t k;
        if (!an_map_get(&s->contract_map, c->contract.name, &k)) {
            an_diag_error(d, c->contract.pos.line, c->contract.pos.col,
                          "unknown contract '%s' (declare it with 'contract')", c->contract.name);
            ok = false;
            continue;
        }
        c->contract.idx = k;
        if (c->label < 0) c->label = (int64_t)i + 1;
    }
    return ok;
}

#define SETUP_NAME_MAX 31 /* the name service's limit (user/lib/scn.h) */

/* A registered, claimed or looked-up name must be one the boot setup can carry and the name
 * services accept (ns_get_string in user/lib/scn.c: 1..31 bytes of [A-Za-z0-9_.-]): checked
 * here, once, so `check` refuses what `setup` could not write or a run could not register. */
static bool name_ok(const char *name, struct scn_pos pos, const char *what, struct an_diag *d)
{
    size_t n = strlen(name);
    const char *why = NULL;
    if (n == 0) why = "is empty";
    if (n > SETUP_NAME_MAX) why = "is longer than 31 bytes (the name service's limit)";
    for (size_t i = 0; i < n && !why; i++) {
        char c = name[i];
        if ((unsigned char)c <= ' ' || c == 0x7f)
            why = "contains a space or a control character";
        else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '.' || c == '-'))
            why = "contains a byte the name services refuse (only A-Z a-z 0-9 _ . -)";
    }
    if (!why) return true;
    an_diag_error(d, pos.line, pos.col, "%s \"%s\" %s; the boot setup needs a single word", what,
                  name, why);
    return false;
}

static bool check_names(const struct scn *s, struct an_diag *d)
{
    bool ok = true;
    for (uint32_t i = 0; i < s->nservices; i++)
        if (s->services[i].regname)
            ok &= name_ok(s->services[i].regname, s->services[i].regname_pos, "registered name", d);
    for (uint32_t i = 0; i < s->nclaims; i++)
        ok &= name_ok(s->claims[i].regname, s->claims[i].regname_pos, "claimed name", d);
    for (uint32_t i = 0; i < s->nchannels; i++)
        if (s->channels[i].lookup)
            ok &= name_ok(s->channels[i].lookup, s->channels[i].lookup_pos, "looked-up name", d);
    return ok;
}

static bool check_attacks(struct scn *s, struct an_diag *d)
{
    bool ok = true;
    for (uint32_t i = 0; i < s->nattacks; i++) {
        struct scn_attack *a = &s->attacks[i];
        if (!resolve_task(s, &a->attacker, "the attacker", d) ||
            !resolve_task(s, &a->target, "the attack's target", d)) {
            ok = false;
            continue;
        }
        if (!s->tasks[a->attacker.idx].attacker) {
            an_diag_error(d, a->attacker.pos.line, a->attacker.pos.col,
                          "task '%s' attacks but is not marked 'attacker' in its task line",
                          a->attacker.name);
            ok = false;
        }
        if (a->as.name) {
            a->as.idx = scn_channel_find(s, a->as.name);
            if (a->as.idx == SCN_NONE) {
                an_diag_error(d, a->as.pos.line, a->as.pos.col,
                              "unknown channel '%s' (declare it with 'channel')", a->as.name);
                ok = false;
                continue;
            }
            a->target.idx = s->channels[a->as.idx].to;
            if (s->channels[a->as.idx].from.idx == a->attacker.idx) {
                an_diag_error(d, a->as.pos.line, a->as.pos.col,
                              "'%s' spoofs channel '%s', which is its own: sending as itself "
                              "decides nothing",
                              a->attacker.name, a->as.name);
                ok = false;
            }
        }
        if (!resolve_task(s, &a->via, "the deputy", d) ||
            !resolve_task(s, &a->phase_task, "the task of the attack's phase", d)) {
            ok = false;
            continue;
        }
        if (a->via.idx != SCN_NONE &&
            (a->via.idx == a->attacker.idx || a->via.idx == a->target.idx)) {
            an_diag_error(d, a->via.pos.line, a->via.pos.col,
                          "the deputy '%s' must be a third task, neither the attacker nor the "
                          "target",
                          a->via.name);
            ok = false;
        }
        if (a->phase == PHASE_AFTER_DEATH && a->phase_task.idx == a->attacker.idx) {
            an_diag_error(d, a->phase_task.pos.line, a->phase_task.pos.col,
                          "'after death %s': the attacker cannot attack after its own end",
                          a->phase_task.name);
            ok = false;
        }
        if (a->target.idx != SCN_NONE && a->target.idx == a->attacker.idx) {
            struct scn_pos p = a->target.name ? a->target.pos : a->as.pos;
            an_diag_error(d, p.line, p.col,
                          "'%s' attacks itself: a %s attack needs a target other than the "
                          "attacker",
                          a->attacker.name, scn_attack_names[a->kind]);
            ok = false;
        }
    }
    return ok;
}

enum an_status scn_check(struct scn *s, struct an_diag *d)
{
    uint32_t before = d->count;
    bool ok = true;
    for (uint32_t i = 0; i < s->ntasks; i++) {
        ok &= resolve_task(s, &s->tasks[i].parent, "the parent", d);
        ok &= resolve_task(s, &s->tasks[i].monitor, "the monitor", d);
    }
    if (!ok || !check_tree(s, d)) return AN_E_SEMANTIC;
    for (uint32_t i = 0; i < s->nservices; i++)
        ok &= resolve_task(s, &s->services[i].owner, "the service's provider", d);
    for (uint32_t i = 0; i < s->nclaims; i++)
        ok &= resolve_task(s, &s->claims[i].task, "the claiming task", d);
    if (!ok) return AN_E_SEMANTIC;
    for (uint32_t i = 0; i < s->ncontracts; i++)
        ok &= check_contract(&s->contracts[i], d);
    ok &= check_channels(s, d);
    ok &= check_attacks(s, d);
    ok &= check_names(s, d);
    if (!s->has_expect) {
        an_diag_error(d, s->name_pos.line, s->name_pos.col,
                      "no 'expect' line (give a verdict per policy: none clans ports refmon "
                      "capgate, each blocked/succeeded/n/a)");
        ok = false;
    } else {
        for (int p = 0; p < POL_COUNT; p++) {
            if (s->expect[p] != VERDICT_UNSET) continue;
            an_diag_error(d, s->name_pos.line, s->name_pos.col,
                          "no expected verdict for policy '%s' (add '%s=blocked|succeeded|n/a' "
                          "to an 'expect' line)",
                          an_policy_names[p], an_policy_names[p]);
            ok = false;
        }
    }
    if (ok) ok = an_backends_check_additions(s, d);
    if (ok && d->count == before) return AN_OK;
    return AN_E_SEMANTIC;
}
