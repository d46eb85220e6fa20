/* SPDX-License-Identifier: MIT */
/*
 * The generic user-fault path. A fault becomes an IPC from the faulting thread to its pager
 * (page faults) or exception handler (the rest); if there is none, or the IPC fails, or the
 * handler says so, the task is killed with a diagnostic and the rest of the system carries on.
 */
#include "fault.h"
#include "abi/ipc.h"
#include "abi/layout.h"
#include "ipc.h"
#include "sched.h"
#include "vm.h"

const char *fault_kind_text(enum fault_kind k)
{
    switch (k) {
    case FAULT_PAGE:
        return "page fault";
    case FAULT_INVALID_OP:
        return "invalid instruction";
    case FAULT_PROTECTION:
        return "general protection fault";
    case FAULT_DIVIDE:
        return "divide error";
    case FAULT_BREAKPOINT:
        return "breakpoint";
    case FAULT_X87:
        return "x87 floating-point exception";
    case FAULT_SIMD:
        return "SIMD floating-point exception";
    default:
        return "CPU exception";
    }
}

static const char *access_text(unsigned access)
{
    return access == VM_W ? "write to" : access == VM_X ? "execute at" : "read from";
}

/* Says what kind of address a faulting access hit, so a report names the real mistake. */
static const char *fault_addr_text(word_t addr, bool present)
{
    if (addr < USER_MIN) return "the null page, never mapped";
    if (addr >= USER_TOP && addr < 0x0000800000000000UL) return "the reserved top user page";
    if (addr >= 0x0000800000000000UL && addr < 0xffff800000000000UL) return "non-canonical address";
    if (addr >= 0xffff800000000000UL) return "kernel address";
    return present ? "access rights violated" : "not mapped";
}

static void report(const struct thread *t, const struct fault_info *fi, const char *why)
{
    kprintf("[kernel] task %u '%s' thread %u: %s", t->task->id, t->task->name, t->id,
            fault_kind_text(fi->kind));
    if (fi->kind == FAULT_PAGE) {
        const char *what = fault_addr_text(fi->addr, fi->present);
        kprintf(" (%s 0x%lx: %s)", access_text(fi->access), fi->addr, what);
    } else {
        kprintf(" (vector %u, error 0x%lx)", fi->vector, fi->error);
    }
    kprintf(" at ip 0x%lx; %s; task killed\n", fi->ip, why);
}

/*
 * Sends the fault as a call on the thread's own behalf. The thread's first message registers
 * are saved and restored, so the faulting code never sees the protocol. Returns the status
 * of the IPC; *reply_tag is the handler's answer.
 */
static long fault_ipc(struct thread *t, word_t handler, word_t label, word_t w0, word_t w1,
                      word_t w2, word_t *reply_tag, word_t *reply_w0)
{
    word_t saved[3] = {t->utcb->mr[0], t->utcb->mr[1], t->utcb->mr[2]};
    t->utcb->mr[0] = w0;
    t->utcb->mr[1] = w1;
    t->utcb->mr[2] = w2;
    t->in_fault = true;
    word_t rlabel;
    long r = ipc_do(t, IPC_CALL, handler, MSGTAG(label, 3, 0, 0),
                    IPC_TIMEOUTS(FAULT_SEND_TIMEOUT_US, TIMEOUT_NEVER), reply_tag, &rlabel);
    t->in_fault = false;
    *reply_w0 = t->utcb->mr[0];
    t->utcb->mr[0] = saved[0];
    t->utcb->mr[1] = saved[1];
    t->utcb->mr[2] = saved[2];
    return r;
}

static unsigned fpage_access(unsigned access)
{
    return access == VM_W ? FPAGE_W : access == VM_X ? FPAGE_X : FPAGE_R;
}

void fault_user(struct trap_frame *f, const struct fault_info *fi)
{
    struct thread *t = current;
    bool page = fi->kind == FAULT_PAGE && vm_user_range_ok(fi->addr & ~0xfffUL, 1);
    word_t handler = page ? t->pager : t->exc_handler;
    if (handler == 0) {
        report(t, fi, page ? "no pager" : "no exception handler");
    } else {
        word_t tag = 0, w0 = 0;
        long r = page ? fault_ipc(t, handler, IPC_LABEL_PAGEFAULT, fi->addr,
                                  fpage_access(fi->access), fi->ip, &tag, &w0)
                      : fault_ipc(t, handler, IPC_LABEL_EXCEPTION, fi->vector, fi->error, fi->ip,
                                  &tag, &w0);
        if (r < 0) {
            report(t, fi,
                   r == -E_NOPARTNER || r == -E_CANCELLED ? "handler gone"
                   : r == -E_SEND_TIMEOUT                 ? "handler did not take the fault in time"
                                                          : status_text(r));
        } else if (MSGTAG_LABEL(tag) == IPC_LABEL_KILL) {
            report(t, fi, "the handler asked to kill it");
        } else {
            /* Resume: a page fault retries; an exception handler may give a new ip. */
            if (!page && MSGTAG_WORDS(tag) >= 1) {
                if (!vm_user_range_ok(w0, 1)) {
                    report(t, fi, "the handler gave a bad resume address");
                    task_end(t->task, TASK_END_KILLED, fi->vector, fi->addr, fi->ip);
                }
                FRAME_IP(f) = w0;
            }
            return;
        }
    }
    task_end(t->task, TASK_END_KILLED, fi->vector, fi->addr, fi->ip);
}
