/* SPDX-License-Identifier: MIT */
/* The reference monitor (main.c): its rule table (rules.c). */
#ifndef MONITOR_REFMON_H
#define MONITOR_REFMON_H

#include "refmon_proto.h"
#include "ulib.h"

#define RM_MAX_RULES 256

struct rm_rule {
    word_t task;           /* the sender's task id */
    word_t thread;         /* the thread it may reach */
    bool map;              /* the right may be mapped on */
    unsigned life;         /* ms the rule lives after its first grant (0: forever) */
    unsigned long expires; /* clock_us() when it goes; 0: not granted yet, or forever */
};

/* Adds a rule (a duplicate is not added twice: it gains the map bit and the lifetime);
 * -E_NOMEM when the table is full. */
long rm_rule_add(word_t task, word_t thread, bool map, unsigned life);
/* Removes the rule; returns how many went (0 or 1). */
long rm_rule_forget(word_t task, word_t thread);
/* The rule that lets `task` reach `thread`, or NULL. */
struct rm_rule *rm_rule_find(word_t task, word_t thread);
/* The earliest expiry of a granted rule with a lifetime (0: none). */
unsigned long rm_rule_next_expiry(void);
/* Removes one rule whose lifetime ended by `now` and returns it in *out; false: none. */
bool rm_rule_take_expired(unsigned long now, struct rm_rule *out);
long rm_rule_count(void);

#endif
