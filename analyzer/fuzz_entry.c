/* SPDX-License-Identifier: MIT */
/* The entry points the fuzzers and the corpus-replay tests drive: bytes in, nothing may break. */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_entry.h"
#include "analysis.h"
#include "report.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char trace_scn[] =
    "scenario t\ntask a program a\ntask b program b parent a\nservice s task b\n"
    "contract c {\n in q proto 1\n server {\n  states x\n  initial x\n  final x\n  x: q? -> x\n "
    "}\n}\n"
    "channel ch a -> s contract c\nexpect none=n/a clans=n/a ports=n/a refmon=n/a capgate=n/a\n";

int an_fuzz_one(const uint8_t *data, size_t size)
{
    struct scn s;
    struct an_diag d;
    an_diag_init(&d, "fuzz.scn");
    enum an_status st = scn_parse("fuzz.scn", (const char *)data, size, &s, &d);
    if (st == AN_OK) {
        if (s.ntasks <= 512 && s.nchannels <= 4096) {
            struct analysis an;
            struct analysis_opts o = {.use_z3 = false, .max_list = 20};
            struct an_buf err;
            an_buf_init(&err);
            analysis_init(&an, &s, &o);
            analysis_contracts(&an, &o, &err);
            for (int p = 0; p < POL_COUNT; p++)
                analysis_policy(&an, (enum an_policy_id)p, &o, &err);
            analysis_free(&an);
            an_buf_free(&err);
        }
        scn_free(&s);
    }
    struct scn ts;
    an_diag_init(&d, "t.scn");
    if (scn_parse("t.scn", trace_scn, strlen(trace_scn), &ts, &d) == AN_OK) {
        struct trace t;
        an_diag_init(&d, "fuzz.trace");
        if (trace_parse("fuzz.trace", (const char *)data, size, &ts, &t, &d) == AN_OK) {
            struct analysis an;
            struct analysis_opts o = {.use_z3 = false, .max_list = 20};
            struct an_buf err;
            an_buf_init(&err);
            analysis_init(&an, &ts, &o);
            analysis_set_trace(&an, &t);
            analysis_contracts(&an, &o, &err);
            for (int p = 0; p < POL_COUNT; p++)
                analysis_policy(&an, (enum an_policy_id)p, &o, &err);
            analysis_free(&an);
            an_buf_free(&err);
            trace_free(&t);
        }
        scn_free(&ts);
    }
    return (int)st;
}

/* ---- the trace reader against the shipped scenarios ---- */

#define FUZZ_MAX_SCENARIOS 64
static struct scn shipped[FUZZ_MAX_SCENARIOS];
static unsigned nshipped;
static const char *loaded_from;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every root/<dir>/<name>.scn that parses, in path order (the same order on every machine). */
static void load_shipped(const char *root)
{
    char *paths[FUZZ_MAX_SCENARIOS];
    unsigned n = 0;
    DIR *top = opendir(root);
    for (struct dirent *e; top && (e = readdir(top)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s/%s", root, e->d_name);
        DIR *sub = opendir(dir);
        for (struct dirent *f; sub && (f = readdir(sub)) != NULL && n < FUZZ_MAX_SCENARIOS;) {
            size_t len = strlen(f->d_name);
            if (len < 5 || strcmp(f->d_name + len - 4, ".scn") != 0) continue;
            paths[n] = an_malloc(strlen(dir) + len + 2);
            sprintf(paths[n], "%s/%s", dir, f->d_name);
            n++;
        }
        if (sub) closedir(sub);
    }
    if (top) closedir(top);
    qsort(paths, n, sizeof(paths[0]), cmp_str);
    for (unsigned i = 0; i < n; i++) {
        struct an_diag d;
        an_diag_init(&d, paths[i]);
        if (scn_load(paths[i], &shipped[nshipped], &d) == AN_OK) nshipped++;
        free(paths[i]);
    }
}

/* The scenario a trace names on its first 'scenario NAME' line, if one is shipped. */
static const struct scn *scenario_of(const char *buf, size_t len)
{
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        if (end - pos > 9 && memcmp(buf + pos, "scenario ", 9) == 0) {
            for (unsigned i = 0; i < nshipped; i++) {
                size_t n = strlen(shipped[i].name);
                if (end - pos - 9 >= n && memcmp(buf + pos + 9, shipped[i].name, n) == 0 &&
                    (end - pos - 9 == n || buf[pos + 9 + n] == ' ' || buf[pos + 9 + n] == '\r'))
                    return &shipped[i];
            }
            return NULL;
        }
        pos = end + 1;
    }
    return NULL;
}

int an_fuzz_trace(const uint8_t *data, size_t size, const char *scenario_root)
{
    if (loaded_from == NULL) {
        loaded_from = scenario_root;
        load_shipped(scenario_root);
    }
    if (nshipped == 0) return AN_E_IO;
    const struct scn *s = scenario_of((const char *)data, size);
    if (s == NULL) s = &shipped[0]; /* none named: read against the first */
    struct trace t;
    struct an_diag d;
    an_diag_init(&d, "fuzz.trace");
    enum an_status st = trace_parse("fuzz.trace", (const char *)data, size, s, &t, &d);
    if (st != AN_OK) return (int)st;
    for (uint32_t i = 0; i < t.nev; i++) { /* what `ipcan trace` prints */
        char b1[32], b2[32];
        trace_name_of(&t, t.ev[i].from_id, b1, sizeof(b1));
        if (t.ev[i].has_to) trace_name_of(&t, t.ev[i].to_id, b2, sizeof(b2));
    }
    struct analysis an;
    struct analysis_opts o = {.use_z3 = false, .max_list = 20};
    struct an_buf err;
    an_buf_init(&err);
    analysis_init(&an, s, &o);
    analysis_set_trace(&an, &t);
    analysis_contracts(&an, &o, &err);
    for (int p = 0; p < POL_COUNT; p++)
        analysis_policy(&an, (enum an_policy_id)p, &o, &err);
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        report_text(&an, null);
        report_json(&an, null);
        struct dot_opts dot = {.show_permitted = true};
        for (int p = 0; p < POL_COUNT; p++)
            report_dot(&an, (enum an_policy_id)p, &dot, null);
        fclose(null);
    }
    analysis_free(&an);
    an_buf_free(&err);
    trace_free(&t);
    return AN_OK;
}
