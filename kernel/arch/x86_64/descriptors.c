/* SPDX-License-Identifier: MIT */
/* GDT, TSS and IDT: the segment layout `syscall`/`sysret` require, and the 256 gate stubs. */
#include "arch.h"
#include "cpu.h"
#include "descriptors.h"
#include "layout.h"

struct tss {
    uint32_t reserved0;
    uint64_t rsp0, rsp1, rsp2;
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap_base;
} __attribute__((packed));

struct idt_gate {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, reserved;
} __attribute__((packed));

struct table_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* null, kernel code, kernel data, user data, user code, TSS (two slots). sysret needs
 * user data right before user code: STAR[63:48] + 8 = SS, + 16 = CS. */
static uint64_t gdt[7] = {
    0,
    0x00af9a000000ffff, /* 0x08 kernel code, 64-bit */
    0x00cf92000000ffff, /* 0x10 kernel data */
    0x00cff2000000ffff, /* 0x18 user data, DPL 3 */
    0x00affa000000ffff, /* 0x20 user code, 64-bit, DPL 3 */
    0,
    0,
};

/* Global: the syscall entry (entry.S) takes its kernel stack from tss.rsp0 (at tss + 4). */
struct tss tss;
static struct idt_gate idt[256];
static uint8_t double_fault_stack[4096] __attribute__((aligned(16)));

extern char isr_stubs[];
extern void syscall_entry(void);

static void gdt_load(void)
{
    uint64_t base = (uint64_t)&tss;
    uint64_t limit = sizeof(tss) - 1;
    gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[6] = base >> 32;
    tss.iomap_base = sizeof(tss); /* no I/O bitmap: ring 3 has no port access */
    tss.ist[0] = (uint64_t)double_fault_stack + sizeof(double_fault_stack);

    struct table_ptr p = {sizeof(gdt) - 1, (uint64_t)gdt};
    __asm__ volatile("lgdt %0\n"
                     "pushq %1\n"
                     "leaq 1f(%%rip), %%rax\n"
                     "pushq %%rax\n"
                     "lretq\n"
                     "1:\n"
                     "movw %w2, %%ds\n"
                     "movw %w2, %%es\n"
                     "movw %w2, %%ss\n"
                     :
                     : "m"(p), "i"(SEL_KCODE), "r"(SEL_KDATA)
                     : "rax", "memory");
    __asm__ volatile("ltr %w0" ::"r"(SEL_TSS));
}

static void idt_load(void)
{
    for (int v = 0; v < 256; v++) {
        uint64_t off = (uint64_t)(isr_stubs + 16 * v);
        idt[v].off_lo = off & 0xffff;
        idt[v].sel = SEL_KCODE;
        idt[v].ist = (v == 8) ? 1 : 0; /* double fault on its own stack */
        /* Present interrupt gates, DPL 0, so `int n` from ring 3 is a #GP; only int3 (the
         * breakpoint, a trap with the ip after it) may be raised by user code. */
        idt[v].type = v == 3 ? 0xee : 0x8e;
        idt[v].off_mid = (off >> 16) & 0xffff;
        idt[v].off_hi = off >> 32;
        idt[v].reserved = 0;
    }
    struct table_ptr p = {sizeof(idt) - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" ::"m"(p));
}

/* Syscall MSRs: kernel CS/SS from STAR[47:32], user from STAR[63:48]; mask IF, DF, TF, AC. */
static void syscall_msrs_init(void)
{
    wrmsr(MSR_STAR, (uint64_t)SEL_KDATA << 48 | (uint64_t)SEL_KCODE << 32);
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_SFMASK, (1 << 9) | (1 << 10) | (1 << 8) | (1 << 18));
}

void descriptors_init(void)
{
    gdt_load();
    idt_load();
    syscall_msrs_init();
}

void tss_set_kernel_stack(uint64_t top)
{
    tss.rsp0 = top;
}
