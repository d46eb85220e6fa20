/* SPDX-License-Identifier: MIT */
/* Checks a run's creation tree (from its trace) against the declared parents. */
#ifndef TREE_CHECK_H
#define TREE_CHECK_H

#include "an_diag.h"
#include "an_status.h"
#include "scn_model.h"
#include "trace.h"

/* AN_OK, or AN_E_SEMANTIC with one diagnostic per declared task created elsewhere. */
enum an_status tree_check(const struct scn *s, const struct trace *t, struct an_diag *d);

#endif
