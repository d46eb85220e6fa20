/* SPDX-License-Identifier: MIT */
/* One analysis of a scenario: contracts, and per backend the permitted closure, its comparison
 * with the declared and the observed communication, and the predicted verdict. */
#ifndef ANALYSIS_H
#define ANALYSIS_H

#include "contract_check.h"
#include "observe.h"
#include "policy.h"
#include "trace.h"

enum fd_kind {
    FD_EXCESS,      /* permitted but not declared (excess authority) */
    FD_BROKEN,      /* declared but not permitted (broken setup) */
    FD_VIOLATION,   /* observed (delivered) but not declared */
    FD_UNSOUND,     /* observed but not permitted: the kernel did what the setup forbids */
    FD_CONTRACT,    /* a contract is ill-formed or its ends are incompatible */
    FD_CONFORMANCE, /* an observed message sequence leaves its channel's contract */
    FD_VERDICT,     /* the expected verdict differs from the one the setup predicts */
    FD_VERDICT_RUN, /* the expected verdict differs from the one the run shows */
    FD_Z3,          /* the C and Z3 computations disagree */
    FD_COUNT
};
extern const char *const fd_kind_names[FD_COUNT];

struct finding {
    enum fd_kind kind;
    int policy;    /* an_policy_id, or -1 if the finding is not about one backend */
    uint32_t a, b; /* tasks (SCN_NONE if n/a) */
    uint32_t line; /* source line (scenario for contract findings, trace otherwise), 0 if n/a */
    char *text, *why;
};

struct pol_result {
    bool done;
    const struct an_backend *be;
    void *setup;
    struct bitmat perm;
    uint64_t npermitted, nexcess, nbroken, nviolations;
    uint64_t nunsound; /* delivered messages the setup does not permit (observed-not-permitted) */
    uint32_t listed[FD_COUNT];
    enum scn_verdict predicted, observed;
    struct obs_attack *obs; /* per attack, with a trace of this backend (else NULL) */
    struct an_buf verdict_why;
    int z3; /* -1 not run, 0 disagree, 1 agree */
    struct an_buf z3_note;
};

struct analysis {
    const struct scn *s;
    struct bitmat declared; /* channel senders -> receivers */
    struct cc_result *cc;   /* per contract */
    int *cc_z3;             /* per contract: -1 not run, 0 disagree, 1 agree */
    struct pol_result pol[POL_COUNT];
    const struct trace *trace; /* may be NULL */
    int trace_policy;          /* the policy the trace was recorded under */
    struct bitmat observed;    /* delivered sends in the trace */
    struct bitmat violated;    /* observed pairs that are violations */
    struct finding *f;
    uint32_t nf, cap_f;
    uint32_t max_list; /* listed findings per kind and policy (0: no limit) */
    uint64_t suppressed;
    uint32_t listed_global[FD_COUNT];
    struct an_buf notes;
};

struct analysis_opts {
    bool use_z3;       /* cross-check with Z3 (contracts and closures) */
    uint32_t max_list; /* 0: list everything */
};

void analysis_init(struct analysis *an, const struct scn *s, const struct analysis_opts *o);
/* Contract checks (and the Z3 cross-check if asked). Tool failures give AN_E_NOTOOL/AN_E_TOOL. */
enum an_status analysis_contracts(struct analysis *an, const struct analysis_opts *o,
                                  struct an_buf *err);
/* Attaches a trace (before analysis_policy), recorded under its header's policy. */
void analysis_set_trace(struct analysis *an, const struct trace *t);
enum an_status analysis_policy(struct analysis *an, enum an_policy_id p,
                               const struct analysis_opts *o, struct an_buf *err);
void analysis_free(struct analysis *an);
uint32_t analysis_count(const struct analysis *an); /* findings, including unlisted ones */

#endif
