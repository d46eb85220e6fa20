/* SPDX-License-Identifier: MIT */
/*
 * A syscall-fuzzer worker: from its seed, issues every system call with adversarial arguments
 * (0, -1, kernel and non-canonical addresses, unaligned and page-straddling pointers, unmapped
 * memory, other tasks' names, random tags and typed items, its own UTCB and stack as
 * flexpages, random timeouts) from several threads, spawns and kills children, maps, grants
 * and unmaps. Before each call it writes the call into its status record (tests/fuzz/sysfuzz.h)
 * so the supervisor can tell a hang from progress and name the call. Dying is fine: the
 * supervisor starts another worker in the slot.
 */
#include "tests/fuzz/sysfuzz.h"
#include "ulib.h"

#define STACK_SIZE 8192
#define RECV_VA 0x0000000030000000UL /* where received mappings usually land (16 pages) */
#define NCHILD 8
#define NNAMES 16

static struct fz_status *st;
static unsigned slot;
static word_t base_seed;
static unsigned char stacks[FZ_THREADS][STACK_SIZE] __attribute__((aligned(4096)));
/* Three pages: two writable ones, then a hole (unmapped at start) for straddling pointers. */
static unsigned char scratch[3][4096] __attribute__((aligned(4096)));
static volatile word_t children[NCHILD];  /* task names of spawned children */
static volatile word_t child_thr[NCHILD]; /* their first threads */
static volatile word_t names[NNAMES];     /* endpoints, notifications, labels seen */
static unsigned module_fuzzchild;
#define CAP_SLOTS_GUESS 256 /* capgate's slots per task; a guess is all a worker needs */
#define CODE_BASE USER_IMAGE_BASE

static void fuzz_one(word_t *s, struct fz_record *rec);

static word_t rnd(word_t *s)
{
    word_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545f4914f6cdd1dUL;
}
#define R(n) (rnd(s) % (word_t)(n))
#define CHANCE(n) (R(n) == 0)

/* Keeps generated addresses off the status pages: a record the kernel overwrote would look
 * like a hang. Everything else in the worker's space is fair game. */
static word_t not_status(word_t a)
{
    if (a >= FZ_STATUS_BASE && a < FZ_STATUS_END) return a + (FZ_STATUS_END - FZ_STATUS_BASE);
    return a;
}

/* An address: valid, unmapped, kernel, non-canonical, unaligned, page-straddling. */
static word_t addr(word_t *s, bool writable)
{
    word_t hole = (word_t)scratch[2];
    switch (R(16)) {
    case 0:
        return 0;
    case 1:
        return ~0UL;
    case 2:
        return 0xffff800000000000UL + R(1UL << 30); /* direct map */
    case 3:
        return 0xffffffff80000000UL + R(1UL << 24); /* kernel image */
    case 4:
        return 0x0000800000000000UL + R(1UL << 20); /* non-canonical */
    case 5:
        return USER_TOP - R(64); /* the reserved top page */
    case 6:
        return hole - 1 - R(8); /* straddles into the hole */
    case 7:
        return hole + R(4096); /* unmapped */
    case 8:
        return (word_t)utcb() + R(4096); /* own UTCB */
    case 9:
        return writable ? (word_t)scratch + R(8192) : CODE_BASE + R(4096);
    case 10:
        return (word_t)scratch + 4096 * R(2) + 4095; /* unaligned at a page end */
    case 11:
        return not_status(rnd(s) & 0x00007fffffffffffUL);
    case 12:
        return rnd(s);
    case 13:
        return RECV_VA + R(16 * 4096);
    case 14:
        return writable ? (word_t)scratch + 1 : (word_t)fuzz_one + R(64); /* unaligned / code */
    default:
        return (word_t)scratch + (R(512) & ~7UL);
    }
}

/* A name: someone's thread, task, endpoint or notification, or garbage. */
static word_t name(word_t *s)
{
    switch (R(12)) {
    case 0:
        return 0;
    case 1:
        return ~0UL;
    case 2:
        return R(300);
    case 3:
        return rnd(s);
    case 4:
        return st->peers[R(FZ_SLOTS)];
    case 5:
        return st->peer_tasks[R(FZ_SLOTS)];
    case 6:
        return children[R(NCHILD)];
    case 7:
        return child_thr[R(NCHILD)];
    case 8:
        return st->self_task;
    case 9:
        return self_thread();
    case 10:
        return (word_t)(uint32_t)rnd(s) | (word_t)R(4) << 32;
    default:
        return names[R(NNAMES)];
    }
}

static void remember(word_t *s, word_t n)
{
    names[R(NNAMES)] = n;
}

/* A flexpage: the UTCB, the stack, code, the receive area, kernel ranges, random. */
static word_t fpage(word_t *s)
{
    word_t sp = (word_t)__builtin_frame_address(0) & ~0xfffUL;
    unsigned order = CHANCE(3) ? 12 : (unsigned)R(64);
    unsigned rights = (unsigned)R(16);
    word_t base;
    switch (R(12)) {
    case 0:
        base = (word_t)utcb();
        break;
    case 1:
        base = sp;
        break;
    case 2:
        base = USER_STACK_TOP - 4096 * (1 + R(20));
        break;
    case 3:
        base = CODE_BASE + 4096 * R(8);
        break;
    case 4:
        base = 0xffff800000000000UL;
        break;
    case 5:
        base = 0xffffffff80000000UL;
        break;
    case 6:
        base = 0;
        break;
    case 7:
        base = UTCB_AREA + 4096 * R(UTCB_AREA_PAGES);
        break;
    case 8:
        base = not_status(rnd(s));
        break;
    case 9:
        base = R(CAP_SLOTS_GUESS) << 12;
        break; /* backend objects: capability slots */
    default:
        base = (word_t)scratch + 4096 * R(2);
        break;
    }
    if (order > 12 && CHANCE(2)) base &= ~((1UL << (order < 63 ? order : 63)) - 1);
    if (base >= FZ_STATUS_BASE && base < FZ_STATUS_END) base = (word_t)scratch;
    return FPAGE(base, order, rights);
}

/* A timeout: mostly zero or a few ms; rarely NEVER or a long one (the call may then block
 * for good, and the supervisor restarts the worker). */
static word_t timeout(word_t *s, bool *unbounded)
{
    word_t r = R(32);
    if (r == 0) {
        *unbounded = true;
        return TIMEOUT_NEVER;
    }
    if (r == 1) {
        word_t t = (uint32_t)rnd(s);
        if (t > 100000) *unbounded = true;
        return t;
    }
    return r < 12 ? TIMEOUT_ZERO : 1 + R(3000);
}

/* Fills message registers with typed items after `words` untyped ones, and buffer registers
 * with receive windows and string buffers. */
static void fill_utcb(word_t *s, unsigned words, unsigned items)
{
    struct utcb *u = utcb();
    for (unsigned i = 0; i < UTCB_MRS; i++)
        u->mr[i] = CHANCE(4) ? name(s) : rnd(s);
    for (unsigned k = 0; k < items && words + 2 * k + 1 < UTCB_MRS; k++) {
        word_t *mr = &u->mr[words + 2 * k];
        switch (R(4)) {
        case 0: {
            word_t len = CHANCE(3) ? R(64) : CHANCE(2) ? R(3 * 4096) : rnd(s) >> R(64);
            mr[0] = ITEM_STRING_HDR(len);
            mr[1] = addr(s, false);
            break;
        }
        case 1:
        case 2: {
            unsigned kind = CHANCE(4) ? (unsigned)R(256) : (unsigned)R(2);
            word_t hot = CHANCE(2) ? 0 : CHANCE(2) ? RECV_VA + 4096 * R(16) : addr(s, false);
            mr[0] = ITEM_MAP_HDR(CHANCE(2) ? ITEM_MAP : ITEM_GRANT, kind, not_status(hot));
            mr[1] = fpage(s);
            break;
        }
        default:
            mr[0] = rnd(s), mr[1] = rnd(s);
        }
    }
    switch (R(6)) {
    case 0:
        u->br[BR_MAP_WINDOW] = 0;
        break;
    case 1:
        u->br[BR_MAP_WINDOW] = fpage(s);
        break;
    case 2:
        u->br[BR_MAP_WINDOW] = FPAGE(0, 47, FPAGE_RWX);
        break; /* the whole space */
    default:
        u->br[BR_MAP_WINDOW] = FPAGE(RECV_VA, 16, FPAGE_RWX);
        break;
    }
    u->br[BR_OBJ_WINDOW] = CHANCE(2) ? FPAGE(R(CAP_SLOTS_GUESS) << 12, R(9), 15) : rnd(s);
    u->br[BR_NSTRINGS] = CHANCE(4) ? rnd(s) : R(UTCB_BR_STRINGS + 1);
    for (unsigned i = 0; i < UTCB_BR_STRINGS; i++) {
        u->br[BR_STRING0 + 2 * i] = addr(s, true);
        u->br[BR_STRING0 + 2 * i + 1] = CHANCE(3) ? rnd(s) >> R(64) : R(8192);
    }
}

static word_t tag(word_t *s, unsigned *words, unsigned *items)
{
    word_t t;
    switch (R(4)) {
    case 0:
        t = rnd(s);
        break;
    case 1:
        t = MSGTAG(rnd(s), R(128), R(32), R(16));
        break;
    default:
        t = MSGTAG(CHANCE(2) ? R(0x10000) : rnd(s), R(10), R(3), CHANCE(4) ? R(16) : 0);
    }
    *words = MSGTAG_WORDS(t);
    *items = MSGTAG_ITEMS(t);
    return t;
}

static long fuzz_thread(word_t idx);

/* One call: chooses a system call and its arguments, records it, issues it. */
static void fuzz_one(word_t *s, struct fz_record *rec)
{
    word_t nr = CHANCE(40) ? (CHANCE(2) ? rnd(s) : SYS_COUNT + R(4)) : R(SYS_COUNT);
    word_t a[5] = {rnd(s), rnd(s), rnd(s), rnd(s), rnd(s)};
    bool unbounded = false;
    word_t t;
    int newthr = -1;
    switch (nr) {
    case SYS_console_write:
        /* Readable memory is printed for a few bytes only (the log stays legible). */
        a[0] = addr(s, false);
        a[1] = a[0] < USER_TOP && a[0] >= CODE_BASE ? R(4) : rnd(s) >> R(64);
        break;
    case SYS_thread_exit:
    case SYS_task_exit:
        if (!CHANCE(32)) return; /* rare: each ends a thread or the worker */
        a[0] = R(256);
        break;
    case SYS_task_spawn:
        a[0] = CHANCE(2) ? module_fuzzchild : R(6);
        a[1] = CHANCE(4) ? rnd(s) : (R(PRIO_MAX + 2) | (CHANCE(2) ? SPAWN_SUSPENDED : 0));
        a[2] = rnd(s) & ~(0xffffUL << 48); /* never a worker's argument */
        break;
    case SYS_task_wait:
        a[0] = CHANCE(2) ? children[R(NCHILD)] : name(s);
        a[1] = addr(s, true);
        unbounded = true; /* a child may be blocked as long as its partner wants */
        break;
    case SYS_module_info:
        a[0] = CHANCE(2) ? R(8) : rnd(s);
        a[1] = addr(s, true);
        a[2] = CHANCE(2) ? R(64) : rnd(s);
        break;
    case SYS_shutdown:
    case SYS_yield:
    case SYS_self:
    case SYS_clock:
        a[0] = R(2) ? R(0x80) : rnd(s);
        break;
    case SYS_thread_create:
        if (!CHANCE(3)) {
            for (int i = 1; i < FZ_THREADS; i++)
                if (st->thr[i].phase == FZ_FREE || st->thr[i].phase == FZ_DEAD) newthr = i;
        }
        if (newthr > 0) {
            word_t *top = (word_t *)(stacks[newthr] + STACK_SIZE);
            *--top = (word_t)newthr;
            *--top = (word_t)fuzz_thread;
            extern char _thread_start[];
            a[0] = (word_t)_thread_start, a[1] = (word_t)top, a[2] = PRIO_DEFAULT;
            st->thr[newthr].phase = FZ_BETWEEN;
        } else {
            a[0] = CHANCE(2) ? addr(s, false) : CODE_BASE + R(8192);
            a[1] = addr(s, true) & ~(CHANCE(2) ? 7UL : 0UL);
            a[2] = CHANCE(2) ? 1 : rnd(s); /* garbage threads run below everyone */
        }
        break;
    case SYS_kinfo:
        a[0] = CHANCE(4) ? rnd(s) : R(5);
        a[1] = addr(s, true);
        break;
    case SYS_ipc: {
        unsigned words, items;
        bool u2 = false;
        a[0] = CHANCE(8) ? rnd(s) : R(IPC_OP_COUNT + 1);
        a[1] = name(s);
        a[2] = tag(s, &words, &items);
        word_t snd = timeout(s, &unbounded), rcv = timeout(s, &u2);
        unbounded |= u2;
        a[3] = CHANCE(16) ? rnd(s) : IPC_TIMEOUTS(snd, rcv);
        if (a[3] != IPC_TIMEOUTS(snd, rcv)) unbounded = true;
        fill_utcb(s, words, items);
        break;
    }
    case SYS_notify_create:
        a[0] = rnd(s) >> R(64);
        break;
    case SYS_notify_bind:
    case SYS_notify_trigger:
    case SYS_irq_attach:
    case SYS_name_drop:
        a[0] = name(s);
        a[1] = CHANCE(2) ? rnd(s) : R(64);
        break;
    case SYS_set_handlers:
        a[0] = CHANCE(2) ? children[R(NCHILD)] : name(s);
        a[1] = name(s), a[2] = name(s);
        break;
    case SYS_endpoint_create:
    case SYS_endpoint_bind:
        a[0] = name(s), a[1] = CHANCE(2) ? name(s) : rnd(s);
        break;
    case SYS_name_give:
        a[0] = CHANCE(2) ? children[R(NCHILD)] : name(s);
        a[1] = name(s), a[2] = R(8);
        break;
    case SYS_task_start:
    case SYS_task_kill:
        a[0] = CHANCE(4) ? name(s) : children[R(NCHILD)];
        a[1] = rnd(s) >> R(64);
        break;
    case SYS_task_quota:
        a[0] = CHANCE(4) ? name(s) : children[R(NCHILD)];
        a[1] = CHANCE(4) ? rnd(s) : R(QUOTA_COUNT + 1);
        a[2] = CHANCE(2) ? R(40) : rnd(s) >> R(64);
        break;
    case SYS_unmap:
        a[0] = fpage(s);
        a[1] = R(4);
        break;
    case SYS_module_read:
        a[1] = addr(s, true);
        break;
    default:
        break;
    }
    /* Ending oneself or touching one's own handlers: the supervisor must know beforehand. */
    if (nr == SYS_set_handlers && a[0] == st->self_task) st->handlers_changed = 1;
    rec->nr = nr;
    for (int i = 0; i < 5; i++)
        rec->a[i] = a[i];
    rec->bound = unbounded ? FZ_UNBOUNDED : FZ_BOUNDED;
    rec->seq++;
    rec->phase = (nr == SYS_thread_exit || nr == SYS_task_exit) ? FZ_DEAD : FZ_IN_CALL;
    if (st->verbose == 0x7e7e) {
        char line[160];
        int n = snprintf(line, sizeof(line), "fz%u.%ld #%lu: %lu(%lx, %lx, %lx, %lx, %lx)\n", slot,
                         rec - st->thr, rec->seq, nr, a[0], a[1], a[2], a[3], a[4]);
        console_write(line, (size_t)n);
    }
    if (nr == SYS_ipc) {
        word_t rtag, rlabel;
        long r = ipc(a[0], a[1], a[2], a[3], &rtag, &rlabel);
        if (r == 0 && !CHANCE(4)) remember(s, rlabel);
    } else {
        t = (word_t)syscall5(nr, a[0], a[1], a[2], a[3], a[4]);
        if ((long)t > 0) {
            if (nr == SYS_task_spawn) {
                unsigned i = (unsigned)R(NCHILD);
                children[i] = SPAWN_TASK(t), child_thr[i] = SPAWN_THREAD(t);
            } else if (nr == SYS_endpoint_create || nr == SYS_notify_create ||
                       nr == SYS_name_give || nr == SYS_thread_create) {
                remember(s, t);
            }
        }
        if (newthr > 0 && (long)t < 0) st->thr[newthr].phase = FZ_FREE;
    }
    rec->phase = FZ_BETWEEN;
}

static long fuzz_thread(word_t idx)
{
    word_t seed = base_seed * 0x9e3779b97f4a7c15UL + idx * 0xbf58476d1ce4e5b9UL + 1;
    word_t *s = &seed;
    struct fz_record *rec = &st->thr[idx];
    rec->phase = FZ_BETWEEN;
    for (;;) {
        fuzz_one(s, rec);
        seed ^= rec->seq; /* a restarted record never repeats the same stream */
    }
    return 0;
}

int main(word_t arg)
{
    if (!FZ_ARG_OK(arg)) return (int)(arg & 0x7f); /* spawned by a worker: nothing to do */
    slot = FZ_ARG_SLOT(arg);
    base_seed = FZ_ARG_SEED(arg) | 1;
    st = (struct fz_status *)FZ_STATUS_VA(slot); /* the first touch faults it in */
    st->alive = 1;
    st->self_task = self_task();
    char mname[32];
    for (unsigned i = 1; module_info(i, mname, sizeof(mname)) >= 0; i++)
        if (strcmp(mname, "fuzzchild") == 0) module_fuzzchild = i;
    unmap(FPAGE((word_t)scratch[2], 12, FPAGE_RWX), UNMAP_SELF); /* the hole */
    return (int)fuzz_thread(0);
}
