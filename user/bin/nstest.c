/* SPDX-License-Identifier: MIT */
/*
 * The flat name server against good and bad requests (boot test nameserv): registration,
 * first come first served, lookup, list, and malformed messages, each refused with its own
 * status while the server keeps serving.
 */
#include "scn.h"

static int failures;

static void expect(const char *what, long got, long want)
{
    printf("nstest: %s%s -> %s\n", got == want ? "" : "FAIL ", what, status_text(got));
    if (got != want) failures++;
}

/* A raw request with label `label` and the given words, no items; returns the server's status
 * word (the generated dispatch answers every malformed message with one). */
static long raw(word_t label, unsigned words, const word_t *w)
{
    for (unsigned i = 0; i < words; i++)
        utcb()->mr[i] = w[i];
    word_t tag;
    long r = ipc_call((word_t)scn_ns(), MSGTAG(label, words, 0, 0), TIMEOUT_NEVER, TIMEOUT_NEVER,
                      &tag, 0);
    return r < 0 ? r : (long)utcb()->mr[0];
}

int main(word_t arg)
{
    if (scn_init(arg) < 0) return 1;
    long svc = scn_service("svc");
    expect("registering 'alpha'", ns_register("alpha", (word_t)svc), 0);
    expect("registering 'alpha' again", ns_register("alpha", (word_t)svc), -E_EXISTS);
    expect("registering 'bad name' (a space)", ns_register("bad name", (word_t)svc), -E_INVAL);
    long found = ns_lookup("alpha");
    expect("looking up 'alpha'", found < 0 ? found : 0, 0);
    expect("looking up 'nope'", ns_lookup("nope"), -E_NOENT);
    /* the wire of idl/nameserv.idl: a string is a length word and the bytes packed */
    static const word_t over[] = {32, 0, 0, 0, 0}, nul[] = {3, 0x630061}, longer[] = {1, 'a', 7},
                        alone[] = {1, 'a'};
    expect("a lookup whose name is over 31 bytes", raw(NS_LOOKUP, 5, over), -E_RANGE);
    expect("a lookup whose name holds a NUL", raw(NS_LOOKUP, 2, nul), -E_INVAL);
    expect("a lookup with a word too many", raw(NS_LOOKUP, 3, longer), -E_INVAL);
    expect("a registration without the name to register", raw(NS_REGISTER, 2, alone), -E_RANGE);
    expect("an unknown operation", raw(0x4e77, 0, 0), -E_NOSYS);
    expect("another protocol", raw(0x4f01, 0, 0), -E_WRONGTYPE);
    char list[256];
    long n = ns_list(list, sizeof(list));
    printf("nstest: list -> %ld name(s): %s\n", n, n >= 0 ? list : "");
    expect("exactly one name listed", n == 1 ? 0 : -E_RANGE, 0);
    found = ns_lookup("alpha");
    expect("'alpha' still there after the bad requests", found < 0 ? found : 0, 0);
    printf("nstest: %d unexpected results\n", failures);
    return failures;
}
