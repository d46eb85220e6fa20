/* SPDX-License-Identifier: MIT */
/*
 * dead_name (attacker): once the service has ended, starts THREADS threads (taking the thread
 * pool's freed entries first) and ENDPOINTS endpoints on them (the endpoint pool's), each
 * thread waiting for whatever arrives, and tries to register "svc" with one of them. A message
 * of the client arriving here after the service's end is the success; the trace decides.
 */
#include "scenarios/common/rpcsvc.h"

#define THREADS 6
#define ENDPOINTS 24
#define LISTEN_US 60000

static unsigned char stacks[THREADS][4096] __attribute__((aligned(16)));
static volatile int got;

static long listener(word_t arg)
{
    (void)arg;
    word_t tag, label;
    while (ipc_wait(LISTEN_US, &tag, &label) == 0) {
        got++;
        ipc_reply(MSGTAG(RPC_RESP, 0, 0, 0));
    }
    return 0;
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(4000); /* the service answers its one request and ends */
    long th[THREADS], eps = 0, ep = -1;
    for (int i = 0; i < THREADS; i++)
        th[i] = thread_start(listener, 0, stacks[i], sizeof(stacks[i]), PRIO_DEFAULT);
    for (int i = 0; i < ENDPOINTS; i++) {
        long t = th[i % THREADS];
        long e = t < 0 ? t : endpoint_create((word_t)t, 0x500 + (word_t)i);
        if (e >= 0 && ep < 0) ep = e;
        eps += e >= 0;
    }
    long reg = ep < 0 ? ep : ns_register("svc", (word_t)ep);
    scn_record("started %d threads (first 0x%lx), %ld endpoints; registering \"svc\": %s", THREADS,
               th[0], eps, status_text(reg));
    sleep_us(LISTEN_US + 10000);
    scn_record("%d messages arrived", got);
    return 0;
}
