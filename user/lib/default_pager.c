/* SPDX-License-Identifier: MIT */
/*
 * The default pager: a thread of the root task that answers the page faults of every task the
 * root starts. A fault in the heap window gets a zeroed page of the root's own boot memory;
 * any other fault has the task killed (the kernel reports it). It is also the root's
 * permissive reference monitor (backends that fault sends to one: refmon): a policy fault is
 * answered with the IPC right for the one thread the sender meant, so the boot modules the
 * root starts (trusted test programs) reach each other on first contact.
 */
#include "ulib.h"

#define POOL_PAGES 256
static unsigned char pool[POOL_PAGES][4096] __attribute__((aligned(4096)));
static unsigned pool_next;
static unsigned char pager_stack[8192] __attribute__((aligned(16)));

static long default_pager(word_t arg)
{
    (void)arg;
    word_t tag, label;
    long r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    while (true) {
        if (r < 0) {
            r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
            continue;
        }
        struct utcb *u = utcb();
        word_t addr = u->mr[0], reply = MSGTAG(IPC_LABEL_KILL, 0, 0, 0);
        bool heap = addr >= USER_HEAP_BASE && addr < USER_HEAP_BASE + USER_HEAP_SIZE;
        if (MSGTAG_LABEL(tag) == IPC_LABEL_POLICY_FAULT) {
            word_t dest = u->mr[1];
            u->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_BACKEND, 0);
            u->mr[1] = FPAGE(dest << 12, 0, FPAGE_R | FPAGE_W); /* and may map it on */
            reply = MSGTAG(0, 0, 1, 0);
        } else if (MSGTAG_LABEL(tag) == IPC_LABEL_PAGEFAULT && heap && pool_next < POOL_PAGES) {
            unsigned char *page = pool[pool_next++];
            memset(page, 0, sizeof(pool[0]));
            u->mr[0] = ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_MEM, addr);
            u->mr[1] = FPAGE((word_t)page, 12, FPAGE_R | FPAGE_W);
            reply = MSGTAG(0, 0, 1, 0);
        }
        r = ipc_reply_wait(reply, TIMEOUT_NEVER, &tag, &label);
    }
    return 0;
}

long default_pager_start(void)
{
    long t = thread_start(default_pager, 0, pager_stack, sizeof(pager_stack), PRIO_DEFAULT + 1);
    return t < 0 ? t : endpoint_create((word_t)t, 0xfa17);
}
