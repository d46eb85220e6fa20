/* SPDX-License-Identifier: MIT */
/* printf and friends on top of the console_write system call. */
#include "ulib.h"

int vprintf(const char *fmt, va_list ap)
{
    char buf[512];
    int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    size_t len = n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
    console_write(buf, len);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int puts(const char *s)
{
    size_t n = strlen(s);
    console_write(s, n);
    console_write("\n", 1);
    return (int)n + 1;
}

long report_error(const char *what, long result)
{
    if (result < 0) printf("%s: %s\n", what, status_text(result));
    return result;
}
