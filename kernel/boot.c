/* SPDX-License-Identifier: MIT */
/* Boot information and kernel command-line options. */
#include "boot.h"
#include "lib/mem.h"

struct boot_info boot_info;

bool boot_has_option(const char *opt)
{
    size_t n = strlen(opt);
    for (const char *p = boot_info.cmdline; *p;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        if ((size_t)(p - w) == n && memcmp(w, opt, n) == 0) return true;
    }
    return false;
}
