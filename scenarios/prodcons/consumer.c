/* SPDX-License-Identifier: MIT */
/*
 * The honest consumer of prodcons.scn's second pair (contract zero_timeout): it maps its ring
 * page to the producer, then loops: set the "waiting" flag, take what is in the ring, and if
 * it is empty, finish its bookkeeping (about 15 ms of work, longer than a time slice) and
 * block in a receive until the producer's wake-up, which it answers with `space`. A wake-up
 * sent with timeout zero while it is still busy between flag and receive is lost, and it then
 * sleeps for ever with data in the ring.
 */
#include "ring.h"
#include "scn.h"

static union {
    struct ring r;
    char bytes[4096];
} shared __attribute__((aligned(4096)));
#define ring (&shared.r)

static word_t checksum;

static unsigned drain(void)
{
    return ring_drain(ring, &checksum);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    const char *me = scn_self();
    word_t tag, label;
    ring->waiting = 0;

    long r = ring_accept(&shared, &label);
    printf("%s: ring page mapped to my producer: %s\n", me, status_text(r < 0 ? r : 0));
    if (r < 0) return 1;

    unsigned consumed = 0, wakeups = 0;
    for (;;) {
        ring->waiting = 1;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (!ring_empty(ring)) {
            ring->waiting = 0;
            consumed += drain();
        } else {
            unsigned long rounds = scn_work(15000);
            word_t unread = ring->head - ring->tail;
            printf("%s: bookkeeping done (%lu rounds); blocking in a receive for a wake-up, "
                   "%lu item(s) unread in the ring right now\n",
                   me, rounds, unread);
            if (unread)
                scn_record("entering an infinite receive while %lu item(s) sit in the ring: "
                           "their wake-up came while I was between flag and receive",
                           unread);
            r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
            if (r < 0) {
                printf("%s: receive failed: %s\n", me, status_text(r));
                break;
            }
            if (MSGTAG_LABEL(tag) != OP_WAKEUP) {
                printf("%s: unexpected message, label %lu\n", me, MSGTAG_LABEL(tag));
                continue;
            }
            wakeups++;
            consumed += drain();
            ipc_reply(MSGTAG(OP_SPACE, 0, 0, 0));
        }
        if (ring->total && consumed >= ring->total) break;
    }
    scn_record("consumed %u of %lu items, %u wake-ups received", consumed, ring->total, wakeups);
    return 0;
}
