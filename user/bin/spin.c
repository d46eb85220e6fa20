/* SPDX-License-Identifier: MIT */
/* Burns CPU without any system call; only the timer can take the CPU away from it. */
#include "ulib.h"

int main(void)
{
    printf("spin: computing without yielding\n");
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < 30000000UL; i++)
        x += i;
    printf("spin: done\n");
    return 0;
}
