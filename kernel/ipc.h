/* SPDX-License-Identifier: MIT */
/*
 * Synchronous L4 IPC: rendezvous with direct copy from the sender's UTCB to the receiver's,
 * no buffering in the kernel. The backend (policy.h) is asked once per send phase to resolve
 * the destination name. ipc_fastpath.c short-cuts call / reply-and-wait; this is the general
 * path, complete on its own.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include "thread.h"

/* The general path for every operation; returns 0 or -status, fills *tag and *label. */
long ipc_do(struct thread *cur, word_t op, word_t dest, word_t tag, word_t timeouts,
            word_t *rcv_tag, word_t *rcv_label);

/*
 * The fast path (ipc_fastpath.c): handles call / reply-and-wait when it can and returns true
 * with *result set; returns false having changed nothing otherwise.
 */
bool ipc_fastpath(struct thread *cur, word_t op, word_t dest, word_t tag, word_t timeouts,
                  long *result);
extern bool ipc_fastpath_enabled;

/* Copies the untyped words of `tag` from one UTCB to the other. */
enum status ipc_transfer(struct thread *from, struct thread *to, word_t tag);

/* A map or grant item (ipc_map.c): mappings move through the mapping database. */
enum status ipc_transfer_map(struct thread *from, struct thread *to, word_t hdr, word_t fpage,
                             word_t *out);

/* Wakes every sender parked on an endpoint (bound now: OK; destroyed: E_CANCELLED). */
void ipc_wake_parked(struct wait_queue *q, enum status status);

/* A thread is going away: everyone blocked on it learns E_CANCELLED. */
void ipc_cancel_partner(struct thread *dying);

/* Timeouts: the tick wakes threads whose deadline passed. */
void ipc_timeout_arm(struct thread *t, uint32_t rel_us);
void ipc_timeout_disarm(struct thread *t);
void ipc_timeout_tick(uint64_t now_us);

#endif
