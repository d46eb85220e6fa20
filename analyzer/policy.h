/* SPDX-License-Identifier: MIT */
/* The host-side backend table: how each IPC-control policy derives its setup from a scenario,
 * which communication that setup permits (with a derivation), and the same as Datalog for Z3. */
#ifndef POLICY_H
#define POLICY_H

#include "abi/backend.h"
#include "bitmat.h"
#include "scn_model.h"

/* The backends' properties, BACKEND_TABLE of include/abi/backend.h: the same rows the kernel
 * reports through kinfo(KINFO_POLICY) (policy_table.c). */
extern const struct backend_desc an_backend_descs[BACKEND_COUNT];

struct an_backend {
    enum an_policy_id id;
    const char *name;
    const char *summary; /* one line: what a name is and what the kernel checks */
    /* Its row of BACKEND_TABLE: names global or task-local (probing leaks), how long a reply
     * right lives (late replies), whether messages queue in kernel memory (kernel-memory DoS). */
    const struct backend_desc *desc;
    const char *additions_help; /* the verbs a `policy <name> { }` block accepts */
    /* Validates one `policy <name> { verb args }` line, resolving its arguments. */
    bool (*check_addition)(const struct scn *s, struct scn_addition *a, struct an_diag *d);
    /* Derives the backend's setup (rights, rules, gates) from the channels and additions. */
    void *(*derive)(const struct scn *s);
    void (*free_setup)(void *setup);
    /* The setup as text, one fact per line. */
    void (*describe)(const struct scn *s, const void *setup, struct an_buf *out);
    /* The permitted relation: perm is n x n (n = tasks), zeroed on entry. */
    void (*closure)(const struct scn *s, void *setup, struct bitmat *perm);
    /* Why a may send to b (the chain of rights, forwards or rules), or why it may not. */
    void (*explain)(const struct scn *s, void *setup, uint32_t a, uint32_t b, struct an_buf *out);
    /* A Datalog (Z3 fixed-point) program whose relation `send` is the permitted relation;
     * tasks are bit-vector constants of width `bits` (task i is i). */
    void (*z3_program)(const struct scn *s, const void *setup, unsigned bits, struct an_buf *out);
    /* Whether `attacker` can send with the identity the receiver of channel ch trusts. */
    bool (*can_spoof)(const struct scn *s, void *setup, uint32_t attacker, uint32_t ch,
                      struct an_buf *why);
    /* IPCs one message from a to b costs (chief redirection); NULL means always 1. */
    uint32_t (*ipc_count)(const struct scn *s, void *setup, uint32_t a, uint32_t b);
    /* A name from the name service is not authority: the rules come from the declared
     * channels only (refmon's monitor), so a listed name reaches only what `perm` allows. */
    bool names_not_authority;
};

const struct an_backend *an_backend_get(enum an_policy_id id);
/* Runs every backend's check_addition on the scenario's policy blocks. */
bool an_backends_check_additions(const struct scn *s, struct an_diag *d);
/* "none, clans, ports, refmon, capgate" */
const char *an_backend_list(void);

/* Helpers shared by the backends (policy_common.c). */
void pol_emit_task_facts(const struct scn *s, unsigned bits, struct an_buf *out);
void pol_bv(unsigned bits, uint32_t v, char *buf, size_t n);
bool pol_arg_task(const struct scn *s, struct scn_addition *a, uint32_t i, struct an_diag *d);
bool pol_arg_service(const struct scn *s, struct scn_addition *a, uint32_t i, struct an_diag *d);
bool pol_arg_channel(const struct scn *s, struct scn_addition *a, uint32_t i, struct an_diag *d);
bool pol_arg_word(struct scn_addition *a, uint32_t i, const char *word, struct an_diag *d);
bool pol_nargs(struct scn_addition *a, uint32_t min, uint32_t max, const char *usage,
               struct an_diag *d);
/* The claims whose tasks, under the scenario's naming, may end up behind channel ch's name
 * besides its declared provider (claimants of the same name under flat naming), any number:
 * the first such claim index >= from, or SCN_NONE. */
uint32_t pol_name_rival(const struct scn *s, uint32_t ch, uint32_t from);
/* clans: the chiefs' rule table as boot-setup lines ("forward CHIEF SRC DST"). */
void clans_setup_rules(const struct scn *s, struct an_buf *out);

#define POL_FOR_RIVALS(s, ch, k)                                                                   \
    for (uint32_t k = pol_name_rival(s, ch, 0); k != SCN_NONE; k = pol_name_rival(s, ch, k + 1))

#endif
