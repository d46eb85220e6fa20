/* SPDX-License-Identifier: MIT */
/* The monitor's policy: which task may reach which thread, as the loader derived it from the
 * declared channels (`ipcan setup -p refmon`), some for a limited time. A flat table:
 * scenarios declare few channels. */
#include "refmon.h"

static struct rm_rule rules[RM_MAX_RULES];
static long nrules;

struct rm_rule *rm_rule_find(word_t task, word_t thread)
{
    for (long i = 0; i < nrules; i++)
        if (rules[i].task == task && rules[i].thread == thread) return &rules[i];
    return NULL;
}

long rm_rule_add(word_t task, word_t thread, bool map, unsigned life)
{
    struct rm_rule *r = rm_rule_find(task, thread);
    if (r) {
        r->map |= map;
        if (life) r->life = life;
        return OK;
    }
    if (nrules >= RM_MAX_RULES) return -E_NOMEM;
    rules[nrules++] = (struct rm_rule){task, thread, map, life, 0};
    return OK;
}

unsigned long rm_rule_next_expiry(void)
{
    unsigned long next = 0;
    for (long i = 0; i < nrules; i++)
        if (rules[i].expires && (next == 0 || rules[i].expires < next)) next = rules[i].expires;
    return next;
}

bool rm_rule_take_expired(unsigned long now, struct rm_rule *out)
{
    for (long i = 0; i < nrules; i++)
        if (rules[i].expires && rules[i].expires <= now) {
            *out = rules[i];
            rules[i] = rules[--nrules];
            return true;
        }
    return false;
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
