/* SPDX-License-Identifier: MIT */
/* Delegation backends: a declared parent keeps a copy of every name its children are given. */
#include "deleg.h"

/*
 * Only a task's creator may give it names, so the scenario loader hands the names of a task
 * whose declared parent is not the loader through that parent (monitor/scnroot/main.c,
 * give_name): the parent's runtime receives each as a give-able name and gives it on
 * (user/lib/scn.c, parent_op), keeping its own copy. The declared parent therefore holds every
 * right the loader hands its children (their channels' names and the additions',
 * ORIGIN_CHANNEL/ADDITION/DELEGATE) and the endpoint of each service they provide (entity
 * svc_base + service), and can send with them. The kernel would let it give them on, but as
 * the creator that distributes rights it is trusted to hand out only the declared ones (as
 * the loader and the providers are, analyzer/README.md), so its copies carry no give right
 * here. The loader's own children get their names from it directly. Found by the authority
 * sweep (scripts/sweep.sh): a parent reached its child and what its child's channels reach.
 */
static uint32_t giving_parent(const struct scn *s, uint32_t t)
{
    if (s->tasks[t].parent.name == NULL) return SCN_NONE;
    uint32_t p = scn_parent(s, t);
    return s->tasks[p].parent.name == NULL ? SCN_NONE : p; /* a root is the loader */
}

void deleg_add_parent_copies(struct deleg *g, const struct scn *s, uint32_t svc_base)
{
    uint32_t n = g->nholds;
    for (uint32_t i = 0; i < n; i++) {
        const struct deleg_hold h = g->holds[i]; /* a copy: deleg_add may move the array */
        if (h.origin != ORIGIN_CHANNEL && h.origin != ORIGIN_ADDITION &&
            h.origin != ORIGIN_DELEGATE)
            continue;
        uint32_t p = giving_parent(s, h.holder);
        if (p != SCN_NONE && p != h.target)
            deleg_add(g, p, h.target, h.entity, false, ORIGIN_PARENT, h.holder);
    }
    for (uint32_t v = 0; v < s->nservices; v++) {
        uint32_t owner = s->services[v].owner.idx, p = giving_parent(s, owner);
        if (p != SCN_NONE) deleg_add(g, p, owner, svc_base + v, false, ORIGIN_PARENT, owner);
    }
}

void deleg_parent_desc(const struct scn *s, const struct deleg_hold *h, const char *what,
                       struct an_buf *out)
{
    an_buf_printf(out,
                  "a copy of %s%u (to %s), which the loader handed its child %s through it "
                  "(a trusted creator: it gives on only declared rights)",
                  what, h->entity, s->tasks[h->target].name, s->tasks[h->origin_idx].name);
}
