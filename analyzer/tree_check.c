/* SPDX-License-Identifier: MIT */
/* The run's creation tree against the declaration: the kernel's creator of each declared task
 * (the trace's `task ID NAME parent ID` lines) must be its declared parent. */
#include "tree_check.h"

#include <string.h>

/* The declared task behind kernel task id, by the trace's mapping (SCN_NONE if none). */
static uint32_t declared_of(const struct trace *t, uint32_t id)
{
    for (uint32_t i = 0; i < t->ntasks; i++)
        if (t->tasks[i].id == id) return t->tasks[i].task;
    return SCN_NONE;
}

/*
 * A declared task that ran (a kernel task carries its name) must have one instance created by
 * its declared parent; a declared root must have been started by the kernel. Copies of a
 * program started elsewhere (an attacker's impostors) are allowed beside it; a run where the
 * declared task itself was created by someone else is not the declared scenario.
 */
enum an_status tree_check(const struct scn *s, const struct trace *t, struct an_diag *d)
{
    enum an_status st = AN_OK;
    for (uint32_t i = 0; i < s->ntasks; i++) {
        const struct scn_task *dt = &s->tasks[i];
        bool seen = false, right = false;
        uint32_t creator = 0;
        for (uint32_t k = 0; k < t->ntasks; k++) {
            const struct tr_task *kt = &t->tasks[k];
            if (!kt->has_parent || strcmp(kt->name, dt->name) != 0) continue;
            seen = true;
            creator = kt->parent;
            bool ok = dt->parent.name == NULL ? kt->parent == 0
                                              : declared_of(t, kt->parent) == dt->parent.idx;
            right |= ok && kt->task == i;
        }
        if (!seen || right) continue;
        char buf[80];
        an_diag_error(d, 0, 0,
                      "task '%s' was created by %s (kernel task %u), not by its declared parent "
                      "%s",
                      dt->name,
                      creator ? trace_name_of(t, creator, buf, sizeof(buf)) : "the kernel", creator,
                      dt->parent.name ? dt->parent.name : "(none: a root)");
        st = AN_E_SEMANTIC;
    }
    return st;
}
