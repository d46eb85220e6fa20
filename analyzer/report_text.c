/* SPDX-License-Identifier: MIT */
/* The analysis as a readable report. */
#include "report.h"
#include "z3_check.h"

static void print_findings(const struct analysis *an, int policy, FILE *out)
{
    for (uint32_t i = 0; i < an->nf; i++) {
        const struct finding *f = &an->f[i];
        if (f->policy != policy) continue;
        fprintf(out, "  [%s]", fd_kind_names[f->kind]);
        if (f->line && f->kind == FD_CONTRACT) fprintf(out, " %s:%u:", an->s->file, f->line);
        fprintf(out, " %s\n", f->text);
        if (f->why) fprintf(out, "      because: %s\n", f->why);
    }
}

/* Each attack's observed verdict, the reason, and the trace records that decided it. */
static void print_observed(const struct analysis *an, const struct pol_result *r, FILE *out)
{
    if (!r->obs) return;
    const struct scn *s = an->s;
    struct an_buf title;
    an_buf_init(&title);
    fprintf(out, "  observed in the trace:\n");
    for (uint32_t i = 0; i < s->nattacks; i++) {
        const struct obs_attack *o = &r->obs[i];
        an_buf_clear(&title);
        obs_attack_title(s, &s->attacks[i], &title);
        fprintf(out, "    %s: %s: %s\n", title.s, scn_verdict_name(o->verdict), o->reason.s);
        if (!o->ncite) {
            fprintf(out, "      evidence: %s\n", o->note);
            continue;
        }
        fprintf(out, "      evidence:\n");
        for (uint32_t j = 0; j < o->ncite; j++) {
            const struct tr_event *e = &an->trace->ev[o->cite[j]];
            fprintf(out, "        trace line %u: %.*s\n", e->line, (int)e->text_len, e->text);
        }
        if (o->more) fprintf(out, "        ... and %u more such records\n", o->more);
    }
    an_buf_free(&title);
}

void report_text(const struct analysis *an, FILE *out)
{
    const struct scn *s = an->s;
    fprintf(out, "scenario %s (%s)\n", s->name, s->file);
    if (s->description) fprintf(out, "  %s\n", s->description);
    fprintf(out, "  %u tasks, %u services, %u channels, %u contracts, %u attacks; %s naming\n",
            s->ntasks, s->nservices, s->nchannels, s->ncontracts, s->nattacks,
            s->naming == NAMING_FLAT ? "flat" : "hierarchical");
    if (an->trace)
        fprintf(out, "  trace: %u IPC decisions recorded under %s\n", an->trace->nev,
                an->trace->policy);
    fprintf(out, "\ncontracts\n");
    for (uint32_t i = 0; i < s->ncontracts && an->cc; i++) {
        const struct cc_result *r = &an->cc[i];
        fprintf(out, "  %s: %s, %u joint states%s%s\n", s->contracts[i].name,
                r->nissues ? "ISSUES" : "well-formed and compatible", r->reachable,
                s->contracts[i].role[ROLE_CLIENT].derived ? ", client is the server's dual" : "",
                an->cc_z3[i] < 0 ? ""
                : an->cc_z3[i]   ? "; Z3 agrees"
                                 : "; Z3 DISAGREES");
    }
    print_findings(an, -1, out);
    for (int p = 0; p < POL_COUNT; p++) {
        const struct pol_result *r = &an->pol[p];
        if (!r->done) continue;
        fprintf(out, "\npolicy %s: %s\n", r->be->name, r->be->summary);
        fprintf(out,
                "  permitted %llu pairs, declared %llu; excess authority %llu, broken setup %llu",
                (unsigned long long)r->npermitted, (unsigned long long)bitmat_count(&an->declared),
                (unsigned long long)r->nexcess, (unsigned long long)r->nbroken);
        if (an->trace && an->trace_policy == p)
            fprintf(out, ", observed violations %llu, observed but not permitted %llu",
                    (unsigned long long)r->nviolations, (unsigned long long)r->nunsound);
        fprintf(out, "\n");
        if (r->z3 >= 0 || r->z3_note.len) fprintf(out, "  %s\n", r->z3_note.s);
        if (r->be->ipc_count) {
            for (uint32_t c = 0; c < s->nchannels && c < 64; c++) {
                const struct scn_channel *ch = &s->channels[c];
                if (!bitmat_get(&r->perm, ch->from.idx, ch->to)) continue;
                uint32_t n = r->be->ipc_count(s, r->setup, ch->from.idx, ch->to);
                if (n > 1)
                    fprintf(out, "  cost: channel %s (%s -> %s) takes %u IPCs per message\n",
                            ch->name, ch->from.name, s->tasks[ch->to].name, n);
            }
        }
        fprintf(out, "  verdict: expected %s, predicted %s", scn_verdict_name(s->expect[p]),
                scn_verdict_name(r->predicted));
        if (r->observed != VERDICT_UNSET)
            fprintf(out, ", observed %s", scn_verdict_name(r->observed));
        fprintf(out, "\n");
        if (r->verdict_why.len) fprintf(out, "    %s\n", r->verdict_why.s);
        print_observed(an, r, out);
        print_findings(an, p, out);
        if (r->listed[FD_EXCESS] < r->nexcess)
            fprintf(out, "  ... %llu more excess-authority pairs not listed (--max)\n",
                    (unsigned long long)(r->nexcess - r->listed[FD_EXCESS]));
    }
    if (an->notes.len) fprintf(out, "\nnotes\n%s", an->notes.s);
    uint32_t n = analysis_count(an);
    fprintf(out, "\n%u finding%s%s\n", n, n == 1 ? "" : "s", n ? "" : ": clean");
}
