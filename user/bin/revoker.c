/* SPDX-License-Identifier: MIT */
/*
 * Revocation must reach a send that is already blocked: a client's send waits at a busy
 * server through a gate its creator gave it; the creator revokes what it gave (unmap of the
 * capability flexpage); when the server finally waits, the send is not delivered (the commit
 * check at pick-up) and the client learns E_CANCELLED. Under `none` nothing can be revoked.
 */
#include "ulib.h"

static char stack[4096] __attribute__((aligned(16)));
static volatile int server_done;

static long server(word_t arg)
{
    (void)arg;
    sleep_us(5000); /* busy: the client's send blocks meanwhile */
    word_t tag, label;
    long r = ipc_wait(5000, &tag, &label);
    printf("revoker: the server's next wait: %s%s\n", status_text(r),
           r == 0 && utcb()->mr[0] == 0x5ec ? " (the revoked client's message arrived)" : "");
    server_done = 1;
    return 0;
}

int main(void)
{
    char name[32];
    unsigned mod = 0;
    for (unsigned i = 1; module_info(i, name, sizeof(name)) >= 0; i++)
        if (strcmp(name, "revokee") == 0) mod = i;
    long st = thread_start(server, 0, stack, sizeof(stack), PRIO_DEFAULT);
    long gate = endpoint_create((word_t)st, 0x44);
    long r = task_spawn(mod, PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
    long child = SPAWN_TASK(r);
    long given = name_give(child, (word_t)gate, NAME_SEND);
    task_start(child, (word_t)given | 1UL << 40); /* revokee.c: FROM_REVOKER */
    sleep_us(2000);
    long n = unmap(FPAGE((word_t)gate << 12, 0, 0), UNMAP_KIND(FPAGE_KIND_BACKEND));
    printf("revoker: revoked what it derived from its gate: %s\n", n < 0 ? status_text(n) : "ok");
    struct task_exit e;
    task_wait(child, &e);
    while (!server_done)
        sleep_us(1000);
    return 0;
}
