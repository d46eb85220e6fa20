/* SPDX-License-Identifier: MIT */
/* The system-call table, generated from SYSCALL_LIST, and the bounds-checked dispatch. */
#include "syscall.h"
#include "arch.h"
#include "sched.h"

static const syscall_fn syscall_table[SYS_COUNT] = {
#define SYSCALL_ENTRY(num, name, nargs) [num] = sys_##name,
    SYSCALL_LIST(SYSCALL_ENTRY)
#undef SYSCALL_ENTRY
};

void syscall_dispatch(struct trap_frame *f)
{
    word_t no = FRAME_SYSNO(f);
    long r = -E_NOSYS;
    if (likely(no < SYS_COUNT))
        r = syscall_table[no](FRAME_ARG0(f), FRAME_ARG1(f), FRAME_ARG2(f), FRAME_ARG3(f),
                              FRAME_ARG4(f));
    FRAME_RESULT(f) = (word_t)r;
    sched_preempt_point();
}

