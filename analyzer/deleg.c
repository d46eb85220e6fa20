/* SPDX-License-Identifier: MIT */
/* Closure of rights that move by delegation: union-find over the flow graph, BFS derivations. */
#include "deleg.h"
#include "policy.h"

#include <stdlib.h>
#include <string.h>

#define FLOW_REPLY 0x80000000u

void deleg_init(struct deleg *g, uint32_t ntasks)
{
    memset(g, 0, sizeof(*g));
    g->n = ntasks;
}

void deleg_free(struct deleg *g)
{
    free(g->holds);
    free(g->uf);
    free(g->by_holder_off);
    free(g->by_holder);
    free(g->flow_off);
    free(g->flow);
    memset(g, 0, sizeof(*g));
}

void deleg_add(struct deleg *g, uint32_t holder, uint32_t target, uint32_t entity, bool give,
               enum deleg_origin origin, uint32_t origin_idx)
{
    struct deleg_hold *h = AN_PUSH(g->holds, g->nholds, g->cap);
    *h = (struct deleg_hold){holder, target, entity, give, origin, origin_idx};
}

void deleg_add_flat_lookups(struct deleg *g, const struct scn *s, uint32_t svc_base,
                            uint32_t claim_base, bool give)
{
    if (s->naming != NAMING_FLAT) return;
    for (uint32_t v = 0; v < s->nservices; v++) {
        if (!s->services[v].regname) continue;
        uint32_t owner = s->services[v].owner.idx;
        for (uint32_t t = 0; t < s->ntasks; t++)
            if (t != owner) deleg_add(g, t, owner, svc_base + v, give, ORIGIN_NAME_LOOKUP, v);
    }
    for (uint32_t k = 0; k < s->nclaims; k++) {
        uint32_t claimant = s->claims[k].task.idx;
        for (uint32_t t = 0; t < s->ntasks; t++)
            if (t != claimant) deleg_add(g, t, claimant, claim_base + k, give, ORIGIN_NAME_RACE, k);
    }
}

void deleg_add_receiver(struct deleg *g, uint32_t task, uint32_t alias, const bool *of_service,
                        uint32_t nentities, uint32_t self_entity, uint32_t origin_idx)
{
    uint32_t n = g->nholds; /* the holds so far; the twins added here are not twinned again */
    for (uint32_t i = 0; i < n; i++) {
        const struct deleg_hold h = g->holds[i];
        if (h.entity < nentities && of_service[h.entity] && h.holder != task)
            deleg_add(g, h.holder, task, alias + h.entity, h.give, ORIGIN_ADDITION, origin_idx);
    }
    deleg_add(g, task, task, alias + self_entity, true, ORIGIN_ADDITION, origin_idx);
}

uint32_t deleg_find(struct deleg *g, uint32_t x)
{
    uint32_t r = x;
    while (g->uf[r] != r)
        r = g->uf[r];
    while (g->uf[x] != r) { /* path compression, iterative */
        uint32_t next = g->uf[x];
        g->uf[x] = r;
        x = next;
    }
    return r;
}

static void unite(struct deleg *g, uint32_t a, uint32_t b)
{
    a = deleg_find(g, a);
    b = deleg_find(g, b);
    if (a != b) g->uf[a < b ? b : a] = a < b ? a : b;
}

/* CSR index: for each key (task) the list of hold indexes; key_of returns UINT32_MAX to skip. */
static void build_index(const struct deleg *g, uint32_t **off_out, uint32_t **arr_out, bool flow)
{
    uint32_t *off = an_calloc(g->n + 1, sizeof(uint32_t));
    for (uint32_t i = 0; i < g->nholds; i++) {
        const struct deleg_hold *h = &g->holds[i];
        if (!flow) {
            off[h->holder + 1]++;
        } else if (h->holder != h->target) {
            off[h->holder + 1]++;
            off[h->target + 1]++;
        }
    }
    for (uint32_t t = 0; t < g->n; t++)
        off[t + 1] += off[t];
    uint32_t *fill = an_malloc((g->n + 1) * sizeof(uint32_t));
    memcpy(fill, off, (g->n + 1) * sizeof(uint32_t));
    uint32_t *arr = an_malloc((off[g->n] + 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < g->nholds; i++) {
        const struct deleg_hold *h = &g->holds[i];
        if (!flow) {
            arr[fill[h->holder]++] = i;
        } else if (h->holder != h->target) {
            arr[fill[h->holder]++] = i;
            arr[fill[h->target]++] = i | FLOW_REPLY;
        }
    }
    free(fill);
    *off_out = off;
    *arr_out = arr;
}

static int cmp_pair(const void *x, const void *y)
{
    const uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Why the flow graph's components are final: a delegated right only ever reaches tasks in
 * its holder's component, and the send it enables stays inside that component, so no
 * delegation can join two components. Every give-right therefore reaches exactly the
 * component of its holder. */
void deleg_closure(struct deleg *g, struct bitmat *perm)
{
    g->uf = an_malloc((g->n + 1) * sizeof(uint32_t));
    for (uint32_t t = 0; t < g->n; t++)
        g->uf[t] = t;
    for (uint32_t i = 0; i < g->nholds; i++) {
        const struct deleg_hold *h = &g->holds[i];
        if (h->holder != h->target) {
            unite(g, h->holder, h->target);
            bitmat_set(perm, h->holder, h->target);
        }
    }
    build_index(g, &g->by_holder_off, &g->by_holder, false);
    build_index(g, &g->flow_off, &g->flow, true);
    /* (component root, target) for every give-right, deduplicated. */
    uint64_t *pairs = NULL;
    uint32_t np = 0, cap = 0;
    for (uint32_t i = 0; i < g->nholds; i++) {
        const struct deleg_hold *h = &g->holds[i];
        if (!h->give) continue;
        *AN_PUSH(pairs, np, cap) = ((uint64_t)deleg_find(g, h->holder) << 32) | h->target;
    }
    if (!np) {
        free(pairs);
        return;
    }
    qsort(pairs, np, sizeof(*pairs), cmp_pair);
    /* Members of each component, grouped by root (counting sort). */
    uint32_t *off = an_calloc(g->n + 1, sizeof(uint32_t)),
             *mem = an_malloc(g->n * sizeof(uint32_t) + 4);
    for (uint32_t t = 0; t < g->n; t++)
        off[deleg_find(g, t) + 1]++;
    for (uint32_t t = 0; t < g->n; t++)
        off[t + 1] += off[t];
    uint32_t *fill = an_malloc((g->n + 1) * sizeof(uint32_t));
    memcpy(fill, off, (g->n + 1) * sizeof(uint32_t));
    for (uint32_t t = 0; t < g->n; t++)
        mem[fill[deleg_find(g, t)]++] = t;
    for (uint32_t i = 0; i < np; i++) {
        if (i && pairs[i] == pairs[i - 1]) continue;
        uint32_t root = (uint32_t)(pairs[i] >> 32), target = (uint32_t)pairs[i];
        for (uint32_t k = off[root]; k < off[root + 1]; k++)
            if (mem[k] != target) bitmat_set(perm, mem[k], target);
    }
    free(fill);
    free(off);
    free(mem);
    free(pairs);
}

static void name(const struct scn *s, uint32_t t, struct an_buf *out)
{
    an_buf_add(out, s->tasks[t].name);
}

/* BFS over the flow graph from `from` to `to`; appends the hops. Memory O(n), no recursion. */
static void flow_path(const struct scn *s, struct deleg *g, uint32_t from, uint32_t to,
                      deleg_desc_fn desc, struct an_buf *out)
{
    uint32_t *prev = an_malloc(g->n * sizeof(uint32_t)), *via = an_malloc(g->n * sizeof(uint32_t));
    uint32_t *queue = an_malloc(g->n * sizeof(uint32_t));
    for (uint32_t t = 0; t < g->n; t++)
        prev[t] = SCN_NONE;
    uint32_t head = 0, tail = 0;
    prev[from] = from;
    queue[tail++] = from;
    while (head < tail && prev[to] == SCN_NONE) {
        uint32_t u = queue[head++];
        for (uint32_t k = g->flow_off[u]; k < g->flow_off[u + 1]; k++) {
            const struct deleg_hold *h = &g->holds[g->flow[k] & ~FLOW_REPLY];
            uint32_t v = (g->flow[k] & FLOW_REPLY) ? h->holder : h->target;
            if (prev[v] != SCN_NONE) continue;
            prev[v] = u;
            via[v] = g->flow[k];
            queue[tail++] = v;
        }
    }
    /* Walk back from `to`, then print in forward order. */
    uint32_t n = 0;
    for (uint32_t v = to; v != from && prev[v] != SCN_NONE; v = prev[v])
        queue[n++] = v;
    for (uint32_t i = n; i-- > 0;) {
        uint32_t v = queue[i], u = prev[v];
        const struct deleg_hold *h = &g->holds[via[v] & ~FLOW_REPLY];
        an_buf_add(out, "; ");
        name(s, u, out);
        if (via[v] & FLOW_REPLY) {
            an_buf_add(out, " passes it to ");
            name(s, v, out);
            an_buf_add(out, " in a reply (");
            name(s, v, out);
            an_buf_add(out, " calls it through ");
        } else {
            an_buf_add(out, " passes it to ");
            name(s, v, out);
            an_buf_add(out, " in a message (through ");
        }
        desc(s, h, out);
        an_buf_add(out, ")");
    }
    free(prev);
    free(via);
    free(queue);
}

static uint32_t give_holder_for(struct deleg *g, uint32_t task, bool by_entity, uint32_t key)
{
    uint32_t root = deleg_find(g, task);
    for (uint32_t i = 0; i < g->nholds; i++) {
        const struct deleg_hold *h = &g->holds[i];
        if (!h->give || (by_entity ? h->entity : h->target) != key) continue;
        if (deleg_find(g, h->holder) == root) return i;
    }
    return SCN_NONE;
}

bool deleg_explain(const struct scn *s, struct deleg *g, uint32_t a, uint32_t b, deleg_desc_fn desc,
                   struct an_buf *out)
{
    for (uint32_t k = g->by_holder_off[a]; k < g->by_holder_off[a + 1]; k++) {
        const struct deleg_hold *h = &g->holds[g->by_holder[k]];
        if (h->target != b) continue;
        name(s, a, out);
        an_buf_add(out, " holds ");
        desc(s, h, out);
        return true;
    }
    uint32_t i = give_holder_for(g, a, false, b);
    if (i == SCN_NONE) {
        name(s, a, out);
        an_buf_add(out, " holds no right that reaches ");
        name(s, b, out);
        an_buf_add(out, ", and no right to it that may be given on is held in its component");
        return false;
    }
    const struct deleg_hold *h = &g->holds[i];
    name(s, h->holder, out);
    an_buf_add(out, " holds ");
    desc(s, h, out);
    an_buf_add(out, " and may give it on");
    flow_path(s, g, h->holder, a, desc, out);
    an_buf_add(out, "; so ");
    name(s, a, out);
    an_buf_add(out, " can send to ");
    name(s, b, out);
    return true;
}

bool deleg_can_hold(const struct scn *s, struct deleg *g, uint32_t task, uint32_t entity,
                    deleg_desc_fn desc, struct an_buf *why)
{
    for (uint32_t k = g->by_holder_off[task]; k < g->by_holder_off[task + 1]; k++) {
        const struct deleg_hold *h = &g->holds[g->by_holder[k]];
        if (h->entity != entity) continue;
        if (why) {
            name(s, task, why);
            an_buf_add(why, " holds ");
            desc(s, h, why);
        }
        return true;
    }
    uint32_t i = give_holder_for(g, task, true, entity);
    if (i == SCN_NONE) return false;
    if (why) {
        const struct deleg_hold *h = &g->holds[i];
        name(s, h->holder, why);
        an_buf_add(why, " holds ");
        desc(s, h, why);
        an_buf_add(why, " and may give it on");
        flow_path(s, g, h->holder, task, desc, why);
    }
    return true;
}

void deleg_z3(const struct scn *s, const struct deleg *g, unsigned bits, struct an_buf *out)
{
    uint32_t maxe = 0;
    for (uint32_t i = 0; i < g->nholds; i++)
        if (g->holds[i].entity > maxe) maxe = g->holds[i].entity;
    unsigned ebits = 1;
    while (ebits < 31 && (1u << ebits) <= maxe)
        ebits++;
    an_buf_printf(out, "(define-sort E () (_ BitVec %u))\n", ebits);
    an_buf_add(out, "(declare-rel hold (T E T))\n(declare-rel gv (T E T))\n"
                    "(declare-rel can (T E T))\n(declare-rel cang (T E T))\n"
                    "(declare-rel flow (T T))\n(declare-var e E)\n");
    pol_emit_task_facts(s, bits, out);
    char x[40], t[40], e[40];
    for (uint32_t i = 0; i < g->nholds; i++) {
        const struct deleg_hold *h = &g->holds[i];
        pol_bv(bits, h->holder, x, sizeof(x));
        pol_bv(bits, h->target, t, sizeof(t));
        pol_bv(ebits, h->entity, e, sizeof(e));
        an_buf_printf(out, "(rule (%s %s %s %s))\n", h->give ? "gv" : "hold", x, e, t);
    }
    an_buf_add(out, "; a right lets its holder send to the right's target\n"
                    "(rule (=> (hold x e y) (can x e y)))\n"
                    "(rule (=> (gv x e y) (cang x e y)))\n"
                    "(rule (=> (cang x e y) (can x e y)))\n"
                    "(rule (=> (and (can x e y) (not (= x y))) (send x y)))\n"
                    "; rights travel in messages and in replies\n"
                    "(rule (=> (send x y) (flow x y)))\n"
                    "(rule (=> (send x y) (flow y x)))\n"
                    "; a right that may be given on reaches whoever its holder can talk to\n"
                    "(rule (=> (and (cang x e y) (flow x z)) (cang z e y)))\n");
}
