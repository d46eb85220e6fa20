/* SPDX-License-Identifier: MIT */
/* Running external tools (z3, dot) with a timeout, and reading Z3's fixed-point answers. */
#ifndef Z3_RUN_H
#define Z3_RUN_H

#include "an_status.h"
#include "an_util.h"

#define Z3_TIMEOUT_S 60
#define Z3_MAX_OUTPUT (64u << 20)

/* Whether `prog` is an executable somewhere on PATH. */
bool an_tool_exists(const char *prog);
/* Runs argv (argv[0] looked up on PATH) with stdin from /dev/null, stdout+stderr into out
 * (at most Z3_MAX_OUTPUT bytes); kills it after timeout_s. Returns AN_E_NOTOOL if the program
 * is missing, AN_E_TOOL on timeout or a nonzero exit (*exit_code set), else AN_OK. */
enum an_status an_run_tool(char *const argv[], unsigned timeout_s, struct an_buf *out,
                           int *exit_code);
/* Writes program to a temporary file and runs `z3 -smt2 FILE`; output in out. AN_E_TIMEOUT if
 * z3 ran out of time (z3_timeout_s()). */
enum an_status z3_run(const char *program, struct an_buf *out);
/* Z3's time limit in seconds: $IPCAN_Z3_TIMEOUT (1..3600) if set, else Z3_TIMEOUT_S. */
unsigned z3_timeout_s(void);

/* One answer of a (query R :print-answer true): the tuples of R, arity columns each. */
struct z3_answer {
    bool sat;
    uint32_t arity, ntuples, cap;
    uint32_t *vals; /* ntuples * arity */
};
/* Splits Z3's output into the answers of its queries, in order; at most max answers. Errors
 * (an "(error ...)" line, an unreadable answer) give AN_E_TOOL with a message in err. */
enum an_status z3_parse_answers(const char *text, const uint32_t *arities, uint32_t nqueries,
                                struct z3_answer *answers, struct an_buf *err);
void z3_answer_free(struct z3_answer *a);

#endif
