/* SPDX-License-Identifier: MIT */
/* Diagnostics about input files: "file:line:column: error: message", collected and bounded. */
#include "an_diag.h"

#include <stdarg.h>
#include <string.h>

void an_diag_init(struct an_diag *d, const char *file)
{
    memset(d, 0, sizeof(*d));
    d->file = file;
}

void an_diag_error(struct an_diag *d, uint32_t line, uint32_t col, const char *fmt, ...)
{
    if (d->count == AN_DIAG_MAX) {
        d->dropped++;
        return;
    }
    struct an_diag_entry *e = &d->e[d->count++];
    e->line = line;
    e->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
}

void an_diag_print(const struct an_diag *d, FILE *out)
{
    for (uint32_t i = 0; i < d->count; i++) {
        const struct an_diag_entry *e = &d->e[i];
        if (e->line)
            fprintf(out, "%s:%u:%u: error: %s\n", d->file, e->line, e->col, e->msg);
        else
            fprintf(out, "%s: error: %s\n", d->file, e->msg);
    }
    if (d->dropped) fprintf(out, "%s: note: %u more errors not shown\n", d->file, d->dropped);
}
