/* SPDX-License-Identifier: MIT */
/* The end of a task's main: one hook (a parent waiting for its children) before task_exit. */
#include "ulib.h"

static long (*exit_hook)(long code);

void ulib_at_exit(long (*fn)(long code))
{
    exit_hook = fn;
}

/* Called by crt0 with main's result. */
void ulib_exit(long code)
{
    if (exit_hook) code = exit_hook(code);
    sys_task_exit((word_t)code, 0, 0, 0, 0);
    __builtin_unreachable();
}
