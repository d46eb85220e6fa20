/* SPDX-License-Identifier: MIT */
/* CMocka tests of the trace reader and of comparing a run with the declaration: violations,
 * observed-but-not-permitted, contract conformance and the run's verdict. */
#include "an_test.h"
#include "fuzz_entry.h"
#include <dirent.h>

/* unauth_send's tasks as the kernel numbers them; the prober's message reaches the victim. */
static const char run_none[] =
    "# ipcsec ipc trace v1\n"
    "scenario unauth_send\n"
    "policy none\n"
    "task 1 root parent 0\n"
    "task 2 victim parent 3\n"
    "task 3 vmgr parent 1\n"
    "task 4 prober parent 1\n"
    "task 5 client parent 1\n"
    "task 6 pagerd parent 1\n"
    "ipc t=100 op=call from=5.6 dest=0x2 to=2.3 label=0x1 proto=0x1 words=1 items=0 "
    "outcome=delivered status=OK\n"
    "ipc t=150 op=reply from=2.3 dest=0x0 to=5.6 label=0x2 proto=0x2 outcome=delivered status=OK\n"
    "ipc t=200 op=send from=4.5 dest=0x3 to=2.3 label=0x5 words=1 items=0 outcome=delivered "
    "status=OK\n"
    "ipc t=210 op=send from=4.5 dest=0x9 to=- label=0x0 outcome=denied status=E_WRONGTYPE\n"
    "ipc t=300 op=fault from=5.6 dest=0x0 to=6.7 label=0x0 outcome=delivered status=OK\n"
    "end records=5\n";

static void analyse(const char *trace_text, enum an_policy_id p, struct scn *s, struct trace *t,
                    struct analysis *an)
{
    load_repo_scenario("scenarios/unauth_send/unauth_send.scn", s);
    struct an_diag d;
    an_diag_init(&d, "run.trace");
    enum an_status st = trace_parse("run.trace", trace_text, strlen(trace_text), s, t, &d);
    if (st != AN_OK) an_diag_print(&d, stderr);
    assert_int_equal(st, AN_OK);
    struct analysis_opts o = {.use_z3 = false, .max_list = 0};
    struct an_buf err;
    an_buf_init(&err);
    analysis_init(an, s, &o);
    analysis_set_trace(an, t);
    assert_int_equal(analysis_contracts(an, &o, &err), AN_OK);
    assert_int_equal(analysis_policy(an, p, &o, &err), AN_OK);
    an_buf_free(&err);
}

static unsigned count(const struct analysis *an, enum fd_kind k)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < an->nf; i++)
        n += an->f[i].kind == k;
    return n;
}

static const struct finding *first(const struct analysis *an, enum fd_kind k)
{
    for (uint32_t i = 0; i < an->nf; i++)
        if (an->f[i].kind == k) return &an->f[i];
    return NULL;
}

/* The kernel's own line format is read field by field, and ids map to declared tasks. */
static void test_parse_kernel_format(void **state)
{
    (void)state;
    struct scn s;
    struct trace t;
    struct analysis an;
    analyse(run_none, POL_NONE, &s, &t, &an);
    assert_string_equal(t.policy, "none");
    assert_int_equal(t.nev, 5);
    const struct tr_event *e = &t.ev[2];
    assert_int_equal(e->time, 200);
    assert_int_equal(e->op, TOP_SEND);
    assert_int_equal(e->from, scn_task_find(&s, "prober"));
    assert_int_equal(e->to, scn_task_find(&s, "victim"));
    assert_int_equal(e->dest, 3);
    assert_int_equal(e->label, 5);
    assert_int_equal(e->proto, -1);
    assert_int_equal(t.ev[3].outcome, TOUT_DENIED);
    assert_false(t.ev[3].has_to);
    assert_int_equal(t.ev[4].to, SCN_NONE); /* pagerd is not declared */
    analysis_free(&an);
    trace_free(&t);
    scn_free(&s);
}

/* A task that merely carries a declared name is not the declared task: the prober starts its
 * own "client" (kernel parent 4, the prober), whose message maps to no declared task. */
static void test_impostor_by_name(void **state)
{
    (void)state;
    static const char impostor[] = "policy none\n"
                                   "task 1 root parent 0\n"
                                   "task 3 vmgr parent 1\n"
                                   "task 2 victim parent 3\n"
                                   "task 4 prober parent 1\n"
                                   "task 7 client parent 4\n"
                                   "ipc t=100 op=send from=7.8 dest=0x3 to=2.3 label=0x8 "
                                   "outcome=delivered status=OK\n";
    struct scn s;
    struct trace t;
    struct analysis an;
    analyse(impostor, POL_NONE, &s, &t, &an);
    assert_int_equal(t.ev[0].from, SCN_NONE);
    assert_int_equal(t.ev[0].to, scn_task_find(&s, "victim"));
    assert_int_equal(t.tasks[2].task, scn_task_find(&s, "victim")); /* created by its parent */
    analysis_free(&an);
    trace_free(&t);
    scn_free(&s);
}

/* Under none: the prober's delivery is a violation and the run's verdict is "succeeded",
 * as expected; the declared call and its reply are not violations. */
static void test_violation_under_none(void **state)
{
    (void)state;
    struct scn s;
    struct trace t;
    struct analysis an;
    analyse(run_none, POL_NONE, &s, &t, &an);
    assert_int_equal(count(&an, FD_VIOLATION), 1);
    const struct finding *f = first(&an, FD_VIOLATION);
    assert_int_equal(f->a, scn_task_find(&s, "prober"));
    assert_int_equal(f->line, 12);
    assert_int_equal(count(&an, FD_UNSOUND), 0); /* none permits it */
    assert_int_equal(an.pol[POL_NONE].observed, VERDICT_SUCCEEDED);
    assert_int_equal(count(&an, FD_VERDICT_RUN), 0);
    assert_int_equal(count(&an, FD_CONFORMANCE), 0); /* req then resp follows rpc */
    analysis_free(&an);
    trace_free(&t);
    scn_free(&s);
}

/* The same run claimed for capgate: the delivery is one the setup forbids, and the run's
 * verdict contradicts the expected "blocked". */
static void test_unsound_under_capgate(void **state)
{
    (void)state;
    struct an_buf b;
    an_buf_init(&b);
    const char *p = strstr(run_none, "policy none\n");
    an_buf_addn(&b, run_none, (size_t)(p - run_none));
    an_buf_add(&b, "policy capgate\n");
    an_buf_add(&b, p + strlen("policy none\n"));
    struct scn s;
    struct trace t;
    struct analysis an;
    analyse(b.s, POL_CAPGATE, &s, &t, &an);
    assert_int_equal(count(&an, FD_UNSOUND), 1);
    assert_int_equal(count(&an, FD_VERDICT_RUN), 1);
    assert_int_equal(an.pol[POL_CAPGATE].observed, VERDICT_SUCCEEDED);
    analysis_free(&an);
    trace_free(&t);
    scn_free(&s);
    an_buf_free(&b);
}

/* Two answers in a row break the rpc contract at the second one. */
static void test_conformance(void **state)
{
    (void)state;
    struct an_buf b;
    an_buf_init(&b);
    an_buf_add(&b,
               "policy none\ntask 2 victim\ntask 5 client\n"
               "ipc t=1 op=call from=5.6 dest=0x2 to=2.3 label=0x1 proto=1 outcome=delivered\n"
               "ipc t=2 op=reply from=2.3 dest=0x0 to=5.6 label=0x2 proto=2 outcome=delivered\n"
               "ipc t=3 op=reply from=2.3 dest=0x0 to=5.6 label=0x2 proto=2 outcome=delivered\n");
    struct scn s;
    struct trace t;
    struct analysis an;
    analyse(b.s, POL_NONE, &s, &t, &an);
    assert_int_equal(count(&an, FD_CONFORMANCE), 1);
    const struct finding *f = first(&an, FD_CONFORMANCE);
    assert_int_equal(f->line, 6);
    assert_non_null(
        strstr(f->text, "'resp' (server to client) arrived while the server was in state 'idle'"));
    analysis_free(&an);
    trace_free(&t);
    scn_free(&s);
    an_buf_free(&b);
}

struct bad_trace {
    const char *text;
    uint32_t line, col;
    const char *msg;
};

/* Malformed traces give line:column and what was expected. */
static void test_bad_traces(void **state)
{
    (void)state;
    static const struct bad_trace cases[] = {
        {"policy none\nipc t=1 op=jump from=1.1 dest=0 to=- label=0 outcome=denied\n", 2, 12,
         "expected an operation"},
        {"policy none\nipc t=1 op=send from=1 dest=0 to=- label=0 outcome=denied\n", 2, 22,
         "TASK.THREAD"},
        {"policy none\nipc t=1 op=send from=1.1 dest=0 to=- outcome=denied\n", 2, 1,
         "lacks the key 'label='"},
        {"policy none\nipc t=x op=send from=1.1 dest=0 to=- label=0 outcome=denied\n", 2, 7,
         "a number"},
        {"policy none\nipc t=1 t=2\n", 2, 9, "given twice"},
        {"policy nope\n", 1, 8, "unknown policy 'nope'"},
        {"task 1 a\n", 0, 0, "no 'policy NAME' header"},
        {"policy none\nscenario other\n", 0, 0, "not 'unauth_send'"},
        {"policy none\nhello\n", 2, 1, "expected a line starting with"},
        {"policy none\ntask 1 a\ntask 1 b\n", 3, 6, "named twice"},
        {"policy none\npolicy none\n", 2, 1, "a second 'policy' line (the first is line 1)"},
        {"policy none\ntask 1 a\npolicy capgate\n", 3, 8,
         "'policy capgate' contradicts 'policy none' of line 1"},
        {"task 1 a\nend records=0\n", 0, 0, "no 'policy NAME' header"},
        {"policy none\nipc t=1 op=send from=1.1 dest=0 to=- label=0 outcome=denied "
         "status=out of memory\n",
         2, 68, "expected one status name"},
        {"policy none\nauth t=1 op=send from=1.1 to=- obj=0 arg=0 status=OK\n", 2, 13,
         "an authority operation"},
        {"policy none\nauth t=1 op=bind from=1.1 to=- obj=0 status=OK\n", 2, 1,
         "lacks the key 'arg='"},
        {"policy none\nend records=0\nipc t=1 op=send from=1.1 dest=0 to=- label=0 "
         "outcome=denied status=OK\n",
         3, 1, "a record after the end of the trace (line 2)"},
        {"policy none\nend 3\n", 2, 1, "expected 'end records=N'"},
    };
    struct scn s;
    load_repo_scenario("scenarios/unauth_send/unauth_send.scn", &s);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct trace t;
        struct an_diag d;
        an_diag_init(&d, "bad.trace");
        enum an_status st =
            trace_parse("bad.trace", cases[i].text, strlen(cases[i].text), &s, &t, &d);
        if (st == AN_OK || !d.count || d.e[0].line != cases[i].line || d.e[0].col != cases[i].col ||
            !strstr(d.e[0].msg, cases[i].msg)) {
            fprintf(stderr, "case %zu: wanted %u:%u %s\n", i, cases[i].line, cases[i].col,
                    cases[i].msg);
            an_diag_print(&d, stderr);
            fail();
        }
    }
    scn_free(&s);
}

/* The unauth_send run under none in which the prober's delivery (line 6) is followed by the
 * given tail: what the kernel wrote last. */
static enum scn_verdict verdict_with_tail(const char *tail, char *loss, size_t loss_len)
{
    char text[1024];
    snprintf(text, sizeof(text),
             "# ipcsec ipc trace v2\npolicy none\ntask 1 root parent 0\ntask 2 vmgr parent 1\n"
             "task 3 victim parent 2\n"
             "ipc t=2 op=send from=5.6 dest=0x4 to=3.4 label=0x6 outcome=delivered status=OK\n"
             "task 5 prober parent 1\n"
             "auth t=3 op=task_exit from=5.6 to=5.0 obj=0x1 arg=0x0 status=OK\n%s",
             tail);
    struct scn s;
    struct trace t;
    struct analysis an;
    analyse(text, POL_NONE, &s, &t, &an);
    enum scn_verdict v = an.pol[POL_NONE].observed;
    snprintf(loss, loss_len, "%s", t.loss);
    for (uint32_t i = 0; i < s.nattacks; i++)
        assert_int_equal(an.pol[POL_NONE].obs[i].verdict, v);
    analysis_free(&an);
    trace_free(&t);
    scn_free(&s);
    return v;
}

/* A trace that reports or shows any loss decides nothing: every verdict is 'incomplete' (even
 * though the records it has show a success), and the report says why. Only a trace that ends
 * with a matching end line is judged. */
static void test_lossy_trace_is_incomplete(void **state)
{
    (void)state;
    char loss[200];
    assert_int_equal(verdict_with_tail("end records=2\n", loss, sizeof(loss)), VERDICT_SUCCEEDED);
    assert_string_equal(loss, "");
    assert_int_equal(verdict_with_tail("", loss, sizeof(loss)), VERDICT_INCOMPLETE);
    assert_non_null(strstr(loss, "no end line"));
    assert_int_equal(verdict_with_tail("# 8192 oldest ipc records dropped (ring of 8192)\n"
                                       "end records=2\n",
                                       loss, sizeof(loss)),
                     VERDICT_INCOMPLETE);
    assert_non_null(strstr(loss, "line 9 reports lost records"));
    assert_int_equal(verdict_with_tail("end records=9\n", loss, sizeof(loss)), VERDICT_INCOMPLETE);
    assert_non_null(strstr(loss, "counts 9 records, but 2 precede it"));
    /* cut off in the middle of a record, and in the middle of the end line */
    assert_int_equal(verdict_with_tail("ipc t=4 op=se", loss, sizeof(loss)), VERDICT_INCOMPLETE);
    assert_non_null(strstr(loss, "last line (9) is cut off"));
    assert_int_equal(verdict_with_tail("end records=2", loss, sizeof(loss)), VERDICT_INCOMPLETE);
}

/* The authority records are events that can be cited: op, from, to, obj, arg, status. */
static void test_auth_records(void **state)
{
    (void)state;
    static const char text[] =
        "policy capgate\ntask 1 root parent 0\n"
        "auth t=5 op=name_give from=1.1 to=3.0 obj=0x4 arg=0x3 status=OK extra=1\n"
        "auth t=6 op=revoke from=- to=3.4 obj=0x4 arg=0x2 status=OK\n"
        "auth t=7 op=bind from=1.1 to=1.0 obj=0x5 arg=0x6 status=E_PERM\n"
        "end records=3\n";
    struct scn s;
    struct trace t;
    struct analysis an;
    analyse(text, POL_CAPGATE, &s, &t, &an);
    assert_true(t.complete);
    assert_int_equal(t.nev, 3);
    assert_int_equal(t.ev[0].op, TOP_NAME_GIVE);
    assert_false(tr_is_ipc(&t.ev[0]));
    assert_int_equal(t.ev[0].to_id, 3);
    assert_int_equal(t.ev[0].dest, 4);
    assert_int_equal(t.ev[0].label, 3);
    assert_int_equal(t.ev[0].outcome, TOUT_NONE);
    assert_int_equal(t.ev[1].op, TOP_REVOKE);
    assert_false(t.ev[1].has_from);
    assert_int_equal(t.ev[1].to_thread, 4);
    assert_int_equal(t.ev[2].op, TOP_BIND);
    assert_int_equal(t.ev[2].status, 6); /* E_PERM */
    assert_int_equal(t.ev[2].line, 5);
    analysis_free(&an);
    trace_free(&t);
    scn_free(&s);
}

/* A kernel task name is matched to the declared task name, else to a unique program name. */
static void test_task_mapping(void **state)
{
    (void)state;
    struct scn s;
    parse_ok("scenario m\ntask a program worker\ntask b program worker\ntask c program solo\n"
             "expect none=n/a clans=n/a ports=n/a refmon=n/a capgate=n/a\n",
             &s);
    const char *text = "policy none\ntask 1 a\ntask 2 worker\ntask 3 solo\n";
    struct trace t;
    struct an_diag d;
    an_diag_init(&d, "m.trace");
    assert_int_equal(trace_parse("m.trace", text, strlen(text), &s, &t, &d), AN_OK);
    assert_int_equal(trace_task_of(&t, 1), scn_task_find(&s, "a"));
    assert_int_equal(trace_task_of(&t, 2), SCN_NONE); /* two tasks run "worker" */
    assert_int_equal(trace_task_of(&t, 3), scn_task_find(&s, "c"));
    trace_free(&t);
    scn_free(&s);
}

/* Every trace in dir through the trace fuzzer's entry point; returns how many parsed. */
static unsigned replay_traces(const char *dir, unsigned *files)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    unsigned ok = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        size_t len;
        const char *why;
        char *buf = an_read_file(path, 1 << 20, &len, &why);
        assert_non_null(buf);
        ok += an_fuzz_trace((const uint8_t *)buf, len, SRC_ROOT "/scenarios") == AN_OK;
        free(buf);
        (*files)++;
    }
    closedir(d);
    return ok;
}

/* The trace fuzzer's seeds (recorded runs of the shipped scenarios, the hand-written traces)
 * and the inputs that once broke the trace reader replay cleanly under the sanitizers of the
 * fuzzer build; every recorded run is a valid trace of its scenario. */
static void test_trace_corpus_replay(void **state)
{
    (void)state;
    unsigned files = 0;
    unsigned ok = replay_traces(SRC_ROOT "/tests/analyzer/trace-corpus", &files);
    assert_true(files >= 20);
    assert_int_equal(ok, files);
    files = 0;
    replay_traces(SRC_ROOT "/tests/analyzer/traces", &files);
    assert_true(files >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_kernel_format),
        cmocka_unit_test(test_impostor_by_name),
        cmocka_unit_test(test_violation_under_none),
        cmocka_unit_test(test_unsound_under_capgate),
        cmocka_unit_test(test_conformance),
        cmocka_unit_test(test_bad_traces),
        cmocka_unit_test(test_task_mapping),
        cmocka_unit_test(test_lossy_trace_is_incomplete),
        cmocka_unit_test(test_auth_records),
        cmocka_unit_test(test_trace_corpus_replay),
    };
    return cmocka_run_group_tests_name("analyzer_trace", tests, NULL, NULL);
}
