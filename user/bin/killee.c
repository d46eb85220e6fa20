/* SPDX-License-Identifier: MIT */
/* Ends up somewhere its creator has to kill it from: main(1) spins, main(2) waits for a message
 * forever, main(3) faults to a handler that never answers; main(4) reads page 0 and main(5)
 * the reserved top user page (the kernel's report must name those). */
#include "ulib.h"

int main(word_t how)
{
    switch (how) {
    case 0: /* started as a boot module by the root: nothing to do */
        return 0;
    case 1:
        for (;;)
            __asm__ volatile("" ::: "memory");
    case 2:
        ipc_wait(TIMEOUT_NEVER, 0, 0);
        break;
    case 3:
        return *(volatile int *)USER_HEAP_BASE;
    case 4:
        return *(volatile int *)0;
    case 5:
        return *(volatile int *)USER_TOP;
    }
    printf("killee: SURVIVED (%lu)\n", how);
    return 1;
}
