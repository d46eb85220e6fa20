/* SPDX-License-Identifier: MIT */
/*
 * A manager: the parent of a service's task in the declared creation tree (its chief under
 * clans, its name-giver under hierarchical naming). No service and no channel of its own
 * under the other backends; it answers whatever reaches it and leaves when idle.
 */
#include "scenarios/common/rpcsvc.h"

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    printf("%s: managing\n", scn_self());
    return rpc_serve_text();
}
