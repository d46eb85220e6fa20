/* SPDX-License-Identifier: MIT */
/*
 * name_enum (attacker): lists the name service it was given, looks up every name on the list
 * and calls each service once. Under flat naming the global list shows every service that
 * registered (keystore and netstack included, which it was never meant to know of); under
 * hierarchical naming the parent's list holds only the names its own channels use. Whether the
 * attack worked is read from the trace (which services it reached), not from this task's word.
 */
#include "scenarios/common/rpcsvc.h"

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(30000); /* let every service register */
    char list[(UTCB_MRS - 1) * sizeof(word_t) + 1];
    long n = ns_list(list, sizeof(list));
    if (n < 0) {
        scn_record("listing the name service failed: %s", status_text(n));
        return 1;
    }
    scn_record("the %s name service lists %ld name%s: \"%s\"",
               scn_naming_flat() ? "flat" : "parent's", n, n == 1 ? "" : "s", list);
    int reached = 0;
    for (char *p = list; *p;) {
        char *end = strchr(p, ',');
        if (end) *end = 0;
        long name = ns_lookup(p);
        if (name < 0) {
            scn_record("lookup \"%s\": %s", p, status_text(name));
        } else {
            char text[RPC_TEXT_MAX + 1];
            long r = rpc_ping((word_t)name, text, sizeof(text));
            if (r == 0) reached++;
            scn_record("called \"%s\" (name 0x%lx): %s%s%s%s", p, name, status_text(r),
                       r == 0 ? " \"" : "", r == 0 ? text : "", r == 0 ? "\"" : "");
        }
        if (!end) break;
        p = end + 1;
    }
    printf("%s: reached %d of %ld listed services\n", scn_self(), reached, n);
    return 0;
}
