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

/* The declared parent of t that is not the loader itself, or NULL. */
static struct stask *parent_of(const struct stask *t)
{
    return t->parent >= 0 ? &tasks[t->parent] : NULL;
}

/* Where names from parents' replies land (task-local names): a range of the loader's own
 * space that nothing else fills (capabilities it creates take the lowest free slots). */
static word_t recv_slot = 200;

/* One request to parent p's runtime about one of its children (scn_proto.h): a0, a1 in
 * mr[0..1], `name` (if >= 0) as a give-able name after them. Returns the reply's mr[0]; a name
 * in the reply lands in *got. */
static long ask_parent(struct stask *p, word_t op, word_t a0, word_t a1, long name, long *got)
{
    struct utcb *u = utcb();
    u->mr[0] = a0;
    u->mr[1] = a1;
    unsigned w = 2, it = 0;
    if (name >= 0) scn_put_name(2, (word_t)name, true, &w, &it);
    if (got && local_names) u->br[BR_OBJ_WINDOW] = FPAGE(recv_slot << 12, 0, FPAGE_RWX);
    word_t tag;
    long r =
        ipc_call((word_t)p->requests, MSGTAG(op, w, it, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, 0);
    if (r < 0) return r;
    if (MSGTAG_WORDS(tag) < 1) return -E_INVAL;
    long result = (long)u->mr[0];
    if (got && result >= 0) {
        *got = scn_got_name(tag);
        if (*got < 0) return *got;
        if (local_names) recv_slot++;
    }
    return result;
}

/* The kernel operations on a task that only its creator may do: the loader's own for its
 * children, asked of the declared parent for the others. */
static long give_name(struct stask *t, long name, unsigned rights)
{
    struct stask *p = parent_of(t);
    if (p == NULL) return name_give(t->task, (word_t)name, rights);
    return ask_parent(p, SCN_OP_GIVE, (word_t)t->task, rights, name, NULL);
}

static long start_task(struct stask *t, word_t arg)
{
    struct stask *p = parent_of(t);
    if (p == NULL) return task_start(t->task, arg);
    return ask_parent(p, SCN_OP_START, (word_t)t->task, arg, -1, NULL);
}

/* The name `task` gets for an endpoint on `thread` with `label`; the loader keeps its own
 * copy in *own (hierarchical lookups hand it on later). */
static long give_endpoint(struct stask *to, word_t thread, word_t label, unsigned rights, long *own)
{
    long ep = endpoint_create(thread, label);
    if (ep < 0) return ep;
    if (own) *own = ep;
    return give_name(to, ep, rights);
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
    sleep_us(run_us);
    printf("[scnroot] deadline (%lu us) reached; still running:", run_us);
    for (int i = 0; i < ntasks; i++)
        if (!tasks[i].is_self && tasks[i].task > 0) printf(" %s", tasks[i].name);
    printf("\n");
    shutdown(0);
    return 0;
}

/*
 * Creates task t suspended where the declaration says: the loader itself for the declared
 * root's children, otherwise the declared parent (already started, serving requests). Each
 * gets a task quota of its declared descendants (leaves: 0), the pager, and the name of the
 * setup server (main's argument). A declared parent is started at once, to serve requests on
 * its children (SCN_ARG_PARENT); the others start when every name is in place.
 */
static void spawn(struct stask *t, long pager, long monitor, long server)
{
    unsigned module = find_module(t->name);
    if (module == 0) {
        printf("[scnroot] no boot module for task '%s' (program %s)\n", t->name, t->program);
        shutdown(3);
    }
    struct stask *p = parent_of(t);
    if (p == NULL) {
        long r = task_spawn(module, PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
        if (r < 0) fail("task_spawn", r);
        t->task = SPAWN_TASK(r);
        t->thread = SPAWN_THREAD(r);
        r = task_quota(t->task, QUOTA_TASKS, (word_t)t->ndesc);
        if (r < 0) fail("task_quota", r);
        if (t->unlimited) { /* no message quota: as much as the whole pool */
            struct kinfo_pools pools;
            r = kinfo(KINFO_POOLS, &pools);
            if (r >= 0) r = task_quota(t->task, QUOTA_MSGS, pools.messages.capacity);
            if (r < 0) fail("lifting the message quota", r);
        }
    } else {
        long thread = 0;
        long r = ask_parent(p, SCN_OP_SPAWN, module, (word_t)t->ndesc, -1, &thread);
        if (r < 0) fail("a parent starting its child", r);
        t->task = r;
        t->thread = (word_t)thread;
    }
    /* its reference monitor: the declared one, the scenario's, or (a monitor) the pager */
    if (monitored && t->monitor >= 0) monitor = (long)tasks[t->monitor].thread;
    if (t->is_monitor) monitor = pager;
    if (pager > 0) {
        long pg = give_name(t, pager, NAME_SEND);
        if (pg > 0) {
            long r = p ? ask_parent(p, SCN_OP_HANDLERS, (word_t)t->task, (word_t)pg, monitor, NULL)
                       : set_handlers_monitor(t->task, (word_t)pg, 0, monitor > 0 ? monitor : 0);
            if (r < 0) fail("the pager", r);
        }
    }
    long ep =
        give_endpoint(t, (word_t)server, 0x5c00 + (word_t)(t - tasks), NAME_SEND, &t->setup_own);
    if (ep < 0) fail("the setup endpoint", ep);
    t->setup_ep = (word_t)ep;
    if (t->is_monitor) { /* a declared monitor serves from now on; only the loader asks it */
        long r = start_task(t, self_thread());
        if (r < 0) fail("starting a declared monitor", r);
        printf("[scnroot] monitor '%s' is thread %lu (task %ld)\n", t->name, t->thread, t->task);
        return;
    }
    if (t->ndesc == 0) return;
    t->requests = endpoint_create(t->thread, SCN_PARENT_LABEL);
    if (t->requests < 0) fail("an endpoint for a parent's requests", t->requests);
    long r = start_task(t, t->setup_ep | SCN_ARG_PARENT);
    if (r < 0) fail("starting a parent", r);
}

/* Lets the setup server answer (it waits for this message). */
static void open_setup(long go)
{
    long r = ipc_send((word_t)go, MSGTAG(0, 0, 0, 0), TIMEOUT_NEVER);
    if (r < 0) fail("opening the setup server", r);
}

/* A task's first thread as every task names it (global names; the loader: its own). */
static word_t thread_of(int i)
{
    return tasks[i].is_self ? self_thread() : tasks[i].thread;
}

/* What the receiver sees as the label of a message through channel c. */
static word_t seen_label(const struct schannel *c)
{
    return gate_labels ? c->label : port_labels ? (word_t)c->ep : tasks[c->from].thread;
}

int main(void)
{
    read_setup();
    monitor_check_declared();
    printf("[scnroot] scenario %s under %s: %d tasks, %d services, %d channels, %s naming\n",
           scenario, policy, ntasks, nservices, nchans, flat ? "flat" : "hierarchical");
    long pager = default_pager_start();
    /* the setup server answers nobody before every task exists and every name is in place */
    long server = thread_start(setup_server, self_thread(), server_stack, sizeof(server_stack),
                               PRIO_DEFAULT + 1);
    if (server < 0) fail("starting the setup thread", server);
    long go = endpoint_create((word_t)server, 0x5cff);
    if (go < 0) fail("the setup thread's endpoint", go);
    /* backends that fault sends to a monitor: the reference monitor, if the image has one
     * (monitor.c); else the default pager answers as a permissive one */
    long monitor = monitored ? monitor_start(pager) : -1;

    /* the flat name server is infrastructure: started first, not declared */
    int ns = -1;
    if (flat && find_module("nameserv")) {
        ns = ntasks++;
        strlcpy(tasks[ns].name, "nameserv", ID_LEN);
        strlcpy(tasks[ns].program, "nameserv", ID_LEN);
        tasks[ns].infra = true;
        tasks[ns].parent = -1;
        tasks[ns].monitor = -1;
        spawn(&tasks[ns], pager, monitor, server);
    }
    /* the declared creation tree, parents first */
    for (bool more = true; more;) {
        more = false;
        for (int i = 0; i < ntasks; i++) {
            struct stask *t = &tasks[i], *p = parent_of(t);
            if (t->is_self || t->infra || t->task) continue;
            if ((p && !p->task) || (t->monitor >= 0 && !tasks[t->monitor].task)) {
                more = true;
                continue;
            }
            spawn(t, pager, monitor, server);
        }
    }

    for (int i = 0; i < ntasks; i++) {
        struct stask *t = &tasks[i];
        if (t->is_self) continue;
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
        long n = give_endpoint(o, o->thread, 0x100 + (word_t)i, NAME_FULL, &services[i].ep);
        if (n < 0) fail("a service endpoint", n);
        add(o, "svc:%s=%ld;", services[i].name, n);
        if (services[i].regname[0]) add(o, "reg:%s=%s;", services[i].name, services[i].regname);
        if (gate_labels) add(o, "from:%u=name:%s;", 0x100 + i, services[i].regname);
        /* ports: every channel to the service arrives with its port's label; hierarchical
         * naming says which channel below, flat naming only which name */
        if (port_labels && flat) add(o, "from:%ld=name:%s;", services[i].ep, services[i].regname);
    }
    for (int i = 0; i < nchans; i++) {
        struct schannel *c = &chans[i];
        struct stask *from = &tasks[c->from];
        if (c->regname[0] && !from->is_self) add(from, "lk:%s=%s;", c->name, c->regname);
        if (c->service < 0) continue; /* a lookup of a name nobody provides */
        struct stask *to = &tasks[services[c->service].owner];
        if (to->is_self) continue;
        /* the label names the sender; a port's is known once the loader has made it */
        bool say_from = !(gate_labels || port_labels) || c->regname[0] == 0 || !flat;
        if (say_from && !port_labels) add(to, "from:%lu=%s;", seen_label(c), c->name);
        if (c->regname[0]) {
            /* a lookup channel: hierarchical naming hands the gate on at lookup time */
            if (!flat) {
                /* ports: every client of a service sends to its one port */
                long ep =
                    port_labels ? services[c->service].ep : endpoint_create(to->thread, c->label);
                if (ep < 0) fail("a lookup endpoint", ep);
                c->ep = ep;
            }
            if (say_from && port_labels) add(to, "from:%lu=%s;", seen_label(c), c->name);
            continue;
        }
        if (from->is_self) continue;
        long n;
        if (port_labels) { /* a send right to the service's one port (Mach's service port) */
            c->ep = services[c->service].ep;
            n = give_name(from, c->ep, c->give ? NAME_FULL : NAME_SEND);
        } else {
            n = give_endpoint(from, to->thread, c->label, c->give ? NAME_FULL : NAME_SEND, &c->ep);
        }
        if (n < 0) fail("a channel endpoint", n);
        if (say_from && port_labels) add(to, "from:%lu=%s;", seen_label(c), c->name);
        add(from, "ch:%s=%ld;", c->name, n);
    }

    if (monitor > 0 && monitor != pager) monitor_rules(monitor, -1, (word_t)server, ns);
    for (int i = 0; i < ntasks && monitored; i++)
        if (tasks[i].is_monitor) monitor_rules((long)tasks[i].thread, i, (word_t)server, ns);
    /* each chief's rules (clans), as thread names: "chief=src>dst,...;" (0: any) */
    for (int i = 0; i < ntasks; i++) {
        struct stask *t = &tasks[i];
        bool first = true;
        for (int k = 0; k < nforwards && !t->is_self; k++) {
            const struct sforward *f = &forwards[k];
            if (f->chief != i) continue;
            add(t, "%s%lu>%lu", first ? "chief=" : ",", f->src < 0 ? 0 : thread_of(f->src),
                f->dst < 0 ? 0 : thread_of(f->dst));
            first = false;
        }
        if (!first) add(t, ";");
    }

    thread_start(watchdog, 0, watchdog_stack, sizeof(watchdog_stack), PRIO_DEFAULT + 2);
    /* Where IPC is redirected, a starting leaf's setup request passes its chiefs, which must
     * not hold it while the loader still needs them for its requests: every name is in place,
     * so the setup server opens before the tasks start. */
    bool redirects = scn_backend()->redirects && endpoint_bind(ENDPOINT_REDIRECTS, 0) == 0;
    if (redirects) open_setup(go);
    /* the leaves start; then each parent ends its requests and goes on with its own setup */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < ntasks; i++) {
            struct stask *t = &tasks[i];
            if (t->is_self || t->is_monitor || (t->ndesc > 0) != (pass == 1)) continue;
            word_t tag;
            long r = pass == 0 ? start_task(t, t->setup_ep)
                               : ipc_call((word_t)t->requests, MSGTAG(SCN_OP_DONE, 0, 0, 0),
                                          TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, 0);
            if (r < 0) fail("task_start", r);
            printf("[scnroot] started '%s' (program %s, task %ld, by %s)%s\n", t->name, t->program,
                   t->task, parent_of(t) ? parent_of(t)->name : "the loader",
                   t->attacker ? " attacker" : "");
        }
    }
    if (!redirects) open_setup(go);
    /* one waiter per task, so each end is reported when it happens, in any order */
    long done = notify_create(1);
    if (done < 0 || notify_bind(done) < 0) fail("the end-of-task notification", done);
    int waiting = 0;
    for (int i = 0; i < ntasks; i++) {
        /* parents reap their own; a declared monitor serves until the end */
        if (tasks[i].is_self || tasks[i].is_monitor || parent_of(&tasks[i])) continue;
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
