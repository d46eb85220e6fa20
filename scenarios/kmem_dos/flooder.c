/* SPDX-License-Identifier: MIT */
/*
 * The flooder (kmem_dos): FLOODERS threads send log entries to the log service as fast as
 * they can, with a zero timeout and with short blocking timeouts, never waiting for an
 * answer. Where the kernel keeps messages for an absent receiver, this fills kernel memory;
 * here each send is taken by a waiting receiver, or refused, or its sender waits. What it
 * counts is for the reader; the verdict is the trace's (the client's requests).
 *
 * Where messages wait in the kernel (the backend descriptor's `queues`: ports), it first
 * hoards: ports of its own that nobody receives from, their queues raised to the backend's
 * maximum, filled until the kernel or its quota says no; they stay until it exits, which it
 * does only after the client's run.
 */
#include "scn.h"
#include "abi/ports.h" /* PORTS_BIND_QLIMIT: a port's queue limit */

#define FLOODERS 8
#define ROUNDS 150
#define HOARD_PORTS 32
#define HOARD_QLIMIT 64      /* MSGQ_LIMIT_MAX */
#define STAY_US (400 * 1000) /* the client's 30 calls take about 200 ms */

static word_t log_name;
static unsigned char stacks[FLOODERS][4096] __attribute__((aligned(16)));
static volatile unsigned delivered, refused, timed_out, finished;

/* Messages kept in the kernel for good (ports of its own nobody receives from); how many. */
static unsigned hoard(long *why)
{
    unsigned kept = 0;
    *why = 0;
    for (word_t i = 0; i < HOARD_PORTS && *why == 0; i++) {
        long ep = endpoint_create(0, 0x4000 + i);
        if (ep < 0) {
            *why = ep;
            break;
        }
        endpoint_bind((word_t)ep, PORTS_BIND_QLIMIT(HOARD_QLIMIT));
        for (;;) {
            long r = ipc_send((word_t)ep, MSGTAG(7, 8, 0, 0), TIMEOUT_ZERO);
            if (r == -E_SEND_TIMEOUT) break; /* this queue is full: the next port */
            if (r < 0) {
                *why = r; /* kernel memory (E_NOMEM) or its quota (E_QUOTA) */
                break;
            }
            kept++;
        }
    }
    return kept;
}

static long flood(word_t id)
{
    struct utcb *u = utcb();
    for (unsigned i = 0; i < ROUNDS; i++) {
        for (unsigned w = 0; w < 8; w++)
            u->mr[w] = id << 32 | i << 8 | w;
        /* every fourth send waits a little for the receiver; the others not at all */
        long r = ipc_send(log_name, MSGTAG(7, 8, 0, 0), i % 4 == 0 ? 2000 : TIMEOUT_ZERO);
        if (r == 0)
            __atomic_add_fetch(&delivered, 1, __ATOMIC_RELAXED);
        else if (r == -E_SEND_TIMEOUT)
            __atomic_add_fetch(&timed_out, 1, __ATOMIC_RELAXED);
        else
            __atomic_add_fetch(&refused, 1, __ATOMIC_RELAXED);
    }
    __atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
    return 0;
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long name = scn_channel("c_log");
    if (name < 0) return report_error("flooder: no channel c_log", name);
    log_name = (word_t)name;
    bool queues = scn_backend()->queues;
    if (queues) {
        long why;
        unsigned kept = hoard(&why);
        printf("%s: %u messages kept in kernel memory, then: %s\n", scn_self(), kept,
               why ? status_text(why) : "no more ports");
    }
    unsigned started = 0;
    for (unsigned t = 1; t < FLOODERS; t++)
        if (thread_start(flood, t, stacks[t], sizeof(stacks[t]), PRIO_DEFAULT) >= 0) started++;
    flood(0);
    while (finished < started + 1)
        sleep_us(1000);
    if (queues) sleep_us(STAY_US); /* the hoard stays while the client runs */
    printf("%s: %u sends: %u taken by a waiting receiver, %u timed out (nothing kept), %u "
           "refused\n",
           scn_self(), (started + 1) * ROUNDS, delivered, timed_out, refused);
    return 0;
}
