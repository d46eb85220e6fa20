/* SPDX-License-Identifier: MIT */
/*
 * The producer of prodcons_notify.scn: the same shared ring as prodcons, but the wake-up is a
 * notification object (notify_trigger never blocks; the bits wait until the consumer looks),
 * and the consumer's "waiting" flag is taken with an atomic exchange. Set-up: OP_CONNECT maps
 * the ring page; OP_NOTIFY hands the consumer this producer's `space` notification and brings
 * back the consumer's `data` notification.
 *   c_ring2 (notify_ring): when the ring is full it waits for `space` (bounded, 200 ms);
 *   c_ring1 (notify_evil): no `space` in the contract: a full ring drops the item.
 * Either way the consumer cannot block it.
 */
#include "ring.h"
#include "scn.h"

#define ITEMS 24 /* three times the ring: `space` is really needed */

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    const char *me = scn_self();
    const char *ch;
    long dest = ring_channel(&ch);
    bool waits_space = strcmp(ch, "c_ring2") == 0;
    if (dest < 0) {
        printf("%s: no channel c_ring1 or c_ring2 in my setup\n", me);
        return 1;
    }
    long space = notify_create(OP_SPACE);
    if (space < 0 || notify_bind(space) < 0) {
        printf("%s: no space notification: %s\n", me, status_text(space));
        return 1;
    }

    word_t tag, label;
    long r = ring_connect((word_t)dest, MODE_NOTIFY);
    if (r < 0) {
        scn_record("could not connect to the consumer through %s: %s", ch, status_text(r));
        return 1;
    }
    struct ring *ring = (struct ring *)RING_WINDOW;
    ring->total = ITEMS;

    unsigned w, it;
    scn_accept_names();
    scn_put_name(0, (word_t)space, false, &w, &it);
    r = ipc_call((word_t)dest, MSGTAG(OP_NOTIFY, w, it, 0), TIMEOUT_NEVER, 300000, &tag, &label);
    long data = r == 0 && MSGTAG_LABEL(tag) == OP_NAMES ? scn_got_name(tag) : -E_NOENT;
    if (data < 0) {
        scn_record("no data notification from the consumer through %s: %s", ch,
                   status_text(r < 0 ? r : data));
        return 1;
    }
    printf("%s: connected through %s; ring at 0x%lx, the consumer's notification is %ld\n", me, ch,
           RING_WINDOW, data);

    unsigned triggers = 0, dropped = 0, space_waits = 0, space_timeouts = 0;
    unsigned long longest = 0, t_start = clock_us();
    for (unsigned i = 0; i < ITEMS; i++) {
        bool drop = false;
        while (ring_full(ring)) {
            if (!waits_space) {
                drop = true;
                break;
            }
            __atomic_store_n(&ring->prod_waiting, 1, __ATOMIC_SEQ_CST);
            if (!ring_full(ring)) { /* space came between the check and the flag */
                __atomic_store_n(&ring->prod_waiting, 0, __ATOMIC_SEQ_CST);
                break;
            }
            space_waits++;
            r = ipc_wait(200000, &tag, &label);
            if (r == -E_RECV_TIMEOUT) {
                space_timeouts++;
                drop = true;
                break;
            }
        }
        if (drop) {
            dropped++;
            __atomic_store_n(&ring->dropped, dropped, __ATOMIC_SEQ_CST);
        } else {
            ring->data[ring->head % RING_SLOTS] = 0x2000 + i;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            ring->head++;
        }
        if (__atomic_exchange_n(&ring->waiting, 0, __ATOMIC_SEQ_CST)) {
            unsigned long t0 = clock_us();
            r = notify_trigger(data, 1);
            unsigned long dt = clock_us() - t0;
            if (dt > longest) longest = dt;
            if (r == 0)
                triggers++;
            else
                printf("%s: trigger failed: %s\n", me, status_text(r));
        }
        if (i % 12 == 11) sleep_us(1000); /* produced in bursts of twelve (> RING_SLOTS) */
    }
    scn_record("produced %u items through %s in %lu ms: %u stored, %u dropped (ring full), %u "
               "notifications triggered (longest trigger %lu us), %u waits for space, %u timed "
               "out; never blocked by the consumer",
               ITEMS, ch, (clock_us() - t_start) / 1000, ITEMS - dropped, dropped, triggers,
               longest, space_waits, space_timeouts);
    return 0;
}
