/* SPDX-License-Identifier: MIT */
/*
 * The fault isolation table. Run as the root task, it reads the names of the rows to run from
 * the boot module "rows", and for each row spawns a copy of itself that commits that fault (or,
 * for "int_n", one copy per vector). Every copy must be killed by the kernel with the expected
 * vector while this task, which holds its own x87/SSE registers through all of it, carries on
 * with them intact; at the end every kernel object and frame must be back.
 */
#include "fpu.h"
#include "ulib.h"

#define ROW_ARG 0x1000u /* a child's argument: ROW_ARG + row, + vector << 16 for int_n */
#define TABLE_SEED 7
#define ROW_SEED 9
#define KERNEL_TEXT 0xffffffff80100000UL
#define KERNEL_DIRECT_MAP 0xffff800000000000UL
#define NON_CANONICAL 0x0000800000000000UL

/* Stubs: `int $v` for every v, 4 bytes apart; and a page whose last instructions are a
 * system call, for mapping at the very end of user space (the "sysret_top" row). */
__asm__(".pushsection .text.faulttab_stubs, \"ax\"\n"
        ".balign 16\n"
        "int_stubs:\n"
        ".set v, 0\n"
        ".rept 256\n"
        ".balign 4\n"
        ".byte 0xcd, v\n" /* int $v, always the two-byte form (as writes int $3 as int3) */
        "ud2\n"
        ".set v, v + 1\n"
        ".endr\n"
        ".balign 4096\n"
        "top_page:\n"
        ".skip 4096 - 7, 0xcc\n"
        "mov $"
        "2"
        ", %eax\n" /* SYS_yield, checked below */
        "syscall\n"
        ".popsection\n");
extern char int_stubs[], top_page[];
_Static_assert(SYS_yield == 2, "top_page's system call is yield");

static void do_divide(void)
{
    unsigned zero = 0, q;
    __asm__ volatile("xorl %%edx, %%edx; movl $1, %%eax; divl %1" : "=a"(q) : "c"(zero) : "rdx");
}
static void do_ud2(void)
{
    __asm__ volatile("ud2");
}
static void do_int3(void)
{
    __asm__ volatile("int3");
}
static void do_hlt(void)
{
    __asm__ volatile("hlt");
}
static void do_cli(void)
{
    __asm__ volatile("cli");
}
static void do_mov_cr3(void)
{
    __asm__ volatile("mov %0, %%cr3" ::"r"(0UL));
}
static void do_in(void)
{
    unsigned char v;
    __asm__ volatile("inb $0x60, %0" : "=a"(v));
}
static void do_out(void)
{
    __asm__ volatile("outb %0, $0x80" ::"a"((unsigned char)0));
}
/* Recursion until the stack runs out; the frames are used so none is optimised away. The
 * depth bound is never reached (16 pages of stack hold far fewer frames). */
static volatile unsigned long depth_limit = ~0UL;
static unsigned long recurse(unsigned long n)
{
    volatile char pad[256];
    pad[0] = (char)n;
    if (n >= depth_limit) return n;
    return recurse(n + 1) + pad[0];
}
static void do_stack_overflow(void)
{
    recurse(0);
}
static void do_jump_kernel(void)
{
    ((void (*)(void))KERNEL_TEXT)();
}
static void do_read_kernel(void)
{
    (void)*(volatile unsigned long *)KERNEL_TEXT;
}
static void do_write_kernel(void)
{
    *(volatile unsigned long *)KERNEL_DIRECT_MAP = 0;
}
static unsigned char data_code[16] = {0xc3}; /* ret, in a data page */
static void do_exec_data(void)
{
    ((void (*)(void))data_code)();
}
static void do_exec_stack(void)
{
    volatile unsigned char code[16] = {0xc3};
    ((void (*)(void))code)();
}
static void do_write_code(void)
{
    *(volatile unsigned char *)(void *)do_write_code = 0xc3;
}
static void do_read_noncanonical(void)
{
    (void)*(volatile unsigned long *)NON_CANONICAL;
}
static void do_jump_noncanonical(void)
{
    ((void (*)(void))NON_CANONICAL)();
}
static void do_stack_noncanonical(void)
{
    __asm__ volatile("movq %0, %%rsp; pushq $0" ::"r"(NON_CANONICAL + 16) : "memory");
}
static void do_bad_ds(void)
{
    __asm__ volatile("movw %w0, %%ds" ::"r"(0x10)); /* kernel data, DPL 0 */
}
static void do_bad_ss(void)
{
    __asm__ volatile("movw %w0, %%ss" ::"r"(0x2b)); /* the TSS: not a data segment */
}
static void do_bad_selector(void)
{
    __asm__ volatile("movw %w0, %%es" ::"r"(0x7b)); /* past the end of the GDT */
}
static void do_x87(void)
{
    unsigned short fcw = 0x037b; /* zero-divide unmasked */
    __asm__ volatile("fninit; fldcw %0; fld1; fldz; fdivrp; fwait" ::"m"(fcw));
}
static void do_sse(void)
{
    unsigned mxcsr = 0x1f80 & ~0x200u; /* zero-divide unmasked */
    __asm__ volatile("ldmxcsr %0; cvtsi2sdq %1, %%xmm0; xorpd %%xmm1, %%xmm1; divsd %%xmm1, "
                     "%%xmm0" ::"m"(mxcsr),
                     "r"(1L));
}
/* A system call from the last bytes of the last user page: its return address is the first
 * byte of the reserved top page, so sysret goes back to a canonical address that faults in
 * ring 3 (were that page usable, the next one would be non-canonical: the ring-0 #GP). */
static void do_sysret_top(void)
{
    ((void (*)(void))(USER_TOP - 7))();
}
/* A system call with a non-canonical stack pointer: the kernel never uses it; the task's
 * next push faults in ring 3. */
static void do_syscall_bad_rsp(void)
{
    __asm__ volatile("movq %%rsp, %%rbx; movq %0, %%rsp; movl $2, %%eax; syscall; pushq $0" ::"r"(
                         NON_CANONICAL + 16)
                     : "rax", "rbx", "rcx", "r11", "memory");
}
static void do_int_n(unsigned v)
{
    ((void (*)(void))(int_stubs + 4 * v))();
}

struct row {
    const char *name;
    void (*fault)(void);
    unsigned vector; /* the vector that must end the task */
    unsigned alt;    /* another acceptable one (0: none), where CPUs differ */
};

/*
 * A non-canonical stack access is #SS (12) on hardware; QEMU's TCG raises #GP (13). An SSE
 * exception is #XM (19) on hardware; QEMU's TCG (up to 8.x at least) only sets the flag in
 * MXCSR and never raises it: the row's task then reports that and exits with SSE_NOT_RAISED,
 * after checking that the flag is set (the unmasked MXCSR really was its own).
 */
#define SSE_NOT_RAISED 0x19

static const struct row rows[] = {
    {"divide", do_divide, 0, 0},
    {"ud2", do_ud2, 6, 0},
    {"int3", do_int3, 3, 0},
    {"hlt", do_hlt, 13, 0},
    {"cli", do_cli, 13, 0},
    {"mov_cr3", do_mov_cr3, 13, 0},
    {"in", do_in, 13, 0},
    {"out", do_out, 13, 0},
    {"stack_overflow", do_stack_overflow, 14, 0},
    {"jump_kernel", do_jump_kernel, 14, 0},
    {"read_kernel", do_read_kernel, 14, 0},
    {"write_kernel", do_write_kernel, 14, 0},
    {"exec_data", do_exec_data, 14, 0},
    {"exec_stack", do_exec_stack, 14, 0},
    {"write_code", do_write_code, 14, 0},
    {"read_noncanonical", do_read_noncanonical, 13, 0},
    {"jump_noncanonical", do_jump_noncanonical, 13, 0},
    {"stack_noncanonical", do_stack_noncanonical, 12, 13},
    {"bad_ds", do_bad_ds, 13, 0},
    {"bad_ss", do_bad_ss, 13, 0},
    {"bad_selector", do_bad_selector, 13, 0},
    {"x87", do_x87, 16, 0},
    {"sse", do_sse, 19, 0},
    {"sysret_top", do_sysret_top, 14, 0},
    {"syscall_bad_rsp", do_syscall_bad_rsp, 12, 13},
    {"int_n", NULL, 13, 0},
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))
#define INT_N_ROW (NROWS - 1)

/* A child: owns the FPU with its own values, then faults. */
static int run_row(word_t arg)
{
    unsigned row = (unsigned)(arg - ROW_ARG) & 0xffff;
    if (row >= NROWS) return 2;
    struct fpu_image img;
    fpu_fill(&img, ROW_SEED);
    fpu_load(&img);
    if (rows[row].fault)
        rows[row].fault();
    else
        do_int_n((unsigned)(arg >> 16));
    unsigned mxcsr;
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    if (rows[row].fault == do_sse && mxcsr == ((0x1f80 & ~0x200u) | 0x4)) {
        printf("faulttab: row sse: this CPU set MXCSR.ZE (0x%x) but raised no #XM\n", mxcsr);
        return SSE_NOT_RAISED;
    }
    printf("faulttab: row %s: the task SURVIVED its fault\n", rows[row].name);
    return 0;
}

/* The pager of every row task: maps top_page at the end of user space, nothing else. */
static unsigned char pager_stack[8192] __attribute__((aligned(16)));
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
        word_t addr = u->mr[0], reply = MSGTAG(IPC_LABEL_KILL, 0, 0, 0);
        if (MSGTAG_LABEL(tag) == IPC_LABEL_PAGEFAULT && addr >= USER_TOP - PAGE_SIZE &&
            addr < USER_TOP) {
            u->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_MEM, USER_TOP - PAGE_SIZE);
            u->mr[1] = FPAGE((word_t)top_page, 12, FPAGE_R | FPAGE_X);
            reply = MSGTAG(0, 0, 1, 0);
        }
        r = ipc_reply_wait(reply, TIMEOUT_NEVER, &tag, &label);
    }
    return 0;
}

/* Spawns one row task (arg as run_row reads it) and returns how it ended. */
static long spawn_row(word_t arg, word_t pager_ep, struct task_exit *e)
{
    long r = task_spawn(0, PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
    if (r < 0) return r;
    long task = SPAWN_TASK(r);
    long p = name_give(task, pager_ep, NAME_SEND);
    if (p < 0) return p;
    if ((r = set_handlers(task, (word_t)p, 0)) < 0) return r;
    if ((r = task_start(task, arg)) < 0) return r;
    return task_wait(task, e);
}

/* Runs one row task; true if it ended as the row says. *how_ended describes it. */
static bool row_ok(unsigned row, word_t arg, word_t pager_ep, const char **how_ended)
{
    static char text[64];
    struct task_exit e;
    long r = spawn_row(arg, pager_ep, &e);
    if (r < 0) {
        printf("faulttab: row %s: cannot run it: %s\n", rows[row].name, status_text(r));
        return false;
    }
    *how_ended = text;
    if (rows[row].fault == do_sse && e.how == TASK_END_EXIT && e.code == SSE_NOT_RAISED) {
        snprintf(text, sizeof(text), "no #XM from this CPU; MXCSR.ZE set, task exited");
        return true;
    }
    snprintf(text, sizeof(text), "%s (vector %lu)",
             e.how == TASK_END_KILLED ? "killed" : "NOT KILLED", e.code);
    unsigned vector = row == INT_N_ROW ? 13 : rows[row].vector, alt = rows[row].alt;
    return e.how == TASK_END_KILLED && (e.code == vector || (alt != 0 && e.code == alt));
}

/* Every vector but 3 (its own row) through `int $v`: each a #GP naming the gate. */
static bool run_int_n(unsigned row, word_t pager_ep)
{
    unsigned ok = 0, tried = 0;
    for (unsigned v = 0; v < 256; v++) {
        if (v == 3) continue;
        tried++;
        const char *how = "";
        if (row_ok(row, ROW_ARG + row + ((word_t)v << 16), pager_ep, &how))
            ok++;
        else
            printf("faulttab: row int_n: int $%u: UNEXPECTED: %s\n", v, how);
    }
    printf("faulttab: row int_n: %u of %u vectors killed their task with #GP\n", ok, tried);
    return ok == tried;
}

/* The table task's registers still hold its image; says which byte differs if not. */
static bool table_fpu_check(const char *row)
{
    struct fpu_image want, got;
    fpu_fill(&want, TABLE_SEED);
    fpu_save(&got);
    for (unsigned i = 0; i < FPU_XMM(16); i++) {
        bool compared = i < 5 || (i >= FPU_MXCSR && i < FPU_MXCSR + 4) ||
                        (i >= FPU_ST(0) && i < FPU_XMM(0) && (i & 15) < 10) || i >= FPU_XMM(0);
        if (compared && want.b[i] != got.b[i]) {
            printf("faulttab: row %s: the table task's x87/SSE registers CHANGED (byte %u: 0x%x, "
                   "not 0x%x)\n",
                   row, i, got.b[i], want.b[i]);
            return false;
        }
    }
    return true;
}

static long find_module(const char *want)
{
    char name[32];
    for (unsigned i = 0;; i++) {
        long r = module_info(i, name, sizeof(name));
        if (r < 0) return r;
        if (strcmp(name, want) == 0) return i;
    }
}

static int run_table(void)
{
    static char list[1024];
    long m = find_module("rows");
    long len = m < 0 ? m : sys_module_read((word_t)m, (word_t)list, sizeof(list) - 1, 0, 0);
    if (len < 0) {
        printf("faulttab: no row list (boot module 'rows'): %s\n", status_text(len));
        shutdown(1);
    }
    list[len] = '\0';
    long pt = thread_start(pager, 0, pager_stack, sizeof(pager_stack), PRIO_DEFAULT + 1);
    long pager_ep = pt < 0 ? pt : endpoint_create((word_t)pt, 0xfa17);
    if (pager_ep < 0) {
        printf("faulttab: no pager: %s\n", status_text(pager_ep));
        shutdown(1);
    }
    struct kinfo_memory before, after;
    kinfo(KINFO_MEMORY, &before);
    struct fpu_image img;
    fpu_fill(&img, TABLE_SEED);
    fpu_load(&img);

    int failed = 0, ran = 0, fpu_bad = 0;
    for (char *p = list; *p;) {
        while (*p == ' ' || *p == '\n' || *p == '\t')
            p++;
        char *name = p;
        while (*p && *p != ' ' && *p != '\n' && *p != '\t')
            p++;
        if (*p) *p++ = '\0';
        if (*name == '\0') break;
        unsigned row = 0;
        while (row < NROWS && strcmp(rows[row].name, name) != 0)
            row++;
        if (row == NROWS) {
            printf("faulttab: unknown row '%s'\n", name);
            failed++;
            continue;
        }
        printf("faulttab: row %s\n", name);
        const char *how = "";
        bool ok = rows[row].fault ? row_ok(row, ROW_ARG + row, (word_t)pager_ep, &how)
                                  : run_int_n(row, (word_t)pager_ep);
        if (rows[row].fault)
            printf("faulttab: row %s: %s%s\n", name, how, ok ? "" : ": UNEXPECTED");
        if (!table_fpu_check(name)) {
            fpu_bad++;
            fpu_load(&img);
        }
        failed += !ok;
        ran++;
    }
    kinfo(KINFO_MEMORY, &after);
    printf("faulttab: %d rows, %d failed; the table task's x87/SSE registers %s\n", ran, failed,
           fpu_bad ? "CHANGED" : "intact");
    if (after.frames_free != before.frames_free)
        printf("faulttab: LEAK: frames free %lu, before %lu\n", after.frames_free,
               before.frames_free);
    shutdown(failed || fpu_bad || after.frames_free != before.frames_free ? 1 : 0);
    return 1;
}

int main(word_t arg)
{
    return arg >= ROW_ARG ? run_row(arg) : run_table();
}
