/* SPDX-License-Identifier: MIT */
/* The boot setup: the declaration flattened into the line format the scenario loader
 * (monitor/scnroot/) reads at boot (format: analyzer/README.md, "Boot setup"). */
#include "policy.h"
#include "report.h"

#include <string.h>

/* The loader splits lines at single spaces and its name service keeps names of at most
 * NS_NAME_MAX (31) bytes, so a registered or looked-up name must be a non-empty word that fits. */

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

/* capgate's and refmon's additions become loader lines; other backends' blocks are listed as
 * a comment because the loader does not set them up yet. */
static void additions(const struct scn *s, enum an_policy_id p, struct an_buf *out)
{
    bool first = true;
    for (uint32_t i = 0; i < s->nadds; i++) {
        const struct scn_addition *a = &s->adds[i];
        if (a->policy != p) continue;
        if (p == POL_CAPGATE && strcmp(a->verb, "bind") == 0) {
            continue; /* done by the programs at run time: the loader sets nothing up */
        } else if (p == POL_CAPGATE && strcmp(a->verb, "cap") == 0) {
            an_buf_printf(out, "cap %s %s%s\n", a->args[0].s, a->args[1].s,
                          a->nargs == 3 ? " give" : "");
        } else if (p == POL_CAPGATE) { /* delegate CHANNEL to TASK [give] */
            an_buf_printf(out, "delegate %s %s%s\n", a->args[0].s, a->args[2].s,
                          a->nargs == 4 ? " give" : "");
        } else if (p == POL_REFMON) { /* allow TASK -> TASK [map]: a rule of the monitor */
            an_buf_printf(out, "allow %s %s%s\n", a->args[0].s, a->args[2].s,
                          a->nargs == 4 ? " map" : "");
        } else if (p == POL_CLANS) { /* forward lines: clans_setup_rules */
            continue;
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
    (void)d; /* names were checked with the declaration (scn_check), the same way */
    an_buf_printf(out, "# ipcsec scenario setup v1\nscenario %s\npolicy %s\nnaming %s\n", s->name,
                  an_policy_names[p], s->naming == NAMING_FLAT ? "flat" : "hierarchical");
    if (s->run_ms) an_buf_printf(out, "run_us %llu\n", (unsigned long long)s->run_ms * 1000);
    for (uint32_t i = 0; i < s->ntasks; i++) {
        const struct scn_task *t = &s->tasks[i];
        an_buf_printf(out, "task %s %s %s%s%s%s%s\n", t->name, t->program,
                      t->parent.name ? t->parent.name : "-", t->attacker ? " attacker" : "",
                      t->unlimited ? " unlimited" : "", t->monitor.name ? " monitor " : "",
                      t->monitor.name ? t->monitor.name : "");
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
    if (p == POL_CLANS) clans_setup_rules(s, out);
    an_buf_add(out, "end\n");
    return AN_OK;
}
