/* SPDX-License-Identifier: MIT */
/*
 * The evil consumer (prodcons.scn, prodcons_notify.scn): serves its producer's set-up like an
 * honest consumer (the ring page; under MODE_NOTIFY also its notification's name), then sets
 * the "waiting" flag in the shared page and never waits: it only sleeps (a receive from the nil
 * thread, which no sender can complete) until the run ends. A producer that wakes it with an
 * infinitely blocking send is stuck for ever; one that triggers a notification is not.
 */
#include "ring.h"
#include "scn.h"

/* The page is all ring: nothing else of this task is shared with the producer. */
static union {
    struct ring r;
    char bytes[4096];
} shared __attribute__((aligned(4096)));
#define page shared.r

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    const char *me = scn_self();
    word_t tag, label;
    page.waiting = 0; /* touch: the page is mapped before it is handed on */

    long mode = ring_accept(&shared, &label), r = mode < 0 ? mode : 0;
    const char *from = scn_sender(label);
    printf("%s: ring page mapped to my producer (%s): %s\n", me, from ? from : "?", status_text(r));
    if (r < 0) return 1;

    if (mode == MODE_NOTIFY) {
        scn_accept_names();
        r = ipc_wait(500000, &tag, &label);
        if (r == 0 && MSGTAG_LABEL(tag) == OP_NOTIFY) {
            long n = notify_create(OP_WAKEUP); /* created, never bound, never waited on */
            unsigned w = 0, it = 0;
            if (n >= 0) scn_put_name(0, (word_t)n, false, &w, &it);
            r = ipc_reply(MSGTAG(OP_NAMES, w, it, 0));
            printf("%s: handed my producer notification %ld: %s\n", me, n, status_text(r));
        } else {
            printf("%s: no notification exchange: %s\n", me, status_text(r));
        }
    }

    page.waiting = 1; /* "I am waiting for data" -- a lie */
    scn_record("set the waiting flag and will never wait (mode %s)",
               mode == MODE_NOTIFY ? "notification" : "IPC");
    unsigned long t0 = clock_us();
    for (;;) {
        sleep_us(100000);
        printf("%s: still not waiting after %lu ms; %lu item(s) unread in the ring\n", me,
               (clock_us() - t0) / 1000, page.head - page.tail);
    }
}
