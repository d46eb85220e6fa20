/* SPDX-License-Identifier: MIT */
/* The Z3 path: the permitted closure and the contract checks as Datalog programs for Z3's
 * fixed-point engine, run through its command line, answers read back for comparison. */
#ifndef Z3_CHECK_H
#define Z3_CHECK_H

#include "contract_check.h"
#include "policy.h"

#define Z3_MAX_TASKS 1024 /* the Z3 path is for scenario sizes; the C path scales */

/* The whole program (header, backend rules, query) for `ipcan smt`. */
void closure_z3_program(const struct scn *s, const struct an_backend *be, const void *setup,
                        struct an_buf *out);
/* Runs it and fills perm (n x n, zeroed by the caller). */
enum an_status closure_z3(const struct scn *s, const struct an_backend *be, const void *setup,
                          struct bitmat *perm, struct an_buf *err);

void contract_z3_program(const struct scn_contract *c, struct an_buf *out);
/* Asks Z3 for the reachable joint states, deadlocks and unreceived messages and compares
 * them with the explicit search's r; *agree says whether every set matched, diff says how. */
enum an_status contract_z3_crosscheck(const struct scn_contract *c, const struct cc_result *r,
                                      bool *agree, struct an_buf *diff, struct an_buf *err);

#endif
