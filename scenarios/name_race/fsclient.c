/* SPDX-License-Identifier: MIT */
/*
 * name_race: the file server's client. Looks "fs" up (retrying briefly until somebody has
 * registered it), then opens "motd" and reads it per file_rpc, and records whom it reached as
 * far as it can tell: the answer's text and the reply label. The trace shows where its calls
 * really went (client -> fs, or client -> evil).
 */
#include "scenarios/common/rpcsvc.h"

enum { FS_OPEN = 1, FS_READ = 2, FS_DATA = 3, FS_ERROR = 4 };

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(5000); /* start-up */
    long fs = -E_NOENT;
    for (int i = 0; i < 50 && fs < 0; i++) {
        fs = ns_lookup("fs");
        if (fs < 0) sleep_us(2000);
    }
    if (fs < 0) {
        scn_record("looking up \"fs\" failed: %s", status_text(fs));
        return 1;
    }
    printf("%s: \"fs\" is name 0x%lx\n", scn_self(), fs);

    word_t tag, label;
    rpc_put_text(0, "motd");
    long r = ipc_call((word_t)fs, MSGTAG(FS_OPEN, RPC_TEXT_WORDS, 0, 0), RPC_IDLE_US, RPC_IDLE_US,
                      &tag, &label);
    if (r < 0 || MSGTAG_LABEL(tag) != FS_DATA) {
        scn_record("open \"motd\" failed: %s (reply proto %lu)", status_text(r),
                   r < 0 ? 0 : MSGTAG_LABEL(tag));
        return 1;
    }
    word_t handle = utcb()->mr[0];
    utcb()->mr[0] = handle;
    r = ipc_call((word_t)fs, MSGTAG(FS_READ, 1, 0, 0), RPC_IDLE_US, RPC_IDLE_US, &tag, &label);
    if (r < 0 || MSGTAG_LABEL(tag) != FS_DATA) {
        scn_record("read failed: %s (reply proto %lu)", status_text(r),
                   r < 0 ? 0 : MSGTAG_LABEL(tag));
        return 1;
    }
    char text[RPC_TEXT_MAX + 1];
    rpc_get_text(tag, 0, text, sizeof(text));
    scn_record("opened and read \"motd\" through name 0x%lx: \"%s\" (reply label 0x%lx)", fs, text,
               label);
    return 0;
}
