/* SPDX-License-Identifier: MIT */
/* CMocka tests of the Z3 round trip: running z3, reading its answers, errors and a missing z3. */
#include "an_test.h"
#include "sexp.h"
#include "z3_check.h"

/* The s-expression reader takes nesting and atoms, and rejects unbalanced or too deep input. */
static void test_sexp(void **state)
{
    (void)state;
    struct sexp x;
    const char *t = "sat (a (b c) \"s p\") ; comment\n d";
    assert_int_equal(sexp_parse(t, strlen(t), &x), 0);
    assert_true(sexp_is(&x, x.top, "sat"));
    uint32_t list = x.nodes[x.top].next;
    assert_null(x.nodes[list].atom);
    assert_true(sexp_is(&x, x.nodes[list].first, "a"));
    assert_true(sexp_is(&x, x.nodes[list].next, "d"));
    sexp_free(&x);
    assert_int_equal(sexp_parse("(a", 2, &x), -1);
    sexp_free(&x);
    assert_int_equal(sexp_parse("a)", 2, &x), -1);
    sexp_free(&x);
    char deep[SEXP_MAX_DEPTH + 2];
    memset(deep, '(', sizeof(deep));
    assert_int_equal(sexp_parse(deep, sizeof(deep), &x), -1);
    sexp_free(&x);
}

/* Answers: or of ands, a bare tuple, unsat, hex and binary constants. */
static void test_answers(void **state)
{
    (void)state;
    const char *out =
        "sat\n(or (and (= (:var 0) #b01) (= (:var 1) #b10))\n"
        "    (and (= (:var 1) #x0) (= (:var 0) #x3)))\nunsat\nsat\n(= (:var 0) #x1f)\n";
    const uint32_t ar[3] = {2, 2, 1};
    struct z3_answer a[3];
    struct an_buf err;
    an_buf_init(&err);
    assert_int_equal(z3_parse_answers(out, ar, 3, a, &err), AN_OK);
    assert_int_equal(a[0].ntuples, 2);
    assert_int_equal(a[0].vals[0], 1);
    assert_int_equal(a[0].vals[1], 2);
    assert_int_equal(a[0].vals[2], 3);
    assert_int_equal(a[0].vals[3], 0);
    assert_false(a[1].sat);
    assert_int_equal(a[1].ntuples, 0);
    assert_int_equal(a[2].ntuples, 1);
    assert_int_equal(a[2].vals[0], 31);
    for (int i = 0; i < 3; i++)
        z3_answer_free(&a[i]);
    an_buf_free(&err);
}

/* Errors and answers not in tuple form are reported, never misread. */
static void test_bad_answers(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "(error \"line 3 column 1: unknown constant\")\n",
        "sat\n(and (= (:var 0) #b01))\n", /* a column missing */
        "sat\n(bvule (:var 0) #b01)\n",   /* not an equality */
        "sat\n",                          /* the answer missing */
        "unknown\n",
        "sat\n(= (:var 0) #b01)\nsat\n(= (:var 0) #b01)\nsat\n(= (:var 0) #b1)\n", /* one too many
                                                                                    */
    };
    const uint32_t ar[2] = {2, 2};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct z3_answer a[2];
        struct an_buf err;
        an_buf_init(&err);
        assert_int_equal(z3_parse_answers(bad[i], ar, 2, a, &err), AN_E_TOOL);
        assert_true(err.len > 0);
        z3_answer_free(&a[0]);
        z3_answer_free(&a[1]);
        an_buf_free(&err);
    }
}

/* A program through the real z3: reachability in a 3-node chain. */
static void test_z3_round_trip(void **state)
{
    (void)state;
    const char *prog =
        "(set-option :fp.engine datalog)\n(define-sort T () (_ BitVec 4))\n"
        "(declare-rel e (T T))\n(declare-rel r (T T))\n(declare-var x T)\n"
        "(declare-var y T)\n(declare-var z T)\n(rule (e #x1 #x2))\n(rule (e #x2 #x3))\n"
        "(rule (=> (e x y) (r x y)))\n(rule (=> (and (r x y) (e y z)) (r x z)))\n"
        "(query r :print-answer true)\n";
    struct an_buf out, err;
    an_buf_init(&out);
    an_buf_init(&err);
    assert_int_equal(z3_run(prog, &out), AN_OK);
    uint32_t ar = 2;
    struct z3_answer a;
    assert_int_equal(z3_parse_answers(out.s, &ar, 1, &a, &err), AN_OK);
    assert_int_equal(a.ntuples, 3); /* 1-2, 2-3, 1-3 */
    bool has13 = false;
    for (uint32_t i = 0; i < a.ntuples; i++)
        has13 |= a.vals[2 * i] == 1 && a.vals[2 * i + 1] == 3;
    assert_true(has13);
    z3_answer_free(&a);
    /* a syntax error in the program comes back as an error, not as an answer */
    an_buf_clear(&out);
    z3_run("(declare-rel r (Foo))\n(query r)\n", &out);
    assert_int_equal(z3_parse_answers(out.s, &ar, 1, &a, &err), AN_E_TOOL);
    assert_non_null(strstr(err.s, "z3 reported an error"));
    z3_answer_free(&a);
    an_buf_free(&out);
    an_buf_free(&err);
}

/* Without z3 on PATH the tools say so (AN_E_NOTOOL), they do not fail obscurely. */
static void test_missing_z3(void **state)
{
    (void)state;
    const char *old = getenv("PATH");
    char *saved = an_strdup(old ? old : "");
    setenv("PATH", "/nonexistent-ipcan-test", 1);
    struct an_buf out, err;
    an_buf_init(&out);
    an_buf_init(&err);
    assert_false(an_tool_exists("z3"));
    assert_int_equal(z3_run("(check-sat)\n", &out), AN_E_NOTOOL);
    struct scn s;
    load_repo_scenario("scenarios/unauth_send/unauth_send.scn", &s);
    const struct an_backend *be = an_backend_get(POL_NONE);
    void *su = be->derive(&s);
    struct bitmat m;
    bitmat_init(&m, s.ntasks);
    assert_int_equal(closure_z3(&s, be, su, &m, &err), AN_E_NOTOOL);
    assert_non_null(strstr(err.s, "z3 is not installed"));
    setenv("PATH", saved, 1);
    free(saved);
    bitmat_free(&m);
    be->free_setup(su);
    scn_free(&s);
    an_buf_free(&out);
    an_buf_free(&err);
}

/* The closure program names its relations as documented and Z3 answers within range. */
static void test_closure_program(void **state)
{
    (void)state;
    struct scn s;
    load_repo_scenario("scenarios/cap_leak/cap_leak.scn", &s);
    const struct an_backend *be = an_backend_get(POL_CAPGATE);
    void *su = be->derive(&s);
    struct an_buf prog, err;
    an_buf_init(&prog);
    an_buf_init(&err);
    closure_z3_program(&s, be, su, &prog);
    assert_non_null(strstr(prog.s, "(declare-rel send (T T))"));
    assert_non_null(strstr(prog.s, "(query send :print-answer true)"));
    assert_non_null(strstr(prog.s, "(rule (gv ")); /* the delegable printer capability */
    struct bitmat m;
    bitmat_init(&m, s.ntasks);
    assert_int_equal(closure_z3(&s, be, su, &m, &err), AN_OK);
    assert_true(permits(&s, &m, "evil", "printer"));
    assert_false(permits(&s, &m, "evil", "secret"));
    bitmat_free(&m);
    be->free_setup(su);
    scn_free(&s);
    an_buf_free(&prog);
    an_buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sexp),        cmocka_unit_test(test_answers),
        cmocka_unit_test(test_bad_answers), cmocka_unit_test(test_z3_round_trip),
        cmocka_unit_test(test_missing_z3),  cmocka_unit_test(test_closure_program),
    };
    return cmocka_run_group_tests_name("analyzer_z3", tests, NULL, NULL);
}
