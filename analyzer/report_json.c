/* SPDX-License-Identifier: MIT */
/* The analysis as JSON (one object; schema in analyzer/README.md). */
#include "report.h"

#include <string.h>

static void js(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void task_or_null(FILE *out, const struct scn *s, uint32_t t)
{
    if (t == SCN_NONE)
        fputs("null", out);
    else
        js(out, s->tasks[t].name);
}

static void jsn(FILE *out, const char *s, uint32_t n)
{
    char buf[4100];
    if (n >= sizeof(buf)) n = sizeof(buf) - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    js(out, buf);
}

/* "observed_attacks": per attack the run's verdict, its reason and the cited trace records. */
static void json_observed(const struct analysis *an, const struct pol_result *r, FILE *out)
{
    const struct scn *s = an->s;
    fputs(", \"observed_attacks\": ", out);
    if (!r->obs) {
        fputs("null", out);
        return;
    }
    fputs("[", out);
    for (uint32_t i = 0; i < s->nattacks; i++) {
        const struct scn_attack *k = &s->attacks[i];
        const struct obs_attack *o = &r->obs[i];
        fprintf(out, "%s{\"attack\": \"%s\", \"attacker\": ", i ? ", " : "",
                scn_attack_names[k->kind]);
        js(out, k->attacker.name);
        fputs(", \"target\": ", out);
        task_or_null(out, s, k->target.idx);
        fputs(", \"as\": ", out);
        if (k->as.idx == SCN_NONE)
            fputs("null", out);
        else
            js(out, s->channels[k->as.idx].name);
        fprintf(out, ", \"verdict\": \"%s\", \"reason\": ", scn_verdict_name(o->verdict));
        js(out, o->reason.s);
        fputs(", \"via\": ", out);
        task_or_null(out, s, k->via.idx);
        fputs(", \"phase\": ", out);
        if (k->phase == PHASE_ALL) {
            fputs("null", out);
        } else {
            fprintf(out, "\"%s %s\"", scn_phase_names[k->phase], k->phase_task.name);
        }
        fputs(", \"evidence\": [", out);
        for (uint32_t j = 0; j < o->ncite; j++) {
            const struct tr_event *e = &an->trace->ev[o->cite[j]];
            fprintf(out, "%s{\"line\": %u, \"text\": ", j ? ", " : "", e->line);
            jsn(out, e->text, e->text_len);
            fputs("}", out);
        }
        fprintf(out, "], \"more_evidence\": %u, \"evidence_note\": ", o->more);
        if (o->ncite)
            fputs("null", out);
        else
            js(out, o->note);
        fputs("}", out);
    }
    fputs("]", out);
}

/* "evidence": every cited record of every attack in one list, {attack, verdict, line, text},
 * and a string where an attack cites nothing or has more records than listed. */
static void json_evidence(const struct analysis *an, const struct pol_result *r, FILE *out)
{
    const struct scn *s = an->s;
    fputs(", \"evidence\": ", out);
    if (!r->obs) {
        fputs("null", out);
        return;
    }
    struct an_buf title, t;
    an_buf_init(&title);
    an_buf_init(&t);
    bool first = true;
    fputs("[", out);
    for (uint32_t i = 0; i < s->nattacks; i++) {
        const struct obs_attack *o = &r->obs[i];
        an_buf_clear(&title);
        obs_attack_title(s, &s->attacks[i], &title);
        for (uint32_t j = 0; j < o->ncite; j++, first = false) {
            const struct tr_event *e = &an->trace->ev[o->cite[j]];
            fputs(first ? "{\"attack\": " : ", {\"attack\": ", out);
            js(out, title.s);
            fprintf(out,
                    ", \"verdict\": \"%s\", \"line\": %u, \"text\": ", scn_verdict_name(o->verdict),
                    e->line);
            jsn(out, e->text, e->text_len);
            fputs("}", out);
        }
        an_buf_clear(&t);
        if (!o->ncite)
            an_buf_printf(&t, "%s: %s: %s", title.s, scn_verdict_name(o->verdict), o->note);
        else if (o->more)
            an_buf_printf(&t, "%s: %u more such records not listed", title.s, o->more);
        if (!t.len) continue;
        fputs(first ? "" : ", ", out);
        js(out, t.s);
        first = false;
    }
    fputs("]", out);
    an_buf_free(&title);
    an_buf_free(&t);
}

void report_json(const struct analysis *an, FILE *out)
{
    const struct scn *s = an->s;
    fputs("{\n  \"scenario\": ", out);
    js(out, s->name);
    fputs(",\n  \"file\": ", out);
    js(out, s->file);
    fprintf(out, ",\n  \"naming\": \"%s\",\n  \"tasks\": [",
            s->naming == NAMING_FLAT ? "flat" : "hierarchical");
    for (uint32_t t = 0; t < s->ntasks && t < 4096; t++) {
        fputs(t ? ", " : "", out);
        fputs("{\"name\": ", out);
        js(out, s->tasks[t].name);
        fputs(", \"program\": ", out);
        js(out, s->tasks[t].program);
        fputs(", \"parent\": ", out);
        task_or_null(out, s, scn_parent(s, t));
        fprintf(out, ", \"attacker\": %s}", s->tasks[t].attacker ? "true" : "false");
    }
    fputs("],\n  \"channels\": [", out);
    for (uint32_t i = 0; i < s->nchannels && i < 4096; i++) {
        const struct scn_channel *c = &s->channels[i];
        fputs(i ? ", " : "", out);
        fputs("{\"name\": ", out);
        js(out, c->name);
        fputs(", \"from\": ", out);
        js(out, c->from.name);
        fputs(", \"to\": ", out);
        js(out, s->tasks[c->to].name);
        fputs(", \"contract\": ", out);
        js(out, c->contract.name);
        fputs("}", out);
    }
    fputs("],\n  \"contracts\": [", out);
    for (uint32_t i = 0; i < s->ncontracts && an->cc; i++) {
        fputs(i ? ", " : "", out);
        fputs("{\"name\": ", out);
        js(out, s->contracts[i].name);
        fprintf(out, ", \"joint_states\": %u, \"issues\": %u, \"z3\": %s}", an->cc[i].reachable,
                an->cc[i].nissues + an->cc[i].dropped,
                an->cc_z3[i] < 0 ? "null"
                : an->cc_z3[i]   ? "\"agree\""
                                 : "\"disagree\"");
    }
    fputs("],\n  \"policies\": [", out);
    bool first = true;
    for (int p = 0; p < POL_COUNT; p++) {
        const struct pol_result *r = &an->pol[p];
        if (!r->done) continue;
        fprintf(
            out,
            "%s\n    {\"name\": \"%s\", \"permitted\": %llu, \"excess\": %llu, \"broken\": %llu, ",
            first ? "" : ",", r->be->name, (unsigned long long)r->npermitted,
            (unsigned long long)r->nexcess, (unsigned long long)r->nbroken);
        first = false;
        fprintf(out,
                "\"violations\": %llu, \"observed_not_permitted\": %llu, \"expected\": \"%s\", "
                "\"predicted\": \"%s\", \"observed\": ",
                (unsigned long long)r->nviolations, (unsigned long long)r->nunsound,
                scn_verdict_name(s->expect[p]), scn_verdict_name(r->predicted));
        if (r->observed == VERDICT_UNSET)
            fputs("null", out);
        else
            fprintf(out, "\"%s\"", scn_verdict_name(r->observed));
        json_observed(an, r, out);
        json_evidence(an, r, out);
        fputs(", \"verdict_reason\": ", out);
        js(out, r->verdict_why.s);
        fprintf(out, ", \"z3\": %s, \"edges\": [",
                r->z3 < 0 ? "null"
                : r->z3   ? "\"agree\""
                          : "\"disagree\"");
        uint32_t shown = 0;
        for (uint32_t a = 0; a < s->ntasks && shown < 10000; a++)
            for (uint32_t b = bitmat_next(&r->perm, a, 0); b < s->ntasks && shown < 10000;
                 b = bitmat_next(&r->perm, a, b + 1)) {
                fprintf(out, "%s[", shown++ ? ", " : "");
                js(out, s->tasks[a].name);
                fputs(", ", out);
                js(out, s->tasks[b].name);
                fprintf(out, ", %s]",
                        bitmat_get(&an->declared, a, b) ? "\"declared\"" : "\"permitted-only\"");
            }
        fputs("]}", out);
    }
    fputs("\n  ],\n  \"findings\": [", out);
    for (uint32_t i = 0; i < an->nf; i++) {
        const struct finding *f = &an->f[i];
        fprintf(out, "%s\n    {\"kind\": \"%s\", \"policy\": ", i ? "," : "",
                fd_kind_names[f->kind]);
        if (f->policy < 0)
            fputs("null", out);
        else
            fprintf(out, "\"%s\"", an_policy_names[f->policy]);
        fputs(", \"from\": ", out);
        task_or_null(out, s, f->a);
        fputs(", \"to\": ", out);
        task_or_null(out, s, f->b);
        fprintf(out, ", \"line\": %u, \"text\": ", f->line);
        js(out, f->text);
        fputs(", \"derivation\": ", out);
        if (f->why)
            js(out, f->why);
        else
            fputs("null", out);
        fputs("}", out);
    }
    fprintf(out, "\n  ],\n  \"unlisted_findings\": %llu,\n  \"notes\": ",
            (unsigned long long)an->suppressed);
    js(out, an->notes.s);
    fprintf(out, ",\n  \"exit\": %d\n}\n", analysis_count(an) ? 1 : 0);
}
