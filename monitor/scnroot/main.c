/* SPDX-License-Identifier: MIT */
/*
 * The scenario loader: the root task of an attack image. It reads the setup the analyzer
 * derived from a scenario declaration (boot module "setup", `ipcan setup`), starts one task
 * per declared task from the module of the same name, hands out exactly the names the
 * declared channels call for (the backend decides what a name is: a thread id under none, a
 * capability to a gate under capgate), answers each task's setup request, serves as the
 * parent name service under hierarchical naming, and ends the run when every task has ended
 * or at the deadline. It decides nothing about verdicts: the kernel's trace does.
 */
#include "scnroot.h"

static unsigned find_module(const char *want)
{
    char name[32];
    for (unsigned i = 1;; i++) {
        long size = module_info(i, name, sizeof(name));
        if (size == -E_NOENT) return 0;
        if (size >= 0 && strcmp(name, want) == 0) return i;
    }
}

static void add(struct stask *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct stask *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->text + t->len, sizeof(t->text) - t->len, fmt, ap);
    va_end(ap);
    if (n < 0 || t->len + (size_t)n >= sizeof(t->text)) fail("setup text too long", -E_RANGE);
    t->len += (size_t)n;
}

/* The name `task` gets for an endpoint on `thread` with `label`; the loader keeps its own
 * copy in *own (hierarchical lookups hand it on later). */
static long give_endpoint(struct stask *to, word_t thread, word_t label, unsigned rights, long *own)
{
    long ep = endpoint_create(thread, label);
    if (ep < 0) return ep;
    if (own) *own = ep;
    return name_give(to->task, (word_t)ep, rights);
}

static unsigned char server_stack[16384] __attribute__((aligned(16)));
static unsigned char watchdog_stack[4096] __attribute__((aligned(16)));

static volatile int ended;
static unsigned char reap_stacks[MAX_TASKS][4096] __attribute__((aligned(16)));

/* Waits for one task (arg: its index | the notification to trigger << 16) and reports how it
 * ended. */
static long reap(word_t arg)
{
    struct stask *t = &tasks[arg & 0xffff];
    struct task_exit e;
    long r = task_wait(t->task, &e);
    if (r < 0)
        printf("[scnroot] waiting for '%s': %s\n", t->name, status_text(r));
    else if (e.how == TASK_END_EXIT)
        printf("[scnroot] '%s' exited with code %lu\n", t->name, e.code);
    else
        printf("[scnroot] '%s' was killed (vector %lu, address 0x%lx, ip 0x%lx)\n", t->name, e.code,
               e.addr, e.ip);
    t->task = 0;
    __atomic_add_fetch(&ended, 1, __ATOMIC_SEQ_CST);
    notify_trigger((long)(arg >> 16), 1);
    return 0;
}

static long watchdog(word_t arg)
{
    (void)arg;
    sleep_us(DEADLINE_US);
    printf("[scnroot] deadline (%d us) reached; still running:", DEADLINE_US);
    for (int i = 0; i < ntasks; i++)
        if (!tasks[i].is_self && tasks[i].task > 0) printf(" %s", tasks[i].name);
    printf("\n");
    shutdown(0);
    return 0;
}

static void spawn(struct stask *t, long pager)
{
    unsigned module = find_module(t->name);
    if (module == 0) {
        printf("[scnroot] no boot module for task '%s' (program %s)\n", t->name, t->program);
        shutdown(3);
    }
    long r = task_spawn(module, PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
    if (r < 0) fail("task_spawn", r);
    t->task = SPAWN_TASK(r);
    t->thread = SPAWN_THREAD(r);
    if (pager > 0) {
        long p = name_give(t->task, (word_t)pager, NAME_SEND);
        if (p > 0) set_handlers(t->task, (word_t)p, 0);
    }
}

/* What the receiver sees as the label of a message through channel c. */
static word_t seen_label(const struct schannel *c)
{
    return gate_labels ? c->label : tasks[c->from].thread;
}

int main(void)
{
    read_setup();
    printf("[scnroot] scenario %s under %s: %d tasks, %d services, %d channels, %s naming\n",
           scenario, policy, ntasks, nservices, nchans, flat ? "flat" : "hierarchical");
    long pager = default_pager_start();
    long server =
        thread_start(setup_server, 0, server_stack, sizeof(server_stack), PRIO_DEFAULT + 1);
    if (server < 0) fail("starting the setup thread", server);

    /* the flat name server is infrastructure: started first, not declared */
    int ns = -1;
    if (flat && find_module("nameserv")) {
        ns = ntasks++;
        strlcpy(tasks[ns].name, "nameserv", ID_LEN);
        strlcpy(tasks[ns].program, "nameserv", ID_LEN);
        tasks[ns].infra = true;
        spawn(&tasks[ns], pager);
    }
    for (int i = 0; i < ntasks; i++)
        if (!tasks[i].is_self && !tasks[i].infra) spawn(&tasks[i], pager);

    for (int i = 0; i < ntasks; i++) {
        struct stask *t = &tasks[i];
        if (t->is_self) continue;
        long ep = give_endpoint(t, (word_t)server, 0x5c00 + (word_t)i, NAME_SEND, NULL);
        if (ep < 0) fail("the setup endpoint", ep);
        t->setup_ep = (word_t)ep;
        add(t, "self=%s;policy=%s;naming=%s;", t->name, policy, flat ? "flat" : "hierarchical");
        if (ns >= 0 && i != ns) {
            long n = give_endpoint(t, tasks[ns].thread, 0x4e00 + (word_t)i, NAME_SEND, NULL);
            if (n < 0) fail("a name for the name server", n);
            add(t, "ns=%ld;", n);
        }
    }
    for (int i = 0; i < nservices; i++) {
        struct stask *o = &tasks[services[i].owner];
        if (o->is_self) continue;
        long n = give_endpoint(o, o->thread, 0x100 + (word_t)i, NAME_FULL, NULL);
        if (n < 0) fail("a service endpoint", n);
        add(o, "svc:%s=%ld;", services[i].name, n);
        if (gate_labels) add(o, "from:%u=name:%s;", 0x100 + i, services[i].regname);
    }
    for (int i = 0; i < nchans; i++) {
        struct schannel *c = &chans[i];
        struct stask *from = &tasks[c->from];
        if (c->service < 0) continue; /* a lookup of a name nobody provides */
        struct stask *to = &tasks[services[c->service].owner];
        if (to->is_self) continue;
        if (!gate_labels || c->regname[0] == 0 || !flat) /* the label names the sender */
            add(to, "from:%lu=%s;", seen_label(c), c->name);
        if (c->regname[0]) {
            /* a lookup channel: hierarchical naming hands the gate on at lookup time */
            if (!flat) {
                long ep = endpoint_create(to->thread, c->label);
                if (ep < 0) fail("a lookup endpoint", ep);
                c->ep = ep;
            }
            continue;
        }
        if (from->is_self) continue;
        long n = give_endpoint(from, to->thread, c->label, c->give ? NAME_FULL : NAME_SEND, &c->ep);
        if (n < 0) fail("a channel endpoint", n);
        add(from, "ch:%s=%ld;", c->name, n);
    }

    thread_start(watchdog, 0, watchdog_stack, sizeof(watchdog_stack), PRIO_DEFAULT + 2);
    for (int i = 0; i < ntasks; i++) {
        struct stask *t = &tasks[i];
        if (t->is_self) continue;
        long r = task_start(t->task, t->setup_ep);
        if (r < 0) fail("task_start", r);
        printf("[scnroot] started '%s' (program %s, task %ld)%s\n", t->name, t->program, t->task,
               t->attacker ? " attacker" : "");
    }
    /* one waiter per task, so each end is reported when it happens, in any order */
    long done = notify_create(1);
    if (done < 0 || notify_bind(done) < 0) fail("the end-of-task notification", done);
    int waiting = 0;
    for (int i = 0; i < ntasks; i++) {
        if (tasks[i].is_self) continue;
        long w = thread_start(reap, (word_t)i | (word_t)done << 16, reap_stacks[i],
                              sizeof(reap_stacks[i]), PRIO_DEFAULT + 1);
        if (w < 0) fail("a waiter thread", w);
        waiting++;
    }
    while (ended < waiting)
        ipc_wait(TIMEOUT_NEVER, NULL, NULL);
    printf("[scnroot] every task ended\n");
    shutdown(0);
    return 0;
}
