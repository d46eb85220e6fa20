/* SPDX-License-Identifier: MIT */
/* A bounded, non-recursive s-expression reader for Z3's output. */
#ifndef SEXP_H
#define SEXP_H

#include <stddef.h>
#include <stdint.h>

#define SEXP_MAX_DEPTH 256
#define SEXP_NONE UINT32_MAX

struct sexp_node {
    uint32_t first, next; /* first child (lists), next sibling */
    const char *atom;     /* points into the source; NULL for a list */
    uint32_t len;
};

struct sexp {
    struct sexp_node *nodes;
    uint32_t n, cap;
    uint32_t top; /* first top-level node, siblings via next */
};

/* Parses every top-level expression of text; returns 0 or -1 (unbalanced, too deep). */
int sexp_parse(const char *text, size_t len, struct sexp *out);
void sexp_free(struct sexp *x);
int sexp_is(const struct sexp *x, uint32_t node, const char *atom);

#endif
