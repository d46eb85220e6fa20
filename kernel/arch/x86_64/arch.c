/* SPDX-License-Identifier: MIT */
/* The arch_* entry points that are not tables or traps: set-up, threads, machine control. */
#include "arch.h"
#include "abi/syscall.h"
#include "cpu.h"
#include "descriptors.h"
#include "fpu.h"
#include "irq.h"
#include "layout.h"
#include "serial.h"
#include "thread.h"

extern char boot_pml4[];
extern paddr_t kernel_pml4_phys;
_Static_assert(SYSCALL_NR_IPC == SYS_ipc, "entry.S's IPC shortcut uses abi/syscall.h's number");
/* The slots entry.S's ipc_entry and syscall_return address by offset. */
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "trap frame size");
_Static_assert(__builtin_offsetof(struct trap_frame, r12) == 24 &&
                   __builtin_offsetof(struct trap_frame, r10) == 40 &&
                   __builtin_offsetof(struct trap_frame, rbp) == 64 &&
                   __builtin_offsetof(struct trap_frame, rdx) == 88 &&
                   __builtin_offsetof(struct trap_frame, rbx) == 104 &&
                   __builtin_offsetof(struct trap_frame, rax) == 112 &&
                   __builtin_offsetof(struct trap_frame, rip) == 136 &&
                   __builtin_offsetof(struct trap_frame, rflags) == 152 &&
                   __builtin_offsetof(struct trap_frame, rsp) == 160,
               "entry.S's trap-frame offsets");

extern void thread_trampoline(void);
extern void arch_switch_stack(uint64_t *save_sp, uint64_t new_sp);
extern NORETURN void arch_ipc_exit(struct trap_frame *next_frame, word_t tag, word_t label);
extern char ipc_resume_trampoline[];

/* The page-table root in CR3, kept here so a switch compares instead of reading CR3. */
static paddr_t cr3_now;

static inline void set_cr3(paddr_t root)
{
    cr3_now = root;
    write_cr3(root);
}

void *arch_phys_to_virt(paddr_t pa)
{
    return (void *)(PHYS_MAP_BASE + pa);
}

void arch_early_init(void)
{
    serial_init();
    descriptors_init();
    pic_init();
    fpu_init();
    kernel_pml4_phys = (paddr_t)boot_pml4 - KERNEL_VMA;
    /* The identity map was only for the jump to the higher half. */
    ((uint64_t *)boot_pml4)[0] = 0;
    set_cr3(kernel_pml4_phys);
}

uint64_t arch_cycles(void)
{
    return rdtsc();
}

void arch_idle(void)
{
    __asm__ volatile("sti; hlt; cli" ::: "memory");
}

/*
 * Power-off with a status the test harness reads: 0 uses the ACPI PM1a control port, so
 * QEMU exits 0; anything else writes to isa-debug-exit (QEMU exits 2 * code + 1).
 */
void arch_poweroff(int code)
{
    if (code == 0) {
        outw(0x604, 0x2000);
    } else {
        outl(0xf4, (uint32_t)code);
    }
    for (;;)
        __asm__ volatile("cli; hlt");
}

void arch_tlb_flush_page(vaddr_t va)
{
    invlpg(va);
}

bool arch_pt_is_active(paddr_t root)
{
    return cr3_now == root;
}

/*
 * A new thread's kernel stack holds a user trap frame at the top and, below it, the
 * callee-saved registers arch_switch_stack pops, returning into thread_trampoline.
 */
void arch_thread_setup(struct thread *t, vaddr_t ip, vaddr_t sp, word_t arg)
{
    struct trap_frame *f = arch_thread_frame(t);
    *f = (struct trap_frame){0};
    f->rip = ip;
    f->cs = SEL_UCODE;
    f->rflags = 0x202; /* IF */
    f->rsp = sp;
    f->ss = SEL_UDATA;
    f->rdi = arg;
    uint64_t *s = (uint64_t *)f;
    *--s = (uint64_t)thread_trampoline;
    for (int i = 0; i < 6; i++)
        *--s = 0; /* rbp rbx r12 r13 r14 r15 */
    t->kstack_sp = (uint64_t)s;
}

void arch_thread_gone(struct thread *t)
{
    fpu_thread_gone(t);
}

struct trap_frame *arch_thread_frame(struct thread *t)
{
    return (struct trap_frame *)(t->kstack_top - sizeof(struct trap_frame));
}

static uint64_t fs_base; /* what FS_BASE holds: most tasks' first threads share a UTCB address */

/* Everything of `next` the CPU must hold before it runs: its UTCB (FS), address space, kernel
 * stack for the next entry, and (lazily) the FPU. `user`: next is known to have a task. */
static inline __attribute__((always_inline)) void switch_context(struct thread *prev,
                                                                 struct thread *next, bool user)
{
    if ((user || next->task) && next->utcb_uva != fs_base) { /* %fs:0: the UTCB's own address */
        fs_base = next->utcb_uva;
        wrmsr(MSR_FS_BASE, fs_base);
    }
    paddr_t root = user || next->task ? next->task->vs.root : kernel_pml4_phys;
    if (root != cr3_now) set_cr3(root);
    tss_set_kernel_stack(next->kstack_top); /* interrupts and `syscall` (entry.S) both use it */
    /* Lazy FPU: nothing to do unless the switch leaves or enters the FPU's owner, the one
     * thread whose arch_switch_work is set (one flag test, in lines the switch reads anyway). */
    if (unlikely(prev->arch_switch_work | next->arch_switch_work)) fpu_switch_slow(next);
}

void arch_switch(struct thread *prev, struct thread *next)
{
    switch_context(prev, next, false);
    arch_switch_stack(&prev->kstack_sp, next->kstack_sp);
}

/*
 * prev's kernel stack is dropped: below its trap frame goes a switch record for
 * arch_switch_stack to resume later (six callee-saved slots, whose values do not matter, and
 * ipc_resume_trampoline as the return address); then next leaves through its frame with its
 * results in registers (arch_ipc_exit, entry.S).
 */
void arch_switch_exit(struct thread *prev, struct thread *next, word_t tag, word_t label)
{
    switch_context(prev, next, true); /* the fast path's partners are user threads */
    uint64_t *rec = (uint64_t *)arch_thread_frame(prev);
    rec[-1] = (uint64_t)ipc_resume_trampoline;
    prev->kstack_sp = (uint64_t)(rec - 7);
    arch_ipc_exit(arch_thread_frame(next), tag, label);
}
