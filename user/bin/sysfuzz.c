/* SPDX-License-Identifier: MIT */
/*
 * The syscall fuzzer's supervisor, run as the root task. Reads "seed=N calls=N" from the boot
 * module "fuzzcfg", keeps FZ_SLOTS workers (fuzzworker) fuzzing until their calls add up to
 * N, restarts any that dies, and watches them in virtual time: a thread that makes no progress
 * in a call that cannot block long (or in its own code while the supervisor is its pager) is a
 * hang, reported with the seed and the call, then killed. At the end every worker is killed
 * and the kernel's task, thread, mapping-node and notification counts and its free frames
 * must be back where they started. Prints one verdict line and powers off with 0 (clean) or 1.
 */
#include "tests/fuzz/sysfuzz.h"
#include "ulib.h"

#define PRIO_SUPERVISOR PRIO_MAX
#define TICK_US 2000
#define STUCK_US 50000   /* a worker blocked this long where blocking is allowed: restarted */
#define HANG_US 1000000  /* a thread this long in a call that cannot block long: a hang */
#define DRAIN_US 2000000 /* orphans of killed workers all end within this */
#define KILL_CODE 0x4b1

static struct fz_status status[FZ_SLOTS] __attribute__((aligned(4096)));
static unsigned char pager_stack[8192] __attribute__((aligned(16)));
static unsigned char waiter_stack[FZ_SLOTS][4096] __attribute__((aligned(16)));
static char cfg[256];

struct worker {
    bool alive;
    volatile bool go;    /* set when its waiter may wait for it */
    volatile bool ended; /* set by its waiter thread */
    long task;
    word_t thread, seed;
    word_t last_seq[FZ_THREADS];
    unsigned long since[FZ_THREADS]; /* when last_seq last changed */
    unsigned long progress_at;       /* when any of its threads last made a call (or spawn) */
    long ep_to[FZ_SLOTS];            /* the root's endpoints given to this worker, per peer */
    struct task_exit exit;
};
static struct worker workers[FZ_SLOTS];
static word_t seed, calls_wanted, calls, verbose, incarnations;
static unsigned long hangs, stuck_kills, deaths, spawn_failures;
static char policy[16] = "?";
static unsigned mod_worker;

static word_t mix(word_t x)
{
    x += 0x9e3779b97f4a7c15UL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
    return x ^ (x >> 31);
}

static void reproducer(void)
{
    printf("sysfuzz: reproduce with: make fuzz-kernel POLICY=%s SEED=%lu CALLS=%lu\n", policy, seed,
           calls_wanted);
}

/* Answers page faults: a worker's first touch of its status page maps the supervisor's copy;
 * every other fault (and any other message) is answered with "kill". */
static long pager(word_t arg)
{
    (void)arg;
    word_t tag, label;
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    for (;;) {
        if (r < 0) {
            r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
            continue;
        }
        struct utcb *u = utcb();
        word_t a = u->mr[0], reply = MSGTAG(IPC_LABEL_KILL, 0, 0, 0);
        if (MSGTAG_LABEL(tag) == IPC_LABEL_PAGEFAULT &&
            (MSGTAG_FLAGS(tag) & MSGTAG_F_NOTIFY) == 0 && a >= FZ_STATUS_BASE &&
            a < FZ_STATUS_END) {
            word_t page = (word_t)&status[(a - FZ_STATUS_BASE) / 4096];
            u->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_MEM, a);
            u->mr[1] = FPAGE(page, 12, FPAGE_R | FPAGE_W);
            reply = MSGTAG(0, 0, 1, 0);
        }
        r = ipc_reply_wait(reply, TIMEOUT_NEVER, &tag, &label);
    }
    return 0;
}

/* One per slot for the whole run (a thread that ended could still be on its stack when the
 * next one starts): waits for each incarnation of its worker to end. */
static long waiter(word_t i)
{
    for (;;) {
        while (!workers[i].go)
            sleep_us(500);
        workers[i].go = false;
        task_wait(workers[i].task, &workers[i].exit);
        workers[i].ended = true;
    }
    return 0;
}

static unsigned module(const char *want)
{
    char name[32];
    for (unsigned i = 1; module_info(i, name, sizeof(name)) >= 0; i++)
        if (strcmp(name, want) == 0) return i;
    return 0;
}

/* The value of "key=N" in the configuration module, or dflt. */
static word_t cfg_value(const char *key, word_t dflt)
{
    size_t n = strlen(key);
    for (const char *p = cfg; *p; p++) {
        if ((p == cfg || p[-1] == ' ' || p[-1] == '\n') && strncmp(p, key, n) == 0 && p[n] == '=') {
            word_t v = 0;
            for (p += n + 1; *p >= '0' && *p <= '9'; p++)
                v = v * 10 + (word_t)(*p - '0');
            return v;
        }
    }
    return dflt;
}

/* Names between worker i (new) and every other live worker, both ways: root endpoints bound
 * to the peer's first thread, given with full rights (so they can be passed on and mapped). */
static void connect_peers(unsigned i)
{
    for (unsigned p = 0; p < FZ_SLOTS; p++) {
        if (p == i || !workers[p].alive) continue;
        long ep = endpoint_create(workers[p].thread, 0x100 + p);
        long g = ep < 0 ? ep : name_give(workers[i].task, (word_t)ep, NAME_FULL);
        workers[i].ep_to[p] = ep;
        status[i].peers[p] = g < 0 ? 0 : (word_t)g;
        status[i].peer_tasks[p] = (word_t)workers[p].task;
        ep = endpoint_create(workers[i].thread, 0x100 + i);
        g = ep < 0 ? ep : name_give(workers[p].task, (word_t)ep, NAME_FULL);
        workers[p].ep_to[i] = ep;
        status[p].peers[i] = g < 0 ? 0 : (word_t)g;
        status[p].peer_tasks[i] = (word_t)workers[i].task;
    }
}

/* Drops the root's endpoints that named worker i or were given to it (capgate: recursively
 * revoking the copies); under `none` a name is a thread id and dropping it is refused. */
static void disconnect_peers(unsigned i)
{
    for (unsigned p = 0; p < FZ_SLOTS; p++) {
        if (workers[i].ep_to[p] > 0) name_drop((word_t)workers[i].ep_to[p]);
        if (workers[p].ep_to[i] > 0) name_drop((word_t)workers[p].ep_to[i]);
        workers[i].ep_to[p] = workers[p].ep_to[i] = 0;
        status[p].peers[i] = 0;
    }
}

static bool spawn_worker(unsigned i, long pager_ep)
{
    struct worker *w = &workers[i];
    memset((void *)&status[i], 0, sizeof(status[i]));
    status[i].verbose = verbose ? 0x7e7e : 0;
    w->seed = mix(seed ^ mix(++incarnations)) & 0xffffffffffUL;
    long r = task_spawn(mod_worker, PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
    if (r < 0) {
        if (spawn_failures++ < 5) report_error("sysfuzz: spawning a worker", r);
        return false;
    }
    w->task = SPAWN_TASK(r);
    w->thread = SPAWN_THREAD(r);
    w->ended = false;
    static const word_t limits[QUOTA_COUNT] = {[QUOTA_THREADS] = 16,
                                               [QUOTA_TASKS] = 8,
                                               [QUOTA_NODES] = 1024,
                                               [QUOTA_NOTIFY] = 8,
                                               [QUOTA_MSGS] = 16};
    for (unsigned q = 0; q < QUOTA_COUNT; q++)
        task_quota(w->task, q, limits[q]);
    long p = name_give(w->task, (word_t)pager_ep, NAME_SEND);
    set_handlers(w->task, p > 0 ? (word_t)p : 0, p > 0 ? (word_t)p : 0);
    connect_peers(i);
    w->alive = true;
    for (unsigned t = 0; t < FZ_THREADS; t++) {
        w->last_seq[t] = 0;
        w->since[t] = clock_us();
    }
    w->progress_at = clock_us();
    task_start(w->task, FZ_ARG(i, w->seed));
    w->go = true;
    return true;
}

static void reap(unsigned i)
{
    workers[i].alive = false;
    disconnect_peers(i);
    deaths++;
}

static void kill_worker(unsigned i)
{
    task_kill(workers[i].task, KILL_CODE);
    while (!workers[i].ended)
        sleep_us(100);
    reap(i);
}

static const char *const call_names[SYS_COUNT] = {
#define SYSCALL_NAME(num, name, nargs) [num] = #name,
    SYSCALL_LIST(SYSCALL_NAME)
#undef SYSCALL_NAME
};

static void report_hang(unsigned i, unsigned t, unsigned long us)
{
    volatile struct fz_record *r = &status[i].thr[t];
    word_t nr = r->nr;
    printf("sysfuzz: HANG: worker %u (seed %lu, handlers %s) thread %u: no progress for %lu ms "
           "%s call #%lu: %s(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx)\n",
           i, workers[i].seed, status[i].handlers_changed ? "its own" : "the supervisor's", t,
           us / 1000, r->phase == FZ_IN_CALL ? "in" : "after", r->seq,
           nr < SYS_COUNT ? call_names[nr] : "?", r->a[0], r->a[1], r->a[2], r->a[3], r->a[4]);
    for (unsigned k = 0; k < FZ_THREADS; k++)
        if (k != t && status[i].thr[k].phase != FZ_FREE)
            printf("sysfuzz:   thread %u: phase %lu, call #%lu %s(0x%lx, 0x%lx, 0x%lx, 0x%lx), "
                   "stalled %lu ms\n",
                   k, status[i].thr[k].phase, status[i].thr[k].seq,
                   status[i].thr[k].nr < SYS_COUNT ? call_names[status[i].thr[k].nr] : "?",
                   status[i].thr[k].a[0], status[i].thr[k].a[1], status[i].thr[k].a[2],
                   status[i].thr[k].a[3], (clock_us() - workers[i].since[k]) / 1000);
    reproducer();
}

/* Counts progress and judges stalls of worker i; returns true if it was killed. */
static bool watch(unsigned i, unsigned long now)
{
    struct worker *w = &workers[i];
    volatile struct fz_status *s = &status[i];
    bool excusable = true;
    for (unsigned t = 0; t < FZ_THREADS; t++) {
        word_t seq = s->thr[t].seq, phase = s->thr[t].phase;
        if (seq != w->last_seq[t]) {
            if (seq > w->last_seq[t] && seq - w->last_seq[t] < (1UL << 32))
                calls += seq - w->last_seq[t];
            w->last_seq[t] = seq;
            w->since[t] = now;
            w->progress_at = now;
            continue;
        }
        if (phase != FZ_IN_CALL && phase != FZ_BETWEEN) continue;
        unsigned long stalled = now - w->since[t];
        /* Once a worker named its own fault handlers, a fault (of its stack, say, after an
         * unmap) may wait for good on a thread that never answers: that is allowed. */
        bool may_block = (phase == FZ_IN_CALL && s->thr[t].bound == FZ_UNBOUNDED) ||
                         s->handlers_changed || !s->alive;
        if (!may_block) excusable = false;
        if (!may_block && stalled >= HANG_US) {
            hangs++;
            report_hang(i, t, stalled);
            kill_worker(i);
            return true;
        }
    }
    if (now - w->progress_at >= STUCK_US && excusable) {
        stuck_kills++;
        if (verbose)
            for (unsigned t = 0; t < FZ_THREADS; t++)
                if (s->thr[t].phase == FZ_IN_CALL || s->thr[t].phase == FZ_BETWEEN)
                    printf("sysfuzz: restarting worker %u: thread %u %s call #%lu %s%s\n", i, t,
                           s->thr[t].phase == FZ_IN_CALL ? "in" : "after", s->thr[t].seq,
                           s->thr[t].nr < SYS_COUNT ? call_names[s->thr[t].nr] : "?",
                           s->alive ? "" : " (never started)");
        kill_worker(i);
        return true;
    }
    return false;
}

static void snapshot(struct kinfo_pools *p, struct kinfo_memory *m)
{
    kinfo(KINFO_POOLS, p);
    kinfo(KINFO_MEMORY, m);
}

static bool same(const struct kinfo_pools *a, const struct kinfo_memory *am,
                 const struct kinfo_pools *b, const struct kinfo_memory *bm)
{
    return a->tasks.used == b->tasks.used && a->threads.used == b->threads.used &&
           a->mapdb_nodes.used == b->mapdb_nodes.used &&
           a->notifications.used == b->notifications.used && am->frames_free == bm->frames_free;
}

int main(void)
{
    unsigned cfgmod = module("fuzzcfg");
    long n = cfgmod ? sys_module_read(cfgmod, (word_t)cfg, sizeof(cfg) - 1, 0, 0) : -E_NOENT;
    if (n < 0) return 0; /* not the root (a worker spawned this program): nothing to do */
    seed = cfg_value("seed", 1);
    calls_wanted = cfg_value("calls", 10000);
    verbose = cfg_value("verbose", 0);
    struct backend_desc kp;
    if (kinfo(KINFO_POLICY, &kp) == 0) strlcpy(policy, kp.name, sizeof(policy));
    mod_worker = module("fuzzworker");
    if (mod_worker == 0 || module("fuzzchild") == 0) {
        printf("sysfuzz: FAIL: boot modules fuzzworker and fuzzchild are needed\n");
        shutdown(1);
    }
    long pt = thread_start(pager, 0, pager_stack, sizeof(pager_stack), PRIO_SUPERVISOR);
    long pager_ep = pt < 0 ? pt : endpoint_create((word_t)pt, 0xfa17);
    if (pager_ep < 0) {
        report_error("sysfuzz: FAIL: pager", pager_ep);
        shutdown(1);
    }
    for (unsigned i = 0; i < FZ_SLOTS; i++) {
        long wt =
            thread_start(waiter, i, waiter_stack[i], sizeof(waiter_stack[i]), PRIO_SUPERVISOR);
        if (wt < 0) {
            report_error("sysfuzz: FAIL: waiter thread", wt);
            shutdown(1);
        }
    }
    struct kinfo_pools before, after;
    struct kinfo_memory mem_before, mem_after;
    snapshot(&before, &mem_before);
    printf("sysfuzz: policy %s seed %lu calls %lu: %d workers\n", policy, seed, calls_wanted,
           FZ_SLOTS);

    unsigned long start = clock_us(), last_report = start;
    while (calls < calls_wanted) {
        unsigned long now = clock_us();
        for (unsigned i = 0; i < FZ_SLOTS; i++) {
            if (workers[i].alive && workers[i].ended) {
                watch(i, now); /* count its last calls */
                if (workers[i].alive) reap(i);
            }
            if (workers[i].alive) watch(i, now);
            if (!workers[i].alive && calls < calls_wanted) spawn_worker(i, pager_ep);
        }
        if (now - last_report >= 5000000) {
            printf("sysfuzz: %lu calls, %lu workers ended\n", calls, deaths);
            last_report = now;
        }
        sleep_us(TICK_US);
    }
    for (unsigned i = 0; i < FZ_SLOTS; i++)
        if (workers[i].alive) kill_worker(i);

    /* Orphans the workers left behind end by themselves (fuzzchild never blocks for long). */
    unsigned long drain = clock_us();
    do {
        sleep_us(10000);
        snapshot(&after, &mem_after);
    } while (!same(&before, &mem_before, &after, &mem_after) && clock_us() - drain < DRAIN_US);
    bool leak = !same(&before, &mem_before, &after, &mem_after);
    if (leak)
        printf("sysfuzz: LEAK: tasks %lu -> %lu, threads %lu -> %lu, mapping nodes %lu -> %lu, "
               "notifications %lu -> %lu, free frames %lu -> %lu\n",
               before.tasks.used, after.tasks.used, before.threads.used, after.threads.used,
               before.mapdb_nodes.used, after.mapdb_nodes.used, before.notifications.used,
               after.notifications.used, mem_before.frames_free, mem_after.frames_free);
    unsigned long ms = (clock_us() - start) / 1000;
    printf("sysfuzz: result policy=%s seed=%lu calls=%lu workers=%lu hangs=%lu leaks=%d "
           "stuck_restarts=%lu virtual_ms=%lu peak_tasks=%lu peak_threads=%lu peak_nodes=%lu\n",
           policy, seed, calls, incarnations, hangs, leak ? 1 : 0, stuck_kills, ms,
           after.tasks.peak, after.threads.peak, after.mapdb_nodes.peak);
    bool ok = hangs == 0 && !leak;
    if (!ok) reproducer();
    printf("sysfuzz: %s\n", ok ? "PASS" : "FAIL");
    shutdown(ok ? 0 : 1);
    return 1;
}
