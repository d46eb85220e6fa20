/* SPDX-License-Identifier: MIT */
/* The analysis as a readable report, as JSON, and as a Graphviz graph; the boot setup. */
#ifndef REPORT_H
#define REPORT_H

#include "analysis.h"

#include <stdio.h>

void report_text(const struct analysis *an, FILE *out);
void report_json(const struct analysis *an, FILE *out);
/* The boot setup the scenario loader reads (one item per line); AN_E_SEMANTIC with a
 * file:line:column diagnostic if a name cannot be written as one word of at most 31 bytes. */
enum an_status report_setup(const struct scn *s, enum an_policy_id p, struct an_buf *out,
                            struct an_diag *d);

struct dot_opts {
    bool show_permitted; /* draw permitted-only edges (off for huge graphs) */
};
/* One policy's graph: declared, permitted-only, observed and violating edges, with a legend. */
void report_dot(const struct analysis *an, enum an_policy_id p, const struct dot_opts *o,
                FILE *out);

#endif
