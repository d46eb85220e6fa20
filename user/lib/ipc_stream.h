/* SPDX-License-Identifier: MIT */
/*
 * IPC streams: marshalling into and out of a UTCB with bounds checks, in the spirit of L4Re's
 * and Genode's streams, for C. A writer collects untyped words and typed items (strings,
 * flexpages) and lays them out as the ABI requires (words first, items after) when the tag is
 * taken; a reader takes them out again and never reads past what the tag says arrived. Every
 * error is sticky: after the first one nothing more is written or read, and the error is
 * reported once at the end, so marshalling code needs no check per call.
 *
 *   struct ipc_writer w;                       // client
 *   ipc_writer_init(&w, utcb(), OP_WRITE);
 *   ipc_put_word(&w, fd);
 *   ipc_put_bytes(&w, name, strlen(name));
 *   ipc_put_string(&w, buf, len);
 *   struct ipc_reader r;
 *   long err = ipc_stream_call(&w, server, &r, TIMEOUT_NEVER, TIMEOUT_NEVER);
 *   word_t written;
 *   if (!err) ipc_get_word(&r, &written);
 *
 *   struct ipc_reader r;                       // server, after a receive
 *   ipc_reader_init(&r, utcb(), tag);
 *   ipc_get_word(&r, &fd); ipc_get_bytes(&r, name, sizeof(name), &n);
 *   ipc_get_string(&r, &addr, &len);
 *   if (ipc_reader_error(&r) || !ipc_reader_done(&r)) -> reply with an error
 *
 * Operates on an explicit UTCB, so it also runs on the host (unit tests).
 */
#ifndef ULIB_IPC_STREAM_H
#define ULIB_IPC_STREAM_H

#include "abi/ipc.h"
#include "abi/status.h"

#define IPC_STREAM_MAX_ITEMS 31u /* the tag's item field has 5 bits */

struct ipc_writer {
    struct utcb *u;
    word_t label;
    unsigned words;                        /* untyped words written so far */
    unsigned items;                        /* typed items collected so far */
    word_t item[2 * IPC_STREAM_MAX_ITEMS]; /* laid out after the words by ipc_writer_tag */
    enum status err;
};

struct ipc_reader {
    const struct utcb *u;
    unsigned words, items; /* what the tag says arrived (clamped to the UTCB) */
    unsigned pos, item;    /* next word, next item */
    enum status err;
};

void ipc_writer_init(struct ipc_writer *w, struct utcb *u, word_t label);
void ipc_put_word(struct ipc_writer *w, word_t v);
void ipc_put_words(struct ipc_writer *w, const word_t *v, unsigned n);
/* A length word, then the bytes packed into words (the last one zero-padded). */
void ipc_put_bytes(struct ipc_writer *w, const void *p, size_t len);
/* A string item: the kernel copies len bytes from addr into the receiver's buffer. */
void ipc_put_string(struct ipc_writer *w, const void *addr, size_t len);
/* Map / grant items of memory (ipc_put_map) or of any flexpage kind (ipc_put_map_kind). */
void ipc_put_map(struct ipc_writer *w, word_t fpage, word_t hotspot);
void ipc_put_grant(struct ipc_writer *w, word_t fpage, word_t hotspot);
void ipc_put_map_kind(struct ipc_writer *w, unsigned type, unsigned kind, word_t fpage,
                      word_t hotspot);
/*
 * A backend name (IDL `cap`), given as a flexpage FPAGE(name << 12, 0, rights): where names are
 * task-local (capgate, ports) a map item of kind FPAGE_KIND_BACKEND, which the kernel transfers;
 * where they are global (none, clans, refmon) the flexpage word itself among the words, as
 * scn_put_name does. The default is the item; the runtime says which once it knows the backend.
 */
void ipc_stream_names_global(bool global);
bool ipc_stream_names_are_global(void);
void ipc_put_name(struct ipc_writer *w, word_t fpage);

/*
 * Lays the items out after the words and returns the message tag. After an error it returns
 * IPC_STREAM_BAD_TAG, a tag the kernel refuses (E_INVAL), so a half-built message can never
 * be sent by mistake (an empty tag would be a valid message, and as a fault reply a resume).
 */
#define IPC_STREAM_BAD_TAG MSGTAG(0, 0x7f, 0x1f, 0)
word_t ipc_writer_tag(struct ipc_writer *w);
static inline enum status ipc_writer_error(const struct ipc_writer *w)
{
    return w->err;
}

void ipc_reader_init(struct ipc_reader *r, const struct utcb *u, word_t tag);
void ipc_get_word(struct ipc_reader *r, word_t *v);
void ipc_get_words(struct ipc_reader *r, word_t *v, unsigned n);
/* Refuses (E_RANGE) a packed length above cap or beyond the message; *len gets the length. */
void ipc_get_bytes(struct ipc_reader *r, void *buf, size_t cap, size_t *len);
void ipc_get_string(struct ipc_reader *r, word_t *addr, size_t *len);
/* A map or grant item of memory; an item of another kind is E_INVAL (use ipc_get_map_kind). */
void ipc_get_map(struct ipc_reader *r, word_t *fpage, word_t *hotspot);
void ipc_get_map_kind(struct ipc_reader *r, unsigned *kind, word_t *fpage, word_t *hotspot);
/* A backend name as ipc_put_name sends it; an item of memory is E_INVAL. */
void ipc_get_name(struct ipc_reader *r, word_t *fpage);
static inline enum status ipc_reader_error(const struct ipc_reader *r)
{
    return r->err;
}
/* True if every word and item that arrived was consumed: a strict server's "no surprises". */
bool ipc_reader_done(const struct ipc_reader *r);

/* Receive buffers in the buffer registers. */
void ipc_buffers_clear(struct utcb *u);
void ipc_buffers_map_window(struct utcb *u, word_t fpage);
enum status ipc_buffers_add_string(struct utcb *u, void *buf, size_t size); /* E_RANGE: full */

/*
 * Calls `dest` with the writer's message (which must be in the current thread's UTCB) and
 * sets up `r` on the reply. Returns 0, -status of the marshalling, or -status of the IPC.
 */
long ipc_stream_call(struct ipc_writer *w, word_t dest, struct ipc_reader *r, uint32_t snd_timeout,
                     uint32_t rcv_timeout);

#endif
