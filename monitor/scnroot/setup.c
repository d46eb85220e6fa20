/* SPDX-License-Identifier: MIT */
/* The scenario loader's setup: the boot module "setup" (`ipcan setup` output), parsed and
 * checked line by line. */
#include "scnroot.h"

struct stask tasks[MAX_TASKS];
struct sservice services[MAX_SERVICES];
struct schannel chans[MAX_CHANNELS];
struct sforward forwards[MAX_FORWARDS];
int ntasks, nservices, nchans, nforwards;
char scenario[ID_LEN], policy[16] = "?";
bool flat = true, gate_labels, port_labels, local_names, monitored;
unsigned long run_us = DEADLINE_US;
struct sallow allows[MAX_CHANNELS];
int nallows;
static char setup_text[8192];

void fail(const char *what, long r)
{
    printf("[scnroot] error: %s: %s\n", what, status_text(r));
    shutdown(3);
    __builtin_unreachable();
}

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

/* A bad setup stops the run: the image was not built from a valid declaration. */
__attribute__((noreturn)) static void setup_error(unsigned lno, const char *msg, const char *arg)
{
    printf("[scnroot] setup line %u: %s%s%s\n", lno, msg, arg ? ": " : "", arg ? arg : "");
    shutdown(3);
    __builtin_unreachable();
}

static void copy_id(char *dst, const char *src, unsigned lno)
{
    if (strlen(src) >= ID_LEN) setup_error(lno, "identifier too long", src);
    strlcpy(dst, src, ID_LEN);
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
    } else if (strcmp(w[0], "run_us") == 0 && n == 2) { /* the declared `run` length */
        run_us = number(w[1]);
        if (run_us < RUN_US_MIN || run_us > RUN_US_MAX)
            setup_error(lno, "run length out of range", w[1]);
    } else if (strcmp(w[0], "task") == 0 && n >= 4 && n <= 8) {
        if (ntasks == MAX_TASKS) setup_error(lno, "too many tasks", NULL);
        struct stask *t = &tasks[ntasks++];
        copy_id(t->name, w[1], lno);
        copy_id(t->program, w[2], lno);
        t->is_self = strcmp(w[3], "-") == 0; /* the declared root: the loader itself */
        copy_id(t->parent_name, w[3], lno);
        t->parent = -1;
        t->monitor = -1;
        for (int k = 4; k < n; k++) {
            if (strcmp(w[k], "attacker") == 0)
                t->attacker = true;
            else if (strcmp(w[k], "unlimited") == 0)
                t->unlimited = true;
            else if (strcmp(w[k], "monitor") == 0 && k + 1 < n)
                copy_id(t->monitor_name, w[++k], lno); /* resolved with the parents */
            else
                setup_error(lno, "unknown task attribute", w[k]);
        }
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
        /* a claim is the claimant's own doing (it registers at run time); nothing to set up */
        if (find_task(w[1]) < 0) setup_error(lno, "unknown task", w[1]);
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
    } else if (strcmp(w[0], "allow") == 0 && n >= 3 && n <= 6) {
        /* refmon: one more rule for the reference monitor (monitor.c), `map` to map it on,
         * `for MS` to have the monitor revoke it that long after its first grant */
        if (nallows == MAX_CHANNELS) setup_error(lno, "too many allow lines", NULL);
        struct sallow *a = &allows[nallows++];
        a->from = find_task(w[1]);
        a->to = find_task(w[2]);
        if (a->from < 0 || a->to < 0) setup_error(lno, "unknown task", NULL);
        for (int k = 3; k < n; k++) {
            if (strcmp(w[k], "map") == 0) {
                a->map = true;
            } else if (strcmp(w[k], "for") == 0 && k + 1 < n) {
                word_t ms = number(w[++k]);
                if (ms < 1 || ms > 0xffff) setup_error(lno, "a lifetime is 1..65535 ms", w[k]);
                a->life = (unsigned)ms;
            } else {
                setup_error(lno, "unknown allow attribute", w[k]);
            }
        }
    } else if (strcmp(w[0], "forward") == 0 && n == 4) {
        /* a chief's rule (clans): CHIEF forwards SRC -> DST (* for any) */
        if (nforwards == MAX_FORWARDS) setup_error(lno, "too many forward rules", NULL);
        struct sforward *f = &forwards[nforwards++];
        f->chief = find_task(w[1]);
        f->src = strcmp(w[2], "*") == 0 ? -1 : find_task(w[2]);
        f->dst = strcmp(w[3], "*") == 0 ? -1 : find_task(w[3]);
        if (f->chief < 0 || (f->src < 0 && w[2][0] != '*') || (f->dst < 0 && w[3][0] != '*'))
            setup_error(lno, "unknown task in a forward rule", NULL);
    } else if (strcmp(w[0], "end") != 0) {
        setup_error(lno, "unknown or malformed line", w[0]);
    }
}

/* The declared parent of each task; the declared root is the loader itself, so its children
 * have none (-1). Counts each task's descendants (its task quota). A cycle or an unknown parent
 * stops the run. */
static void resolve_parents(void)
{
    for (int i = 0; i < ntasks; i++) {
        struct stask *t = &tasks[i];
        if (t->is_self) continue;
        int p = find_task(t->parent_name);
        if (p < 0) setup_error(0, "unknown parent", t->parent_name);
        t->parent = tasks[p].is_self ? -1 : p;
        if (t->monitor_name[0]) {
            t->monitor = find_task(t->monitor_name);
            if (t->monitor < 0) setup_error(0, "unknown monitor", t->monitor_name);
            tasks[t->monitor].is_monitor = true;
        }
    }
    for (int i = 0; i < ntasks; i++) {
        int depth = 0;
        for (int p = tasks[i].parent; p >= 0; p = tasks[p].parent) {
            if (++depth > ntasks) setup_error(0, "a cycle of parents at", tasks[i].name);
            tasks[p].ndesc++;
        }
    }
}

void read_setup(void)
{
    const struct backend_desc *be = scn_backend();
    strlcpy(policy, be->name, sizeof(policy));
    gate_labels = be->label == BACKEND_LABEL_GATE;
    port_labels = be->label == BACKEND_LABEL_PORT;
    local_names = be->names == BACKEND_NAMES_LOCAL;
    /* global names that a monitor can both redirect and revoke: refmon's row */
    monitored = be->names == BACKEND_NAMES_GLOBAL && be->redirects && be->revocable;
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
    resolve_parents();
}
