/* SPDX-License-Identifier: MIT */
/* What the boot loader told us: usable memory, boot modules, the command line. */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include "kernel.h"

#define BOOT_MAX_REGIONS 32
#define BOOT_MAX_MODULES 24
#define BOOT_NAME_LEN 32

struct boot_region {
    paddr_t base;
    uint64_t len;
};

struct boot_module {
    paddr_t base;
    uint64_t size;
    char name[BOOT_NAME_LEN]; /* file name without directory and ".elf" */
};

struct boot_info {
    struct boot_region mem[BOOT_MAX_REGIONS]; /* usable RAM */
    unsigned nmem;
    struct boot_module mods[BOOT_MAX_MODULES];
    unsigned nmods;
    paddr_t reserved_end; /* kernel image, boot data and modules all lie below this */
    char cmdline[128];
};

extern struct boot_info boot_info;

/* Returns true if the kernel command line contains the word `opt` (e.g. "ktest=panic"). */
bool boot_has_option(const char *opt);

#endif
