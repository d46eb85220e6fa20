/* SPDX-License-Identifier: MIT */
/*
 * chief: a task whose only job is to be a chief (backend clans): declared as the parent of a
 * clan in a scenario, it starts its children as the loader asks and, through the scenario
 * runtime's chief thread (user/lib/chief.c), receives every IPC the kernel redirects to it,
 * forwarding in the original sender's name what its rule table (derived by `ipcan setup -p
 * clans` from the declared channels) allows, dropping or answering the rest, with timeouts, and
 * tracing each decision. Its main thread reports its table and waits for its clan to end.
 */
#include "chief.h"
#include "scn.h"

int main(word_t arg)
{
    long r = scn_init(arg);
    if (r < 0) return 1;
    if (!scn_backend()->redirects) {
        printf("[chief %s] backend %s redirects nothing: nothing to do\n", scn_self(),
               scn_policy());
        return 0;
    }
    printf("[chief %s] serving its clan\n", scn_self());
    return 0; /* the runtime waits for the children, the chief thread serves meanwhile */
}
