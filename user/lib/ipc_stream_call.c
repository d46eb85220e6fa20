/* SPDX-License-Identifier: MIT */
/* ipc_stream_call: the client half of the RPC pattern (ring 3 only: it makes the call). */
#include "ipc_stream.h"
#include "ulib.h"

long ipc_stream_call(struct ipc_writer *w, word_t dest, struct ipc_reader *r, uint32_t snd_timeout,
                     uint32_t rcv_timeout)
{
    if (w->u != utcb()) return -E_INVAL; /* only the calling thread's own UTCB is sent */
    word_t tag = ipc_writer_tag(w);
    if (w->err != OK) return -(long)w->err;
    word_t rtag = 0;
    long res = ipc_call(dest, tag, snd_timeout, rcv_timeout, &rtag, 0);
    ipc_reader_init(r, w->u, res == 0 ? rtag : 0);
    return res;
}
