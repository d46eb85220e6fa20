/* SPDX-License-Identifier: MIT */
/*
 * Partner of scalebench (the scaling experiments of `make compare`): replies to every call
 * (label 1) with the words it got; label 3 starts up to mr[0] helper threads that answer calls
 * the same way and replies with a name for each (the rights a refmon client can come to hold);
 * label 2 ends it. Its capability window takes the gates a capgate client delegates to it.
 */
#include "ulib.h"

#define HELPERS_MAX 40
#define HELPER_STACK 2048
#define OBJ_WINDOW_FIRST 128 /* capability slots 128..255 take delegated capabilities */

static unsigned char stacks[HELPERS_MAX][HELPER_STACK] __attribute__((aligned(16)));
static unsigned helpers;

static long helper(word_t arg)
{
    (void)arg;
    word_t tag, label;
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    for (;;) {
        if (r < 0)
            r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
        else
            r = ipc_reply_wait(MSGTAG(1, 0, 0, 0), TIMEOUT_NEVER, &tag, &label);
    }
    return 0;
}

/* Starts up to `want` more helpers (the thread quota stops it); their names go in mr[0..]. */
static word_t start_helpers(word_t want)
{
    word_t names[HELPERS_MAX];
    unsigned n = 0;
    while (n < want && helpers < HELPERS_MAX) {
        long t = thread_start(helper, 0, stacks[helpers], HELPER_STACK, PRIO_DEFAULT);
        if (t < 0) break;
        long ep = endpoint_create((word_t)t, 0x5ca1e);
        if (ep < 0) break;
        helpers++;
        names[n++] = (word_t)ep;
    }
    for (unsigned i = 0; i < n; i++)
        utcb()->mr[i] = names[i];
    return MSGTAG(1, n, 0, 0);
}

int main(void)
{
    word_t tag, label;
    utcb()->br[BR_OBJ_WINDOW] = FPAGE((word_t)OBJ_WINDOW_FIRST << 12, 7, FPAGE_RWX);
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    for (;;) {
        while (r == 0 && MSGTAG_LABEL(tag) == 1)
            r = ipc_reply_wait(MSGTAG(1, MSGTAG_WORDS(tag), 0, 0), TIMEOUT_NEVER, &tag, &label);
        if (r != 0 || MSGTAG_LABEL(tag) == 2) break;
        word_t reply = MSGTAG_LABEL(tag) == 3 ? start_helpers(utcb()->mr[0]) : MSGTAG(1, 0, 0, 0);
        r = ipc_reply_wait(reply, TIMEOUT_NEVER, &tag, &label);
    }
    if (r == 0) ipc_reply(0);
    return r == 0 ? 0 : 1;
}
