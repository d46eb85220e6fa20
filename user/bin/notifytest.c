/* SPDX-License-Identifier: MIT */
/*
 * Notifications between threads: an evil consumer that never waits cannot block its
 * producer (trigger never blocks; bits accumulate), and a good consumer receives every batch.
 */
#include "ulib.h"

static long evil_n, good_n;
static volatile int evil_ready, good_ready, good_got;
static volatile word_t good_bits;
static unsigned char stacks[2][4096] __attribute__((aligned(16)));

static long evil_consumer(word_t arg)
{
    (void)arg;
    notify_bind(evil_n);
    evil_ready = 1;  /* "I am ready" ... */
    sleep_us(20000); /* ... but it never waits for the notification */
    word_t tag, label;
    long r = ipc_wait(TIMEOUT_ZERO, &tag, &label);
    printf("notifytest: evil consumer finally looks: %s, bits 0x%lx, label 0x%lx\n", status_text(r),
           r == 0 ? utcb()->mr[0] : 0UL, label);
    return 0;
}

static long good_consumer(word_t arg)
{
    (void)arg;
    notify_bind(good_n);
    good_ready = 1;
    word_t tag, label;
    while (good_got < 3 && ipc_wait(TIMEOUT_NEVER, &tag, &label) == 0) {
        good_bits |= utcb()->mr[0];
        good_got++;
    }
    return 0;
}

int main(void)
{
    evil_n = notify_create(0xe1);
    good_n = notify_create(0x90);
    thread_start(evil_consumer, 0, stacks[0], sizeof(stacks[0]), PRIO_DEFAULT + 1);
    thread_start(good_consumer, 0, stacks[1], sizeof(stacks[1]), PRIO_DEFAULT + 1);
    while (!evil_ready || !good_ready)
        yield();

    unsigned long t0 = clock_us();
    int failed = 0;
    for (int i = 0; i < 1000; i++)
        if (notify_trigger(evil_n, 1ul << (i % 8)) != 0) failed++;
    unsigned long t1 = clock_us();
    printf("notifytest: producer sent 1000 notifications to a consumer that never waits: "
           "%d failed, took %lu us, never blocked\n",
           failed, t1 - t0);

    for (int i = 0; i < 3; i++)
        notify_trigger(good_n, 1ul << i); /* the consumer runs each time */
    printf("notifytest: good consumer received %d notifications, bits 0x%lx\n", good_got,
           good_bits);
    printf("notifytest: trigger of an unknown notification -> %s\n",
           status_text(notify_trigger(0x3ff7, 1)));
    printf("notifytest: bind to a notification that does not exist -> %s\n",
           status_text(notify_bind(0x3ff7)));
    printf("notifytest: irq_attach from a task that is not root -> %s\n",
           status_text(irq_attach(0, good_n)));
    sleep_us(30000);
    return failed;
}
