/* SPDX-License-Identifier: MIT */
/* An n x n bit matrix: row a holds the tasks a may (or did, or is meant to) send to. */
#ifndef BITMAT_H
#define BITMAT_H

#include <stdbool.h>
#include <stdint.h>

struct bitmat {
    uint32_t n, words; /* words per row */
    uint64_t *bits;
};

void bitmat_init(struct bitmat *m, uint32_t n);
void bitmat_free(struct bitmat *m);
static inline uint64_t *bitmat_row(const struct bitmat *m, uint32_t a)
{
    return m->bits + (uint64_t)a * m->words;
}
static inline void bitmat_set(struct bitmat *m, uint32_t a, uint32_t b)
{
    bitmat_row(m, a)[b >> 6] |= 1ull << (b & 63);
}
static inline bool bitmat_get(const struct bitmat *m, uint32_t a, uint32_t b)
{
    return (bitmat_row(m, a)[b >> 6] >> (b & 63)) & 1;
}
/* Sets every a->b with a != b. */
void bitmat_fill_offdiag(struct bitmat *m);
/* Number of set bits, and number set in x but not in y (a \ b), over all rows. */
uint64_t bitmat_count(const struct bitmat *m);
uint64_t bitmat_count_minus(const struct bitmat *x, const struct bitmat *y);
bool bitmat_equal(const struct bitmat *x, const struct bitmat *y);
/* Iteration: returns the next set column >= from in row a, or n. */
uint32_t bitmat_next(const struct bitmat *m, uint32_t a, uint32_t from);

#endif
