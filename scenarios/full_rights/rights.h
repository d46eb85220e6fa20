/* SPDX-License-Identifier: MIT */
/* full_rights: a name put into a message with every right the backend lets it carry. */
#ifndef SCN_FULL_RIGHTS_H
#define SCN_FULL_RIGHTS_H

#include "scn.h"
#include "abi/ports.h" /* the receive right's disposition */

#define GRANT_REQ 7 /* contract grant_rpc: the request for rights, and the answer */
#define GRANT_RESP 8

/* The words and items of a message carrying `name` after `words` untyped words: a port's
 * receive right (moved), a gate capability with send, give and bind (R, W, X), an IPC right
 * with send and map (reference monitor), or the bare global id. */
static inline word_t put_every_right(word_t label, unsigned words, word_t name)
{
    const struct backend_desc *be = scn_backend();
    struct utcb *u = utcb();
    if (be->names == BACKEND_NAMES_LOCAL) {
        u->mr[words] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
        u->mr[words + 1] = be->label == BACKEND_LABEL_PORT
                               ? PORTS_RIGHT(name, PORTS_DISP_MOVE_RECEIVE)
                               : FPAGE(name << 12, 0, FPAGE_R | FPAGE_W | FPAGE_X);
        return MSGTAG(label, words, 1, 0);
    }
    u->mr[words] = name;
    if (!be->revocable) return MSGTAG(label, words + 1, 0, 0);
    u->mr[words + 1] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
    u->mr[words + 2] = FPAGE(name << 12, 0, FPAGE_R | FPAGE_W);
    return MSGTAG(label, words + 1, 1, 0);
}

#endif
