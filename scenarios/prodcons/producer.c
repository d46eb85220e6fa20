/* SPDX-License-Identifier: MIT */
/*
 * The producer of prodcons.scn: shares a ring page with its consumer (OP_CONNECT; the reply
 * maps the page) and wakes the consumer with IPC only when the consumer's "waiting" flag in the
 * page is set. Which wake-up it sends follows its channel's contract:
 *   c_ring1 (flag_wakeup):  a send with an infinite timeout; a consumer that sets the flag and
 *                           never waits blocks this producer for ever (the DoS);
 *   c_ring2 (zero_timeout): a call with send timeout zero, answered with `space`; lost when
 *                           the consumer is not yet receiving (the lost wake-up).
 */
#include "ring.h"
#include "scn.h"

#define ITEMS 6 /* fewer than RING_SLOTS: the ring never fills, only the wake-up matters */

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    const char *me = scn_self();
    const char *ch;
    long dest = ring_channel(&ch);
    bool infinite = strcmp(ch, "c_ring1") == 0;
    if (dest < 0) {
        printf("%s: no channel c_ring1 or c_ring2 in my setup\n", me);
        return 1;
    }

    word_t tag, label;
    long r = ring_connect((word_t)dest, MODE_IPC);
    if (r < 0) {
        printf("%s: connecting through %s failed: %s\n", me, ch, status_text(r));
        scn_record("could not connect to the consumer through %s: %s", ch, status_text(r));
        return 1;
    }
    struct ring *ring = (struct ring *)RING_WINDOW;
    ring->total = ITEMS;
    printf("%s: connected through %s, ring page mapped at 0x%lx; wake-ups with %s timeout\n", me,
           ch, RING_WINDOW, infinite ? "an infinite" : "a zero");

    unsigned sent = 0, answered = 0, lost = 0;
    for (unsigned i = 0; i < ITEMS; i++) {
        ring->data[ring->head % RING_SLOTS] = 0x1000 + i;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        ring->head++;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (ring->waiting) {
            ring->waiting = 0;
            sent++;
            if (infinite) {
                printf("%s: item %u in the ring, the consumer's flag is set: wake-up (send, "
                       "infinite timeout)\n",
                       me, i + 1);
                r = ipc_send((word_t)dest, MSGTAG(OP_WAKEUP, 0, 0, 0), TIMEOUT_NEVER);
                printf("%s: the wake-up send returned: %s\n", me, status_text(r));
                if (r == 0) answered++;
            } else {
                printf("%s: item %u in the ring, the consumer's flag is set: wake-up (call, send "
                       "timeout zero)\n",
                       me, i + 1);
                r = ipc_call((word_t)dest, MSGTAG(OP_WAKEUP, 0, 0, 0), TIMEOUT_ZERO, TIMEOUT_NEVER,
                             &tag, &label);
                if (r == 0 && MSGTAG_LABEL(tag) == OP_SPACE) {
                    answered++;
                } else {
                    lost++;
                    printf("%s: the wake-up went nowhere: %s (the consumer was not receiving); "
                           "the flag is cleared, no further wake-up will be sent\n",
                           me, status_text(r));
                }
            }
        }
        sleep_us(2000); /* the production pace */
    }
    scn_record("produced %u items through %s; %u wake-ups sent, %u delivered, %u lost", ITEMS, ch,
               sent, answered, lost);
    return 0;
}
