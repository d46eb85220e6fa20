/* SPDX-License-Identifier: MIT */
/* Faults on purpose with an exception handler installed (its thread id is main's arg). */
#include "ulib.h"

int main(word_t handler)
{
    if (set_handlers(self_task(), handler, handler) < 0) return 1;
    utcb()->mr[0] = 0x5a5a;
    __asm__ volatile("ud2");
    printf("excvictim: survived ud2 through the exception handler; mr[0] intact: %s\n",
           utcb()->mr[0] == 0x5a5a ? "yes" : "NO");
    __asm__ volatile("int3");
    printf("excvictim: survived int3\n");
    printf("excvictim: set_handlers on a task it has no name for -> %s\n",
           status_text(set_handlers(0x3ff7, handler, handler)));
    volatile unsigned long *p = (volatile unsigned long *)0xdead0000UL;
    unsigned long v = *p;
    printf("excvictim: READ SUCCEEDED %lu\n", v);
    return 0;
}
