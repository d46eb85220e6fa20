/* SPDX-License-Identifier: MIT */
/*
 * An attacker of reply_misuse.scn: takes the client's call, works 30 ms (in place: a new wait,
 * even a sleep, would end its reply capability), and replies after the client gave up (10 ms).
 * The kernel must refuse (E_NOREPLY: the caller no longer waits for this thread). Then it tries
 * what else it can to get its late answer in: a send to the name the label gave it (the
 * client's thread id under none), and a zero-timeout send to every name it can form.
 */
#include "scn.h"

static long send_resp(word_t name, uint32_t timeout)
{
    utcb()->mr[0] = 0x5105;
    return ipc_send(name, MSGTAG(2, 1, 0, 0), timeout);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    const char *me = scn_self();
    bool local = scn_backend()->names == BACKEND_NAMES_LOCAL;
    bool sender_id = scn_backend()->label == BACKEND_LABEL_SENDER;
    word_t tag, label;
    long r = ipc_wait(200000, &tag, &label);
    if (r < 0) {
        printf("%s: no request: %s\n", me, status_text(r));
        return 1;
    }
    printf("%s: request proto %lu with label 0x%lx; answering in 30 ms\n", me, MSGTAG_LABEL(tag),
           label);
    unsigned long t0 = clock_us();
    scn_work(30000); /* not a sleep: a sleep is a receive and would end the reply capability */
    utcb()->mr[0] = 0x5105;
    long reply = ipc_reply(MSGTAG(2, 1, 0, 0));
    printf("%s: the late reply (after %lu us): %s\n", me, clock_us() - t0, status_text(reply));

    /* where the label is the caller's thread id (none), it is a name to send to */
    if (sender_id) {
        r = send_resp(label, 20000);
        printf("%s: a send to the caller's id %lu (20 ms): %s\n", me, label, status_text(r));
    }
    unsigned delivered = 0, waiting = 0;
    word_t limit = local ? 256 : 1024, self = self_thread();
    for (word_t s = 1; s < limit; s++) {
        if (s == self) continue;
        r = send_resp(s, TIMEOUT_ZERO);
        if (r == 0) {
            delivered++;
            printf("%s: a response sent to name %lu was delivered\n", me, s);
        } else if (r == -E_SEND_TIMEOUT) {
            waiting++;
        }
    }
    scn_record("the late reply: %s; then names 1..%lu: %u took a zero-timeout response, %u "
               "exist but were not receiving (the client's record decides)",
               status_text(reply), limit - 1, delivered, waiting);
    return 0;
}
