/* SPDX-License-Identifier: MIT */
/* Corner cases a careless or hostile task can create for itself: calling itself, being its own
 * pager, a thread dying in the middle of a call. The kernel must stay up and report. */
#include "ulib.h"

static unsigned char stack[4096] __attribute__((aligned(16)));
static long sender(word_t me)
{
    return ipc_call(me, 0, TIMEOUT_NEVER, TIMEOUT_NEVER, 0, 0); /* main receives, never replies */
}

int main(void)
{
    word_t me_thread = (word_t)sys_self(0, 0, 0, 0, 0) & 0xffffffffUL;
    word_t me = (word_t)endpoint_create(me_thread, 1); /* a name others could send to */
    printf("selfish: calling itself -> %s\n", status_text(ipc_call(me, 0, 2000, 2000, 0, 0)));
    long t = thread_start(sender, me, stack, sizeof(stack), PRIO_DEFAULT + 1);
    word_t tag, label;
    printf("selfish: a call from its own second thread arrives -> %s\n",
           status_text(ipc_wait(10000, &tag, &label)));
    (void)t;
    set_handlers(self_task(), me, me);
    printf("selfish: now its own pager; touching an unmapped page\n");
    return (int)*(volatile long *)0x30000000UL; /* the fault IPC goes to itself: nobody answers */
}
