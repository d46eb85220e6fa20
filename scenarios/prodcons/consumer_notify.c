/* SPDX-License-Identifier: MIT */
/*
 * The honest consumer of prodcons_notify.scn: the same loop and the same 15 ms of bookkeeping
 * between raising its flag and waiting as prodcons' consumer, but it waits for a notification
 * object: a trigger that comes while it is still busy is remembered, so no wake-up is lost.
 * After taking data it tells a producer waiting for space with the producer's notification.
 */
#include "ring.h"
#include "scn.h"

static union {
    struct ring r;
    char bytes[4096];
} shared __attribute__((aligned(4096)));
#define ring (&shared.r)

static word_t checksum;
static long space = -1;
static unsigned space_sent;

/* Takes everything in the ring. */
static unsigned drain(void)
{
    unsigned n = ring_drain(ring, &checksum);
    if (n && __atomic_exchange_n(&ring->prod_waiting, 0, __ATOMIC_SEQ_CST)) {
        if (notify_trigger(space, 1) == 0) space_sent++;
    }
    return n;
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    const char *me = scn_self();
    word_t tag, label;
    ring->waiting = 0;
    long data = notify_create(OP_WAKEUP);
    if (data < 0) {
        printf("%s: no notification: %s\n", me, status_text(data));
        return 1;
    }

    long r = ring_accept(&shared, &label);
    printf("%s: ring page mapped to my producer: %s\n", me, status_text(r < 0 ? r : 0));
    if (r < 0) return 1;

    scn_accept_names();
    r = ipc_wait(500000, &tag, &label);
    if (r < 0 || MSGTAG_LABEL(tag) != OP_NOTIFY || (space = scn_got_name(tag)) < 0) {
        printf("%s: no notification exchange: %s\n", me, status_text(r));
        return 1;
    }
    unsigned w, it;
    scn_put_name(0, (word_t)data, false, &w, &it);
    r = ipc_reply(MSGTAG(OP_NAMES, w, it, 0));
    if (r < 0 || notify_bind(data) < 0) {
        printf("%s: handing over my notification failed: %s\n", me, status_text(r));
        return 1;
    }

    unsigned consumed = 0, wakeups = 0, races = 0;
    while (!ring->total || consumed + ring->dropped < ring->total) {
        __atomic_store_n(&ring->waiting, 1, __ATOMIC_SEQ_CST);
        if (!ring_empty(ring)) {
            __atomic_store_n(&ring->waiting, 0, __ATOMIC_SEQ_CST);
            consumed += drain();
            continue;
        }
        scn_work(15000);
        word_t unread = ring->head - ring->tail;
        if (unread) races++; /* data (and its trigger) arrived between flag and wait */
        r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
        if (r < 0) {
            printf("%s: wait failed: %s\n", me, status_text(r));
            break;
        }
        if (!(MSGTAG_FLAGS(tag) & MSGTAG_F_NOTIFY)) {
            printf("%s: unexpected message, label %lu\n", me, MSGTAG_LABEL(tag));
            continue;
        }
        wakeups++;
        consumed += drain();
    }
    scn_record("consumed %lu of %lu items (%lu dropped by the producer), %u notifications "
               "received, %u times the wake-up came between flag and wait and was not lost, "
               "%u space notifications sent",
               (unsigned long)consumed, ring->total, ring->dropped, wakeups, races, space_sent);
    return 0;
}
