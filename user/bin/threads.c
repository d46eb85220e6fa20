/* SPDX-License-Identifier: MIT */
/* Several threads in one task: priorities order them, and they share the address space. */
#include "ulib.h"

static volatile int order[3], next_slot;
static unsigned char stacks[3][4096] __attribute__((aligned(16)));

static long worker(word_t n)
{
    order[next_slot++] = (int)n;
    printf("threads: worker %lu (thread 0x%x) ran\n", n, self_thread());
    return 0;
}

int main(void)
{
    /* Priorities 12, 14, 13 above ours (10): each runs as soon as it is created. */
    static const unsigned prio[3] = {12, 14, 13};
    for (int i = 0; i < 3; i++) {
        long t = thread_start(worker, (word_t)i, stacks[i], sizeof(stacks[i]), prio[i]);
        if (t < 0) return (int)report_error("threads: thread_start", t);
    }
    printf("threads: order of execution %d %d %d\n", order[0], order[1], order[2]);
    return (order[0] == 0 && order[1] == 1 && order[2] == 2) ? 0 : 1;
}
