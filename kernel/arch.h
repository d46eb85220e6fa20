/* SPDX-License-Identifier: MIT */
/*
 * The one interface between the generic kernel and the CPU layer (kernel/arch/<arch>/).
 * Generic code calls nothing of the arch layer but these functions.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include "kernel.h"

struct thread;
struct boot_info;

/* Boot: console first, then descriptor tables, syscall entry, boot information. */
void arch_early_init(void);
void arch_boot_info(uint32_t magic, uint32_t info_phys, struct boot_info *out);
void arch_timer_init(unsigned hz);

/* Console (COM1) and machine control. */
void arch_console_write(const char *s, size_t n);
void arch_trace_write(const char *s, size_t n); /* the second serial port */
NORETURN void arch_poweroff(int code); /* 0: clean power-off (QEMU exits 0); else failure */
void arch_idle(void);                  /* wait for an interrupt with interrupts enabled */
uint64_t arch_cycles(void);            /* the TSC: one tick per instruction under -icount 0 */

/* Physical memory is reachable through the direct map. */
void *arch_phys_to_virt(paddr_t pa);

/* Threads: a new thread's kernel stack, entering user mode, switching kernel stacks. */
void arch_thread_setup(struct thread *t, vaddr_t ip, vaddr_t sp, word_t arg);
void arch_switch(struct thread *prev, struct thread *next);
/*
 * The fast path's switch: `next` (blocked in a user IPC) leaves the kernel through its trap
 * frame now, its IPC returning 0 with `tag` and `label` (abi/ipc.h's result registers);
 * `prev`'s kernel stack is dropped and, when any switch selects it again, it runs
 * ipc_user_resume and leaves through its own frame.
 */
NORETURN void arch_switch_exit(struct thread *prev, struct thread *next, word_t tag, word_t label);
/* A thread is dying: the CPU layer drops whatever per-thread state it keeps (FPU owner). */
void arch_thread_gone(struct thread *t);
void arch_dump_frame(const struct trap_frame *f);
struct trap_frame *arch_thread_frame(struct thread *t); /* its user registers */

/* Page tables. Flags are the generic VM_* bits (vm.h). Tables come from alloc(ctx). */
typedef paddr_t (*pt_alloc_fn)(void *ctx);
typedef void (*pt_free_fn)(void *ctx, paddr_t table);
typedef void (*pt_leaf_fn)(void *ctx, vaddr_t va, paddr_t pa);
enum status arch_pt_init_root(paddr_t root);
enum status arch_pt_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned flags, pt_alloc_fn alloc,
                        void *ctx);
enum status arch_pt_unmap(paddr_t root, vaddr_t va, paddr_t *old);
enum status arch_pt_lookup(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *flags);
void arch_pt_destroy(paddr_t root, pt_leaf_fn leaf, pt_free_fn free_table, void *ctx);
void arch_tlb_flush_page(vaddr_t va);
bool arch_pt_is_active(paddr_t root);

#endif
