/* SPDX-License-Identifier: MIT */
/*
 * The log service of kmem_dos: takes log entries in batches, as a log daemon that flushes every
 * 20 ms does, and in between waits for nobody. Where the kernel buffers messages (ports) the
 * entries wait in its port's queue, in kernel memory; elsewhere their senders wait for the
 * next batch or time out. Ends after 200 ms without an entry.
 */
#include "scn.h"

#define BATCH_US 20000
#define IDLE_BATCHES 10

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    unsigned long entries = 0, batches = 0;
    for (unsigned idle = 0; idle < IDLE_BATCHES;) {
        sleep_us(BATCH_US);
        unsigned long before = entries;
        word_t tag, label;
        while (ipc_wait(TIMEOUT_ZERO, &tag, &label) == 0)
            entries++;
        batches++;
        idle = entries == before ? idle + 1 : 0;
    }
    printf("%s: %lu log entries in %lu batches\n", scn_self(), entries, batches);
    return 0;
}
