/* SPDX-License-Identifier: MIT */
/*
 * ipcidl's command line: usage, every kind of input error reported as file:line:col with exit 2,
 * the files it writes, and that a generated contract is one the analyzer accepts and checks.
 * Run one test alone: test_ipcidl <name>.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>

static char out[65536];

/* Runs a shell command; its stdout and stderr in `out`, its exit status returned. */
static int run(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    char full[4200];
    snprintf(full, sizeof(full), "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *write_tmp(const char *name, const char *text)
{
    static char path[1024];
    mkdir(IDL_TMP, 0755);
    snprintf(path, sizeof(path), "%s/%s", IDL_TMP, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Proves: -h prints the usage to stdout and exits 0; no file is a usage error (exit 2). */
static void test_usage(void **state)
{
    (void)state;
    assert_int_equal(run("%s -h", IPCIDL_BIN), 0);
    assert_non_null(strstr(out, "usage: ipcidl"));
    assert_int_equal(run("%s", IPCIDL_BIN), 2);
    assert_non_null(strstr(out, "ipcidl: error: no interface file"));
    assert_int_equal(run("%s -c %s/no/such.idl", IPCIDL_BIN, IDL_TMP), 2);
    assert_non_null(strstr(out, "cannot read"));
}

struct bad {
    const char *text, *where, *what;
};

/* Proves: each malformed interface is refused with exit 2 at the right line and column. */
static void test_errors(void **state)
{
    (void)state;
    static const struct bad cases[] = {
        /* the lecture's IDL: an array with its length but no bound */
        {"interface FOO {\n  int OP1(int arg1, [size_is(arg2_size)] char *arg2, unsigned "
         "arg2_size);\n};\n",
         ":2:42: error: array 'arg2' needs a bound", NULL},
        {"interface a {\n  int f(in int32 x)\n}\n", ":3:1: error: expected ';'", NULL},
        {"interface a {\n  int f(in float x);\n}\n", ":2:12: error: unknown type 'float'", NULL},
        {"interface a {\n  int f();\n  int f();\n}\n", ":3:7: error: operation 'f' declared twice",
         NULL},
        {"interface a {\n  [opcode(3)] int f();\n  [opcode(3)] int g();\n}\n",
         ":3:19: error: opcode 3 of 'g' already used by 'f'", NULL},
        {"interface a {\n  [oneway] void f(out int32 x);\n}\n", ":2:12: error: [oneway] operation",
         NULL},
        {"interface a {\n  int f([max(8)] in string s, [size_is(n), max(4)] in uint8 *b);\n}\n",
         ":2:55: error: size_is(n): no such parameter", NULL},
        {"interface a {\n  int f(in uint64 big[65]);\n}\n",
         ":2:12: error: the bound of 'big' must be 1..512 bytes", NULL},
        {"interface a {\n  int f(in uint64 a[40], in uint64 b[40]);\n}\n",
         ":2:3: error: the request of 'f' needs up to 83 message registers; at most 64", NULL},
        {"interface a proto 0xfff3 {\n  int f();\n}\n", "error: protocol label must be", NULL},
        {"interface a {\n  int f(in int32 u);\n}\n", ":2:18: error: 'u' cannot be a parameter",
         NULL},
        {"interface a {\n  int f(in int32 x) $\n}\n", ":2:21: error: unexpected character '$'",
         NULL},
        {"interface a {\n}\n", ":1:11: error: interface 'a' has no operations", NULL},
        /* names become C identifiers; with oplabel an opcode is the low byte of the label */
        {"interface a {\n  int register(in int32 x);\n}\n",
         ":2:7: error: 'register' is a C keyword", NULL},
        {"interface a oplabel {\n  [opcode(256)] int f();\n}\n",
         ":2:21: error: with oplabel an opcode is 0..255", NULL},
        {"", ":1:1: error: expected 'interface NAME", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *path = write_tmp("bad.idl", cases[i].text);
        int st = run("%s -c %s", IPCIDL_BIN, path);
        if (st != 2 || !strstr(out, cases[i].where))
            fail_msg("case %zu: exit %d, wanted 2 and \"%s\"; got:\n%s", i, st, cases[i].where,
                     out);
    }
}

/* Proves: a good file writes the six files of each interface, and the contract it generates
 * is accepted by the analyzer inside a scenario and checked like a hand-written one. */
static void test_outputs_and_contract(void **state)
{
    (void)state;
    assert_int_equal(run("rm -rf %s/gen && mkdir -p %s/gen && %s -o %s/gen %s/idl/demo.idl",
                         IDL_TMP, IDL_TMP, IPCIDL_BIN, IDL_TMP, SRC_ROOT),
                     0);
    static const char *const files[] = {"demo_idl.h",    "demo_idl.c", "demo_idl_user.c",
                                        "demo.contract", "demo.md",    "test_demo_idl.c"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[1024];
        struct stat sb;
        snprintf(path, sizeof(path), "%s/gen/%s", IDL_TMP, files[i]);
        assert_int_equal(stat(path, &sb), 0);
        assert_true(sb.st_size > 100);
    }
    /* the contract inside a scenario of two tasks and one channel */
    assert_int_equal(
        run("{ printf 'scenario idl_demo\\ntask root program root\\n"
            "task c program rpcclient parent root attacker\\ntask s program rpcserver parent "
            "root\\n"
            "service svc task s\\n'; cat %s/gen/demo.contract; printf 'channel ch c -> "
            "svc contract demo\\nattack reach c -> s\\n"
            "expect none=succeeded clans=succeeded ports=succeeded refmon=succeeded "
            "capgate=succeeded\\n'; } > %s/demo.scn && %s check --no-z3 %s/demo.scn",
            IDL_TMP, IDL_TMP, IPCAN_BIN, IDL_TMP),
        0);
    /* a broken state machine in the same place is a finding: the analyzer really checks it */
    assert_int_equal(run("sed '/in_add: add_ret! -> idle/d' %s/demo.scn "
                         "> %s/demo_bad.scn && %s check --no-z3 %s/demo_bad.scn",
                         IDL_TMP, IDL_TMP, IPCAN_BIN, IDL_TMP),
                     1);
}

/* Proves: `contract NAME from idl "FILE"` gives the analyzer the generated contract (the same
 * report as the contract written out), and a missing file or interface is an input error. */
static void test_contract_from_idl(void **state)
{
    (void)state;
    const char *head = "printf 'scenario idl_from\\ntask root program root\\n"
                       "task c program rpcclient parent root attacker\\n"
                       "task s program rpcserver parent root\\nservice svc task s\\n";
    const char *tail = "channel ch c -> svc contract demo\\nattack reach c -> s\\n"
                       "expect none=succeeded clans=succeeded ports=succeeded "
                       "refmon=succeeded capgate=succeeded\\n'";
    assert_int_equal(run("%scontract demo from idl \"%s/idl/demo.idl\"\\n%s > %s/from.scn && "
                         "%s report -p none %s/from.scn",
                         head, SRC_ROOT, tail, IDL_TMP, IPCAN_BIN, IDL_TMP),
                     1); /* findings: under none everyone may send to everyone */
    assert_non_null(strstr(out, "demo: well-formed and compatible, 8 joint states"));
    assert_int_equal(run("%scontract demo from idl \"nope.idl\"\\n%s > %s/from.scn && "
                         "%s check --no-z3 %s/from.scn",
                         head, tail, IDL_TMP, IPCAN_BIN, IDL_TMP),
                     2);
    assert_non_null(strstr(out, "from.scn:6:24: error: cannot read"));
    assert_int_equal(run("%scontract other from idl \"%s/idl/demo.idl\"\\n%s > %s/from.scn && "
                         "%s check --no-z3 %s/from.scn",
                         head, SRC_ROOT, tail, IDL_TMP, IPCAN_BIN, IDL_TMP),
                     2);
    assert_non_null(strstr(out, "declares no interface 'other'"));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_outputs_and_contract),
        cmocka_unit_test(test_contract_from_idl),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
