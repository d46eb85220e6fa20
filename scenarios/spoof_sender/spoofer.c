/* SPDX-License-Identifier: MIT */
/*
 * The attacker of spoof_sender.scn: a legitimate but unprivileged client of the bank (channel
 * c_evil, gate label 0x20) that tries everything it can to have a transfer taken as the
 * teller's (channel c_teller, gate label 0x10):
 *   1. its own channel, claiming to be the teller in the message;
 *   2. a forged message tag: the teller's gate label as protocol, then the notification flag;
 *   3. its own endpoint to the bank's thread with label 0x10 (endpoint_create), and with every
 *      other name it holds; an unbound gate with label 0x10, bound to whatever it can name;
 *   4. every name it can form (global ids 1..1023 under none, capability slots 1..255 under
 *      capgate), each with a transfer sent with timeout zero;
 *   5. a copy of the teller's own program, spawned by itself, handed its loader name.
 * What it prints is not the verdict: the bank's record is.
 */
#include "scn.h"

#define TELLER_LABEL 0x10

static const char *me;
static word_t loader;
static unsigned tries, answered_privileged;

static long attempt(word_t name, word_t tag, uint32_t snd_timeout, const char *what)
{
    struct utcb *u = utcb();
    u->mr[0] = 666;
    memcpy(&u->mr[1], "teller\0\0", 8);
    word_t rt, rl;
    tries++;
    long r = ipc_call(name, tag, snd_timeout, 20000, &rt, &rl);
    bool priv = r == 0 && MSGTAG_WORDS(rt) && u->mr[0] == 1;
    if (priv) answered_privileged++;
    printf("%s: %s (name %lu): %s%s\n", me, what, name, status_text(r),
           r == 0 ? (priv ? ", the bank says PRIVILEGED" : ", the bank says ordinary") : "");
    return r;
}

/* 5: the teller's program, started by us with our own loader name. */
static void spawn_teller_copy(void)
{
    char name[32];
    for (unsigned i = 0;; i++) {
        long size = module_info(i, name, sizeof(name));
        if (size < 0) {
            printf("%s: no boot module named 'teller' (%u modules)\n", me, i);
            return;
        }
        if (strcmp(name, "teller") != 0 && strcmp(name, "teller.elf") != 0) continue;
        long t = task_spawn(i, PRIO_DEFAULT | SPAWN_SUSPENDED, 0);
        if (t < 0) {
            printf("%s: spawning a copy of module %u '%s': %s\n", me, i, name, status_text(t));
            return;
        }
        long child = SPAWN_TASK(t);
        long given = name_give(child, loader, NAME_SEND);
        long s = task_start(child, given < 0 ? loader : (word_t)given);
        printf("%s: spawned a copy of '%s' (task name %ld), gave it my loader name (-> %ld), "
               "started: %s\n",
               me, name, child, given, status_text(s));
        struct task_exit ex;
        long w = task_wait(child, &ex);
        printf("%s: the copy ended: %s, how %lu, code %lu\n", me, status_text(w), ex.how, ex.code);
        return;
    }
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    me = scn_self();
    loader = arg;
    bool local = scn_backend()->names == BACKEND_NAMES_LOCAL; /* slots, not global ids */
    long bank = scn_channel("c_evil");
    if (bank < 0) {
        printf("%s: no channel c_evil in my setup\n", me);
        return 1;
    }
    sleep_us(5000); /* the bank starts waiting, the teller has called */

    /* 1, 2 */
    attempt((word_t)bank, MSGTAG(1, 2, 0, 0), 20000, "own channel c_evil, claiming 'teller'");
    attempt((word_t)bank, MSGTAG(TELLER_LABEL, 2, 0, 0), 20000,
            "tag forged: protocol = the teller's gate label 0x10");
    attempt((word_t)bank, MSGTAG(1, 2, 0, MSGTAG_F_NOTIFY), 20000,
            "tag forged: the notification flag");
    attempt((word_t)bank, MSGTAG(TELLER_LABEL, 2, 0, 0xf), 20000,
            "tag forged: label 0x10 and every flag");

    /* 3 */
    long ep = endpoint_create((word_t)bank, TELLER_LABEL);
    printf("%s: endpoint_create(the bank's name %ld, label 0x10) -> %ld (%s)\n", me, bank, ep,
           ep < 0 ? status_text(ep) : "a name");
    if (ep >= 0 && ep != (long)self_thread())
        attempt((word_t)ep, MSGTAG(1, 2, 0, 0), 20000, "own endpoint with label 0x10");
    unsigned made = 0, bound = 0;
    word_t limit = local ? 256 : 1024;
    for (word_t s = 1; s < limit; s++) {
        if (s == (word_t)bank) continue;
        long e = endpoint_create(s, TELLER_LABEL);
        if (e < 0) continue;
        made++;
        printf("%s: endpoint_create(%lu, 0x10) -> %ld\n", me, s, e);
        if (local) { /* a gate of our own in a slot: drop it */
            name_drop((word_t)e);
        } else if (e == bank) {
            attempt((word_t)e, MSGTAG(1, 2, 0, 0), 20000, "endpoint to a guessed thread");
        }
    }
    long gate = endpoint_create(0, TELLER_LABEL); /* unbound (capgate); E_NOENT under none */
    printf("%s: endpoint_create(no thread, 0x10) -> %ld%s\n", me, gate,
           gate < 0 ? "" : " (an unbound gate)");
    if (gate > 0) {
        for (word_t s = 1; s < 256; s++) {
            if (s == (word_t)gate || endpoint_bind((word_t)gate, s) != 0) continue;
            bound++;
            printf("%s: bound my 0x10 gate to the thread named %lu\n", me, s);
        }
        if (!bound) attempt((word_t)gate, MSGTAG(1, 2, 0, 0), 5000, "my unbound 0x10 gate");
        name_drop((word_t)gate);
    }
    printf("%s: %u endpoints from other names, %u bindings\n", me, made, bound);

    /* 4: every name, timeout zero */
    unsigned delivered = 0, refused = 0;
    word_t self = self_thread();
    for (word_t s = 1; s < limit; s++) {
        if (s == self) continue;
        struct utcb *u = utcb();
        u->mr[0] = 667;
        memcpy(&u->mr[1], "teller\0\0", 8);
        long r = ipc_send(s, MSGTAG(1, 2, 0, 0), TIMEOUT_ZERO);
        if (r == 0) {
            delivered++;
            printf("%s: a transfer sent to name %lu was delivered\n", me, s);
        } else {
            refused++;
        }
    }
    printf("%s: names 1..%lu: %u delivered, %u not\n", me, limit - 1, delivered, refused);

    /* 5 */
    spawn_teller_copy();

    scn_record("tried %u calls, %u answered as privileged; %u zero-timeout sends delivered "
               "(the bank's record decides)",
               tries, answered_privileged, delivered);
    return 0;
}
