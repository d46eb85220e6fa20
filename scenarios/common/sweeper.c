/* SPDX-License-Identifier: MIT */
/*
 * The authority sweep's program (scripts/sweep.sh runs it in place of every declared task's
 * program): registers the task's services under their declared names, then tries to reach
 * every other task through every name it holds (its declared channels), every name its name
 * service gives it (every listed name, every declared lookup) and every name it can guess (the
 * numbers 1..SWEEP_GUESS: global thread ids, capability slots or port names, as the backend
 * names things), taking what arrives between its sends. What reached whom is read
 * from the kernel's trace (scripts/sweep_compare.py), never from this program's counts.
 */
#include "scn.h"

#define SWEEP_PROTO 0x5e /* the marked message's label */
#define SWEEP_GUESS 256  /* the thread pool's size; capability and port spaces are no larger */
#define SWEEP_MAX 512    /* names held or looked up, besides the guessed ones */
#define START_US 8000    /* every task of the setup is started by then */
#define TURN_US 500      /* tasks take turns: each round, 0..TURNS-1 times this apart (turn()) */
#define TURNS 32
#define ROUND_US 20000  /* between rounds: only receive */
#define ROUNDS 5        /* tries of a name whose receiver was not waiting */
#define MONITOR_US 2000 /* a send that faults to a monitor: how long it may wait for the answer */
#define IDLE_US 50000   /* at the end: receive until this long without a message */

static word_t held[SWEEP_MAX];
static unsigned nheld;
static word_t pending[SWEEP_GUESS + SWEEP_MAX]; /* names whose last try timed out */
static unsigned npending;
static unsigned long delivered, refused, timed_out, received;

static void add_held(long name)
{
    if (name <= 0 || nheld == SWEEP_MAX) return;
    for (unsigned i = 0; i < nheld; i++)
        if (held[i] == (word_t)name) return;
    held[nheld++] = (word_t)name;
}

/* Takes every message already waiting for this thread (the one the task's names lead to). */
static void drain(void)
{
    word_t tag, label;
    while (ipc_wait(TIMEOUT_ZERO, &tag, &label) == 0)
        received++;
}

/* Only receives, for `us` microseconds. */
static void listen(uint32_t us)
{
    unsigned long t0 = clock_us();
    word_t tag, label;
    for (unsigned long now = t0; now - t0 < us; now = clock_us())
        if (ipc_wait((uint32_t)(us - (now - t0)), &tag, &label) == 0) received++;
}

/* One marked send that never blocks (so two tasks never wait for each other), after taking
 * what waits for this thread (a chief's or monitor's forward); a receiver that was not waiting
 * (E_SEND_TIMEOUT) is tried again in the next round. A send that faults to a reference monitor
 * cannot wait for its answer with timeout zero (E_RECV_TIMEOUT): that one try waits. */
static void try_send(word_t name)
{
    drain();
    utcb()->mr[0] = 0x5eeb;
    utcb()->mr[1] = 0;
    long r = ipc_send(name, MSGTAG(SWEEP_PROTO, 2, 0, 0), TIMEOUT_ZERO);
    if (r == -E_RECV_TIMEOUT) { /* a reference monitor was asked, but no answer waited for */
        utcb()->mr[0] = 0x5eeb;
        utcb()->mr[1] = 0;
        r = ipc_send(name, MSGTAG(SWEEP_PROTO, 2, 0, 0), MONITOR_US);
    }
    if (r == 0) {
        delivered++;
    } else if (r == -E_SEND_TIMEOUT) {
        timed_out++;
        if (npending < sizeof(pending) / sizeof(pending[0])) pending[npending++] = name;
    } else {
        refused++;
    }
}

/* Every name the task's name service lists, and every name its declared lookups use
 * ("lk:" items the loader writes for the sweeper, scn_lookup_at). */
static void lookups(void)
{
    char list[(UTCB_MRS - 1) * sizeof(word_t) + 1];
    long n = ns_list(list, sizeof(list));
    for (char *p = list; n > 0 && *p;) {
        char *end = strchr(p, ',');
        if (end) *end = 0;
        add_held(ns_lookup(p));
        if (!end) break;
        p = end + 1;
    }
    char reg[NS_NAME_MAX + 1];
    for (unsigned i = 0; scn_lookup_at(i, reg, sizeof(reg)); i++)
        add_held(ns_lookup(reg));
}

/* Sends again to the names whose last try timed out. */
static void retry_pending(void)
{
    static word_t again[sizeof(pending) / sizeof(pending[0])];
    unsigned n = npending;
    memcpy(again, pending, n * sizeof(word_t));
    npending = 0;
    timed_out -= n;
    for (unsigned i = 0; i < n; i++)
        try_send(again[i]);
}

/* When this task takes its turn in a round: a different offset for each task and round, so
 * that no two tasks keep sending at the same moments (either would find the other busy). */
static uint32_t turn(unsigned round)
{
    uint32_t h = 2166136261u; /* FNV-1a of the declared name (self_task() is a task-local name
                               * where names are capabilities: the same in every task) */
    for (const char *c = scn_self(); *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    h ^= round * 0x9e3779b9u; /* then murmur3's finaliser: every bit mixed */
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return (h % TURNS) * TURN_US;
}

/*
 * The task's first thread does everything, since every name of the task leads to it (a thread
 * id, or an endpoint bound to it) and a chief's rules name it as the sender. It registers the
 * task's services, looks up every name, then sends to each name once without blocking, in its
 * turn (the others are receiving meanwhile), and again in later rounds to the names whose
 * receiver was busy; then it receives until nothing comes.
 */
int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    char svc[64], reg[NS_NAME_MAX + 1];
    for (unsigned i = 0; scn_regname_at(i, svc, sizeof(svc), reg, sizeof(reg)); i++) {
        long ep = scn_service(svc);
        long r = ep < 0 ? ep : ns_register(reg, (word_t)ep);
        if (r < 0) printf("[sweep] %s: registering \"%s\": %s\n", scn_self(), reg, status_text(r));
    }
    /* every lookup before anyone sends: where IPC passes a chief, a chief blocked forwarding
     * to this thread would otherwise wait for it while it waits for the chief */
    listen(START_US);
    lookups();
    listen(START_US);
    for (unsigned i = 0; scn_channel_at(i); i++)
        add_held(scn_channel(scn_channel_at(i)));
    listen(turn(0));
    for (unsigned i = 0; i < nheld; i++)
        try_send(held[i]);
    for (word_t name = 1; name <= SWEEP_GUESS; name++)
        try_send(name);
    for (int round = 1; round < ROUNDS && npending; round++) {
        listen(ROUND_US + turn((unsigned)round));
        retry_pending();
    }
    word_t tag, label;
    while (ipc_wait(IDLE_US, &tag, &label) != -E_RECV_TIMEOUT)
        received++;
    printf("[sweep] %s: %u held or looked-up names; sends: %lu delivered, %lu refused, %lu "
           "receivers never waiting; %lu received\n",
           scn_self(), nheld, delivered, refused, timed_out, received);
    return 0;
}
