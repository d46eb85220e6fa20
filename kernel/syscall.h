/* SPDX-License-Identifier: MIT */
/* System-call handlers: one per entry of SYSCALL_LIST (abi/syscall.h), all the same shape. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "abi/syscall.h"
#include "kernel.h"

typedef long (*syscall_fn)(word_t a0, word_t a1, word_t a2, word_t a3, word_t a4);

#define SYSCALL_DECL(num, name, nargs)                                                             \
    long sys_##name(word_t a0, word_t a1, word_t a2, word_t a3, word_t a4);
SYSCALL_LIST(SYSCALL_DECL)
#undef SYSCALL_DECL

void syscall_dispatch(struct trap_frame *f);

struct task;
struct thread;
/* The task `name` means to `cur` (the backend's lookup), or NULL. */
struct task *task_named(struct thread *cur, word_t name);
void syscall_ipc(word_t op, word_t dest, word_t tag, word_t timeouts, word_t claimed);

#endif
