/* SPDX-License-Identifier: MIT */
/* The table of host-side backends, indexed by enum an_policy_id. */
#include "policy.h"

const struct backend_desc an_backend_descs[BACKEND_COUNT] = BACKEND_TABLE;

extern const struct an_backend an_backend_none, an_backend_clans, an_backend_ports,
    an_backend_refmon, an_backend_capgate;

static const struct an_backend *const backends[POL_COUNT] = {
    [POL_NONE] = &an_backend_none,       [POL_CLANS] = &an_backend_clans,
    [POL_PORTS] = &an_backend_ports,     [POL_REFMON] = &an_backend_refmon,
    [POL_CAPGATE] = &an_backend_capgate,
};

const struct an_backend *an_backend_get(enum an_policy_id id)
{
    return (unsigned)id < POL_COUNT ? backends[id] : NULL;
}

const char *an_backend_list(void)
{
    return "none, clans, ports, refmon, capgate";
}

bool an_backends_check_additions(const struct scn *s, struct an_diag *d)
{
    bool ok = true;
    for (uint32_t i = 0; i < s->nadds; i++) {
        struct scn_addition *a = &s->adds[i];
        ok &= backends[a->policy]->check_addition(s, a, d);
    }
    return ok;
}
