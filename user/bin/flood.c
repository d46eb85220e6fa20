/* SPDX-License-Identifier: MIT */
/* Trace flooding: one message delivered, then more refused sends than the kernel's trace ring
 * holds; the trace must still show the delivery (tests/boot/trace_flood). */
#include "ulib.h"

#define FLOOD_SENDS 9000 /* more than TRACE_RECORDS (8,192) */
#define NO_SUCH_NAME 0xfffffu

static volatile word_t receiver_name;
static volatile int received;
static unsigned char stack[4096] __attribute__((aligned(16)));

static long receiver(word_t arg)
{
    (void)arg;
    receiver_name = self_thread();
    word_t tag, label;
    if (ipc_wait(TIMEOUT_NEVER, &tag, &label) == 0 && MSGTAG_LABEL(tag) == 0x77) received = 1;
    return 0;
}

int main(void)
{
    /* Above our priority (10): it runs at once and waits for the message. */
    long t = thread_start(receiver, 0, stack, sizeof(stack), 12);
    if (t < 0) return (int)report_error("flood: thread_start", t);
    long ep = endpoint_create(receiver_name, 0x42);
    if (ep < 0) return (int)report_error("flood: endpoint_create", ep);
    utcb()->mr[0] = 1;
    long r = ipc_send((word_t)ep, MSGTAG(0x77, 1, 0, 0), TIMEOUT_NEVER);
    if (r < 0) return (int)report_error("flood: send", r);
    int refused = 0;
    for (int i = 0; i < FLOOD_SENDS; i++)
        refused += ipc_send(NO_SUCH_NAME, MSGTAG(0x78, 0, 0, 0), TIMEOUT_ZERO) < 0;
    printf("flood: delivered %d, refused %d of %d\n", received, refused, FLOOD_SENDS);
    return received == 1 && refused == FLOOD_SENDS ? 0 : 1;
}
