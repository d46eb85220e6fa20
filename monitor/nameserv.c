/* SPDX-License-Identifier: MIT */
/*
 * The flat, global name server (`naming flat`): a user-level policy server the scenario loader
 * starts before the scenario's tasks; every task reaches it through scn_ns(). Its interface is
 * idl/nameserv.idl; the generated dispatch (nameserv_dispatch) checks every request and calls
 * the three functions below:
 *
 *   enter   (label NS_REGISTER) a name string (at most NS_NAME_MAX bytes) and the name to
 *           register (capgate, ports: an object flexpage with the give right; none, clans,
 *           refmon: a word)                                  -> 0 or -status
 *   lookup  (label NS_LOOKUP) a name string                   -> 0 and the name (a send-only copy)
 *   list    (label NS_LIST)                                   -> a count, "a,b,c"
 *
 * First come, first served: a taken name is refused with E_EXISTS, and anyone may look up or
 * list anything. That is the point of the scenarios using it (name_race, name_enum): whoever
 * registers first is who every client reaches, and the whole name space is visible to all.
 *
 * Every request is checked; a bad one gets a specific status and changes nothing. The generated
 * dispatch refuses a malformed message (another label E_WRONGTYPE, an unknown operation E_NOSYS,
 * too short or a string over its bound E_RANGE, too long, a NUL in a string or memory for a name
 * E_INVAL); then:
 *   E_INVAL     an empty name or a byte outside [A-Za-z0-9_.-]; register: the name did not land
 *               in the window
 *   E_NOENT     lookup: no such name
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
#include "nameserv_idl.h"
#include "scn.h"

#define NS_MAX 64
#define NS_SLOT0 64                    /* table entry i keeps its capability in slot 64+i */
#define NS_SCRATCH (NS_SLOT0 + NS_MAX) /* where a name lands while the table is full */
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

/* enter: `ep` is the flexpage the name arrived as (in the window, or the word itself). */
static long do_register(void *ctx, word_t label, const char *name, word_t fp)
{
    (void)ctx;
    if (!ns_name_ok(name)) return -E_INVAL;
    word_t ep = FPAGE_BASE(fp) >> 12;
    if (!ipc_stream_names_are_global()) { /* it arrived as an item: where did it land? */
        if (names_chosen_by_kernel) arrived = ep;
        if (ep != arrived) return -E_INVAL;
    }
    /* Only a name that can be handed on is worth keeping: give a copy to ourselves and drop it
     * (capgate: needs a capability with the give right; none: names are global words). */
    long probe = name_give(self_task(), ep, NAME_SEND);
    if (probe < 0) {
        printf("nameserv: refused \"%s\" (label 0x%lx): the name cannot be handed on: %s\n", name,
               label, status_text(probe));
        return -E_PERM;
    }
    if ((word_t)probe != ep) name_drop((word_t)probe);
    struct entry *e = find(name);
    if (e) {
        printf("nameserv: refused \"%s\" (label 0x%lx): already registered\n", name, label);
        return -E_EXISTS;
    }
    if (window_slot == NS_SCRATCH) {
        printf("nameserv: refused \"%s\" (label 0x%lx): the table is full\n", name, label);
        return -E_NOMEM;
    }
    e = &table[window_slot - NS_SLOT0];
    e->used = true;
    snprintf(e->name, sizeof(e->name), "%s", name);
    e->ep = ep;
    e->owner = label;
    window_kept = true;
    printf("nameserv: registered \"%s\" (label 0x%lx)\n", name, label);
    return 0;
}

static long do_lookup(void *ctx, word_t label, const char *name, word_t *ep)
{
    (void)ctx;
    if (!ns_name_ok(name)) return -E_INVAL;
    struct entry *e = find(name);
    if (!e) {
        printf("nameserv: lookup \"%s\" (label 0x%lx): no such name\n", name, label);
        return -E_NOENT;
    }
    printf("nameserv: lookup \"%s\" (label 0x%lx): handed on\n", name, label);
    *ep = FPAGE(e->ep << 12, 0, FPAGE_R); /* a send-only copy */
    return 0;
}

/* As many whole names as fit into `names` (nameserv_list_names_MAX bytes); *count says how many. */
static long do_list(void *ctx, word_t label, uint32_t *count, char *names)
{
    (void)ctx;
    size_t len = 0, cap = nameserv_list_names_MAX;
    uint32_t n_listed = 0, total = 0;
    names[0] = 0;
    for (unsigned i = 0; i < NS_MAX; i++) {
        if (!table[i].used) continue;
        total++;
        size_t n = strlen(table[i].name);
        if (len + (len ? 1 : 0) + n > cap) continue;
        if (len) names[len++] = ',';
        memcpy(names + len, table[i].name, n);
        len += n;
        names[len] = 0;
        n_listed++;
    }
    printf("nameserv: list (label 0x%lx): %u of %u names\n", label, n_listed, total);
    *count = n_listed;
    return 0;
}

static const struct nameserv_server ns_server = {
    .enter = do_register, .lookup = do_lookup, .list = do_list};

static word_t serve(word_t tag, word_t label)
{
    word_t reply;
    window_kept = false;
    if (MSGTAG_FLAGS(tag) & (MSGTAG_F_NOTIFY | MSGTAG_F_REDIRECTED)) {
        /* a notification, or a redirected message (chiefs take those): nothing to answer; a
         * forwarded one is its claimed sender's request */
        reply = ~0ul;
    } else {
        reply = nameserv_dispatch(&ns_server, NULL, utcb(), tag, label);
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
