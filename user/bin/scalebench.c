/* SPDX-License-Identifier: MIT */
/*
 * The scaling experiments of `make compare` (booted with scaleserver): how the fast-path null
 * round trip grows with the rights the caller holds, and how one revocation grows with the
 * rights derived from what it revokes, in guest instructions (-icount shift=0: rdtsc counts
 * instructions). Each backend holds and revokes its own kind of right:
 *   capgate  capabilities in the caller's space (name_give to itself); revocation: unmap of a
 *            gate whose derivations are n children (fan-out) or a chain of n (recursive)
 *   ports    send-once rights (each under a name of its own); revocation: the port dies and
 *            every one of them becomes a dead name
 *   refmon   IPC rights to the server's threads (first contact, granted by the monitor);
 *            revocation: one unmap of the thread-id space takes the n rights mapped on to the
 *            server
 *   none, clans  hold no per-task rights: nothing to measure (the CSV says n/a)
 * Each series goes until the backend's pool or quota stops it; that limit is printed with the
 * status that stopped it. Output: "scale,<series>,<n>,<instructions>",
 * "scale,limit,<series>,<n>,<status>" and "bench,<case>,<instructions>".
 */
#include "abi/backend.h"
#include "ulib.h"
#include "abi/ports.h" /* PORTS_RIGHT: a right in a message */

#define WARMUP 50
#define BATCHES 10
#define PER_BATCH 40
#define TRIALS 3 /* a revocation is one operation: the best of three drops timer ticks */
#define MAX_RIGHTS 10000
#define FANOUT_MAX 1000 /* the revocation series asks for up to this many derived rights */
#define HELPERS 40      /* scaleserver's threads asked for (refmon; its thread quota decides) */

static word_t server;
static unsigned fan_got; /* rights a failed revocation trial had derived before its limit */
static long held[MAX_RIGHTS];
static word_t helper[HELPERS];
static unsigned helpers;
static const unsigned points[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000, 2048, 4096, 10000};
#define NPOINTS (sizeof(points) / sizeof(points[0]))

enum kind { K_NONE, K_CAPGATE, K_PORTS, K_REFMON };
static enum kind kind;

static long call0(word_t dest)
{
    word_t tag, label;
    return ipc_call(dest, MSGTAG(1, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, &label);
}

/* Instructions per null round trip to the server: the best batch. */
static long null_trip(void)
{
    for (int i = 0; i < WARMUP; i++)
        if (call0(server) < 0) return -1;
    unsigned long best = ~0UL;
    for (int b = 0; b < BATCHES; b++) {
        unsigned long t0 = rdtsc();
        for (int i = 0; i < PER_BATCH; i++)
            call0(server);
        unsigned long d = rdtsc() - t0;
        if (d < best) best = d;
    }
    return (long)(best / PER_BATCH);
}

/* ports: a send-once right to `port` under a name of our own, made from its receive right in a
 * message queued in our port `q` and taken out again. */
static word_t q;
static long once_right(word_t port)
{
    word_t tag, label;
    utcb()->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    utcb()->mr[1] = PORTS_RIGHT(port, PORTS_DISP_MAKE_SEND_ONCE);
    long r = ipc_send(q, MSGTAG(1, 0, 1, 0), TIMEOUT_NEVER);
    if (r == 0) r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    if (r < 0) return r;
    word_t name = PORTS_RIGHT_NAME(utcb()->mr[1]);
    return name ? (long)name : -E_NOMEM;
}

/* One more right held by the caller: a name, or -status at the backend's limit. */
static long acquire(unsigned i)
{
    switch (kind) {
    case K_CAPGATE:
        return name_give(self_task(), server, NAME_SEND);
    case K_PORTS:
        return once_right(q);
    case K_REFMON: {
        if (i >= helpers) return -E_QUOTA; /* the server's thread quota */
        long r = call0(helper[i]);         /* first contact: the monitor grants the right */
        return r < 0 ? r : (long)helper[i];
    }
    default:
        return -E_NOTSUP;
    }
}

static void release(long name)
{
    if (kind == K_CAPGATE || kind == K_PORTS) name_drop((word_t)name);
}

/* Round trip against rights held: acquire up to each point, measure; stop at the limit. */
static void sweep_held(void)
{
    unsigned n = 0;
    printf("scale,asked,held,%u\n", points[NPOINTS - 1]);
    for (unsigned p = 0; p < NPOINTS; p++) {
        while (n < points[p]) {
            long r = acquire(n);
            if (r < 0) { /* the limit: measured there too, then stop */
                long v = n > points[p - 1] ? null_trip() : -1;
                if (v >= 0) printf("scale,held,%u,%ld\n", n, v);
                printf("scale,limit,held,%u,%s\n", n, status_name(r));
                goto done;
            }
            held[n++] = r;
        }
        long v = null_trip();
        if (v < 0) {
            printf("scalebench: the round trip failed holding %u rights\n", n);
            goto done;
        }
        printf("scale,held,%u,%ld\n", n, v);
    }
done:
    for (unsigned i = 0; i < n; i++)
        release(held[i]);
}

/* capgate: n rights derived from a gate of our own (children of it, or a chain), revoked by one
 * unmap of the gate; the revocation is checked (the last derived slot is empty). */
static long fan_capgate(word_t gate, unsigned n, bool chain, long *err)
{
    word_t parent = gate;
    for (unsigned i = 0; i < n; i++) {
        long d = name_give(self_task(), parent, NAME_SEND | NAME_GIVE);
        if (d < 0) {
            *err = d;
            fan_got = i;
            unmap(FPAGE(gate << 12, 0, 0), UNMAP_KIND(FPAGE_KIND_BACKEND));
            return -1;
        }
        held[i] = d;
        if (chain) parent = (word_t)d;
    }
    unsigned long t0 = rdtsc();
    long u = unmap(FPAGE(gate << 12, 0, 0), UNMAP_KIND(FPAGE_KIND_BACKEND));
    unsigned long t1 = rdtsc();
    if (u != 1 || name_drop((word_t)held[n - 1]) != -E_NOCAP) {
        printf("scalebench: capgate revocation of %u: unmap %ld, a derived right survived\n", n, u);
        *err = -E_INVAL;
        return -1;
    }
    return (long)(t1 - t0);
}

/* ports: n send-once rights to a new port; the port dies (its receive right dropped) and every
 * one becomes a dead name (checked on one), which we then drop. */
static long fan_ports(unsigned n, long *err)
{
    long port = endpoint_create(self_thread(), 0);
    if (port < 0) {
        *err = port;
        return -1;
    }
    unsigned got = 0;
    for (; got < n; got++) {
        long r = once_right((word_t)port);
        if (r < 0) {
            *err = r;
            fan_got = got;
            break;
        }
        held[got] = r;
    }
    long ret = -1;
    name_drop((word_t)port); /* its send right: the receive right is left */
    unsigned long t0 = rdtsc();
    long d = name_drop((word_t)port);
    unsigned long t1 = rdtsc();
    if (got == n) {
        if (d == 0 && ipc_send((word_t)held[n - 1], MSGTAG(1, 0, 0, 0), 0) == -E_NOPARTNER)
            ret = (long)(t1 - t0);
        else {
            printf("scalebench: port death with %u send-once rights: drop %ld, no dead name\n", n,
                   d);
            *err = -E_INVAL;
        }
    }
    for (unsigned i = 0; i < got; i++)
        name_drop((word_t)held[i]);
    return ret;
}

/* refmon: the rights to n server threads mapped on to the server, then one unmap of the whole
 * thread-id space takes them all (ours stay: no UNMAP_SELF). */
static long fan_refmon(unsigned n, long *err)
{
    word_t tag, label;
    for (unsigned i = 0; i < n; i++) {
        long r = i < helpers ? call0(helper[i]) : -E_QUOTA; /* hold it (first contact) */
        if (r == 0) {
            utcb()->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
            utcb()->mr[1] = FPAGE(helper[i] << 12, 0, FPAGE_R);
            r = ipc_call(server, MSGTAG(1, 0, 1, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, &label);
        }
        if (r < 0) {
            *err = r;
            fan_got = i;
            unmap(FPAGE(0, 32, 0), UNMAP_KIND(FPAGE_KIND_BACKEND));
            return -1;
        }
    }
    unsigned long t0 = rdtsc();
    long u = unmap(FPAGE(0, 32, 0), UNMAP_KIND(FPAGE_KIND_BACKEND));
    unsigned long t1 = rdtsc();
    if (u < (long)n) {
        printf("scalebench: refmon unmap over %u rights mapped on: %ld\n", n, u);
        *err = -E_INVAL;
        return -1;
    }
    return (long)(t1 - t0);
}

/* One revocation of n derived rights: the best of TRIALS (-1 and *err at the limit). */
static long fan_best(word_t gate, unsigned n, bool chain, long *err)
{
    long best = -1;
    for (int t = 0; t < TRIALS && *err == 0; t++) {
        long v = kind == K_CAPGATE ? fan_capgate(gate, n, chain, err)
                 : kind == K_PORTS ? fan_ports(n, err)
                                   : fan_refmon(n, err);
        if (v >= 0 && (best < 0 || v < best)) best = v;
    }
    return *err ? -1 : best;
}

/* Revocation against the rights it takes away, 1..1000, and at the limit if one stops it. */
static void sweep_fanout(const char *series, bool chain)
{
    long gate = 0;
    if (kind == K_CAPGATE && (gate = endpoint_create(self_thread(), 0x9a7e)) < 0) {
        printf("scalebench: no gate of our own: %s\n", status_text(gate));
        return;
    }
    printf("scale,asked,%s,%u\n", series, FANOUT_MAX);
    for (unsigned p = 0; p < NPOINTS && points[p] <= FANOUT_MAX; p++) {
        unsigned n = points[p];
        long err = 0, best = fan_best((word_t)gate, n, chain, &err);
        if (err != 0) {
            unsigned got = fan_got;
            long err2 = 0;
            if (p > 0 && got > points[p - 1] &&
                (best = fan_best((word_t)gate, got, chain, &err2)) >= 0)
                printf("scale,%s,%u,%ld\n", series, got, best);
            printf("scale,limit,%s,%u,%s\n", series, got, status_name(err));
            break;
        }
        printf("scale,%s,%u,%ld\n", series, n, best);
    }
    if (gate > 0) name_drop((word_t)gate);
}

/* capgate's delegation: a name given to ourselves (derived in the mapping database), and a
 * call carrying the gate into the server's window, revoked again by unmap after each call. */
static void capgate_costs(void)
{
    long gate = endpoint_create(self_thread(), 0x9a7e);
    if (gate < 0) return;
    unsigned long best_give = ~0UL, best_rev = ~0UL, best_map = ~0UL;
    for (int b = 0; b < BATCHES + 1; b++) {
        unsigned long t0 = rdtsc();
        for (int i = 0; i < PER_BATCH; i++)
            held[i] = name_give(self_task(), (word_t)gate, NAME_SEND);
        unsigned long t1 = rdtsc();
        for (int i = 0; i < PER_BATCH; i++)
            name_drop((word_t)held[i]);
        unsigned long t2 = rdtsc();
        for (int i = 0; i < PER_BATCH; i++) {
            word_t tag, label;
            utcb()->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
            utcb()->mr[1] = FPAGE((word_t)gate << 12, 0, FPAGE_R);
            ipc_call(server, MSGTAG(1, 0, 1, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, &label);
            unmap(FPAGE((word_t)gate << 12, 0, 0), UNMAP_KIND(FPAGE_KIND_BACKEND));
        }
        unsigned long t3 = rdtsc();
        if (held[0] < 0) {
            printf("scalebench: name_give: %s\n", status_text(held[0]));
            return;
        }
        if (b == 0) continue; /* warm-up */
        if (t1 - t0 < best_give) best_give = t1 - t0;
        if (t2 - t1 < best_rev) best_rev = t2 - t1;
        if (t3 - t2 < best_map) best_map = t3 - t2;
    }
    printf("bench,capgate_name_give_derive,%lu\n", best_give / PER_BATCH);
    printf("bench,capgate_name_drop_derived,%lu\n", best_rev / PER_BATCH);
    printf("bench,capgate_call_delegating_gate_then_unmap,%lu\n", best_map / PER_BATCH);
    name_drop((word_t)gate);
}

int main(word_t srv)
{
    server = srv;
    struct backend_desc be;
    if (kinfo(KINFO_POLICY, &be) < 0) return 1;
    kind = !strcmp(be.name, "capgate")  ? K_CAPGATE
           : !strcmp(be.name, "ports")  ? K_PORTS
           : !strcmp(be.name, "refmon") ? K_REFMON
                                        : K_NONE;
    printf("scale,backend,%s\n", be.name);
    if (kind == K_PORTS && (long)(q = (word_t)endpoint_create(self_thread(), 0)) < 0) return 1;
    if (kind == K_REFMON) {
        word_t tag, label;
        utcb()->mr[0] = HELPERS;
        if (ipc_call(server, MSGTAG(3, 1, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, &label) == 0)
            for (helpers = 0; helpers < MSGTAG_WORDS(tag) && helpers < HELPERS; helpers++)
                helper[helpers] = utcb()->mr[helpers];
        printf("scale,helpers,%u\n", helpers);
    }
    if (kind != K_NONE) {
        printf("scale,held,0,%ld\n", null_trip()); /* the baseline: no rights held besides */
        sweep_held();
        sweep_fanout("fanout", false);
        if (kind == K_CAPGATE) {
            sweep_fanout("chain", true);
            capgate_costs();
        }
    }
    ipc_call(server, MSGTAG(2, 0, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, 0, 0);
    printf("scale,done\n");
    return 0;
}
