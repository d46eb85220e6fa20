/* SPDX-License-Identifier: MIT */
/*
 * The file server (name_race, name_race_hier, name_enum, name_enum_hier): registers its service
 * fs_svc as "fs" after some start-up work, then serves until idle.
 *
 * file_rpc: open (proto 1, the path in mr[0..3]) -> data (proto 3, a handle in mr[0]);
 *           read (proto 2, the handle in mr[0]) -> data (proto 3, the text in mr[0..3]);
 *           anything else -> error (proto 4, -status in mr[0]).
 * rpc (name_enum's contract): req (proto 1 with no words: a ping) -> resp (proto 2).
 * Every request is recorded with the declared channel it came through.
 */
#include "scenarios/common/rpcsvc.h"

enum { FS_OPEN = 1, FS_READ = 2, FS_DATA = 3, FS_ERROR = 4 };
#define FS_HANDLE 7
#define STARTUP_US 20000 /* the start-up work that gives a squatter its head start */

static bool opened;

static word_t error(long status)
{
    utcb()->mr[0] = (word_t)status;
    return MSGTAG(FS_ERROR, 1, 0, 0);
}

static word_t handle(word_t tag, word_t label)
{
    struct utcb *u = utcb();
    unsigned words = MSGTAG_WORDS(tag);
    if (MSGTAG_FLAGS(tag) & (MSGTAG_F_NOTIFY | MSGTAG_F_REDIRECTED)) return ~0ul;
    if (MSGTAG_LABEL(tag) == RPC_REQ && words == 0) return rpc_handle(tag, label); /* a ping */
    if (MSGTAG_LABEL(tag) == FS_OPEN) {
        char path[RPC_TEXT_MAX + 1] = {0};
        rpc_get_text(tag, 0, path, sizeof(path));
        scn_record("open \"%s\" from %s (label 0x%lx)", path, rpc_who(label), label);
        if (strcmp(path, "motd") != 0) return error(-E_NOENT);
        opened = true;
        u->mr[0] = FS_HANDLE;
        return MSGTAG(FS_DATA, 1, 0, 0);
    }
    if (MSGTAG_LABEL(tag) == FS_READ) {
        scn_record("read from %s (label 0x%lx)", rpc_who(label), label);
        if (!opened || words != 1 || u->mr[0] != FS_HANDLE) return error(-E_INVAL);
        char text[RPC_TEXT_MAX + 1];
        snprintf(text, sizeof(text), "motd, by %s", scn_self());
        return MSGTAG(FS_DATA, rpc_put_text(0, text), 0, 0);
    }
    printf("%s: unexpected message (proto %lu, label 0x%lx)\n", scn_self(), MSGTAG_LABEL(tag),
           label);
    return error(-E_INVAL);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(STARTUP_US);
    long r = rpc_register("fs_svc", "fs");
    if (r < 0) scn_record("could not register \"fs\": %s", status_text(r));
    return rpc_serve_with(handle);
}
