/* SPDX-License-Identifier: MIT */
/* Backend `capgate`: task-local capabilities to IPC gates; holders of a gate capability may
 * send, and a capability with the give right may be mapped on to anyone its holder reaches. */
#include "deleg.h"
#include "policy.h"

#include <stdlib.h>
#include <string.h>

/* Entities: gate of channel i is i; an extra `cap` gate is nchannels + addition index; a
 * claimant's gate handed out by a flat name service is nchannels + nadds + claim index; the
 * service's own gate, the one its provider registers (the loader gives it label 0x100 +
 * service index), is nchannels + nadds + nclaims + service index. */
struct capgate_setup {
    struct deleg g;
};

static bool capgate_check_addition(const struct scn *s, struct scn_addition *a, struct an_diag *d)
{
    if (strcmp(a->verb, "cap") == 0) {
        if (!pol_nargs(a, 2, 3, "TASK SERVICE [give]", d)) return false;
        if (!pol_arg_task(s, a, 0, d) || !pol_arg_service(s, a, 1, d)) return false;
        return a->nargs == 2 || pol_arg_word(a, 2, "give", d);
    }
    if (strcmp(a->verb, "delegate") == 0) {
        if (!pol_nargs(a, 3, 4, "CHANNEL to TASK [give]", d)) return false;
        if (!pol_arg_channel(s, a, 0, d) || !pol_arg_word(a, 1, "to", d) ||
            !pol_arg_task(s, a, 2, d))
            return false;
        if (a->nargs == 4 && !pol_arg_word(a, 3, "give", d)) return false;
        const struct scn_channel *c = &s->channels[a->args[0].idx];
        if (!c->give) {
            an_diag_error(d, a->args[0].pos.line, a->args[0].pos.col,
                          "%s's capability for channel '%s' has no give right, so it cannot be "
                          "delegated (add 'give' to the channel)",
                          c->from.name, c->name);
            return false;
        }
        return true;
    }
    if (strcmp(a->verb, "bind") == 0) { /* the service's gates may be rebound to TASK */
        if (!pol_nargs(a, 2, 2, "TASK SERVICE", d)) return false;
        return pol_arg_task(s, a, 0, d) && pol_arg_service(s, a, 1, d);
    }
    an_diag_error(d, a->pos.line, a->pos.col,
                  "unknown capgate addition '%s' (expected 'cap TASK SERVICE [give]', "
                  "'delegate CHANNEL to TASK [give]' or 'bind TASK SERVICE')",
                  a->verb);
    return false;
}

static uint32_t service_gate(const struct scn *s, uint32_t v)
{
    return s->nchannels + s->nadds + s->nclaims + v;
}

/* All gates: channels, `cap` additions, claimants', services' own. */
static uint32_t gate_span(const struct scn *s)
{
    return s->nchannels + s->nadds + s->nclaims + s->nservices;
}

/* `bind TASK SERVICE`: the provider hands a gate of SERVICE on with the bind right (at run
 * time), and TASK may bind it to itself: whoever may send to SERVICE's gates may reach TASK. */
static void capgate_rebinds(const struct scn *s, struct capgate_setup *su)
{
    uint32_t span = gate_span(s);
    bool *of = an_calloc(span + 1, sizeof(bool));
    for (uint32_t i = 0; i < s->nadds; i++) {
        const struct scn_addition *a = &s->adds[i];
        if (a->policy != POL_CAPGATE || strcmp(a->verb, "bind") != 0) continue;
        uint32_t v = a->args[1].idx;
        memset(of, 0, span * sizeof(bool));
        for (uint32_t c = 0; c < s->nchannels; c++)
            of[c] = s->channels[c].service.idx == v;
        for (uint32_t k = 0; k < s->nadds; k++)
            of[s->nchannels + k] = s->adds[k].policy == POL_CAPGATE &&
                                   strcmp(s->adds[k].verb, "cap") == 0 &&
                                   s->adds[k].args[1].idx == v;
        of[service_gate(s, v)] = true;
        deleg_add_receiver(&su->g, a->args[0].idx, span * (i + 1), of, span, service_gate(s, v), i);
    }
    free(of);
}

static void *capgate_derive(const struct scn *s)
{
    struct capgate_setup *su = an_calloc(1, sizeof(*su));
    deleg_init(&su->g, s->ntasks);
    for (uint32_t i = 0; i < s->nchannels; i++) {
        const struct scn_channel *c = &s->channels[i];
        deleg_add(&su->g, c->from.idx, c->to, i, c->give, ORIGIN_CHANNEL, i);
    }
    /* A flat name service's lookup answer is a send-only copy (monitor/nameserv.c). */
    deleg_add_flat_lookups(&su->g, s, service_gate(s, 0), s->nchannels + s->nadds, false);
    for (uint32_t i = 0; i < s->nadds; i++) {
        const struct scn_addition *a = &s->adds[i];
        if (a->policy != POL_CAPGATE) continue;
        if (strcmp(a->verb, "bind") == 0) continue; /* capgate_rebinds, after every hold */
        if (strcmp(a->verb, "cap") == 0) {
            uint32_t owner = s->services[a->args[1].idx].owner.idx;
            if (owner != a->args[0].idx)
                deleg_add(&su->g, a->args[0].idx, owner, s->nchannels + i, a->nargs == 3,
                          ORIGIN_ADDITION, i);
        } else { /* delegate */
            const struct scn_channel *c = &s->channels[a->args[0].idx];
            if (a->args[2].idx != c->to)
                deleg_add(&su->g, a->args[2].idx, c->to, a->args[0].idx, a->nargs == 4,
                          ORIGIN_DELEGATE, i);
        }
    }
    capgate_rebinds(s, su);
    /* a service's own gate (label 0x100 + service): after the channels, additions and claims */
    deleg_add_parent_copies(&su->g, s, s->nchannels + s->nadds + s->nclaims);
    return su;
}

static void capgate_free(void *p)
{
    struct capgate_setup *su = p;
    deleg_free(&su->g);
    free(su);
}

static void capgate_desc(const struct scn *s, const struct deleg_hold *h, struct an_buf *out)
{
    const char *rights = h->give ? "send,give" : "send";
    switch (h->origin) {
    case ORIGIN_CHANNEL:
    case ORIGIN_DELEGATE: {
        const struct scn_channel *c = &s->channels[h->entity];
        an_buf_printf(out, "a capability [%s] to gate g%u (channel %s, bound to %s, label 0x%llx)",
                      rights, h->entity, c->name, s->tasks[c->to].name,
                      (unsigned long long)c->label);
        if (h->origin == ORIGIN_DELEGATE)
            an_buf_printf(out, " delegated by %s (line %u)", c->from.name,
                          s->adds[h->origin_idx].pos.line);
        break;
    }
    case ORIGIN_ADDITION:
        if (strcmp(s->adds[h->origin_idx].verb, "bind") == 0) {
            an_buf_printf(out,
                          "a capability [%s] to gate g%u, which %s may rebind to itself (policy "
                          "capgate line %u: bind)",
                          rights, h->entity % gate_span(s), s->tasks[h->target].name,
                          s->adds[h->origin_idx].pos.line);
            break;
        }
        an_buf_printf(out,
                      "a capability [%s] to gate g%u (extra, bound to %s; policy capgate line %u)",
                      rights, h->entity, s->tasks[h->target].name, s->adds[h->origin_idx].pos.line);
        break;
    case ORIGIN_PARENT:
        deleg_parent_desc(s, h, "gate g", out);
        break;
    case ORIGIN_NAME_RACE:
        an_buf_printf(out,
                      "a capability [%s] to %s's gate g%u, which a flat name service hands "
                      "out for \"%s\" if %s registers it first",
                      rights, s->tasks[h->target].name, h->entity, s->claims[h->origin_idx].regname,
                      s->tasks[h->target].name);
        break;
    case ORIGIN_NAME_LOOKUP: {
        const struct scn_service *v = &s->services[h->origin_idx];
        an_buf_printf(out,
                      "a capability [%s] to gate g%u (service %s's own, bound to %s, label "
                      "0x%x), which the flat name service hands anyone looking up \"%s\"",
                      rights, h->entity, v->name, s->tasks[h->target].name, 0x100u + h->origin_idx,
                      v->regname);
        break;
    }
    }
}

static void capgate_describe(const struct scn *s, const void *setup, struct an_buf *out)
{
    const struct capgate_setup *su = setup;
    for (uint32_t i = 0; i < s->nchannels; i++) {
        const struct scn_channel *c = &s->channels[i];
        /* The bind right stays with the gate's creator (its receiver): the send and give
         * rights the declaration hands out never let a holder rebind the gate to itself. */
        an_buf_printf(out,
                      "gate g%u: bound to %s, label 0x%llx (channel %s, service %s); bind right: "
                      "%s only\n",
                      i, s->tasks[c->to].name, (unsigned long long)c->label, c->name,
                      s->services[c->service.idx].name, s->tasks[c->to].name);
    }
    for (uint32_t v = 0; v < s->nservices; v++) {
        if (!s->services[v].regname || s->naming != NAMING_FLAT) continue;
        an_buf_printf(out,
                      "gate g%u: bound to %s, label 0x%x (service %s's own, registered as \"%s\"); "
                      "the flat name service hands a send-only capability to it to every task "
                      "that looks it up\n",
                      service_gate(s, v), s->tasks[s->services[v].owner.idx].name, 0x100u + v,
                      s->services[v].name, s->services[v].regname);
    }
    for (uint32_t i = 0; i < su->g.nholds; i++) {
        const struct deleg_hold *h = &su->g.holds[i];
        if (h->origin == ORIGIN_NAME_LOOKUP) continue; /* one line per gate above */
        an_buf_printf(out, "cap: %s holds ", s->tasks[h->holder].name);
        capgate_desc(s, h, out);
        an_buf_add(out, "\n");
    }
}

static void capgate_closure(const struct scn *s, void *setup, struct bitmat *perm)
{
    (void)s;
    deleg_closure(&((struct capgate_setup *)setup)->g, perm);
}

static void capgate_explain(const struct scn *s, void *setup, uint32_t a, uint32_t b,
                            struct an_buf *out)
{
    deleg_explain(s, &((struct capgate_setup *)setup)->g, a, b, capgate_desc, out);
}

static void capgate_z3(const struct scn *s, const void *setup, unsigned bits, struct an_buf *out)
{
    deleg_z3(s, &((const struct capgate_setup *)setup)->g, bits, out);
}

/* The receiver identifies a client only by the label of the gate it used: to pass as channel
 * ch's sender, the attacker needs a capability to that very gate. */
static bool capgate_can_spoof(const struct scn *s, void *setup, uint32_t attacker, uint32_t ch,
                              struct an_buf *why)
{
    struct capgate_setup *su = setup;
    if (deleg_can_hold(s, &su->g, attacker, ch, capgate_desc, why)) return true;
    an_buf_printf(why,
                  "the receiver sees only gate labels; %s cannot come to hold gate g%u "
                  "(channel %s)",
                  s->tasks[attacker].name, ch, s->channels[ch].name);
    return false;
}

const struct an_backend an_backend_capgate = {
    .id = POL_CAPGATE,
    .name = "capgate",
    .summary = "task-local capabilities to IPC gates with labels; delegation by mapping "
               "capabilities that carry the give right",
    .desc = &an_backend_descs[BACKEND_CAPGATE],
    .additions_help = "cap TASK SERVICE [give]; delegate CHANNEL to TASK [give]; bind TASK SERVICE",
    .check_addition = capgate_check_addition,
    .derive = capgate_derive,
    .free_setup = capgate_free,
    .describe = capgate_describe,
    .closure = capgate_closure,
    .explain = capgate_explain,
    .z3_program = capgate_z3,
    .can_spoof = capgate_can_spoof,
};
