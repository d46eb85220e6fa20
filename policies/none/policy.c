/* SPDX-License-Identifier: MIT */
/* Backend `none`: every name is a global id, so handing out names is the identity and nothing
 * can be revoked; endpoints are the threads themselves (labels are not supported: the
 * receiver always sees the sender's thread id). */
#include "notify.h"
#include "policy.h"
#include "policies/global_ids.h"

POLICY_GLOBAL_ID_ENDPOINT_CREATE

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

POLICY_GLOBAL_ID_MAP_ITEM

void policy_init(void) {}

POLICY_NEVER_QUEUES_ITEMS
