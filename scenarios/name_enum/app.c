/* SPDX-License-Identifier: MIT */
/* name_enum: the legitimate client. Looks up the two names its channels use ("fs", "keys"),
 * retrying until the servers have registered, and calls each once. */
#include "scenarios/common/rpcsvc.h"

static void use(const char *regname)
{
    long name = -E_NOENT;
    for (int i = 0; i < 50 && name < 0; i++) {
        name = ns_lookup(regname);
        if (name < 0) sleep_us(2000);
    }
    if (name < 0) {
        scn_record("lookup \"%s\" failed: %s", regname, status_text(name));
        return;
    }
    char text[RPC_TEXT_MAX + 1];
    long r = rpc_ping((word_t)name, text, sizeof(text));
    if (r < 0)
        scn_record("call to \"%s\" (name 0x%lx) failed: %s", regname, name, status_text(r));
    else
        scn_record("reached \"%s\" (name 0x%lx): \"%s\"", regname, name, text);
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    sleep_us(20000); /* the servers register after their start-up */
    use("fs");
    use("keys");
    printf("%s: done\n", scn_self());
    return 0;
}
