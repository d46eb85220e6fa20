/* SPDX-License-Identifier: MIT */
/* The boot setup: the declaration flattened into the line format the scenario loader
 * (monitor/scnroot/) reads at boot (format: analyzer/README.md, "Boot setup"). */
#include "report.h"

#include <string.h>

/* The loader splits lines at single spaces and its name service keeps names of at most
 * NS_NAME_MAX (31) bytes, so a registered or looked-up name must be a non-empty word that fits. */
#define SETUP_NAME_MAX 31

static bool name_ok(const char *name, struct scn_pos pos, const char *what, struct an_diag *d)
{
    size_t n = strlen(name);
    const char *why = NULL;
    if (n == 0) why = "is empty";
    if (n > SETUP_NAME_MAX) why = "is longer than 31 bytes (the name service's limit)";
    for (size_t i = 0; i < n && !why; i++)
        if ((unsigned char)name[i] <= ' ' || name[i] == 0x7f)
            why = "contains a space or a control character";
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

static void addition_text(const struct scn_addition *a, struct an_buf *out)
{
    an_buf_add(out, a->verb);
    for (uint32_t i = 0; i < a->nargs; i++) {
        const struct scn_arg *g = &a->args[i];
        switch (g->kind) {
        case ARG_INT:
            an_buf_printf(out, " %lld", (long long)g->v);
            break;
        case ARG_STRING:
            an_buf_printf(out, " \"%s\"", g->s);
            break;
        case ARG_STAR:
            an_buf_add(out, " *");
            break;
        case ARG_ARROW:
            an_buf_add(out, " ->");
            break;
        case ARG_IDENT:
            an_buf_printf(out, " %s", g->s);
            break;
        }
    }
}

/* capgate's additions become loader lines; other backends' blocks are listed as a comment
 * because the loader does not set them up yet. */
static void additions(const struct scn *s, enum an_policy_id p, struct an_buf *out)
{
    bool first = true;
    for (uint32_t i = 0; i < s->nadds; i++) {
        const struct scn_addition *a = &s->adds[i];
        if (a->policy != p) continue;
        if (p == POL_CAPGATE && strcmp(a->verb, "cap") == 0) {
            an_buf_printf(out, "cap %s %s%s\n", a->args[0].s, a->args[1].s,
                          a->nargs == 3 ? " give" : "");
        } else if (p == POL_CAPGATE) { /* delegate CHANNEL to TASK [give] */
            an_buf_printf(out, "delegate %s %s%s\n", a->args[0].s, a->args[2].s,
                          a->nargs == 4 ? " give" : "");
        } else {
            an_buf_printf(out, first ? "# policy %s additions ignored: " : "; ",
                          an_policy_names[p]);
            addition_text(a, out);
            first = false;
        }
    }
    if (!first) an_buf_add(out, "\n");
}

enum an_status report_setup(const struct scn *s, enum an_policy_id p, struct an_buf *out,
                            struct an_diag *d)
{
    if (!check_names(s, d)) return AN_E_SEMANTIC;
    an_buf_printf(out, "# ipcsec scenario setup v1\nscenario %s\npolicy %s\nnaming %s\n", s->name,
                  an_policy_names[p], s->naming == NAMING_FLAT ? "flat" : "hierarchical");
    for (uint32_t i = 0; i < s->ntasks; i++) {
        const struct scn_task *t = &s->tasks[i];
        an_buf_printf(out, "task %s %s %s%s\n", t->name, t->program,
                      t->parent.name ? t->parent.name : "-", t->attacker ? " attacker" : "");
    }
    for (uint32_t i = 0; i < s->nservices; i++) {
        const struct scn_service *v = &s->services[i];
        an_buf_printf(out, "service %s %s%s%s\n", v->name, v->owner.name, v->regname ? " " : "",
                      v->regname ? v->regname : "");
    }
    for (uint32_t i = 0; i < s->nchannels; i++) {
        const struct scn_channel *c = &s->channels[i];
        an_buf_printf(out, "%s %s %s %s %lld%s\n", c->lookup ? "lookup" : "channel", c->name,
                      c->from.name, c->lookup ? c->lookup : c->service.name, (long long)c->label,
                      c->give ? " give" : "");
    }
    for (uint32_t i = 0; i < s->nclaims; i++)
        an_buf_printf(out, "claim %s %s\n", s->claims[i].task.name, s->claims[i].regname);
    additions(s, p, out);
    an_buf_add(out, "end\n");
    return AN_OK;
}
