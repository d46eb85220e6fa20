/* SPDX-License-Identifier: MIT */
/* CMocka tests of the observed verdicts: every attack kind, succeeded and blocked, decided from
 * small hand-written traces in the kernel's format, and the trace records each verdict cites. */
#include "an_test.h"

#define EXPECT "expect none=blocked clans=blocked ports=blocked refmon=blocked capgate=blocked\n"
#define RPC                                                                                        \
    "contract rpc {\n in req proto 1\n out resp proto 2\n server {\n  states idle busy\n"          \
    "  initial idle\n  final idle\n  idle: req? -> busy\n  busy: resp! -> idle\n }\n}\n"

struct run {
    struct scn s;
    struct trace t;
    struct analysis an;
    enum an_policy_id p;
};

/* Parses the scenario and the trace (completed with its end line, as the kernel writes it) and
 * analyses the trace's backend. */
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

/* Attack i's verdict, its cited trace lines (0-terminated), and text the reason or the note
 * must contain (NULL: not checked). */
static void expect_obs(const struct run *r, uint32_t i, enum scn_verdict v, const uint32_t *lines,
                       uint32_t more, const char *reason, const char *note)
{
    const struct obs_attack *o = &r->an.pol[r->p].obs[i];
    uint32_t n = 0;
    while (lines[n])
        n++;
    bool ok = o->verdict == v && o->ncite == n && o->more == more;
    for (uint32_t j = 0; ok && j < n; j++)
        ok = r->t.ev[o->cite[j]].line == lines[j];
    ok = ok && (!reason || strstr(o->reason.s, reason));
    ok = ok && (!note || (o->ncite == 0 && strstr(o->note, note)));
    if (!ok) {
        fprintf(stderr, "attack %u: %s (%s), more %u, note '%s', cited lines:", i,
                scn_verdict_name(o->verdict), o->reason.s, o->more, o->note);
        for (uint32_t j = 0; j < o->ncite; j++)
            fprintf(stderr, " %u", r->t.ev[o->cite[j]].line);
        fprintf(stderr, "\n");
        fail();
    }
}

#define LINES(...) ((const uint32_t[]){__VA_ARGS__, 0})
#define NONE ((const uint32_t[]){0})

/* ---- reach ---- */

static const char reach_scn[] = "scenario r\ntask root program root\n"
                                "task victim program victim parent root\n"
                                "task client program client parent root\n"
                                "task prober program prober parent root attacker\n"
                                "service victim_svc task victim name \"victim\"\n" RPC
                                "channel c_victim client -> victim_svc contract rpc\n"
                                "attack reach prober -> victim\n" EXPECT;
#define REACH_HDR(pol)                                                                             \
    "policy " pol "\ntask 1 root parent 0\ntask 2 victim parent 1\ntask 3 client parent 1\n"       \
    "task 4 prober parent 1\n"
#define CLIENT_CALL                                                                                \
    "ipc t=10 op=call from=3.5 dest=0x6 to=2.6 label=0x5 proto=0x1 words=1 items=0 "               \
    "outcome=delivered status=OK\n"

/* A send of the attacker delivered to the target succeeds, directly or forwarded by a chief
 * in its name; the declared client's call is not cited. */
static void test_reach_succeeded(void **state)
{
    (void)state;
    struct run r;
    run(&r, reach_scn,
        REACH_HDR("none") CLIENT_CALL
        "ipc t=20 op=send from=4.7 dest=0x6 to=2.6 label=0x7 words=1 items=0 outcome=delivered "
        "status=OK\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(7), 0, "prober's send was delivered to victim",
               NULL);
    assert_int_equal(r.an.pol[POL_NONE].observed, VERDICT_SUCCEEDED);
    run_free(&r);
    run(&r, reach_scn,
        REACH_HDR("clans") "ipc t=20 op=send from=4.7 dest=0x6 to=1.2 label=0x0 outcome=redirected "
                           "status=OK\n"
                           "ipc t=21 op=send from=1.2 dest=0x6 to=2.6 label=0x7 orig=4.7 "
                           "outcome=delivered status=OK\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(7), 0, NULL, NULL);
    run_free(&r);
}

/* Refused and timed-out attempts at the target (or at no thread) are cited; attempts at
 * another task are not; no attempt at all is said so. */
static void test_reach_blocked(void **state)
{
    (void)state;
    struct run r;
    run(&r, reach_scn,
        REACH_HDR("capgate") CLIENT_CALL
        "ipc t=20 op=send from=4.7 dest=0x6 to=- label=0x0 outcome=denied status=E_NOENT\n"
        "ipc t=30 op=call from=4.7 dest=0x2 to=2.6 label=0x0 outcome=timeout "
        "status=E_SEND_TIMEOUT\n"
        "ipc t=40 op=send from=4.7 dest=0x1 to=3.5 label=0x0 outcome=denied status=E_DENIED\n");
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(7, 8), 0, "no send or call of prober", NULL);
    assert_int_equal(r.an.pol[POL_CAPGATE].observed, VERDICT_BLOCKED);
    run_free(&r);
    run(&r, reach_scn, REACH_HDR("capgate") CLIENT_CALL);
    expect_obs(&r, 0, VERDICT_BLOCKED, NONE, 0, NULL, "no attempt by prober in the trace");
    run_free(&r);
}

/* ---- probe ---- */

static const char probe_scn[] =
    "scenario p\ntask root program root\n"
    "task server program server parent root\n"
    "task client program client parent root\n"
    "task prober program prober parent root attacker\n"
    "service svc task server name \"svc\"\n" RPC "channel c_svc client -> svc contract rpc\n"
    "attack probe prober\n" EXPECT;
#define PROBE_HDR(pol)                                                                             \
    "policy " pol "\ntask 1 root parent 0\ntask 2 server parent 1\ntask 3 client parent 1\n"       \
    "task 4 prober parent 1\n"
#define LOADER_CALL "ipc t=5 op=call from=4.7 dest=0x2 to=1.2 label=0x7 outcome=delivered\n"
#define DENIED(t) "ipc t=" t " op=send from=4.7 dest=0x" t " to=- label=0x0 outcome=denied\n"

/* A guess the kernel resolves to a thread of an undeclared task succeeds even if it then
 * times out; the call to the loader (its creator) does not count; a redirect to the chief does. */
static void test_probe_succeeded(void **state)
{
    (void)state;
    struct run r;
    run(&r, probe_scn,
        PROBE_HDR("none") LOADER_CALL DENIED(
            "9") "ipc t=20 op=send from=4.7 dest=0x6 to=2.6 label=0x7 outcome=timeout "
                 "status=E_SEND_TIMEOUT\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(8), 0,
               "resolved prober's send to a thread of server (outcome timeout)", NULL);
    run_free(&r);
    run(&r, probe_scn,
        PROBE_HDR("clans") LOADER_CALL
        "ipc t=20 op=send from=4.7 dest=0x6 to=1.2 label=0x0 outcome=redirected status=OK\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(7), 0, "outcome redirected", NULL);
    run_free(&r);
}

/* Every guess refused at the name: blocked, five cited and the rest counted. */
static void test_probe_blocked(void **state)
{
    (void)state;
    struct run r;
    run(&r, probe_scn,
        PROBE_HDR("capgate") LOADER_CALL DENIED("1") DENIED("2") DENIED("3") DENIED("4") DENIED("5")
            DENIED("6") DENIED("7"));
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(7, 8, 9, 10, 11), 2, "refused at the name", NULL);
    run_free(&r);
    run(&r, probe_scn, PROBE_HDR("capgate") LOADER_CALL);
    /* nothing refused: the prober's one message (its setup call, line 6) is what is cited */
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(6), 0,
               "none of prober's 1 message was refused, and none was decisive", NULL);
    run_free(&r);
}

/* ---- enumerate ---- */

static const char enum_scn[] = "scenario e\ntask root program root\n"
                               "task fs program fileserver parent root\n"
                               "task keystore program keystore parent root\n"
                               "task evil program lister parent root attacker\n"
                               "service fs_svc task fs name \"fs\"\n"
                               "service key_svc task keystore name \"keys\"\n" RPC
                               "channel c_evil evil -> name \"fs\" contract rpc\n"
                               "attack enumerate evil\n" EXPECT;
#define ENUM_HDR(pol)                                                                              \
    "policy " pol "\ntask 1 root parent 0\ntask 2 fs parent 1\ntask 3 keystore parent 1\n"         \
    "task 4 evil parent 1\ntask 5 nameserv parent 1\n"                                             \
    "ipc t=5 op=call from=4.6 dest=0x5 to=5.8 label=0x6 proto=0x4e03 outcome=delivered\n"          \
    "ipc t=6 op=call from=4.6 dest=0x2 to=2.4 label=0x6 proto=0x1 outcome=delivered\n"

/* After listing the names, a ping delivered to the keystore (never given) succeeds; the name
 * server and the declared fs are not targets. */
static void test_enumerate_succeeded(void **state)
{
    (void)state;
    struct run r;
    run(&r, enum_scn,
        ENUM_HDR("none") "ipc t=7 op=send from=4.6 dest=0x3 to=3.5 label=0x6 outcome=delivered\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(9), 0,
               "delivered to keystore, which provides key_svc", NULL);
    run_free(&r);
}

static void test_enumerate_blocked(void **state)
{
    (void)state;
    struct run r;
    run(&r, enum_scn,
        ENUM_HDR("capgate") "ipc t=7 op=send from=4.6 dest=0x9 to=- label=0x0 outcome=denied\n");
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(9), 0, "evil delivered nothing", NULL);
    run_free(&r);
}

/* ---- spoof ---- */

static const char spoof_scn[] = "scenario s\ntask root program root\n"
                                "task bank program bank parent root\n"
                                "task teller program teller parent root\n"
                                "task evil program spoofer parent root attacker\n"
                                "service bank_svc task bank name \"bank\"\n" RPC
                                "channel c_teller teller -> bank_svc contract rpc label 0x10\n"
                                "channel c_evil evil -> bank_svc contract rpc label 0x20\n"
                                "attack spoof evil as c_teller\n" EXPECT;
#define SPOOF_HDR(pol)                                                                             \
    "policy " pol "\ntask 1 root parent 0\ntask 2 bank parent 1\ntask 3 teller parent 1\n"         \
    "task 4 evil parent 1\n"

/* A delivery with the label the bank saw on the teller's messages succeeds and cites both;
 * without teller traffic, capgate's declared label and none's thread ids stand in. */
static void test_spoof_succeeded(void **state)
{
    (void)state;
    struct run r;
    run(&r, spoof_scn,
        SPOOF_HDR(
            "ports") "ipc t=1 op=call from=3.5 dest=0x3 to=2.4 label=0x3 outcome=delivered\n"
                     "ipc t=2 op=call from=4.6 dest=0x3 to=2.4 label=0x3 outcome=delivered\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(6, 7), 0, "bank cannot tell evil from teller", NULL);
    run_free(&r);
    run(&r, spoof_scn,
        SPOOF_HDR("capgate") "ipc t=2 op=call from=4.6 dest=0x3 to=2.4 label=0x10 "
                             "outcome=delivered\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(6), 0, "declared gate label", NULL);
    run_free(&r);
    run(&r, spoof_scn,
        SPOOF_HDR("none") "ipc t=1 op=wait from=3.5 dest=0x0 to=- label=0x0 outcome=blocked "
                          "status=OK\n"
                          "ipc t=2 op=send from=4.6 dest=0x5 to=2.4 label=0x5 outcome=delivered\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(6, 7), 0, "thread id", NULL);
    run_free(&r);
}

/* The attacker's own label is not the teller's: blocked, citing its delivery. */
static void test_spoof_blocked(void **state)
{
    (void)state;
    struct run r;
    run(&r, spoof_scn,
        SPOOF_HDR("capgate") "ipc t=1 op=call from=3.5 dest=0x3 to=2.4 label=0x10 "
                             "outcome=delivered\n"
                             "ipc t=2 op=call from=4.6 dest=0x3 to=2.4 label=0x20 "
                             "outcome=delivered\n");
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(7), 0, "(0x10; observed on its messages)", NULL);
    run_free(&r);
    run(&r, spoof_scn, SPOOF_HDR("ports"));
    expect_obs(&r, 0, VERDICT_BLOCKED, NONE, 0, "none known", "no attempt by evil");
    run_free(&r);
}

/* ---- dos ---- */

static const char dos_scn[] = "scenario d\ntask root program root\n"
                              "task producer program producer parent root\n"
                              "task consumer program evil_consumer parent root attacker\n"
                              "service ring task consumer name \"ring\"\n" RPC
                              "channel c_ring producer -> ring contract rpc\n"
                              "attack dos consumer -> producer\n" EXPECT;
#define DOS_HDR(pol)                                                                               \
    "policy " pol "\ntask 1 root parent 0\ntask 2 producer parent 1\ntask 3 consumer parent 1\n"   \
    "ipc t=1 op=send from=2.3 dest=0x4 to=3.4 label=0x3 outcome=delivered status=OK\n"

/* At power-off the producer still waits in a send to the consumer (resolved, or to a gate). */
static void test_dos_succeeded(void **state)
{
    (void)state;
    struct run r;
    run(&r, dos_scn,
        DOS_HDR("none") "ipc t=9 op=send from=2.3 dest=0x4 to=3.4 label=0x3 proto=0x1 words=0 "
                        "items=0 outcome=blocked status=OK\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(6), 0,
               "producer was still blocked in a send to consumer", NULL);
    run_free(&r);
    run(&r, dos_scn,
        DOS_HDR("capgate") "ipc t=9 op=send from=2.3 dest=0x2 to=- label=0x1 outcome=blocked "
                           "status=OK\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(6), 0, NULL, NULL);
    run_free(&r);
    /* kernel memory exhausted: the producer's send refused for lack of it (ports' queues) */
    run(&r, dos_scn,
        DOS_HDR("ports") "ipc t=9 op=send from=2.3 dest=0x2 to=- label=0x0 outcome=denied "
                         "status=E_NOMEM\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(6), 0,
               "producer's send was refused: the kernel was out of memory", NULL);
    run_free(&r);
}

/* An open wait still pending is a server's idle state, not a DoS; nor is another task's. */
static void test_dos_blocked(void **state)
{
    (void)state;
    struct run r;
    run(&r, dos_scn,
        DOS_HDR("none") "ipc t=9 op=wait from=2.3 dest=0x0 to=- label=0x0 outcome=blocked "
                        "status=OK\n"
                        "ipc t=9 op=send from=1.2 dest=0x4 to=3.4 label=0x0 outcome=blocked\n");
    /* the evidence: the producer's send to the consumer went through (trace line 5) */
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(5), 0,
               "no IPC of producer with consumer was still pending", NULL);
    run_free(&r);
    /* nothing of the producer's reached the consumer: the consumer's attempts are cited */
    run(&r, dos_scn,
        "policy none\ntask 1 root parent 0\ntask 2 producer parent 1\ntask 3 consumer parent 1\n"
        "ipc t=9 op=wait from=2.3 dest=0x0 to=- label=0x0 outcome=blocked status=OK\n");
    expect_obs(&r, 0, VERDICT_BLOCKED, NONE, 0, "no IPC of producer with consumer",
               "no attempt by consumer in the trace");
    run_free(&r);
}

/* ---- late_reply and third_reply ---- */

static const char reply_scn[] = "scenario rm\ntask root program root\n"
                                "task client program client parent root\n"
                                "task good program server parent root\n"
                                "task slow program late_server parent root attacker\n"
                                "task evil program replier parent root attacker\n"
                                "service good_svc task good name \"good\"\n"
                                "service slow_svc task slow name \"slow\"\n" RPC
                                "channel c_good client -> good_svc contract rpc\n"
                                "channel c_slow client -> slow_svc contract rpc\n"
                                "attack late_reply slow -> client\n"
                                "attack third_reply evil -> client\n" EXPECT;
#define REPLY_HDR(pol)                                                                             \
    "policy " pol "\ntask 1 root parent 0\ntask 2 client parent 1\ntask 3 good parent 1\n"         \
    "task 4 slow parent 1\ntask 5 evil parent 1\n"                                                 \
    "ipc t=1 op=call from=2.3 dest=0x2 to=4.5 label=0x2 proto=0x1 outcome=delivered\n"             \
    "ipc t=2 op=wait from=2.3 dest=0x0 to=4.5 label=0x0 outcome=timeout status=E_RECV_TIMEOUT\n"   \
    "ipc t=3 op=call from=2.3 dest=0x1 to=3.4 label=0x1 proto=0x1 outcome=delivered\n"

/* Mach-like: the late reply lands after the client gave up (cites call, timeout, reply); the
 * third party's reply lands while the client waits for good (cites the call and the reply). */
static void test_replies_succeeded(void **state)
{
    (void)state;
    struct run r;
    run(&r, reply_scn,
        REPLY_HDR("ports") "ipc t=4 op=reply from=5.6 dest=0x0 to=2.3 label=0x0 proto=0x2 "
                           "outcome=delivered\n"
                           "ipc t=5 op=reply from=4.5 dest=0x0 to=2.3 label=0x0 proto=0x2 "
                           "outcome=delivered\n"
                           "ipc t=6 op=reply from=3.4 dest=0x0 to=2.3 label=0x0 proto=0x2 "
                           "outcome=delivered\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(7, 8, 11), 0,
               "slow's reply was delivered to client after client had given up", NULL);
    expect_obs(&r, 1, VERDICT_SUCCEEDED, LINES(9, 10), 0,
               "evil's reply was delivered to client while client waited for the answer to its "
               "call to good",
               NULL);
    assert_int_equal(r.an.pol[POL_PORTS].observed, VERDICT_SUCCEEDED);
    run_free(&r);
}

/* capgate: both replies are refused (no reply capability): blocked, citing the refusals. */
static void test_replies_blocked(void **state)
{
    (void)state;
    struct run r;
    run(&r, reply_scn,
        REPLY_HDR("capgate") "ipc t=4 op=reply_wait from=5.6 dest=0x0 to=- label=0x0 "
                             "outcome=denied status=E_NOREPLY\n"
                             "ipc t=5 op=reply from=4.5 dest=0x0 to=- label=0x0 outcome=denied "
                             "status=E_NOREPLY\n"
                             "ipc t=6 op=reply from=3.4 dest=0x0 to=2.3 label=0x0 proto=0x2 "
                             "outcome=delivered\n");
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(8, 11), 0, "later replies were refused", NULL);
    expect_obs(&r, 1, VERDICT_BLOCKED, LINES(10), 0, "no message of evil reached client", NULL);
    assert_int_equal(r.an.pol[POL_CAPGATE].observed, VERDICT_BLOCKED);
    run_free(&r);
    /* answered in time: not late; the third party never tried */
    run(&r, reply_scn,
        "policy ports\ntask 2 client\ntask 4 slow\n"
        "ipc t=1 op=call from=2.3 dest=0x2 to=4.5 label=0x2 outcome=delivered\n"
        "ipc t=2 op=reply from=4.5 dest=0x0 to=2.3 label=0x0 outcome=delivered\n");
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(5), 0, "client never gave up a call to slow", NULL);
    expect_obs(&r, 1, VERDICT_BLOCKED, NONE, 0, NULL, "no attempt by evil in the trace");
    run_free(&r);
}

/* ---- hijack ---- */

static const char hijack_scn[] =
    "scenario h\nnaming flat\ntask root program root\n"
    "task fs program fileserver parent root\n"
    "task client program client parent root\n"
    "task evil program squatter parent root attacker\n"
    "service fs_svc task fs name \"fs\"\n"
    "claim evil name \"fs\"\n" RPC "channel c_fs client -> name \"fs\" contract rpc\n"
    "attack hijack evil -> client\n" EXPECT;
#define HIJACK_HDR(pol)                                                                            \
    "policy " pol "\ntask 1 root parent 0\ntask 2 fs parent 1\ntask 3 client parent 1\n"           \
    "task 4 evil parent 1\ntask 5 nameserv parent 1\n"                                             \
    "ipc t=1 op=call from=4.6 dest=0x5 to=5.8 label=0x0 proto=0x4e01 outcome=delivered\n"          \
    "ipc t=2 op=call from=3.5 dest=0x5 to=5.8 label=0x0 proto=0x4e02 outcome=delivered\n"

static void test_hijack(void **state)
{
    (void)state;
    struct run r;
    run(&r, hijack_scn,
        HIJACK_HDR("none") "ipc t=3 op=call from=3.5 dest=0x4 to=4.6 label=0x5 proto=0x1 "
                           "outcome=delivered\n");
    expect_obs(&r, 0, VERDICT_SUCCEEDED, LINES(9), 0, "client's call was delivered to evil", NULL);
    run_free(&r);
    run(&r, hijack_scn,
        HIJACK_HDR("refmon") "ipc t=3 op=call from=3.5 dest=0x2 to=2.4 label=0x5 proto=0x1 "
                             "outcome=delivered\n");
    /* the client's call reached the real file server (line 9) */
    expect_obs(&r, 0, VERDICT_BLOCKED, LINES(9), 0,
               "client's requests reached its declared partners", NULL);
    run_free(&r);
}

/* `blocked` is a trace outcome, and each record keeps its text for citing. */
static void test_blocked_outcome_and_text(void **state)
{
    (void)state;
    struct run r;
    run(&r, dos_scn,
        "policy none\r\ntask 2 producer\r\n"
        "ipc t=9 op=call from=2.3 dest=0x4 to=3.4 label=0x3 outcome=blocked status=OK  \r\n");
    assert_int_equal(r.t.ev[0].outcome, TOUT_BLOCKED);
    assert_int_equal(r.t.ev[0].line, 3);
    assert_int_equal(r.t.ev[0].text_len,
                     strlen("ipc t=9 op=call from=2.3 dest=0x4 to=3.4 label=0x3 outcome=blocked "
                            "status=OK"));
    assert_memory_equal(r.t.ev[0].text, "ipc t=9 op=call", 15);
    run_free(&r);
}

static int ipcan(const char *args, struct an_buf *out)
{
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s 2>&1", SRC_ROOT, IPCAN_BIN, args);
    an_buf_clear(out);
    return run_sh(cmd, out);
}

/* The report shows each attack's observed verdict with its evidence, in text and JSON. */
static void test_report_evidence(void **state)
{
    (void)state;
    struct an_buf o;
    an_buf_init(&o);
    const char *tr = "-t tests/analyzer/traces/unauth_send-capgate.trace unauth_send";
    char args[512];
    snprintf(args, sizeof(args), "report --no-z3 -p capgate %s", tr);
    ipcan(args, &o);
    assert_non_null(strstr(o.s, "expected blocked, predicted blocked, observed blocked\n"));
    assert_non_null(strstr(o.s, "  observed in the trace:\n"
                                "    reach prober -> victim: blocked: no send or call of prober "
                                "was delivered to victim\n"
                                "      evidence:\n"
                                "        trace line 15: ipc t=2000 op=send from=6.7 dest=0x3 to=- "
                                "label=0x0 words=1 items=0 outcome=denied status=E_NOENT\n"
                                "        trace line 16: ipc t=2100 op=call from=6.7 dest=0x9 to=- "
                                "label=0x0 words=1 items=0 outcome=denied status=E_NOENT\n"));
    snprintf(args, sizeof(args), "report --json --no-z3 -p capgate %s", tr);
    ipcan(args, &o);
    assert_non_null(strstr(o.s, "\"observed_attacks\": [{\"attack\": \"reach\", \"attacker\": "
                                "\"prober\", \"target\": \"victim\", \"as\": null, \"verdict\": "
                                "\"blocked\""));
    assert_non_null(strstr(o.s, "\"evidence\": [{\"line\": 15, \"text\": \"ipc t=2000 op=send "
                                "from=6.7 dest=0x3 to=- label=0x0 words=1 items=0 outcome=denied "
                                "status=E_NOENT\"}, {\"line\": 16, "));
    assert_non_null(strstr(o.s, "\"more_evidence\": 0, \"evidence_note\": null}]"));
    /* the same records in one policy-level list, for scripts/attack_verdict.py */
    assert_non_null(strstr(o.s, "\"evidence\": [{\"attack\": \"reach prober -> victim\", "
                                "\"verdict\": \"blocked\", \"line\": 15, \"text\": \"ipc "
                                "t=2000 op=send"));
    char cmd[8192];
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && '%s' report --json --no-z3 -p capgate %s | python3 -c 'import json,sys; "
             "json.load(sys.stdin)'",
             SRC_ROOT, IPCAN_BIN, tr);
    assert_int_equal(run_sh(cmd, &o), 0); /* well-formed JSON */
    snprintf(args, sizeof(args), "report --json --no-z3 -p none %s", tr);
    ipcan(args, &o); /* a trace of another backend: nothing observed */
    assert_non_null(strstr(o.s, "\"observed_attacks\": null"));
    an_buf_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reach_succeeded),
        cmocka_unit_test(test_reach_blocked),
        cmocka_unit_test(test_probe_succeeded),
        cmocka_unit_test(test_probe_blocked),
        cmocka_unit_test(test_enumerate_succeeded),
        cmocka_unit_test(test_enumerate_blocked),
        cmocka_unit_test(test_spoof_succeeded),
        cmocka_unit_test(test_spoof_blocked),
        cmocka_unit_test(test_dos_succeeded),
        cmocka_unit_test(test_dos_blocked),
        cmocka_unit_test(test_replies_succeeded),
        cmocka_unit_test(test_replies_blocked),
        cmocka_unit_test(test_hijack),
        cmocka_unit_test(test_blocked_outcome_and_text),
        cmocka_unit_test(test_report_evidence),
    };
    return cmocka_run_group_tests_name("analyzer_observe", tests, NULL, NULL);
}
