/* SPDX-License-Identifier: MIT */
/* Backend `none`: every name is a global id, so handing out names is the identity and nothing
 * can be revoked; endpoints are the threads themselves (labels are not supported: the
 * receiver always sees the sender's thread id). */
#include "notify.h"
#include "policy.h"
#include "policies/global_ids.h"

long policy_endpoint_create(struct thread *cur, word_t thread_name, word_t label)
{
    (void)cur, (void)label;
    struct thread *t = thread_name <= 0xffffffffUL ? thread_lookup((uint32_t)thread_name) : NULL;
    if (t == NULL || t->task == NULL) return -E_NOENT;
    return t->id;
}

long policy_endpoint_bind(struct thread *cur, word_t endpoint, word_t thread_name)
{
    (void)cur, (void)endpoint, (void)thread_name;
    return -E_NOTSUP; /* endpoints are the threads themselves */
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
void policy_thread_destroy(struct thread *t)
{
    (void)t;
}

/* Names are global: "mapping" one hands over the same word (base >> 12), so code that passes
 * names in messages works unchanged under every backend. */
enum status policy_map_item(struct thread *from, struct thread *to, word_t hdr, word_t fpage,
                            word_t *out)
{
    (void)from, (void)to;
    if (ITEM_MAP_KIND(hdr) != FPAGE_KIND_BACKEND) return E_MAPFAIL;
    out[0] = hdr;
    out[1] = fpage;
    return OK;
}

void policy_init(void) {}

long policy_unmap(struct thread *cur, unsigned kind, word_t fpage, bool self)
{
    (void)cur, (void)kind, (void)fpage, (void)self;
    return -E_NOTSUP; /* global names cannot be taken back */
}

enum status policy_item_take(struct thread *from, struct msg_queue *into, word_t hdr, word_t fpage,
                             word_t *cookie)
{
    (void)from, (void)into, (void)hdr, (void)fpage, (void)cookie;
    return E_NOTSUP; /* never queues */
}

enum status policy_item_put(struct thread *to, word_t hdr, word_t cookie, word_t *out)
{
    (void)to, (void)hdr, (void)cookie, (void)out;
    return E_NOTSUP;
}

void policy_item_drop(word_t hdr, word_t cookie)
{
    (void)hdr, (void)cookie;
}
