/* SPDX-License-Identifier: MIT */
/* The generic user-fault path: report, then kill the faulting task (no handler yet). */
#include "fault.h"
#include "sched.h"
#include "vm.h"

const char *fault_kind_text(enum fault_kind k)
{
    switch (k) {
    case FAULT_PAGE: return "page fault";
    case FAULT_INVALID_OP: return "invalid instruction";
    case FAULT_PROTECTION: return "general protection fault";
    case FAULT_DIVIDE: return "divide error";
    case FAULT_BREAKPOINT: return "breakpoint";
    default: return "CPU exception";
    }
}

static const char *access_text(unsigned access)
{
    return access == VM_W ? "write to" : access == VM_X ? "execute at" : "read from";
}

static void report(const struct thread *t, const struct fault_info *fi)
{
    kprintf("[kernel] task %u '%s' thread %u: %s", t->task->id, t->task->name, t->id,
            fault_kind_text(fi->kind));
    if (fi->kind == FAULT_PAGE) {
        const char *why = !vm_user_range_ok(fi->addr & ~0xfffUL, 1)
                              ? "kernel or non-user address"
                              : fi->present ? "access rights violated" : "not mapped";
        kprintf(" (%s 0x%lx: %s)", access_text(fi->access), fi->addr, why);
    } else {
        kprintf(" (vector %u, error 0x%lx)", fi->vector, fi->error);
    }
    kprintf(" at ip 0x%lx; task killed\n", fi->ip);
}

/*
 * The single decision point for user faults. A thread with a fault handler (pager or
 * exception handler, added with IPC) would be suspended here and the fault sent as a message;
 * without one the task dies and the rest of the system carries on.
 */
void fault_user(struct trap_frame *f, const struct fault_info *fi)
{
    (void)f;
    report(current, fi);
    task_end(current->task, TASK_END_KILLED, fi->vector, fi->addr, fi->ip);
}
