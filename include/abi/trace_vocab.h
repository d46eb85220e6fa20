/* SPDX-License-Identifier: MIT */
/* The trace's vocabulary, shared by the kernel that writes it and the analyzer that reads it. */
#ifndef ABI_TRACE_VOCAB_H
#define ABI_TRACE_VOCAB_H

/*
 * X(name, value, text): the operation of a record. Values 1..6 are the IPC operations of
 * abi/ipc.h (the kernel checks they agree); notify and fault are IPC decisions too. The rest
 * are authority records: what changed who can reach whom, written as `auth` lines.
 */
#define TRACE_OP_LIST(X)                                                                           \
    X(SEND, 1, "send")                                                                             \
    X(RECV, 2, "recv")                                                                             \
    X(WAIT, 3, "wait")                                                                             \
    X(CALL, 4, "call")                                                                             \
    X(REPLY_WAIT, 5, "reply_wait")                                                                 \
    X(REPLY, 6, "reply")                                                                           \
    X(NOTIFY, 7, "notify")                                                                         \
    X(FAULT, 8, "fault")                                                                           \
    X(NAME_CREATE, 9, "name_create")                                                               \
    X(NAME_GIVE, 10, "name_give")                                                                  \
    X(NAME_DROP, 11, "name_drop")                                                                  \
    X(REVOKE, 12, "revoke")                                                                        \
    X(BIND, 13, "bind")                                                                            \
    X(TASK_CREATE, 14, "task_create")                                                              \
    X(THREAD_CREATE, 15, "thread_create")                                                          \
    X(TASK_EXIT, 16, "task_exit")

/* The first authority operation: records from here on are `auth` lines, not `ipc` lines. */
#define TRACE_OP_FIRST_AUTH 9
#define TRACE_OP_MAX 16

/* X(name, value, text): what the kernel decided about an IPC operation. */
#define TRACE_OUTCOME_LIST(X)                                                                      \
    X(DELIVERED, 0, "delivered")                                                                   \
    X(DENIED, 1, "denied")                                                                         \
    X(REDIRECTED, 2, "redirected")                                                                 \
    X(FAULTED, 3, "faulted")                                                                       \
    X(PARKED, 4, "parked")                                                                         \
    X(TIMEOUT, 5, "timeout")                                                                       \
    X(CANCELLED, 6, "cancelled")                                                                   \
    X(BLOCKED, 7, "blocked") /* still pending when the machine stopped */                      \
    X(QUEUED, 8, "queued")   /* copied into a kernel queue (a queueing backend) */

#define TRACE_OUTCOME_MAX 8

/*
 * The lines of a trace (analyzer/README.md, "Trace format"):
 *   TRACE_MAGIC                          first line
 *   policy NAME                          once, before any record
 *   task ID NAME parent ID               a task as created
 *   ipc t=.. op=.. from=T.TH dest=.. to=T.TH|- label=.. proto=.. words=.. items=..
 *       outcome=OUTCOME status=STATUS_NAME
 *   auth t=.. op=.. from=T.TH to=T.TH|- obj=.. arg=.. status=STATUS_NAME
 *   end records=N                        last line, written at power-off: N ipc and auth lines
 * Status values are the names of abi/status.h's STATUS_LIST (OK, E_NOMEM, ...), never its text.
 */
#define TRACE_MAGIC "# ipcsec ipc trace v2"
#define TRACE_END_KEYWORD "end"

#endif
