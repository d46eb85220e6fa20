/* SPDX-License-Identifier: MIT */
/* A bounded, non-recursive s-expression reader for Z3's output. */
#include "sexp.h"
#include "an_util.h"

#include <stdlib.h>
#include <string.h>

static uint32_t new_node(struct sexp *x, const char *atom, uint32_t len)
{
    struct sexp_node *n = AN_PUSH(x->nodes, x->n, x->cap);
    n->first = n->next = SEXP_NONE;
    n->atom = atom;
    n->len = len;
    return x->n - 1;
}

/* Explicit stack of open lists and their last child, so depth costs no C stack. */
int sexp_parse(const char *text, size_t len, struct sexp *x)
{
    memset(x, 0, sizeof(*x));
    x->top = SEXP_NONE;
    uint32_t open[SEXP_MAX_DEPTH], last[SEXP_MAX_DEPTH + 1];
    int depth = 0;
    last[0] = SEXP_NONE;
    size_t i = 0;
    while (i < len) {
        char c = text[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            i++;
            continue;
        }
        if (c == ';') {
            while (i < len && text[i] != '\n')
                i++;
            continue;
        }
        uint32_t node;
        if (c == ')') {
            if (depth == 0) return -1;
            depth--;
            i++;
            continue;
        }
        if (c == '(') {
            if (depth == SEXP_MAX_DEPTH) return -1;
            node = new_node(x, NULL, 0);
            i++;
        } else {
            size_t start = i;
            if (c == '"') {
                i++;
                while (i < len && text[i] != '"')
                    i++;
                if (i == len) return -1;
                i++;
            } else {
                while (i < len && !strchr(" \n\t\r()\";", text[i]))
                    i++;
            }
            node = new_node(x, text + start, (uint32_t)(i - start));
        }
        /* link as the next child of the innermost open list (or top level) */
        if (last[depth] != SEXP_NONE)
            x->nodes[last[depth]].next = node;
        else if (depth == 0)
            x->top = node;
        else
            x->nodes[open[depth - 1]].first = node;
        last[depth] = node;
        if (!x->nodes[node].atom) {
            open[depth++] = node;
            last[depth] = SEXP_NONE;
        }
    }
    return depth == 0 ? 0 : -1;
}

void sexp_free(struct sexp *x)
{
    free(x->nodes);
    memset(x, 0, sizeof(*x));
}

int sexp_is(const struct sexp *x, uint32_t node, const char *atom)
{
    if (node == SEXP_NONE || !x->nodes[node].atom) return 0;
    size_t n = strlen(atom);
    return x->nodes[node].len == n && memcmp(x->nodes[node].atom, atom, n) == 0;
}
