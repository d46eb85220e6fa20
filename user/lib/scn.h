/* SPDX-License-Identifier: MIT */
/*
 * The scenario runtime: what a scenario program (a scenarios/<name>/ C file) learns from the
 * scenario loader (monitor/scnroot/), and the name-service protocol (monitor/nameserv.c for flat
 * naming; the loader itself answers for hierarchical naming).
 *
 * The loader derives everything from the declaration: for each channel `A -> S` it creates an
 * endpoint bound to the provider's first thread with the channel's label and gives A a name for
 * it; under `none` that name is the provider's global thread id, under `capgate` a capability
 * to a gate. A program refers to its names by the declaration's identifiers.
 *
 * Every program's main(arg) passes arg to scn_init() first.
 */
#ifndef ULIB_SCN_H
#define ULIB_SCN_H

#include "ulib.h"

/* Fetches this task's setup from the loader (arg is main's argument). 0 or -status. */
long scn_init(word_t arg);

/* The running backend's descriptor (kinfo(KINFO_POLICY), abi/backend.h): branch on its
 * properties (names global or task-local, what a label shows, ...), never on its name. */
const struct backend_desc *scn_backend(void);

const char *scn_self(void);   /* the declared task name */
const char *scn_policy(void); /* the backend's name, for messages only */
bool scn_naming_flat(void);   /* `naming flat` (default) or hierarchical */

/* The name to send to for declared channel `ch` (channels A -> service); -E_NOENT if this
 * task is not the channel's sender. */
long scn_channel(const char *ch);

/* The i-th channel this task sends on (declaration order), or NULL past the last. */
const char *scn_channel_at(unsigned i);

/* A give-able name (NAME_FULL) for service `svc` this task provides, bound to its first
 * thread, for registering with a name service or handing on; -E_NOENT if not its service. */
long scn_service(const char *svc);

/* The i-th name this task's declared lookup channels look up (`A -> name "x"`), into
 * regname; false past the last. */
bool scn_lookup_at(unsigned i, char *regname, size_t len);

/* The i-th service of this task that is registered under a name (`service S ... name "x"`):
 * the service into svc, the name into regname; false past the last. */
bool scn_regname_at(unsigned i, char *svc, size_t slen, char *regname, size_t rlen);

/* Which declared channel a message that arrived with `label` came through, as this receiver
 * can tell (scn_backend()->label: the gate label, or the sender's thread id); NULL if none. */
const char *scn_sender(word_t label);

/* Real work for `us` microseconds of virtual time, holding the CPU: unlike a sleep (a receive,
 * which would end a pending reply capability) it keeps the task's IPC state as it is. Returns
 * the rounds done. */
unsigned long scn_work(uint32_t us);

/* Records an observation in this task's own record (console line "[record] <task>: ..."). */
void scn_record(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- passing names in messages: the same code for every backend ----
 * A task-local name (BACKEND_NAMES_LOCAL) travels as the message's last typed item (an object
 * flexpage, send right, plus give with `full`); a global one as the last untyped word. */

/* Appends `name` to the message being built in this thread's UTCB after `words` untyped
 * words; returns the tag's (words, items) through *w, *it. */
void scn_put_name(unsigned words, word_t name, bool full, unsigned *w, unsigned *it);
/* Before a receive that may carry a name: opens the object window (slots 64..127). */
void scn_accept_names(void);
/* The name that arrived with message `tag` (after scn_accept_names), or -E_NOENT. */
long scn_got_name(word_t tag);

/* ---- the name service ---- *
 * The interface is idl/nameserv.idl (labels NS_REGISTER.. as always); these call its generated
 * stubs. Names are at most NS_NAME_MAX bytes of [A-Za-z0-9_.-]. */
#define NS_REGISTER 0x4e01 /* nameserv_OP_enter: a name string + the name to register */
#define NS_LOOKUP 0x4e02   /* nameserv_OP_lookup: a name string -> the name (send-only) */
#define NS_LIST 0x4e03     /* nameserv_OP_list: -> a count, "a,b,c" */
#define NS_NAME_MAX 31

/* The name service this task uses (flat: the nameserv task; hierarchical: its parent). */
long scn_ns(void);
long ns_register(const char *name, word_t endpoint); /* 0 or -status */
long ns_lookup(const char *name);                    /* the name, or -status */
long ns_list(char *buf, size_t len);                 /* count of names, or -status */

/* The serving side (monitor/nameserv.c, the loader's parent name service). */
/* A reply that carries only a status in mr[0] (label 0, as the name service's). */
word_t ns_status_reply(long status);
/* Whether a name is one the name service takes: non-empty, bytes of [A-Za-z0-9_.-] (',' separates
 * names in a list). */
bool ns_name_ok(const char *name);

/* ---- serving ---- */

/* Receives until `idle_us` pass without a message; calls fn for each message (tag, label)
 * with the request in the UTCB; fn returns the reply tag, or ~0ul for "no reply". Returns the
 * number of messages served. */
long scn_serve(uint32_t idle_us, word_t (*fn)(word_t tag, word_t label));

#endif
