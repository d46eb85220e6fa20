/* SPDX-License-Identifier: MIT */
/* Helpers the backends share: argument checking for policy blocks, Datalog constants, naming. */
#include "policy.h"

#include <stdio.h>
#include <string.h>

void pol_bv(unsigned bits, uint32_t v, char *buf, size_t n)
{
    /* #b form works for every width; bits <= 31 */
    if (n < bits + 3) return;
    buf[0] = '#';
    buf[1] = 'b';
    for (unsigned i = 0; i < bits; i++)
        buf[2 + i] = (v >> (bits - 1 - i)) & 1 ? '1' : '0';
    buf[2 + bits] = '\0';
}

void pol_emit_task_facts(const struct scn *s, unsigned bits, struct an_buf *out)
{
    char b[40];
    for (uint32_t t = 0; t < s->ntasks; t++) {
        pol_bv(bits, t, b, sizeof(b));
        an_buf_printf(out, "(rule (task %s)) ; %s\n", b, s->tasks[t].name);
    }
}

bool pol_nargs(struct scn_addition *a, uint32_t min, uint32_t max, const char *usage,
               struct an_diag *d)
{
    if (a->nargs >= min && a->nargs <= max) return true;
    an_diag_error(d, a->pos.line, a->pos.col, "expected '%s %s' (%s)", a->verb, usage,
                  an_policy_names[a->policy]);
    return false;
}

static bool arg_ident(struct scn_addition *a, uint32_t i, const char *what, struct an_diag *d)
{
    if (i < a->nargs && a->args[i].kind == ARG_IDENT) return true;
    struct scn_pos p = i < a->nargs ? a->args[i].pos : a->pos;
    an_diag_error(d, p.line, p.col, "expected %s as argument %u of '%s'", what, i + 1, a->verb);
    return false;
}

bool pol_arg_task(const struct scn *s, struct scn_addition *a, uint32_t i, struct an_diag *d)
{
    if (!arg_ident(a, i, "a task name", d)) return false;
    a->args[i].idx = scn_task_find(s, a->args[i].s);
    if (a->args[i].idx != SCN_NONE) return true;
    an_diag_error(d, a->args[i].pos.line, a->args[i].pos.col, "unknown task '%s'", a->args[i].s);
    return false;
}

bool pol_arg_service(const struct scn *s, struct scn_addition *a, uint32_t i, struct an_diag *d)
{
    if (!arg_ident(a, i, "a service name", d)) return false;
    a->args[i].idx = scn_service_find(s, a->args[i].s);
    if (a->args[i].idx != SCN_NONE) return true;
    an_diag_error(d, a->args[i].pos.line, a->args[i].pos.col, "unknown service '%s'", a->args[i].s);
    return false;
}

bool pol_arg_channel(const struct scn *s, struct scn_addition *a, uint32_t i, struct an_diag *d)
{
    if (!arg_ident(a, i, "a channel name", d)) return false;
    a->args[i].idx = scn_channel_find(s, a->args[i].s);
    if (a->args[i].idx != SCN_NONE) return true;
    an_diag_error(d, a->args[i].pos.line, a->args[i].pos.col, "unknown channel '%s'", a->args[i].s);
    return false;
}

bool pol_arg_word(struct scn_addition *a, uint32_t i, const char *word, struct an_diag *d)
{
    if (i < a->nargs && a->args[i].kind == ARG_IDENT && strcmp(a->args[i].s, word) == 0)
        return true;
    if (i < a->nargs && a->args[i].kind == ARG_ARROW && strcmp(word, "->") == 0) return true;
    struct scn_pos p = i < a->nargs ? a->args[i].pos : a->pos;
    an_diag_error(d, p.line, p.col, "expected '%s' as argument %u of '%s'", word, i + 1, a->verb);
    return false;
}

uint32_t pol_name_rival(const struct scn *s, uint32_t ch, uint32_t from)
{
    const struct scn_channel *c = &s->channels[ch];
    if (!c->lookup || s->naming != NAMING_FLAT) return SCN_NONE;
    for (uint32_t i = from; i < s->nclaims; i++) {
        const struct scn_claim *k = &s->claims[i];
        if (strcmp(k->regname, c->lookup) == 0 && k->task.idx != c->to &&
            k->task.idx != c->from.idx)
            return i;
    }
    return SCN_NONE;
}
