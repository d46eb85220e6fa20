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
#include "lib/mem.h"
#include "policy_iface.h"
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
 * The one exception IPC: `t` calls a handler on its own behalf with `label` and `nw` words;
 * every message register of the thread is saved and restored around it, so the interrupted
 * code (or the interrupted send) never sees the protocol. The handler is a name the backend
 * resolves (pagers, exception handlers) or, for a policy fault, a thread the backend already
 * chose (no second resolve: no recursion). Returns the IPC's status; *reply_tag and
 * *reply_w0 are the handler's answer.
 */
static long exception_ipc(struct thread *t, word_t handler, struct thread *direct,
                          word_t direct_label, word_t label, const word_t *w, unsigned nw,
                          word_t timeouts, word_t *reply_tag, word_t *reply_w0)
{
    word_t saved[UTCB_MRS];
    memcpy(saved, t->utcb->mr, sizeof(saved));
    memcpy(t->utcb->mr, w, nw * sizeof(word_t));
    t->in_fault = true;
    word_t tag = MSGTAG(label, nw, 0, 0);
    long r = direct ? ipc_call_direct(t, direct, tag, direct_label, timeouts, reply_tag)
                    : ipc_do(t, IPC_CALL, handler, tag, timeouts, 0);
    if (!direct && r == 0) *reply_tag = t->ipc_rcv_tag;
    t->in_fault = false;
    *reply_w0 = t->utcb->mr[0];
    memcpy(t->utcb->mr, saved, sizeof(saved));
    return r;
}

enum status fault_policy(struct thread *t, const struct ipc_route *r, word_t dest, word_t tag,
                         word_t claimed, word_t timeouts)
{
    const word_t w[4] = {r->actual, r->intended ? r->intended : dest, tag, claimed};
    /* the monitor's answer may take as long as the send may */
    word_t both = IPC_TIMEOUTS(IPC_SND_TIMEOUT(timeouts), IPC_SND_TIMEOUT(timeouts));
    word_t rtag = 0, w0;
    long res = exception_ipc(t, 0, r->to, r->label, IPC_LABEL_POLICY_FAULT, w, 4, both, &rtag, &w0);
    if (res < 0) return (enum status) - res; /* no monitor, it died, or it did not answer */
    return MSGTAG_LABEL(rtag) == IPC_LABEL_DENY ? E_DENIED : OK;
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
        const word_t pf[3] = {fi->addr, fpage_access(fi->access), fi->ip};
        const word_t ex[3] = {fi->vector, fi->error, fi->ip};
        long r = exception_ipc(t, handler, NULL, 0,
                               page ? IPC_LABEL_PAGEFAULT : IPC_LABEL_EXCEPTION, page ? pf : ex, 3,
                               IPC_TIMEOUTS(FAULT_SEND_TIMEOUT_US, TIMEOUT_NEVER), &tag, &w0);
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
