/* SPDX-License-Identifier: MIT */
/*
 * The server of boot test idl_fuzz: serves interface demo (idl/demo.idl) through its generated
 * dispatch and loop while idlfuzz sends it malformed messages; it must never crash and must
 * answer each one. Counts what reached an operation; ends after 200 ms without a message.
 */
#include "demo_idl.h"
#include "ulib.h"

static unsigned long accepted;

static long op_add(void *ctx, word_t label, int32_t a, int32_t b, int64_t *sum)
{
    (void)ctx, (void)label;
    accepted++;
    *sum = (int64_t)a + b;
    return 0;
}

static long op_echo(void *ctx, word_t label, const char *msg, char *back)
{
    (void)ctx, (void)label;
    accepted++;
    strlcpy(back, msg, demo_echo_back_MAX + 1);
    return 0;
}

static long op_sum(void *ctx, word_t label, const uint32_t *v, uint32_t n, uint64_t *total)
{
    (void)ctx, (void)label;
    accepted++;
    *total = 0;
    for (uint32_t i = 0; i < n; i++)
        *total += v[i];
    return 0;
}

static long op_fill(void *ctx, word_t label, uint8_t byte, uint8_t *buf, uint16_t *n)
{
    (void)ctx, (void)label;
    accepted++;
    *n = byte % (demo_fill_buf_MAX + 1);
    memset(buf, byte, *n);
    return 0;
}

static long op_swap(void *ctx, word_t label, word_t *x, uint8_t pair[2])
{
    (void)ctx, (void)label;
    accepted++;
    uint8_t t = pair[0];
    pair[0] = pair[1];
    pair[1] = t;
    *x = ~*x;
    return 0;
}

static long op_note(void *ctx, word_t label, word_t what)
{
    (void)ctx, (void)label, (void)what;
    accepted++;
    return 0;
}

/* share and lend are left out (NULL): a request for them is answered E_NOSYS. */
static const struct demo_server server = {.add = op_add,
                                          .echo = op_echo,
                                          .sum = op_sum,
                                          .fill = op_fill,
                                          .swap = op_swap,
                                          .note = op_note};

int main(void)
{
    long n = demo_serve(&server, NULL, 200000);
    printf("idlfuzzd: %ld messages, %lu reached an operation; %s\n", n, accepted,
           n >= 0 ? "idle, leaving" : status_text(n));
    return n >= 0 ? 0 : 1;
}
