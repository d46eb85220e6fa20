/* SPDX-License-Identifier: MIT */
/* CMocka tests of the creation-tree check: a run whose kernel creators differ from the
 * declared parents is refused (tree_check); impostors beside the declared task are allowed. */
#include "an_test.h"
#include "tree_check.h"

#define HDR "# ipcsec ipc trace v1\nscenario unauth_send\npolicy none\n"

static enum an_status check(const char *text, struct an_diag *d)
{
    struct scn s;
    struct trace t;
    load_repo_scenario("scenarios/unauth_send/unauth_send.scn", &s);
    an_diag_init(d, "run.trace");
    assert_int_equal(trace_parse("run.trace", text, strlen(text), &s, &t, d), AN_OK);
    enum an_status st = tree_check(&s, &t, d);
    trace_free(&t);
    return st;
}

/* victim declared under vmgr, created by vmgr: the declared tree. */
static void test_declared_tree_passes(void **state)
{
    (void)state;
    struct an_diag d;
    assert_int_equal(check(HDR
                           "task 1 root parent 0\ntask 3 vmgr parent 1\ntask 2 victim parent 3\n"
                           "task 4 prober parent 1\ntask 5 client parent 1\n",
                           &d),
                     AN_OK);
}

/* victim created by the loader (what the loader did before parents started their children). */
static void test_loader_created_child_fails(void **state)
{
    (void)state;
    struct an_diag d;
    assert_int_equal(check(HDR
                           "task 1 root parent 0\ntask 3 vmgr parent 1\ntask 2 victim parent 1\n"
                           "task 4 prober parent 1\ntask 5 client parent 1\n",
                           &d),
                     AN_E_SEMANTIC);
}

/* An attacker's copy of "victim" beside the real one is not a tree mismatch. */
static void test_impostor_beside_declared_passes(void **state)
{
    (void)state;
    struct an_diag d;
    assert_int_equal(
        check(HDR "task 1 root parent 0\ntask 3 vmgr parent 1\ntask 2 victim parent 3\n"
                  "task 4 prober parent 1\ntask 5 client parent 1\ntask 6 victim parent 4\n",
              &d),
        AN_OK);
}

/* A declared child of the root started by another child is refused too. */
static void test_wrong_parent_fails(void **state)
{
    (void)state;
    struct an_diag d;
    assert_int_equal(check(HDR
                           "task 1 root parent 0\ntask 3 vmgr parent 1\ntask 2 victim parent 3\n"
                           "task 4 prober parent 5\ntask 5 client parent 1\n",
                           &d),
                     AN_E_SEMANTIC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_declared_tree_passes),
        cmocka_unit_test(test_loader_created_child_fails),
        cmocka_unit_test(test_impostor_beside_declared_passes),
        cmocka_unit_test(test_wrong_parent_fails),
    };
    return cmocka_run_group_tests_name("tree_check", tests, NULL, NULL);
}
