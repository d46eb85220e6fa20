/* SPDX-License-Identifier: MIT */
/* Kernel-buffered messages: a bounded pool, per-queue FIFOs, charged to senders (ipc_queue.h). */
#include "ipc_queue.h"
#include "ipc.h"
#include "lib/mem.h"
#include "policy.h"
#include "pool.h"
#include "quota.h"
#include "sched.h"
#include "trace.h"

struct kmsg {
    struct kmsg *next;
    struct task *charged; /* whose QUOTA_MSGS pays; NULL once that task is freed */
    uint32_t from_thread; /* the sender's id, for the trace at delivery */
    word_t tag, label, intended, actual, dest;
    word_t mr[UTCB_MRS];
};

POOL_DEFINE(kmsg_pool, struct kmsg, MAX_KMSGS);
uint32_t msgq_queued;

void msgq_boot(void)
{
    pool_init(&kmsg_pool);
}

void msgq_init(struct msg_queue *q, uint32_t limit)
{
    *q = (struct msg_queue){.limit = limit > MSGQ_LIMIT_MAX ? MSGQ_LIMIT_MAX : limit};
}

struct kinfo_pool msgq_pool_info(void)
{
    return (struct kinfo_pool){kmsg_pool.capacity, kmsg_pool.used, kmsg_pool.peak,
                               kmsg_pool.failures};
}

/* Gives back what a message holds: its items' rights, its charge, its slot. */
static void kmsg_free(struct kmsg *m, unsigned items_from)
{
    unsigned words = MSGTAG_WORDS(m->tag), items = MSGTAG_ITEMS(m->tag);
    for (unsigned i = items_from; i < items; i++)
        policy_item_drop(m->mr[words + 2 * i], m->mr[words + 2 * i + 1]);
    if (m->charged) quota_release(m->charged, QUOTA_MSGS);
    kassert(pool_free(&kmsg_pool, m) == OK);
}

/* Out of line: synchronous backends never get here, and it must not weigh on ipc_do. */
__attribute__((noinline, cold)) enum status msgq_enqueue(struct thread *snd, struct msg_queue *q,
                                                         const struct ipc_route *r, word_t tag,
                                                         word_t dest)
{
    unsigned words = MSGTAG_WORDS(tag), items = MSGTAG_ITEMS(tag);
    for (unsigned i = 0; i < items; i++) {
        word_t hdr = snd->utcb->mr[words + 2 * i];
        if ((ITEM_TYPE(hdr) != ITEM_MAP && ITEM_TYPE(hdr) != ITEM_GRANT) ||
            ITEM_MAP_KIND(hdr) < FPAGE_KIND_BACKEND)
            return E_NOTSUP;
    }
    enum status s = quota_charge(snd->task, QUOTA_MSGS);
    if (s != OK) {
        trace_ipc(IPC_SEND, snd, dest, NULL, r->label, tag, TRACE_DENIED, s);
        return s;
    }
    struct kmsg *m = pool_alloc(&kmsg_pool);
    if (m == NULL) {
        quota_release(snd->task, QUOTA_MSGS);
        trace_ipc(IPC_SEND, snd, dest, NULL, r->label, tag, TRACE_DENIED, E_NOMEM);
        return E_NOMEM;
    }
    *m = (struct kmsg){.charged = snd->task,
                       .from_thread = snd->id,
                       .tag = tag,
                       .label = r->label,
                       .intended = r->intended,
                       .actual = r->actual,
                       .dest = dest};
    memcpy(m->mr, snd->utcb->mr, (words + 2 * items) * sizeof(word_t));
    for (unsigned i = 0; i < items; i++) {
        s = policy_item_take(snd, q, m->mr[words + 2 * i], m->mr[words + 2 * i + 1],
                             &m->mr[words + 2 * i + 1]);
        if (s != OK) {
            m->tag = MSGTAG(0, words, i, 0); /* only the items taken so far go back */
            kmsg_free(m, 0);
            trace_ipc(IPC_SEND, snd, dest, NULL, r->label, tag, TRACE_DENIED, s);
            return s;
        }
    }
    if (q->tail)
        q->tail->next = m;
    else
        q->head = m;
    q->tail = m;
    q->len++;
    msgq_queued++;
    trace_ipc(IPC_SEND, snd, dest, NULL, r->label, tag, TRACE_QUEUED, OK);
    return OK;
}

__attribute__((noinline)) enum status msgq_deliver(struct thread *rcv, struct msg_queue *q)
{
    struct kmsg *m = q->head;
    kassert(m != NULL);
    q->head = m->next;
    if (q->head == NULL) q->tail = NULL;
    q->len--;
    msgq_queued--;
    unsigned words = MSGTAG_WORDS(m->tag), items = MSGTAG_ITEMS(m->tag);
    memcpy(rcv->utcb->mr, m->mr, words * sizeof(word_t));
    enum status s = OK;
    unsigned i = 0;
    for (; i < items && s == OK; i++)
        s = policy_item_put(rcv, m->mr[words + 2 * i], m->mr[words + 2 * i + 1],
                            &rcv->utcb->mr[words + 2 * i]);
    struct thread *from = thread_lookup(m->from_thread);
    trace_ipc(IPC_SEND, from, m->dest, rcv, m->label, m->tag,
              s == OK ? TRACE_DELIVERED : TRACE_DENIED, s);
    ipc_landed(rcv, m->tag, m->label, m->intended, m->actual, false);
    kmsg_free(m, i); /* items a failed put did not reach are dropped */
    struct thread *waiting = wq_pop(&q->full);
    if (waiting) ipc_end_wait(waiting, OK); /* it resolves again and finds room */
    return s;
}

void msgq_destroy(struct msg_queue *q)
{
    while (q->head) {
        struct kmsg *m = q->head;
        q->head = m->next;
        kmsg_free(m, 0);
    }
    q->tail = NULL;
    msgq_queued -= q->len;
    q->len = 0;
    ipc_wake_parked(&q->full, E_CANCELLED);
}

void msgq_relabel(struct msg_queue *q, word_t label)
{
    for (struct kmsg *m = q->head; m; m = m->next)
        m->label = label;
}

void msgq_set_limit(struct msg_queue *q, uint32_t limit)
{
    q->limit = limit < 1 ? 1 : limit > MSGQ_LIMIT_MAX ? MSGQ_LIMIT_MAX : limit;
    ipc_wake_parked(&q->full, OK); /* they resolve again and find room, or park again */
}

void msgq_task_freed(struct task *t)
{
    for (uint32_t i = 0; i < kmsg_pool.capacity; i++) {
        struct kmsg *m = pool_at(&kmsg_pool, i);
        if (m && m->charged == t) {
            quota_release(t, QUOTA_MSGS);
            m->charged = NULL;
        }
    }
}
