/* SPDX-License-Identifier: MIT */
/* The scenario loader's serving thread: each task's setup, and the parent name service of
 * hierarchical naming. */
#include "nameserv_idl.h"
#include "scnroot.h"

/* Which task sent a message that arrived with `label`. */
static int caller_of(word_t label)
{
    for (int i = 0; i < ntasks; i++) {
        if (tasks[i].is_self) continue;
        if (gate_labels   ? label == 0x5c00 + (word_t)i
            : port_labels ? label == (word_t)tasks[i].setup_own
                          : label == tasks[i].thread)
            return i;
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

/*
 * Hierarchical naming: the parent answers its children from the declaration alone, through the
 * name service's generated dispatch (idl/nameserv.idl, as monitor/nameserv.c). A child sees the
 * names its declared lookup channels use, nothing else; registrations are refused, since the
 * parent registers each name for the task it started. ctx: the asking task's index.
 */
static long parent_enter(void *ctx, word_t label, const char *name, word_t ep)
{
    (void)label, (void)ep;
    printf("[scnroot] refused '%s' registering '%s': the parent registers names\n",
           tasks[*(int *)ctx].name, name);
    return -E_PERM;
}

static long parent_lookup(void *ctx, word_t label, const char *name, word_t *ep)
{
    (void)label;
    int who = *(int *)ctx;
    if (!ns_name_ok(name)) return -E_INVAL;
    for (int i = 0; i < nchans; i++) {
        const struct schannel *c = &chans[i];
        if (c->from != who || strcmp(c->regname, name) != 0 || c->ep <= 0) continue;
        *ep = FPAGE((word_t)c->ep << 12, 0, c->give ? (FPAGE_R | FPAGE_W) : FPAGE_R);
        return 0;
    }
    return -E_NOENT;
}

static long parent_list(void *ctx, word_t label, uint32_t *count, char *names)
{
    (void)label;
    int who = *(int *)ctx;
    size_t len = 0;
    uint32_t n_listed = 0;
    names[0] = 0;
    for (int i = 0; i < nchans; i++) {
        const struct schannel *c = &chans[i];
        size_t n = strlen(c->regname);
        if (c->from != who || n == 0 || len + (len ? 1 : 0) + n > nameserv_list_names_MAX) continue;
        if (len) names[len++] = ',';
        memcpy(names + len, c->regname, n);
        len += n;
        names[len] = 0;
        n_listed++;
    }
    *count = n_listed;
    return 0;
}

static const struct nameserv_server parent_ns = {
    .enter = parent_enter, .lookup = parent_lookup, .list = parent_list};

static word_t serve_one(word_t tag, word_t label)
{
    if (local_names && MSGTAG_ITEMS(tag)) name_drop(SCRATCH_SLOT);
    int who = caller_of(label);
    if (who < 0) return ns_status_reply(-E_PERM);
    if (MSGTAG_LABEL(tag) == SCN_SETUP_GET && MSGTAG_WORDS(tag) >= 1)
        return reply_setup(&tasks[who]);
    if (!flat) return nameserv_dispatch(&parent_ns, &who, utcb(), tag, label);
    return ns_status_reply(-E_INVAL);
}

/* arg: the loader's main thread, whose one message opens the service. */
long setup_server(word_t arg)
{
    word_t tag, label;
    long r = ipc_recv(arg, TIMEOUT_NEVER, &tag, &label);
    if (r < 0) fail("the setup server waiting to open", r);
    if (local_names) utcb()->br[BR_OBJ_WINDOW] = FPAGE((word_t)SCRATCH_SLOT << 12, 0, FPAGE_RWX);
    ipc_stream_names_global(!local_names); /* names in the generated stubs' replies */
    while (true)
        scn_serve(TIMEOUT_NEVER, serve_one);
    return 0;
}
