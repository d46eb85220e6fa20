/* SPDX-License-Identifier: MIT */
/* kprintf and panic: formatted kernel output on the arch console. */
#include "arch.h"
#include "lib/fmt.h"
#include "sched.h"

void kvprintf_to(void (*write)(const char *, size_t), const char *fmt, va_list ap)
{
    char buf[256];
    int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf_to(arch_console_write, fmt, ap);
    va_end(ap);
}

#define PANIC_EXIT_CODE 0x7f /* QEMU exits 255 */

void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    kprintf("\n*** KERNEL PANIC: %s\n", buf);
    if (current && current->task)
        kprintf("  current thread %u of task %u '%s'\n", current->id, current->task->id,
                current->task->name);
    else if (current)
        kprintf("  current thread %u (kernel thread)\n", current->id);
    kprintf("  system halted\n");
    arch_poweroff(PANIC_EXIT_CODE);
}
