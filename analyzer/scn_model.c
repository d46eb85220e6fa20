/* SPDX-License-Identifier: MIT */
/* Scenario model helpers: names of enums, lookups, and freeing. */
#include "scn_model.h"

#include <stdlib.h>
#include <string.h>

const char *const an_policy_names[POL_COUNT] = {"none", "clans", "ports", "refmon", "capgate"};

const char *const scn_attack_names[ATTACK_COUNT] = {
    "reach", "probe", "enumerate", "spoof", "dos", "late_reply", "third_reply", "hijack", "deputy"};
const char *const scn_phase_names[PHASE_COUNT] = {"", "until revoke", "after death",
                                                  "after rebind"};

enum an_policy_id an_policy_lookup(const char *name)
{
    for (int i = 0; i < POL_COUNT; i++)
        if (strcmp(an_policy_names[i], name) == 0) return (enum an_policy_id)i;
    return POL_COUNT;
}

const char *scn_verdict_name(enum scn_verdict v)
{
    switch (v) {
    case VERDICT_BLOCKED:
        return "blocked";
    case VERDICT_SUCCEEDED:
        return "succeeded";
    case VERDICT_NA:
        return "n/a";
    case VERDICT_INCOMPLETE:
        return "incomplete";
    case VERDICT_INCONCLUSIVE:
        return "inconclusive";
    case VERDICT_UNSET:
        break;
    }
    return "unset";
}

const char *scn_mode_name(enum scn_mode m)
{
    return m == MODE_ASYNC ? "async" : m == MODE_LOSSY ? "lossy" : "sync";
}

static uint32_t map_find(const struct an_map *m, const char *name)
{
    uint32_t v;
    return an_map_get(m, name, &v) ? v : SCN_NONE;
}

uint32_t scn_task_find(const struct scn *s, const char *name)
{
    return map_find(&s->task_map, name);
}
uint32_t scn_service_find(const struct scn *s, const char *name)
{
    return map_find(&s->service_map, name);
}
uint32_t scn_channel_find(const struct scn *s, const char *name)
{
    return map_find(&s->channel_map, name);
}

uint32_t scn_contract_msg_find(const struct scn_contract *c, const char *name)
{
    for (uint32_t i = 0; i < c->nmsgs; i++)
        if (strcmp(c->msgs[i].name, name) == 0) return i;
    return SCN_NONE;
}

uint32_t scn_role_state_find(const struct scn_role *r, const char *name)
{
    for (uint32_t i = 0; i < r->nstates; i++)
        if (strcmp(r->states[i], name) == 0) return i;
    return SCN_NONE;
}

static void free_role(struct scn_role *r)
{
    for (uint32_t i = 0; i < r->nstates; i++)
        free(r->states[i]);
    free(r->initial.name);
    for (uint32_t i = 0; i < r->ntrans; i++) {
        free(r->trans[i].from.name);
        free(r->trans[i].msg.name);
        free(r->trans[i].to.name);
    }
    free(r->trans);
}

void scn_free(struct scn *s)
{
    for (uint32_t i = 0; i < s->ntasks; i++) {
        free(s->tasks[i].name);
        free(s->tasks[i].program);
        free(s->tasks[i].parent.name);
        free(s->tasks[i].monitor.name);
    }
    for (uint32_t i = 0; i < s->nservices; i++) {
        free(s->services[i].name);
        free(s->services[i].owner.name);
        free(s->services[i].regname);
    }
    for (uint32_t i = 0; i < s->nclaims; i++) {
        free(s->claims[i].task.name);
        free(s->claims[i].regname);
    }
    for (uint32_t i = 0; i < s->ncontracts; i++) {
        struct scn_contract *c = &s->contracts[i];
        free(c->name);
        for (uint32_t m = 0; m < c->nmsgs; m++)
            free(c->msgs[m].name);
        free(c->msgs);
        free_role(&c->role[0]);
        free_role(&c->role[1]);
    }
    for (uint32_t i = 0; i < s->nchannels; i++) {
        struct scn_channel *c = &s->channels[i];
        free(c->name);
        free(c->from.name);
        free(c->service.name);
        free(c->lookup);
        free(c->contract.name);
    }
    for (uint32_t i = 0; i < s->nattacks; i++) {
        free(s->attacks[i].attacker.name);
        free(s->attacks[i].target.name);
        free(s->attacks[i].as.name);
        free(s->attacks[i].via.name);
        free(s->attacks[i].phase_task.name);
    }
    for (uint32_t i = 0; i < s->nadds; i++) {
        free(s->adds[i].verb);
        for (uint32_t a = 0; a < s->adds[i].nargs; a++)
            free(s->adds[i].args[a].s);
    }
    free(s->tasks);
    free(s->services);
    free(s->claims);
    free(s->contracts);
    free(s->channels);
    free(s->attacks);
    free(s->adds);
    an_map_free(&s->task_map);
    an_map_free(&s->service_map);
    an_map_free(&s->contract_map);
    an_map_free(&s->channel_map);
    free(s->file);
    free(s->name);
    free(s->description);
    memset(s, 0, sizeof(*s));
}
