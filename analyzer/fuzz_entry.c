/* SPDX-License-Identifier: MIT */
/* The one entry point the fuzzer and the corpus-replay test drive: bytes in, nothing may break. */
#include "fuzz_entry.h"
#include "analysis.h"

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
