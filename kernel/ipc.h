/* SPDX-License-Identifier: MIT */
/*
 * Synchronous L4 IPC: rendezvous with direct copy from the sender's UTCB to the receiver's;
 * buffering in the kernel only where the backend routes a send into a queue (ipc_queue.c).
 * The backend (policy.h) resolves the destination name once per send phase. ipc_fastpath.c
 * short-cuts call / reply-and-wait; ipc.c is the general path, complete on its own.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include "thread.h"

/*
 * The general path for every operation; returns 0 or -status. On success cur->ipc_rcv_tag and
 * cur->ipc_rcv_label hold what arrived (0 for an operation without a receive phase).
 * `claimed` (with IPC_OP_DECEIT in op) is the identity the sender claims; the backend decides.
 */
long ipc_do(struct thread *cur, word_t op, word_t dest, word_t tag, word_t timeouts,
            word_t claimed);

/* Where a send to dest would go first (ipc_route): 0 with *to the thread it reaches first
 * (dest itself, or the chief or monitor), or -status; sends nothing. */
long ipc_route_query(struct thread *cur, word_t dest, struct thread **to);

/*
 * The fast path (ipc_fastpath.c): handles call / reply-and-wait when it can, and then does not
 * return (the CPU leaves through the partner's user frame); returns false having changed
 * nothing otherwise.
 */
bool ipc_fastpath(struct thread *cur, word_t op, word_t dest, word_t tag, word_t timeouts);
void ipc_fastpath_enable(bool on); /* on at boot; `nofastpath` and the tests turn it off */

/*
 * Where a thread that blocked in the fast path resumes, on its own kernel stack, whichever
 * path woke it: its system call's results (the waker's status, the received tag and label) go
 * into its user frame; the arch layer then leaves through that frame.
 */
void ipc_user_resume(void);

/*
 * A call straight to `to`, which sees `label`, bypassing the backend (exception IPC: the
 * backend already named the handler, or is the reason for the IPC). Returns 0 or -status.
 */
long ipc_call_direct(struct thread *cur, struct thread *to, word_t tag, word_t label,
                     word_t timeouts, word_t *rcv_tag);

/* Copies the untyped words and typed items of `tag` from one UTCB to the other. */
enum status ipc_transfer(struct thread *from, struct thread *to, word_t tag);

/* A map or grant item (ipc_map.c): mappings move through the mapping database. */
enum status ipc_transfer_map(struct thread *from, struct thread *to, word_t hdr, word_t fpage,
                             word_t *out);

/*
 * The one test of "is `rcv` waiting for a message from `snd`" (as the receiver sees senders:
 * a deceiving sender is the thread it claims to be). IPC_FROM_ANY as `snd`: an open wait.
 */
static inline bool ipc_waits_for(const struct thread *rcv, const struct thread *snd)
{
    return rcv->state == THREAD_BLOCKED && rcv->ipc_wait == IPC_RECEIVING && !rcv->ipc_from_nil &&
           (rcv->ipc_from == IPC_FROM_ANY || rcv->ipc_from == snd);
}

/*
 * A message has landed in `rcv`'s UTCB: records what its receive returns (the tag with the
 * kernel's flags, the label) and, for a redirected or forwarded one, the intended receiver
 * and actual sender in its TCRs, and whether the sender waits for a reply (`call`). The one
 * place that writes a receiver's results.
 */
void ipc_landed(struct thread *rcv, word_t tag, word_t label, word_t intended, word_t actual,
                bool call);

/* Ends a thread's IPC wait with `status` and makes it ready (every way out of a block). */
void ipc_end_wait(struct thread *t, enum status status);

/* Wakes every sender parked on an endpoint (bound now: OK; destroyed: E_CANCELLED). */
void ipc_wake_parked(struct wait_queue *q, enum status status);

/* A thread is going away: everyone blocked on it learns E_CANCELLED. */
void ipc_cancel_partner(struct thread *dying);

/* Timeouts: the tick wakes threads whose deadline passed. */
void ipc_timeout_arm(struct thread *t, uint32_t rel_us);
void ipc_timeout_disarm(struct thread *t);
void ipc_timeout_tick(uint64_t now_us);

#endif
