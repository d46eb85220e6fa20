/* SPDX-License-Identifier: MIT */
/* The scenario loader's serving thread: each task's setup, and the parent name service of
 * hierarchical naming. */
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
 * Hierarchical naming: the parent answers its children from the declaration alone. A child
 * sees the names its declared lookup channels use, nothing else; registrations are refused,
 * since the parent registers each name for the task it started.
 */
static word_t parent_ns(int who, word_t tag)
{
    struct utcb *u = utcb();
    if (MSGTAG_LABEL(tag) == NS_REGISTER) {
        char name[NS_NAME_MAX + 1];
        printf("[scnroot] refused '%s' registering '%s': the parent registers names\n",
               tasks[who].name, ns_get_string(tag, name) == 0 ? name : "?");
        return ns_status_reply(-E_PERM);
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
        char name[NS_NAME_MAX + 1];
        long bad = ns_get_string(tag, name);
        if (bad < 0) return ns_status_reply(bad);
        for (int i = 0; i < nchans; i++) {
            const struct schannel *c = &chans[i];
            if (c->from != who || strcmp(c->regname, name) != 0 || c->ep <= 0) continue;
            u->mr[0] = 0;
            unsigned w, it;
            scn_put_name(1, (word_t)c->ep, c->give, &w, &it);
            return MSGTAG(0, w, it, 0);
        }
        return ns_status_reply(-E_NOENT);
    }
    return ns_status_reply(-E_INVAL);
}

static word_t serve_one(word_t tag, word_t label)
{
    if (local_names && MSGTAG_ITEMS(tag)) name_drop(SCRATCH_SLOT);
    int who = caller_of(label);
    if (who < 0) return ns_status_reply(-E_PERM);
    if (MSGTAG_LABEL(tag) == SCN_SETUP_GET && MSGTAG_WORDS(tag) >= 1)
        return reply_setup(&tasks[who]);
    if (!flat) return parent_ns(who, tag);
    return ns_status_reply(-E_INVAL);
}

/* arg: the loader's main thread, whose one message opens the service. */
long setup_server(word_t arg)
{
    word_t tag, label;
    long r = ipc_recv(arg, TIMEOUT_NEVER, &tag, &label);
    if (r < 0) fail("the setup server waiting to open", r);
    if (local_names) utcb()->br[BR_OBJ_WINDOW] = FPAGE((word_t)SCRATCH_SLOT << 12, 0, FPAGE_RWX);
    while (true)
        scn_serve(TIMEOUT_NEVER, serve_one);
    return 0;
}
