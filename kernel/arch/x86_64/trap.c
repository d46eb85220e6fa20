/* SPDX-License-Identifier: MIT */
/* Interrupt and exception dispatch: user faults go to the generic fault path, kernel
 * exceptions panic with a register dump, IRQs go to their drivers. */
#include "arch.h"
#include "cpu.h"
#include "fault.h"
#include "fpu.h"
#include "irq.h"
#include "notify.h"
#include "layout.h"
#include "sched.h"
#include "timer.h"
#include "vm.h"

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 floating point",
    "alignment check",
    "machine check",
    "SIMD floating point",
    "virtualisation",
    "control protection",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "reserved",
    "hypervisor injection",
    "VMM communication",
    "security",
    "reserved",
};

void arch_dump_frame(const struct trap_frame *f)
{
    kprintf("  vector %lu (%s)  error 0x%lx\n", f->vector,
            f->vector < 32 ? exception_names[f->vector] : "interrupt", f->error);
    kprintf("  rip %016lx  cs %04lx  rflags %016lx\n", f->rip, f->cs, f->rflags);
    kprintf("  rsp %016lx  ss %04lx  cr2 %016lx  cr3 %016lx\n", f->rsp, f->ss, read_cr2(),
            read_cr3());
    kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    kprintf("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    kprintf("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
    kprintf("  r13 %016lx  r14 %016lx  r15 %016lx\n", f->r13, f->r14, f->r15);
}

static void user_exception(struct trap_frame *f)
{
    struct fault_info fi = {.vector = (unsigned)f->vector, .error = f->error, .ip = f->rip};
    switch (f->vector) {
    case 0:
        fi.kind = FAULT_DIVIDE;
        break;
    case 3:
        fi.kind = FAULT_BREAKPOINT;
        break;
    case 6:
        fi.kind = FAULT_INVALID_OP;
        break;
    case 16:
        fi.kind = FAULT_X87;
        break;
    case 19:
        fi.kind = FAULT_SIMD;
        break;
    case 13:
        fi.kind = FAULT_PROTECTION;
        break;
    case 14:
        fi.kind = FAULT_PAGE;
        fi.addr = read_cr2();
        fi.present = f->error & 1;
        fi.access = (f->error & 16) ? VM_X : (f->error & 2) ? VM_W : VM_R;
        break;
    default:
        fi.kind = FAULT_OTHER;
        break;
    }
    fault_user(f, &fi);
}

void trap_dispatch(struct trap_frame *f)
{
    bool from_user = (f->cs & 3) == 3;
    if (f->vector < 32) {
        if (from_user && f->vector == 7) {
            fpu_claim(current); /* lazy FPU switch: not a fault */
            return;
        }
        if (from_user) {
            user_exception(f);
            return;
        }
        kprintf("\n*** KERNEL PANIC: %s in kernel mode\n", exception_names[f->vector]);
        arch_dump_frame(f);
        panic("unhandled kernel exception %lu at 0x%lx", f->vector, f->rip);
    }
    if (f->vector >= IRQ_BASE && f->vector < IRQ_BASE + 16) {
        unsigned irq = (unsigned)f->vector - IRQ_BASE;
        pic_eoi(irq);
        if (irq == 0) timer_tick();
        notify_irq(irq);
        sched_preempt_point();
        return;
    }
    /* Nothing else is wired; a stray vector is logged and ignored. */
    kprintf("[kernel] stray interrupt vector %lu ignored\n", f->vector);
}
