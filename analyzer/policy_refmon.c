/* SPDX-License-Identifier: MIT */
/* Backend `refmon`: sending to X needs an IPC-right flexpage for X, which the sender's reference
 * monitor maps on the first attempt if its rules allow; rights mapped with the map bit may be
 * mapped on by their holder. */
#include "deleg.h"
#include "policy.h"

#include <stdlib.h>
#include <string.h>

/* Entities: the IPC right for task t is t. Rules come from the declared channels (never from
 * the name service: a monitor's rules name tasks, not names) and from `allow` additions. */
struct refmon_setup {
    struct deleg g;
};

static uint32_t refmon_monitor(const struct scn *s, uint32_t t)
{
    return s->tasks[t].monitor.idx != SCN_NONE ? s->tasks[t].monitor.idx : scn_parent(s, t);
}

static bool refmon_check_addition(const struct scn *s, struct scn_addition *a, struct an_diag *d)
{
    if (strcmp(a->verb, "allow") != 0) {
        an_diag_error(d, a->pos.line, a->pos.col,
                      "unknown refmon addition '%s' (expected 'allow TASK -> TASK [map]')",
                      a->verb);
        return false;
    }
    if (!pol_nargs(a, 3, 4, "TASK -> TASK [map]", d)) return false;
    if (!pol_arg_task(s, a, 0, d) || !pol_arg_word(a, 1, "->", d) || !pol_arg_task(s, a, 2, d))
        return false;
    return a->nargs == 3 || pol_arg_word(a, 3, "map", d);
}

static void *refmon_derive(const struct scn *s)
{
    struct refmon_setup *su = an_calloc(1, sizeof(*su));
    deleg_init(&su->g, s->ntasks);
    for (uint32_t i = 0; i < s->nchannels; i++) {
        const struct scn_channel *c = &s->channels[i];
        deleg_add(&su->g, c->from.idx, c->to, c->to, c->give, ORIGIN_CHANNEL, i);
    }
    for (uint32_t i = 0; i < s->nadds; i++) {
        const struct scn_addition *a = &s->adds[i];
        if (a->policy == POL_REFMON && a->args[0].idx != a->args[2].idx)
            deleg_add(&su->g, a->args[0].idx, a->args[2].idx, a->args[2].idx, a->nargs == 4,
                      ORIGIN_ADDITION, i);
    }
    return su;
}

static void refmon_free(void *p)
{
    struct refmon_setup *su = p;
    deleg_free(&su->g);
    free(su);
}

static void refmon_desc(const struct scn *s, const struct deleg_hold *h, struct an_buf *out)
{
    an_buf_printf(out, "an IPC-right flexpage for %s%s", s->tasks[h->target].name,
                  h->give ? " [map]" : "");
    uint32_t m = refmon_monitor(s, h->holder);
    const char *mon = m == SCN_NONE ? "the kernel's default monitor" : s->tasks[m].name;
    if (h->origin == ORIGIN_CHANNEL)
        an_buf_printf(out, ", mapped by monitor %s under its rule for channel %s", mon,
                      s->channels[h->origin_idx].name);
    else
        an_buf_printf(out, ", mapped by monitor %s (policy refmon line %u)", mon,
                      s->adds[h->origin_idx].pos.line);
}

static void refmon_describe(const struct scn *s, const void *setup, struct an_buf *out)
{
    const struct refmon_setup *su = setup;
    for (uint32_t t = 0; t < s->ntasks; t++) {
        uint32_t m = refmon_monitor(s, t);
        an_buf_printf(out, "monitor of %s: %s\n", s->tasks[t].name,
                      m == SCN_NONE ? "(kernel default: refuse)" : s->tasks[m].name);
    }
    for (uint32_t i = 0; i < su->g.nholds; i++) {
        const struct deleg_hold *h = &su->g.holds[i];
        an_buf_printf(out, "rule: allow %s -> %s%s\n", s->tasks[h->holder].name,
                      s->tasks[h->target].name, h->give ? " (mapped with the map right)" : "");
    }
}

static void refmon_closure(const struct scn *s, void *setup, struct bitmat *perm)
{
    (void)s;
    deleg_closure(&((struct refmon_setup *)setup)->g, perm);
}

static void refmon_explain(const struct scn *s, void *setup, uint32_t a, uint32_t b,
                           struct an_buf *out)
{
    struct refmon_setup *su = setup;
    if (!deleg_explain(s, &su->g, a, b, refmon_desc, out)) {
        uint32_t m = refmon_monitor(s, a);
        an_buf_printf(out, "; the first send faults to monitor %s, which has no rule for it",
                      m == SCN_NONE ? "(kernel default)" : s->tasks[m].name);
    }
}

static void refmon_z3(const struct scn *s, const void *setup, unsigned bits, struct an_buf *out)
{
    deleg_z3(s, &((const struct refmon_setup *)setup)->g, bits, out);
}

static bool refmon_can_spoof(const struct scn *s, void *setup, uint32_t attacker, uint32_t ch,
                             struct an_buf *why)
{
    (void)setup;
    const struct scn_channel *c = &s->channels[ch];
    an_buf_printf(why,
                  "the receiver sees the sender's global thread id, stamped by the kernel; "
                  "only %s carries it",
                  c->from.name);
    return attacker == c->from.idx;
}

const struct an_backend an_backend_refmon = {
    .id = POL_REFMON,
    .name = "refmon",
    .summary = "reference monitors: an IPC-right flexpage for the receiver, mapped by the "
               "sender's monitor per its rules",
    .desc = &an_backend_descs[BACKEND_REFMON],
    .additions_help = "allow TASK -> TASK [map]",
    .check_addition = refmon_check_addition,
    .derive = refmon_derive,
    .free_setup = refmon_free,
    .describe = refmon_describe,
    .closure = refmon_closure,
    .explain = refmon_explain,
    .z3_program = refmon_z3,
    .can_spoof = refmon_can_spoof,
    .names_not_authority = true,
};
