/* SPDX-License-Identifier: MIT */
/* The reference monitor (main.c): its rule table (rules.c). */
#ifndef MONITOR_REFMON_H
#define MONITOR_REFMON_H

#include "refmon_proto.h"
#include "ulib.h"

#define RM_MAX_RULES 256

struct rm_rule {
    word_t task;   /* the sender's task id */
    word_t thread; /* the thread it may reach */
    bool map;      /* the right may be mapped on */
};

/* Adds a rule (a duplicate is not added twice); -E_NOMEM when the table is full. */
long rm_rule_add(word_t task, word_t thread, bool map);
/* Removes the rule; returns how many went (0 or 1). */
long rm_rule_forget(word_t task, word_t thread);
/* The rule that lets `task` reach `thread`, or NULL. */
const struct rm_rule *rm_rule_find(word_t task, word_t thread);
long rm_rule_count(void);

#endif
