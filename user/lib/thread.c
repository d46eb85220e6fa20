/* SPDX-License-Identifier: MIT */
/* Threads inside a task: the kernel starts them at _thread_start with the function on the stack. */
#include "ulib.h"

extern char _thread_start[];

long thread_start(long (*fn)(word_t), word_t arg, void *stack, size_t size, unsigned prio)
{
    word_t *top = (word_t *)(((word_t)stack + size) & ~15UL);
    *--top = arg; /* both popped by _thread_start */
    *--top = (word_t)fn;
    return sys_thread_create((word_t)_thread_start, (word_t)top, prio, 0, 0);
}
