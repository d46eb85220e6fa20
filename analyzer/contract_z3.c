/* SPDX-License-Identifier: MIT */
/* The contract checks as Datalog for Z3: the same joint-state semantics, written as rules. */
#include "z3_check.h"
#include "z3_run.h"

#include <stdlib.h>
#include <string.h>

static void bv(unsigned bits, uint32_t v, char *b)
{
    pol_bv(bits, v, b, 40);
}

static void emit_role(const struct scn_contract *c, int ri, struct an_buf *out)
{
    const struct scn_role *r = &c->role[ri];
    const char *pre = ri == ROLE_SERVER ? "s" : "c";
    char a[40], m[40], t[40];
    for (uint32_t i = 0; i < r->ntrans; i++) {
        const struct scn_trans *x = &r->trans[i];
        bv(6, x->from.idx, a);
        bv(6, x->msg.idx, m);
        bv(6, x->to.idx, t);
        an_buf_printf(out, "(rule (%s%s %s %s %s))\n", pre, x->send ? "send" : "recv", a, m, t);
    }
    for (uint32_t st = 0; st < r->nstates; st++)
        if (r->final_mask >> st & 1) {
            bv(6, st, a);
            an_buf_printf(out, "(rule (%sfin %s))\n", pre, a);
        }
}

void contract_z3_program(const struct scn_contract *c, struct an_buf *out)
{
    char a[40], b[40];
    an_buf_printf(out, "; ipcan: joint states of contract %s\n", c->name);
    an_buf_add(
        out,
        "(set-option :fp.engine datalog)\n"
        "(define-sort S () (_ BitVec 6))\n(define-sort M () (_ BitVec 6))\n"
        "(define-sort P () (_ BitVec 8))\n"
        "(declare-rel ssend (S M S))\n(declare-rel srecv (S M S))\n"
        "(declare-rel csend (S M S))\n(declare-rel crecv (S M S))\n"
        "(declare-rel sync (M))\n(declare-rel rdv (M))\n(declare-rel lossy (M))\n"
        "(declare-rel abit (M P))\n(declare-rel sfin (S))\n(declare-rel cfin (S))\n"
        "(declare-rel fin2 (S S))\n(declare-rel reach (S S P))\n(declare-rel canmove (S S P))\n"
        "(declare-rel dead (S S P))\n(declare-rel srecvable (S M))\n(declare-rel crecvable (S M))\n"
        "(declare-rel unrs (S S M))\n(declare-rel unrc (S S M))\n"
        "(declare-var s S)\n(declare-var s2 S)\n(declare-var c S)\n(declare-var c2 S)\n"
        "(declare-var m M)\n(declare-var p P)\n(declare-var b P)\n");
    for (uint32_t i = 0; i < c->nmsgs; i++) {
        const struct scn_message *msg = &c->msgs[i];
        bv(6, i, a);
        if (msg->mode == MODE_SYNC) an_buf_printf(out, "(rule (sync %s))\n(rule (rdv %s))\n", a, a);
        if (msg->mode == MODE_LOSSY)
            an_buf_printf(out, "(rule (lossy %s))\n(rule (rdv %s))\n", a, a);
        if (msg->mode == MODE_ASYNC) {
            bv(8, 1u << msg->async_bit, b);
            an_buf_printf(out, "(rule (abit %s %s))\n", a, b);
        }
    }
    emit_role(c, ROLE_SERVER, out);
    emit_role(c, ROLE_CLIENT, out);
    bv(6, c->role[ROLE_SERVER].initial.idx, a);
    bv(6, c->role[ROLE_CLIENT].initial.idx, b);
    an_buf_printf(out, "(rule (reach %s %s #x00))\n", a, b);
    /* Each move once as a reach step and once as "a move exists". */
    static const char *const moves[][2] = {
        {"(ssend s m s2) (crecv c m c2) (rdv m)", "s2 c2 p"},
        {"(csend c m c2) (srecv s m s2) (rdv m)", "s2 c2 p"},
        {"(ssend s m s2) (lossy m)", "s2 c p"},
        {"(csend c m c2) (lossy m)", "s c2 p"},
        {"(ssend s m s2) (abit m b)", "s2 c (bvor p b)"},
        {"(csend c m c2) (abit m b)", "s c2 (bvor p b)"},
        {"(srecv s m s2) (abit m b) (not (= (bvand p b) #x00))", "s2 c (bvand p (bvnot b))"},
        {"(crecv c m c2) (abit m b) (not (= (bvand p b) #x00))", "s c2 (bvand p (bvnot b))"},
    };
    for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
        an_buf_printf(out, "(rule (=> (and (reach s c p) %s) (reach %s)))\n", moves[i][0],
                      moves[i][1]);
        an_buf_printf(out, "(rule (=> (and (reach s c p) %s) (canmove s c p)))\n", moves[i][0]);
    }
    an_buf_add(
        out, "(rule (=> (and (sfin s) (cfin c)) (fin2 s c)))\n"
             "(rule (=> (and (reach s c p) (not (canmove s c p)) (not (fin2 s c))) (dead s c p)))\n"
             "(rule (=> (srecv s m s2) (srecvable s m)))\n"
             "(rule (=> (crecv c m c2) (crecvable c m)))\n"
             "(rule (=> (and (reach s c p) (ssend s m s2) (sync m) (not (crecvable c m))) (unrs s "
             "c m)))\n"
             "(rule (=> (and (reach s c p) (csend c m c2) (sync m) (not (srecvable s m))) (unrc s "
             "c m)))\n"
             "(query reach :print-answer true)\n(query dead :print-answer true)\n"
             "(query unrs :print-answer true)\n(query unrc :print-answer true)\n");
}

static void compare_set(const char *what, const uint8_t *cbits, uint32_t nkeys,
                        const uint8_t *zbits, bool *agree, struct an_buf *diff)
{
    uint32_t only_c = 0, only_z = 0;
    for (uint32_t k = 0; k < nkeys; k++) {
        bool a = cc_bit(cbits, k), b = cc_bit(zbits, k);
        only_c += a && !b;
        only_z += b && !a;
    }
    if (!only_c && !only_z) return;
    *agree = false;
    an_buf_printf(diff, "%s: %u only in the C search, %u only in Z3; ", what, only_c, only_z);
}

enum an_status contract_z3_crosscheck(const struct scn_contract *c, const struct cc_result *r,
                                      bool *agree, struct an_buf *diff, struct an_buf *err)
{
    struct an_buf prog, out;
    an_buf_init(&prog);
    an_buf_init(&out);
    contract_z3_program(c, &prog);
    enum an_status st = z3_run(prog.s, &out);
    *agree = true;
    if (st == AN_E_NOTOOL)
        an_buf_add(err, "z3 is not installed (not found on PATH)");
    else if (st == AN_E_TIMEOUT)
        an_buf_printf(err, "z3 ran out of time (%u s; IPCAN_Z3_TIMEOUT sets the limit)",
                      z3_timeout_s());
    else if (st != AN_OK)
        an_buf_printf(err, "z3 failed or timed out: %.200s", out.s);
    if (st == AN_OK) {
        const uint32_t arities[4] = {3, 3, 3, 3};
        struct z3_answer a[4];
        st = z3_parse_answers(out.s, arities, 4, a, err);
        if (st == AN_OK) {
            uint8_t *reach = an_calloc(CC_KEYS / 8, 1), *dead = an_calloc(CC_KEYS / 8, 1);
            uint8_t *unr = an_calloc(CC_UNRECV_KEYS / 8, 1);
            for (int q = 0; q < 4; q++)
                for (uint32_t i = 0; i < a[q].ntuples; i++) {
                    const uint32_t *v = a[q].vals + 3 * i;
                    if (v[0] >= 64 || v[1] >= 64 || v[2] >= 256) continue;
                    uint32_t k =
                        q < 2 ? CC_KEY(v[0], v[1], v[2])
                              : CC_UNRECV_KEY(q == 2 ? ROLE_SERVER : ROLE_CLIENT, v[0], v[1], v[2]);
                    uint8_t *bits = q == 0 ? reach : q == 1 ? dead : unr;
                    bits[k >> 3] |= (uint8_t)(1u << (k & 7));
                }
            compare_set("reachable joint states", r->reach_bits, CC_KEYS, reach, agree, diff);
            compare_set("deadlocks", r->dead_bits, CC_KEYS, dead, agree, diff);
            compare_set("unreceived messages", r->unrecv_bits, CC_UNRECV_KEYS, unr, agree, diff);
            free(reach);
            free(dead);
            free(unr);
        }
        for (int q = 0; q < 4; q++)
            z3_answer_free(&a[q]);
    }
    an_buf_free(&prog);
    an_buf_free(&out);
    return st;
}
