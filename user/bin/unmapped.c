/* SPDX-License-Identifier: MIT */
/* Misbehaves: reads an address nothing is mapped at. The kernel must kill it and carry on. */
#include "ulib.h"

int main(void)
{
    printf("unmapped: reading unmapped address 0xdead0000\n");
    unsigned long v = *(volatile unsigned long *)0xdead0000UL;
    printf("unmapped: READ SUCCEEDED (%lu)\n", v);
    return 0;
}
