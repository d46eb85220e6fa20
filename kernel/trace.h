/* SPDX-License-Identifier: MIT */
/*
 * The IPC decision trace: one record per decision (delivered, denied, redirected, faulted to a
 * monitor, parked, timed out, cancelled, still blocked at power-off), kept in a bounded ring and
 * written out over the second serial port (COM2) when the machine powers off. Built with
 * CONFIG_IPC_TRACE=0 (make IPC_TRACE=0, as the benchmarks are) every call below compiles to
 * nothing.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include "thread.h"

#ifndef CONFIG_IPC_TRACE
#define CONFIG_IPC_TRACE 1
#endif

#define TRACE_RECORDS 8192

/* Records that are not IPC operations (abi/ipc.h numbers those 1..6). */
#define TRACE_OP_NOTIFY 7
#define TRACE_OP_FAULT 8

enum trace_outcome {
    TRACE_DELIVERED,
    TRACE_DENIED,
    TRACE_REDIRECTED,
    TRACE_FAULTED,
    TRACE_PARKED,
    TRACE_TIMEOUT,
    TRACE_CANCELLED,
    TRACE_BLOCKED, /* still pending when the machine stopped (written by trace_dump) */
};

void trace_ipc_record(word_t op, struct thread *from, word_t dest, struct thread *to, word_t label,
                      word_t tag, enum trace_outcome outcome, enum status status);
void trace_task_record(struct task *t);
void trace_dump(void);

static inline void trace_ipc(word_t op, struct thread *from, word_t dest, struct thread *to,
                             word_t label, word_t tag, enum trace_outcome outcome, enum status st)
{
    if (CONFIG_IPC_TRACE) trace_ipc_record(op, from, dest, to, label, tag, outcome, st);
}

static inline void trace_task(struct task *t)
{
    if (CONFIG_IPC_TRACE) trace_task_record(t);
}

#endif
