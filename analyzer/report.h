/* SPDX-License-Identifier: MIT */
/* The analysis as a readable report, as JSON, and as a Graphviz graph. */
#ifndef REPORT_H
#define REPORT_H

#include "analysis.h"

#include <stdio.h>

void report_text(const struct analysis *an, FILE *out);
void report_json(const struct analysis *an, FILE *out);

struct dot_opts {
    bool show_permitted; /* draw permitted-only edges (off for huge graphs) */
};
/* One policy's graph: declared, permitted-only, observed and violating edges, with a legend. */
void report_dot(const struct analysis *an, enum an_policy_id p, const struct dot_opts *o,
                FILE *out);

#endif
