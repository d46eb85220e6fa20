/* SPDX-License-Identifier: MIT */
/* The monitor's policy: which task may reach which thread, as the loader derived it from the
 * declared channels (`ipcan setup -p refmon`). A flat table: scenarios declare few channels. */
#include "refmon.h"

static struct rm_rule rules[RM_MAX_RULES];
static long nrules;

const struct rm_rule *rm_rule_find(word_t task, word_t thread)
{
    for (long i = 0; i < nrules; i++)
        if (rules[i].task == task && rules[i].thread == thread) return &rules[i];
    return NULL;
}

long rm_rule_add(word_t task, word_t thread, bool map)
{
    struct rm_rule *r = (struct rm_rule *)rm_rule_find(task, thread);
    if (r) {
        r->map |= map;
        return OK;
    }
    if (nrules >= RM_MAX_RULES) return -E_NOMEM;
    rules[nrules++] = (struct rm_rule){task, thread, map};
    return OK;
}

long rm_rule_forget(word_t task, word_t thread)
{
    for (long i = 0; i < nrules; i++)
        if (rules[i].task == task && rules[i].thread == thread) {
            rules[i] = rules[--nrules];
            return 1;
        }
    return 0;
}

long rm_rule_count(void)
{
    return nrules;
}
