/* SPDX-License-Identifier: MIT */
/*
 * The flat, global name server (`naming flat`): a user-level policy server the scenario loader
 * starts before the scenario's tasks; every task reaches it through scn_ns(). Protocol in
 * user/lib/scn.h:
 *
 *   NS_REGISTER  mr[0..3] = name (NUL-terminated, at most NS_NAME_MAX bytes), then the name to
 *                register as scn_put_name() puts it (capgate: an object flexpage with the give
 *                right; none: the last untyped word)         -> mr[0] = 0 or -status
 *   NS_LOOKUP    mr[0..3] = name                               -> mr[0] = 0, the name after it
 *                                                                 (a send-only copy), or -status
 *   NS_LIST      (nothing)                                     -> mr[0] = count, "a,b,c" from mr[1]
 *
 * First come, first served: a taken name is refused with E_EXISTS, and anyone may look up or
 * list anything. That is the point of the scenarios using it (name_race, name_enum): whoever
 * registers first is who every client reaches, and the whole name space is visible to all.
 *
 * Every request is checked; a bad one gets a specific status and changes nothing:
 *   E_INVAL     wrong number of words or items, unknown operation, empty name or a byte outside
 *               [A-Za-z0-9_.-] (',' separates names in a list)
 *   E_RANGE     the name string has no NUL within its 32 bytes (longer than NS_NAME_MAX)
 *   E_NOENT     lookup: no such name; register: the message carries no name to register
 *   E_WRONGTYPE register: the typed item is not an object flexpage
 *   E_PERM      register: the name cannot be handed on (capgate: no give right, or nothing
 *               arrived because the sender had no give right itself)
 *   E_EXISTS    register: the name is taken
 *   E_NOMEM     register: the table is full (NS_MAX names)
 *
 * Under capgate a registered capability is kept in a slot of its own: before every receive the
 * object window is one free slot (NS_SLOT0 + table index), so no two registrations collide and a
 * capability that arrives with a refused request is dropped again at once. Under none the
 * window is ignored by the kernel and names are plain words.
 */
#include "scn.h"

#define NS_MAX 64
#define NS_SLOT0 64                    /* table entry i keeps its capability in slot 64+i */
#define NS_SCRATCH (NS_SLOT0 + NS_MAX) /* where a name lands while the table is full */
#define NS_STR_WORDS ((NS_NAME_MAX + 1) / sizeof(word_t))
#define NS_IDLE_US 150000 /* the loader waits for this task too: end when nobody asks */

struct entry {
    bool used;
    char name[NS_NAME_MAX + 1];
    word_t ep;    /* the registered name, as this task holds it */
    word_t owner; /* the label the registration arrived with (informational) */
};

static struct entry table[NS_MAX];
static word_t window_slot; /* where an arriving capability lands this time */
/* Where it did land: the window slot, unless the backend chooses names itself (ports). */
static word_t arrived;
static bool names_chosen_by_kernel;

static void open_window(void)
{
    window_slot = NS_SCRATCH;
    for (unsigned i = 0; i < NS_MAX; i++)
        if (!table[i].used) {
            window_slot = NS_SLOT0 + i;
            break;
        }
    arrived = window_slot;
    names_chosen_by_kernel = scn_backend()->label == BACKEND_LABEL_PORT;
    scn_accept_names(); /* the runtime's window (capgate), narrowed to the one slot below */
    utcb()->br[BR_OBJ_WINDOW] = FPAGE(window_slot << 12, 0, FPAGE_RWX);
}

static struct entry *find(const char *name)
{
    for (unsigned i = 0; i < NS_MAX; i++)
        if (table[i].used && strcmp(table[i].name, name) == 0) return &table[i];
    return NULL;
}

/* Whether the capability that may have landed in the window this time was kept. */
static bool window_kept;

static word_t do_register(word_t tag, word_t label)
{
    unsigned words = MSGTAG_WORDS(tag), items = MSGTAG_ITEMS(tag);
    /* the name travels as one object flexpage (capgate) or one extra word (none) */
    if (words == NS_STR_WORDS && items == 0) return ns_status_reply(-E_NOENT);
    if (!((words == NS_STR_WORDS && items == 1) || (words == NS_STR_WORDS + 1 && items == 0)))
        return ns_status_reply(-E_INVAL);
    if (items == 1) {
        word_t hdr = utcb()->mr[words];
        if ((ITEM_TYPE(hdr) != ITEM_MAP && ITEM_TYPE(hdr) != ITEM_GRANT) ||
            ITEM_MAP_KIND(hdr) != FPAGE_KIND_BACKEND)
            return ns_status_reply(-E_WRONGTYPE);
    }
    long ep = scn_got_name(tag); /* read before the string check: both are in the MRs */
    char name[NS_NAME_MAX + 1];
    long s = ns_get_string(tag, name);
    if (s < 0) return ns_status_reply(s);
    if (ep < 0) return ns_status_reply(-E_NOENT);
    if (items == 1 && names_chosen_by_kernel) arrived = (word_t)ep;
    if (items == 1 && (word_t)ep != arrived) return ns_status_reply(-E_INVAL);
    /* Only a name that can be handed on is worth keeping: give a copy to ourselves and drop it
     * (capgate: needs a capability with the give right; none: names are global words). */
    long probe = name_give(self_task(), (word_t)ep, NAME_SEND);
    if (probe < 0) {
        printf("nameserv: refused \"%s\" (label 0x%lx): the name cannot be handed on: %s\n", name,
               label, status_text(probe));
        return ns_status_reply(-E_PERM);
    }
    if (probe != ep) name_drop((word_t)probe);
    struct entry *e = find(name);
    if (e) {
        printf("nameserv: refused \"%s\" (label 0x%lx): already registered\n", name, label);
        return ns_status_reply(-E_EXISTS);
    }
    if (window_slot == NS_SCRATCH) {
        printf("nameserv: refused \"%s\" (label 0x%lx): the table is full\n", name, label);
        return ns_status_reply(-E_NOMEM);
    }
    e = &table[window_slot - NS_SLOT0];
    e->used = true;
    memcpy(e->name, name, sizeof(e->name));
    e->ep = (word_t)ep;
    e->owner = label;
    window_kept = true;
    printf("nameserv: registered \"%s\" (label 0x%lx)\n", name, label);
    return ns_status_reply(0);
}

static word_t do_lookup(word_t tag, word_t label)
{
    if (MSGTAG_WORDS(tag) != NS_STR_WORDS || MSGTAG_ITEMS(tag) != 0)
        return ns_status_reply(-E_INVAL);
    char name[NS_NAME_MAX + 1];
    long s = ns_get_string(tag, name);
    if (s < 0) return ns_status_reply(s);
    struct entry *e = find(name);
    if (!e) {
        printf("nameserv: lookup \"%s\" (label 0x%lx): no such name\n", name, label);
        return ns_status_reply(-E_NOENT);
    }
    printf("nameserv: lookup \"%s\" (label 0x%lx): handed on\n", name, label);
    utcb()->mr[0] = 0;
    unsigned w, it;
    scn_put_name(1, e->ep, false, &w, &it); /* a send-only copy */
    return MSGTAG(0, w, it, 0);
}

static word_t do_list(word_t tag, word_t label)
{
    if (MSGTAG_WORDS(tag) != 0 || MSGTAG_ITEMS(tag) != 0) return ns_status_reply(-E_INVAL);
    /* as many whole names as fit in mr[1..]; count says how many the string holds */
    char list[(UTCB_MRS - 1) * sizeof(word_t)];
    memset(list, 0, sizeof(list));
    size_t len = 0;
    long count = 0, total = 0;
    for (unsigned i = 0; i < NS_MAX; i++) {
        if (!table[i].used) continue;
        total++;
        size_t n = strlen(table[i].name);
        if (len + (len ? 1 : 0) + n + 1 > sizeof(list)) continue;
        if (len) list[len++] = ',';
        memcpy(list + len, table[i].name, n);
        len += n;
        count++;
    }
    printf("nameserv: list (label 0x%lx): %ld of %ld names\n", label, count, total);
    struct utcb *u = utcb();
    u->mr[0] = (word_t)count;
    size_t words = (len + 1 + sizeof(word_t) - 1) / sizeof(word_t);
    memcpy(&u->mr[1], list, words * sizeof(word_t));
    return MSGTAG(0, 1 + words, 0, 0);
}

static word_t serve(word_t tag, word_t label)
{
    word_t reply;
    window_kept = false;
    if (MSGTAG_FLAGS(tag) & (MSGTAG_F_NOTIFY | MSGTAG_F_REDIRECTED)) {
        /* a notification, or a redirected message (chiefs take those): nothing to answer; a
         * forwarded one is its claimed sender's request */
        reply = ~0ul;
    } else {
        switch (MSGTAG_LABEL(tag)) {
        case NS_REGISTER:
            reply = do_register(tag, label);
            break;
        case NS_LOOKUP:
            reply = do_lookup(tag, label);
            break;
        case NS_LIST:
            reply = do_list(tag, label);
            break;
        default:
            reply = ns_status_reply(-E_INVAL);
            break;
        }
    }
    /* A capability that arrived with a refused (or any other) request does not stay. */
    if (!window_kept && MSGTAG_ITEMS(tag) != 0) name_drop(arrived);
    open_window();
    return reply;
}

/* After a failed transfer: a capability may have landed in the window (an earlier item of the
 * same message); the window slot is never a kept one, so whatever is there goes. */
static void drop_stray(void)
{
    name_drop(window_slot);
}

/* Serves until NS_IDLE_US pass without a request. Not scn_serve(): a reply that fails (a caller
 * without an object window, one that gave up) or a request whose transfer failed must not end
 * the service, since then one bad client would take the name space away from everyone. */
static long serve_loop(void)
{
    word_t tag, label;
    long served = 0;
    long r = ipc_wait(NS_IDLE_US, &tag, &label);
    for (;;) {
        if (r == -E_RECV_TIMEOUT) return served;
        if (r < 0) { /* the transfer of a request failed (the sender saw it too) */
            printf("nameserv: a request failed to arrive: %s\n", status_text(r));
            drop_stray();
            r = ipc_wait(NS_IDLE_US, &tag, &label);
            continue;
        }
        served++;
        word_t reply = serve(tag, label);
        if (reply == ~0ul) {
            r = ipc_wait(NS_IDLE_US, &tag, &label);
            continue;
        }
        r = ipc_reply_wait(reply, NS_IDLE_US, &tag, &label);
        if (r == 0 || r == -E_RECV_TIMEOUT) continue;
        /* the reply failed (a send rather than a call, the caller gone, no window for the
         * name): the caller has been told; go on waiting */
        if (r != -E_NOREPLY)
            printf("nameserv: a reply, or the request after it, failed: %s\n", status_text(r));
        drop_stray();
        r = ipc_wait(NS_IDLE_US, &tag, &label);
    }
}

int main(word_t arg)
{
    long r = scn_init(arg);
    if (r < 0) {
        printf("nameserv: no setup from the loader: %s\n", status_text(r));
        return 1;
    }
    printf("nameserv: flat name service up (%s), %d names at most\n", scn_policy(), NS_MAX);
    open_window();
    long served = serve_loop();
    unsigned n = 0;
    for (unsigned i = 0; i < NS_MAX; i++)
        n += table[i].used;
    printf("nameserv: idle, leaving after %ld requests with %u names\n", served, n);
    return 0;
}
