/* SPDX-License-Identifier: MIT */
/* The IPC decision trace: a bounded ring of records and its text dump (format: trace.h). */
#include "trace.h"
#include "arch.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "policy.h"
#include "pool.h"
#include "timer.h"

struct trace_rec {
    uint64_t time;
    word_t dest, label, tag;
    uint32_t from_task, from_thread, to_task, to_thread;
    uint8_t op, outcome;
    uint16_t status;
};

struct trace_task {
    uint32_t id, parent;
    char name[32];
};

static struct trace_rec ring[TRACE_RECORDS];
static struct trace_task tasks[MAX_TASKS * 4];
static uint64_t nrec, ntasks, dropped_tasks;

void trace_ipc_record(word_t op, struct thread *from, word_t dest, struct thread *to, word_t label,
                      word_t tag, enum trace_outcome outcome, enum status status)
{
    struct trace_rec *r = &ring[nrec++ % TRACE_RECORDS];
    r->time = arch_cycles();
    r->op = (uint8_t)op;
    r->from_task = from && from->task ? from->task->id : 0;
    r->from_thread = from ? from->id : 0;
    r->dest = dest;
    r->to_task = to && to->task ? to->task->id : 0;
    r->to_thread = to ? to->id : 0;
    r->label = label;
    r->tag = tag;
    r->outcome = (uint8_t)outcome;
    r->status = (uint16_t)status;
}

void trace_task_record(struct task *t)
{
    if (ntasks == ARRAY_SIZE(tasks)) {
        dropped_tasks++;
        return;
    }
    struct trace_task *e = &tasks[ntasks++];
    e->id = t->id;
    e->parent = t->parent ? t->parent->id : 0;
    strlcpy(e->name, t->name, sizeof(e->name));
}

static const char *const op_names[] = {"?",          "send",  "recv",   "wait", "call",
                                       "reply_wait", "reply", "notify", "fault"};
static const char *const outcome_names[] = {"delivered", "denied",  "redirected", "faulted",
                                            "parked",    "timeout", "cancelled",  "blocked"};

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf_to(arch_trace_write, fmt, ap);
    va_end(ap);
}

/*
 * An IPC that never completes leaves no record of its own: a producer blocked for ever on a
 * consumer that never waits (a denial of service), a consumer waiting for a wake-up that was
 * lost. At power-off each one still pending is recorded, so the trace shows them.
 */
static void record_pending(void)
{
    for (uint32_t i = 0; i < thread_pool.capacity; i++) {
        struct thread *t = pool_at(&thread_pool, i);
        if (!t || !t->task || t->state != THREAD_BLOCKED || t->ipc_from_nil) continue;
        if (t->ipc_wait == IPC_SENDING)
            trace_ipc_record(t->ipc_is_call ? IPC_CALL : IPC_SEND, t, t->ipc_dest, t->ipc_to,
                             t->ipc_label, t->ipc_tag, TRACE_BLOCKED, OK);
        else if (t->ipc_wait == IPC_RECEIVING)
            trace_ipc_record(t->ipc_from ? IPC_RECV : IPC_WAIT, t, 0, t->ipc_from, 0, 0,
                             TRACE_BLOCKED, OK);
    }
}

void trace_dump(void)
{
    if (!CONFIG_IPC_TRACE) return;
    record_pending();
    uint64_t first = nrec > TRACE_RECORDS ? nrec - TRACE_RECORDS : 0;
    out("# ipcsec ipc trace v1\n");
    out("policy %s\n", POLICY_NAME);
    for (uint64_t i = 0; i < ntasks; i++)
        out("task %u %s parent %u\n", tasks[i].id, tasks[i].name, tasks[i].parent);
    if (dropped_tasks) out("# %lu task records dropped\n", dropped_tasks);
    if (first) out("# %lu oldest ipc records dropped (ring of %d)\n", first, TRACE_RECORDS);
    for (uint64_t i = first; i < nrec; i++) {
        const struct trace_rec *r = &ring[i % TRACE_RECORDS];
        out("ipc t=%lu op=%s from=%u.%u dest=0x%lx to=", r->time,
            r->op < ARRAY_SIZE(op_names) ? op_names[r->op] : "?", r->from_task, r->from_thread,
            r->dest);
        if (r->to_thread)
            out("%u.%u", r->to_task, r->to_thread);
        else
            out("-");
        out(" label=0x%lx proto=0x%lx words=%u items=%u outcome=%s status=%s\n", r->label,
            MSGTAG_LABEL(r->tag), MSGTAG_WORDS(r->tag), MSGTAG_ITEMS(r->tag),
            outcome_names[r->outcome], status_text(r->status));
    }
    out("# end of trace: %lu records\n", nrec - first);
}
