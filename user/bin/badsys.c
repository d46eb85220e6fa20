/* SPDX-License-Identifier: MIT */
/* Malformed system calls: each must fail with its specific status, and nothing else happens. */
#include "ulib.h"

static int failures;

static void expect(const char *what, long got, long want)
{
    if (got == want) {
        printf("badsys: %s -> %s (as expected)\n", what, status_text(got));
    } else {
        printf("badsys: FAIL %s -> %ld (%s), wanted %s\n", what, got, status_text(got),
               status_text(want));
        failures++;
    }
}

int main(void)
{
    struct task_exit e;
    char name[4];
    expect("unknown syscall number 999", syscall5(999, 0, 0, 0, 0, 0), -E_NOSYS);
    expect("negative syscall number", syscall5((word_t)-1, 0, 0, 0, 0, 0), -E_NOSYS);
    expect("console_write from a kernel address",
           sys_console_write(0xffffffff80100000UL, 16, 0, 0, 0), -E_FAULT);
    expect("console_write from an unmapped address", sys_console_write(0x10000000, 16, 0, 0, 0),
           -E_FAULT);
    expect("console_write from NULL", sys_console_write(0, 1, 0, 0, 0), -E_FAULT);
    expect("console_write with a wrapping range",
           sys_console_write((word_t) "x", (word_t)-2, 0, 0, 0), -E_RANGE);
    expect("task_spawn of a module that does not exist", task_spawn(99, PRIO_DEFAULT, 0), -E_NOENT);
    expect("task_spawn with priority 0", task_spawn(0, 0, 0), -E_RANGE);
    expect("task_spawn with priority 200", task_spawn(0, 200, 0), -E_RANGE);
    expect("task_wait for a task that does not exist", task_wait(0x7777, &e), -E_NOENT);
    expect("task_wait for the root task (not our child)", task_wait(1, &e), -E_CHILD);
    expect("module_info into a 4-byte buffer", module_info(0, name, sizeof(name)), -E_RANGE);
    expect("module_info into a kernel address", sys_module_info(0, 0xffffffff80100000UL, 32, 0, 0),
           -E_FAULT);
    expect("shutdown from a task that is not root", shutdown(0), -E_PERM);
    expect("module_read from a task that is not root",
           sys_module_read(0, (word_t)name, sizeof(name), 0, 0), -E_PERM);
    expect("kinfo(KINFO_POLICY) into a read-only page", sys_kinfo(KINFO_POLICY, 0x400000, 0, 0, 0),
           -E_FAULT);
    expect("an IPC whose tag claims to be a notification",
           ipc(IPC_SEND, 1, MSGTAG(0, 0, 0, MSGTAG_F_NOTIFY), 0, 0, 0), -E_INVAL);
    expect("thread_create at a kernel address",
           sys_thread_create(0xffffffff80100000UL, 0x10000, PRIO_DEFAULT, 0, 0), -E_INVAL);
    expect("thread_create with a misaligned stack", sys_thread_create(0x400000, 0x10003, 5, 0, 0),
           -E_INVAL);
    expect("kinfo with an unknown selector", sys_kinfo(42, 0x10000, 0, 0, 0), -E_INVAL);
    expect("kinfo into a read-only page", sys_kinfo(KINFO_POOLS, 0x400000, 0, 0, 0), -E_FAULT);
    expect("ipc with operation 0", ipc(0, 1, 0, 0, 0, 0), -E_INVAL);
    expect("ipc call with 100 untyped words", ipc(IPC_CALL, 1, MSGTAG(0, 100, 0, 0), 0, 0, 0),
           -E_INVAL);
    expect("unmap of a 32-byte flexpage", unmap(FPAGE(0x400000, 5, 0), 0), -E_INVAL);
    expect("unmap of kernel memory", unmap(FPAGE(0xffffffff80000000UL, 12, 0), 0), -E_INVAL);
    expect("unmap with unknown flags", unmap(FPAGE(0x400000, 12, 0), 0x80), -E_INVAL);
    expect("name_give with unknown rights", name_give(self_task(), 1, 0x80), -E_INVAL);
    long n = notify_create(1);
    expect("notify_trigger with no bits", notify_trigger(n, 0), -E_INVAL);
    expect("irq_attach from a task that is not root", irq_attach(0, n), -E_PERM);
    expect("irq_attach of line 99", irq_attach(99, n), -E_PERM);
    expect("task_start of itself (not its child)", task_start(self_task(), 0), -E_CHILD);
    printf("badsys: %d unexpected results\n", failures);
    return failures;
}
