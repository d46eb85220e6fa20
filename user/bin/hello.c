/* SPDX-License-Identifier: MIT */
/* Prints a few lines and shows that its globals live in an address space of its own: two
 * copies of this program write different values to the same virtual address. */
#include "ulib.h"

static volatile unsigned long mine; /* the same virtual address in every copy of this program */

int main(void)
{
    unsigned long token = rdtsc(); /* differs between the copies: they start at different times */
    mine = token;
    for (int i = 1; i <= 3; i++) {
        printf("hello from copy 0x%lx (line %d of 3)\n", token, i);
        yield(); /* let the other copy write its own value to the same address */
    }
    if (mine != token) {
        printf("hello: ISOLATION BROKEN: 0x%lx holds 0x%lx, not 0x%lx\n", (unsigned long)&mine,
               mine, token);
        return 1;
    }
    printf("hello: the variable at 0x%lx still holds this copy's own value 0x%lx: "
           "separate address space\n",
           (unsigned long)&mine, token);
    return 0;
}
