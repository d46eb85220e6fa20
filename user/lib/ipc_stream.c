/* SPDX-License-Identifier: MIT */
/* IPC streams: bounds-checked marshalling on a UTCB (see ipc_stream.h). */
#include "ipc_stream.h"
#include "lib/mem.h"

void ipc_writer_init(struct ipc_writer *w, struct utcb *u, word_t label)
{
    w->u = u;
    w->label = label;
    w->words = w->items = 0;
    w->err = MSGTAG_LABEL(MSGTAG(label, 0, 0, 0)) == label ? OK : E_RANGE; /* 48 bits */
}

/* Room for `words` more words and `items` more items, all message registers counted. */
static bool writer_room(struct ipc_writer *w, size_t words, unsigned items)
{
    if (w->err != OK) return false;
    if (w->words + words + 2 * (size_t)(w->items + items) > UTCB_MRS ||
        w->items + items > IPC_STREAM_MAX_ITEMS) {
        w->err = E_RANGE;
        return false;
    }
    return true;
}

void ipc_put_word(struct ipc_writer *w, word_t v)
{
    if (writer_room(w, 1, 0)) w->u->mr[w->words++] = v;
}

void ipc_put_words(struct ipc_writer *w, const word_t *v, unsigned n)
{
    if (!writer_room(w, n, 0)) return;
    for (unsigned i = 0; i < n; i++)
        w->u->mr[w->words++] = v[i];
}

void ipc_put_bytes(struct ipc_writer *w, const void *p, size_t len)
{
    size_t nwords = (len + sizeof(word_t) - 1) / sizeof(word_t);
    if (len > UTCB_MRS * sizeof(word_t) || !writer_room(w, 1 + nwords, 0)) {
        if (w->err == OK) w->err = E_RANGE;
        return;
    }
    w->u->mr[w->words++] = len;
    if (nwords) w->u->mr[w->words + nwords - 1] = 0; /* the padding of the last word */
    if (len) memcpy(&w->u->mr[w->words], p, len);
    w->words += (unsigned)nwords;
}

static void put_item(struct ipc_writer *w, word_t hdr, word_t arg)
{
    if (!writer_room(w, 0, 1)) return;
    w->item[2 * w->items] = hdr;
    w->item[2 * w->items + 1] = arg;
    w->items++;
}

void ipc_put_string(struct ipc_writer *w, const void *addr, size_t len)
{
    if (len > IPC_STRING_MAX) {
        if (w->err == OK) w->err = E_INVAL;
        return;
    }
    put_item(w, ITEM_STRING_HDR(len), (word_t)addr);
}

void ipc_put_map_kind(struct ipc_writer *w, unsigned type, unsigned kind, word_t fpage,
                      word_t hotspot)
{
    if ((type != ITEM_MAP && type != ITEM_GRANT) || kind > 0xff || (hotspot & 0xfff)) {
        if (w->err == OK) w->err = E_INVAL;
        return;
    }
    put_item(w, ITEM_MAP_HDR(type, kind, hotspot), fpage);
}

void ipc_put_map(struct ipc_writer *w, word_t fpage, word_t hotspot)
{
    ipc_put_map_kind(w, ITEM_MAP, FPAGE_KIND_MEM, fpage, hotspot);
}

void ipc_put_grant(struct ipc_writer *w, word_t fpage, word_t hotspot)
{
    ipc_put_map_kind(w, ITEM_GRANT, FPAGE_KIND_MEM, fpage, hotspot);
}

/* How backend names travel (ipc_put_name): set once by the runtime (scn_init). */
static bool names_global;

void ipc_stream_names_global(bool global)
{
    names_global = global;
}

bool ipc_stream_names_are_global(void)
{
    return names_global;
}

void ipc_put_name(struct ipc_writer *w, word_t fpage)
{
    if (names_global)
        ipc_put_word(w, fpage);
    else
        ipc_put_map_kind(w, ITEM_MAP, FPAGE_KIND_BACKEND, fpage, 0);
}

word_t ipc_writer_tag(struct ipc_writer *w)
{
    if (w->err != OK) return IPC_STREAM_BAD_TAG;
    for (unsigned i = 0; i < 2 * w->items; i++)
        w->u->mr[w->words + i] = w->item[i];
    return MSGTAG(w->label, w->words, w->items, 0);
}

void ipc_reader_init(struct ipc_reader *r, const struct utcb *u, word_t tag)
{
    r->u = u;
    r->words = MSGTAG_WORDS(tag);
    r->items = MSGTAG_ITEMS(tag);
    r->pos = r->item = 0;
    r->err = OK;
    if (r->words > UTCB_MRS || r->words + 2 * r->items > UTCB_MRS) { /* a lying tag */
        r->words = r->items = 0;
        r->err = E_RANGE;
    }
}

static bool reader_has(struct ipc_reader *r, size_t words)
{
    if (r->err != OK) return false;
    if (r->pos + words > r->words) {
        r->err = E_RANGE;
        return false;
    }
    return true;
}

void ipc_get_word(struct ipc_reader *r, word_t *v)
{
    if (reader_has(r, 1)) *v = r->u->mr[r->pos++];
}

void ipc_get_words(struct ipc_reader *r, word_t *v, unsigned n)
{
    if (!reader_has(r, n)) return;
    for (unsigned i = 0; i < n; i++)
        v[i] = r->u->mr[r->pos++];
}

void ipc_get_bytes(struct ipc_reader *r, void *buf, size_t cap, size_t *len)
{
    if (!reader_has(r, 1)) return;
    word_t n = r->u->mr[r->pos];
    size_t nwords = (n + sizeof(word_t) - 1) / sizeof(word_t);
    if (n > cap || n > UTCB_MRS * sizeof(word_t) || r->pos + 1 + nwords > r->words) {
        r->err = E_RANGE;
        return;
    }
    r->pos++;
    if (n) memcpy(buf, &r->u->mr[r->pos], n);
    r->pos += (unsigned)nwords;
    *len = n;
}

/* The next typed item, if it is of one of the expected types. */
static const word_t *next_item(struct ipc_reader *r, unsigned type_a, unsigned type_b)
{
    if (r->err != OK) return NULL;
    if (r->item >= r->items) {
        r->err = E_RANGE;
        return NULL;
    }
    const word_t *it = &r->u->mr[r->words + 2 * r->item];
    if (ITEM_TYPE(it[0]) != type_a && ITEM_TYPE(it[0]) != type_b) {
        r->err = E_INVAL;
        return NULL;
    }
    r->item++;
    return it;
}

void ipc_get_string(struct ipc_reader *r, word_t *addr, size_t *len)
{
    const word_t *it = next_item(r, ITEM_STRING, ITEM_STRING);
    if (it == NULL) return;
    *len = ITEM_STRING_LEN(it[0]);
    *addr = it[1];
}

void ipc_get_map_kind(struct ipc_reader *r, unsigned *kind, word_t *fpage, word_t *hotspot)
{
    const word_t *it = next_item(r, ITEM_MAP, ITEM_GRANT);
    if (it == NULL) return;
    *kind = ITEM_MAP_KIND(it[0]);
    *hotspot = ITEM_MAP_HOTSPOT(it[0]);
    *fpage = it[1];
}

void ipc_get_map(struct ipc_reader *r, word_t *fpage, word_t *hotspot)
{
    if (r->err == OK && r->item < r->items &&
        ITEM_MAP_KIND(r->u->mr[r->words + 2 * r->item]) != FPAGE_KIND_MEM) {
        r->err = E_INVAL; /* a capability is not memory */
        return;
    }
    unsigned kind;
    ipc_get_map_kind(r, &kind, fpage, hotspot);
}

void ipc_get_name(struct ipc_reader *r, word_t *fpage)
{
    if (names_global) {
        ipc_get_word(r, fpage);
        return;
    }
    unsigned kind = FPAGE_KIND_MEM;
    word_t hot = 0, fp = 0;
    ipc_get_map_kind(r, &kind, &fp, &hot);
    if (r->err != OK) return;
    if (kind == FPAGE_KIND_MEM) {
        r->err = E_INVAL; /* memory is not a name */
        return;
    }
    *fpage = fp;
}

bool ipc_reader_done(const struct ipc_reader *r)
{
    return r->err == OK && r->pos == r->words && r->item == r->items;
}

void ipc_buffers_clear(struct utcb *u)
{
    for (unsigned i = 0; i < UTCB_BRS; i++)
        u->br[i] = 0;
}

void ipc_buffers_map_window(struct utcb *u, word_t fpage)
{
    u->br[BR_MAP_WINDOW] = fpage;
}

enum status ipc_buffers_add_string(struct utcb *u, void *buf, size_t size)
{
    word_t n = u->br[BR_NSTRINGS];
    if (n >= UTCB_BR_STRINGS) return E_RANGE;
    u->br[BR_STRING0 + 2 * n] = (word_t)buf;
    u->br[BR_STRING0 + 2 * n + 1] = size;
    u->br[BR_NSTRINGS] = n + 1;
    return OK;
}
