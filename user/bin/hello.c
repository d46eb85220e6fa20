/* SPDX-License-Identifier: MIT */
/* Prints a few lines and shows that its globals live in an address space of its own. */
#include "ulib.h"

static volatile unsigned long mine; /* the same virtual address in every copy of this program */

int main(void)
{
    unsigned id = self_task();
    mine = id * 1000 + 7;
    for (int i = 1; i <= 3; i++) {
        printf("hello from task %u (line %d of 3)\n", id, i);
        yield(); /* let the other copy write its own value to the same address */
    }
    if (mine != id * 1000 + 7) {
        printf("task %u: ISOLATION BROKEN: 0x%lx holds %lu\n", id, (unsigned long)&mine, mine);
        return 1;
    }
    printf("task %u: variable at 0x%lx still holds %lu: separate address space\n", id,
           (unsigned long)&mine, mine);
    return 0;
}
