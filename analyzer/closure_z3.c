/* SPDX-License-Identifier: MIT */
/* The permitted closure through Z3: each backend's Datalog rules, one query for `send`. */
#include "z3_check.h"
#include "z3_run.h"

static unsigned task_bits(uint32_t ntasks)
{
    unsigned bits = 2;
    while (bits < 31 && (1u << bits) < ntasks + 2)
        bits++; /* + the virtual chief of the roots */
    return bits;
}

void closure_z3_program(const struct scn *s, const struct an_backend *be, const void *setup,
                        struct an_buf *out)
{
    unsigned bits = task_bits(s->ntasks);
    an_buf_printf(out, "; ipcan: permitted communication of scenario %s under %s\n", s->name,
                  be->name);
    an_buf_printf(out,
                  "(set-option :fp.engine datalog)\n(define-sort T () (_ BitVec %u))\n"
                  "(declare-rel task (T))\n(declare-rel send (T T))\n",
                  bits);
    an_buf_add(out, "(declare-var x T)\n(declare-var y T)\n(declare-var z T)\n(declare-var k T)\n"
                    "(declare-var p T)\n(declare-var c T)\n(declare-var d T)\n(declare-var s T)\n");
    be->z3_program(s, setup, bits, out);
    an_buf_add(out, "(query send :print-answer true)\n");
}

enum an_status closure_z3(const struct scn *s, const struct an_backend *be, const void *setup,
                          struct bitmat *perm, struct an_buf *err)
{
    if (s->ntasks > Z3_MAX_TASKS) {
        an_buf_printf(err, "the Z3 path handles at most %d tasks (this scenario has %u)",
                      Z3_MAX_TASKS, s->ntasks);
        return AN_E_LIMIT;
    }
    struct an_buf prog, out;
    an_buf_init(&prog);
    an_buf_init(&out);
    closure_z3_program(s, be, setup, &prog);
    enum an_status st = z3_run(prog.s, &out);
    if (st == AN_E_NOTOOL)
        an_buf_add(err, "z3 is not installed (not found on PATH)");
    else if (st == AN_E_TIMEOUT)
        an_buf_printf(err, "z3 ran out of time (%u s; IPCAN_Z3_TIMEOUT sets the limit)",
                      z3_timeout_s());
    else if (st != AN_OK)
        an_buf_printf(err, "z3 failed or timed out: %.200s", out.s);
    if (st == AN_OK) {
        uint32_t arity = 2;
        struct z3_answer a;
        st = z3_parse_answers(out.s, &arity, 1, &a, err);
        for (uint32_t i = 0; st == AN_OK && i < a.ntuples; i++) {
            uint32_t x = a.vals[2 * i], y = a.vals[2 * i + 1];
            if (x >= s->ntasks || y >= s->ntasks) {
                an_buf_add(err, "z3 answered a task id out of range");
                st = AN_E_TOOL;
                break;
            }
            bitmat_set(perm, x, y);
        }
        z3_answer_free(&a);
    }
    an_buf_free(&prog);
    an_buf_free(&out);
    return st;
}
