/* SPDX-License-Identifier: MIT */
/* Benchmark partner: replies to every call with the same number of words, until label 2; a
 * call of the generated ping interface (idl/ping.idl) goes through its generated inline
 * dispatch. */
#include "ping_idl.h"
#include "ulib.h"

static long null_op(void *ctx, word_t label)
{
    (void)ctx;
    (void)label;
    return 0;
}

static const struct ping_server server = {.null = null_op};

static char sbuf[4096];

/* The generated interface's calls: its inline dispatch (a switch on the tag; the function, a
 * constant here, inlined), as a generated server loop does it. A function of its own, so that
 * the compiler cannot merge its branches into the raw loop's. */
static __attribute__((noinline)) long serve_idl(word_t tag, word_t label, word_t *otag,
                                                word_t *olabel)
{
    long r = 0;
    struct utcb *u = utcb();
    while (r == 0 && MSGTAG_LABEL(tag) - ping_PROTO <= 0xff)
        r = ipc_reply_wait(ping_dispatch_inline(&server, NULL, u, tag, label), TIMEOUT_NEVER, &tag,
                           &label);
    *otag = tag, *olabel = label;
    return r;
}

int main(void)
{
    word_t tag, label;
    utcb()->br[BR_NSTRINGS] = 1; /* for the string case */
    utcb()->br[BR_STRING0] = (word_t)sbuf;
    utcb()->br[BR_STRING0 + 1] = sizeof(sbuf);
    utcb()->br[BR_MAP_WINDOW] = FPAGE(0x20000000UL, 12, FPAGE_RWX); /* for the map case */
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    for (;;) {
        /* the raw calls (label 1) in a loop of their own: one compare per call, as measured */
        while (r == 0 && MSGTAG_LABEL(tag) == 1)
            r = ipc_reply_wait(MSGTAG(1, MSGTAG_WORDS(tag), 0, 0), TIMEOUT_NEVER, &tag, &label);
        if (r != 0 || MSGTAG_LABEL(tag) == 2) break;
        if (MSGTAG_LABEL(tag) - ping_PROTO <= 0xff) {
            word_t t, l; /* main's own stay in registers for the raw loop */
            r = serve_idl(tag, label, &t, &l);
            tag = t, label = l;
        } else {
            r = ipc_reply_wait(MSGTAG(1, MSGTAG_WORDS(tag), 0, 0), TIMEOUT_NEVER, &tag, &label);
        }
    }
    if (r == 0) ipc_reply(0);
    return r == 0 ? 0 : 1;
}
