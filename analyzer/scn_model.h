/* SPDX-License-Identifier: MIT */
/* The in-memory form of a scenario declaration: tasks, services, contracts, channels, verdicts. */
#ifndef SCN_MODEL_H
#define SCN_MODEL_H

#include "an_diag.h"
#include "an_status.h"
#include "an_util.h"

#include <stdbool.h>
#include <stdint.h>

/* Documented limits (analyzer/README.md); beyond them the input is rejected, never truncated. */
#define SCN_MAX_TASKS 16384
#define SCN_MAX_CHANNELS 1000000
#define SCN_MAX_SERVICES 1000000
#define SCN_MAX_CONTRACTS 4096
#define SCN_MAX_STATES 64   /* per role */
#define SCN_MAX_MESSAGES 64 /* per contract */
#define SCN_MAX_ASYNC 8     /* asynchronous (notification) messages per contract */
#define SCN_MAX_TRANS 1024  /* per role */
#define SCN_MAX_ARGS 8      /* arguments of one per-backend addition */
#define SCN_MAX_THREADS 64
#define SCN_MAX_FILE (256u << 20)
#define SCN_RUN_MS_MIN 10    /* `run`: the shortest declared run length */
#define SCN_RUN_MS_MAX 10000 /* and the longest (virtual time; the default is 1 s) */
#define SCN_RUN_MS_DEFAULT 1000
#define SCN_NONE UINT32_MAX

/* The backends the platform knows, in the order used everywhere (tables, reports). */
enum an_policy_id { POL_NONE, POL_CLANS, POL_PORTS, POL_REFMON, POL_CAPGATE, POL_COUNT };
extern const char *const an_policy_names[POL_COUNT];
/* Returns POL_COUNT if the name is not a backend. */
enum an_policy_id an_policy_lookup(const char *name);

/* VERDICT_INCOMPLETE and VERDICT_INCONCLUSIVE are only observed, never expected: the run's
 * trace lost records (no verdict is read), or the run ended before the attack was over (the
 * attacker still running at the deadline, or the phase the attack is about never began). */
enum scn_verdict {
    VERDICT_UNSET,
    VERDICT_BLOCKED,
    VERDICT_SUCCEEDED,
    VERDICT_NA,
    VERDICT_INCOMPLETE,
    VERDICT_INCONCLUSIVE
};
const char *scn_verdict_name(enum scn_verdict v);

enum scn_naming { NAMING_FLAT, NAMING_HIERARCHICAL };

struct scn_pos {
    uint32_t line, col;
};

/* A name as written, and what it resolved to (SCN_NONE until scn_check resolves it). */
struct scn_ref {
    char *name;
    struct scn_pos pos;
    uint32_t idx;
};

struct scn_task {
    char *name, *program;
    struct scn_pos pos;
    struct scn_ref parent, monitor; /* name NULL when not given */
    uint32_t threads;
    bool attacker;
    bool unlimited; /* no quota on its kernel-buffered messages: the whole pool is its limit */
};

struct scn_service {
    char *name;
    struct scn_pos pos;
    struct scn_ref owner;
    char *regname; /* the name it registers with the name service, or NULL */
    struct scn_pos regname_pos;
};

/* A registration attempt of a name by a task that is not its declared provider. */
struct scn_claim {
    struct scn_ref task;
    char *regname;
    struct scn_pos pos, regname_pos;
};

enum scn_dir { DIR_IN, DIR_OUT };                    /* in: client -> server */
enum scn_mode { MODE_SYNC, MODE_LOSSY, MODE_ASYNC }; /* rendezvous, zero timeout, notification */
const char *scn_mode_name(enum scn_mode m);

struct scn_message {
    char *name;
    struct scn_pos pos;
    enum scn_dir dir;
    enum scn_mode mode;
    int64_t proto; /* message-tag label, -1 if not given */
    uint32_t async_bit;
};

struct scn_trans {
    struct scn_ref from, msg, to;
    bool send; /* '!' (this role sends) vs '?' (this role receives) */
};

enum { ROLE_SERVER, ROLE_CLIENT };

struct scn_role {
    bool present, derived; /* derived: the client written as the dual of the server */
    struct scn_pos pos;
    char *states[SCN_MAX_STATES];
    struct scn_pos state_pos[SCN_MAX_STATES];
    uint32_t nstates;
    struct scn_ref initial;
    uint64_t final_mask;
    struct scn_trans *trans;
    uint32_t ntrans, cap_trans;
};

struct scn_contract {
    char *name;
    struct scn_pos pos;
    struct scn_message *msgs;
    uint32_t nmsgs, cap_msgs;
    struct scn_role role[2];
};

struct scn_channel {
    char *name;
    struct scn_pos pos;
    struct scn_ref from;
    struct scn_ref service; /* `-> svc` (idx: service) */
    char *lookup;           /* `-> name "x"`: resolved through the name service */
    struct scn_pos lookup_pos;
    struct scn_ref contract;
    uint32_t to;   /* the receiving task (resolved) */
    int64_t label; /* -1: derived (channel index + 1) */
    bool give;     /* the holder may delegate its right (capgate give, refmon map) */
};

enum scn_attack_kind {
    ATTACK_REACH,       /* attacker -> target: deliver at all */
    ATTACK_PROBE,       /* attacker learns which global ids exist */
    ATTACK_ENUMERATE,   /* attacker lists names it was never given */
    ATTACK_SPOOF,       /* attacker sends to target as channel `as` would */
    ATTACK_DOS,         /* attacker blocks target through a contract */
    ATTACK_LATE_REPLY,  /* attacker replies to target after the call was abandoned */
    ATTACK_THIRD_REPLY, /* attacker replies to target's call made to someone else */
    ATTACK_HIJACK,      /* attacker receives what target sends to a name it looks up */
    ATTACK_DEPUTY,      /* attacker has deputy `via` act on the target for it */
    ATTACK_COUNT
};
extern const char *const scn_attack_names[ATTACK_COUNT];

/* When an attack counts (scenarios/README.md, "Time and phases"): over the whole run, or only
 * on the trace records after a marker record of task `phase_task`: its first revocation (`until
 * revoke T`: the attack may succeed before, not after), its end (`after death T`) or its first
 * binding of an endpoint (`after rebind T`). */
enum scn_phase {
    PHASE_ALL,
    PHASE_UNTIL_REVOKE,
    PHASE_AFTER_DEATH,
    PHASE_AFTER_REBIND,
    PHASE_COUNT
};
extern const char *const scn_phase_names[PHASE_COUNT];

struct scn_attack {
    enum scn_attack_kind kind;
    struct scn_pos pos;
    struct scn_ref attacker, target, as; /* as: a channel (spoof); unused ones have NULL names */
    struct scn_ref via;                  /* deputy: the task acting for the attacker */
    enum scn_phase phase;
    struct scn_ref phase_task; /* the task whose record starts the phase (PHASE_ALL: unused) */
    struct scn_pos phase_pos;
};

enum scn_arg_kind { ARG_IDENT, ARG_INT, ARG_STRING, ARG_STAR, ARG_ARROW };
struct scn_arg {
    enum scn_arg_kind kind;
    struct scn_pos pos;
    char *s;
    int64_t v;
    uint32_t idx; /* resolved by the backend's checker */
};

/* One line of a `policy <name> { ... }` block; the backend gives it meaning. */
struct scn_addition {
    enum an_policy_id policy;
    struct scn_pos pos;
    char *verb;
    uint32_t nargs;
    struct scn_arg args[SCN_MAX_ARGS];
};

struct scn {
    char *file, *name, *description;
    struct scn_pos name_pos;
    enum scn_naming naming;
    struct scn_task *tasks;
    uint32_t ntasks, cap_tasks;
    struct scn_service *services;
    uint32_t nservices, cap_services;
    struct scn_claim *claims;
    uint32_t nclaims, cap_claims;
    struct scn_contract *contracts;
    uint32_t ncontracts, cap_contracts;
    struct scn_channel *channels;
    uint32_t nchannels, cap_channels;
    struct scn_attack *attacks;
    uint32_t nattacks, cap_attacks;
    struct scn_addition *adds;
    uint32_t nadds, cap_adds;
    enum scn_verdict expect[POL_COUNT];
    struct scn_pos expect_pos[POL_COUNT];
    bool has_expect;
    uint32_t run_ms; /* `run`: the loader's deadline in virtual time; 0: not declared (1 s) */
    struct scn_pos run_pos;
    struct an_map task_map, service_map, contract_map, channel_map;
};

/* Parses a scenario from memory. On error returns AN_E_SYNTAX/AN_E_SEMANTIC/AN_E_LIMIT with
 * diagnostics in d and leaves *s freed; never reads outside buf[0..len). */
enum an_status scn_parse(const char *file, const char *buf, size_t len, struct scn *s,
                         struct an_diag *d);
/* Reads and parses a file. */
enum an_status scn_load(const char *path, struct scn *s, struct an_diag *d);
/* Resolves names and checks consistency (called by scn_parse). */
enum an_status scn_check(struct scn *s, struct an_diag *d);
void scn_free(struct scn *s);

uint32_t scn_task_find(const struct scn *s, const char *name);
uint32_t scn_service_find(const struct scn *s, const char *name);
uint32_t scn_channel_find(const struct scn *s, const char *name);
uint32_t scn_contract_msg_find(const struct scn_contract *c, const char *name);
uint32_t scn_role_state_find(const struct scn_role *r, const char *name);
/* The chief (creator) of task t, or SCN_NONE for a root of the creation tree. */
static inline uint32_t scn_parent(const struct scn *s, uint32_t t)
{
    return s->tasks[t].parent.idx;
}

#endif
