/* SPDX-License-Identifier: MIT */
/* Backend `none`: global thread ids and no control, so every task may send to every thread. */
#include "policy.h"

#include <stdlib.h>

static bool none_check_addition(const struct scn *s, struct scn_addition *a, struct an_diag *d)
{
    (void)s;
    an_diag_error(d, a->pos.line, a->pos.col,
                  "backend 'none' has no setup, so it takes no additions (got '%s')", a->verb);
    return false;
}

static void *none_derive(const struct scn *s)
{
    (void)s;
    return an_calloc(1, 1);
}

static void none_describe(const struct scn *s, const void *setup, struct an_buf *out)
{
    (void)setup;
    an_buf_printf(out, "no setup: %u tasks, each names every thread by its global id\n", s->ntasks);
}

static void none_closure(const struct scn *s, void *setup, struct bitmat *perm)
{
    (void)s, (void)setup;
    bitmat_fill_offdiag(perm);
}

static void none_explain(const struct scn *s, void *setup, uint32_t a, uint32_t b,
                         struct an_buf *out)
{
    (void)setup;
    an_buf_printf(out, "%s names %s's thread by its global id; 'none' checks nothing",
                  s->tasks[a].name, s->tasks[b].name);
}

static void none_z3(const struct scn *s, const void *setup, unsigned bits, struct an_buf *out)
{
    (void)setup;
    pol_emit_task_facts(s, bits, out);
    an_buf_add(out, "(rule (=> (and (task x) (task y) (not (= x y))) (send x y)))\n");
}

/* The kernel stamps the sender's thread id: only the task itself carries its identity. */
static bool none_can_spoof(const struct scn *s, void *setup, uint32_t attacker, uint32_t ch,
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

const struct an_backend an_backend_none = {
    .id = POL_NONE,
    .name = "none",
    .summary = "global thread ids, no control: every task may send to every thread",
    .desc = &an_backend_descs[BACKEND_NONE],
    .additions_help = "(none)",
    .check_addition = none_check_addition,
    .derive = none_derive,
    .free_setup = free,
    .describe = none_describe,
    .closure = none_closure,
    .explain = none_explain,
    .z3_program = none_z3,
    .can_spoof = none_can_spoof,
};
