/* SPDX-License-Identifier: MIT */
/* One policy's communication graph for Graphviz, coloured by finding, with a legend. */
#include "report.h"

static void id(FILE *out, const char *name)
{
    fputc('"', out);
    for (; *name; name++) {
        if (*name == '"' || *name == '\\') fputc('\\', out);
        fputc(*name, out);
    }
    fputc('"', out);
}

enum edge_class { E_NONE, E_PERMITTED, E_DECLARED, E_BROKEN, E_OBSERVED, E_VIOLATION };

static const struct {
    const char *label, *attrs;
} style[] = {
    [E_PERMITTED] = {"permitted only (excess authority)", "color=gray60, style=dashed"},
    [E_DECLARED] = {"declared and permitted", "color=black, penwidth=1.5"},
    [E_BROKEN] = {"declared, not permitted (broken setup)",
                  "color=orange, style=dotted, penwidth=2"},
    [E_OBSERVED] = {"declared and observed (replies too)", "color=blue, penwidth=2.5"},
    [E_VIOLATION] = {"observed, not declared (violation)", "color=red, penwidth=3"},
};

void report_dot(const struct analysis *an, enum an_policy_id p, const struct dot_opts *o, FILE *out)
{
    const struct scn *s = an->s;
    const struct pol_result *r = &an->pol[p];
    bool obs = an->trace && an->trace_policy == (int)p;
    fprintf(out, "// ipcan: scenario %s under %s\ndigraph ", s->name, an_policy_names[p]);
    id(out, s->name);
    fprintf(out,
            " {\n  graph [rankdir=LR, fontname=\"Helvetica\", label=\"%s under %s: expected %s, "
            "predicted %s%s%s\", labelloc=t];\n",
            s->name, an_policy_names[p], scn_verdict_name(s->expect[p]),
            scn_verdict_name(r->predicted), obs ? ", observed in the run " : "",
            obs ? scn_verdict_name(r->observed) : "");
    fputs("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge "
          "[fontname=\"Helvetica\", fontsize=9];\n",
          out);
    for (uint32_t t = 0; t < s->ntasks; t++) {
        fputs("  ", out);
        id(out, s->tasks[t].name);
        fprintf(out, " [label=\"%s\\n(%s)\"%s];\n", s->tasks[t].name, s->tasks[t].program,
                s->tasks[t].attacker ? ", color=red, fontcolor=red, style=\"rounded,bold\"" : "");
    }
    /* creation tree, faint */
    for (uint32_t t = 0; t < s->ntasks; t++) {
        uint32_t pa = scn_parent(s, t);
        if (pa == SCN_NONE) continue;
        fputs("  ", out);
        id(out, s->tasks[pa].name);
        fputs(" -> ", out);
        id(out, s->tasks[t].name);
        fputs(" [color=gray85, arrowhead=odot, style=solid, constraint=true];\n", out);
    }
    for (uint32_t a = 0; a < s->ntasks; a++)
        for (uint32_t b = 0; b < s->ntasks; b++) {
            bool d = bitmat_get(&an->declared, a, b), pm = bitmat_get(&r->perm, a, b);
            bool ob = obs && bitmat_get(&an->observed, a, b);
            bool bad = obs && bitmat_get(&an->violated, a, b);
            enum edge_class c = bad                       ? E_VIOLATION
                                : ob                      ? E_OBSERVED
                                : d                       ? (pm ? E_DECLARED : E_BROKEN)
                                : pm && o->show_permitted ? E_PERMITTED
                                                          : E_NONE;
            if (c == E_NONE) continue;
            fputs("  ", out);
            id(out, s->tasks[a].name);
            fputs(" -> ", out);
            id(out, s->tasks[b].name);
            fprintf(out, " [%s", style[c].attrs);
            if (d) {
                for (uint32_t i = 0; i < s->nchannels; i++)
                    if (s->channels[i].from.idx == a && s->channels[i].to == b) {
                        fprintf(out, ", label=\"%s\"", s->channels[i].name);
                        break;
                    }
            }
            fputs("];\n", out);
        }
    fputs("  subgraph cluster_legend {\n    label=\"legend\"; fontsize=10; color=gray70;\n"
          "    node [shape=plaintext, fontsize=9];\n",
          out);
    for (int c = E_PERMITTED; c <= E_VIOLATION; c++) {
        fprintf(out, "    l%da [label=\"\"]; l%db [label=\"%s\"];\n    l%da -> l%db [%s];\n", c, c,
                style[c].label, c, c, style[c].attrs);
    }
    fputs("  }\n}\n", out);
}
