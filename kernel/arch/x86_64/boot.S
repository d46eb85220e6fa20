/* SPDX-License-Identifier: MIT */
/*
 * Multiboot entry: the loader starts us in 32-bit protected mode without paging. We build
 * boot page tables (identity + direct map + higher-half image), enter long mode and jump to
 * kmain in the higher half. Everything here runs at physical addresses.
 */
#include "layout.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS ((1 << 0) | (1 << 1) | (1 << 16)) /* align modules, memory map, addresses */
#define PHYS(x) ((x) - KERNEL_VMA)

    .section .multiboot, "a"
    .align 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
    .long mb_header          /* header_addr: .multiboot is linked at its physical address */
    .long KERNEL_LOAD_PHYS   /* load_addr */
    .long _load_end_phys     /* load_end_addr */
    .long _bss_end_phys      /* bss_end_addr: the loader zeroes the bss */
    .long _start32           /* entry_addr */

    .section .boot.text, "ax"
    .code32
    .global _start32
_start32:
    cli
    movl %eax, PHYS(boot_mb_magic)
    movl %ebx, PHYS(boot_mb_info)
    movl $PHYS(boot_stack_top), %esp

    /* PML4: [0] identity (boot only), [256] direct map, [511] kernel image. */
    movl $PHYS(boot_pdpt_low), %eax
    orl $3, %eax
    movl %eax, PHYS(boot_pml4)
    movl %eax, PHYS(boot_pml4) + 256 * 8
    movl $PHYS(boot_pdpt_high), %eax
    orl $3, %eax
    movl %eax, PHYS(boot_pml4) + 511 * 8

    /* PDPT low: four PDs = 4 GiB; PDPT high [510] = the first PD (-2 GiB -> 0). */
    movl $PHYS(boot_pd), %eax
    orl $3, %eax
    movl $PHYS(boot_pdpt_low), %edi
    movl $4, %ecx
1:  movl %eax, (%edi)
    addl $4096, %eax
    addl $8, %edi
    loop 1b
    movl $PHYS(boot_pd), %eax
    orl $3, %eax
    movl %eax, PHYS(boot_pdpt_high) + 510 * 8

    /* 2048 PD entries of 2 MiB pages: present | writable | page size | global. */
    movl $PHYS(boot_pd), %edi
    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $21, %eax
    orl $0x183, %eax
    movl %eax, (%edi)
    movl %ecx, %eax
    shrl $11, %eax
    movl %eax, 4(%edi)      /* bits 32+ of the physical address */
    addl $8, %edi
    incl %ecx
    cmpl $2048, %ecx
    jne 2b

    movl %cr4, %eax
    orl $((1 << 5) | (1 << 7)), %eax  /* PAE, PGE */
    movl %eax, %cr4
    movl $PHYS(boot_pml4), %eax
    movl %eax, %cr3
    movl $0xc0000080, %ecx            /* EFER: long mode, no-execute, syscall */
    rdmsr
    orl $((1 << 8) | (1 << 11) | (1 << 0)), %eax
    wrmsr
    movl %cr0, %eax
    orl $((1 << 31) | (1 << 16)), %eax /* paging, write-protect in ring 0 */
    movl %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $SEL_KCODE, $start64_low

    .code64
start64_low:
    movabs $start64, %rax
    jmp *%rax

    .section .boot.data, "aw"
    .align 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff  /* 64-bit code */
    .quad 0x00cf92000000ffff  /* data */
boot_gdt_ptr:
    .word boot_gdt_ptr - boot_gdt - 1
    .long boot_gdt

    .text
start64:
    movw $SEL_KDATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabs $boot_stack_top, %rsp
    xorl %ebp, %ebp
    movl boot_mb_magic(%rip), %edi
    movl boot_mb_info(%rip), %esi
    call kmain
3:  cli
    hlt
    jmp 3b

    .bss
    .align 4096
    .global boot_pml4
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4 * 4096
boot_stack:     .skip 16384
boot_stack_top:
boot_mb_magic:  .long 0
boot_mb_info:   .long 0

    .section .note.GNU-stack, "", @progbits
