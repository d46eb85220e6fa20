/* SPDX-License-Identifier: MIT */
/* Generates large scenarios for the scale benchmark (deterministic for a seed). */
#ifndef BENCH_GEN_H
#define BENCH_GEN_H

#include "an_util.h"

struct gen_opts {
    uint32_t tasks, channels, fanout, seed;
    uint32_t give_permille; /* channels whose capability may be delegated */
};

/* Appends the scenario text to out. */
void bench_generate(const struct gen_opts *o, struct an_buf *out);

#endif
