/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the IPC state machine (make fuzz-ipc): the kernel core runs on the
 * host (tests/unit/host_kernel.c), and the input is decoded into operations by 2-8 actor
 * threads in 2-4 tasks: every IPC operation with random tags (words, typed items, flags),
 * timeouts (zero, never, a few ms) and names (valid, stale, garbage); notifications; the
 * backend's name hooks (endpoints, give, drop); timer ticks; thread exit and task kill. After
 * every step the kernel's invariants are checked (queues, timeouts, who may be blocked and
 * why, pool counts, the backend's references); at the end every task is killed and the pools
 * and frames must be back where they started.
 *
 * Each input runs on a fresh kernel without forking (which would lose the coverage): every
 * global of the kernel core lives in the sections kcore_data / kcore_bss (kcore_sections.h is
 * forced into those files), copied back to their pristine image before each input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fuzz_policy.h"
#include "host_kernel.h"
#include "ipc.h"
#include "mapdb.h"
#include "notify.h"
#include "pmm.h"
#include "policy.h"
#include "pool.h"
#include "syscall.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
static void new_actor_for_selftest(void);

extern struct pool notify_pool;

/* ---- a fresh kernel per input ---- */

extern uint8_t __start_kcore_data[], __stop_kcore_data[];
extern uint8_t __start_kcore_bss[], __stop_kcore_bss[];
static uint8_t *pristine_data, *pristine_bss;
static bool verbose; /* FUZZ_IPC_VERBOSE=1: print every step (to read a crashing input) */

/* Word copy that ASan does not check: the sections hold the globals' poisoned redzones too. */
__attribute__((no_sanitize("address", "coverage"))) static void
raw_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
    volatile uint64_t *d = (volatile uint64_t *)dst;
    const volatile uint64_t *s = (const volatile uint64_t *)src;
    size_t i = 0;
    for (; i < n / 8; i++)
        d[i] = s[i];
    for (i *= 8; i < n; i++)
        ((volatile uint8_t *)dst)[i] = ((const volatile uint8_t *)src)[i];
}

static uint8_t *save_section(uint8_t *lo, uint8_t *hi)
{
    uint8_t *copy = malloc((size_t)(hi - lo) + 1);
    if (copy == NULL) abort();
    raw_copy(copy, lo, (size_t)(hi - lo));
    return copy;
}

__attribute__((no_sanitize("address", "coverage"))) static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i]) return false;
    return true;
}

__attribute__((no_sanitize("address", "coverage"))) static bool same(const uint8_t *a,
                                                                     const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return false;
    return true;
}

#define PAGE 4096u
static uint8_t *bss_pages_lo, *bss_pages_hi; /* the whole pages inside kcore_bss */
static bool *bss_page_dirty;                 /* pristine page i holds something other than 0 */

/*
 * kcore_bss is mostly zeros (kernel stacks, page pools): its whole pages are dropped, to read
 * back as zeros, and only the bytes that were not zero at start-up are copied back. Copying
 * all of it (several MiB) would cost more than the run itself.
 */
static void restore_bss(void)
{
    uint8_t *lo = __start_kcore_bss, *hi = __stop_kcore_bss;
    if (bss_pages_lo >= bss_pages_hi) {
        raw_copy(lo, pristine_bss, (size_t)(hi - lo));
        return;
    }
    raw_copy(lo, pristine_bss, (size_t)(bss_pages_lo - lo));
    raw_copy(bss_pages_hi, pristine_bss + (bss_pages_hi - lo), (size_t)(hi - bss_pages_hi));
    if (madvise(bss_pages_lo, (size_t)(bss_pages_hi - bss_pages_lo), MADV_DONTNEED) != 0) abort();
    for (size_t i = 0; bss_pages_lo + i * PAGE < bss_pages_hi; i++)
        if (bss_page_dirty[i])
            raw_copy(bss_pages_lo + i * PAGE, pristine_bss + (bss_pages_lo - lo) + i * PAGE, PAGE);
}

static void restore_all(void)
{
    raw_copy(__start_kcore_data, pristine_data, (size_t)(__stop_kcore_data - __start_kcore_data));
    restore_bss();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    pristine_data = save_section(__start_kcore_data, __stop_kcore_data);
    pristine_bss = save_section(__start_kcore_bss, __stop_kcore_bss);
    uint8_t *lo = __start_kcore_bss, *hi = __stop_kcore_bss;
    bss_pages_lo = (uint8_t *)(((uintptr_t)lo + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
    bss_pages_hi = (uint8_t *)((uintptr_t)hi & ~(uintptr_t)(PAGE - 1));
    if (bss_pages_lo < bss_pages_hi) {
        size_t n = (size_t)(bss_pages_hi - bss_pages_lo) / PAGE;
        bss_page_dirty = calloc(n, sizeof(bool));
        if (bss_page_dirty == NULL) abort();
        for (size_t i = 0; i < n; i++)
            bss_page_dirty[i] = !all_zero(pristine_bss + (bss_pages_lo - lo) + i * PAGE, PAGE);
    }
    /* the restore must give back exactly the start-up image, after a run as after none */
    host_boot();
    new_actor_for_selftest();
    restore_all();
    if (!same(lo, pristine_bss, (size_t)(hi - lo)) ||
        !same(__start_kcore_data, pristine_data,
              (size_t)(__stop_kcore_data - __start_kcore_data))) {
        fprintf(stderr, "fuzz_ipc: restoring the kernel core's globals does not work\n");
        abort();
    }
    host_forget();
    verbose = getenv("FUZZ_IPC_VERBOSE") != NULL;
    return 0;
}

static void fresh_kernel(void)
{
    restore_all();
    host_forget();
    host_boot();
}

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    fprintf(stderr, "fuzz_ipc: invariant broken at %s:%d (%s): ", file, line, cond);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* ---- invariants ---- */

bool fuzz_thread_live(const struct thread *t)
{
    uint32_t i = pool_index(&thread_pool, t);
    return i != POOL_END && fuzz_slot(&thread_pool, i) == t && t->state != THREAD_DEAD;
}

void fuzz_check_queue(const struct wait_queue *q, const char *what)
{
    const struct thread *prev = NULL;
    unsigned n = 0;
    for (const struct thread *t = q->head; t; prev = t, t = t->wq_next) {
        FUZZ_CHECK(n++ < MAX_THREADS, "%s: the queue has a cycle", what);
        FUZZ_CHECK(fuzz_thread_live(t), "%s: holds a dead or freed thread", what);
        FUZZ_CHECK(t->wq == q, "%s: thread %u is linked here but waits on another queue", what,
                   t->id);
        FUZZ_CHECK(t->wq_prev == prev, "%s: thread %u has a wrong back link", what, t->id);
        FUZZ_CHECK(t->state == THREAD_BLOCKED, "%s: thread %u is queued but not blocked", what,
                   t->id);
    }
    FUZZ_CHECK(q->tail == prev, "%s: the tail is not the last thread", what);
}

static bool queue_holds(const struct wait_queue *q, const struct thread *t)
{
    unsigned n = 0;
    for (const struct thread *x = q->head; x && n < MAX_THREADS; x = x->wq_next, n++)
        if (x == t) return true;
    return false;
}

#define MAX_ACTORS 8
static struct host_actor *act[MAX_ACTORS];
static unsigned nact;

static bool actor_alive(const struct host_actor *a)
{
    return thread_lookup(a->id) != NULL;
}

/* The timeout list, found from its members (its head is private to ipc.c): one chain, sorted,
 * consistently linked, holding exactly the threads with a deadline. */
static void check_timeouts(unsigned armed)
{
    const struct thread *head = NULL;
    for (uint32_t i = 0; i < thread_pool.capacity; i++) {
        const struct thread *t = fuzz_slot(&thread_pool, i);
        if (t == NULL || t->deadline_us == 0 || t->timeout_prev) continue;
        FUZZ_CHECK(head == NULL, "two threads (%u, %u) head the timeout list", head->id, t->id);
        head = t;
    }
    unsigned n = 0;
    const struct thread *prev = NULL;
    for (const struct thread *t = head; t; prev = t, t = t->timeout_next) {
        FUZZ_CHECK(n++ < armed, "the timeout list is longer than the armed threads (%u)", armed);
        FUZZ_CHECK(fuzz_thread_live(t), "the timeout list holds a dead thread");
        FUZZ_CHECK(t->deadline_us != 0, "thread %u is on the timeout list without a deadline",
                   t->id);
        FUZZ_CHECK(t->timeout_prev == prev, "thread %u: wrong timeout back link", t->id);
        FUZZ_CHECK(prev == NULL || prev->deadline_us <= t->deadline_us,
                   "the timeout list is not sorted");
    }
    FUZZ_CHECK(n == armed, "%u threads have a deadline, the timeout list holds %u", armed, n);
}

/* The driver runs only when every thread is blocked: each must be waiting for something that
 * can end its wait. */
static void check_thread(const struct thread *t)
{
    FUZZ_CHECK(t->state == THREAD_BLOCKED, "thread %u is %u at a standstill", t->id, t->state);
    FUZZ_CHECK(t->task && pool_index(&task_pool, t->task) != POOL_END &&
                   t->task->state == TASK_ALIVE,
               "thread %u belongs to no live task", t->id);
    if (t->wq) {
        fuzz_check_queue(t->wq, "the queue a thread waits on");
        FUZZ_CHECK(queue_holds(t->wq, t), "thread %u waits on a queue that does not hold it",
                   t->id);
    } else {
        FUZZ_CHECK(t->wq_next == NULL && t->wq_prev == NULL,
                   "thread %u is on no queue but has queue links", t->id);
    }
    switch (t->ipc_wait) {
    case IPC_IDLE: /* paused between commands (the host's queue) */
        FUZZ_CHECK(t->wq != NULL, "thread %u is blocked outside IPC on no queue", t->id);
        FUZZ_CHECK(t->deadline_us == 0, "thread %u has a deadline outside IPC", t->id);
        break;
    case IPC_SENDING:
        FUZZ_CHECK(t->wq != NULL, "sender %u is on no queue: nobody can find it", t->id);
        if (t->ipc_to) {
            FUZZ_CHECK(fuzz_thread_live(t->ipc_to), "sender %u waits for a dead thread", t->id);
            FUZZ_CHECK(t->wq == &t->ipc_to->senders, "sender %u is not queued on its receiver %u",
                       t->id, t->ipc_to->id);
        }
        break;
    case IPC_RECEIVING:
        FUZZ_CHECK(t->wq == NULL, "receiver %u is on a wait queue", t->id);
        FUZZ_CHECK(t->ipc_from == IPC_FROM_ANY || fuzz_thread_live(t->ipc_from),
                   "receiver %u waits for a dead thread", t->id);
        FUZZ_CHECK(!t->ipc_from_nil || t->ipc_from == IPC_FROM_ANY,
                   "receiver %u sleeps and waits for a partner", t->id);
        break;
    default:
        FUZZ_CHECK(false, "thread %u: ipc_wait %u", t->id, t->ipc_wait);
    }
    FUZZ_CHECK(t->reply_to == NULL || fuzz_thread_live(t->reply_to),
               "thread %u owes a reply to a dead thread", t->id);
    fuzz_check_queue(&t->senders, "a thread's senders");
    for (const struct thread *s = t->senders.head; s; s = s->wq_next)
        FUZZ_CHECK(s->ipc_wait == IPC_SENDING && s->ipc_to == t,
                   "thread %u is queued on %u's senders but is not sending to it", s->id, t->id);
    if (t->deadline_us == 0)
        FUZZ_CHECK(t->timeout_next == NULL && t->timeout_prev == NULL,
                   "thread %u has timeout links but no deadline", t->id);
}

static void check_all(void)
{
    unsigned threads = 0, tasks = 0, armed = 0, notes = 0;
    FUZZ_CHECK(current->task == NULL, "the driver is not running");
    for (uint32_t i = 0; i < thread_pool.capacity; i++) {
        const struct thread *t = fuzz_slot(&thread_pool, i);
        if (t == NULL) continue;
        FUZZ_CHECK(t->state != THREAD_DEAD, "thread %u is dead but was never reaped", t->id);
        threads++;
        armed += t->deadline_us != 0;
        check_thread(t);
    }
    check_timeouts(armed);
    unsigned listed = 0;
    for (uint32_t i = 0; i < task_pool.capacity; i++) {
        const struct task *k = fuzz_slot(&task_pool, i);
        if (k == NULL) continue;
        tasks++;
        FUZZ_CHECK(k->state == TASK_ALIVE, "task %u is a zombie nobody will reap", k->id);
        unsigned n = 0;
        for (const struct thread *t = k->threads; t; t = t->task_next) {
            FUZZ_CHECK(n++ < MAX_THREADS && t->task == k, "task %u: a broken thread list", k->id);
            FUZZ_CHECK(fuzz_thread_live(t), "task %u lists a dead thread", k->id);
        }
        FUZZ_CHECK(n == k->nthreads, "task %u counts %u threads, lists %u", k->id, k->nthreads, n);
        FUZZ_CHECK(__builtin_popcountll(k->utcb_slots) == (int)n,
                   "task %u: %d UTCB slots for %u threads", k->id,
                   __builtin_popcountll(k->utcb_slots), n);
        fuzz_check_queue(&k->exit_waiters, "a task's exit waiters");
        listed += n;
        /* the harness's tasks are roots of the quota tree: they are charged for themselves */
        unsigned owned = 0;
        for (uint32_t j = 0; j < notify_pool.capacity; j++) {
            const struct notification *x = fuzz_slot(&notify_pool, j);
            owned += x && x->owner == k;
        }
        FUZZ_CHECK(k->quota.used[QUOTA_THREADS] == n && k->quota.used[QUOTA_TASKS] == 0 &&
                       k->quota.used[QUOTA_NOTIFY] == owned,
                   "task %u: quota charges threads %lu tasks %lu notifications %lu; it has %u, 0, "
                   "%u",
                   k->id, (unsigned long)k->quota.used[QUOTA_THREADS],
                   (unsigned long)k->quota.used[QUOTA_TASKS],
                   (unsigned long)k->quota.used[QUOTA_NOTIFY], n, owned);
    }
    FUZZ_CHECK(listed == threads, "tasks list %u threads, the pool holds %u", listed, threads);
    FUZZ_CHECK(thread_pool.used == threads && task_pool.used == tasks,
               "pool counts (threads %u, tasks %u) differ from the live objects (%u, %u)",
               thread_pool.used, task_pool.used, threads, tasks);
    for (uint32_t i = 0; i < notify_pool.capacity; i++) {
        const struct notification *n = fuzz_slot(&notify_pool, i);
        if (n == NULL) continue;
        notes++;
        FUZZ_CHECK(n->owner && pool_index(&task_pool, n->owner) != POOL_END &&
                       fuzz_slot(&task_pool, pool_index(&task_pool, n->owner)) == n->owner &&
                       n->owner->state == TASK_ALIVE,
                   "notification %u outlived its owner", n->id);
        FUZZ_CHECK(n->bound == NULL || (fuzz_thread_live(n->bound) && n->bound->notify_bound),
                   "notification %u is bound to a dead or unaware thread", n->id);
    }
    FUZZ_CHECK(notify_pool.used == notes, "notification pool counts %u, %u exist", notify_pool.used,
               notes);
    for (unsigned i = 0; i < nact; i++) {
        const struct host_actor *a = act[i];
        if (!actor_alive(a)) continue;
        const struct thread *t = thread_lookup(a->id);
        FUZZ_CHECK(a->busy == (t->ipc_wait != IPC_IDLE),
                   "actor %u (thread %u): busy %d but ipc_wait %u", i, a->id, a->busy, t->ipc_wait);
        FUZZ_CHECK(a->busy || host_actor_paused(a), "idle actor %u is not parked", i);
    }
    fuzz_policy_check();
}

/* ---- decoding the input ---- */

struct input {
    const uint8_t *p;
    size_t n;
};

static uint8_t in_u8(struct input *in)
{
    if (in->n == 0) return 0;
    in->n--;
    return *in->p++;
}

static uint32_t in_u32(struct input *in)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | in_u8(in);
    return v;
}

#define MAX_NAMES 32
static word_t names[MAX_NAMES];
static unsigned nnames;

static void add_name(word_t w)
{
    if (nnames < MAX_NAMES)
        names[nnames++] = w;
    else
        names[w % MAX_NAMES] = w;
}

/* A name as `a` would use it: one seen before (perhaps stale by now), the current name of a
 * live actor's thread, a small number (capability slots) or any word. */
static word_t pick_name(struct input *in, struct host_actor *a)
{
    uint8_t b = in_u8(in);
    switch (b & 3) {
    case 0:
        return nnames ? names[(b >> 2) % nnames] : 0;
    case 1: {
        struct host_actor *t = act[(b >> 2) % nact];
        if (!actor_alive(t) || !actor_alive(a)) return b >> 2;
        word_t n = policy_name_of_thread(a->task, thread_lookup(t->id));
        add_name(n);
        return n;
    }
    case 2:
        return b >> 2;
    default:
        return in_u32(in);
    }
}

static uint32_t pick_timeout(struct input *in)
{
    static const uint32_t choice[] = {TIMEOUT_ZERO, TIMEOUT_NEVER, TIMEOUT_NEVER, 500, 1000, 2500};
    return choice[in_u8(in) % ARRAY_SIZE(choice)];
}

/* A typed item in mr[k], mr[k + 1]: strings from mapped, unmapped and read-only memory, maps
 * and grants of memory or of the backend's objects, or a garbage header. */
static void make_item(struct input *in, struct utcb *u, unsigned k)
{
    static const word_t lens[] = {0, 16, 4096, 5000, IPC_STRING_MAX + 1};
    static const word_t srcs[] = {HOST_DATA_VA, HOST_DATA_END - 8, HOST_UNMAPPED_VA, HOST_TEXT_VA};
    uint8_t b = in_u8(in), c = in_u8(in);
    switch (b & 3) {
    case 0:
        u->mr[k] = ITEM_STRING_HDR(lens[(b >> 2) % ARRAY_SIZE(lens)]);
        u->mr[k + 1] = srcs[(b >> 5) % ARRAY_SIZE(srcs)];
        break;
    case 1:
    case 2: {
        unsigned kind = (b >> 2) & 1 ? FPAGE_KIND_BACKEND : FPAGE_KIND_MEM;
        word_t base =
            kind == FPAGE_KIND_MEM ? srcs[(b >> 3) % ARRAY_SIZE(srcs)] : (word_t)(c & 0x3f) << 12;
        unsigned order = kind == FPAGE_KIND_MEM ? 12 + (c >> 6) : (c >> 6) * 2;
        u->mr[k] =
            ITEM_MAP_HDR((b & 3) == 1 ? ITEM_MAP : ITEM_GRANT, kind, (word_t)((b >> 5) & 3) << 12);
        u->mr[k + 1] = FPAGE(base, order, (b >> 5) & FPAGE_RWX);
        break;
    }
    default:
        u->mr[k] = in_u32(in);
        u->mr[k + 1] = in_u32(in);
        break;
    }
}

/* A message tag, with the message registers filled to match. */
static word_t make_tag(struct input *in, struct host_actor *a)
{
    uint8_t b = in_u8(in), f = in_u8(in);
    unsigned words = b & 0xf;
    if (b & 0x80) words = in_u8(in) & 0x7f; /* up to 127: past the registers */
    unsigned items = ((b >> 4) & 7) > 4 ? ((b >> 4) & 7) - 4 : 0;
    unsigned flags = (f & 0xf0) == 0xf0 ? f & 0xf : 0;
    struct utcb *u = actor_utcb(a);
    for (unsigned i = 0; i < words && i < UTCB_MRS; i++)
        u->mr[i] = (word_t)a->id << 16 | i;
    for (unsigned i = 0; i < items && words + 2 * i + 1 < UTCB_MRS; i++)
        make_item(in, u, words + 2 * i);
    return MSGTAG(f & 0xf, words, items, flags);
}

/* Receive windows: memory and object windows, string buffers (some unusable). */
static void set_buffers(struct input *in, struct host_actor *a)
{
    static const word_t addrs[] = {HOST_DATA_VA + 0x1000, HOST_UNMAPPED_VA, HOST_TEXT_VA,
                                   HOST_DATA_END - 16};
    static const word_t sizes[] = {16, 4096, 0, 8192};
    struct utcb *u = actor_utcb(a);
    uint8_t b = in_u8(in), c = in_u8(in);
    u->br[BR_MAP_WINDOW] = (b & 3) == 0   ? 0
                           : (b & 3) == 1 ? FPAGE(0x800000, 12 + (c & 3), FPAGE_RWX)
                           : (b & 3) == 2 ? FPAGE(HOST_DATA_VA, 12, FPAGE_R | FPAGE_W)
                                          : in_u32(in);
    u->br[BR_OBJ_WINDOW] = (b & 4) ? FPAGE((word_t)(64 + (c & 0x30)) << 12, (c >> 6) * 2, 3) : 0;
    u->br[BR_NSTRINGS] = (b >> 3) & 7; /* up to 7: more than UTCB_BR_STRINGS */
    for (unsigned i = 0; i < UTCB_BR_STRINGS; i++) {
        uint8_t d = in_u8(in);
        u->br[BR_STRING0 + 2 * i] = addrs[d & 3];
        u->br[BR_STRING0 + 2 * i + 1] = sizes[(d >> 2) & 3];
    }
}

enum fuzz_op {
    OP_SEND,
    OP_CALL,
    OP_RECV,
    OP_WAIT,
    OP_REPLY,
    OP_REPLY_WAIT,
    OP_RAW_IPC,
    OP_TICK,
    OP_NOTIFY_CREATE,
    OP_NOTIFY_BIND,
    OP_NOTIFY_TRIGGER,
    OP_ENDPOINT,
    OP_BIND,
    OP_GIVE,
    OP_DROP,
    OP_BUFFERS,
    OP_THREAD_EXIT,
    OP_KILL,
    OP_NEW_THREAD,
    OP_NEW_TASK,
    OP_COUNT
};

static struct host_actor *new_actor(struct task *in_task, uint8_t prio)
{
    static const char *const task_names[] = {"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"};
    struct host_actor *a =
        in_task ? actor_new_in(in_task, prio) : actor_new(task_names[nact % 8], prio);
    act[nact++] = a;
    add_name(policy_name_of_thread(a->task, a->t)); /* an actor's own name, later stale */
    return a;
}

static void new_actor_for_selftest(void)
{
    struct host_actor *a = actor_new("selftest", 8);
    actor_ipc(a, IPC_WAIT, 0, 0, IPC_TIMEOUTS(TIMEOUT_NEVER, 1000));
    host_tick(2);
}

/* An actor able to take a command (alive, between commands), starting from `b`; NULL if none. */
static struct host_actor *idle_actor(uint8_t b)
{
    for (unsigned i = 0; i < nact; i++) {
        struct host_actor *a = act[(b + i) % nact];
        if (actor_alive(a) && !a->busy) return a;
    }
    return NULL;
}

static void step(struct input *in)
{
    enum fuzz_op op = (enum fuzz_op)(in_u8(in) % OP_COUNT);
    uint8_t who = in_u8(in);
    if (op == OP_TICK) {
        host_tick(1 + (who & 3));
        return;
    }
    if (op == OP_KILL) { /* from outside, as after an unhandled fault: busy or not */
        struct host_actor *a = act[who % nact];
        if (actor_alive(a)) actor_kill(a);
        return;
    }
    if (op == OP_NEW_TASK) {
        if (nact < MAX_ACTORS) new_actor(NULL, 8 + (who & 3));
        return;
    }
    struct host_actor *a = idle_actor(who);
    if (a == NULL) { /* everyone is blocked: only time (or a kill) can move things */
        host_tick(1);
        return;
    }
    struct thread *t = thread_lookup(a->id);
    if (verbose) printf("step %u by thread %#x\n", op, a->id);
    switch (op) {
    case OP_SEND:
    case OP_CALL:
    case OP_RECV:
    case OP_WAIT:
    case OP_REPLY:
    case OP_REPLY_WAIT:
    case OP_RAW_IPC: {
        static const word_t ops[] = {IPC_SEND, IPC_CALL,  IPC_RECV,
                                     IPC_WAIT, IPC_REPLY, IPC_REPLY_WAIT};
        word_t ipc_op = op == OP_RAW_IPC ? in_u8(in) % (IPC_OP_COUNT + 2) : ops[op];
        word_t dest = pick_name(in, a);
        word_t tag = make_tag(in, a);
        uint32_t snd = pick_timeout(in), rcv = pick_timeout(in);
        actor_post_ipc(a, ipc_op, dest, tag, IPC_TIMEOUTS(snd, rcv));
        host_run();
        if (verbose)
            printf("  thread %#x: ipc op %lu dest %#lx tag %#lx timeouts %#x/%#x -> %s %ld\n",
                   a->id, ipc_op, dest, tag, snd, rcv, a->busy ? "blocked" : "returned", a->result);
        break;
    }
    case OP_NOTIFY_CREATE:
        actor_do(a, sys_notify_create, in_u8(in), 0, 0, 0, 0);
        if (a->result > 0) add_name((word_t)a->result);
        if (verbose) printf("  notify_create -> %ld\n", a->result);
        break;
    case OP_NOTIFY_BIND:
        actor_do(a, sys_notify_bind, pick_name(in, a), 0, 0, 0, 0);
        break;
    case OP_NOTIFY_TRIGGER: {
        word_t n = pick_name(in, a);
        actor_do(a, sys_notify_trigger, n, in_u8(in), 0, 0, 0);
        break;
    }
    case OP_ENDPOINT: { /* hooks run as kernel/sys_policy.c runs them: for the caller's thread */
        word_t target = in_u8(in) & 1 ? 0 : pick_name(in, a);
        long r = policy_endpoint_create(t, target, in_u8(in));
        host_run();
        if (verbose) printf("  endpoint_create(%#lx) -> %ld\n", target, r);
        if (r > 0) add_name((word_t)r);
        break;
    }
    case OP_BIND: {
        word_t ep = pick_name(in, a), target = pick_name(in, a);
        policy_endpoint_bind(t, ep, target);
        host_run();
        break;
    }
    case OP_GIVE: {
        struct host_actor *to = act[in_u8(in) % nact];
        word_t name = pick_name(in, a);
        unsigned rights = in_u8(in) & 3;
        if (!actor_alive(to)) break;
        long r = policy_name_give(t, to->task, name, rights);
        host_run();
        if (verbose) printf("  give %#lx to task %u -> %ld\n", name, to->task->id, r);
        if (r > 0) add_name((word_t)r);
        break;
    }
    case OP_DROP:
        policy_name_drop(t, pick_name(in, a));
        host_run();
        break;
    case OP_BUFFERS:
        set_buffers(in, a);
        break;
    case OP_THREAD_EXIT:
        actor_exit(a);
        break;
    case OP_NEW_THREAD:
        if (nact < MAX_ACTORS) new_actor(a->task, 8 + (in_u8(in) & 3));
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size};
    fresh_kernel();
    nact = 0;
    nnames = 0;
    uint8_t cfg = in_u8(&in);
    ipc_fastpath_enable(cfg & 1);
    struct pmm_stats frames0 = pmm_stats();
    uint32_t mapdb0, peak, failures;
    mapdb_stats(&mapdb0, &peak, &failures);

    unsigned ntasks = 2 + ((cfg >> 1) & 3) % 3, extra = (cfg >> 3) & 3;
    for (unsigned i = 0; i < ntasks; i++)
        new_actor(NULL, 8 + (in_u8(&in) & 3));
    for (unsigned i = 0; i < extra; i++)
        new_actor(act[i % ntasks]->task, 8 + (in_u8(&in) & 3));
    check_all();

    for (unsigned steps = 0; in.n > 0 && steps < 256; steps++) {
        step(&in);
        check_all();
    }

    /* Teardown: every task killed; everything it held must come back. */
    for (unsigned i = 0; i < nact; i++)
        if (actor_alive(act[i])) actor_kill(act[i]);
    check_all();
    FUZZ_CHECK(thread_pool.used == 0 && task_pool.used == 0 && notify_pool.used == 0,
               "after teardown: %u threads, %u tasks, %u notifications still allocated",
               thread_pool.used, task_pool.used, notify_pool.used);
    FUZZ_CHECK(fuzz_policy_objects() == 0, "after teardown: %u backend objects remain",
               fuzz_policy_objects());
    uint32_t mapdb1;
    mapdb_stats(&mapdb1, &peak, &failures);
    FUZZ_CHECK(mapdb1 == mapdb0, "after teardown: %u mapping-database nodes, %u at the start",
               mapdb1, mapdb0);
    struct pmm_stats frames1 = pmm_stats();
    FUZZ_CHECK(frames1.free == frames0.free, "after teardown: %lu free frames, %lu at the start",
               (unsigned long)frames1.free, (unsigned long)frames0.free);
    return 0;
}
