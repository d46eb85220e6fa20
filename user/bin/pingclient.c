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

static char payload[4096];

/* n calls with `words` untyped words, plus one string item of `string` bytes if nonzero. */
static long round_trips(word_t server, unsigned words, unsigned string, int n)
{
    word_t tag, label;
    for (int i = 0; i < n; i++) {
        unsigned items = 0;
        if (string) {
            utcb()->mr[words] = ITEM_STRING_HDR(string);
            utcb()->mr[words + 1] = (word_t)payload;
            items = 1;
        }
        long r = ipc_call(server, MSGTAG(1, words, items, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, &label);
        if (r < 0) return r;
    }
    return 0;
}

static void measure(const char *name, word_t server, unsigned words, unsigned string)
{
    long r = round_trips(server, words, string, WARMUP);
    if (r < 0) {
        printf("pingclient: IPC failed: %s\n", status_text(r));
        return;
    }
    unsigned long best = ~0UL;
    for (int b = 0; b < BATCHES; b++) {
        unsigned long t0 = rdtsc();
        round_trips(server, words, string, PER_BATCH);
        unsigned long d = rdtsc() - t0;
        if (d < best) best = d;
    }
    printf("bench,%s,%lu\n", name, best / PER_BATCH);
}

int main(word_t server)
{
    static const unsigned cases[] = {0, 1, 4, 8, 64};
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char name[32];
        fmt_snprintf(name, sizeof(name), "ipc_call_%u_words", cases[i]);
        measure(name, server, cases[i], 0);
    }
    measure("ipc_call_4KiB_string", server, 0, 4096);
    /* The cost of the measurement itself: two rdtsc with nothing between. */
    unsigned long t0 = rdtsc(), t1 = rdtsc();
    printf("bench,rdtsc_overhead,%lu\n", t1 - t0);
    ipc_call(server, MSGTAG(2, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, 0, 0);
    return 0;
}
