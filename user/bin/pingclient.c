/* SPDX-License-Identifier: MIT */
/*
 * IPC round-trip benchmark (call + reply-and-wait between two address spaces). Under
 * -icount shift=0 the TSC counts executed instructions, so each figure is the exact number
 * of guest instructions per round trip, user stubs included. The minimum over batches drops
 * the batches a timer interrupt landed in. Prints "bench,<case>,<instructions>".
 */
#include "ulib.h"

#define WARMUP 100
#define BATCHES 20
#define PER_BATCH 50

static inline unsigned long rdtsc(void)
{
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (unsigned long)hi << 32 | lo;
}

static long round_trips(word_t server, unsigned words, int n)
{
    word_t tag, label;
    for (int i = 0; i < n; i++) {
        long r = ipc_call(server, MSGTAG(1, words, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, &label);
        if (r < 0) return r;
    }
    return 0;
}

static void measure(word_t server, unsigned words)
{
    if (round_trips(server, words, WARMUP) < 0) {
        printf("pingclient: IPC failed\n");
        return;
    }
    unsigned long best = ~0UL;
    for (int b = 0; b < BATCHES; b++) {
        unsigned long t0 = rdtsc();
        round_trips(server, words, PER_BATCH);
        unsigned long d = rdtsc() - t0;
        if (d < best) best = d;
    }
    printf("bench,ipc_call_%u_words,%lu\n", words, best / PER_BATCH);
}

int main(word_t server)
{
    static const unsigned cases[] = {0, 1, 4, 8, 64};
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) measure(server, cases[i]);
    /* The cost of the measurement itself: two rdtsc with nothing between. */
    unsigned long t0 = rdtsc(), t1 = rdtsc();
    printf("bench,rdtsc_overhead,%lu\n", t1 - t0);
    ipc_call(server, MSGTAG(2, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, 0, 0);
    return 0;
}
