/* SPDX-License-Identifier: MIT */
/* CMocka tests of the scenario parser: the shipped scenarios, every malformed input with its
 * file:line:column, limits, and the fuzz corpus replayed through the fuzzer's entry point. */
#include "an_test.h"
#include "fuzz_entry.h"

#include <dirent.h>
#include <sys/stat.h>

#define EXPECT_NA "expect none=n/a clans=n/a ports=n/a refmon=n/a capgate=n/a\n"
#define RPC                                                                                        \
    "contract rpc {\n in req proto 1\n out resp proto 2\n server {\n  states idle busy\n"          \
    "  initial idle\n  final idle\n  idle: req? -> busy\n  busy: resp! -> idle\n }\n}\n"

/* Calls fn(path) for each regular file in dir whose name ends with suffix (or any if NULL). */
static unsigned for_each_file(const char *dir, const char *suffix, void (*fn)(const char *))
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    unsigned n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        size_t len = strlen(e->d_name);
        if (suffix && (len < strlen(suffix) || strcmp(e->d_name + len - strlen(suffix), suffix)))
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        fn(path);
        n++;
    }
    closedir(d);
    return n;
}

static void parse_shipped(const char *path)
{
    struct scn s;
    struct an_diag d;
    an_diag_init(&d, path);
    enum an_status st = scn_load(path, &s, &d);
    if (st != AN_OK) an_diag_print(&d, stderr);
    assert_int_equal(st, AN_OK);
    const char *base = strrchr(path, '/') + 1;
    assert_int_equal(strncmp(base, s.name, strlen(s.name)), 0); /* file is named after it */
    assert_string_equal(base + strlen(s.name), ".scn");
    assert_true(s.ntasks > 0 && s.nchannels > 0);
    for (int p = 0; p < POL_COUNT; p++)
        assert_int_not_equal(s.expect[p], VERDICT_UNSET);
    scn_free(&s);
}

static unsigned shipped_count;
static void shipped_dir(const char *dir)
{
    shipped_count += for_each_file(dir, ".scn", parse_shipped);
}

/* Every scenario under scenarios/ parses, is named like its file and has all verdicts. */
static void test_shipped_scenarios_parse(void **state)
{
    (void)state;
    shipped_count = 0;
    DIR *d = opendir(SRC_ROOT "/scenarios");
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/scenarios/%s", SRC_ROOT, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) shipped_dir(path); /* skip README, .mk */
    }
    closedir(d);
    assert_true(shipped_count >= 12);
}

/* unauth_send's declaration resolves to the expected tree, channels and verdicts. */
static void test_unauth_send_structure(void **state)
{
    (void)state;
    struct scn s;
    load_repo_scenario("scenarios/unauth_send/unauth_send.scn", &s);
    assert_int_equal(s.ntasks, 6);
    uint32_t victim = scn_task_find(&s, "victim"), vmgr = scn_task_find(&s, "vmgr");
    assert_int_equal(scn_parent(&s, victim), vmgr);
    assert_true(s.tasks[scn_task_find(&s, "prober")].attacker);
    assert_false(s.tasks[victim].attacker);
    assert_int_equal(s.nchannels, 2);
    assert_int_equal(s.channels[0].to, victim);
    assert_int_equal(s.channels[0].label, 1); /* derived: channel index + 1 */
    assert_int_equal(s.expect[POL_NONE], VERDICT_SUCCEEDED);
    assert_int_equal(s.expect[POL_CAPGATE], VERDICT_BLOCKED);
    assert_int_equal(s.attacks[0].kind, ATTACK_REACH);
    scn_free(&s);
}

/* A contract written with only a server role gets the dual client: same states, ! and ? swapped. */
static void test_client_is_dual(void **state)
{
    (void)state;
    struct scn s;
    parse_ok("scenario x\n" RPC EXPECT_NA, &s);
    const struct scn_role *sr = &s.contracts[0].role[ROLE_SERVER],
                          *cr = &s.contracts[0].role[ROLE_CLIENT];
    assert_true(cr->derived);
    assert_int_equal(cr->ntrans, sr->ntrans);
    for (uint32_t i = 0; i < sr->ntrans; i++)
        assert_int_equal(cr->trans[i].send, !sr->trans[i].send);
    scn_free(&s);
}

struct bad_case {
    const char *text;
    uint32_t line, col;
    const char *msg;
};

/* Each malformed text yields exactly the error position and message asked for. */
static void test_malformed_inline(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        {"", 1, 1, "expected 'scenario', got end of file"},
        {"scenario x\ntask a progam b\n", 2, 8, "expected 'program', got 'progam'"},
        {"scenario x\ntask a program b parent\n", 2, 24,
         "expected a parent task name, got end of line"},
        {"scenario x\ntask a program b\ntask a program c\n", 3, 6, "task 'a' declared twice"},
        {"scenario x\ntask a program b parent zz\n" EXPECT_NA, 2, 25, "unknown task 'zz'"},
        {"scenario x\ntask a program b $\n", 2, 18, "unexpected character '$'"},
        {"scenario x\nexpect none=maybe\n", 2, 13, "expected a verdict"},
        {"scenario x\nexpect nope=blocked\n", 2, 8, "expected a policy"},
        {"scenario x\ntask a program b\n", 1, 10, "no 'expect' line"},
        {"scenario x\ntask a program b threads 0\n", 2, 26, "thread count must be 1..64"},
        {"scenario x\ntask a program b threads 99999999999999999999\n", 2, 26, "integer too large"},
        {"scenario x\ntask a program b threads 4611686018427387904\n", 2, 26,
         "integer too large (it must be below 2^62)"},
        {"scenario x\ntask a program b threads 0x4000000000000000\n", 2, 26, "below 2^62"},
        {"scenario x\ntask a program b threads 4611686018427387903\n", 2, 26,
         "thread count must be 1..64"}, /* 2^62 - 1 is a number */
        {"scenario x\ntask a program b\ntask c program b\nservice s task c name \"a "
         "b\"\n" EXPECT_NA,
         4, 23, "registered name \"a b\" contains a space"},
        {"scenario x\ntask a program b\ntask c program b\nservice s task c name "
         "\"a+b\"\n" EXPECT_NA,
         4, 23, "registered name \"a+b\" contains a byte the name services refuse"},
        {"scenario x\ntask a program b\nclaim a name \"x,y\"\n" EXPECT_NA, 3, 14,
         "claimed name \"x,y\" contains a byte"},
        {"scenario x\ntask a program b attacker\nattack reach a -> a\n" EXPECT_NA, 3, 19,
         "'a' attacks itself"},
        {"scenario x\ntask a program b attacker\nattack dos a -> a\n" EXPECT_NA, 3, 17,
         "'a' attacks itself: a dos attack"},
        {"scenario x\ntask a program b attacker\nattack late_reply a -> a\n" EXPECT_NA, 3, 24,
         "'a' attacks itself: a late_reply attack"},
        {"scenario x\ntask a program b attacker\nattack third_reply a -> a\n" EXPECT_NA, 3, 25,
         "'a' attacks itself: a third_reply attack"},
        {"scenario x\ntask a program b attacker\nattack hijack a -> a\n" EXPECT_NA, 3, 20,
         "'a' attacks itself: a hijack attack"},
        /* spoofing a channel whose receiver is the attacker: it would pass as a sender to itself */
        {"scenario x\ntask a program b attacker\ntask c program b\nservice s task a\n" RPC
         "channel k c -> s contract rpc\nattack spoof a as k\n" EXPECT_NA,
         17, 19, "'a' attacks itself: a spoof attack"},
        {"scenario x\ntask a program b attacker\ntask c program b\nservice s task c\n" RPC
         "channel k a -> s contract rpc\nattack spoof a as k\n" EXPECT_NA,
         17, 19, "spoofs channel 'k', which is its own"},
        {"scenario x\nscenario y\n", 2, 1, "only one 'scenario' line"},
        {"scenario x\nattack fly a\n", 2, 8, "expected an attack kind"},
        {"scenario x\nnaming tree\n", 2, 8, "expected 'flat' or 'hierarchical'"},
        {"scenario x\npolicy none {\n foo\n}\n" EXPECT_NA, 3, 2, "backend 'none' has no setup"},
        {"scenario x\ntask a program b\npolicy clans {\n forward a a b c\n}\n" EXPECT_NA, 4, 14,
         "expected '->' as argument 3"},
        {"scenario x\ntask a program b\ntask c program b\nservice s task c\n" RPC
         "channel k a -> s contract rpc\nchannel k2 a -> s contract nope\n" EXPECT_NA,
         17, 28, "unknown contract 'nope'"},
        {"scenario x\ntask a program b\nservice s task a\n" RPC
         "channel k a -> s contract rpc\n" EXPECT_NA,
         15, 9, "goes from 'a' to itself"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scn s;
        struct an_diag d;
        enum an_status st = parse_text(cases[i].text, &s, &d);
        if (st == AN_OK || d.count == 0 || d.e[0].line != cases[i].line ||
            d.e[0].col != cases[i].col || !strstr(d.e[0].msg, cases[i].msg)) {
            fprintf(stderr, "case %zu: wanted %u:%u %s\n", i, cases[i].line, cases[i].col,
                    cases[i].msg);
            an_diag_print(&d, stderr);
            fail();
        }
    }
}

static void check_malformed_file(const char *path)
{
    size_t len;
    const char *why;
    char *buf = an_read_file(path, 1 << 20, &len, &why);
    assert_non_null(buf);
    unsigned line, col;
    char msg[256];
    assert_int_equal(sscanf(buf, "# expect: %u:%u: %255[^\n]", &line, &col, msg), 3);
    struct scn s;
    struct an_diag d;
    an_diag_init(&d, path);
    enum an_status st = scn_parse(path, buf, len, &s, &d);
    free(buf);
    if (st == AN_OK || d.count == 0 || d.e[0].line != line || d.e[0].col != col ||
        !strstr(d.e[0].msg, msg)) {
        fprintf(stderr, "%s: wanted %u:%u: %s\n", path, line, col, msg);
        an_diag_print(&d, stderr);
        fail();
    }
}

/* Each malformed/NAME.scn fails with the diagnostic its first line names. */
static void test_malformed_files(void **state)
{
    (void)state;
    assert_true(for_each_file(SRC_ROOT "/tests/analyzer/malformed", ".scn", check_malformed_file) >=
                10);
}

/* Limits are enforced with an error, never by truncation. */
static void test_limits(void **state)
{
    (void)state;
    struct an_buf b;
    an_buf_init(&b);
    an_buf_add(&b, "scenario x\ncontract c {\n in q\n server {\n  states");
    for (int i = 0; i <= SCN_MAX_STATES; i++)
        an_buf_printf(&b, " s%d", i);
    an_buf_add(&b, "\n }\n}\n");
    struct scn s;
    struct an_diag d;
    assert_int_equal(parse_text(b.s, &s, &d), AN_E_LIMIT);
    assert_non_null(strstr(d.e[0].msg, "too many states"));
    an_buf_clear(&b);
    an_buf_add(&b, "scenario ");
    for (int i = 0; i < 200; i++)
        an_buf_add(&b, "x");
    assert_int_equal(parse_text(b.s, &s, &d), AN_E_SYNTAX);
    assert_non_null(strstr(d.e[0].msg, "identifier longer than"));
    an_buf_free(&b);
}

/* Random bytes and random mutations of a valid file never crash the parser or analysis. */
static void test_random_inputs(void **state)
{
    (void)state;
    uint64_t x = 12345;
    char buf[512];
    const char *seed =
        "scenario x\ntask a program b\ntask c program d parent a\nservice s task c\n" RPC
        "channel k a -> s contract rpc give\n" EXPECT_NA;
    size_t seed_len = strlen(seed);
    assert_int_equal(an_fuzz_one((const uint8_t *)seed, seed_len), AN_OK); /* reaches analysis */
    for (int i = 0; i < 3000; i++) {
        size_t n;
        if (i % 2) {
            n = seed_len < sizeof(buf) ? seed_len : sizeof(buf);
            memcpy(buf, seed, n);
            for (int k = 0; k < 1 + i % 4; k++) {
                x = x * 6364136223846793005ull + 1;
                buf[(x >> 33) % n] = (char)(x >> 20);
            }
        } else {
            x = x * 6364136223846793005ull + 1;
            n = (x >> 33) % sizeof(buf);
            for (size_t k = 0; k < n; k++) {
                x = x * 6364136223846793005ull + 1;
                buf[k] = " \n{}:?!->=*\"#abcdefgtaskprogram0123"[(x >> 33) % 34];
            }
        }
        an_fuzz_one((const uint8_t *)buf, n);
    }
}

static unsigned corpus_valid;
static void replay(const char *path)
{
    size_t len;
    const char *why;
    char *buf = an_read_file(path, 1 << 20, &len, &why);
    assert_non_null(buf);
    corpus_valid += an_fuzz_one((const uint8_t *)buf, len) == AN_OK;
    free(buf);
}

/* The committed fuzz corpus (including inputs that once found bugs) replays cleanly. */
static void test_corpus_replay(void **state)
{
    (void)state;
    corpus_valid = 0;
    unsigned n = for_each_file(SRC_ROOT "/tests/analyzer/corpus", NULL, replay);
    n += for_each_file(SRC_ROOT "/tests/analyzer/malformed", NULL, replay);
    assert_true(n >= 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_scenarios_parse),
        cmocka_unit_test(test_unauth_send_structure),
        cmocka_unit_test(test_client_is_dual),
        cmocka_unit_test(test_malformed_inline),
        cmocka_unit_test(test_malformed_files),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_random_inputs),
        cmocka_unit_test(test_corpus_replay),
    };
    return cmocka_run_group_tests_name("analyzer_parser", tests, NULL, NULL);
}
