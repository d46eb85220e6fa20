/* SPDX-License-Identifier: MIT */
/*
 * The arch layer on the host (threads are ucontext fibres) and the helpers the IPC and backend
 * tests drive the kernel core with. host_kernel.h describes the model; host_stubs.c provides
 * the console, panic and the physical arena; kernel/arch/x86_64/paging.c the page tables.
 */
#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include <cmocka.h>

#include "host_kernel.h"
#include "abi/layout.h"
#include "arch.h"
#include "boot.h"
#include "host_phys.h"
#include "ipc_queue.h"
#include "mapdb.h"
#include "policy.h"
#include "notify.h"
#include "pmm.h"
#include "pool.h"
#include "quota.h"
#include "timer.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(__SANITIZE_ADDRESS__)
#define __SANITIZE_ADDRESS__ 1 /* clang says it this way (the fuzzers build with clang) */
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define HOST_ASAN 1
#else
#define HOST_ASAN 0
#endif

/* ---- things the kernel gets from files the host build leaves out ---- */

size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return n;
}

void kvprintf_to(void (*write)(const char *, size_t), const char *fmt, va_list ap)
{
    char buf[256];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    if (n > 0) write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* ---- the arch layer ---- */

/* One host context per thread-pool slot, plus the driver's (the idle thread's). */
struct host_ctx {
    ucontext_t uc;
    void *stack_lo; /* the fibre's host stack (for the driver: learnt on the first switch) */
    size_t stack_size;
    host_fn fn;           /* what a new thread runs */
    bool last_fast;       /* its last IPC system call was handled by the fast path */
    jmp_buf syscall_exit; /* host_sys_ipc's return: where a thread leaves "through its frame" */
    bool blocked_in_fast; /* its current IPC system call was taken by the fast path */
    bool frame_exit;      /* the fast path resumed it: leave through the frame at once */
    struct wait_queue pause;
};

/* Host stacks are separate from the kernel's 16 KiB kstacks (which keep only the trap frame):
 * sanitizer builds need more room, and a guard page turns an overflow into a crash. */
#define HOST_STACK_SIZE (256u * 1024)
#define HOST_GUARD 4096u

static struct host_ctx ctxs[MAX_THREADS];
static struct host_ctx idle_ctx;
static struct thread idle_thread;
static uint8_t idle_kstack[4096] __attribute__((aligned(16)));
static struct host_ctx *switch_from;   /* the context being left, for the fibre bookkeeping */
static paddr_t host_cr3;               /* the "active" page-table root */
#define HOST_KERNEL_ROOT (~(paddr_t)0) /* the driver runs on no user space */
static uint64_t host_cycles;

struct host_stats host_stats;

static struct host_ctx *ctx_of(const struct thread *t)
{
    if (t == &idle_thread) return &idle_ctx;
    uint32_t i = pool_index(&thread_pool, t);
    if (i == POOL_END) panic("host: thread %p is not from the thread pool", (const void *)t);
    return &ctxs[i];
}

void arch_early_init(void) {}

void arch_boot_info(uint32_t magic, uint32_t info_phys, struct boot_info *out)
{
    (void)magic, (void)info_phys;
    memset(out, 0, sizeof(*out));
}

void arch_timer_init(unsigned hz)
{
    (void)hz;
}

void arch_console_write(const char *s, size_t n)
{
    fwrite(s, 1, n, stdout);
}

void arch_trace_write(const char *s, size_t n)
{
    (void)s, (void)n; /* the trace port: nobody listens on the host */
}

void arch_poweroff(int code)
{
    panic("host: the kernel powered the machine off (status %d)", code);
}

void arch_idle(void) {}

uint64_t arch_cycles(void)
{
    return ++host_cycles;
}

struct trap_frame *arch_thread_frame(struct thread *t)
{
    return (struct trap_frame *)(t->kstack_top - sizeof(struct trap_frame));
}

void arch_thread_gone(struct thread *t)
{
    (void)t;
}

void arch_dump_frame(const struct trap_frame *f)
{
    kprintf("rip %#lx rsp %#lx rax %#lx rdi %#lx rsi %#lx\n", f->rip, f->rsp, f->rax, f->rdi,
            f->rsi);
}

void arch_tlb_flush_page(vaddr_t va)
{
    (void)va;
}

bool arch_pt_is_active(paddr_t root)
{
    return root == host_cr3;
}

/* We arrived on a fibre: tell the sanitizer, and learn the driver's stack on the way. */
static void fibre_arrived(void *fake_stack)
{
#if HOST_ASAN
    const void *lo;
    size_t size;
    __sanitizer_finish_switch_fiber(fake_stack, &lo, &size);
    if (switch_from && switch_from->stack_lo == NULL) {
        switch_from->stack_lo = (void *)lo;
        switch_from->stack_size = size;
    }
#else
    (void)fake_stack;
#endif
}

/* Where every new thread starts: as thread_trampoline, then "user mode" is the C function. */
static void thread_start(void)
{
    fibre_arrived(NULL);
    sched_switch_finish();
    struct thread *self = current;
    host_fn fn = ctx_of(self)->fn;
    fn(arch_thread_frame(self)->rdi);
    thread_exit_current(0); /* returning from main ends the thread, as crt0 does */
}

static host_fn entries[256];
static unsigned nentries;

static host_fn entry_fn(vaddr_t ip)
{
    if (ip < HOST_TEXT_VA || (ip - HOST_TEXT_VA) % 16 || (ip - HOST_TEXT_VA) / 16 >= nentries)
        return NULL;
    return entries[(ip - HOST_TEXT_VA) / 16];
}

vaddr_t host_entry(host_fn fn)
{
    for (unsigned i = 0; i < nentries; i++)
        if (entries[i] == fn) return HOST_TEXT_VA + 16 * i;
    if (nentries == ARRAY_SIZE(entries)) panic("host: too many thread functions");
    entries[nentries] = fn;
    return HOST_TEXT_VA + 16 * nentries++;
}

void arch_thread_setup(struct thread *t, vaddr_t ip, vaddr_t sp, word_t arg)
{
    struct trap_frame *f = arch_thread_frame(t);
    *f = (struct trap_frame){0};
    f->rip = ip;
    f->rsp = sp;
    f->rdi = arg;
    f->rflags = 0x202;

    struct host_ctx *c = ctx_of(t);
    c->fn = entry_fn(ip);
    if (c->fn == NULL) panic("host: no thread function at ip %#lx", ip);
    if (c->stack_lo == NULL) {
        uint8_t *m = mmap(NULL, HOST_STACK_SIZE + HOST_GUARD, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) panic("host: cannot map a thread stack");
        mprotect(m, HOST_GUARD, PROT_NONE);
        c->stack_lo = m + HOST_GUARD;
        c->stack_size = HOST_STACK_SIZE;
    }
#if HOST_ASAN
    /* The slot's previous thread may have died mid-call, leaving its frames poisoned. */
    __asan_unpoison_memory_region(c->stack_lo, c->stack_size);
#endif
    c->pause = (struct wait_queue){0};
    if (getcontext(&c->uc) != 0) panic("host: getcontext failed");
    c->uc.uc_stack.ss_sp = c->stack_lo;
    c->uc.uc_stack.ss_size = c->stack_size;
    c->uc.uc_link = NULL;
    makecontext(&c->uc, thread_start, 0);
}

/*
 * Under ASan the stack switch is announced with the fibre API, and the call goes to libc's own
 * swapcontext: ASan's interceptor would unpoison the whole target stack on every switch (losing
 * the redzones of the frames living there) and warn once per test process.
 */
static int host_swapcontext(ucontext_t *save, const ucontext_t *to)
{
#if HOST_ASAN
    static int (*libc_swapcontext)(ucontext_t *, const ucontext_t *);
    if (libc_swapcontext == NULL) {
        void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
        if (libc) *(void **)&libc_swapcontext = dlsym(libc, "swapcontext");
        if (libc_swapcontext == NULL) panic("host: cannot find libc's swapcontext");
    }
    return libc_swapcontext(save, to);
#else
    return swapcontext(save, to);
#endif
}

void arch_switch(struct thread *prev, struct thread *next)
{
    host_cr3 = next->task ? next->task->vs.root : HOST_KERNEL_ROOT;
    struct host_ctx *p = ctx_of(prev), *n = ctx_of(next);
    switch_from = p;
#if HOST_ASAN
    void *fake_stack = NULL;
    /* A dead thread never comes back: its fake stack may go. */
    __sanitizer_start_switch_fiber(prev->state == THREAD_DEAD ? NULL : &fake_stack, n->stack_lo,
                                   n->stack_size);
#else
    void *fake_stack = NULL;
#endif
    if (host_swapcontext(&p->uc, &n->uc) != 0) panic("host: swapcontext failed");
    fibre_arrived(fake_stack);
    /* Resumed by a partner's fast path: like the real kernel, leave through the frame it
     * filled, whatever this thread was doing in the kernel (arch_switch_exit). */
    struct host_ctx *me = ctx_of(current);
    if (me->frame_exit) {
        me->frame_exit = false;
        longjmp(me->syscall_exit, 2);
    }
}

/*
 * The fast path's switch on the host: `next` resumes where it blocked (its own C continuation
 * or its arch_switch_exit, both reading the results the fast path left in the thread), and
 * `prev`, once run again, leaves its system call with its frame's results, as sysret would.
 */
void arch_switch_exit(struct thread *prev, struct thread *next, word_t tag, word_t label)
{
    struct trap_frame *f =
        arch_thread_frame(next); /* the result registers, as sysret leaves them */
    FRAME_RESULT(f) = 0;
    FRAME_RESULT_TAG(f) = tag;
    FRAME_RESULT_LABEL(f) = label;
    ctx_of(prev)->blocked_in_fast = true;
    ctx_of(next)->frame_exit = true;
    arch_switch(prev, next);
    /* woken by the general path (a partner's fast path leaves through arch_switch instead) */
    ipc_user_resume();
    longjmp(ctx_of(current)->syscall_exit, 1);
}

/* ---- boot, isolation, running ---- */

/*
 * The kernel's sched_yield() has the name of the libc function, so on the host it also answers
 * libc's callers (LeakSanitizer's stop-the-world loop calls it at exit). It only touches
 * `current`: give it the idle thread from the start, in the parent process too.
 */
__attribute__((constructor)) static void host_current_valid(void)
{
    current = &idle_thread;
}

void host_boot(void)
{
    pmm_reset();
    pmm_add_free(0, HOST_PHYS_BYTES);
    mapdb_init(quota_mapdb_charge);
    objects_init();
    notify_init();
    msgq_boot();
    policy_init();
    memset(&idle_thread, 0, sizeof(idle_thread));
    idle_thread.kstack_top = (uintptr_t)&idle_kstack[sizeof(idle_kstack)];
    memset(&idle_ctx, 0, sizeof(idle_ctx));
    sched_init(&idle_thread);
    host_cr3 = HOST_KERNEL_ROOT;
    host_stats = (struct host_stats){0};
    ipc_fastpath_enable(true);
}

void host_isolated(void (*body)(bool), bool fastpath)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) fail_msg("fork: %s", strerror(errno));
    if (pid == 0) {
        /* A failed assertion aborts the child instead of jumping back into CMocka's loop. */
        setenv("CMOCKA_TEST_ABORT", "1", 1);
        static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGSYS};
        for (unsigned i = 0; i < ARRAY_SIZE(sigs); i++)
            signal(sigs[i], SIG_DFL);
        prctl(PR_SET_DUMPABLE, 0); /* no core files from failing tests */
        alarm(10);
        host_boot();
        ipc_fastpath_enable(fastpath);
        body(fastpath);
        fflush(stdout);
        fflush(stderr);
        _exit(0);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) fail_msg("waitpid: %s", strerror(errno));
    if (WIFSIGNALED(status))
        fail_msg("the test's child process died of signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    if (WEXITSTATUS(status) != 0)
        fail_msg("the test's child process exited with status %d", WEXITSTATUS(status));
}

static bool any_ready(void)
{
    for (uint32_t i = 0; i < thread_pool.capacity; i++) {
        struct thread *t = pool_at(&thread_pool, i);
        if (t && t->state == THREAD_READY) return true;
    }
    return false;
}

void host_run(void)
{
    if (current != &idle_thread) panic("host_run called from a thread, not the driver");
    do
        schedule();
    while (any_ready());
}

void host_tick(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        timer_tick();
        host_run();
    }
}

/* ---- tasks and threads ---- */

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

const void *host_elf_image(vaddr_t entry, size_t *len)
{
    static struct {
        struct elf64_ehdr h;
        struct elf64_phdr ph[2];
    } img;
    memset(&img, 0, sizeof(img));
    memcpy(img.h.ident, "\177ELF\2\1\1", 7);
    img.h.type = 2;     /* ET_EXEC */
    img.h.machine = 62; /* EM_X86_64 */
    img.h.version = 1;
    img.h.entry = entry;
    img.h.phoff = offsetof(__typeof__(img), ph);
    img.h.ehsize = sizeof(img.h);
    img.h.phentsize = sizeof(struct elf64_phdr);
    img.h.phnum = 2;
    /* text: the headers themselves are its bytes; data: zero-filled */
    img.ph[0] = (struct elf64_phdr){.type = 1,      /* PT_LOAD */
                                    .flags = 4 | 1, /* R, X */
                                    .vaddr = HOST_TEXT_VA,
                                    .filesz = sizeof(img),
                                    .memsz = PAGE_SIZE,
                                    .align = PAGE_SIZE};
    img.ph[1] = (struct elf64_phdr){.type = 1,
                                    .flags = 4 | 2, /* R, W */
                                    .vaddr = HOST_DATA_VA,
                                    .memsz = HOST_DATA_PAGES * PAGE_SIZE,
                                    .align = PAGE_SIZE};
    *len = sizeof(img);
    return &img;
}

struct task *host_task_create(const char *name, uint8_t prio, host_fn fn, word_t arg, bool start)
{
    return host_task_create_by(NULL, name, prio, fn, arg, start);
}

struct task *host_task_create_by(struct task *creator, const char *name, uint8_t prio, host_fn fn,
                                 word_t arg, bool start)
{
    size_t len;
    const void *image = host_elf_image(host_entry(fn), &len);
    struct task *t;
    for (struct task *x = creator; x; x = x->quota.up) /* room for one more below each */
        x->quota.limit[QUOTA_TASKS] = x->quota.used[QUOTA_TASKS] + 1;
    enum status s = task_create_from_elf(name, image, len, prio, arg, start, creator, &t);
    if (s != OK) panic("host: cannot create task '%s': %s", name, status_text(s));
    return t;
}

struct thread *host_thread_create(struct task *task, host_fn fn, word_t arg, uint8_t prio,
                                  bool start)
{
    struct thread *t = NULL;
    if (thread_create(task, host_entry(fn), USER_STACK_TOP, arg, prio, start, &t) != OK) t = NULL;
    if (t == NULL) panic("host: cannot create a thread in task '%s'", task->name);
    return t;
}

struct task *host_task_n(const char *name, uint8_t prio, unsigned n, const host_fn *fns,
                         const word_t *args, struct thread **out)
{
    struct task *t = host_task_create(name, prio, fns[0], args[0], true);
    out[0] = t->threads;
    for (unsigned i = 1; i < n; i++)
        out[i] = host_thread_create(t, fns[i], args[i], prio, true);
    return t;
}

void host_user_write(struct task *t, vaddr_t va, const void *src, size_t len)
{
    if (vspace_fill(&t->vs, va, src, len) != OK) panic("host: cannot write user %#lx", va);
}

void host_user_read(struct task *t, vaddr_t va, void *dst, size_t len)
{
    if (vspace_copy_in(&t->vs, dst, va, len) != OK) panic("host: cannot read user %#lx", va);
}

/* ---- system calls ---- */

long host_sys_ipc(word_t op, word_t dest, word_t tag, word_t timeouts, word_t a4)
{
    host_stats.ipc_calls++;
    ctx_of(current)->blocked_in_fast = false;
    if (setjmp(ctx_of(current)->syscall_exit) != 0) {
        /* Left "through the frame" (arch_switch_exit, or resumed by a partner's fast path):
         * the results are there, as the real kernel leaves them for sysret. */
        struct host_ctx *c = ctx_of(current);
        c->last_fast = c->blocked_in_fast;
        if (c->last_fast) host_stats.fastpath_hits++;
        return (long)FRAME_RESULT(arch_thread_frame(current));
    }
    struct thread *cur = current;
    struct trap_frame *f = arch_thread_frame(cur);
    if (ipc_fastpath(cur, op, dest, tag, timeouts)) panic("host: the fast path returned");
    ctx_of(cur)->last_fast = false;
    long r = ipc_do(cur, op, dest, tag, timeouts, a4);
    f->rsi = r == 0 ? cur->ipc_rcv_tag : 0;
    f->rdi = r == 0 ? cur->ipc_rcv_label : 0;
    return r;
}

long host_sys_thread_exit(word_t code, word_t a1, word_t a2, word_t a3, word_t a4)
{
    (void)a1, (void)a2, (void)a3, (void)a4;
    thread_exit_current(code);
}

void host_pause(void)
{
    sched_block_on(&ctx_of(current)->pause);
}

void host_resume(struct thread *t)
{
    if (t->state != THREAD_BLOCKED || t->wq != &ctx_of(t)->pause)
        panic("host: thread %u is not paused", t->id);
    sched_wake(t, OK);
}

/* ---- actors ---- */

static struct host_actor actors[MAX_THREADS];
static unsigned nactors;

/* An actor's life: wait for a command, make the system call as syscall_dispatch would (args
 * in the frame, result in rax, then the preemption point), record what came back. */
static void actor_main(word_t idx)
{
    struct host_actor *a = &actors[idx];
    for (;;) {
        host_pause();
        struct trap_frame *f = arch_thread_frame(current);
        FRAME_ARG0(f) = a->args[0];
        FRAME_ARG1(f) = a->args[1];
        FRAME_ARG2(f) = a->args[2];
        FRAME_ARG3(f) = a->args[3];
        FRAME_ARG4(f) = a->args[4];
        long r = a->fn(FRAME_ARG0(f), FRAME_ARG1(f), FRAME_ARG2(f), FRAME_ARG3(f), FRAME_ARG4(f));
        FRAME_RESULT(f) = (word_t)r;
        a->result = r;
        a->rcv_tag = f->rsi;
        a->rcv_label = f->rdi;
        a->fastpath = a->fn == host_sys_ipc && ctx_of(current)->last_fast;
        a->busy = false;
        a->done++;
        sched_preempt_point();
    }
}

static struct host_actor *actor_alloc(void)
{
    if (nactors == ARRAY_SIZE(actors)) panic("host: too many actors");
    struct host_actor *a = &actors[nactors];
    memset(a, 0, sizeof(*a));
    return a;
}

static struct host_actor *actor_ready(struct host_actor *a, struct thread *t)
{
    a->t = t;
    a->id = t->id;
    a->task = t->task;
    nactors++;
    host_run(); /* to its first pause */
    if (t->wq != &ctx_of(t)->pause) panic("host: actor %u did not reach its pause", t->id);
    return a;
}

struct host_actor *actor_new(const char *name, uint8_t prio)
{
    struct host_actor *a = actor_alloc();
    struct task *task = host_task_create(name, prio, actor_main, nactors, true);
    return actor_ready(a, task->threads);
}

struct host_actor *actor_new_child(struct task *creator, const char *name, uint8_t prio)
{
    struct host_actor *a = actor_alloc();
    struct task *task = host_task_create_by(creator, name, prio, actor_main, nactors, true);
    return actor_ready(a, task->threads);
}

struct host_actor *actor_new_in(struct task *task, uint8_t prio)
{
    struct host_actor *a = actor_alloc();
    return actor_ready(a, host_thread_create(task, actor_main, nactors, prio, true));
}

void actor_post(struct host_actor *a, host_syscall_fn fn, word_t a0, word_t a1, word_t a2,
                word_t a3, word_t a4)
{
    if (a->busy) panic("host: actor %u is still busy", a->id);
    a->fn = fn;
    a->args[0] = a0;
    a->args[1] = a1;
    a->args[2] = a2;
    a->args[3] = a3;
    a->args[4] = a4;
    a->busy = true;
    host_resume(a->t);
}

void actor_do(struct host_actor *a, host_syscall_fn fn, word_t a0, word_t a1, word_t a2, word_t a3,
              word_t a4)
{
    actor_post(a, fn, a0, a1, a2, a3, a4);
    host_run();
}

void actor_post_ipc(struct host_actor *a, word_t op, word_t dest, word_t tag, word_t timeouts)
{
    actor_post(a, host_sys_ipc, op, dest, tag, timeouts, 0);
}

void actor_ipc(struct host_actor *a, word_t op, word_t dest, word_t tag, word_t timeouts)
{
    actor_do(a, host_sys_ipc, op, dest, tag, timeouts, 0);
}

void actor_exit(struct host_actor *a)
{
    actor_do(a, host_sys_thread_exit, 0, 0, 0, 0, 0);
}

void actor_kill(struct host_actor *a)
{
    task_end(a->task, TASK_END_KILLED, 13, 0, 0);
    host_run(); /* whoever the death woke */
}

void host_forget(void)
{
    memset(actors, 0, sizeof(actors));
    nactors = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(ctxs); i++) {
        void *lo = ctxs[i].stack_lo;
        size_t size = ctxs[i].stack_size;
        memset(&ctxs[i], 0, sizeof(ctxs[i]));
        ctxs[i].stack_lo = lo; /* the mapping is reused by the slot's next thread */
        ctxs[i].stack_size = size;
    }
    switch_from = NULL;
}

bool host_actor_paused(const struct host_actor *a)
{
    struct thread *t = thread_lookup(a->id);
    return t && t->state == THREAD_BLOCKED && t->wq == &ctx_of(t)->pause;
}

bool actor_blocked_in(const struct host_actor *a, enum ipc_wait why)
{
    struct thread *t = thread_lookup(a->id);
    return t && a->busy && t->state == THREAD_BLOCKED && t->ipc_wait == why;
}

struct utcb *actor_utcb(const struct host_actor *a)
{
    return a->t->utcb;
}
