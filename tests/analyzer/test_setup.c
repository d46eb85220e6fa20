/* SPDX-License-Identifier: MIT */
/* CMocka tests of `ipcan setup`: the boot setup the scenario loader reads, line by line, for
 * shipped scenarios and a fixture with every kind of line; names it cannot carry exit 2. */
#include "an_test.h"

static int ipcan(const char *args, struct an_buf *out)
{
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s 2>&1", SRC_ROOT, IPCAN_BIN, args);
    an_buf_clear(out);
    return run_sh(cmd, out);
}

/* Whether `line` is one whole line of text. */
static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
        if ((p == text || p[-1] == '\n') && p[n] == '\n') return true;
    return false;
}

static void assert_line(const char *text, const char *line)
{
    if (!has_line(text, line)) {
        fprintf(stderr, "missing line '%s' in:\n%s", line, text);
        fail();
    }
}

/* unauth_send: header, tasks with parents ('-' for the root) and the attacker mark, services
 * with their names, channels with the derived labels (index + 1), and the end line. */
static void test_unauth_send(void **state)
{
    (void)state;
    struct an_buf o;
    an_buf_init(&o);
    assert_int_equal(ipcan("setup -p none unauth_send", &o), 0);
    assert_true(strncmp(o.s,
                        "# ipcsec scenario setup v1\nscenario unauth_send\npolicy none\n"
                        "naming flat\n",
                        62) == 0);
    /* one task line per declared task, in order (programs change as scenarios grow) */
    struct scn s;
    load_repo_scenario("scenarios/unauth_send/unauth_send.scn", &s);
    const char *at = o.s;
    for (uint32_t i = 0; i < s.ntasks; i++) {
        const struct scn_task *t = &s.tasks[i];
        char want[512];
        snprintf(want, sizeof(want), "\ntask %s %s %s%s\n", t->name, t->program,
                 t->parent.name ? t->parent.name : "-", t->attacker ? " attacker" : "");
        at = strstr(at, want);
        if (!at) fprintf(stderr, "missing or out of order: %s", want + 1);
        assert_non_null(at);
    }
    scn_free(&s);
    assert_non_null(strstr(o.s, "\ntask root root -\n"));
    assert_line(o.s, "service victim_svc victim victim");
    assert_line(o.s, "channel c_victim client victim_svc 1");
    assert_true(o.len >= 4 && strcmp(o.s + o.len - 4, "end\n") == 0);
    assert_null(strstr(o.s, "lookup "));
    an_buf_free(&o);
}

/* name_race: the client's channel is a lookup of "fs", the evil task's claim is listed. */
static void test_name_race(void **state)
{
    (void)state;
    struct an_buf o;
    an_buf_init(&o);
    assert_int_equal(ipcan("setup -p capgate name_race", &o), 0);
    assert_line(o.s, "policy capgate");
    assert_line(o.s, "naming flat");
    assert_line(o.s, "task evil squatter root attacker");
    assert_line(o.s, "service fs_svc fs fs");
    assert_line(o.s, "lookup c_fs client fs 1");
    assert_line(o.s, "claim evil fs");
    assert_int_equal(ipcan("setup -p refmon name_race_hier", &o), 0);
    assert_line(o.s, "naming hierarchical");
    an_buf_free(&o);
}

static const char all_common[] = "# ipcsec scenario setup v1\n"
                                 "scenario setup_all\n"
                                 "policy %s\n"
                                 "naming hierarchical\n"
                                 "task root root -\n"
                                 "task srv server root\n"
                                 "task cli client root\n"
                                 "task evil spoofer cli attacker\n"
                                 "service srv_svc srv srv\n"
                                 "service raw_svc srv\n"
                                 "channel c_raw cli raw_svc 1 give\n"
                                 "lookup c_srv cli srv 16\n"
                                 "channel c_evil evil raw_svc 3\n"
                                 "claim evil srv\n"
                                 "%s"
                                 "end\n";

/* The whole output for a fixture: capgate's cap and delegate lines, refmon's allow lines,
 * clans' chiefs' rules (the chief on channel c_evil's route, then the block's forward line); a
 * backend without a block adds nothing. */
static void test_every_line(void **state)
{
    (void)state;
    static const struct {
        const char *policy, *extra;
    } cases[] = {
        {"capgate", "cap evil srv_svc\ndelegate c_raw evil give\n"},
        {"clans", "forward cli evil srv\nforward root * srv\n"},
        {"ports", ""},
        {"refmon", "allow srv evil map\n"},
    };
    struct an_buf o;
    an_buf_init(&o);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char args[256], want[2048];
        snprintf(args, sizeof(args), "setup -p %s tests/analyzer/setup/additions.scn",
                 cases[i].policy);
        snprintf(want, sizeof(want), all_common, cases[i].policy, cases[i].extra);
        assert_int_equal(ipcan(args, &o), 0);
        assert_string_equal(o.s, want);
    }
    an_buf_free(&o);
}

/* Names with a space, empty or over 31 bytes: file:line:column, exit 2, no partial output. */
static void test_bad_names(void **state)
{
    (void)state;
    struct an_buf o;
    an_buf_init(&o);
    assert_int_equal(ipcan("setup -p none tests/analyzer/setup/name_space.scn", &o), 2);
    assert_non_null(strstr(o.s, "tests/analyzer/setup/name_space.scn:5:31: error: registered "
                                "name \"file server\" contains a space"));
    assert_null(strstr(o.s, "# ipcsec scenario setup"));
    /* names are validated once, with the declaration: what setup cannot write, check refuses */
    assert_int_equal(ipcan("check tests/analyzer/setup/name_space.scn", &o), 2);
    assert_non_null(strstr(o.s, "tests/analyzer/setup/name_space.scn:5:31: error: registered "
                                "name \"file server\" contains a space"));
    assert_int_equal(ipcan("setup -p capgate tests/analyzer/setup/name_long.scn", &o), 2);
    assert_non_null(strstr(o.s, "name_long.scn:6:31: error: registered name "
                                "\"abcdefghijklmnopqrstuvwxyz012345\" is longer than 31 bytes"));
    assert_non_null(strstr(o.s, "name_long.scn:16:23: error: looked-up name"));
    assert_non_null(strstr(o.s, "name_long.scn:17:16: error: claimed name \"\" is empty"));
    an_buf_free(&o);
}

/* An unknown or missing policy is a usage error (exit 2) naming the five. */
static void test_bad_policy(void **state)
{
    (void)state;
    struct an_buf o;
    an_buf_init(&o);
    assert_int_equal(ipcan("setup -p mach unauth_send", &o), 2);
    assert_non_null(strstr(o.s, "unknown policy 'mach'; valid policies: none, clans, ports, "
                                "refmon, capgate"));
    assert_int_equal(ipcan("setup name_race", &o), 2);
    assert_non_null(strstr(o.s, "'setup' needs -p POLICY"));
    assert_int_equal(ipcan("derive -p capgate name_race", &o), 0); /* the backend's own view */
    assert_non_null(strstr(o.s, "# capgate setup of scenario name_race"));
    an_buf_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unauth_send), cmocka_unit_test(test_name_race),
        cmocka_unit_test(test_every_line),  cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_bad_policy),
    };
    return cmocka_run_group_tests_name("analyzer_setup", tests, NULL, NULL);
}
