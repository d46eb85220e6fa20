/* SPDX-License-Identifier: MIT */
/*
 * A generic request/response server on the stubs ipcidl generates from idl/rpc.idl: answers
 * every `req` (proto 1) with the label the request came with (proto 2) and keeps its own record
 * of who each request came from, as far as it can tell (the channel its label belongs to): the
 * first request per label. The generated dispatch answers anything malformed with an error and
 * keeps serving. Ends after 100 ms without a message.
 */
#include "rpc_idl.h"
#include "scn.h"

static word_t seen[64];
static unsigned nseen;

static long serve_req(void *ctx, word_t label, word_t *seen_label)
{
    (void)ctx;
    *seen_label = label;
    for (unsigned i = 0; i < nseen; i++)
        if (seen[i] == label) return 0;
    if (nseen < 64) seen[nseen++] = label;
    const char *ch = scn_sender(label);
    scn_record("received proto %lu with label 0x%lx via %s", rpc_PROTO, label,
               ch ? ch : "an undeclared sender");
    return 0;
}

static const struct rpc_server server = {.req = serve_req};

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long n = rpc_serve(&server, NULL, 100000);
    printf("%s: served %ld messages\n", scn_self(), n);
    return 0;
}
