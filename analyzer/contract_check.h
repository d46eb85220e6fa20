/* SPDX-License-Identifier: MIT */
/* Contract checks by explicit state search: well-formedness of each role and compatibility of
 * the two ends (deadlock, a message one side may send that the other cannot receive). */
#ifndef CONTRACT_CHECK_H
#define CONTRACT_CHECK_H

#include "scn_model.h"

#define CC_MAX_ISSUES 64

enum cc_kind {
    CC_UNREACHABLE, /* a state no transition path reaches from the initial state */
    CC_NONDET,      /* two transitions from one state on the same message and direction */
    CC_STUCK,       /* a reachable non-final state with no transition */
    CC_UNUSED,      /* a message no role uses */
    CC_DEADLOCK,    /* a reachable joint state where neither end can move, not both final */
    CC_UNRECEIVED,  /* one end may send a (synchronous) message the other cannot receive now */
};
const char *cc_kind_name(enum cc_kind k);

struct cc_issue {
    enum cc_kind kind;
    int role;          /* ROLE_SERVER / ROLE_CLIENT: the role at fault (the sender) */
    uint32_t srv, cli; /* states (joint-state kinds use both) */
    uint32_t pending;  /* pending notifications (deadlock) */
    uint32_t msg;
    struct scn_pos pos;
    char text[320];
};

struct cc_result {
    struct cc_issue issues[CC_MAX_ISSUES];
    uint32_t nissues, dropped;
    uint32_t reachable; /* joint states explored */
    /* Joint-state sets for the Z3 cross-check: key = srv | cli << 6 | pending << 12. */
    uint8_t *reach_bits, *dead_bits;
    /* unreceived: bit (role << 18 | srv << 12 | cli << 6 | msg) */
    uint8_t *unrecv_bits;
};

#define CC_KEY(s, c, p) ((uint32_t)(s) | (uint32_t)(c) << 6 | (uint32_t)(p) << 12)
#define CC_KEYS (1u << 20)
#define CC_UNRECV_KEY(r, s, c, m)                                                                  \
    ((uint32_t)(r) << 18 | (uint32_t)(s) << 12 | (uint32_t)(c) << 6 | (m))
#define CC_UNRECV_KEYS (1u << 19)

/* Checks one contract; results into r (free with cc_result_free). Bounded: at most
 * 64 x 64 x 2^8 joint states. */
void contract_check(const struct scn_contract *c, struct cc_result *r);
void cc_result_free(struct cc_result *r);
static inline bool cc_bit(const uint8_t *bits, uint32_t k)
{
    return (bits[k >> 3] >> (k & 7)) & 1;
}

#endif
