/* SPDX-License-Identifier: MIT */
/* Kernel virtual layout and segment selectors (shared by assembly and C). */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define KERNEL_VMA 0xffffffff80000000    /* kernel image: -2 GiB, code model "kernel" */
#define KERNEL_LOAD_PHYS 0x100000        /* where the boot loader puts the image */
#define PHYS_MAP_BASE 0xffff800000000000 /* all physical memory below PHYS_MAP_SIZE */
#define PHYS_MAP_SIZE 0x100000000        /* 4 GiB, mapped with 2 MiB pages at boot */

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b /* 0x18 | RPL 3 */
#define SEL_UCODE 0x23 /* 0x20 | RPL 3 */
#define SEL_TSS 0x28

/* SYS_ipc (abi/syscall.h): entry.S sends it straight to syscall_ipc (asserted in arch.c). */
#define SYSCALL_NR_IPC 11

/* sizeof(struct trap_frame) (arch_types.h): entry.S addresses its slots by offset (asserted in
 * arch.c). */
#define TRAP_FRAME_SIZE 176

/* The trap-frame "vector" value that marks a frame built by the syscall entry. */
#define VECTOR_SYSCALL 256

#endif
