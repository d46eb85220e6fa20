/* SPDX-License-Identifier: MIT */
/*
 * The attacker of probe_ids.scn: learns which threads and tasks exist by trying names it was
 * never given, 1..1023, with every system call that takes a name and answers differently for
 * a name that means something:
 *   IPC send, timeout zero  no partner / empty slot  vs  send timeout or delivered
 *   closed wait, timeout 0  no partner               vs  receive timeout
 *   endpoint_create         no such object           vs  a name
 *   notify_bind             no such object           vs  not permitted (someone else's)
 *   task_wait, name_give    no such object           vs  not a child of the caller
 * It prints what it learned; the verdict comes from the trace (did the kernel resolve its
 * sends to other tasks' threads?), not from here.
 */
#include "scn.h"

#define NAMES 1024

static char found[64][80];
static unsigned nfound;

static void learned(const char *what, word_t name, long r)
{
    if (nfound < 64)
        snprintf(found[nfound], sizeof(found[0]), "%s %lu (%s)", what, name,
                 r >= 0 ? "ok" : status_text(r));
    nfound++;
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    const char *me = scn_self();
    word_t self = self_thread(), self_t = self_task();
    sleep_us(5000); /* the others are up */
    unsigned ipc_exists = 0, ipc_delivered = 0, recv_exists = 0, ep_exists = 0, notif_exists = 0,
             task_exists = 0;
    char threads[256] = "", tasks[256] = "";
    size_t tl = 0, kl = 0;

    for (word_t n = 1; n < NAMES; n++) {
        if (n == self) continue;
        utcb()->mr[0] = 0x9e0be;
        long r = ipc_send(n, MSGTAG(0x666, 1, 0, 0), TIMEOUT_ZERO);
        if (r == 0 || r == -E_SEND_TIMEOUT) {
            ipc_exists++;
            if (r == 0) ipc_delivered++;
            if (tl + 8 < sizeof(threads))
                tl += (size_t)snprintf(threads + tl, sizeof(threads) - tl, "%lu%s ", n,
                                       r == 0 ? "*" : "");
        } else if (r != -E_NOPARTNER && r != -E_NOCAP && r != -E_WRONGTYPE) {
            learned("ipc send", n, r);
        }
    }
    for (word_t n = 1; n < NAMES; n++) {
        if (n == self) continue;
        word_t tag, label;
        long r = ipc_recv(n, TIMEOUT_ZERO, &tag, &label);
        if (r == 0 || r == -E_RECV_TIMEOUT) recv_exists++;
        long e = endpoint_create(n, 0);
        if (e >= 0) {
            ep_exists++;
            if (e != (long)n) name_drop((word_t)e); /* capgate: a gate of our own; drop it */
        }
        long b = notify_bind(n);
        if (b == -E_PERM || b == -E_BUSY)
            notif_exists++;
        else if (b == 0)
            learned("notify_bind took", n, b);
        if (n == self_t) continue;
        struct task_exit ex;
        long w = task_wait(n, &ex);
        long g = name_give(n, 1, NAME_SEND);
        if (w == -E_CHILD || g == -E_CHILD) {
            task_exists++;
            if (kl + 8 < sizeof(tasks))
                kl += (size_t)snprintf(tasks + kl, sizeof(tasks) - kl, "%lu ", n);
        } else if (w != -E_NOENT || (g != -E_NOENT && g != -E_NOCAP)) {
            learned("task_wait/name_give", n, w != -E_NOENT ? w : g);
        }
    }
    printf("%s: names that IPC resolved (* = delivered): %s\n", me, threads);
    printf("%s: names task_wait/name_give know as tasks: %s\n", me, tasks);
    for (unsigned i = 0; i < nfound && i < 64; i++)
        printf("%s: also: %s\n", me, found[i]);
    scn_record("of names 1..%d: %u resolved by IPC (%u delivered), %u by a closed wait, %u by "
               "endpoint_create, %u notifications, %u tasks; %u other answers",
               NAMES - 1, ipc_exists, ipc_delivered, recv_exists, ep_exists, notif_exists,
               task_exists, nfound);
    return 0;
}
