/* SPDX-License-Identifier: MIT */
/* CMocka tests of the contract checker (explicit search) and its Z3 cross-check. */
#include "an_test.h"
#include "z3_check.h"

#define EXPECT_NA "expect none=n/a clans=n/a ports=n/a refmon=n/a capgate=n/a\n"

static unsigned count(const struct cc_result *r, enum cc_kind k)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < r->nissues; i++)
        n += r->issues[i].kind == k;
    return n;
}

/* Checks contract 0 of the text, asserts Z3 finds the same joint states, deadlocks and
 * unreceived messages, and returns the result for the caller's own assertions. */
static void check(const char *contract, struct scn *s, struct cc_result *r)
{
    char text[4096];
    snprintf(text, sizeof(text), "scenario x\n%s" EXPECT_NA, contract);
    parse_ok(text, s);
    contract_check(&s->contracts[0], r);
    bool agree = false;
    struct an_buf diff, err;
    an_buf_init(&diff);
    an_buf_init(&err);
    enum an_status st = contract_z3_crosscheck(&s->contracts[0], r, &agree, &diff, &err);
    if (st != AN_OK || !agree) fprintf(stderr, "z3: %s %s\n", err.s, diff.s);
    assert_int_equal(st, AN_OK);
    assert_true(agree);
    an_buf_free(&diff);
    an_buf_free(&err);
}

static void done(struct scn *s, struct cc_result *r)
{
    cc_result_free(r);
    scn_free(s);
}

/* Request/response with the dual client: no issue, two joint states. */
static void test_rpc_is_clean(void **state)
{
    (void)state;
    struct scn s;
    struct cc_result r;
    check("contract c {\n in req\n out resp\n server {\n  states idle busy\n  initial idle\n"
          "  final idle\n  idle: req? -> busy\n  busy: resp! -> idle\n }\n}\n",
          &s, &r);
    assert_int_equal(r.nissues, 0);
    assert_int_equal(r.reachable, 2);
    done(&s, &r);
}

/* Unreachable and stuck states, nondeterminism and unused messages are all reported. */
static void test_well_formedness(void **state)
{
    (void)state;
    struct scn s;
    struct cc_result r;
    check("contract c {\n in req\n out resp\n in spare\n server {\n  states idle busy lost stuck\n"
          "  initial idle\n  final idle\n  idle: req? -> busy\n  idle: req? -> stuck\n"
          "  busy: resp! -> idle\n  lost: resp! -> idle\n }\n}\n",
          &s, &r);
    assert_int_equal(count(&r, CC_UNREACHABLE), 1); /* lost */
    assert_int_equal(count(&r, CC_NONDET), 1);      /* idle on req? twice */
    assert_int_equal(count(&r, CC_STUCK), 1);       /* stuck */
    assert_int_equal(count(&r, CC_UNUSED), 1);      /* spare */
    assert_true(count(&r, CC_DEADLOCK) >= 1);       /* reaching stuck is a deadlock too */
    done(&s, &r);
}

/* A client that sends twice in a row meets a server that answers in between. */
static void test_incompatible_client(void **state)
{
    (void)state;
    struct scn s;
    struct cc_result r;
    check("contract c {\n in req\n out resp\n server {\n  states idle busy\n  initial idle\n"
          "  final idle\n  idle: req? -> busy\n  busy: resp! -> idle\n }\n"
          " client {\n  states a b c\n  initial a\n  final a c\n  a: req! -> b\n  b: req! -> c\n"
          "  c: resp? -> a\n }\n}\n",
          &s, &r);
    assert_true(count(&r, CC_UNRECEIVED) >= 1);
    done(&s, &r);
}

/* The zero-timeout wake-up can be lost: both ends then wait forever. */
static void test_lossy_wakeup_deadlocks(void **state)
{
    (void)state;
    struct scn s;
    struct cc_result r;
    check(
        "contract c {\n in wake lossy\n out space\n server {\n  states waiting consuming\n"
        "  initial waiting\n  waiting: wake? -> consuming\n  consuming: space! -> waiting\n }\n}\n",
        &s, &r);
    assert_int_equal(count(&r, CC_DEADLOCK), 1);
    assert_int_equal(count(&r, CC_UNRECEIVED), 0);
    done(&s, &r);
}

/* The same exchange with a synchronous wake-up has no deadlock. */
static void test_sync_wakeup_is_fine(void **state)
{
    (void)state;
    struct scn s;
    struct cc_result r;
    check(
        "contract c {\n in wake sync\n out space\n server {\n  states waiting consuming\n"
        "  initial waiting\n  waiting: wake? -> consuming\n  consuming: space! -> waiting\n }\n}\n",
        &s, &r);
    assert_int_equal(count(&r, CC_DEADLOCK), 0);
    done(&s, &r);
}

/* An evil consumer that never waits blocks a synchronous producer, not a notifying one. */
static void test_evil_consumer_sync_vs_async(void **state)
{
    (void)state;
    static const char fmt[] = "contract c {\n in data %s\n server {\n  states flagged\n"
                              "  initial flagged\n  final flagged\n }\n client {\n  states p\n"
                              "  initial p\n  final p\n  p: data! -> p\n }\n}\n";
    char text[512];
    struct scn s;
    struct cc_result r;
    snprintf(text, sizeof(text), fmt, "sync");
    check(text, &s, &r);
    assert_int_equal(count(&r, CC_UNRECEIVED), 1);
    done(&s, &r);
    snprintf(text, sizeof(text), fmt, "async");
    check(text, &s, &r);
    assert_int_equal(count(&r, CC_UNRECEIVED) + count(&r, CC_DEADLOCK), 0);
    assert_int_equal(r.reachable, 2); /* nothing pending, then the notification pending */
    done(&s, &r);
}

/* Notifications that must be consumed: pending bits are part of the joint state. */
static void test_async_ring(void **state)
{
    (void)state;
    struct scn s;
    struct cc_result r;
    check(
        "contract c {\n in data async\n out space async\n server {\n  states w c\n  initial w\n"
        "  final w c\n  w: data? -> c\n  c: space! -> w\n }\n client {\n  states p f\n  initial p\n"
        "  final p f\n  p: data! -> f\n  f: space? -> p\n }\n}\n",
        &s, &r);
    assert_int_equal(r.nissues, 0);
    assert_true(r.reachable >= 4);
    done(&s, &r);
}

/* The cross-check can fail: a tampered search result is caught by Z3. */
static void test_z3_catches_tampering(void **state)
{
    (void)state;
    struct scn s;
    struct cc_result r;
    check("contract c {\n in req\n out resp\n server {\n  states idle busy\n  initial idle\n"
          "  final idle\n  idle: req? -> busy\n  busy: resp! -> idle\n }\n}\n",
          &s, &r);
    uint32_t k = CC_KEY(1, 1, 0);
    assert_true(cc_bit(r.reach_bits, k));
    r.reach_bits[k >> 3] &= (uint8_t) ~(1u << (k & 7));
    bool agree = true;
    struct an_buf diff, err;
    an_buf_init(&diff);
    an_buf_init(&err);
    assert_int_equal(contract_z3_crosscheck(&s.contracts[0], &r, &agree, &diff, &err), AN_OK);
    assert_false(agree);
    assert_non_null(strstr(diff.s, "reachable joint states: 0 only in the C search, 1 only in Z3"));
    an_buf_free(&diff);
    an_buf_free(&err);
    done(&s, &r);
}

/* The shipped contracts: prodcons has the DoS and the lost wake-up, prodcons_notify neither. */
static void test_shipped_prodcons(void **state)
{
    (void)state;
    struct scn s;
    load_repo_scenario("scenarios/prodcons/prodcons.scn", &s);
    unsigned unrecv = 0, dead = 0;
    for (uint32_t i = 0; i < s.ncontracts; i++) {
        struct cc_result r;
        contract_check(&s.contracts[i], &r);
        unrecv += count(&r, CC_UNRECEIVED);
        dead += count(&r, CC_DEADLOCK);
        cc_result_free(&r);
    }
    assert_int_equal(unrecv, 1);
    assert_int_equal(dead, 1);
    scn_free(&s);
    load_repo_scenario("scenarios/prodcons/prodcons_notify.scn", &s);
    for (uint32_t i = 0; i < s.ncontracts; i++) {
        struct cc_result r;
        contract_check(&s.contracts[i], &r);
        assert_int_equal(r.nissues, 0);
        cc_result_free(&r);
    }
    scn_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rpc_is_clean),
        cmocka_unit_test(test_well_formedness),
        cmocka_unit_test(test_incompatible_client),
        cmocka_unit_test(test_lossy_wakeup_deadlocks),
        cmocka_unit_test(test_sync_wakeup_is_fine),
        cmocka_unit_test(test_evil_consumer_sync_vs_async),
        cmocka_unit_test(test_async_ring),
        cmocka_unit_test(test_z3_catches_tampering),
        cmocka_unit_test(test_shipped_prodcons),
    };
    return cmocka_run_group_tests_name("analyzer_contract", tests, NULL, NULL);
}
