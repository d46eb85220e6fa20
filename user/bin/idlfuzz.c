/* SPDX-License-Identifier: MIT */
/*
 * Boot test idl_fuzz: fuzzes the generated server dispatch of interface demo (idl/demo.idl)
 * running in idlfuzzd (main's arg names it). From a fixed seed it sends thousands of calls:
 * valid requests of every operation, and malformed ones (another label, an unknown opcode,
 * truncated, lengthened, one word replaced, random tags and words). Every call must be
 * answered; a malformed one with exactly the error it deserves (E_WRONGTYPE, E_NOSYS, E_RANGE,
 * E_INVAL) or, for random content, with an error reply or a reply the client stub accepts; a
 * valid one with a reply the stub accepts. Then every operation once more: the server still
 * serves. Typed items are left to the host test (tests/idl), which sends them without a kernel
 * in between.
 */
#include "demo_idl.h"
#include "ulib.h"

#define ROUNDS 3000
#define TO 50000 /* µs */

static word_t rng_state = 0x1d1f022;
static word_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

enum mutation { M_NONE, M_LABEL, M_OPCODE, M_SHORT, M_LONG, M_WORD, M_RANDOM, M_COUNT };
static const char *const mutation_name[M_COUNT] = {
    "valid",      "another label",     "unknown opcode",      "truncated",
    "lengthened", "one word replaced", "random tag and words"};

static unsigned long sent[M_COUNT], errors[STATUS_COUNT], unexpected;

/* A valid request of operation k (0..5: add, echo, sum, fill, swap, note) in the UTCB. */
static word_t build(unsigned k)
{
    struct utcb *u = utcb();
    word_t tag = 0;
    uint32_t v[demo_sum_v_MAX];
    uint8_t pair[2] = {1, 2};
    for (unsigned i = 0; i < demo_sum_v_MAX; i++)
        v[i] = (uint32_t)rnd();
    switch (k) {
    case 0:
        demo_add_marshal(u, &tag, (int32_t)rnd(), (int32_t)rnd());
        break;
    case 1:
        demo_echo_marshal(u, &tag, "fuzzing the dispatch" + rnd() % 20);
        break;
    case 2:
        demo_sum_marshal(u, &tag, v, (uint32_t)(rnd() % (demo_sum_v_MAX + 1)));
        break;
    case 3:
        demo_fill_marshal(u, &tag, (uint8_t)rnd());
        break;
    case 4:
        demo_swap_marshal(u, &tag, rnd(), pair);
        break;
    default:
        demo_note_marshal(u, &tag, rnd());
        break;
    }
    return tag;
}

/* The reply to operation k parses with its generated stub (0) or is an error reply (-E_x). */
static long parse_reply(unsigned k, word_t rtag)
{
    struct utcb *u = utcb();
    int64_t s64;
    char back[demo_echo_back_MAX + 1];
    uint64_t total;
    uint8_t buf[demo_fill_buf_MAX], pair[2];
    uint16_t n;
    word_t x;
    switch (k) {
    case 0:
        return demo_add_unmarshal(u, rtag, &s64);
    case 1:
        return demo_echo_unmarshal(u, rtag, back);
    case 2:
        return demo_sum_unmarshal(u, rtag, &total);
    case 3:
        return demo_fill_unmarshal(u, rtag, buf, &n);
    case 4:
        return demo_swap_unmarshal(u, rtag, &x, pair);
    default: /* one-way: any answer is an error reply */
        return MSGTAG_LABEL(rtag) == demo_REPLY && MSGTAG_WORDS(rtag) == 1 &&
                       MSGTAG_ITEMS(rtag) == 0 && (long)u->mr[0] < 0
                   ? (long)u->mr[0]
                   : -E_PERM;
    }
}

static void fail(unsigned round, enum mutation m, unsigned k, const char *why, long got)
{
    if (unexpected++ < 10)
        printf("idlfuzz: FAIL round %u (%s, operation %u): %s (%s)\n", round, mutation_name[m], k,
               why, status_text(got));
}

/* One fuzzed call; checks the answer against what the mutation deserves. */
static void one(word_t server, unsigned round)
{
    struct utcb *u = utcb();
    unsigned k = (unsigned)(rnd() % 6);
    enum mutation m = (enum mutation)(rnd() % M_COUNT);
    /* a valid one-way request is never answered, nor is `note` with its word replaced */
    if ((m == M_NONE || m == M_WORD) && k == 5) m = M_LABEL;
    word_t tag = build(k);
    unsigned w = MSGTAG_WORDS(tag);
    long want = 0; /* 0: a good reply; 1: any well-formed answer; else the error */
    switch (m) {
    case M_NONE:
        break;
    case M_LABEL: {
        word_t label = rnd() & 0xfff;
        if (label == demo_PROTO) label++;
        tag = MSGTAG(label, w, 0, 0);
        want = -E_WRONGTYPE;
        break;
    }
    case M_OPCODE:
        u->mr[0] = 100 + rnd() % 1000000;
        want = -E_NOSYS;
        break;
    case M_SHORT:
        tag = MSGTAG(demo_PROTO, rnd() % w, 0, 0);
        want = -E_RANGE;
        break;
    case M_LONG: {
        unsigned extra = 1 + (unsigned)(rnd() % (UTCB_MRS - w));
        for (unsigned i = 0; i < extra; i++)
            u->mr[w + i] = rnd();
        tag = MSGTAG(demo_PROTO, w + extra, 0, 0);
        want = -E_INVAL;
        break;
    }
    case M_WORD:
        if (w > 1) u->mr[1 + rnd() % (w - 1)] = rnd() % 4 ? rnd() : rnd() % 64;
        want = 1;
        break;
    default: {
        unsigned n = (unsigned)(rnd() % (UTCB_MRS + 1));
        for (unsigned i = 0; i < n; i++)
            u->mr[i] = rnd() % 3 ? rnd() : rnd() % 16;
        if (n && rnd() % 2) u->mr[0] = 1 + rnd() % 8;  /* often a real opcode */
        if (n == 2 && u->mr[0] == demo_OP_note) n = 3; /* else a valid one-way message */
        tag = MSGTAG(rnd() % 4 ? demo_PROTO : rnd() & 0xffff, n, 0, 0);
        want = 1;
        break;
    }
    }
    sent[m]++;
    word_t rtag = 0;
    long r = ipc_call(server, tag, TO, TO, &rtag, 0);
    if (r < 0) return fail(round, m, k, "no answer", r);
    if (MSGTAG_LABEL(rtag) != demo_REPLY) return fail(round, m, k, "answer of another label", 0);
    /* what the server answered, read back with the stub of the operation asked for */
    long got = MSGTAG_WORDS(rtag) == 1 && MSGTAG_ITEMS(rtag) == 0 && (long)u->mr[0] < 0 &&
                       (long)u->mr[0] > -STATUS_COUNT
                   ? (long)u->mr[0]
                   : parse_reply(k, rtag);
    if (got < 0) errors[-got]++;
    if (want == 1) {
        /* random content: an error reply, or a good reply of the operation that was asked for
         * (a replaced word may still be valid; random words name some operation) */
        if (got > 0) fail(round, m, k, "a malformed reply", got);
        return;
    }
    if (got != want)
        fail(round, m, k, want == 0 ? "a valid request refused" : "the wrong error", got);
}

int main(word_t server)
{
    sleep_us(2000); /* idlfuzzd is waiting by now */
    for (unsigned i = 0; i < ROUNDS; i++)
        one(server, i);
    /* still serving: every operation once, through the generated calls */
    int64_t sum = 0;
    char back[demo_echo_back_MAX + 1];
    uint8_t pair[2] = {7, 9};
    word_t x = 5;
    long r = demo_add_call(server, 40, 2, &sum);
    if (r != 0 || sum != 42) fail(ROUNDS, M_NONE, 0, "add after the fuzzing", r);
    r = demo_echo_call(server, "still here", back);
    if (r != 0 || strcmp(back, "still here") != 0) fail(ROUNDS, M_NONE, 1, "echo after", r);
    r = demo_swap_call(server, &x, pair);
    if (r != 0 || x != ~5UL || pair[0] != 9) fail(ROUNDS, M_NONE, 4, "swap after", r);
    for (unsigned m = 0; m < M_COUNT; m++)
        printf("idlfuzz: %lu %s\n", sent[m], mutation_name[m]);
    printf("idlfuzz: errors answered: E_WRONGTYPE %lu, E_NOSYS %lu, E_RANGE %lu, E_INVAL %lu\n",
           errors[E_WRONGTYPE], errors[E_NOSYS], errors[E_RANGE], errors[E_INVAL]);
    printf("idlfuzz: %lu unexpected answers\n", unexpected);
    return unexpected ? 1 : 0;
}
