/* SPDX-License-Identifier: MIT */
/*
 * IPC round-trip benchmark (call + reply-and-wait between two address spaces). Under
 * -icount shift=0 the TSC counts executed instructions, so each figure is the exact number
 * of guest instructions per round trip, user stubs included. The minimum over batches drops
 * the batches a timer interrupt landed in. Prints "bench,<case>,<instructions>".
 * Where the backend queues messages (ports) it also measures the buffered path: a send into
 * a port of its own nobody waits on, then the receive that takes it (the double copy), and a
 * send right carried in a message (copy-send), handed over and buffered.
 */
#include "abi/backend.h"
#include "ping_idl.h"
#include "ulib.h"
#include "abi/ports.h" /* PORTS_RIGHT: a right in a message */

#define WARMUP 100
#define BATCHES 20
#define PER_BATCH 50

static char payload[4096] __attribute__((aligned(4096)));

enum item { NO_ITEM, STRING_ITEM, MAP_ITEM, IDL_NULL };

/* n null RPCs through the generated stubs (idl/ping.idl): a loop of its own, as the raw one,
 * so that neither pays for the other's code. */
static __attribute__((noinline)) long idl_round_trips(word_t server, int n)
{
    for (int i = 0; i < n; i++) {
        long r = ping_null_call(server);
        if (r < 0) return r;
    }
    return 0;
}

/*
 * n calls with `words` untyped words and optionally one typed item: a string of `size` bytes,
 * or a map item of one page, which is revoked again (unmap) after each round trip so that
 * every call maps for real.
 */
static long round_trips(word_t server, unsigned words, enum item item, unsigned size, int n)
{
    word_t tag, label;
    if (item == IDL_NULL) return idl_round_trips(server, n);
    for (int i = 0; i < n; i++) {
        unsigned items = item == NO_ITEM ? 0 : 1;
        if (item == STRING_ITEM) {
            utcb()->mr[words] = ITEM_STRING_HDR(size);
            utcb()->mr[words + 1] = (word_t)payload;
        } else if (item == MAP_ITEM) {
            utcb()->mr[words] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_MEM, 0);
            utcb()->mr[words + 1] = FPAGE((word_t)payload, 12, FPAGE_R);
        }
        long r = ipc_call(server, MSGTAG(1, words, items, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag,
                          &label);
        if (r < 0) return r;
        if (item == MAP_ITEM && unmap(FPAGE((word_t)payload, 12, 0), 0) != 1) return -E_MAPFAIL;
    }
    return 0;
}

/* A queued send to `port` (ours, nobody waiting: it is buffered) and the receive that takes
 * it, n times; with `right`, the message carries a copy of our send right to the port. */
static long queued_trips(word_t port, unsigned words, bool right, int n)
{
    word_t tag, label;
    for (int i = 0; i < n; i++) {
        if (right) {
            utcb()->mr[words] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
            utcb()->mr[words + 1] = PORTS_RIGHT(port, PORTS_DISP_COPY_SEND);
        }
        long r = ipc_send(port, MSGTAG(1, words, right ? 1 : 0, 0), TIMEOUT_NEVER);
        if (r == 0) r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
        if (r < 0) return r;
        if (right && name_drop(port) < 0) return -E_INVAL; /* the reference that arrived */
    }
    return 0;
}

/* A call carrying a copy of a send right (handed over at once, no buffering). */
static long right_trips(word_t server, word_t port, int n)
{
    word_t tag, label;
    for (int i = 0; i < n; i++) {
        utcb()->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
        utcb()->mr[1] = PORTS_RIGHT(port, PORTS_DISP_COPY_SEND);
        long r = ipc_call(server, MSGTAG(1, 0, 1, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, &label);
        if (r < 0) return r;
    }
    return 0;
}

/* The queueing backend's cases; kind 0: queued words, 1: queued with a right, 2: a call
 * carrying a right to the server. */
static void measure_queued(const char *name, word_t server, word_t port, unsigned words, int kind)
{
    long r =
        kind == 2 ? right_trips(server, port, WARMUP) : queued_trips(port, words, kind, WARMUP);
    if (r < 0) {
        printf("pingclient: %s failed: %s\n", name, status_text(r));
        return;
    }
    unsigned long best = ~0UL;
    for (int b = 0; b < BATCHES; b++) {
        unsigned long t0 = rdtsc();
        if (kind == 2)
            right_trips(server, port, PER_BATCH);
        else
            queued_trips(port, words, kind, PER_BATCH);
        unsigned long d = rdtsc() - t0;
        if (d < best) best = d;
    }
    printf("bench,%s,%lu\n", name, best / PER_BATCH);
}

static void measure(const char *name, word_t server, unsigned words, enum item item, unsigned size)
{
    long r = round_trips(server, words, item, size, WARMUP);
    if (r < 0) {
        printf("pingclient: IPC failed: %s\n", status_text(r));
        return;
    }
    unsigned long best = ~0UL;
    for (int b = 0; b < BATCHES; b++) {
        unsigned long t0 = rdtsc();
        round_trips(server, words, item, size, PER_BATCH);
        unsigned long d = rdtsc() - t0;
        if (d < best) best = d;
    }
    printf("bench,%s,%lu\n", name, best / PER_BATCH);
}

/*
 * Backends whose IPC rights a monitor grants on first contact (refmon's row: global names a
 * monitor both redirects and revokes): the client gives its right to the server up (unmap
 * with UNMAP_SELF) before each call, so each call faults to its monitor (the root's default
 * pager), which grants, and the kernel retries. first_contact times the call alone;
 * revoke_then_recontact the unmap and the call.
 */
static void measure_first_contact(word_t server)
{
    struct backend_desc be;
    if (kinfo(KINFO_POLICY, &be) < 0 || be.names != BACKEND_NAMES_GLOBAL || !be.redirects ||
        !be.revocable)
        return;
    unsigned long best_call = ~0UL, best_both = ~0UL;
    for (int b = 0; b < BATCHES + 1; b++) {
        unsigned long calls = 0, both = 0;
        for (int i = 0; i < PER_BATCH; i++) {
            word_t tag;
            unsigned long t0 = rdtsc();
            long u = unmap(FPAGE(server << 12, 0, 0), UNMAP_KIND(FPAGE_KIND_BACKEND) | UNMAP_SELF);
            unsigned long t1 = rdtsc();
            long r = ipc_call(server, MSGTAG(1, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, 0);
            unsigned long t2 = rdtsc();
            if (u != 1 || r < 0) {
                printf("pingclient: first contact: unmap %ld, call %s\n", u, status_text(r));
                return;
            }
            calls += t2 - t1;
            both += t2 - t0;
        }
        if (b == 0) continue; /* warm-up */
        if (calls < best_call) best_call = calls;
        if (both < best_both) best_both = both;
    }
    printf("bench,refmon_first_contact,%lu\n", best_call / PER_BATCH);
    printf("bench,refmon_revoke_then_recontact,%lu\n", best_both / PER_BATCH);
}

int main(word_t server)
{
    static const unsigned cases[] = {0, 1, 4, 8, 64};
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char name[32];
        fmt_snprintf(name, sizeof(name), "ipc_call_%u_words", cases[i]);
        measure(name, server, cases[i], NO_ITEM, 0);
    }
    measure("ipc_call_4KiB_string", server, 0, STRING_ITEM, 4096);
    measure("ipc_call_map_1_page_then_unmap", server, 0, MAP_ITEM, 4096);
    /* Compare with ipc_call_0_words: the generated client stub and server dispatch. */
    measure("idl_null_rpc", server, 0, IDL_NULL, 0);
    measure_first_contact(server);
    struct backend_desc be;
    if (kinfo(KINFO_POLICY, &be) >= 0 && be.queues) {
        long port = endpoint_create(self_thread(), 0); /* ours: a send goes into its queue */
        static const unsigned qcases[] = {1, 8, 64};
        for (unsigned i = 0; port > 0 && i < sizeof(qcases) / sizeof(qcases[0]); i++) {
            char name[48];
            fmt_snprintf(name, sizeof(name), "queued_send_then_receive_%u_words", qcases[i]);
            measure_queued(name, server, (word_t)port, qcases[i], 0);
        }
        if (port > 0) {
            measure_queued("queued_send_copy_send_right_then_receive", server, (word_t)port, 0, 1);
            measure_queued("ipc_call_copy_send_right", server, (word_t)port, 0, 2);
        }
    }
    /* The cost of the measurement itself: two rdtsc with nothing between. */
    unsigned long t0 = rdtsc(), t1 = rdtsc();
    printf("bench,rdtsc_overhead,%lu\n", t1 - t0);
    ipc_call(server, MSGTAG(2, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, 0, 0);
    return 0;
}
