/* SPDX-License-Identifier: MIT */
/*
 * The decision trace: one record per IPC decision (delivered, denied, redirected, faulted to a
 * monitor, parked, timed out, cancelled, still blocked at power-off) and per change of
 * authority (a name created, given, dropped or revoked, a gate bound, a task or thread created,
 * a task ended). Records go into a bounded ring; when it is full, it is written out over the
 * second serial port (COM2) before the next record overwrites anything, so the trace is
 * complete for a run of any length. At power-off the rest is written, then the `end` line that
 * tells a complete trace from a truncated one. Format and vocabulary: abi/trace_vocab.h.
 * Built with CONFIG_IPC_TRACE=0 (make IPC_TRACE=0, as the benchmarks are) every call below
 * compiles to nothing.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include "abi/trace_vocab.h"
#include "thread.h"

#ifndef CONFIG_IPC_TRACE
#define CONFIG_IPC_TRACE 1
#endif

#define TRACE_RECORDS 8192

enum trace_op {
#define TRACE_OP_ENUM(name, value, text) TRACE_OP_##name = value,
    TRACE_OP_LIST(TRACE_OP_ENUM)
#undef TRACE_OP_ENUM
};
_Static_assert((int)TRACE_OP_SEND == IPC_SEND && (int)TRACE_OP_RECV == IPC_RECV &&
                   (int)TRACE_OP_WAIT == IPC_WAIT && (int)TRACE_OP_CALL == IPC_CALL &&
                   (int)TRACE_OP_REPLY_WAIT == IPC_REPLY_WAIT && (int)TRACE_OP_REPLY == IPC_REPLY,
               "the trace numbers IPC operations as abi/ipc.h does");

enum trace_outcome {
#define TRACE_OUTCOME_ENUM(name, value, text) TRACE_##name = value,
    TRACE_OUTCOME_LIST(TRACE_OUTCOME_ENUM)
#undef TRACE_OUTCOME_ENUM
};

void trace_ipc_record(word_t op, struct thread *from, word_t dest, struct thread *to, word_t label,
                      word_t tag, enum trace_outcome outcome, enum status status);
void trace_orig_record(struct thread *as);
void trace_auth_record(enum trace_op op, struct thread *by, struct task *to_task, struct thread *to,
                       word_t obj, word_t arg, enum status status);
void trace_task_record(struct task *t);
void trace_dump(void);

static inline void trace_ipc(word_t op, struct thread *from, word_t dest, struct thread *to,
                             word_t label, word_t tag, enum trace_outcome outcome, enum status st)
{
    if (CONFIG_IPC_TRACE) trace_ipc_record(op, from, dest, to, label, tag, outcome, st);
}

/* The IPC record just made was delivered in the name of `as` (a deceiving send: a chief
 * forwarding, clans): the record says so (`orig=`), so a reader sees who the message is from;
 * not where the message only stops on its way (redirected to a chief). */
static inline void trace_orig(struct thread *as)
{
    if (CONFIG_IPC_TRACE && as) trace_orig_record(as);
}

/*
 * A change of authority: `by` (the acting thread; NULL for the kernel itself) did op to the
 * task to_task (or its thread `to`); obj is the name or object concerned, arg the op's
 * argument (rights, label, ...). A result other than OK records an attempt that failed.
 */
static inline void trace_auth(enum trace_op op, struct thread *by, struct task *to_task,
                              struct thread *to, word_t obj, word_t arg, enum status st)
{
    if (CONFIG_IPC_TRACE) trace_auth_record(op, by, to_task, to, obj, arg, st);
}

static inline void trace_task(struct task *t)
{
    if (CONFIG_IPC_TRACE) trace_task_record(t);
}

#endif
