/* SPDX-License-Identifier: MIT */
/* CMocka tests of the permitted closure: each backend's semantics on small setups, derivations,
 * and the C closure against Z3's on every shipped scenario and on random ones. */
#include "an_test.h"
#include "bench_gen.h"
#include "z3_check.h"

#include <dirent.h>

#define EXPECT_NA "expect none=n/a clans=n/a ports=n/a refmon=n/a capgate=n/a\n"
#define RPC                                                                                        \
    "contract rpc {\n in req proto 1\n out resp proto 2\n server {\n  states idle busy\n"          \
    "  initial idle\n  final idle\n  idle: req? -> busy\n  busy: resp! -> idle\n }\n}\n"

/* leaker uses secret (send only) and printer (give); evil is a client of leaker. */
static const char leak[] =
    "scenario x\ntask root program r\ntask smgr program m parent root\n"
    "task secret program s parent smgr\ntask printer program p parent root\n"
    "task leaker program l parent root\ntask evil program e parent root attacker\n"
    "service sec task secret\nservice prn task printer\nservice lk task leaker\n" RPC
    "channel c1 leaker -> sec contract rpc\nchannel c2 leaker -> prn contract rpc give\n"
    "channel c3 evil -> lk contract rpc\n" EXPECT_NA;

static void explain(const struct scn *s, enum an_policy_id p, const char *a, const char *b,
                    struct an_buf *out)
{
    const struct an_backend *be = an_backend_get(p);
    void *su = be->derive(s);
    struct bitmat m;
    bitmat_init(&m, s->ntasks);
    be->closure(s, su, &m);
    be->explain(s, su, scn_task_find(s, a), scn_task_find(s, b), out);
    bitmat_free(&m);
    be->free_setup(su);
}

/* none: every ordered pair of distinct tasks, nothing else. */
static void test_none_is_complete(void **state)
{
    (void)state;
    struct scn s;
    parse_ok(leak, &s);
    struct bitmat m;
    closure_c(&s, POL_NONE, &m);
    assert_int_equal(bitmat_count(&m), (uint64_t)s.ntasks * (s.ntasks - 1));
    for (uint32_t t = 0; t < s.ntasks; t++)
        assert_false(bitmat_get(&m, t, t));
    bitmat_free(&m);
    scn_free(&s);
}

/* capgate: a send-only capability stays put; one with give reaches the leaker's partners. */
static void test_capgate_delegation(void **state)
{
    (void)state;
    struct scn s;
    parse_ok(leak, &s);
    struct bitmat m;
    closure_c(&s, POL_CAPGATE, &m);
    assert_true(permits(&s, &m, "leaker", "secret"));
    assert_false(permits(&s, &m, "evil", "secret"));  /* c1 has no give right */
    assert_true(permits(&s, &m, "evil", "printer"));  /* c2 does: leaker replies with it */
    assert_false(permits(&s, &m, "printer", "evil")); /* nothing reaches evil's thread */
    /* smgr started secret, so the loader gave secret its names through smgr, which keeps a
     * copy (deleg_parent.c): it reaches secret (and so may get the printer capability from
     * it in a reply), and passes nothing on */
    assert_true(permits(&s, &m, "smgr", "secret"));
    assert_true(permits(&s, &m, "smgr", "printer"));
    assert_int_equal(bitmat_count(&m), 7);
    struct an_buf why;
    an_buf_init(&why);
    explain(&s, POL_CAPGATE, "smgr", "secret", &why);
    assert_non_null(strstr(why.s, "which the loader handed its child secret through it"));
    an_buf_free(&why);
    an_buf_init(&why);
    explain(&s, POL_CAPGATE, "evil", "printer", &why);
    assert_non_null(strstr(why.s, "leaker holds a capability [send,give] to gate g1"));
    assert_non_null(strstr(why.s, "leaker passes it to evil in a reply"));
    an_buf_free(&why);
    bitmat_free(&m);
    scn_free(&s);
}

/* ports: send rights are always copyable, so the secret leaks too. */
static void test_ports_copy(void **state)
{
    (void)state;
    struct scn s;
    parse_ok(leak, &s);
    struct bitmat m;
    closure_c(&s, POL_PORTS, &m);
    assert_true(permits(&s, &m, "evil", "secret"));
    assert_true(permits(&s, &m, "evil", "printer"));
    assert_true(permits(&s, &m, "printer", "secret")); /* the whole component, colluding */
    assert_false(permits(&s, &m, "root", "secret"));   /* root holds nothing */
    bitmat_free(&m);
    scn_free(&s);
}

/* refmon: rules from channels; the map right makes a right delegable; additions add rules. */
static void test_refmon_rules(void **state)
{
    (void)state;
    struct scn s;
    char text[4096];
    snprintf(text, sizeof(text), "%spolicy refmon {\n allow root -> smgr\n}\n", leak);
    parse_ok(text, &s);
    struct bitmat m;
    closure_c(&s, POL_REFMON, &m);
    assert_false(permits(&s, &m, "evil", "secret"));
    assert_true(permits(&s, &m, "evil", "printer"));
    assert_true(permits(&s, &m, "root", "smgr"));
    struct an_buf why;
    an_buf_init(&why);
    explain(&s, POL_REFMON, "evil", "secret", &why);
    assert_non_null(strstr(why.s, "faults to monitor root, which has no rule"));
    an_buf_free(&why);
    bitmat_free(&m);
    scn_free(&s);
}

/* clans: the route through four chiefs, its cost, and a wildcard rule that opens a chief. */
static void test_clans_routes(void **state)
{
    (void)state;
    struct scn s;
    load_repo_scenario("scenarios/clan_redirect/clan_redirect.scn", &s);
    const struct an_backend *be = an_backend_get(POL_CLANS);
    void *su = be->derive(&s);
    struct bitmat m;
    bitmat_init(&m, s.ntasks);
    be->closure(&s, su, &m);
    assert_true(permits(&s, &m, "worker_a", "worker_b"));
    assert_false(permits(&s, &m, "worker_b", "worker_a")); /* no channel back: chiefs drop it */
    assert_true(permits(&s, &m, "worker_a", "peer_a"));    /* same clan */
    assert_false(permits(&s, &m, "worker_a", "deptA"));    /* beyond one's chief: teamA drops it */
    uint32_t a = scn_task_find(&s, "worker_a"), b = scn_task_find(&s, "worker_b");
    assert_int_equal(be->ipc_count(&s, su, a, b), 5);
    assert_int_equal(be->ipc_count(&s, su, a, scn_task_find(&s, "peer_a")), 1);
    struct an_buf why;
    an_buf_init(&why);
    be->explain(&s, su, a, b, &why);
    assert_non_null(strstr(why.s, "teamA, deptA, deptB, teamB (5 IPCs instead of 1)"));
    an_buf_free(&why);
    bitmat_free(&m);
    be->free_setup(su);
    scn_free(&s);
    /* teamB forwarding anything makes deptB's message to worker_b... already direct; instead
     * open teamA and deptA for worker_a to everything up the tree */
    size_t len;
    const char *err;
    char *text =
        an_read_file(SRC_ROOT "/scenarios/clan_redirect/clan_redirect.scn", 1 << 20, &len, &err);
    assert_non_null(text);
    struct an_buf b2;
    an_buf_init(&b2);
    an_buf_add(&b2, text);
    free(text);
    an_buf_add(&b2, "policy clans {\n forward teamA worker_a -> *\n}\n");
    parse_ok(b2.s, &s);
    closure_c(&s, POL_CLANS, &m);
    assert_true(permits(&s, &m, "worker_a", "deptA")); /* teamA forwards, deptA is the target */
    assert_true(permits(&s, &m, "worker_a", "deptB")); /* declared: every chief forwards it */
    assert_false(permits(&s, &m, "worker_a", "root")); /* deptA has no rule */
    bitmat_free(&m);
    scn_free(&s);
    an_buf_free(&b2);
}

/* Flat naming lets the squatter's endpoint reach the client under capgate; refmon's rules don't. */
static void test_name_race_setup(void **state)
{
    (void)state;
    struct scn s;
    load_repo_scenario("scenarios/name_race/name_race.scn", &s);
    struct bitmat m;
    closure_c(&s, POL_CAPGATE, &m);
    assert_true(permits(&s, &m, "client", "evil"));
    bitmat_free(&m);
    closure_c(&s, POL_REFMON, &m);
    assert_false(permits(&s, &m, "client", "evil"));
    bitmat_free(&m);
    scn_free(&s);
    load_repo_scenario("scenarios/name_race/name_race_hier.scn", &s);
    closure_c(&s, POL_CAPGATE, &m);
    assert_false(permits(&s, &m, "client", "evil"));
    bitmat_free(&m);
    scn_free(&s);
}

/* Every claimant of a looked-up name is a rival, however many: 20 squatters of "fs", and the
 * last ones (claims 17..20, past the old fixed limit of 16) reach the client like the first. */
static void test_many_claimants(void **state)
{
    (void)state;
    struct an_buf b;
    an_buf_init(&b);
    an_buf_add(&b, "scenario many\nnaming flat\ntask root program root\n"
                   "task fs program fileserver parent root\n"
                   "task client program fsclient parent root\n");
    for (int i = 0; i < 20; i++)
        an_buf_printf(&b, "task evil%d program squatter parent root%s\n", i,
                      i == 19 ? " attacker" : "");
    an_buf_add(&b, "service fs_svc task fs name \"fs\"\n");
    for (int i = 0; i < 20; i++)
        an_buf_printf(&b, "claim evil%d name \"fs\"\n", i);
    an_buf_add(&b,
               "contract rpc {\n in req proto 1\n out resp proto 2\n server {\n  states idle busy\n"
               "  initial idle\n  final idle\n  idle: req? -> busy\n  busy: resp! -> idle\n }\n}\n"
               "channel c_fs client -> name \"fs\" contract rpc\n"
               "attack hijack evil19 -> client\n"
               "expect none=succeeded clans=succeeded ports=succeeded refmon=blocked "
               "capgate=succeeded\n");
    struct scn s;
    parse_ok(b.s, &s);
    an_buf_free(&b);
    struct bitmat m;
    static const enum an_policy_id pols[] = {POL_CAPGATE, POL_PORTS};
    for (int p = 0; p < 2; p++) {
        closure_c(&s, pols[p], &m);
        assert_true(permits(&s, &m, "client", "evil0"));
        assert_true(permits(&s, &m, "client", "evil16"));
        assert_true(permits(&s, &m, "client", "evil19"));
        bitmat_free(&m);
    }
    /* the hijack by the 20th claimant is predicted like the first one's would be */
    struct analysis an;
    struct analysis_opts o = {.use_z3 = false, .max_list = 0};
    struct an_buf err;
    an_buf_init(&err);
    analysis_init(&an, &s, &o);
    assert_int_equal(analysis_contracts(&an, &o, &err), AN_OK);
    for (int p = 0; p < 2; p++) {
        assert_int_equal(analysis_policy(&an, pols[p], &o, &err), AN_OK);
        assert_int_equal(an.pol[pols[p]].predicted, VERDICT_SUCCEEDED);
        assert_non_null(strstr(an.pol[pols[p]].verdict_why.s, "evil19 may register \"fs\""));
    }
    an_buf_free(&err);
    analysis_free(&an);
    scn_free(&s);
}

/* Compares C and Z3 for every policy; returns the number of pairs compared. */
static uint64_t agree_all(const struct scn *s, const char *what)
{
    uint64_t pairs = 0;
    for (int p = 0; p < POL_COUNT; p++) {
        const struct an_backend *be = an_backend_get((enum an_policy_id)p);
        void *su = be->derive(s);
        struct bitmat c, z;
        bitmat_init(&c, s->ntasks);
        bitmat_init(&z, s->ntasks);
        be->closure(s, su, &c);
        struct an_buf err;
        an_buf_init(&err);
        enum an_status st = closure_z3(s, be, su, &z, &err);
        if (st != AN_OK) fprintf(stderr, "%s/%s: %s\n", what, be->name, err.s);
        assert_int_equal(st, AN_OK);
        if (!bitmat_equal(&c, &z)) {
            fprintf(stderr, "%s under %s: C %llu pairs, Z3 %llu pairs\n", what, be->name,
                    (unsigned long long)bitmat_count(&c), (unsigned long long)bitmat_count(&z));
            fail();
        }
        pairs += bitmat_count(&c);
        an_buf_free(&err);
        bitmat_free(&c);
        bitmat_free(&z);
        be->free_setup(su);
    }
    return pairs;
}

/* Flat naming: one name service answers everyone, so under capgate and ports any task may look
 * a registered service up and send to it (no declared channel needed); an unregistered service
 * stays out of reach, and hierarchical naming answers only declared lookups. */
static const char lookups[] =
    "scenario lk\nnaming %s\ntask root program root\ntask fs program f parent root\n"
    "task hidden program h parent root\ntask app program a parent root\n"
    "task evil program e parent root attacker\n"
    "service fs_svc task fs name \"fs\"\nservice hid_svc task hidden\n" RPC
    "channel c_fs app -> fs_svc contract rpc\nchannel c_hid app -> hid_svc contract rpc\n"
    "attack spoof evil as c_fs\n"
    "expect none=blocked clans=blocked ports=succeeded refmon=blocked capgate=blocked\n";

static void test_flat_lookups(void **state)
{
    (void)state;
    char text[2048];
    struct scn s;
    struct bitmat m;
    snprintf(text, sizeof(text), lookups, "flat");
    parse_ok(text, &s);
    static const enum an_policy_id pols[] = {POL_CAPGATE, POL_PORTS};
    for (int p = 0; p < 2; p++) {
        closure_c(&s, pols[p], &m);
        assert_true(permits(&s, &m, "evil", "fs"));
        assert_true(permits(&s, &m, "hidden", "fs"));
        /* hidden has no name: capgate keeps it out of evil's reach; under ports app's copyable
         * right could still travel app -> fs -> evil (all holders may collude) */
        assert_int_equal(permits(&s, &m, "evil", "hidden"), pols[p] == POL_PORTS);
        assert_false(permits(&s, &m, "fs", "evil"));
        bitmat_free(&m);
        struct an_buf why;
        an_buf_init(&why);
        explain(&s, pols[p], "evil", "fs", &why);
        assert_non_null(strstr(why.s, "the flat name service hands anyone looking up \"fs\""));
        an_buf_free(&why);
    }
    /* capgate: the looked-up gate is the service's own, not c_fs's, so its label is not app's;
     * ports: one port per service, so the receiver cannot tell evil from app. */
    uint32_t evil = scn_task_find(&s, "evil"), c_fs = scn_channel_find(&s, "c_fs");
    for (int p = 0; p < 2; p++) {
        const struct an_backend *be = an_backend_get(pols[p]);
        void *su = be->derive(&s);
        bitmat_init(&m, s.ntasks);
        be->closure(&s, su, &m);
        struct an_buf why;
        an_buf_init(&why);
        assert_int_equal(be->can_spoof(&s, su, evil, c_fs, &why), pols[p] == POL_PORTS);
        an_buf_free(&why);
        bitmat_free(&m);
        be->free_setup(su);
    }
    closure_c(&s, POL_REFMON, &m); /* a name is not a monitor rule */
    assert_false(permits(&s, &m, "evil", "fs"));
    bitmat_free(&m);
    assert_true(agree_all(&s, "flat lookups") > 0);
    scn_free(&s);

    snprintf(text, sizeof(text), lookups, "hierarchical");
    parse_ok(text, &s);
    for (int p = 0; p < 2; p++) {
        closure_c(&s, pols[p], &m);
        assert_false(permits(&s, &m, "evil", "fs"));
        assert_true(permits(&s, &m, "app", "fs"));
        bitmat_free(&m);
    }
    scn_free(&s);
}

/* Why unauth_send and cap_leak declare hierarchical naming: under flat naming their attackers
 * could simply look the target up, so capgate's and ports' "blocked" would be untrue. */
static void test_flat_naming_defeats_unauth_send(void **state)
{
    (void)state;
    static const char *const files[] = {"scenarios/unauth_send/unauth_send.scn",
                                        "scenarios/cap_leak/cap_leak.scn"};
    for (int f = 0; f < 2; f++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", SRC_ROOT, files[f]);
        size_t len;
        const char *why;
        char *text = an_read_file(path, 1 << 20, &len, &why);
        assert_non_null(text);
        char *hier = strstr(text, "\nnaming hierarchical\n");
        assert_non_null(hier); /* the shipped file declares it */
        for (int flat = 0; flat < 2; flat++) {
            if (flat) memcpy(hier + 1, "naming flat        ", 19); /* same length, a comment */
            struct scn s;
            parse_ok(text, &s);
            struct analysis an;
            struct analysis_opts o = {.use_z3 = false, .max_list = 0};
            struct an_buf err;
            an_buf_init(&err);
            analysis_init(&an, &s, &o);
            assert_int_equal(analysis_contracts(&an, &o, &err), AN_OK);
            assert_int_equal(analysis_policy(&an, POL_CAPGATE, &o, &err), AN_OK);
            assert_int_equal(an.pol[POL_CAPGATE].predicted,
                             flat ? VERDICT_SUCCEEDED : VERDICT_BLOCKED);
            an_buf_free(&err);
            analysis_free(&an);
            scn_free(&s);
        }
        free(text);
    }
}

/* The C closure and Z3's agree on every shipped scenario under every policy. */
static void test_c_and_z3_agree_on_shipped(void **state)
{
    (void)state;
    DIR *d = opendir(SRC_ROOT "/scenarios");
    assert_non_null(d);
    struct dirent *e;
    unsigned n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strchr(e->d_name, '.')) continue;
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s/scenarios/%s", SRC_ROOT, e->d_name);
        DIR *sd = opendir(dir);
        if (!sd) continue;
        struct dirent *f;
        while ((f = readdir(sd))) {
            if (!strstr(f->d_name, ".scn")) continue;
            char rel[1024];
            snprintf(rel, sizeof(rel), "scenarios/%.300s/%.300s", e->d_name, f->d_name);
            struct scn s;
            load_repo_scenario(rel, &s);
            agree_all(&s, rel);
            scn_free(&s);
            n++;
        }
        closedir(sd);
    }
    closedir(d);
    assert_true(n >= 12);
}

static uint32_t rnd(uint64_t *x)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*x >> 33);
}

/* Random trees, channels (some delegable), name races and per-backend additions (wildcard
 * forwards, extra capabilities, rights, rules): C and Z3 agree on all of them. */
static void test_c_and_z3_agree_on_random(void **state)
{
    (void)state;
    uint64_t x = 7;
    uint64_t pairs = 0;
    for (int round = 0; round < 30; round++) {
        uint32_t n = 3 + rnd(&x) % 14, nc = rnd(&x) % (2 * n);
        struct an_buf b;
        an_buf_init(&b);
        an_buf_printf(&b, "scenario r%d\nnaming flat\n", round);
        for (uint32_t t = 0; t < n; t++) {
            an_buf_printf(&b, "task t%u program p", t);
            if (t && rnd(&x) % 5) an_buf_printf(&b, " parent t%u", rnd(&x) % t);
            an_buf_add(&b, "\n");
        }
        for (uint32_t t = 0; t < n; t++)
            an_buf_printf(&b, "service s%u task t%u name \"n%u\"\n", t, t, t);
        an_buf_add(&b, RPC);
        for (uint32_t c = 0; c < nc; c++) {
            uint32_t a = rnd(&x) % n, to = rnd(&x) % n;
            if (a == to) continue;
            if (rnd(&x) % 4 == 0) {
                an_buf_printf(&b, "channel c%u t%u -> name \"n%u\" contract rpc%s\n", c, a, to,
                              rnd(&x) % 3 ? "" : " give");
                an_buf_printf(&b, "claim t%u name \"n%u\"\n", rnd(&x) % n, to);
            } else {
                an_buf_printf(&b, "channel c%u t%u -> s%u contract rpc%s\n", c, a, to,
                              rnd(&x) % 3 ? "" : " give");
            }
        }
        an_buf_add(&b, "policy clans {\n");
        for (int k = 0; k < 3; k++)
            an_buf_printf(&b, " forward t%u %s -> %s\n", rnd(&x) % n, rnd(&x) % 2 ? "*" : "t0",
                          rnd(&x) % 2 ? "*" : "t1");
        an_buf_printf(&b, "}\npolicy capgate {\n cap t%u s%u give\n}\n", rnd(&x) % n, rnd(&x) % n);
        an_buf_printf(&b, "policy ports {\n send t%u s%u\n}\n", rnd(&x) % n, rnd(&x) % n);
        an_buf_printf(&b, "policy refmon {\n allow t%u -> t%u map\n}\n", rnd(&x) % n, rnd(&x) % n);
        an_buf_add(&b, EXPECT_NA);
        struct scn s;
        struct an_diag d;
        enum an_status st = parse_text(b.s, &s, &d);
        if (st != AN_OK) { /* e.g. a self-channel after name resolution, a self-rule: skip */
            an_buf_free(&b);
            continue;
        }
        pairs += agree_all(&s, b.s);
        scn_free(&s);
        an_buf_free(&b);
    }
    assert_true(pairs > 500); /* the random scenarios were not trivially empty */
}

/* The generated benchmark scenario's C closure is consistent with its construction. */
static void test_generated_scenario(void **state)
{
    (void)state;
    struct gen_opts o = {
        .tasks = 300, .channels = 2000, .fanout = 5, .seed = 3, .give_permille = 0};
    struct an_buf b;
    an_buf_init(&b);
    bench_generate(&o, &b);
    struct scn s;
    parse_ok(b.s, &s);
    struct bitmat m, decl;
    bitmat_init(&decl, s.ntasks);
    for (uint32_t i = 0; i < s.nchannels; i++)
        bitmat_set(&decl, s.channels[i].from.idx, s.channels[i].to);
    /* and what a parent below the loader (t0) keeps of its children's names: their channels'
     * capabilities and their services' gates (deleg_parent.c) */
    struct bitmat held;
    bitmat_init(&held, s.ntasks);
    for (uint32_t i = 0; i < s.nchannels; i++)
        bitmat_set(&held, s.channels[i].from.idx, s.channels[i].to);
    for (uint32_t t = 0; t < s.ntasks; t++) {
        uint32_t p = s.tasks[t].parent.name ? scn_parent(&s, t) : SCN_NONE;
        if (p == SCN_NONE || s.tasks[p].parent.name == NULL) continue;
        for (uint32_t i = 0; i < s.nchannels; i++)
            if (s.channels[i].from.idx == t && s.channels[i].to != p)
                bitmat_set(&held, p, s.channels[i].to);
        for (uint32_t v = 0; v < s.nservices; v++)
            if (s.services[v].owner.idx == t) bitmat_set(&held, p, t);
    }
    closure_c(&s, POL_CAPGATE, &m);
    assert_true(bitmat_equal(&m, &held)); /* without give, capgate permits exactly those */
    bitmat_free(&held);
    bitmat_free(&m);
    closure_c(&s, POL_CLANS, &m);
    assert_int_equal(bitmat_count_minus(&decl, &m),
                     0); /* every declared channel passes its chiefs */
    bitmat_free(&m);
    bitmat_free(&decl);
    scn_free(&s);
    an_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_none_is_complete),
        cmocka_unit_test(test_capgate_delegation),
        cmocka_unit_test(test_ports_copy),
        cmocka_unit_test(test_refmon_rules),
        cmocka_unit_test(test_clans_routes),
        cmocka_unit_test(test_name_race_setup),
        cmocka_unit_test(test_many_claimants),
        cmocka_unit_test(test_flat_lookups),
        cmocka_unit_test(test_flat_naming_defeats_unauth_send),
        cmocka_unit_test(test_c_and_z3_agree_on_shipped),
        cmocka_unit_test(test_c_and_z3_agree_on_random),
        cmocka_unit_test(test_generated_scenario),
    };
    return cmocka_run_group_tests_name("analyzer_closure", tests, NULL, NULL);
}
