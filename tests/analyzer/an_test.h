/* SPDX-License-Identifier: MIT */
/* Helpers shared by the analyzer's CMocka tests: parse from a string, run the CLI. */
#ifndef AN_TEST_H
#define AN_TEST_H

#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis.h"
#include "z3_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#ifndef IPCAN_BIN
#define IPCAN_BIN "build/host/analyzer/ipcan"
#endif
#ifndef SRC_ROOT
#define SRC_ROOT "."
#endif

static inline enum an_status parse_text(const char *text, struct scn *s, struct an_diag *d)
{
    an_diag_init(d, "test.scn");
    return scn_parse("test.scn", text, strlen(text), s, d);
}

/* Parses text that must be valid; fails the test with the diagnostics otherwise. */
static inline void parse_ok(const char *text, struct scn *s)
{
    struct an_diag d;
    enum an_status st = parse_text(text, s, &d);
    if (st != AN_OK) an_diag_print(&d, stderr);
    assert_int_equal(st, AN_OK);
}

/* Runs a shell command (stdout and stderr into out); returns its exit code. */
static inline int run_sh(const char *cmd, struct an_buf *out)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        an_buf_addn(out, buf, n);
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A scenario file of the repository. */
static inline void load_repo_scenario(const char *rel, struct scn *s)
{
    char path[8192];
    snprintf(path, sizeof(path), "%s/%.4000s", SRC_ROOT, rel);
    struct an_diag d;
    an_diag_init(&d, path);
    enum an_status st = scn_load(path, s, &d);
    if (st != AN_OK) an_diag_print(&d, stderr);
    assert_int_equal(st, AN_OK);
}

/* The permitted relation of one backend by the C closure. */
static inline void closure_c(const struct scn *s, enum an_policy_id p, struct bitmat *m)
{
    const struct an_backend *be = an_backend_get(p);
    void *su = be->derive(s);
    bitmat_init(m, s->ntasks);
    be->closure(s, su, m);
    be->free_setup(su);
}

static inline bool permits(const struct scn *s, const struct bitmat *m, const char *a,
                           const char *b)
{
    uint32_t x = scn_task_find(s, a), y = scn_task_find(s, b);
    assert_true(x != SCN_NONE && y != SCN_NONE);
    return bitmat_get(m, x, y);
}

#endif
