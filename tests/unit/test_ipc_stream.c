/* SPDX-License-Identifier: MIT */
/* IPC streams: exact layout, round trips, and every bound, on a fake UTCB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "user/lib/ipc_stream.h"

static struct {
    struct utcb u;
    word_t canary[4];
} box;

static int setup(void **state)
{
    (void)state;
    memset(&box, 0, sizeof(box));
    for (int i = 0; i < 4; i++)
        box.canary[i] = 0xc0ffee;
    return 0;
}

static void canary_intact(void)
{
    for (int i = 0; i < 4; i++)
        assert_int_equal(box.canary[i], 0xc0ffee);
}

/* Proves: words come first, typed items after them, in the ABI's exact encoding. */
static void test_layout(void **state)
{
    (void)state;
    struct ipc_writer w;
    static char text[5] = "hello";
    ipc_writer_init(&w, &box.u, 42);
    ipc_put_word(&w, 7);
    ipc_put_string(&w, text, 5);
    ipc_put_word(&w, 8); /* after an item: still an untyped word */
    ipc_put_map(&w, FPAGE(0x400000, 12, FPAGE_R), 0x2000);
    word_t tag = ipc_writer_tag(&w);
    assert_int_equal(MSGTAG_LABEL(tag), 42);
    assert_int_equal(MSGTAG_WORDS(tag), 2);
    assert_int_equal(MSGTAG_ITEMS(tag), 2);
    assert_int_equal(box.u.mr[0], 7);
    assert_int_equal(box.u.mr[1], 8);
    assert_int_equal(box.u.mr[2], ITEM_STRING_HDR(5));
    assert_int_equal(box.u.mr[3], (word_t)text);
    assert_int_equal(box.u.mr[4], ITEM_MAP_HDR(ITEM_MAP, FPAGE_KIND_MEM, 0x2000));
    assert_int_equal(box.u.mr[5], FPAGE(0x400000, 12, FPAGE_R));
}

/* Proves: bytes of every length 0..504 survive a round trip and fill exactly ceil(n/8)+1 words. */
static void test_bytes_round_trip(void **state)
{
    (void)state;
    unsigned char in[512], out[512];
    for (int i = 0; i < 512; i++)
        in[i] = (unsigned char)(i * 7 + 1);
    for (size_t len = 0; len <= 504; len++) {
        struct ipc_writer w;
        ipc_writer_init(&w, &box.u, 1);
        ipc_put_bytes(&w, in, len);
        word_t tag = ipc_writer_tag(&w);
        assert_int_equal(ipc_writer_error(&w), OK);
        assert_int_equal(MSGTAG_WORDS(tag), 1 + (len + 7) / 8);
        struct ipc_reader r;
        size_t got = 999;
        memset(out, 0, sizeof(out));
        ipc_reader_init(&r, &box.u, tag);
        ipc_get_bytes(&r, out, sizeof(out), &got);
        assert_int_equal(ipc_reader_error(&r), OK);
        assert_int_equal(got, len);
        assert_memory_equal(out, in, len);
        assert_true(ipc_reader_done(&r));
    }
    canary_intact();
}

/* Proves: overflowing the 64 registers is a sticky E_RANGE and nothing lands past the UTCB. */
static void test_overflow_is_sticky(void **state)
{
    (void)state;
    struct ipc_writer w;
    ipc_writer_init(&w, &box.u, 1);
    for (int i = 0; i < 70; i++)
        ipc_put_word(&w, (word_t)i);
    assert_int_equal(ipc_writer_error(&w), E_RANGE);
    assert_int_equal(w.words, UTCB_MRS);
    ipc_put_string(&w, "x", 1); /* nothing more after an error */
    assert_int_equal(w.items, 0);
    assert_int_equal(ipc_writer_tag(&w), IPC_STREAM_BAD_TAG); /* the kernel refuses it */
    assert_true(MSGTAG_WORDS(IPC_STREAM_BAD_TAG) + 2 * MSGTAG_ITEMS(IPC_STREAM_BAD_TAG) > UTCB_MRS);
    canary_intact();

    unsigned char big[600] = {0};
    ipc_writer_init(&w, &box.u, 1);
    ipc_put_bytes(&w, big, 505); /* 1 + 64 words: one too many */
    assert_int_equal(ipc_writer_error(&w), E_RANGE);
    canary_intact();
}

/* Proves: items count against the same registers (2 each), and bad items are refused. */
static void test_item_bounds(void **state)
{
    (void)state;
    struct ipc_writer w;
    ipc_writer_init(&w, &box.u, 1);
    for (int i = 0; i < 31; i++)
        ipc_put_string(&w, "a", 1);
    ipc_put_word(&w, 1);
    ipc_put_word(&w, 2);
    assert_int_equal(ipc_writer_error(&w), OK);
    ipc_put_word(&w, 3);
    assert_int_equal(ipc_writer_error(&w), E_RANGE);

    ipc_writer_init(&w, &box.u, 1);
    ipc_put_string(&w, "a", IPC_STRING_MAX + 1);
    assert_int_equal(ipc_writer_error(&w), E_INVAL);
    ipc_writer_init(&w, &box.u, 1);
    ipc_put_map_kind(&w, ITEM_STRING, 0, 0, 0);
    assert_int_equal(ipc_writer_error(&w), E_INVAL);
}

/* Proves: the reader never reads past what the tag says arrived, nor trusts a lying tag. */
static void test_reader_bounds(void **state)
{
    (void)state;
    struct ipc_reader r;
    word_t v = 0;
    box.u.mr[0] = 5;
    box.u.mr[1] = 6;
    ipc_reader_init(&r, &box.u, MSGTAG(1, 1, 0, 0));
    ipc_get_word(&r, &v);
    assert_int_equal(v, 5);
    assert_true(ipc_reader_done(&r));
    ipc_get_word(&r, &v);
    assert_int_equal(ipc_reader_error(&r), E_RANGE);
    assert_int_equal(v, 5);

    ipc_reader_init(&r, &box.u, MSGTAG(1, 60, 4, 0)); /* 60 + 8 > 64 */
    assert_int_equal(ipc_reader_error(&r), E_RANGE);

    char buf[4];
    size_t len = 0;
    box.u.mr[0] = 9; /* claims 9 bytes */
    ipc_reader_init(&r, &box.u, MSGTAG(1, 3, 0, 0));
    ipc_get_bytes(&r, buf, sizeof(buf), &len);
    assert_int_equal(ipc_reader_error(&r), E_RANGE); /* more than the buffer */
    box.u.mr[0] = 20;                                /* 3 words of bytes, only 2 arrived */
    ipc_reader_init(&r, &box.u, MSGTAG(1, 3, 0, 0));
    char big[32];
    ipc_get_bytes(&r, big, sizeof(big), &len);
    assert_int_equal(ipc_reader_error(&r), E_RANGE);
}

/* Proves: items are read in order with their types checked; a wrong type is E_INVAL. */
static void test_reader_items(void **state)
{
    (void)state;
    struct ipc_writer w;
    ipc_writer_init(&w, &box.u, 3);
    ipc_put_grant(&w, FPAGE(0x800000, 13, FPAGE_R | FPAGE_W), 0x4000);
    ipc_put_string(&w, "abc", 3);
    word_t tag = ipc_writer_tag(&w);
    struct ipc_reader r;
    word_t fp = 0, hot = 0, addr = 0;
    size_t len = 0;
    ipc_reader_init(&r, &box.u, tag);
    ipc_get_string(&r, &addr, &len);
    assert_int_equal(ipc_reader_error(&r), E_INVAL); /* the first item is a grant */
    ipc_reader_init(&r, &box.u, tag);
    ipc_get_map(&r, &fp, &hot);
    ipc_get_string(&r, &addr, &len);
    assert_int_equal(ipc_reader_error(&r), OK);
    assert_int_equal(fp, FPAGE(0x800000, 13, FPAGE_R | FPAGE_W));
    assert_int_equal(hot, 0x4000);
    assert_int_equal(len, 3);
    assert_true(ipc_reader_done(&r));
    ipc_get_map(&r, &fp, &hot);
    assert_int_equal(ipc_reader_error(&r), E_RANGE);
}

/* Proves: string buffers fill the buffer registers in order and refuse to overflow them. */
static void test_buffers(void **state)
{
    (void)state;
    static char bufs[UTCB_BR_STRINGS + 1][8];
    ipc_buffers_clear(&box.u);
    ipc_buffers_map_window(&box.u, FPAGE(0x10000000, 20, FPAGE_RWX));
    for (unsigned i = 0; i < UTCB_BR_STRINGS; i++)
        assert_int_equal(ipc_buffers_add_string(&box.u, bufs[i], 8), OK);
    assert_int_equal(ipc_buffers_add_string(&box.u, bufs[UTCB_BR_STRINGS], 8), E_RANGE);
    assert_int_equal(box.u.br[BR_NSTRINGS], UTCB_BR_STRINGS);
    assert_int_equal(box.u.br[BR_STRING0 + 2], (word_t)bufs[1]);
    assert_int_equal(box.u.br[BR_MAP_WINDOW], FPAGE(0x10000000, 20, FPAGE_RWX));
    canary_intact();
}

/* Proves: the tag's 5-bit item field bounds the items: the 32nd is E_RANGE, not dropped. */
static void test_item_field_limit(void **state)
{
    (void)state;
    struct ipc_writer w;
    ipc_writer_init(&w, &box.u, 1);
    for (unsigned i = 0; i < 31; i++) /* 31 = 0x1f, the most the tag can count */
        ipc_put_map(&w, FPAGE(0x1000 * (i + 1), 12, FPAGE_R), 0);
    assert_int_equal(ipc_writer_error(&w), OK);
    ipc_put_map(&w, FPAGE(0x100000, 12, FPAGE_R), 0); /* 64 MRs would hold it; the tag not */
    assert_int_equal(ipc_writer_error(&w), E_RANGE);
    assert_int_equal(w.items, 31);
    canary_intact();
}

/* Proves: what the encoding would silently cut is refused: a label over 48 bits, an unaligned
 * hotspot. */
static void test_no_silent_truncation(void **state)
{
    (void)state;
    struct ipc_writer w;
    ipc_writer_init(&w, &box.u, (1UL << 48) | 5);
    assert_int_equal(ipc_writer_error(&w), E_RANGE);
    ipc_writer_init(&w, &box.u, (1UL << 48) - 1);
    assert_int_equal(ipc_writer_error(&w), OK);
    ipc_put_map(&w, FPAGE(0x1000, 12, FPAGE_R), 0x1234);
    assert_int_equal(ipc_writer_error(&w), E_INVAL);
    assert_int_equal(w.items, 0);
}

/* Proves: an empty byte array may come from and go to NULL (no memcpy on a null pointer). */
static void test_empty_bytes_null(void **state)
{
    (void)state;
    struct ipc_writer w;
    struct ipc_reader r;
    size_t len = 99;
    ipc_writer_init(&w, &box.u, 1);
    ipc_put_bytes(&w, NULL, 0);
    word_t tag = ipc_writer_tag(&w);
    assert_int_equal(MSGTAG_WORDS(tag), 1);
    ipc_reader_init(&r, &box.u, tag);
    ipc_get_bytes(&r, NULL, 0, &len);
    assert_int_equal(ipc_reader_error(&r), OK);
    assert_int_equal(len, 0);
    assert_true(ipc_reader_done(&r));
}

/* Proves: byte arrays of 505..600 bytes never fit and leave the UTCB and the message as it was. */
static void test_bytes_too_long(void **state)
{
    (void)state;
    static unsigned char big[600];
    for (size_t len = 505; len <= sizeof(big); len++) {
        struct ipc_writer w;
        ipc_writer_init(&w, &box.u, 1);
        ipc_put_bytes(&w, big, len);
        assert_int_equal(ipc_writer_error(&w), E_RANGE);
        assert_int_equal(w.words, 0);
    }
    canary_intact();
}

/* Proves: ipc_get_map takes memory only; a capability item needs ipc_get_map_kind. */
static void test_map_kinds(void **state)
{
    (void)state;
    struct ipc_writer w;
    ipc_writer_init(&w, &box.u, 1);
    ipc_put_map_kind(&w, ITEM_MAP, FPAGE_KIND_BACKEND, FPAGE(5 << 12, 0, FPAGE_R), 0);
    word_t tag = ipc_writer_tag(&w);
    struct ipc_reader r;
    word_t fp = 0, hot = 0;
    unsigned kind = 99;
    ipc_reader_init(&r, &box.u, tag);
    ipc_get_map(&r, &fp, &hot);
    assert_int_equal(ipc_reader_error(&r), E_INVAL);
    ipc_reader_init(&r, &box.u, tag);
    ipc_get_map_kind(&r, &kind, &fp, &hot);
    assert_int_equal(ipc_reader_error(&r), OK);
    assert_int_equal(kind, FPAGE_KIND_BACKEND);
    assert_int_equal(FPAGE_BASE(fp) >> 12, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_layout, setup),
        cmocka_unit_test_setup(test_bytes_round_trip, setup),
        cmocka_unit_test_setup(test_overflow_is_sticky, setup),
        cmocka_unit_test_setup(test_item_bounds, setup),
        cmocka_unit_test_setup(test_reader_bounds, setup),
        cmocka_unit_test_setup(test_reader_items, setup),
        cmocka_unit_test_setup(test_buffers, setup),
        cmocka_unit_test_setup(test_map_kinds, setup),
        cmocka_unit_test_setup(test_item_field_limit, setup),
        cmocka_unit_test_setup(test_no_silent_truncation, setup),
        cmocka_unit_test_setup(test_empty_bytes_null, setup),
        cmocka_unit_test_setup(test_bytes_too_long, setup),
    };
    return cmocka_run_group_tests_name("ipc_stream", tests, NULL, NULL);
}
