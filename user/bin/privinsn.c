/* SPDX-License-Identifier: MIT */
/* Misbehaves: tries privileged instructions (hlt, then port I/O); ring 3 must not run them. */
#include "ulib.h"

int main(void)
{
    printf("privinsn: executing hlt in ring 3\n");
    __asm__ volatile("hlt");
    printf("privinsn: HLT RAN IN RING 3\n");
    return 0;
}
