/* SPDX-License-Identifier: MIT */
/*
 * The reference monitors of a scenario (backends that fault sends to one: refmon): the loader
 * starts monitor/refmon/ from the boot module "refmon", makes it the monitor of every task
 * that declares none, maps it the IPC rights it grants from, and hands it the declared
 * channels as rules (refmon_proto.h). A task declared with `monitor M` has task M instead (a
 * task the loader starts running program refmon), which gets the rules of the tasks it
 * monitors the same way. Without the module the loader's default pager answers the policy
 * faults of the others and grants every first contact. `allow ... for MS` gives a rule a
 * lifetime: the monitor revokes it at run time.
 */
#include "refmon_proto.h"
#include "scnroot.h"

static word_t rules[2 * RM_RULES_PER_MSG];
static unsigned nrules;
static bool authority_sent;

static unsigned find_refmon(void)
{
    char name[32];
    for (unsigned i = 1;; i++) {
        long size = module_info(i, name, sizeof(name));
        if (size == -E_NOENT) return 0;
        if (size >= 0 && strcmp(name, "refmon") == 0) return i;
    }
}

void monitor_check_declared(void)
{
    for (int i = 0; i < ntasks; i++) {
        const struct stask *t = &tasks[i];
        if (t->monitor >= 0 && t->monitor == i) {
            printf("[scnroot] task '%s' cannot be its own monitor\n", t->name);
            shutdown(3);
        }
        if (!t->is_monitor) continue;
        if (strcmp(t->program, "refmon") != 0 || t->parent >= 0 || t->ndesc > 0 || t->is_self) {
            printf("[scnroot] monitor '%s' must run program refmon, be started by the loader "
                   "and have no children\n",
                   t->name);
            shutdown(3);
        }
    }
}

long monitor_start(long pager)
{
    for (int i = 0; i < ntasks; i++) /* the module is a declared monitor's, not the default */
        if (strcmp(tasks[i].name, "refmon") == 0) return pager;
    unsigned module = find_refmon();
    if (module == 0) return pager;
    long r = task_spawn(module, (PRIO_DEFAULT + 1) | SPAWN_SUSPENDED, 0);
    if (r < 0) fail("starting the reference monitor", r);
    long task = SPAWN_TASK(r);
    /* its own sends (it makes none but replies) would fault to the permissive default */
    if (pager > 0) {
        long s = set_handlers_monitor(task, (word_t)pager, 0, (word_t)pager);
        if (s < 0) fail("the monitor's pager", s);
    }
    long s = task_start(task, self_thread());
    if (s < 0) fail("starting the reference monitor", s);
    printf("[scnroot] reference monitor 'refmon' is thread %lu (task %ld)\n", SPAWN_THREAD(r),
           task);
    return (long)SPAWN_THREAD(r);
}

/* Sends the rules gathered so far; the first message maps the monitor every IPC right. */
static long held; /* rules the monitor holds, as it last said */

static void flush(long monitor)
{
    struct utcb *u = utcb();
    for (unsigned i = 0; i < 2 * nrules; i++)
        u->mr[i] = rules[i];
    unsigned items = 0;
    if (!authority_sent) {
        u->mr[2 * nrules] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
        u->mr[2 * nrules + 1] = FPAGE(0, 32, FPAGE_R | FPAGE_W);
        items = 1;
        authority_sent = true;
    }
    word_t tag;
    long r = ipc_call((word_t)monitor, MSGTAG(RM_OP_RULES, 2 * nrules, items, 0), TIMEOUT_NEVER,
                      TIMEOUT_NEVER, &tag, 0);
    if (r < 0 || (long)u->mr[0] < 0)
        fail("giving the monitor its rules", r < 0 ? r : (long)u->mr[0]);
    nrules = 0;
    held = (long)u->mr[0];
}

/* A rule for the monitor of the tasks `which` names (a declared monitor, or -1: the others). */
static void rule(long monitor, int which, const struct stask *from, word_t to_thread, bool map,
                 unsigned life)
{
    if (from->is_self || from->task <= 0 || to_thread == 0 || from->monitor != which) return;
    rules[2 * nrules] = (word_t)from->task;
    rules[2 * nrules + 1] = to_thread | (map ? RM_RULE_MAP : 0) | RM_RULE_LIFE(life);
    if (++nrules == RM_RULES_PER_MSG) flush(monitor);
}

void monitor_rules(long monitor, int which, word_t server, int ns)
{
    authority_sent = false; /* every monitor gets the rights it grants from */
    for (int i = 0; i < ntasks; i++) {
        rule(monitor, which, &tasks[i], server, false, 0); /* its setup and lookups */
        if (ns >= 0 && i != ns) rule(monitor, which, &tasks[i], tasks[ns].thread, false, 0);
    }
    for (int i = 0; i < nchans; i++) {
        const struct schannel *c = &chans[i];
        if (c->service < 0) continue;
        const struct stask *to = &tasks[services[c->service].owner];
        if (!to->is_self) rule(monitor, which, &tasks[c->from], to->thread, c->give, 0);
    }
    for (int i = 0; i < nallows; i++)
        if (!tasks[allows[i].to].is_self)
            rule(monitor, which, &tasks[allows[i].from], tasks[allows[i].to].thread, allows[i].map,
                 allows[i].life);
    flush(monitor);
    if (which < 0)
        printf("[scnroot] the reference monitor holds its %ld rules\n", held);
    else
        printf("[scnroot] monitor '%s' holds its %ld rules\n", tasks[which].name, held);
}
