/* SPDX-License-Identifier: MIT */
/* CMocka tests of time in scenarios: the `run` length (parsed, checked, carried to the loader's
 * setup), attack phases (`until revoke T`, `after death T`) judged on the trace records after
 * the phase's marker, the deputy attack, and the observed verdict `inconclusive`. */
#include "an_test.h"

#include "report.h"

#define EXPECT "expect none=blocked clans=blocked ports=blocked refmon=blocked capgate=blocked\n"
#define RPC                                                                                        \
    "contract rpc {\n in req proto 1\n out resp proto 2\n server {\n  states idle busy\n"          \
    "  initial idle\n  final idle\n  idle: req? -> busy\n  busy: resp! -> idle\n }\n}\n"
#define TASKS                                                                                      \
    "scenario t\ntask root program root\ntask server program s parent root\n"                      \
    "task owner program o parent root\ntask evil program e parent root attacker\n"                 \
    "service svc task server name \"svc\"\nservice own task owner\n" RPC                           \
    "channel c_svc owner -> svc contract rpc give\nchannel c_own evil -> own contract rpc\n"

/* ---- parsing ---- */

/* `run N ms|s` sets the run length, and `ipcan setup` carries it to the loader as run_us. */
static void test_run_parsed_and_carried(void **state)
{
    (void)state;
    struct scn s;
    parse_ok(TASKS "run 3 s\n" EXPECT, &s);
    assert_int_equal(s.run_ms, 3000);
    struct an_buf out;
    struct an_diag d;
    an_buf_init(&out);
    an_diag_init(&d, "t");
    assert_int_equal(report_setup(&s, POL_CAPGATE, &out, &d), AN_OK);
    assert_non_null(strstr(out.s, "\nnaming flat\nrun_us 3000000\ntask "));
    scn_free(&s);
    parse_ok(TASKS "run 1500 ms\n" EXPECT, &s);
    assert_int_equal(s.run_ms, 1500);
    scn_free(&s);
    /* not declared: no line, the loader keeps its default */
    parse_ok(TASKS EXPECT, &s);
    assert_int_equal(s.run_ms, 0);
    an_buf_clear(&out);
    assert_int_equal(report_setup(&s, POL_NONE, &out, &d), AN_OK);
    assert_null(strstr(out.s, "run_us"));
    scn_free(&s);
    an_buf_free(&out);
}

/* Phases and the deputy parse into the model, names resolved. */
static void test_phases_parsed(void **state)
{
    (void)state;
    struct scn s;
    parse_ok(TASKS "attack reach evil -> server until revoke owner\n"
                   "attack hijack evil -> owner after death server\n"
                   "attack deputy evil via owner -> server\n"
                   "attack hijack evil -> owner after rebind evil\n" EXPECT,
             &s);
    assert_int_equal(s.nattacks, 4);
    assert_int_equal(s.attacks[3].phase, PHASE_AFTER_REBIND);
    assert_int_equal(s.attacks[3].phase_task.idx, scn_task_find(&s, "evil"));
    assert_int_equal(s.attacks[0].phase, PHASE_UNTIL_REVOKE);
    assert_int_equal(s.attacks[0].phase_task.idx, scn_task_find(&s, "owner"));
    assert_int_equal(s.attacks[1].phase, PHASE_AFTER_DEATH);
    assert_int_equal(s.attacks[1].phase_task.idx, scn_task_find(&s, "server"));
    assert_int_equal(s.attacks[2].kind, ATTACK_DEPUTY);
    assert_int_equal(s.attacks[2].via.idx, scn_task_find(&s, "owner"));
    assert_int_equal(s.attacks[2].target.idx, scn_task_find(&s, "server"));
    assert_int_equal(s.attacks[2].phase, PHASE_ALL);
    scn_free(&s);
}

/* Every malformed `run`, phase and deputy is an error at its line and column. */
static void test_time_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint32_t line, col;
        const char *msg;
    } cases[] = {
        {TASKS "run 3\n", 21, 6, "expected a unit: 'ms' or 's', got end of line"},
        {TASKS "run three s\n", 21, 5, "expected a run length"},
        {TASKS "run 0 s\n", 21, 5, "run length out of range (10 ms to 10 s)"},
        {TASKS "run 11 s\n", 21, 5, "run length out of range"},
        {TASKS "run 5 ms\n", 21, 5, "run length out of range"},
        {TASKS "run 2 s\nrun 2 s\n", 22, 5, "'run' given twice"},
        {TASKS "run 2 min\n", 21, 7, "expected a unit"},
        {TASKS "attack reach evil -> server until death owner\n", 21, 35, "expected 'revoke'"},
        {TASKS "attack reach evil -> server after revoke owner\n", 21, 35,
         "expected 'death' or 'rebind'"},
        {TASKS "attack reach evil -> server during owner\n", 21, 29,
         "expected 'until revoke TASK', 'after death TASK', 'after rebind TASK' or end of line"},
        {TASKS "attack reach evil -> server until revoke\n", 21, 41,
         "expected the revoking task's name"},
        {TASKS "attack reach evil -> server until revoke nobody\n" EXPECT, 21, 42,
         "unknown task 'nobody'"},
        {TASKS "attack reach evil -> server after death evil\n" EXPECT, 21, 41,
         "the attacker cannot attack after its own end"},
        {TASKS "attack deputy evil -> server\n", 21, 20, "expected 'via'"},
        {TASKS "attack deputy evil via evil -> server\n" EXPECT, 21, 24,
         "the deputy 'evil' must be a third task"},
        {TASKS "attack deputy evil via server -> server\n" EXPECT, 21, 24, "must be a third task"},
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
    /* an expectation can never be inconclusive (nor incomplete): those are only observed */
    struct scn s;
    struct an_diag d;
    assert_int_equal(parse_text(TASKS "expect none=inconclusive\n", &s, &d), AN_E_SYNTAX);
    assert_non_null(strstr(d.e[0].msg, "expected a verdict: 'blocked', 'succeeded' or 'n/a'"));
}

/* ---- judging from the trace ---- */

struct run {
    struct scn s;
    struct trace t;
    struct analysis an;
    enum an_policy_id p;
};

/* Parses the scenario and the trace (completed with its end line) and analyses its backend. */
static void run(struct run *r, const char *scn_text, const char *trace_text)
{
    parse_ok(scn_text, &r->s);
    struct an_diag d;
    an_diag_init(&d, "run.trace");
    unsigned records = 0;
    for (const char *p = trace_text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
        records += strncmp(p, "ipc ", 4) == 0 || strncmp(p, "auth ", 5) == 0;
    size_t n = strlen(trace_text);
    char *full = malloc(n + 40);
    assert_non_null(full);
    n = (size_t)snprintf(full, n + 40, "%send records=%u\n", trace_text, records);
    enum an_status st = trace_parse("run.trace", full, n, &r->s, &r->t, &d);
    free(full);
    if (st != AN_OK) an_diag_print(&d, stderr);
    assert_int_equal(st, AN_OK);
    r->p = an_policy_lookup(r->t.policy);
    struct analysis_opts o = {.use_z3 = false, .max_list = 0};
    struct an_buf err;
    an_buf_init(&err);
    analysis_init(&r->an, &r->s, &o);
    analysis_set_trace(&r->an, &r->t);
    assert_int_equal(analysis_contracts(&r->an, &o, &err), AN_OK);
    assert_int_equal(analysis_policy(&r->an, r->p, &o, &err), AN_OK);
    an_buf_free(&err);
    assert_non_null(r->an.pol[r->p].obs);
}

static void run_free(struct run *r)
{
    analysis_free(&r->an);
    trace_free(&r->t);
    scn_free(&r->s);
}

/* Attack i's verdict, the trace lines it cites (0-terminated), and text its reason contains. */
static void expect_obs(const struct run *r, uint32_t i, enum scn_verdict v, const uint32_t *lines,
                       const char *reason)
{
    const struct obs_attack *o = &r->an.pol[r->p].obs[i];
    uint32_t n = 0;
    while (lines[n])
        n++;
    bool ok = o->verdict == v && o->ncite == n && (!reason || strstr(o->reason.s, reason));
    for (uint32_t j = 0; ok && j < n; j++)
        ok = r->t.ev[o->cite[j]].line == lines[j];
    if (!ok) {
        fprintf(stderr, "attack %u: %s (%s), note '%s', cited lines:", i,
                scn_verdict_name(o->verdict), o->reason.s, o->note);
        for (uint32_t j = 0; j < o->ncite; j++)
            fprintf(stderr, " %u", r->t.ev[o->cite[j]].line);
        fprintf(stderr, "\n");
        fail();
    }
}

#define LINES(...) ((const uint32_t[]){__VA_ARGS__, 0})
#define HDR(pol)                                                                                   \
    "policy " pol "\ntask 1 root parent 0\ntask 2 server parent 1\ntask 3 owner parent 1\n"        \
    "task 4 evil parent 1\n"
/* trace lines 6.. */
#define EVIL_CALL(t, outcome)                                                                      \
    "ipc t=" t " op=call from=4.6 dest=0x40 to=2.4 label=0x1 outcome=" outcome " status=OK\n"
#define OWNER_DROP(t) "auth t=" t " op=name_drop from=3.5 to=3.0 obj=0x7 arg=0x0 status=E_PERM\n"
#define OWNER_REVOKE(t) "auth t=" t " op=revoke from=3.5 to=4.0 obj=0x40 arg=0x3 status=OK\n"

/* `until revoke owner`: deliveries before the owner's first revoke or name_drop record are
 * allowed (counted, not a success); one after it succeeds; the marker is cited. */
static void test_until_revoke(void **state)
{
    (void)state;
    static const char scn[] = TASKS "attack reach evil -> server until revoke owner\n" EXPECT;
    struct run r;
    run(&r, scn,
        HDR("none") EVIL_CALL("10", "delivered") OWNER_DROP("20") EVIL_CALL("30", "delivered"));
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(7, 8),
               "(until revoke owner: counted from trace line 7 on; 1 success before it, allowed)");
    run_free(&r);
    /* the send waiting at revocation time is cancelled: blocked */
    run(&r, scn,
        HDR("capgate") EVIL_CALL("10", "delivered") OWNER_REVOKE("20") OWNER_DROP("21")
            EVIL_CALL("30", "cancelled"));
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(7, 9), "counted from trace line 7 on; 1 success");
    assert_int_equal(r.an.pol[POL_CAPGATE].observed, VERDICT_BLOCKED);
    run_free(&r);
    /* the owner never revoked: the phase never began */
    run(&r, scn, HDR("none") EVIL_CALL("10", "delivered"));
    expect_obs(&r, 0, VERDICT_INCONCLUSIVE, LINES(0),
               "the phase never began: until revoke owner left no revoke or name_drop record");
    assert_int_equal(r.an.pol[POL_NONE].observed, VERDICT_INCONCLUSIVE);
    run_free(&r);
    /* another task's revocation is not the owner's */
    run(&r, scn,
        HDR("none") "auth t=5 op=name_drop from=4.6 to=4.0 obj=0x7 arg=0x0 status=OK\n" EVIL_CALL(
            "10", "delivered"));
    expect_obs(&r, 0, VERDICT_INCONCLUSIVE, LINES(0), "the phase never began");
    run_free(&r);
}

/* `after death server`: only what follows the server's task_exit counts. */
static void test_after_death(void **state)
{
    (void)state;
    static const char scn[] = TASKS "claim evil name \"svc\"\n"
                                    "attack hijack evil -> owner after death server\n" EXPECT;
#define OWNER_TO_EVIL(t)                                                                           \
    "ipc t=" t " op=call from=3.5 dest=0x9 to=4.6 label=0x1 outcome=delivered status=OK\n"
#define SERVER_EXIT "auth t=20 op=task_exit from=2.4 to=2.0 obj=0x1 arg=0x0 status=OK\n"
    struct run r;
    run(&r, scn, HDR("none") OWNER_TO_EVIL("10") SERVER_EXIT);
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(7),
               "(after death server: counted from trace line 7 on; 1 success before it, allowed)");
    run_free(&r);
    run(&r, scn, HDR("none") SERVER_EXIT OWNER_TO_EVIL("30"));
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(6, 7), "owner's call was delivered to evil");
    run_free(&r);
    /* the owner's retries after the death, refused, are the evidence of a block */
    run(&r, scn,
        HDR("none") SERVER_EXIT
        "ipc t=30 op=call from=3.5 dest=0x5 to=- label=0x0 outcome=denied status=E_NOPARTNER\n");
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(6, 7), "owner's requests in the phase were refused");
    run_free(&r);
    run(&r, scn, HDR("none") OWNER_TO_EVIL("10"));
    expect_obs(&r, 0, VERDICT_INCONCLUSIVE, LINES(0), "left no task_exit record");
    run_free(&r);
}

/* `after rebind evil`: counted from the attacker's first bind of an endpoint (any status);
 * the runtime's probe of ENDPOINT_REDIRECTS is no rebind. */
static void test_after_rebind(void **state)
{
    (void)state;
    static const char scn[] = TASKS "attack hijack evil -> owner after rebind evil\n" EXPECT;
#define PROBE_BIND                                                                                 \
    "auth t=2 op=bind from=4.6 to=4.0 obj=0xffffffffffffffff arg=0x0 status=E_NOTSUP\n"
#define REBIND "auth t=20 op=bind from=4.6 to=4.0 obj=0x40 arg=0x6 status=OK\n"
#define OWNER_CALL_EVIL(t)                                                                         \
    "ipc t=" t " op=call from=3.5 dest=0x40 to=4.6 label=0x77 outcome=delivered status=OK\n"
    struct run r;
    run(&r, scn, HDR("capgate") PROBE_BIND REBIND OWNER_CALL_EVIL("30"));
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(7, 8),
               "(after rebind evil: counted from trace line 7 on)");
    run_free(&r);
    run(&r, scn, HDR("capgate") PROBE_BIND OWNER_CALL_EVIL("30"));
    expect_obs(&r, 0, VERDICT_INCONCLUSIVE, LINES(0), "after rebind evil left no bind record");
    run_free(&r);
}

/* A blocked attack whose attacker and target were both still running when the trace ended
 * (their task_create records, no task_exit) is inconclusive; once either has ended, or where
 * the trace records no lifecycles, blocked stands. A success never becomes inconclusive. */
static void test_inconclusive_at_deadline(void **state)
{
    (void)state;
    static const char scn[] = TASKS "attack reach evil -> server\n" EXPECT;
#define CREATED                                                                                    \
    "auth t=1 op=task_create from=1.1 to=2.0 obj=0x2 arg=0x1 status=OK\n"                          \
    "auth t=2 op=task_create from=1.1 to=4.0 obj=0x4 arg=0x1 status=OK\n"
#define REFUSED "ipc t=10 op=send from=4.6 dest=0x40 to=- label=0x0 outcome=denied status=E_NOCAP\n"
    struct run r;
    run(&r, scn, HDR("capgate") CREATED REFUSED);
    expect_obs(&r, 0, VERDICT_INCONCLUSIVE, LINES(8),
               "but evil and server were still running when the run ended");
    assert_int_equal(r.an.pol[POL_CAPGATE].observed, VERDICT_INCONCLUSIVE);
    run_free(&r);
    run(&r, scn,
        HDR("capgate") CREATED REFUSED
        "auth t=20 op=task_exit from=2.4 to=2.0 obj=0x1 arg=0x0 status=OK\n");
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(8), "no send or call of evil was delivered");
    run_free(&r);
    run(&r, scn,
        HDR("capgate") CREATED REFUSED
        "auth t=20 op=task_exit from=4.6 to=4.0 obj=0x1 arg=0x0 status=OK\n");
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(8), NULL);
    run_free(&r);
    run(&r, scn, HDR("capgate") REFUSED);
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(6), NULL);
    run_free(&r);
    run(&r, scn, HDR("none") CREATED EVIL_CALL("10", "delivered"));
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(8), NULL);
    run_free(&r);
}

/* The deputy: a send of the deputy delivered to the target between the attacker's call to it
 * and its reply succeeds (the target sees the deputy as the sender); before the call or after
 * the reply it is the deputy's own business. */
static void test_deputy(void **state)
{
    (void)state;
    static const char scn[] = TASKS "attack deputy evil via owner -> server\n" EXPECT;
#define EVIL_TO_OWNER "ipc t=10 op=call from=4.6 dest=0x5 to=3.5 label=0x2 outcome=delivered\n"
#define OWNER_TO_SERVER(t)                                                                         \
    "ipc t=" t " op=send from=3.5 dest=0x4 to=2.4 label=0x1 outcome=delivered\n"
#define OWNER_REPLY "ipc t=20 op=reply from=3.5 dest=0x0 to=4.6 label=0x0 outcome=delivered\n"
    struct run r;
    run(&r, scn, HDR("none") EVIL_TO_OWNER OWNER_TO_SERVER("15") OWNER_REPLY);
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(6, 7),
               "owner's send was delivered to server, which sees it as owner's, while owner "
               "served evil's call");
    run_free(&r);
    run(&r, scn,
        HDR("capgate") OWNER_TO_SERVER("5") EVIL_TO_OWNER OWNER_REPLY OWNER_TO_SERVER("25"));
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(7),
               "nothing owner sent reached server while it served a call of evil (1 call served)");
    run_free(&r);
    /* the attacker's own channel to the target makes the deputy's write nothing to judge */
    static const char scn2[] = TASKS "channel c_direct evil -> svc contract rpc\n"
                                     "attack deputy evil via owner -> server\n" EXPECT;
    run(&r, scn2, HDR("none") EVIL_TO_OWNER OWNER_TO_SERVER("15") OWNER_REPLY);
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(6), "nothing owner sent reached server");
    run_free(&r);
}

/* The analyzer's predictions: the deputy by what a name is, revocation by whether the backend
 * takes a delegated right back (ports: a copied send right stays its holder's). */
static void test_predictions(void **state)
{
    (void)state;
    struct scn s;
    load_repo_scenario("scenarios/confused_deputy/confused_deputy.scn", &s);
    struct analysis an;
    struct analysis_opts o = {.use_z3 = false, .max_list = 0};
    struct an_buf err;
    an_buf_init(&err);
    analysis_init(&an, &s, &o);
    assert_int_equal(analysis_contracts(&an, &o, &err), AN_OK);
    for (int p = 0; p < POL_COUNT; p++) {
        assert_int_equal(analysis_policy(&an, (enum an_policy_id)p, &o, &err), AN_OK);
        assert_int_equal(an.pol[p].predicted, s.expect[p]);
    }
    analysis_free(&an);
    scn_free(&s);
    load_repo_scenario("scenarios/revoke_blocked/revoke_blocked.scn", &s);
    analysis_init(&an, &s, &o);
    assert_int_equal(analysis_contracts(&an, &o, &err), AN_OK);
    for (int p = 0; p < POL_COUNT; p++) {
        assert_int_equal(analysis_policy(&an, (enum an_policy_id)p, &o, &err), AN_OK);
        assert_int_equal(an.pol[p].predicted, s.expect[p]);
    }
    assert_non_null(
        strstr(an.pol[POL_PORTS].verdict_why.s, "a copied send right is its holder's own"));
    analysis_free(&an);
    scn_free(&s);
    an_buf_free(&err);
}

/* capgate `bind TASK SERVICE` and ports `receive TASK SERVICE`: whoever may send to the
 * service may then reach TASK (the analyzer's model of a delegated bind or receive right). */
static void test_receiver_additions(void **state)
{
    (void)state;
    static const char base[] =
        "scenario t\nnaming hierarchical\ntask root program root\n"
        "task server program s parent root\ntask client program c parent root\n"
        "task evil program e parent root attacker\nservice svc task server\n" RPC
        "channel c_svc client -> svc contract rpc\n";
    for (int with = 0; with < 2; with++) {
        char text[2048];
        snprintf(text, sizeof(text), "%s%s" EXPECT, base,
                 with
                     ? "policy capgate {\n bind evil svc\n}\npolicy ports {\n receive evil svc\n}\n"
                     : "");
        struct scn s;
        parse_ok(text, &s);
        struct analysis an;
        struct analysis_opts o = {.use_z3 = false, .max_list = 0};
        struct an_buf err;
        an_buf_init(&err);
        analysis_init(&an, &s, &o);
        assert_int_equal(analysis_contracts(&an, &o, &err), AN_OK);
        uint32_t client = scn_task_find(&s, "client"), evil = scn_task_find(&s, "evil");
        for (int p = 0; p < POL_COUNT; p++) {
            if (p != POL_CAPGATE && p != POL_PORTS) continue;
            assert_int_equal(analysis_policy(&an, (enum an_policy_id)p, &o, &err), AN_OK);
            assert_int_equal(bitmat_get(&an.pol[p].perm, client, evil), with);
        }
        analysis_free(&an);
        an_buf_free(&err);
        scn_free(&s);
    }
    /* a wrong argument is an error at its line and column */
    struct scn s;
    struct an_diag d;
    assert_int_equal(
        parse_text("scenario t\ntask a program b\npolicy capgate {\n bind a\n}\n" EXPECT, &s, &d),
        AN_E_SEMANTIC);
    assert_non_null(strstr(d.e[0].msg, "expected 'bind TASK SERVICE' (capgate)"));
    assert_int_equal(d.e[0].line, 4);
    assert_int_equal(d.e[0].col, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_parsed_and_carried),
        cmocka_unit_test(test_phases_parsed),
        cmocka_unit_test(test_time_errors),
        cmocka_unit_test(test_until_revoke),
        cmocka_unit_test(test_after_death),
        cmocka_unit_test(test_after_rebind),
        cmocka_unit_test(test_inconclusive_at_deadline),
        cmocka_unit_test(test_deputy),
        cmocka_unit_test(test_predictions),
        cmocka_unit_test(test_receiver_additions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
