/* SPDX-License-Identifier: MIT */
/* Demand-zero memory from the default pager (the root task): touch heap pages, find zeros. */
#include "ulib.h"

int main(void)
{
    volatile unsigned long *heap = (volatile unsigned long *)USER_HEAP_BASE;
    unsigned long sum = 0;
    for (int page = 0; page < 3; page++) {
        volatile unsigned long *p = heap + page * 512;
        sum += p[0] + p[511]; /* first touch: a fault the root answers */
        p[0] = 0x1000 + (unsigned long)page;
    }
    printf("heaptest: 3 heap pages appeared on first touch, zero-filled: %s; values kept: %s\n",
           sum == 0 ? "yes" : "NO", heap[0] == 0x1000 && heap[1024] == 0x1002 ? "yes" : "NO");
    printf("heaptest: touching just past the heap window\n");
    return (int)*(volatile unsigned long *)(USER_HEAP_BASE + USER_HEAP_SIZE);
}
