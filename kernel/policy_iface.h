/* SPDX-License-Identifier: MIT */
/*
 * The backend contract, version 2: what an IPC-control backend answers and the hooks it
 * defines (policies/README.md gives each one's exact contract). Every backend's policy.h
 * includes this file and defines the functions below with these exact names; the core calls
 * each from exactly one place, directly (static inline or plain calls, no function pointers).
 */
#ifndef KERNEL_BACKEND_IFACE_H
#define KERNEL_BACKEND_IFACE_H

#include "thread.h"

enum route_kind {
    ROUTE_DELIVER,  /* to `to`, which sees `label` (and `as` as the sender, if set) */
    ROUTE_DENY,     /* refuse with `err` */
    ROUTE_REDIRECT, /* deliver to `to` instead (a chief); it sees `label`, the kernel flags the
                     * message MSGTAG_F_REDIRECTED and gives it `intended` and `actual` */
    ROUTE_FAULT,    /* raise a policy-fault IPC at monitor `to` (which sees `label`); its answer
                     * decides, then the send resolves again once */
    ROUTE_PARK,     /* block on `park` until woken, then resolve again; the send timeout runs */
    ROUTE_QUEUE,    /* copy the message into `queue` (kernel memory charged to the sender) */
};

struct msg_queue;

/*
 * A resolution. `as` (deceit): the thread the receiver sees as the sender, set only when the
 * sender claimed another identity and the backend allows it; the kernel then flags the
 * message MSGTAG_F_FORWARDED, and a closed wait for `as` accepts it. For a redirected or
 * forwarded message `intended` and `actual` are what the receiver finds in its UTCB's
 * TCR_INTENDED_RECEIVER and TCR_ACTUAL_SENDER, in names it understands: the backend sets them
 * whenever it redirects, allows deceit or faults (the core sets only `as` before resolving).
 */
struct ipc_route {
    enum route_kind kind;
    struct thread *to;
    struct thread *as;
    word_t label;
    word_t intended, actual;
    enum status err;
    struct wait_queue *park;
    struct msg_queue *queue;
};

struct notification;

/* policy_resolve_fast for a backend whose policy_resolve is cheap in every case. */
#define POLICY_RESOLVE_FAST_VIA_RESOLVE                                                            \
    static inline bool policy_resolve_fast(struct thread *sender, word_t name, word_t tag,         \
                                           struct thread **to, word_t *label)                      \
    {                                                                                              \
        struct ipc_route r;                                                                        \
        policy_resolve(sender, name, tag, 0, &r);                                                  \
        *to = r.to;                                                                                \
        *label = r.label;                                                                          \
        return r.kind == ROUTE_DELIVER;                                                            \
    }

/* ---- on the IPC path (ipc.c, ipc_fastpath.c) ---- */

/*
 * void policy_resolve(struct thread *sender, word_t name, word_t tag, word_t claimed,
 *                     struct ipc_route *out);
 *     The send phase. PURE: no side effects, it may run more than once for one send (the fast
 *     path bails out after it; a parked send resolves again). `claimed` is the identity the
 *     sender claims (0: its own); the backend either allows it (sets out->as) or denies.
 * bool policy_resolve_fast(struct thread *sender, word_t name, word_t tag,
 *                          struct thread **to, word_t *label);
 *     The fast path's question, also pure: true with *to and *label if policy_resolve would
 *     answer ROUTE_DELIVER (no claim) and that is cheap to see; false sends the call to the
 *     general path, which asks policy_resolve. Most backends wrap policy_resolve
 *     (policy_resolve_fast_via_resolve below); one with a slow case answers only the cheap one.
 *     It answers false for a send whose policy_sent would do anything (a send-once right):
 *     the fast path does not call policy_sent. *to may be a thread that is not alive (its slot,
 *     thread_slot_of): the fast path delivers only to one that waits (ipc_waits_for).
 * struct thread *policy_resolve_from(struct thread *receiver, word_t name);
 *     A closed wait: which thread (as senders are seen) the receiver means; NULL: none.
 * word_t policy_reply_label(struct thread *replier, struct thread *caller);
 * enum status policy_commit(struct thread *sender, struct thread *receiver);
 *     A send that blocked earlier is being delivered now: OK, or the status it fails with
 *     (E_CANCELLED: its authority was revoked meanwhile).
 * void policy_sent(struct thread *sender, word_t name);
 *     A send through `name` has left the sender (delivered, picked up or queued): a backend
 *     whose rights are used up by one message (a send-once right) consumes it here. Called
 *     where a message leaves its sender: ipc_send, pick_up, the queueing send (not the fast
 *     path: policy_resolve_fast refuses the sends that would need it).
 * struct msg_queue *policy_pending(struct thread *receiver, struct thread *from);
 *     A receive is starting: a queue holding a message for it (from `from`, or anyone if
 *     IPC_FROM_ANY), or NULL. Backends that never queue return NULL (a constant).
 * POLICY_DESCRIPTOR: the backend's row of abi/backend.h; its `reply` says whether a new wait
 *     ends the implicit reply capability (BACKEND_REPLY_UNTIL_WAIT) or not (_UNTIL_USED).
 */

/* ---- objects and names (sys_policy.c, sys_task.c, notify.c) ---- */
long policy_endpoint_create(struct thread *cur, word_t thread_name, word_t label);
long policy_endpoint_bind(struct thread *cur, word_t endpoint, word_t thread_name);
long policy_name_give(struct thread *cur, struct task *to, word_t name, unsigned rights);
long policy_name_drop(struct thread *cur, word_t name);
word_t policy_name_of_thread(struct task *holder, struct thread *t);
word_t policy_name_of_task(struct task *holder, struct task *t);
struct task *policy_task_lookup(struct thread *cur, word_t name);
long policy_notification_name(struct thread *cur, struct notification *n);
struct notification *policy_notification_lookup(struct thread *cur, word_t name);

/* ---- lifetime (main.c, thread.c) ---- */
void policy_init(void); /* once at boot, before the first task: pools, mapping-db kinds */
enum status policy_task_init(struct task *t, struct task *creator);
void policy_task_destroy(struct task *t);
void policy_task_freed(struct task *t);
void policy_thread_destroy(struct thread *t);

/* ---- flexpages of the backend's own kinds (ipc_map.c, sys_info.c) ---- */
enum status policy_map_item(struct thread *from, struct thread *to, word_t hdr, word_t fpage,
                            word_t *out);
long policy_unmap(struct thread *cur, unsigned kind, word_t fpage, bool self);

/* ---- queued messages' typed items (ipc_queue.c): taken at send, installed at receive;
 * `into` is the queue the message is going into (NULL: delivered at once), so a backend can
 * refuse a right that would be unreachable there (E_CIRCULAR: a port's receive right queued in
 * its own queue, directly or through other receive rights in transit) ---- */
enum status policy_item_take(struct thread *from, struct msg_queue *into, word_t hdr, word_t fpage,
                             word_t *cookie);
enum status policy_item_put(struct thread *to, word_t hdr, word_t cookie, word_t *out);
void policy_item_drop(word_t hdr, word_t cookie);

#endif
