/* SPDX-License-Identifier: MIT */
/* Backend `clans`: clans & chiefs. A task's creator is its chief; IPC inside a clan (same chief),
 * to one's chief and to one's own children is direct; any other IPC is redirected hop by hop
 * to the chiefs between sender and receiver, each of which forwards it only by its rules. */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

/* A forwarding rule of a chief; SCN_NONE in src or dst means any task ('*'). */
struct clans_rule {
    uint32_t chief, src, dst, line;
};

struct clans_setup {
    uint32_t n;
    struct bitmat declared;   /* chiefs forward every declared channel on its route */
    uint32_t *kid_off, *kids; /* children of task t; of the roots at index n */
    struct clans_rule *rules; /* from `policy clans { forward ... }` */
    uint32_t nrules, cap_rules;
    uint32_t *hops; /* scratch for one route */
    uint32_t max_hops;
};

static bool clans_check_addition(const struct scn *s, struct scn_addition *a, struct an_diag *d)
{
    if (strcmp(a->verb, "forward") != 0) {
        an_diag_error(d, a->pos.line, a->pos.col,
                      "unknown clans addition '%s' (expected 'forward CHIEF SRC|* -> DST|*')",
                      a->verb);
        return false;
    }
    if (!pol_nargs(a, 4, 4, "CHIEF SRC|* -> DST|*", d) || !pol_arg_task(s, a, 0, d)) return false;
    if (a->args[1].kind != ARG_STAR && !pol_arg_task(s, a, 1, d)) return false;
    if (!pol_arg_word(a, 2, "->", d)) return false;
    return a->args[3].kind == ARG_STAR || pol_arg_task(s, a, 3, d);
}

static uint32_t parent_of(const struct scn *s, uint32_t t)
{
    return scn_parent(s, t);
}

static void *clans_derive(const struct scn *s)
{
    struct clans_setup *su = an_calloc(1, sizeof(*su));
    uint32_t n = su->n = s->ntasks;
    bitmat_init(&su->declared, n);
    for (uint32_t i = 0; i < s->nchannels; i++)
        bitmat_set(&su->declared, s->channels[i].from.idx, s->channels[i].to);
    su->kid_off = an_calloc(n + 2, sizeof(uint32_t));
    su->kids = an_malloc((n + 1) * sizeof(uint32_t));
    for (uint32_t t = 0; t < n; t++) {
        uint32_t p = parent_of(s, t);
        su->kid_off[(p == SCN_NONE ? n : p) + 1]++;
    }
    for (uint32_t t = 0; t <= n; t++)
        su->kid_off[t + 1] += su->kid_off[t];
    uint32_t *fill = an_malloc((n + 1) * sizeof(uint32_t));
    memcpy(fill, su->kid_off, (n + 1) * sizeof(uint32_t));
    uint32_t depth_max = 0;
    for (uint32_t t = 0; t < n; t++) {
        uint32_t p = parent_of(s, t);
        su->kids[fill[p == SCN_NONE ? n : p]++] = t;
        uint32_t dpt = 0;
        for (uint32_t x = t; x != SCN_NONE && dpt <= n; x = parent_of(s, x))
            dpt++;
        if (dpt > depth_max) depth_max = dpt;
    }
    free(fill);
    su->max_hops = 2 * depth_max + 2;
    su->hops = an_malloc(su->max_hops * sizeof(uint32_t));
    for (uint32_t i = 0; i < s->nadds; i++) {
        const struct scn_addition *a = &s->adds[i];
        if (a->policy != POL_CLANS) continue;
        struct clans_rule *r = AN_PUSH(su->rules, su->nrules, su->cap_rules);
        r->chief = a->args[0].idx;
        r->src = a->args[1].kind == ARG_STAR ? SCN_NONE : a->args[1].idx;
        r->dst = a->args[3].kind == ARG_STAR ? SCN_NONE : a->args[3].idx;
        r->line = a->pos.line;
    }
    return su;
}

static void clans_free(void *p)
{
    struct clans_setup *su = p;
    bitmat_free(&su->declared);
    free(su->kid_off);
    free(su->kids);
    free(su->rules);
    free(su->hops);
    free(su);
}

static bool is_direct(const struct scn *s, uint32_t cur, uint32_t b)
{
    if (cur == b) return false;
    uint32_t pc = parent_of(s, cur), pb = parent_of(s, b);
    return pb == pc || pb == cur || b == pc;
}

/* The chief of the outermost clan below cur's level that contains b: the ancestor of b whose
 * chief is cur, or which is a sibling of cur. SCN_NONE if b is not below cur's level. */
static uint32_t down_chief(const struct scn *s, uint32_t cur, uint32_t b)
{
    uint32_t pc = parent_of(s, cur);
    for (uint32_t x = b, steps = 0; x != SCN_NONE && steps <= s->ntasks; steps++) {
        uint32_t px = parent_of(s, x);
        if (px == cur || (px == pc && x != cur)) return x;
        x = px;
    }
    return SCN_NONE;
}

/* The chiefs a message from a to b is redirected to, in order; returns their number. */
static uint32_t clans_route(const struct scn *s, struct clans_setup *su, uint32_t a, uint32_t b)
{
    uint32_t n = 0, cur = a;
    while (!is_direct(s, cur, b) && n < su->max_hops) {
        uint32_t k = down_chief(s, cur, b);
        if (k == SCN_NONE) k = parent_of(s, cur);
        if (k == SCN_NONE) break; /* cannot happen in a forest; bounded anyway */
        su->hops[n++] = k;
        cur = k;
    }
    return n;
}

/* Whether chief k forwards a message from a to b, and (if why) by which rule. */
static bool clans_forwards(const struct scn *s, const struct clans_setup *su, uint32_t k,
                           uint32_t a, uint32_t b, struct an_buf *why)
{
    if (bitmat_get(&su->declared, a, b)) {
        if (why) {
            for (uint32_t i = 0; i < s->nchannels; i++)
                if (s->channels[i].from.idx == a && s->channels[i].to == b) {
                    an_buf_printf(why, "%s forwards it (rule from channel %s)", s->tasks[k].name,
                                  s->channels[i].name);
                    break;
                }
        }
        return true;
    }
    for (uint32_t i = 0; i < su->nrules; i++) {
        const struct clans_rule *r = &su->rules[i];
        if (r->chief != k || (r->src != SCN_NONE && r->src != a) ||
            (r->dst != SCN_NONE && r->dst != b))
            continue;
        if (why)
            an_buf_printf(why, "%s forwards it (policy clans line %u)", s->tasks[k].name, r->line);
        return true;
    }
    if (why) an_buf_printf(why, "%s has no rule for it and drops it", s->tasks[k].name);
    return false;
}

static bool clans_permits(const struct scn *s, struct clans_setup *su, uint32_t a, uint32_t b)
{
    if (a == b) return false;
    uint32_t n = clans_route(s, su, a, b);
    for (uint32_t i = 0; i < n; i++)
        if (!clans_forwards(s, su, su->hops[i], a, b, NULL)) return false;
    return true;
}

static void clans_closure(const struct scn *s, void *setup, struct bitmat *perm)
{
    struct clans_setup *su = setup;
    uint32_t n = su->n;
    bool any_dst_wild = false;
    for (uint32_t i = 0; i < su->nrules; i++)
        any_dst_wild |= su->rules[i].dst == SCN_NONE;
    for (uint32_t a = 0; a < n; a++) {
        uint32_t p = parent_of(s, a), pi = p == SCN_NONE ? n : p;
        for (uint32_t k = su->kid_off[pi]; k < su->kid_off[pi + 1]; k++)
            if (su->kids[k] != a) bitmat_set(perm, a, su->kids[k]);
        for (uint32_t k = su->kid_off[a]; k < su->kid_off[a + 1]; k++)
            bitmat_set(perm, a, su->kids[k]);
        if (p != SCN_NONE) bitmat_set(perm, a, p);
        /* Beyond the clan only declared pairs and rule targets can pass the chiefs. */
        for (uint32_t b = bitmat_next(&su->declared, a, 0); b < n;
             b = bitmat_next(&su->declared, a, b + 1))
            if (!bitmat_get(perm, a, b) && clans_permits(s, su, a, b)) bitmat_set(perm, a, b);
        for (uint32_t i = 0; i < su->nrules; i++) {
            const struct clans_rule *r = &su->rules[i];
            if (r->src != SCN_NONE && r->src != a) continue;
            if (r->dst != SCN_NONE) {
                if (!bitmat_get(perm, a, r->dst) && clans_permits(s, su, a, r->dst))
                    bitmat_set(perm, a, r->dst);
            }
        }
        if (any_dst_wild)
            for (uint32_t b = 0; b < n; b++)
                if (!bitmat_get(perm, a, b) && clans_permits(s, su, a, b)) bitmat_set(perm, a, b);
    }
}

static void clans_explain(const struct scn *s, void *setup, uint32_t a, uint32_t b,
                          struct an_buf *out)
{
    struct clans_setup *su = setup;
    const char *an = s->tasks[a].name, *bn = s->tasks[b].name;
    if (is_direct(s, a, b)) {
        uint32_t pa = parent_of(s, a);
        if (parent_of(s, b) == pa)
            an_buf_printf(out, "%s and %s are in one clan (chief %s): direct, 1 IPC", an, bn,
                          pa == SCN_NONE ? "(none: the top clan)" : s->tasks[pa].name);
        else if (b == pa)
            an_buf_printf(out, "%s is %s's chief: direct, 1 IPC", bn, an);
        else
            an_buf_printf(out, "%s is %s's chief: direct, 1 IPC", an, bn);
        return;
    }
    uint32_t n = clans_route(s, su, a, b);
    an_buf_printf(out, "%s -> %s leaves the clan: redirected through chief%s", an, bn,
                  n > 1 ? "s" : "");
    for (uint32_t i = 0; i < n; i++)
        an_buf_printf(out, "%s %s", i ? "," : "", s->tasks[su->hops[i]].name);
    an_buf_printf(out, " (%u IPCs instead of 1)", n + 1);
    uint32_t k[64];
    uint32_t nk = n < 64 ? n : 64;
    memcpy(k, su->hops, nk * sizeof(uint32_t));
    for (uint32_t i = 0; i < nk; i++) {
        an_buf_add(out, "; ");
        if (!clans_forwards(s, su, k[i], a, b, out)) break;
    }
}

static void clans_describe(const struct scn *s, const void *setup, struct an_buf *out)
{
    struct clans_setup *su = (struct clans_setup *)setup;
    for (uint32_t t = 0; t < s->ntasks; t++) {
        uint32_t nk = su->kid_off[t + 1] - su->kid_off[t];
        if (nk)
            an_buf_printf(out, "chief %s: clan of %u task%s\n", s->tasks[t].name, nk,
                          nk > 1 ? "s" : "");
    }
    for (uint32_t i = 0; i < s->nchannels; i++) {
        const struct scn_channel *c = &s->channels[i];
        uint32_t n = clans_route(s, su, c->from.idx, c->to);
        for (uint32_t h = 0; h < n; h++)
            an_buf_printf(out, "rule: chief %s forwards %s -> %s (channel %s)\n",
                          s->tasks[su->hops[h]].name, c->from.name, s->tasks[c->to].name, c->name);
    }
    for (uint32_t i = 0; i < su->nrules; i++) {
        const struct clans_rule *r = &su->rules[i];
        an_buf_printf(out, "rule: chief %s forwards %s -> %s (policy clans line %u)\n",
                      s->tasks[r->chief].name, r->src == SCN_NONE ? "*" : s->tasks[r->src].name,
                      r->dst == SCN_NONE ? "*" : s->tasks[r->dst].name, r->line);
    }
}

/* Routing written as Datalog, independently of clans_route: the virtual node n is the chief
 * of the roots, so the roots form the top clan. */
static void clans_z3(const struct scn *s, const void *setup, unsigned bits, struct an_buf *out)
{
    const struct clans_setup *su = setup;
    char a[40], b[40], c[40];
    an_buf_add(out,
               "(declare-rel par (T T))\n(declare-rel sib (T T))\n(declare-rel direct (T T))\n"
               "(declare-rel desc (T T))\n(declare-rel down (T T T))\n(declare-rel below (T T))\n"
               "(declare-rel at (T T T))\n(declare-rel chan (T T))\n(declare-rel fwd (T T T))\n"
               "(declare-rel fone (T T T))\n(declare-rel fsrc (T T))\n(declare-rel fdst (T T))\n"
               "(declare-rel fall (T))\n");
    pol_emit_task_facts(s, bits, out);
    for (uint32_t t = 0; t < s->ntasks; t++) {
        uint32_t p = parent_of(s, t);
        pol_bv(bits, t, a, sizeof(a));
        pol_bv(bits, p == SCN_NONE ? s->ntasks : p, b, sizeof(b));
        an_buf_printf(out, "(rule (par %s %s))\n", a, b);
    }
    for (uint32_t i = 0; i < s->nchannels; i++) {
        pol_bv(bits, s->channels[i].from.idx, a, sizeof(a));
        pol_bv(bits, s->channels[i].to, b, sizeof(b));
        an_buf_printf(out, "(rule (chan %s %s))\n", a, b);
    }
    for (uint32_t i = 0; i < su->nrules; i++) {
        const struct clans_rule *r = &su->rules[i];
        pol_bv(bits, r->chief, a, sizeof(a));
        if (r->src != SCN_NONE) pol_bv(bits, r->src, b, sizeof(b));
        if (r->dst != SCN_NONE) pol_bv(bits, r->dst, c, sizeof(c));
        if (r->src != SCN_NONE && r->dst != SCN_NONE)
            an_buf_printf(out, "(rule (fone %s %s %s))\n", a, b, c);
        else if (r->src != SCN_NONE)
            an_buf_printf(out, "(rule (fsrc %s %s))\n", a, b);
        else if (r->dst != SCN_NONE)
            an_buf_printf(out, "(rule (fdst %s %s))\n", a, c);
        else
            an_buf_printf(out, "(rule (fall %s))\n", a);
    }
    an_buf_add(
        out, "; clans: siblings, one's chief and one's children are direct\n"
             "(rule (=> (and (par x p) (par y p) (not (= x y))) (sib x y)))\n"
             "(rule (=> (sib x y) (direct x y)))\n"
             "(rule (=> (par y x) (direct x y)))\n"
             "(rule (=> (and (par x y) (task y)) (direct x y)))\n"
             "(rule (=> (par y x) (desc y x)))\n"
             "(rule (=> (and (par y z) (desc z x)) (desc y x)))\n"
             "; down: the chief of the subclan below c's level that contains d\n"
             "(rule (=> (and (desc d k) (par k c)) (down c d k)))\n"
             "(rule (=> (and (desc d k) (sib k c)) (down c d k)))\n"
             "(rule (=> (down c d k) (below c d)))\n"
             "; what each chief forwards: declared channels and its additions\n"
             "(rule (=> (and (chan s d) (task k)) (fwd k s d)))\n"
             "(rule (=> (fone k s d) (fwd k s d)))\n"
             "(rule (=> (and (fsrc k s) (task d)) (fwd k s d)))\n"
             "(rule (=> (and (fdst k d) (task s)) (fwd k s d)))\n"
             "(rule (=> (and (fall k) (task s) (task d)) (fwd k s d)))\n"
             "; a message from s for d, now at c\n"
             "(rule (=> (and (task s) (task d) (not (= s d))) (at s s d)))\n"
             "(rule (=> (and (at s c d) (direct c d)) (send s d)))\n"
             "(rule (=> (and (at s c d) (not (direct c d)) (down c d k) (fwd k s d)) (at s k d)))\n"
             "(rule (=> (and (at s c d) (not (direct c d)) (not (below c d)) (par c p) (task p)"
             " (fwd p s d)) (at s p d)))\n");
}

/* A chief on the route may forward in the original sender's name (L4's deceiving IPC). */
static bool clans_can_spoof(const struct scn *s, void *setup, uint32_t attacker, uint32_t ch,
                            struct an_buf *why)
{
    struct clans_setup *su = setup;
    const struct scn_channel *c = &s->channels[ch];
    if (attacker == c->from.idx) return true;
    uint32_t n = clans_route(s, su, c->from.idx, c->to);
    for (uint32_t i = 0; i < n; i++) {
        if (su->hops[i] != attacker) continue;
        an_buf_printf(why, "%s is a chief on the route of channel %s and may forward in %s's name",
                      s->tasks[attacker].name, c->name, c->from.name);
        return true;
    }
    an_buf_printf(why,
                  "the receiver sees the original sender's id; only chiefs on the route "
                  "of channel %s may send in %s's name, and %s is none of them",
                  c->name, c->from.name, s->tasks[attacker].name);
    return false;
}

/* The chiefs' rule table for the boot setup ("forward CHIEF SRC DST", * for any): every chief on
 * a declared channel's route forwards that channel, and the `policy clans { forward ... }`
 * additions; the loader hands each chief its lines (monitor/scnroot/, user/lib/chief.c). */
void clans_setup_rules(const struct scn *s, struct an_buf *out)
{
    struct clans_setup *su = clans_derive(s);
    for (uint32_t i = 0; i < s->nchannels; i++) {
        const struct scn_channel *c = &s->channels[i];
        uint32_t n = clans_route(s, su, c->from.idx, c->to);
        for (uint32_t h = 0; h < n; h++)
            an_buf_printf(out, "forward %s %s %s\n", s->tasks[su->hops[h]].name, c->from.name,
                          s->tasks[c->to].name);
    }
    for (uint32_t i = 0; i < su->nrules; i++) {
        const struct clans_rule *r = &su->rules[i];
        an_buf_printf(out, "forward %s %s %s\n", s->tasks[r->chief].name,
                      r->src == SCN_NONE ? "*" : s->tasks[r->src].name,
                      r->dst == SCN_NONE ? "*" : s->tasks[r->dst].name);
    }
    clans_free(su);
}

uint32_t clans_ipc_count(const struct scn *s, void *setup, uint32_t a, uint32_t b)
{
    return clans_route(s, setup, a, b) + 1;
}

const struct an_backend an_backend_clans = {
    .id = POL_CLANS,
    .name = "clans",
    .summary = "clans & chiefs: direct inside a clan, otherwise redirected to each chief on the "
               "way, which forwards by its rules",
    .desc = &an_backend_descs[BACKEND_CLANS],
    .additions_help = "forward CHIEF SRC|* -> DST|*",
    .check_addition = clans_check_addition,
    .derive = clans_derive,
    .free_setup = clans_free,
    .describe = clans_describe,
    .closure = clans_closure,
    .explain = clans_explain,
    .z3_program = clans_z3,
    .can_spoof = clans_can_spoof,
    .ipc_count = clans_ipc_count,
};
