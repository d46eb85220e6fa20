/* SPDX-License-Identifier: MIT */
/*
 * Tries to take its own UTCB frame away from the kernel, as an attacker would (the kernel once
 * kept writing message registers into the freed frame): unmap it, grant it away, map a page
 * over a UTCB slot; then makes the kernel allocate page tables and receives 64 words.
 */
#include "ulib.h"

#define WINDOW (UTCB_AREA + 32 * PAGE_SIZE) /* an unused UTCB slot as a receive window */

static char stack[8192] __attribute__((aligned(16)));
static volatile word_t main_ep, helper_ready;
static long map_results[2];

/* Receives the two map attempts (both must fail), then sends 64 words to the main thread. */
static long helper(word_t arg)
{
    (void)arg;
    utcb()->br[BR_MAP_WINDOW] = FPAGE(WINDOW, 12, FPAGE_RWX);
    helper_ready = 1;
    word_t tag, label;
    for (int i = 0; i < 2; i++)
        ipc_wait(TIMEOUT_NEVER, &tag, &label);
    for (int i = 0; i < UTCB_MRS; i++)
        utcb()->mr[i] = 0x5a5a0000UL + (word_t)i;
    long r = ipc_send(main_ep, MSGTAG(0x77, UTCB_MRS, 0, 0), TIMEOUT_NEVER);
    if (r < 0) printf("utcbpin: FAIL the 64-word send: %s\n", status_text(r));
    return 0;
}

static long send_item(word_t dest, word_t type, word_t fpage)
{
    utcb()->mr[0] = ITEM_MAP_HDR(type, FPAGE_KIND_MEM, 0);
    utcb()->mr[1] = fpage;
    return ipc_send(dest, MSGTAG(0x78, 0, 1, 0), TIMEOUT_NEVER);
}

int main(void)
{
    word_t uva = utcb()->self;
    long r = unmap(FPAGE(uva, 12, FPAGE_RWX), UNMAP_SELF);
    printf("utcbpin: unmap of its own UTCB revoked %ld pages\n", r);
    long ht = thread_start(helper, 0, stack, sizeof(stack), PRIO_DEFAULT);
    long me = endpoint_create(self_thread(), 0x66);
    long hep = ht < 0 ? ht : endpoint_create((word_t)ht, 0x67);
    if (hep < 0 || me < 0) {
        printf("utcbpin: FAIL set-up: %s\n", status_text(hep < 0 ? hep : me));
        return 1;
    }
    main_ep = (word_t)me;
    while (!helper_ready)
        yield();
    map_results[0] = send_item((word_t)hep, ITEM_GRANT, FPAGE(uva, 12, FPAGE_R | FPAGE_W));
    printf("utcbpin: grant of its own UTCB: %s\n", status_text(map_results[0]));
    static char page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
    page[0] = 1;
    map_results[1] = send_item((word_t)hep, ITEM_MAP, FPAGE((word_t)page, 12, FPAGE_R | FPAGE_W));
    printf("utcbpin: map of a page into a UTCB slot: %s\n", status_text(map_results[1]));
    printf("utcbpin: UTCB still at 0x%lx: %s\n", uva, utcb()->self == uva ? "yes" : "NO");

    /* New page tables now come from free frames; a freed UTCB frame would be among them. */
    volatile word_t *heap = (volatile word_t *)USER_HEAP_BASE;
    for (word_t i = 0; i < 8; i++)
        heap[i * (0x200000 / sizeof(word_t))] = 0xabc0 + i;
    word_t tag, label;
    r = ipc_wait(TIMEOUT_NEVER, &tag, &label);
    int bad = 0;
    for (int i = 0; i < UTCB_MRS; i++)
        bad += utcb()->mr[i] != 0x5a5a0000UL + (word_t)i;
    for (word_t i = 0; i < 8; i++)
        bad += heap[i * (0x200000 / sizeof(word_t))] != 0xabc0 + i;
    printf("utcbpin: 64 words received (%s), %d wrong words or heap values\n", status_text(r), bad);
    return bad || r < 0;
}
