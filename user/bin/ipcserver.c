/* SPDX-License-Identifier: MIT */
/* The IPC test server: answers by the label of each request (see ipcclient.c). */
#include "ulib.h"

enum { OP_ECHO = 1, OP_NO_REPLY = 2, OP_SLOW = 3, OP_DIE = 4, OP_STRING = 5, OP_STREAM = 6 };

static char sbuf[64];

int main(void)
{
    word_t tag, label;
    /* One 64-byte receive buffer for string items. */
    utcb()->br[BR_NSTRINGS] = 1;
    utcb()->br[BR_STRING0] = (word_t)sbuf;
    utcb()->br[BR_STRING0 + 1] = sizeof(sbuf);
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    for (;;) {
        if (r < 0) {
            printf("ipcserver: receive failed: %s\n", status_text(r));
            r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
            continue;
        }
        struct utcb *u = utcb();
        unsigned words = MSGTAG_WORDS(tag);
        switch (MSGTAG_LABEL(tag)) {
        case OP_ECHO:
            for (unsigned i = 0; i < words; i++)
                u->mr[i] += 1;
            r = ipc_reply_wait(MSGTAG(OP_ECHO, words, 0, 0), TIMEOUT_NEVER, &tag, &label);
            break;
        case OP_NO_REPLY:
            /* Start a new wait without replying: the reply capability is gone after it. */
            r = ipc_wait(TIMEOUT_ZERO, &tag, &label);
            printf("ipcserver: late reply after a new wait -> %s\n", status_text(ipc_reply(0)));
            r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
            break;
        case OP_SLOW:
            sleep_us(20000);
            printf("ipcserver: reply after the caller gave up -> %s\n", status_text(ipc_reply(0)));
            r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
            break;
        case OP_STRING: {
            word_t len = ITEM_STRING_LEN(u->mr[words]);
            printf("ipcserver: string item of %lu bytes at 0x%lx: '%.*s'\n", len, u->mr[words + 1],
                   (int)len, (const char *)u->mr[words + 1]);
            u->mr[0] = len;
            r = ipc_reply_wait(MSGTAG(OP_STRING, 1, 0, 0), TIMEOUT_NEVER, &tag, &label);
            break;
        }
        case OP_STREAM: { /* unmarshal strictly, answer through a writer */
            struct ipc_reader in;
            word_t n = 0, addr = 0;
            size_t blen = 0, slen = 0;
            char bytes[32];
            ipc_reader_init(&in, u, tag);
            ipc_get_word(&in, &n);
            ipc_get_bytes(&in, bytes, sizeof(bytes), &blen);
            ipc_get_string(&in, &addr, &slen);
            bool ok = ipc_reader_error(&in) == OK && ipc_reader_done(&in);
            printf("ipcserver: stream request %s: word %lu, bytes '%.*s', string of %zu bytes\n",
                   ok ? "well-formed" : "MALFORMED", n, (int)blen, bytes, slen);
            struct ipc_writer out;
            ipc_writer_init(&out, u, OP_STREAM);
            ipc_put_word(&out, ok ? n + blen + slen : 0);
            r = ipc_reply_wait(ipc_writer_tag(&out), TIMEOUT_NEVER, &tag, &label);
            break;
        }
        case OP_DIE:
            printf("ipcserver: exiting with a call unanswered\n");
            return 0;
        default:
            printf("ipcserver: message label %lu, %u words from %lu (no reply expected)\n",
                   MSGTAG_LABEL(tag), words, label);
            r = ipc_reply_wait(0, TIMEOUT_NEVER, &tag, &label);
            if (r == -E_NOREPLY) {
                printf("ipcserver: reply to a plain send -> %s\n", status_text(r));
                r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
            }
            break;
        }
    }
}
