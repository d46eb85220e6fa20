/* SPDX-License-Identifier: MIT */
/* The scenario runtime (scn.h): a task's setup from the loader, names in messages, serving. */
#include "chief.h"
#include "ipc_stream.h"
#include "nameserv_idl.h"
#include "scn.h"
#include "scn_proto.h"

/* The setup text the loader sent: "key=value;" pairs (scn_proto.h). */
static char setup[SCN_SETUP_MAX + 1];
static char self_name[32] = "?";
static struct backend_desc backend;
static bool objects, flat = true; /* objects: names travel as typed items (task-local names) */
static word_t loader;

/* The value of `key` in the setup (copied into buf), or NULL. */
static const char *setup_get(const char *key, char *buf, size_t len)
{
    size_t klen = strlen(key);
    for (const char *p = setup; *p;) {
        const char *end = strchr(p, ';');
        if (!end) end = p + strlen(p);
        if ((size_t)(end - p) > klen && memcmp(p, key, klen) == 0 && p[klen] == '=') {
            size_t n = (size_t)(end - p) - klen - 1;
            if (n >= len) n = len - 1;
            memcpy(buf, p + klen + 1, n);
            buf[n] = 0;
            return buf;
        }
        p = *end ? end + 1 : end;
    }
    return NULL;
}

/* The first occurrence of `needle` in `s`, or NULL. */
static const char *strstr_at(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (strncmp(s, needle, n) == 0) return s;
    return NULL;
}

static long setup_number(const char *prefix, const char *id)
{
    char key[64], val[24];
    snprintf(key, sizeof(key), "%s%s", prefix, id);
    if (!setup_get(key, val, sizeof(val))) return -E_NOENT;
    long v = 0;
    for (const char *p = val; *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (*p - '0');
    return v;
}

/* The children this task's runtime spawned for the loader (SCN_OP_SPAWN), by task name. */
static long children[SCN_MAX_CHILDREN];
static char child_names[SCN_MAX_CHILDREN][32];
static unsigned nchildren;

static bool is_child(long task)
{
    for (unsigned i = 0; i < nchildren; i++)
        if (children[i] == task) return true;
    return false;
}

/* One request of the loader on this task's children; returns the reply tag. */
static word_t parent_op(word_t tag)
{
    struct utcb *u = utcb();
    long child = (long)u->mr[0], r;
    word_t op = MSGTAG_LABEL(tag);
    if (op == SCN_OP_SPAWN) {
        if (nchildren == SCN_MAX_CHILDREN) return ns_status_reply(-E_NOMEM);
        unsigned module = (unsigned)u->mr[0];
        word_t quota = u->mr[1];
        r = task_spawn(module, PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
        if (r < 0) return ns_status_reply(r);
        long task = SPAWN_TASK(r);
        long q = task_quota(task, QUOTA_TASKS, quota);
        if (q < 0) {
            task_kill(task, 0);
            return ns_status_reply(q);
        }
        if (module_info(module, child_names[nchildren], sizeof(child_names[0])) < 0)
            strlcpy(child_names[nchildren], "?", sizeof(child_names[0]));
        children[nchildren++] = task;
        u->mr[0] = (word_t)task;
        unsigned w, it;
        scn_put_name(1, SPAWN_THREAD(r), true, &w, &it);
        return MSGTAG(0, w, it, 0);
    }
    if (!is_child(child)) return ns_status_reply(-E_CHILD);
    if (op == SCN_OP_GIVE) {
        long name = scn_got_name(tag);
        if (name < 0) return ns_status_reply(name);
        return ns_status_reply(name_give(child, (word_t)name, (unsigned)u->mr[1]));
    }
    if (op == SCN_OP_HANDLERS) { /* with a reference monitor after the pager, if the loader says */
        long mon = MSGTAG_WORDS(tag) + MSGTAG_ITEMS(tag) > 2 ? scn_got_name(tag) : 0;
        return ns_status_reply(set_handlers_monitor(child, u->mr[1], 0, mon > 0 ? (word_t)mon : 0));
    }
    if (op == SCN_OP_START) return ns_status_reply(task_start(child, u->mr[1]));
    return ns_status_reply(-E_INVAL);
}

static bool chief_running;
static struct chief_table chief_table;

/* At exit, a parent waits for the children it started, so that its end is its subtree's; a
 * chief then reports what it decided. */
static long reap_children(long code)
{
    for (unsigned i = 0; i < nchildren; i++) {
        struct task_exit e;
        long r = task_wait(children[i], &e);
        if (r < 0)
            printf("[%s] waiting for '%s': %s\n", self_name, child_names[i], status_text(r));
        else if (e.how == TASK_END_EXIT)
            printf("[%s] '%s' exited with code %lu\n", self_name, child_names[i], e.code);
        else
            printf("[%s] '%s' was killed (vector %lu, address 0x%lx, ip 0x%lx)\n", self_name,
                   child_names[i], e.code, e.addr, e.ip);
    }
    if (chief_running)
        printf("[chief %s] %lu forwarded, %lu dropped, %lu answered\n", chief_table.who,
               chief_counts[CHIEF_FORWARDED], chief_counts[CHIEF_DROPPED],
               chief_counts[CHIEF_ANSWERED]);
    return code;
}

/*
 * Under a backend that redirects (clans), a declared parent is its children's chief: a chief
 * thread (chief.h) receives the IPC the kernel redirects to the task and forwards what the rule
 * table allows. Before the parent's setup arrives it knows only the loader (its setup server,
 * and the thread whose requests it serves: its children must reach both while they start);
 * the setup then adds the rules derived from the declared channels ("chief=") and the name
 * server.
 */
static char chief_stack[16384] __attribute__((aligned(16)));

static void chief_add_infra(word_t name)
{
    for (unsigned i = 0; i < chief_table.ninfra; i++)
        if (chief_table.infra[i] == name) return;
    if (chief_table.ninfra < CHIEF_MAX_INFRA) chief_table.infra[chief_table.ninfra++] = name;
}

static long chief_start(word_t setup_server)
{
    chief_add_infra(setup_server);
    snprintf(chief_table.who, sizeof(chief_table.who), "task %u", self_task());
    long th = thread_start(chief_serve, (word_t)&chief_table, chief_stack, sizeof(chief_stack),
                           PRIO_DEFAULT);
    if (th < 0) return report_error("scn_init: starting the chief thread", th);
    long r = endpoint_bind(ENDPOINT_REDIRECTS, (word_t)th);
    if (r < 0) return report_error("scn_init: binding the chief thread", r);
    chief_running = true;
    return 0;
}

/* The parent's setup arrived: the chief's rules are complete. */
static void chief_ready(void)
{
    if (!chief_running) return;
    strlcpy(chief_table.who, self_name, sizeof(chief_table.who));
    char rules[SCN_SETUP_MAX];
    long r = chief_table_parse(&chief_table, setup_get("chief", rules, sizeof(rules)), NULL);
    if (r < 0) report_error("scn_init: the chief's rules", r);
    long ns = setup_number("", "ns");
    if (ns > 0) chief_add_infra((word_t)ns);
    chief_table.ready = true;
}

/* A declared parent starts its own children: it serves the loader's requests on them until
 * SCN_OP_DONE (scn_proto.h). Only the loader's name for this thread carries SCN_PARENT_LABEL
 * where labels are gate labels; where a label is the sender's id it cannot be checked here,
 * and nothing but the loader runs before the requests end. */
static long serve_parent(void)
{
    bool gate = scn_backend()->label == BACKEND_LABEL_GATE;
    word_t tag, label;
    scn_accept_names();
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    while (r == 0) {
        if (gate && label != SCN_PARENT_LABEL) {
            r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
            continue;
        }
        if (chief_running) chief_add_infra(label); /* the loader's requesting thread */
        if (MSGTAG_LABEL(tag) == SCN_OP_DONE) {
            ulib_at_exit(reap_children);
            return ipc_reply(ns_status_reply(0));
        }
        word_t reply = parent_op(tag);
        scn_accept_names();
        r = ipc_reply_wait(reply, TIMEOUT_NEVER, &tag, &label);
    }
    return report_error("scn_init: the loader's requests as a parent", r);
}

long scn_init(word_t arg)
{
    scn_backend();
    if (arg & SCN_ARG_PARENT) {
        /* chiefs only where redirected IPC goes to a task's own thread (not a monitor's) */
        bool chiefs = scn_backend()->redirects && endpoint_bind(ENDPOINT_REDIRECTS, 0) == 0;
        long r = chiefs ? chief_start(arg & ~SCN_ARG_PARENT) : 0;
        if (r == 0) r = serve_parent();
        if (r < 0) return r;
        arg &= ~SCN_ARG_PARENT;
    }
    loader = arg;
    size_t have = 0, total = 1;
    while (have < total) {
        utcb()->mr[0] = have;
        word_t tag;
        long r =
            ipc_call(loader, MSGTAG(SCN_SETUP_GET, 1, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER, &tag, 0);
        if (r < 0) return report_error("scn_init: asking the loader", r);
        if (MSGTAG_LABEL(tag) != 0 || MSGTAG_WORDS(tag) < 1) return -E_INVAL;
        if ((long)utcb()->mr[0] < 0) /* the loader refused: not one of its tasks */
            return report_error("scn_init: the loader refused", (long)utcb()->mr[0]);
        total = utcb()->mr[0];
        size_t n = (MSGTAG_WORDS(tag) - 1) * sizeof(word_t);
        if (total > SCN_SETUP_MAX) total = SCN_SETUP_MAX;
        if (n > total - have) n = total - have;
        if (n == 0) break;
        memcpy(setup + have, &utcb()->mr[1], n);
        have += n;
    }
    setup[have] = 0;
    setup_get("self", self_name, sizeof(self_name));
    char naming[16];
    flat = !setup_get("naming", naming, sizeof(naming)) || strcmp(naming, "flat") == 0;
    chief_ready();
    return 0;
}

const struct backend_desc *scn_backend(void)
{
    if (backend.names == 0) {
        long r = kinfo(KINFO_POLICY, &backend);
        if (r < 0 || backend.names == 0) {
            report_error("scn_backend: kinfo(KINFO_POLICY)", r < 0 ? r : -E_INVAL);
            sys_task_exit(3, 0, 0, 0, 0);
        }
        objects = backend.names == BACKEND_NAMES_LOCAL;
        ipc_stream_names_global(!objects); /* how generated stubs pass a `cap` (as scn_put_name) */
    }
    return &backend;
}

const char *scn_self(void)
{
    return self_name;
}
const char *scn_policy(void)
{
    return scn_backend()->name;
}
bool scn_naming_flat(void)
{
    return flat;
}

long scn_channel(const char *ch)
{
    return setup_number("ch:", ch);
}

const char *scn_channel_at(unsigned i)
{
    static char name[64];
    for (const char *p = setup; (p = strstr_at(p, ";ch:")) != NULL; p++) {
        if (i-- > 0) continue;
        const char *s = p + 4, *eq = strchr(s, '=');
        size_t n = eq && (size_t)(eq - s) < sizeof(name) ? (size_t)(eq - s) : 0;
        memcpy(name, s, n);
        name[n] = 0;
        return n ? name : NULL;
    }
    return NULL;
}

/* The i-th "PREFIX KEY=VALUE;" item of the setup: KEY into key, VALUE into val. */
static bool setup_item_at(const char *prefix, unsigned i, char *key, size_t klen, char *val,
                          size_t vlen)
{
    char pat[16];
    snprintf(pat, sizeof(pat), ";%s", prefix);
    for (const char *p = setup; (p = strstr_at(p, pat)) != NULL; p++) {
        if (i-- > 0) continue;
        const char *s = p + strlen(pat), *eq = strchr(s, '='), *end = eq ? strchr(eq, ';') : NULL;
        if (!end || (size_t)(eq - s) >= klen || (size_t)(end - eq - 1) >= vlen) return false;
        memcpy(key, s, (size_t)(eq - s));
        key[eq - s] = 0;
        memcpy(val, eq + 1, (size_t)(end - eq - 1));
        val[end - eq - 1] = 0;
        return true;
    }
    return false;
}

bool scn_lookup_at(unsigned i, char *regname, size_t len)
{
    char ch[64];
    return setup_item_at("lk:", i, ch, sizeof(ch), regname, len);
}

bool scn_regname_at(unsigned i, char *svc, size_t slen, char *regname, size_t rlen)
{
    return setup_item_at("reg:", i, svc, slen, regname, rlen);
}

long scn_service(const char *svc)
{
    return setup_number("svc:", svc);
}

const char *scn_sender(word_t label)
{
    static char chan[64];
    char key[32];
    snprintf(key, sizeof(key), "from:%lu", label);
    return setup_get(key, chan, sizeof(chan));
}

long scn_ns(void)
{
    long ns = setup_number("", "ns");
    return ns < 0 ? (long)loader : ns; /* hierarchical: the parent answers */
}

unsigned long scn_work(uint32_t us)
{
    static volatile word_t acc; /* the work is kept, so it cannot be optimised away */
    unsigned long t0 = clock_us(), rounds = 0;
    while (clock_us() - t0 < us) {
        for (int i = 0; i < 256; i++)
            acc = acc * 6364136223846793005UL + 1442695040888963407UL;
        rounds++;
    }
    return rounds;
}

void scn_record(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    printf("[record] %s: %s\n", self_name, line);
}

void scn_put_name(unsigned words, word_t name, bool full, unsigned *w, unsigned *it)
{
    struct utcb *u = utcb();
    if (scn_backend() && objects) {
        u->mr[words] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
        u->mr[words + 1] = FPAGE(name << 12, 0, full ? (FPAGE_R | FPAGE_W) : FPAGE_R);
        *w = words;
        *it = 1;
    } else {
        u->mr[words] = name;
        *w = words + 1;
        *it = 0;
    }
}

/* Task-local names (capgate): each received name gets a fresh slot, so two never collide. */
static word_t next_slot = 64;

void scn_accept_names(void)
{
    if (scn_backend() && objects) utcb()->br[BR_OBJ_WINDOW] = FPAGE(next_slot << 12, 0, FPAGE_RWX);
}

long scn_got_name(word_t tag)
{
    struct utcb *u = utcb();
    unsigned words = MSGTAG_WORDS(tag), items = MSGTAG_ITEMS(tag);
    if (scn_backend() && !objects) return words ? (long)u->mr[words - 1] : -E_NOENT;
    if (items == 0) return -E_NOENT;
    word_t f = u->mr[words + 2 * (items - 1) + 1];
    word_t slot = FPAGE_BASE(f) >> 12;
    if (slot == next_slot) next_slot++;
    return (long)slot;
}

word_t ns_status_reply(long status)
{
    utcb()->mr[0] = (word_t)status;
    return MSGTAG(0, 1, 0, 0);
}

bool ns_name_ok(const char *name)
{
    if (!name[0]) return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-';
        if (!ok) return false;
    }
    return true;
}

/* The name service's clients: the stubs generated from idl/nameserv.idl. A name travels as a
 * flexpage FPAGE(name << 12, 0, rights), as an item or a word (ipc_put_name, set by
 * scn_backend()); the name that arrives is what scn_got_name would have returned. */
_Static_assert(NS_REGISTER == nameserv_PROTO + nameserv_OP_enter &&
                   NS_LOOKUP == nameserv_PROTO + nameserv_OP_lookup &&
                   NS_LIST == nameserv_PROTO + nameserv_OP_list &&
                   NS_NAME_MAX == nameserv_enter_name_MAX,
               "idl/nameserv.idl and scn.h agree");

long ns_register(const char *name, word_t endpoint)
{
    scn_backend();
    return nameserv_enter_call((word_t)scn_ns(), name, FPAGE(endpoint << 12, 0, FPAGE_R | FPAGE_W));
}

long ns_lookup(const char *name)
{
    scn_backend();
    word_t ep = objects ? FPAGE(next_slot << 12, 0, FPAGE_RWX) : 0; /* the window */
    long r = nameserv_lookup_call((word_t)scn_ns(), name, &ep);
    if (r < 0) return r;
    word_t slot = FPAGE_BASE(ep) >> 12;
    if (objects && slot == next_slot) next_slot++;
    return (long)slot;
}

long ns_list(char *buf, size_t len)
{
    uint32_t count = 0;
    char names[nameserv_list_names_MAX + 1];
    long r = nameserv_list_call((word_t)scn_ns(), &count, names);
    if (r < 0) return r;
    if (len) {
        size_t n = strnlen(names, nameserv_list_names_MAX);
        if (n > len - 1) n = len - 1;
        memcpy(buf, names, n);
        buf[n] = 0;
    }
    return (long)count;
}

long scn_serve(uint32_t idle_us, word_t (*fn)(word_t tag, word_t label))
{
    word_t tag, label;
    long n = 0;
    long r = ipc_wait(idle_us, &tag, &label);
    /* One bad client (a reply it cannot take, a message that cannot be transferred) must not
     * end the service: only idleness does. */
    for (int errors = 0; r != -E_RECV_TIMEOUT && errors < 64;) {
        if (r < 0) {
            errors++;
            r = ipc_wait(idle_us, &tag, &label);
            continue;
        }
        n++;
        word_t reply = fn(tag, label);
        if (reply != ~0ul) {
            r = ipc_reply_wait(reply, idle_us, &tag, &label);
            if (r == 0 || r == -E_RECV_TIMEOUT) continue;
        }
        r = ipc_wait(idle_us, &tag, &label);
    }
    return r == -E_RECV_TIMEOUT ? n : r;
}
