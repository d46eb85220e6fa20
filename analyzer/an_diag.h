/* SPDX-License-Identifier: MIT */
/* Diagnostics about input files: "file:line:column: error: message", collected and bounded. */
#ifndef AN_DIAG_H
#define AN_DIAG_H

#include <stdint.h>
#include <stdio.h>

#define AN_DIAG_MAX 32

struct an_diag_entry {
    uint32_t line, col;
    char msg[240];
};

struct an_diag {
    const char *file;
    uint32_t count, dropped;
    struct an_diag_entry e[AN_DIAG_MAX];
};

void an_diag_init(struct an_diag *d, const char *file);
void an_diag_error(struct an_diag *d, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prints every entry as "file:line:col: error: msg" (line 0: "file: error: msg"). */
void an_diag_print(const struct an_diag *d, FILE *out);

#endif
