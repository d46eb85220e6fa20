/* SPDX-License-Identifier: MIT */
/* A backend's kernel descriptor (POLICY_DESCRIPTOR in its policy.h, what kinfo(KINFO_POLICY)
 * returns) is its row of BACKEND_TABLE (include/abi/backend.h), the row the analyzer models
 * read. Built once per backend folder (TEST_POLICY names it; the Makefile adds -Ipolicies/x). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "abi/backend.h"
#include "policy.h"

static const struct backend_desc table[BACKEND_COUNT] = BACKEND_TABLE;

static const struct backend_desc *row_named(const char *name)
{
    for (int i = 0; i < BACKEND_COUNT; i++)
        if (strcmp(table[i].name, name) == 0) return &table[i];
    return NULL;
}

/* The folder, POLICY_NAME and the descriptor's name are one name. */
static void test_names_agree(void **state)
{
    (void)state;
    const struct backend_desc k = POLICY_DESCRIPTOR;
    assert_string_equal(POLICY_NAME, TEST_POLICY);
    assert_string_equal(k.name, TEST_POLICY);
}

/* Every property the kernel reports equals the table's row for that backend. */
static void test_descriptor_is_the_row(void **state)
{
    (void)state;
    const struct backend_desc k = POLICY_DESCRIPTOR;
    const struct backend_desc *row = row_named(TEST_POLICY);
    assert_non_null(row);
    assert_int_equal(k.names, row->names);
    assert_int_equal(k.label, row->label);
    assert_int_equal(k.reply, row->reply);
    assert_int_equal(k.queues, row->queues);
    assert_int_equal(k.redirects, row->redirects);
    assert_int_equal(k.revocable, row->revocable);
    assert_memory_equal(&k, row, sizeof(k));
}

/* Each row is complete: no property left at 0 ("unknown"), names unique. */
static void test_table_complete(void **state)
{
    (void)state;
    for (int i = 0; i < BACKEND_COUNT; i++) {
        assert_true(table[i].name[0] != 0);
        assert_true(table[i].names == BACKEND_NAMES_GLOBAL ||
                    table[i].names == BACKEND_NAMES_LOCAL);
        assert_true(table[i].label >= BACKEND_LABEL_SENDER && table[i].label <= BACKEND_LABEL_PORT);
        assert_true(table[i].reply == BACKEND_REPLY_UNTIL_WAIT ||
                    table[i].reply == BACKEND_REPLY_UNTIL_USED);
        assert_ptr_equal(row_named(table[i].name), &table[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_agree),
        cmocka_unit_test(test_descriptor_is_the_row),
        cmocka_unit_test(test_table_complete),
    };
    return cmocka_run_group_tests_name("backend_desc_" TEST_POLICY, tests, NULL, NULL);
}
