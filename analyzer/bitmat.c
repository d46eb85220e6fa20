/* SPDX-License-Identifier: MIT */
/* An n x n bit matrix: row a holds the tasks a may (or did, or is meant to) send to. */
#include "bitmat.h"
#include "an_util.h"

#include <stdlib.h>
#include <string.h>

void bitmat_init(struct bitmat *m, uint32_t n)
{
    m->n = n;
    m->words = (n + 63) / 64;
    m->bits = an_calloc((size_t)n * m->words + 1, sizeof(uint64_t));
}

void bitmat_free(struct bitmat *m)
{
    free(m->bits);
    memset(m, 0, sizeof(*m));
}

void bitmat_fill_offdiag(struct bitmat *m)
{
    for (uint32_t a = 0; a < m->n; a++) {
        uint64_t *r = bitmat_row(m, a);
        memset(r, 0xff, m->words * sizeof(uint64_t));
        if (m->n & 63) r[m->words - 1] = (1ull << (m->n & 63)) - 1;
        r[a >> 6] &= ~(1ull << (a & 63));
    }
}

uint64_t bitmat_count(const struct bitmat *m)
{
    uint64_t c = 0, total = (uint64_t)m->n * m->words;
    for (uint64_t i = 0; i < total; i++)
        c += (uint64_t)__builtin_popcountll(m->bits[i]);
    return c;
}

uint64_t bitmat_count_minus(const struct bitmat *x, const struct bitmat *y)
{
    uint64_t c = 0, total = (uint64_t)x->n * x->words;
    for (uint64_t i = 0; i < total; i++)
        c += (uint64_t)__builtin_popcountll(x->bits[i] & ~y->bits[i]);
    return c;
}

bool bitmat_equal(const struct bitmat *x, const struct bitmat *y)
{
    return x->n == y->n &&
           memcmp(x->bits, y->bits, (size_t)x->n * x->words * sizeof(uint64_t)) == 0;
}

uint32_t bitmat_next(const struct bitmat *m, uint32_t a, uint32_t from)
{
    if (from >= m->n) return m->n;
    const uint64_t *r = bitmat_row(m, a);
    uint32_t w = from >> 6;
    uint64_t cur = r[w] & (~0ull << (from & 63));
    for (;;) {
        if (cur) {
            uint32_t b = (w << 6) + (uint32_t)__builtin_ctzll(cur);
            return b < m->n ? b : m->n;
        }
        if (++w >= m->words) return m->n;
        cur = r[w];
    }
}
