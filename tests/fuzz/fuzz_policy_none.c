/* SPDX-License-Identifier: MIT */
/* IPC fuzzer, backend `none`: names are thread ids and the backend keeps no objects. */
#include "fuzz_policy.h"

void fuzz_policy_check(void) {}

unsigned fuzz_policy_objects(void)
{
    return 0;
}
