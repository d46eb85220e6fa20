/* SPDX-License-Identifier: MIT */
/* The decision trace: a bounded ring of records, written out whenever it fills and at power-off
 * (format: abi/trace_vocab.h). */
#include "trace.h"
#include "arch.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "policy.h"
#include "pool.h"
#include "timer.h"

struct trace_rec {
    uint64_t time;
    word_t dest, label, tag; /* authority records: obj, arg, unused */
    uint32_t from_task, from_thread, to_task, to_thread;
    uint32_t orig_task, orig_thread; /* a deceiving send: in whose name (0: its own) */
    uint8_t op, outcome;
    uint16_t status;
};

struct trace_task {
    uint32_t id, parent;
    char name[32];
};

static struct trace_rec ring[TRACE_RECORDS];
static struct trace_task tasks[MAX_TASKS];
/* Records made, records written out; task lines made, task lines written out. */
static uint64_t nrec, nwritten;
static uint32_t ntasks;
static bool header_written, ended;

static const char *const op_names[] = {[0] = "?",
#define TRACE_OP_NAME(name, value, text) [value] = text,
                                       TRACE_OP_LIST(TRACE_OP_NAME)
#undef TRACE_OP_NAME
};
static const char *const outcome_names[] = {
#define TRACE_OUTCOME_NAME(name, value, text) [value] = text,
    TRACE_OUTCOME_LIST(TRACE_OUTCOME_NAME)
#undef TRACE_OUTCOME_NAME
};

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf_to(arch_trace_write, fmt, ap);
    va_end(ap);
}

static void write_thread(const char *key, uint32_t task, uint32_t thread, bool known)
{
    if (known)
        out(" %s=%u.%u", key, task, thread);
    else
        out(" %s=-", key);
}

static void write_record(const struct trace_rec *r)
{
    const char *op = r->op < ARRAY_SIZE(op_names) && op_names[r->op] ? op_names[r->op] : "?";
    if (r->op >= TRACE_OP_FIRST_AUTH) {
        out("auth t=%lu op=%s", r->time, op);
        write_thread("from", r->from_task, r->from_thread, r->from_task != 0);
        write_thread("to", r->to_task, r->to_thread, r->to_task != 0);
        out(" obj=0x%lx arg=0x%lx status=%s\n", r->dest, r->label, status_name(r->status));
        return;
    }
    out("ipc t=%lu op=%s from=%u.%u dest=0x%lx", r->time, op, r->from_task, r->from_thread,
        r->dest);
    write_thread("to", r->to_task, r->to_thread, r->to_thread != 0);
    out(" label=0x%lx proto=0x%lx", r->label, MSGTAG_LABEL(r->tag));
    if (r->orig_thread) out(" orig=%u.%u", r->orig_task, r->orig_thread);
    out(" words=%u items=%u outcome=%s status=%s\n", MSGTAG_WORDS(r->tag), MSGTAG_ITEMS(r->tag),
        outcome_names[r->outcome], status_name(r->status));
}

/*
 * Writes every record and task line not yet written, oldest first. Called when the ring or the
 * task table is full (inside a system call: the kernel is not preemptible, so nothing is
 * recorded meanwhile) and at power-off. Nothing is ever overwritten unwritten.
 */
static void trace_flush(void)
{
    if (!header_written) {
        out(TRACE_MAGIC "\n");
        out("policy %s\n", POLICY_NAME);
        header_written = true;
    }
    for (uint32_t i = 0; i < ntasks; i++)
        out("task %u %s parent %u\n", tasks[i].id, tasks[i].name, tasks[i].parent);
    ntasks = 0;
    for (; nwritten < nrec; nwritten++)
        write_record(&ring[nwritten % TRACE_RECORDS]);
}

/* The next free slot of the ring, after writing the ring out if it is full. */
static struct trace_rec *next_rec(void)
{
    if (nrec - nwritten == TRACE_RECORDS) trace_flush();
    return &ring[nrec++ % TRACE_RECORDS];
}

void trace_ipc_record(word_t op, struct thread *from, word_t dest, struct thread *to, word_t label,
                      word_t tag, enum trace_outcome outcome, enum status status)
{
    struct trace_rec *r = next_rec();
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
    r->orig_task = r->orig_thread = 0;
}

/* The record just made is still in the ring (nothing is written between the two calls). A
 * message redirected on its way (to a chief) is the forwarder's own send as far as that stop
 * goes: only its delivery to the receiver it was meant for says in whose name it travels. */
void trace_orig_record(struct thread *as)
{
    struct trace_rec *r = &ring[(nrec - 1) % TRACE_RECORDS];
    if (MSGTAG_FLAGS(r->tag) & MSGTAG_F_REDIRECTED) return;
    r->orig_task = as->task ? as->task->id : 0;
    r->orig_thread = as->id;
}

void trace_auth_record(enum trace_op op, struct thread *by, struct task *to_task, struct thread *to,
                       word_t obj, word_t arg, enum status status)
{
    struct trace_rec *r = next_rec();
    if (to && !to_task) to_task = to->task;
    r->time = arch_cycles();
    r->op = (uint8_t)op;
    r->from_task = by && by->task ? by->task->id : 0;
    r->from_thread = by ? by->id : 0;
    r->to_task = to_task ? to_task->id : 0;
    r->to_thread = to ? to->id : 0;
    r->dest = obj;
    r->label = arg;
    r->tag = 0;
    r->outcome = 0;
    r->status = (uint16_t)status;
}

void trace_task_record(struct task *t)
{
    if (ntasks == ARRAY_SIZE(tasks)) trace_flush();
    struct trace_task *e = &tasks[ntasks++];
    e->id = t->id;
    e->parent = t->parent ? t->parent->id : 0;
    strlcpy(e->name, t->name, sizeof(e->name));
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

/* At power-off: the pending IPCs, every record not yet written, then the end line. */
void trace_dump(void)
{
    if (!CONFIG_IPC_TRACE || ended) return;
    ended = true;
    record_pending();
    trace_flush();
    out(TRACE_END_KEYWORD " records=%lu\n", nrec);
}
