/* SPDX-License-Identifier: MIT */
/*
 * The IPC fast path: call and reply-and-wait with a few untyped words to a partner that is
 * already waiting. A straight run of cheap checks, each bailing out to the general path
 * (ipc.c) with nothing changed; then the point of no return; then the copy and a direct
 * switch to the partner, with no run-queue operations, that leaves the kernel through the
 * partner's saved user frame (as seL4's fast path does): no kernel stack is unwound on either
 * side. The caller, now blocked, resumes later in ipc_user_resume, whichever path wakes it.
 * Disabled at boot with `nofastpath`, so every test can run against the general path alone.
 */
#include "ipc.h"
#include "arch.h"
#include "policy.h"
#include "sched.h"
#include "trace.h"

/* Up to 15 untyped words: one mask over the tag (abi/ipc.h's layout) tests the count, the
 * typed items and the flags at once. */
#define FASTPATH_MAX_WORDS 15
#define FASTPATH_TAG_MASK (MSGTAG(0, 0x7f, 0x1f, 0xf) & ~(word_t)FASTPATH_MAX_WORDS)
_Static_assert((FASTPATH_MAX_WORDS & (FASTPATH_MAX_WORDS + 1)) == 0, "a mask of low bits");

/* Timeouts at or below this go to the general path: with the fast path on, every receive
 * timeout but NEVER (a blocking receive phase needs no timeout-list work); off (`nofastpath`),
 * all of them, so being switchable costs the fast path no test of its own. */
#define FASTPATH_TIMEOUTS_ON (IPC_TIMEOUTS(0, TIMEOUT_NEVER) - 1)
#define FASTPATH_TIMEOUTS_OFF (~(word_t)0)
word_t ipc_fastpath_timeouts_floor = FASTPATH_TIMEOUTS_ON;

void ipc_fastpath_enable(bool on)
{
    ipc_fastpath_timeouts_floor = on ? FASTPATH_TIMEOUTS_ON : FASTPATH_TIMEOUTS_OFF;
}

/* The untyped words, at most FASTPATH_MAX_WORDS: one computed jump, then a load and a store
 * per word (no loop). */
static inline __attribute__((always_inline)) void ipc_fastpath_copy(word_t *d, const word_t *s,
                                                                    unsigned n)
{
    _Static_assert(FASTPATH_MAX_WORDS == 15, "one case per word");
    switch (n) {
    case 15:
        d[14] = s[14]; /* fall through */
    case 14:
        d[13] = s[13]; /* fall through */
    case 13:
        d[12] = s[12]; /* fall through */
    case 12:
        d[11] = s[11]; /* fall through */
    case 11:
        d[10] = s[10]; /* fall through */
    case 10:
        d[9] = s[9]; /* fall through */
    case 9:
        d[8] = s[8]; /* fall through */
    case 8:
        d[7] = s[7]; /* fall through */
    case 7:
        d[6] = s[6]; /* fall through */
    case 6:
        d[5] = s[5]; /* fall through */
    case 5:
        d[4] = s[4]; /* fall through */
    case 4:
        d[3] = s[3]; /* fall through */
    case 3:
        d[2] = s[2]; /* fall through */
    case 2:
        d[1] = s[1]; /* fall through */
    case 1:
        d[0] = s[0]; /* fall through */
    case 0:
        break;
    default:
        __builtin_unreachable(); /* the tag mask: n <= FASTPATH_MAX_WORDS */
    }
}

bool ipc_fastpath(struct thread *cur, word_t op, word_t dest, word_t tag, word_t timeouts)
{
    /* few words, no typed items, no flags */
    if (unlikely(tag & FASTPATH_TAG_MASK)) return false;
    /* a receive phase without a timeout (and the fast path on) */
    if (unlikely(timeouts <= ipc_fastpath_timeouts_floor)) return false;

    struct thread *to;
    word_t label;
    if (op == IPC_CALL) {
        /* the backend's one decision, O(1): a plain delivery, or the general path decides (it
         * also answers false for a send whose policy_sent would use a right up: the fast path
         * does not call policy_sent) */
        if (unlikely(!policy_resolve_fast(cur, dest, tag, &to, &label))) return false;
        if (unlikely(!ipc_waits_for(to, cur))) return false;
    } else if (op == IPC_REPLY_WAIT) {
        to = cur->reply_to;
        /* a closed wait for us (ipc_waits_for, tightened: not an open wait) */
        if (unlikely(to == NULL || to->state != THREAD_BLOCKED || to->ipc_wait != IPC_RECEIVING ||
                     to->ipc_from != cur))
            return false;
        /* Someone is blocked or queued for us, or a notification is bound: the open wait
         * would not block; let the general path run. */
        if (unlikely(cur->senders.head != NULL || cur->notify_bound)) return false;
        if (unlikely(policy_pending(cur, IPC_FROM_ANY) != NULL)) return false;
        label = policy_reply_label(cur, to);
    } else {
        return false;
    }
    /* Switching straight to a lower priority would bypass the scheduler's choice; a partner
     * inside an exception IPC continues in the kernel (fault.c), not in user mode. */
    if (unlikely(to->prio < cur->prio || to->in_fault)) return false;

    /* ---- point of no return: nothing below can fail ---- */

    ipc_fastpath_copy(to->utcb->mr, cur->utcb->mr, MSGTAG_WORDS(tag));
    trace_ipc(op == IPC_CALL ? IPC_CALL : IPC_REPLY, cur, op == IPC_CALL ? dest : 0, to, label, tag,
              TRACE_DELIVERED, OK);
    ipc_timeout_disarm(to);
    to->ipc_wait = IPC_IDLE;
    to->ipc_from = NULL;
    cur->ipc_wait = IPC_RECEIVING;
    if (op == IPC_CALL) {
        to->reply_to = cur;
        cur->ipc_from = to;
    } else {
        cur->reply_to = NULL;
        cur->ipc_from = IPC_FROM_ANY;
    }
    /* No preemption point is due: nothing became ready here, and a system call starts with
     * none pending (syscall_dispatch and every interrupt end with one). The partner's results
     * go straight into its registers as it leaves. */
    sched_switch_exit(cur, to, tag, label);
}

void ipc_user_resume(void)
{
    sched_switch_finish();
    struct thread *t = current;
    struct trap_frame *f = arch_thread_frame(t);
    enum status s = (enum status)t->wake_result;
    FRAME_RESULT(f) = s == OK ? 0 : (word_t) - (long)s;
    if (s == OK) {
        FRAME_RESULT_TAG(f) = t->ipc_rcv_tag;
        FRAME_RESULT_LABEL(f) = t->ipc_rcv_label;
    }
    sched_preempt_point();
}
