/* SPDX-License-Identifier: MIT */
/* Misbehaves: executes an undefined instruction. */
#include "ulib.h"

int main(void)
{
    printf("badinsn: executing ud2\n");
    __asm__ volatile("ud2");
    printf("badinsn: SURVIVED AN INVALID INSTRUCTION\n");
    return 0;
}
