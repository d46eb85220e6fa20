/* SPDX-License-Identifier: MIT */
/*
 * Spawns children suspended and ends without starting them: nobody else may start them, so
 * the kernel must end and free them with their creator (they used to leak, with their frames,
 * until the task pool was full).
 */
#include "ulib.h"

int main(void)
{
    char name[32];
    unsigned mod = 0;
    for (unsigned i = 1; module_info(i, name, sizeof(name)) >= 0; i++)
        if (strcmp(name, "hello_b") == 0) mod = i;
    int n = 0;
    for (int i = 0; i < 3 && mod; i++)
        if (task_spawn(mod, PRIO_DEFAULT | SPAWN_SUSPENDED, 0) > 0) n++;
    printf("orphan: spawned %d suspended children; ending without starting them\n", n);
    return 0;
}
