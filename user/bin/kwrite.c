/* SPDX-License-Identifier: MIT */
/* Misbehaves: writes to the kernel image. The kernel must kill it and carry on. */
#include "ulib.h"

int main(void)
{
    printf("kwrite: writing to kernel memory at 0xffffffff80100000\n");
    *(volatile unsigned long *)0xffffffff80100000UL = 0xbad;
    printf("kwrite: KERNEL MEMORY WAS WRITABLE\n");
    return 0;
}
