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
#include "scn.h"
#include "scn_proto.h"

#define MAX_TASKS 22
#define MAX_SERVICES 32
#define MAX_CHANNELS 64
#define MAX_CLAIMS 16
#define ID_LEN 132 /* the scenario language allows 128 */
#define DEADLINE_US 1000000
/* Capabilities that arrive (a child registering a name) land here and are dropped at once. */
#define SCRATCH_SLOT 250

struct stask {
    char name[ID_LEN], program[ID_LEN];
    bool is_self, attacker, infra;
    long task;       /* kernel task name */
    word_t thread;   /* its first thread */
    word_t setup_ep; /* the name it calls for its setup, as it sees it */
    char text[SCN_SETUP_MAX];
    size_t len;
};

struct sservice {
    char name[ID_LEN], regname[ID_LEN];
    int owner;
};

struct schannel {
    char name[ID_LEN], regname[ID_LEN]; /* regname: a lookup channel */
    int from, service;                  /* service -1 for a lookup channel until resolved */
    word_t label;
    bool give;
    long ep; /* the loader's own name for the endpoint (hierarchical lookups map it on) */
};

static struct stask tasks[MAX_TASKS];
static struct sservice services[MAX_SERVICES];
static struct schannel chans[MAX_CHANNELS];
static struct {
    int task;
    char regname[ID_LEN];
} claims[MAX_CLAIMS];
static int ntasks, nservices, nchans, nclaims;
static char scenario[ID_LEN], policy[16] = "?";
static bool flat = true, capgate;
static char setup_text[8192];

static void fail(const char *what, long r)
{
    printf("[scnroot] error: %s: %s\n", what, status_text(r));
    shutdown(3);
}

/* ---- reading the setup ---- */

static int find_task(const char *name)
{
    for (int i = 0; i < ntasks; i++)
        if (strcmp(tasks[i].name, name) == 0) return i;
    return -1;
}

static int find_service(const char *name)
{
    for (int i = 0; i < nservices; i++)
        if (strcmp(services[i].name, name) == 0) return i;
    return -1;
}

static int find_regname(const char *regname)
{
    for (int i = 0; i < nservices; i++)
        if (strcmp(services[i].regname, regname) == 0) return i;
    return -1;
}

/* Splits a line into space-separated words (in place); returns the count. */
static int split(char *line, char **w, int max)
{
    int n = 0;
    for (char *p = line; *p && n < max;) {
        while (*p == ' ')
            *p++ = 0;
        if (!*p) break;
        w[n++] = p;
        while (*p && *p != ' ')
            p++;
    }
    return n;
}

static word_t number(const char *s)
{
    word_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (word_t)(*s - '0');
    return v;
}

static void copy_id(char *dst, const char *src, unsigned lno)
{
    if (strlen(src) >= ID_LEN) {
        printf("[scnroot] setup line %u: identifier '%s' too long\n", lno, src);
        shutdown(3);
    }
    strlcpy(dst, src, ID_LEN);
}

static void setup_error(unsigned lno, const char *msg, const char *arg)
{
    printf("[scnroot] setup line %u: %s%s%s\n", lno, msg, arg ? ": " : "", arg ? arg : "");
    shutdown(3);
}

static void parse_line(char *line, unsigned lno)
{
    char *w[8];
    int n = split(line, w, 8);
    if (n == 0 || w[0][0] == '#') return;
    bool give = strcmp(w[n - 1], "give") == 0;
    if (strcmp(w[0], "scenario") == 0 && n == 2) {
        copy_id(scenario, w[1], lno);
    } else if (strcmp(w[0], "policy") == 0 && n == 2) {
        if (strcmp(w[1], policy) != 0) /* the kernel's backend is the truth */
            printf("[scnroot] warning: the setup was derived for backend '%s'; this kernel runs "
                   "'%s'\n",
                   w[1], policy);
    } else if (strcmp(w[0], "naming") == 0 && n == 2) {
        flat = strcmp(w[1], "hierarchical") != 0;
    } else if (strcmp(w[0], "task") == 0 && (n == 4 || n == 5)) {
        if (ntasks == MAX_TASKS) setup_error(lno, "too many tasks", NULL);
        struct stask *t = &tasks[ntasks++];
        copy_id(t->name, w[1], lno);
        copy_id(t->program, w[2], lno);
        t->is_self = strcmp(w[3], "-") == 0; /* the declared root: the loader itself */
        t->attacker = n == 5 && strcmp(w[4], "attacker") == 0;
    } else if (strcmp(w[0], "service") == 0 && (n == 3 || n == 4)) {
        if (nservices == MAX_SERVICES) setup_error(lno, "too many services", NULL);
        struct sservice *s = &services[nservices++];
        copy_id(s->name, w[1], lno);
        s->owner = find_task(w[2]);
        if (s->owner < 0) setup_error(lno, "unknown task", w[2]);
        if (n == 4) copy_id(s->regname, w[3], lno);
    } else if ((strcmp(w[0], "channel") == 0 || strcmp(w[0], "lookup") == 0) &&
               (n == 5 || (n == 6 && give))) {
        if (nchans == MAX_CHANNELS) setup_error(lno, "too many channels", NULL);
        struct schannel *c = &chans[nchans++];
        copy_id(c->name, w[1], lno);
        c->from = find_task(w[2]);
        if (c->from < 0) setup_error(lno, "unknown task", w[2]);
        if (w[0][0] == 'c') {
            c->service = find_service(w[3]);
            if (c->service < 0) setup_error(lno, "unknown service", w[3]);
        } else {
            copy_id(c->regname, w[3], lno);
            c->service = find_regname(w[3]);
        }
        c->label = number(w[4]);
        c->give = give;
    } else if (strcmp(w[0], "claim") == 0 && n == 3) {
        if (nclaims == MAX_CLAIMS) setup_error(lno, "too many claims", NULL);
        claims[nclaims].task = find_task(w[1]);
        copy_id(claims[nclaims++].regname, w[2], lno);
    } else if (strcmp(w[0], "cap") == 0 && (n == 3 || (n == 4 && give))) {
        /* an extra gate to a service: a channel without a contract */
        if (nchans == MAX_CHANNELS) setup_error(lno, "too many channels", NULL);
        struct schannel *c = &chans[nchans++];
        snprintf(c->name, ID_LEN, "cap:%s", w[2]);
        c->from = find_task(w[1]);
        c->service = find_service(w[2]);
        if (c->from < 0 || c->service < 0) setup_error(lno, "unknown task or service", NULL);
        c->label = 0x200 + (word_t)nchans;
        c->give = give;
    } else if (strcmp(w[0], "delegate") == 0 && (n == 3 || (n == 4 && give))) {
        /* the channel's name handed on to one more task: same gate, same label */
        int ch = -1;
        for (int i = 0; i < nchans; i++)
            if (strcmp(chans[i].name, w[1]) == 0) ch = i;
        if (ch < 0 || nchans == MAX_CHANNELS) setup_error(lno, "unknown channel", w[1]);
        struct schannel *c = &chans[nchans++];
        *c = chans[ch];
        c->from = find_task(w[2]);
        if (c->from < 0) setup_error(lno, "unknown task", w[2]);
        c->give = give;
    } else if (strcmp(w[0], "end") != 0) {
        setup_error(lno, "unknown or malformed line", w[0]);
    }
}

static void read_setup(void)
{
    struct kinfo_policy kp;
    if (kinfo(KINFO_POLICY, &kp) == 0) strlcpy(policy, kp.name, sizeof(policy));
    capgate = strcmp(policy, "capgate") == 0;
    scn_use_policy(policy);
    char name[32];
    for (unsigned i = 1;; i++) {
        long size = module_info(i, name, sizeof(name));
        if (size == -E_NOENT) fail("no boot module named 'setup'", size);
        if (size < 0 || strcmp(name, "setup") != 0) continue;
        if ((size_t)size >= sizeof(setup_text)) fail("the setup module is too large", -E_RANGE);
        long got = sys_module_read(i, (word_t)setup_text, (word_t)size, 0, 0);
        if (got != size) fail("reading the setup module", got < 0 ? got : -E_RANGE);
        setup_text[size] = 0;
        break;
    }
    unsigned lno = 1;
    for (char *p = setup_text; *p; lno++) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        parse_line(p, lno);
        if (!nl) break;
        p = nl + 1;
    }
}

/* ---- starting the tasks ---- */

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

static long setup_server(word_t arg);
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
    printf("[scnroot] deadline (%u us) reached; still running:", DEADLINE_US);
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
    return capgate ? c->label : tasks[c->from].thread;
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
        if (capgate) add(o, "from:%u=name:%s;", 0x100 + i, services[i].regname);
    }
    for (int i = 0; i < nchans; i++) {
        struct schannel *c = &chans[i];
        struct stask *from = &tasks[c->from];
        if (c->service < 0) continue; /* a lookup of a name nobody provides */
        struct stask *to = &tasks[services[c->service].owner];
        if (to->is_self) continue;
        if (!capgate || c->regname[0] == 0 || !flat) /* none: the label names the sender */
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

/* ---- the setup and parent name service thread ---- */

/* Which task sent a message that arrived with `label`. */
static int caller_of(word_t label)
{
    for (int i = 0; i < ntasks; i++) {
        if (tasks[i].is_self) continue;
        if (capgate ? label == 0x5c00 + (word_t)i : label == tasks[i].thread) return i;
    }
    return -1;
}

static word_t reply_setup(const struct stask *t)
{
    struct utcb *u = utcb();
    word_t off = u->mr[0];
    if (off > t->len) off = t->len;
    size_t n = t->len - off, max = (UTCB_MRS - 1) * sizeof(word_t);
    if (n > max) n = max;
    u->mr[0] = t->len;
    memcpy(&u->mr[1], t->text + off, n);
    return MSGTAG(0, 1 + (n + sizeof(word_t) - 1) / sizeof(word_t), 0, 0);
}

/* A name string in mr[0..3], checked for termination. */
static const char *ns_string(word_t tag)
{
    static char name[NS_NAME_MAX + 1];
    if (MSGTAG_WORDS(tag) < (NS_NAME_MAX + 1) / sizeof(word_t)) return NULL;
    memcpy(name, utcb()->mr, sizeof(name));
    return strnlen(name, sizeof(name)) < sizeof(name) ? name : NULL;
}

static word_t status_reply(long s)
{
    utcb()->mr[0] = (word_t)s;
    return MSGTAG(0, 1, 0, 0);
}

/*
 * Hierarchical naming: the parent answers its children from the declaration alone. A child
 * sees the names its declared lookup channels use, nothing else; registrations are refused,
 * since the parent registers each name for the task it started.
 */
static word_t parent_ns(int who, word_t tag)
{
    struct utcb *u = utcb();
    if (MSGTAG_LABEL(tag) == NS_REGISTER) {
        const char *name = ns_string(tag);
        printf("[scnroot] refused '%s' registering '%s': the parent registers names\n",
               tasks[who].name, name ? name : "?");
        return status_reply(-E_PERM);
    }
    if (MSGTAG_LABEL(tag) == NS_LIST) {
        char list[(UTCB_MRS - 1) * sizeof(word_t)] = {0};
        size_t len = 0;
        long count = 0;
        for (int i = 0; i < nchans; i++) {
            const struct schannel *c = &chans[i];
            size_t n = strlen(c->regname);
            if (c->from != who || n == 0 || len + n + 2 > sizeof(list)) continue;
            if (len) list[len++] = ',';
            memcpy(list + len, c->regname, n);
            len += n;
            count++;
        }
        u->mr[0] = (word_t)count;
        memcpy(&u->mr[1], list, len + 1);
        return MSGTAG(0, 1 + (len + sizeof(word_t)) / sizeof(word_t), 0, 0);
    }
    if (MSGTAG_LABEL(tag) == NS_LOOKUP) {
        const char *name = ns_string(tag);
        if (!name) return status_reply(-E_INVAL);
        for (int i = 0; i < nchans; i++) {
            const struct schannel *c = &chans[i];
            if (c->from != who || strcmp(c->regname, name) != 0 || c->ep <= 0) continue;
            u->mr[0] = 0;
            unsigned w, it;
            scn_put_name(1, (word_t)c->ep, c->give, &w, &it);
            return MSGTAG(0, w, it, 0);
        }
        return status_reply(-E_NOENT);
    }
    return status_reply(-E_INVAL);
}

static word_t serve_one(word_t tag, word_t label)
{
    if (capgate && MSGTAG_ITEMS(tag)) name_drop(SCRATCH_SLOT);
    int who = caller_of(label);
    if (who < 0) return status_reply(-E_PERM);
    if (MSGTAG_LABEL(tag) == SCN_SETUP_GET && MSGTAG_WORDS(tag) >= 1)
        return reply_setup(&tasks[who]);
    if (!flat) return parent_ns(who, tag);
    return status_reply(-E_INVAL);
}

static long setup_server(word_t arg)
{
    (void)arg;
    if (capgate) utcb()->br[BR_OBJ_WINDOW] = FPAGE((word_t)SCRATCH_SLOT << 12, 0, FPAGE_RWX);
    while (true)
        scn_serve(TIMEOUT_NEVER, serve_one);
    return 0;
}
