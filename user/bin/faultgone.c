/* SPDX-License-Identifier: MIT */
/*
 * Names a fault handler that cannot take the fault: under capgate a gate with no receiver
 * (the fault used to park on it forever, unkillable, its parent's task_wait never returning),
 * under none a thread id nobody has. The task must be killed at once with "handler gone".
 */
#include "ulib.h"

int main(void)
{
    long handler = endpoint_create(0, 0x99); /* capgate: an unbound gate */
    if (handler < 0) handler = 0x3ff;        /* none: no thread has this id */
    long r = set_handlers(self_task(), (word_t)handler, (word_t)handler);
    printf("faultgone: handlers set (%s); touching the heap\n", status_text(r));
    *(volatile int *)USER_HEAP_BASE = 1;
    printf("faultgone: SURVIVED\n");
    return 1;
}
