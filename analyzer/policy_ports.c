/* SPDX-License-Identifier: MIT */
/* Backend `ports`: Mach-style ports; a send right lets its holder send to the port's receiver,
 * and send rights are always copyable, so any holder may pass them to anyone it reaches. */
#include "deleg.h"
#include "policy.h"

#include <stdlib.h>
#include <string.h>

/* Entities: the port of service i is i (also what a flat name service hands out for its
 * registered name); a claimant's port handed out by a flat name service is nservices + claim
 * index. Receive rights stay with the service's provider (trusted). */
struct ports_setup {
    struct deleg g;
};

static bool ports_check_addition(const struct scn *s, struct scn_addition *a, struct an_diag *d)
{
    if (strcmp(a->verb, "send") == 0) {
        if (!pol_nargs(a, 2, 2, "TASK SERVICE", d)) return false;
        return pol_arg_task(s, a, 0, d) && pol_arg_service(s, a, 1, d);
    }
    if (strcmp(a->verb, "delegate") == 0) {
        if (!pol_nargs(a, 3, 3, "CHANNEL to TASK", d)) return false;
        return pol_arg_channel(s, a, 0, d) && pol_arg_word(a, 1, "to", d) &&
               pol_arg_task(s, a, 2, d);
    }
    if (strcmp(a->verb, "receive") == 0) { /* the service's receive right may move to TASK */
        if (!pol_nargs(a, 2, 2, "TASK SERVICE", d)) return false;
        return pol_arg_task(s, a, 0, d) && pol_arg_service(s, a, 1, d);
    }
    an_diag_error(d, a->pos.line, a->pos.col,
                  "unknown ports addition '%s' (expected 'send TASK SERVICE', "
                  "'delegate CHANNEL to TASK' or 'receive TASK SERVICE')",
                  a->verb);
    return false;
}

static void *ports_derive(const struct scn *s)
{
    struct ports_setup *su = an_calloc(1, sizeof(*su));
    deleg_init(&su->g, s->ntasks);
    for (uint32_t i = 0; i < s->nchannels; i++) {
        const struct scn_channel *c = &s->channels[i];
        deleg_add(&su->g, c->from.idx, c->to, c->service.idx, true, ORIGIN_CHANNEL, i);
    }
    /* A looked-up send right is copyable like every send right. */
    deleg_add_flat_lookups(&su->g, s, 0, s->nservices, true);
    for (uint32_t i = 0; i < s->nadds; i++) {
        const struct scn_addition *a = &s->adds[i];
        if (a->policy != POL_PORTS) continue;
        if (strcmp(a->verb, "receive") == 0) continue; /* after every hold, below */
        if (strcmp(a->verb, "send") == 0) {
            uint32_t owner = s->services[a->args[1].idx].owner.idx;
            if (owner != a->args[0].idx)
                deleg_add(&su->g, a->args[0].idx, owner, a->args[1].idx, true, ORIGIN_ADDITION, i);
        } else {
            const struct scn_channel *c = &s->channels[a->args[0].idx];
            if (a->args[2].idx != c->to)
                deleg_add(&su->g, a->args[2].idx, c->to, c->service.idx, true, ORIGIN_DELEGATE, i);
        }
    }
    /* `receive TASK SERVICE`: the provider moves the port's receive right (at run time) and
     * TASK receives on it: whoever may send to the port may reach TASK. */
    uint32_t span = s->nservices + s->nclaims;
    bool *of = an_calloc(span + 1, sizeof(bool));
    for (uint32_t i = 0; i < s->nadds; i++) {
        const struct scn_addition *a = &s->adds[i];
        if (a->policy != POL_PORTS || strcmp(a->verb, "receive") != 0) continue;
        memset(of, 0, span * sizeof(bool));
        of[a->args[1].idx] = true;
        deleg_add_receiver(&su->g, a->args[0].idx, span * (i + 1), of, span, a->args[1].idx, i);
    }
    free(of);
    deleg_add_parent_copies(&su->g, s, 0); /* a service's port is its index */
    return su;
}

static void ports_free(void *p)
{
    struct ports_setup *su = p;
    deleg_free(&su->g);
    free(su);
}

static void ports_desc(const struct scn *s, const struct deleg_hold *h, struct an_buf *out)
{
    if (h->origin == ORIGIN_PARENT) {
        deleg_parent_desc(s, h, "port p", out);
        return;
    }
    if (h->origin == ORIGIN_NAME_RACE) {
        an_buf_printf(out,
                      "a send right to %s's port p%u, which a flat name service hands out "
                      "for \"%s\" if %s registers it first",
                      s->tasks[h->target].name, h->entity, s->claims[h->origin_idx].regname,
                      s->tasks[h->target].name);
        return;
    }
    uint32_t span = s->nservices + s->nclaims;
    if (h->origin == ORIGIN_ADDITION && strcmp(s->adds[h->origin_idx].verb, "receive") == 0) {
        an_buf_printf(out,
                      "a send right to port p%u (service %s), whose receive right %s may come to "
                      "hold (policy ports line %u: receive)",
                      h->entity % span, s->services[h->entity % span].name,
                      s->tasks[h->target].name, s->adds[h->origin_idx].pos.line);
        return;
    }
    an_buf_printf(out, "a send right to port p%u (service %s, received by %s)", h->entity,
                  s->services[h->entity].name, s->tasks[h->target].name);
    if (h->origin == ORIGIN_NAME_LOOKUP)
        an_buf_printf(out, ", which the flat name service hands anyone looking up \"%s\"",
                      s->services[h->entity].regname);
    else if (h->origin == ORIGIN_CHANNEL)
        an_buf_printf(out, " for channel %s", s->channels[h->origin_idx].name);
    else
        an_buf_printf(out, " (policy ports line %u)", s->adds[h->origin_idx].pos.line);
}

static void ports_describe(const struct scn *s, const void *setup, struct an_buf *out)
{
    const struct ports_setup *su = setup;
    for (uint32_t i = 0; i < s->nservices; i++)
        an_buf_printf(out, "port p%u: service %s, receive right held by %s (queue limit 5)\n", i,
                      s->services[i].name, s->tasks[s->services[i].owner.idx].name);
    for (uint32_t v = 0; v < s->nservices; v++)
        if (s->services[v].regname && s->naming == NAMING_FLAT)
            an_buf_printf(out,
                          "port p%u: registered as \"%s\"; the flat name service hands a send "
                          "right to it to every task that looks it up\n",
                          v, s->services[v].regname);
    for (uint32_t i = 0; i < su->g.nholds; i++) {
        const struct deleg_hold *h = &su->g.holds[i];
        if (h->origin == ORIGIN_NAME_LOOKUP) continue; /* one line per port above */
        an_buf_printf(out, "right: %s holds ", s->tasks[h->holder].name);
        ports_desc(s, h, out);
        an_buf_add(out, " (copyable)\n");
    }
}

static void ports_closure(const struct scn *s, void *setup, struct bitmat *perm)
{
    (void)s;
    deleg_closure(&((struct ports_setup *)setup)->g, perm);
}

static void ports_explain(const struct scn *s, void *setup, uint32_t a, uint32_t b,
                          struct an_buf *out)
{
    deleg_explain(s, &((struct ports_setup *)setup)->g, a, b, ports_desc, out);
}

static void ports_z3(const struct scn *s, const void *setup, unsigned bits, struct an_buf *out)
{
    deleg_z3(s, &((const struct ports_setup *)setup)->g, bits, out);
}

/* A Mach message names no sender: whoever can send to the port is indistinguishable. */
static bool ports_can_spoof(const struct scn *s, void *setup, uint32_t attacker, uint32_t ch,
                            struct an_buf *why)
{
    struct ports_setup *su = setup;
    uint32_t port = s->channels[ch].service.idx;
    if (deleg_can_hold(s, &su->g, attacker, port, ports_desc, why)) {
        an_buf_add(why, "; messages carry no sender identity, so the receiver cannot tell");
        return true;
    }
    an_buf_printf(why, "%s cannot come to hold a send right to port p%u", s->tasks[attacker].name,
                  port);
    return false;
}

const struct an_backend an_backend_ports = {
    .id = POL_PORTS,
    .name = "ports",
    .summary = "Mach-style ports: send rights (always copyable) to ports whose receive right "
               "the service holds",
    .desc = &an_backend_descs[BACKEND_PORTS],
    .additions_help = "send TASK SERVICE; delegate CHANNEL to TASK; receive TASK SERVICE",
    .check_addition = ports_check_addition,
    .derive = ports_derive,
    .free_setup = ports_free,
    .describe = ports_describe,
    .closure = ports_closure,
    .explain = ports_explain,
    .z3_program = ports_z3,
    .can_spoof = ports_can_spoof,
};
