/* SPDX-License-Identifier: MIT */
/* Unit tests for the bounded formatter (lib/fmt.c): conversions, flags, truncation, odd formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <cmocka.h>

#include "lib/fmt.h"

/* Formats into a large buffer and checks the text and the returned length. */
#define EXPECT(want, ...)                                                                          \
    do {                                                                                           \
        char buf_[256];                                                                            \
        int n_ = fmt_snprintf(buf_, sizeof(buf_), __VA_ARGS__);                                    \
        assert_string_equal(buf_, want);                                                           \
        assert_int_equal(n_, strlen(want));                                                        \
    } while (0)

/* Checks that fmt agrees with the host's snprintf where both are defined the same way. */
#define SAME(...)                                                                                  \
    do {                                                                                           \
        char got_[256], ref_[256];                                                                 \
        int ng_ = fmt_snprintf(got_, sizeof(got_), __VA_ARGS__);                                   \
        int nr_ = snprintf(ref_, sizeof(ref_), __VA_ARGS__);                                       \
        assert_string_equal(got_, ref_);                                                           \
        assert_int_equal(ng_, nr_);                                                                \
    } while (0)

/* Formats without the compiler's format checking, for deliberately unusual formats. */
static int raw(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

#define EXPECT_RAW(want, ...)                                                                      \
    do {                                                                                           \
        char buf_[256];                                                                            \
        int n_ = raw(buf_, sizeof(buf_), __VA_ARGS__);                                             \
        assert_string_equal(buf_, want);                                                           \
        assert_int_equal(n_, strlen(want));                                                        \
    } while (0)

/* Proves: plain text is copied unchanged and "%%" is a single '%'. */
static void test_plain_text_and_percent(void **state)
{
    (void)state;
    EXPECT("", "%s", "");
    EXPECT("hello, world", "hello, world");
    EXPECT("100%", "100%%");
    EXPECT("%d", "%%d");
    EXPECT("a%%b", "a%%%%b");
}

/* Proves: %d and %i print signed ints in decimal, including 0, INT_MAX and INT_MIN. */
static void test_signed_int(void **state)
{
    (void)state;
    EXPECT("0", "%d", 0);
    EXPECT("42", "%d", 42);
    EXPECT("-42", "%i", -42);
    EXPECT("2147483647", "%d", INT_MAX);
    EXPECT("-2147483648", "%d", INT_MIN);
    EXPECT("-2147483648", "%i", INT_MIN);
}

/* Proves: the l, ll and z modifiers read 64-bit values, LONG_MIN and LLONG_MIN included. */
static void test_length_modifiers(void **state)
{
    (void)state;
    EXPECT("-9223372036854775808", "%ld", LONG_MIN);
    EXPECT("9223372036854775807", "%ld", LONG_MAX);
    EXPECT("-9223372036854775808", "%lld", LLONG_MIN);
    EXPECT("-1", "%li", -1L);
    EXPECT("18446744073709551615", "%lu", ULONG_MAX);
    EXPECT("18446744073709551615", "%llu", ULLONG_MAX);
    EXPECT("18446744073709551615", "%zu", SIZE_MAX);
    EXPECT("-5", "%zd", (ssize_t)-5);
    EXPECT("ffffffffffffffff", "%lx", ULONG_MAX);
    EXPECT("DEADBEEFCAFEF00D", "%llX", 0xdeadbeefcafef00dull);
    EXPECT("123456789abc", "%zx", (size_t)0x123456789abc);
    /* Without a modifier only 32 bits are read. */
    EXPECT("4294967295", "%u", UINT_MAX);
}

/* Proves: %u, %x and %X print unsigned values in decimal and lower/upper-case hex. */
static void test_unsigned_and_hex(void **state)
{
    (void)state;
    EXPECT("0", "%u", 0u);
    EXPECT("3000000000", "%u", 3000000000u);
    EXPECT("0", "%x", 0u);
    EXPECT("deadbeef", "%x", 0xdeadbeefu);
    EXPECT("DEADBEEF", "%X", 0xdeadbeefu);
    EXPECT("ffffffff", "%x", (unsigned)-1);
}

/* Proves: %p prints "0x" and lower-case hex of the full pointer, NULL as 0x0. */
static void test_pointer(void **state)
{
    (void)state;
    EXPECT("0x1234", "%p", (void *)0x1234);
    EXPECT("0xffff800000000000", "%p", (void *)0xffff800000000000ull);
    EXPECT("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
    EXPECT("0x0", "%p", NULL);
    /*
     * KERNEL BUG (reported, not asserted): with a width, %p pads the digits only and after the
     * "0x": "%10p" gives "0x      1234" (12 characters) instead of "    0x1234".
     */
}

/* Proves: %c prints one character, padded to a width on either side. */
static void test_char(void **state)
{
    (void)state;
    EXPECT("x", "%c", 'x');
    EXPECT("[  x]", "[%3c]", 'x');
    EXPECT("[x  ]", "[%-3c]", 'x');
    EXPECT("ab", "%c%c", 'a', 'b');
    char buf[8];
    assert_int_equal(fmt_snprintf(buf, sizeof(buf), "a%cb", '\0'), 3); /* a NUL still counts */
}

/* Proves: %s prints strings, NULL as "(null)", padded by width and cut by precision. */
static void test_string(void **state)
{
    (void)state;
    EXPECT("abc", "%s", "abc");
    EXPECT_RAW("(null)", "%s", (char *)NULL);
    EXPECT("[  abc]", "[%5s]", "abc");
    EXPECT("[abc  ]", "[%-5s]", "abc");
    EXPECT("[abcdef]", "[%3s]", "abcdef"); /* width never truncates */
    EXPECT("ab", "%.2s", "abcdef");
    EXPECT("abc", "%.10s", "abc");
    EXPECT("", "%.0s", "abc");
    EXPECT("[   ab]", "[%5.2s]", "abcdef");
    EXPECT("[ab   ]", "[%-5.2s]", "abcdef");
    EXPECT_RAW("(nu", "%.3s", (char *)NULL);
    EXPECT("abc", "%.*s", 3, "abcdef");
    EXPECT("abcdef", "%.*s", -1, "abcdef"); /* negative precision: none */
}

/*
 * KERNEL BUG (reported, not asserted): lib/fmt.c:114 tests s[n] before n < prec, so "%.3s"
 * on exactly three unterminated bytes reads one byte past them (ASan: heap-buffer-overflow).
 * The buffer here has a fourth, non-NUL byte so that this test stays in bounds; once fixed,
 * allocate exactly the precision's number of bytes instead.
 */
/* Proves: a precision limits what is printed from a buffer that has no NUL. */
static void test_string_precision_on_unterminated_buffer(void **state)
{
    (void)state;
    char *s = malloc(4); /* no NUL anywhere: ASan catches a read past s[3] */
    assert_non_null(s);
    memcpy(s, "xyzw", 4);
    EXPECT("xyz", "%.3s", s);
    EXPECT("xy", "%.2s", s);
    EXPECT("[   x]", "[%4.1s]", s);
    free(s);
}

/* Proves: width, '-' and '0' pad numbers, the sign before the zeros, '-' beating '0'. */
static void test_width_and_flags(void **state)
{
    (void)state;
    EXPECT("[   42]", "[%5d]", 42);
    EXPECT("[42   ]", "[%-5d]", 42);
    EXPECT("[00042]", "[%05d]", 42);
    EXPECT("[-0042]", "[%05d]", -42);
    EXPECT("[  -42]", "[%5d]", -42);
    EXPECT_RAW("[-42  ]", "[%-05d]", -42);
    EXPECT_RAW("[-42  ]", "[%0-5d]", -42);
    EXPECT("[12345]", "[%2d]", 12345);
    EXPECT("[0000beef]", "[%08x]", 0xbeefu);
    EXPECT("[    BEEF]", "[%8X]", 0xbeefu);
    EXPECT("[7     ]", "[%-6u]", 7u);
    EXPECT("[    42]", "[%*d]", 6, 42);
    EXPECT("[000000000000000000000000000000000000000000000007]", "[%048d]", 7);
}

/* Proves: on the documented subset the output and length match the C library's snprintf. */
static void test_matches_libc(void **state)
{
    (void)state;
    SAME("%d %i %u %x %X", -7, 8, 9u, 0xabcu, 0xabcu);
    SAME("%ld|%lu|%lx|%lld|%llu|%zu|%zd", LONG_MIN, ULONG_MAX, 0x1234567890ul, LLONG_MIN,
         ULLONG_MAX, SIZE_MAX, (ssize_t)-3);
    SAME("[%10d][%-10d][%010d][%010ld]", INT_MIN, INT_MIN, INT_MIN, LONG_MIN + 1);
    SAME("[%3c][%-3c][%c]", 'a', 'b', 'c');
    SAME("[%8s][%-8s][%.1s][%8.3s][%-8.3s]", "str", "str", "str", "string", "string");
    SAME("[%*d][%-*u][%.*s]", 5, 1, 5, 2u, 2, "abc");
    SAME("%%%d%%", 5);
    for (int w = 0; w < 25; w++)
        SAME("[%*x][%0*lx][%-*lld]", w, 0x1fu, w, ULONG_MAX, w, LLONG_MIN);
}

/* Proves: output is cut at size-1 and terminated, while the full length is still returned. */
static void test_truncation_terminates_and_returns_full_length(void **state)
{
    (void)state;
    const char *full = "hello -12345 world";
    for (size_t size = 1; size <= 20; size++) {
        char buf[32];
        memset(buf, '#', sizeof(buf));
        int n = fmt_snprintf(buf, size, "%s %d %5s", "hello", -12345, "world");
        assert_int_equal(n, strlen(full));
        size_t kept = size - 1 < strlen(full) ? size - 1 : strlen(full);
        assert_memory_equal(buf, full, kept);
        assert_int_equal(buf[kept], '\0');
        for (size_t i = kept + 1; i < sizeof(buf); i++)
            assert_int_equal(buf[i], '#');
    }
}

/* Proves: padding and numbers are cut cleanly too, and an exact fit is not truncated. */
static void test_truncation_inside_padding_and_numbers(void **state)
{
    (void)state;
    char buf[8];
    assert_int_equal(fmt_snprintf(buf, 4, "%08d", 42), 8);
    assert_string_equal(buf, "000");
    assert_int_equal(fmt_snprintf(buf, 4, "%-8d|", 123456), 9);
    assert_string_equal(buf, "123");
    assert_int_equal(fmt_snprintf(buf, 6, "%d", -12345), 6);
    assert_string_equal(buf, "-1234");
    assert_int_equal(fmt_snprintf(buf, 7, "%d", -12345), 6); /* exactly fits */
    assert_string_equal(buf, "-12345");
}

/* Proves: size 0 writes nothing (a NULL buffer is fine) and returns the full length. */
static void test_size_zero_writes_nothing(void **state)
{
    (void)state;
    char buf[4] = {'#', '#', '#', '#'};
    assert_int_equal(fmt_snprintf(buf, 0, "abc%d", 12345), 8);
    for (int i = 0; i < 4; i++)
        assert_int_equal(buf[i], '#');
    assert_int_equal(fmt_snprintf(NULL, 0, "%s=%lu", "x", ULONG_MAX), 22);
}

/* Proves: an unknown conversion is printed verbatim and formatting carries on after it. */
static void test_unknown_conversion_verbatim(void **state)
{
    (void)state;
    EXPECT_RAW("%q", "%q");
    EXPECT_RAW("a%yb", "a%yb");
    EXPECT_RAW("%k 7", "%k %d", 7);
    EXPECT_RAW("%o", "%o", 8); /* not documented, so not converted */
}

/* Proves: a lone '%' at the end (also after flags, width or modifiers) ends the output cleanly. */
static void test_lone_percent_at_end(void **state)
{
    (void)state;
    EXPECT_RAW("abc", "abc%");
    EXPECT_RAW("", "%");
    EXPECT_RAW("x", "x%-");
    EXPECT_RAW("x", "x%05");
    EXPECT_RAW("x", "x%.");
    EXPECT_RAW("x", "x%l");
    EXPECT_RAW("x", "x%z");
    EXPECT_RAW("5", "%d%", 5);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_and_percent),
        cmocka_unit_test(test_signed_int),
        cmocka_unit_test(test_length_modifiers),
        cmocka_unit_test(test_unsigned_and_hex),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_char),
        cmocka_unit_test(test_string),
        cmocka_unit_test(test_string_precision_on_unterminated_buffer),
        cmocka_unit_test(test_width_and_flags),
        cmocka_unit_test(test_matches_libc),
        cmocka_unit_test(test_truncation_terminates_and_returns_full_length),
        cmocka_unit_test(test_truncation_inside_padding_and_numbers),
        cmocka_unit_test(test_size_zero_writes_nothing),
        cmocka_unit_test(test_unknown_conversion_verbatim),
        cmocka_unit_test(test_lone_percent_at_end),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]); /* run one test (or a glob) by name */
    return cmocka_run_group_tests_name("fmt", tests, NULL, NULL) ? 1 : 0;
}
