/* SPDX-License-Identifier: MIT */
/* CMocka tests of ipcan's command line: usage, exit codes 0/1/2, errors with file:line:column,
 * JSON, DOT rendered by Graphviz, and what happens without z3. */
#include "an_test.h"

static int ipcan(const char *args, struct an_buf *out)
{
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s 2>&1", SRC_ROOT, IPCAN_BIN, args);
    an_buf_clear(out);
    return run_sh(cmd, out);
}

/* -h prints the usage to stdout and exits 0. */
static void test_help(void **state)
{
    (void)state;
    struct an_buf o;
    an_buf_init(&o);
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "'%s' -h 2>/dev/null", IPCAN_BIN);
    assert_int_equal(run_sh(cmd, &o), 0);
    assert_non_null(strstr(o.s, "usage: ipcan COMMAND"));
    an_buf_free(&o);
}

/* Unknown policies, options and commands exit 2 and list the valid choices. */
static void test_usage_errors(void **state)
{
    (void)state;
    struct an_buf o;
    an_buf_init(&o);
    assert_int_equal(ipcan("setup -p mach unauth_send", &o), 2);
    assert_non_null(strstr(o.s, "ipcan: error: unknown policy 'mach'; valid policies: none, clans, "
                                "ports, refmon, capgate"));
    assert_int_equal(ipcan("report --frobnicate unauth_send", &o), 2);
    assert_non_null(strstr(o.s, "unknown option '--frobnicate'"));
    assert_non_null(strstr(o.s, "ipcan: hint:"));
    assert_int_equal(ipcan("frob unauth_send", &o), 2);
    assert_non_null(strstr(o.s, "commands: check, contracts"));
    assert_int_equal(ipcan("setup unauth_send", &o), 2);
    assert_non_null(strstr(o.s, "needs -p POLICY"));
    assert_int_equal(ipcan("", &o), 2);
    an_buf_free(&o);
}

/* A malformed file exits 2 with file:line:column; a missing one exits 2 too. */
static void test_bad_input(void **state)
{
    (void)state;
    struct an_buf o;
    an_buf_init(&o);
    assert_int_equal(ipcan("check tests/analyzer/malformed/unknown_state.scn", &o), 2);
    assert_non_null(
        strstr(o.s, "tests/analyzer/malformed/unknown_state.scn:8:23: error: unknown state 'bsy'"));
    assert_int_equal(ipcan("report --no-z3 tests/analyzer/no-such-file.scn", &o), 2);
    assert_non_null(strstr(o.s, "cannot read"));
    assert_int_equal(ipcan("report --no-z3 no_such_scenario", &o), 2);
    assert_non_null(strstr(o.s, "ipcan: error: no scenario 'no_such_scenario' (no file of that "
                                "name, no " SRC_ROOT "/scenarios/*/no_such_scenario.scn)"));
    assert_null(strstr(o.s, "i/o error"));
    assert_non_null(strstr(o.s, "scenarios in " SRC_ROOT "/scenarios:")); /* lists what exists */
    assert_non_null(strstr(o.s, "unauth_send"));
    /* names resolve from the repository, wherever ipcan runs */
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "cd / && '%s' check unauth_send 2>&1", IPCAN_BIN);
    an_buf_clear(&o);
    assert_int_equal(run_sh(cmd, &o), 0);
    assert_non_null(strstr(o.s, SRC_ROOT "/scenarios/unauth_send/unauth_send.scn: unauth_send:"));
    /* $IPCAN_SCENARIOS overrides the directory: there, unauth_send does not exist */
    snprintf(cmd, sizeof(cmd),
             "cd / && IPCAN_SCENARIOS='%s/tests/analyzer' '%s' check unauth_send 2>&1; "
             "IPCAN_SCENARIOS='%s/tests/analyzer' '%s' check additions 2>&1",
             SRC_ROOT, IPCAN_BIN, SRC_ROOT, IPCAN_BIN);
    an_buf_clear(&o);
    assert_int_equal(run_sh(cmd, &o), 0);
    assert_non_null(strstr(o.s, "no scenario 'unauth_send' (no file of that name, no " SRC_ROOT
                                "/tests/analyzer/*/unauth_send.scn)"));
    assert_non_null(strstr(o.s, SRC_ROOT "/tests/analyzer/setup/additions.scn: "));
    /* make analyze names a missing scenario too (not "i/o error") */
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && b=$(dirname \"$(dirname \"$(dirname '%s')\")\") && make -s "
             "--no-print-directory -f analyzer/analyzer.mk BUILD=\"$b\" analyze "
             "SCENARIO=doesnotexist 2>&1",
             SRC_ROOT, IPCAN_BIN);
    an_buf_clear(&o);
    assert_int_not_equal(run_sh(cmd, &o), 0);
    assert_non_null(strstr(o.s, "ipcan: error: no scenario 'doesnotexist'"));
    assert_null(strstr(o.s, "i/o error"));
    assert_int_equal(ipcan("report --no-z3 -t tests/analyzer/clean.scn unauth_send", &o), 2);
    assert_non_null(strstr(o.s, "clean.scn:3:1: error: expected 'scenario NAME'"));
    an_buf_free(&o);
}

/* Clean exits 0, findings exit 1; JSON carries the same verdict. */
static void test_exit_codes_and_json(void **state)
{
    (void)state;
    struct an_buf o;
    an_buf_init(&o);
    assert_int_equal(ipcan("report -p capgate tests/analyzer/clean.scn", &o), 0);
    assert_non_null(strstr(o.s, "0 findings: clean"));
    assert_non_null(strstr(o.s, "Z3 agrees with the C closure (1 pairs)"));
    assert_int_equal(ipcan("report -p none tests/analyzer/clean.scn", &o),
                     1); /* server -> client */
    assert_int_equal(ipcan("report --json -p capgate tests/analyzer/clean.scn", &o), 0);
    assert_non_null(strstr(o.s, "\"exit\": 0"));
    assert_non_null(strstr(o.s, "\"z3\": \"agree\""));
    assert_int_equal(ipcan("report --json --no-z3 unauth_send", &o), 1);
    assert_non_null(strstr(o.s, "\"kind\": \"excess-authority\""));
    assert_non_null(strstr(o.s, "\"predicted\": \"blocked\""));
    assert_int_equal(ipcan("check scenarios/prodcons/prodcons.scn", &o),
                     1); /* DoS and lost wake-up */
    assert_int_equal(ipcan("permitted --compare -p clans clan_redirect", &o), 0);
    assert_non_null(strstr(o.s, "agree"));
    an_buf_free(&o);
}

/* The DOT output renders with Graphviz and has the legend. */
static void test_dot_renders(void **state)
{
    (void)state;
    struct an_buf o;
    an_buf_init(&o);
    char cmd[8192];
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && '%s' dot -p capgate scenarios/cap_leak/cap_leak.scn | dot -Tsvg", SRC_ROOT,
             IPCAN_BIN);
    assert_int_equal(run_sh(cmd, &o), 0);
    assert_non_null(strstr(o.s, "<svg"));
    assert_non_null(strstr(o.s, "permitted only (excess authority)"));
    assert_non_null(strstr(o.s, "observed, not declared (violation)"));
    /* with a run: the attacker's delivery is red, the declared reply blue */
    assert_int_equal(
        ipcan("dot -p none -t tests/analyzer/traces/unauth_send-none.trace unauth_send", &o), 1);
    assert_non_null(strstr(o.s, "\"prober\" -> \"victim\" [color=red"));
    assert_non_null(strstr(o.s, "\"victim\" -> \"client\" [color=blue"));
    assert_int_equal(ipcan("report --no-z3 -p none -t tests/analyzer/traces/unauth_send-none.trace "
                           "unauth_send",
                           &o),
                     1);
    assert_non_null(strstr(o.s, "expected succeeded, predicted succeeded, observed succeeded"));
    assert_non_null(
        strstr(o.s, "[violation] prober -> victim was delivered (send, trace line 14)"));
    an_buf_free(&o);
}

/* Without z3: report says so and exits 2, unless --no-z3. */
static void test_without_z3(void **state)
{
    (void)state;
    struct an_buf o;
    an_buf_init(&o);
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "cd '%s' && PATH=/nonexistent '%s' report unauth_send 2>&1",
             SRC_ROOT, IPCAN_BIN);
    assert_int_equal(run_sh(cmd, &o), 2);
    assert_non_null(strstr(o.s, "ipcan: error: z3 is not installed"));
    assert_non_null(strstr(o.s, "--no-z3"));
    an_buf_clear(&o);
    snprintf(cmd, sizeof(cmd), "cd '%s' && PATH=/nonexistent '%s' report --no-z3 unauth_send 2>&1",
             SRC_ROOT, IPCAN_BIN);
    assert_int_equal(run_sh(cmd, &o), 1);
    an_buf_free(&o);
}

/* When Z3 runs out of time (here a 1 s limit on 1,000 tasks under capgate, which takes it far
 * longer), the report stands on the C closure and says so: exit 1 (findings), not 2. */
static void test_z3_timeout_falls_back(void **state)
{
    (void)state;
    struct an_buf o;
    an_buf_init(&o);
    char cmd[8192];
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && f=$(mktemp) && '%s' gen --tasks 1000 --channels 10000 --seed 1 --give 10 "
             "> $f && IPCAN_Z3_TIMEOUT=1 '%s' report -p capgate $f 2>&1; rc=$?; rm -f $f; exit $rc",
             SRC_ROOT, IPCAN_BIN, IPCAN_BIN);
    int rc = run_sh(cmd, &o);
    if (rc != 1) fprintf(stderr, "%s", o.s);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(o.s, "Z3 ran out of time (1 s): the C closure's result ("));
    assert_non_null(strstr(o.s, "pairs) stands, not cross-checked"));
    assert_null(strstr(o.s, "unexpected word"));
    an_buf_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_exit_codes_and_json),
        cmocka_unit_test(test_dot_renders),
        cmocka_unit_test(test_without_z3),
        cmocka_unit_test(test_z3_timeout_falls_back),
    };
    return cmocka_run_group_tests_name("analyzer_cli", tests, NULL, NULL);
}
