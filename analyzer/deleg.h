/* SPDX-License-Identifier: MIT */
/* Closure of rights that move by delegation (capgate capabilities, Mach send rights, refmon
 * IPC-right flexpages): who can come to hold what, and the chain that gets it there. */
#ifndef DELEG_H
#define DELEG_H

#include "bitmat.h"
#include "scn_model.h"

enum deleg_origin {
    ORIGIN_CHANNEL,     /* handed out for a declared channel */
    ORIGIN_ADDITION,    /* a per-backend addition line */
    ORIGIN_DELEGATE,    /* a declared delegation (addition `delegate`) */
    ORIGIN_NAME_RACE,   /* the name service may hand out a rival's endpoint (flat naming) */
    ORIGIN_NAME_LOOKUP, /* anyone may look a registered service up (flat naming) */
    ORIGIN_PARENT,      /* a declared parent's copy of a name given to its child (origin_idx) */
};

/* `holder` holds a right to `entity`, which lets it send to `target`; with `give` it may
 * pass the right on to anyone it can send to or reply to. */
struct deleg_hold {
    uint32_t holder, target, entity;
    bool give;
    enum deleg_origin origin;
    uint32_t origin_idx; /* channel, addition or claim index */
};

struct deleg {
    uint32_t n;
    struct deleg_hold *holds;
    uint32_t nholds, cap;
    uint32_t *uf;                        /* union-find over the flow graph (after closure) */
    uint32_t *by_holder_off, *by_holder; /* holds indexed by holder (after closure) */
    uint32_t *flow_off, *flow; /* flow adjacency: hold index, bit 31 set = reply direction */
};

/* Describes a hold for derivations ("capability to gate g3 (service fs, label 0x3)"). */
typedef void (*deleg_desc_fn)(const struct scn *s, const struct deleg_hold *h, struct an_buf *out);

void deleg_init(struct deleg *g, uint32_t ntasks);
void deleg_free(struct deleg *g);
void deleg_add(struct deleg *g, uint32_t holder, uint32_t target, uint32_t entity, bool give,
               enum deleg_origin origin, uint32_t origin_idx);
/* Flat naming: the one name service answers everyone, so every task other than the owner may
 * obtain a right to each registered service (ORIGIN_NAME_LOOKUP, entity svc_base + service)
 * and to each claimant's endpoint, which it hands out if the claimant registered first
 * (ORIGIN_NAME_RACE, entity claim_base + claim). `give`: whether a looked-up right may be
 * passed on. Nothing under hierarchical naming (a parent answers only declared lookups). */
void deleg_add_flat_lookups(struct deleg *g, const struct scn *s, uint32_t svc_base,
                            uint32_t claim_base, bool give);
/* Every right the loader hands a task through its declared parent (deleg_parent.c), and the
 * endpoints of the task's services (entity svc_base + service), also held by that parent
 * (without give: a trusted creator): call after every other hold is added. */
void deleg_add_parent_copies(struct deleg *g, const struct scn *s, uint32_t svc_base);
/* Describes an ORIGIN_PARENT hold; `what` names the entity ("gate g", "port p"). */
void deleg_parent_desc(const struct scn *s, const struct deleg_hold *h, const char *what,
                       struct an_buf *out);
/* A receiver the declaration lets come to hold an endpoint (capgate `bind TASK SERVICE`,
 * ports `receive TASK SERVICE`): every hold so far of a right to an entity e with
 * of_service[e] gets a twin (entity alias + e) aimed at `task`, and `task` holds alias +
 * self_entity itself, to hand out. ORIGIN_ADDITION, origin_idx the addition. */
void deleg_add_receiver(struct deleg *g, uint32_t task, uint32_t alias, const bool *of_service,
                        uint32_t nentities, uint32_t self_entity, uint32_t origin_idx);
/* Fills perm; must be called once before explain/can_hold. Linear in tasks + holds + output. */
void deleg_closure(struct deleg *g, struct bitmat *perm);
uint32_t deleg_find(struct deleg *g, uint32_t x);
/* Appends the derivation of a -> b (or why there is none); returns whether it is permitted. */
bool deleg_explain(const struct scn *s, struct deleg *g, uint32_t a, uint32_t b, deleg_desc_fn desc,
                   struct an_buf *out);
/* Whether task can come to hold a right to entity; appends how to why (may be NULL). */
bool deleg_can_hold(const struct scn *s, struct deleg *g, uint32_t task, uint32_t entity,
                    deleg_desc_fn desc, struct an_buf *why);
/* The Datalog rules and facts of this model (relations hold, gv, send, flow, can, cang). */
void deleg_z3(const struct scn *s, const struct deleg *g, unsigned bits, struct an_buf *out);

#endif
