/* SPDX-License-Identifier: MIT */
/* The scripted test backend's rules, queues and hooks (policy.h). */
#include "policy.h"
#include "lib/mem.h"
#include "mapdb.h"
#include "notify.h"
#include "policies/global_ids.h"

struct script_rule script_rules[SCRIPT_RULES];
struct script_queue script_queues[4];
unsigned script_items_taken, script_items_put, script_items_dropped;

void script_set(word_t name, struct ipc_route route, struct thread *claimable)
{
    script_clear(name);
    for (unsigned i = 0; i < SCRIPT_RULES; i++) {
        if (script_rules[i].used) continue;
        script_rules[i] = (struct script_rule){true, name, route, claimable};
        return;
    }
    panic("script: too many rules");
}

void script_clear(word_t name)
{
    for (unsigned i = 0; i < SCRIPT_RULES; i++)
        if (script_rules[i].used && script_rules[i].name == name) script_rules[i].used = false;
}

struct msg_queue *script_queue_for(struct thread *receiver, uint32_t limit)
{
    for (unsigned i = 0; i < 4; i++) {
        if (script_queues[i].receiver) continue;
        script_queues[i].receiver = receiver;
        msgq_init(&script_queues[i].q, limit);
        return &script_queues[i].q;
    }
    panic("script: too many queues");
}

void policy_init(void)
{
    memset(script_rules, 0, sizeof(script_rules));
    memset(script_queues, 0, sizeof(script_queues));
    script_items_taken = script_items_put = script_items_dropped = 0;
    mapdb_kind_register(MAPDB_KIND_BACKEND, "script");
}

long policy_endpoint_create(struct thread *cur, word_t thread_name, word_t label)
{
    (void)cur, (void)label;
    struct thread *t = thread_name <= 0xffffffffUL ? thread_lookup((uint32_t)thread_name) : NULL;
    return t ? (long)t->id : -E_NOENT;
}

long policy_endpoint_bind(struct thread *cur, word_t endpoint, word_t thread_name)
{
    (void)cur, (void)endpoint, (void)thread_name;
    return -E_NOTSUP;
}

POLICY_GLOBAL_ID_NAMES

enum status policy_task_init(struct task *t, struct task *creator)
{
    (void)t, (void)creator;
    return OK;
}

void policy_task_destroy(struct task *t)
{
    (void)t;
}

/* A receiver that dies takes its queue with it (messages dropped, senders waiting cancelled). */
void policy_thread_destroy(struct thread *t)
{
    for (unsigned i = 0; i < 4; i++) {
        if (script_queues[i].receiver != t) continue;
        msgq_destroy(&script_queues[i].q);
        script_queues[i].receiver = NULL;
    }
    for (unsigned i = 0; i < SCRIPT_RULES; i++)
        if (script_rules[i].used &&
            (script_rules[i].route.to == t || script_rules[i].claimable == t))
            script_rules[i].used = false;
}

/* A backend-kind map item carries its flexpage word unchanged (like `none`). */
enum status policy_map_item(struct thread *from, struct thread *to, word_t hdr, word_t fpage,
                            word_t *out)
{
    (void)from, (void)to;
    out[0] = hdr;
    out[1] = fpage;
    return OK;
}

long policy_unmap(struct thread *cur, unsigned kind, word_t fpage, bool self)
{
    (void)cur, (void)kind, (void)fpage, (void)self;
    return -E_NOTSUP;
}

/* Items of queued messages: taken at send (fpage 0 cannot be taken: E_MAPFAIL), counted. */
enum status policy_item_take(struct thread *from, struct msg_queue *into, word_t hdr, word_t fpage,
                             word_t *cookie)
{
    (void)from, (void)into, (void)hdr;
    if (fpage == 0) return E_MAPFAIL;
    *cookie = fpage;
    script_items_taken++;
    return OK;
}

enum status policy_item_put(struct thread *to, word_t hdr, word_t cookie, word_t *out)
{
    (void)to;
    out[0] = hdr;
    out[1] = cookie;
    script_items_put++;
    return OK;
}

void policy_item_drop(word_t hdr, word_t cookie)
{
    (void)hdr, (void)cookie;
    script_items_dropped++;
}
