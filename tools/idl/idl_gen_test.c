/* SPDX-License-Identifier: MIT */
/*
 * ipcidl's test generator: a CMocka test per interface over the host build of the IPC path
 * (tests/unit/host_kernel.h). Every operation round-trips with values at its bounds, and every
 * malformed request (wrong label, unknown opcode, short, long, each bound broken, wrong item)
 * is answered with its error while the server keeps serving; malformed replies are refused by
 * the client's reply parser.
 */
#include "idl.h"

#include <stdlib.h>

/* The test value of parameter j (element k); outputs use other values than inputs. */
static void sample(FILE *o, const struct idl_op *op, unsigned j, bool out, const char *k)
{
    const struct idl_param *p = &op->p[j];
    switch (p->kind) {
    case K_INT:
        if (p->is_size)
            fprintf(o, "(%s)%uu", p->type->c, p->count ? p->count : 0);
        else
            fprintf(o, "(%s)SAMPLE(%u, 0)", p->type->c, j + (out ? 32 : 0));
        break;
    case K_FIXED:
    case K_VAR:
        fprintf(o, "(%s)SAMPLE(%u, %s)", p->type->c, j + (out ? 32 : 0), k);
        break;
    case K_STRING:
        fprintf(o, "(char)('a' + (%u + %s) %% 26)", j + (out ? 7 : 0), k);
        break;
    case K_FPAGE:
        fprintf(o, "FPAGE(HOST_DATA_VA, 12, FPAGE_R)");
        break;
    case K_CAP:
        fprintf(o, "CAP_SAMPLE");
        break;
    }
}

/* The count a size parameter carries in the tests: the array's bound. */
static void fix_sizes(struct idl_op *op)
{
    for (unsigned j = 0; j < op->np; j++)
        if (op->p[j].kind == K_VAR) op->p[op->p[j].size_is].count = op->p[j].count;
}

/* Asserts that value `v` (an expression naming parameter j) holds the test value. */
static void check_value(FILE *o, const struct idl_op *op, unsigned j, bool out, const char *v,
                        const char *window)
{
    const struct idl_param *p = &op->p[j];
    switch (p->kind) {
    case K_INT:
        fprintf(o, "    assert_true(%s == ", v);
        sample(o, op, j, out, "0");
        fprintf(o, ");\n");
        break;
    case K_FIXED:
    case K_VAR:
        fprintf(o,
                "    for (unsigned k = 0; k < %uu; k++)\n        assert_true(%s[k] == ", p->count,
                v);
        sample(o, op, j, out, "k");
        fprintf(o, ");\n");
        break;
    case K_STRING:
        fprintf(o, "    assert_int_equal(strlen(%s), %u);\n", v, p->count);
        fprintf(o,
                "    for (unsigned k = 0; k < %uu; k++)\n        assert_true(%s[k] == ", p->count,
                v);
        sample(o, op, j, out, "k");
        fprintf(o, ");\n");
        break;
    case K_FPAGE:
        fprintf(o,
                "    if (direct)\n        assert_true(%s == FPAGE(HOST_DATA_VA, 12, FPAGE_R));\n",
                v);
        fprintf(o,
                "    else\n        assert_true(FPAGE_ORDER(%s) == 12 && FPAGE_BASE(%s) == "
                "FPAGE_BASE(%s));\n",
                v, v, window);
        break;
    case K_CAP:
        fprintf(o, "    assert_true(%s == CAP_SAMPLE);\n", v);
        break;
    }
}

/* Sets value v (parameter j) to its test value. */
static void set_value(FILE *o, const struct idl_op *op, unsigned j, bool out, const char *v)
{
    const struct idl_param *p = &op->p[j];
    switch (p->kind) {
    case K_FIXED:
    case K_VAR:
        fprintf(o, "    for (unsigned k = 0; k < %uu; k++)\n        %s[k] = ", p->count, v);
        sample(o, op, j, out, "k");
        fprintf(o, ";\n");
        break;
    case K_STRING:
        fprintf(o, "    for (unsigned k = 0; k < %uu; k++)\n        %s[k] = ", p->count, v);
        sample(o, op, j, out, "k");
        fprintf(o, ";\n    %s[%u] = 0;\n", v, p->count);
        break;
    default:
        fprintf(o, "    %s = ", v);
        sample(o, op, j, out, "0");
        fprintf(o, ";\n");
    }
}

static bool has_cap(const struct idl_op *op)
{
    for (unsigned j = 0; j < op->np; j++)
        if (op->p[j].kind == K_CAP) return true;
    return false;
}

static void gen_impl(FILE *o, const struct idl_iface *it, const struct idl_op *op)
{
    fprintf(o, "static unsigned calls_%s;\n\n", op->name);
    fprintf(
        o, "/* The server's %s: checks every input against the test values, sets the outputs. */\n",
        op->name);
    fprintf(o, "static long impl_%s(void *ctx, word_t label", op->name);
    for (unsigned j = 0; j < op->np; j++) {
        const struct idl_param *p = &op->p[j];
        const char *t = p->type ? p->type->c : "word_t";
        bool in_only = p->dir == DIR_IN;
        switch (p->kind) {
        case K_INT:
        case K_FPAGE:
        case K_CAP:
            fprintf(o, ", %s%s%s", t, in_only ? " " : " *", p->name);
            break;
        case K_FIXED:
            fprintf(o, ", %s%s %s[%u]", in_only ? "const " : "", t, p->name, p->count);
            break;
        case K_VAR:
            fprintf(o, ", %s%s *%s", in_only ? "const " : "", t, p->name);
            break;
        case K_STRING:
            fprintf(o, ", %schar *%s", in_only ? "const " : "", p->name);
            break;
        }
    }
    fprintf(o, ")\n{\n    (void)ctx;\n    (void)label;\n    calls_%s++;\n", op->name);
    for (unsigned j = 0; j < op->np; j++) {
        const struct idl_param *p = &op->p[j];
        char v[IDL_NAME_MAX + 4];
        bool scalar = p->kind == K_INT || p->kind == K_FPAGE || p->kind == K_CAP;
        snprintf(v, sizeof(v), "%s%s%s%s", scalar && p->dir != DIR_IN ? "(*" : "", p->name,
                 scalar && p->dir != DIR_IN ? ")" : "", "");
        if (idl_is_in(p)) check_value(o, op, j, false, v, "srv.map_window");
        if (idl_is_out(p)) set_value(o, op, j, true, v);
    }
    fprintf(o, "    return 0;\n}\n\n");
    (void)it;
}

/* Declares the client's arguments a_<name> with the test inputs. */
static void client_locals(FILE *o, const struct idl_op *op)
{
    for (unsigned j = 0; j < op->np; j++) {
        const struct idl_param *p = &op->p[j];
        char v[IDL_NAME_MAX + 4];
        snprintf(v, sizeof(v), "a_%s", p->name);
        switch (p->kind) {
        case K_INT:
            fprintf(o, "    %s a_%s = 0;\n", p->type->c, p->name);
            break;
        case K_FPAGE:
        case K_CAP:
            fprintf(o, "    word_t a_%s = 0;\n", p->name);
            break;
        case K_FIXED:
        case K_VAR:
            fprintf(o, "    %s a_%s[%u] = {0};\n", p->type->c, p->name, p->count);
            break;
        case K_STRING:
            fprintf(o, "    char a_%s[%u + 1] = {0};\n", p->name, p->count);
            break;
        }
        fprintf(o, "    (void)a_%s;\n", p->name);
        if (idl_is_in(p)) set_value(o, op, j, false, v);
    }
}

static void marshal_args(FILE *o, const struct idl_op *op)
{
    for (unsigned j = 0; j < op->np; j++)
        if (idl_is_in(&op->p[j])) fprintf(o, ", a_%s", op->p[j].name);
}

static void unmarshal_args(FILE *o, const struct idl_op *op)
{
    for (unsigned j = 0; j < op->np; j++) {
        const struct idl_param *p = &op->p[j];
        if (!idl_is_out(p)) continue;
        bool scalar = p->kind == K_INT || p->kind == K_FPAGE || p->kind == K_CAP;
        fprintf(o, ", %sa_%s", scalar ? "&" : "", p->name);
    }
}

/* Word position of each input in the request at the test values (items are not counted). */
static unsigned in_pos(const struct idl_op *op, unsigned j)
{
    unsigned pos = op->oplabel ? 0 : 1; /* after the opcode word, if there is one */
    for (unsigned i = 0; i < j; i++) {
        const struct idl_param *p = &op->p[i];
        if (!idl_is_in(p)) continue;
        if (p->kind == K_INT)
            pos += 1;
        else if (p->kind != K_FPAGE && p->kind != K_CAP)
            pos += 1 + idl_payload_words(p);
    }
    return pos;
}

static unsigned in_item(const struct idl_op *op, unsigned j)
{
    unsigned n = 0;
    for (unsigned i = 0; i < j; i++)
        if (idl_is_in(&op->p[i]) && (op->p[i].kind == K_FPAGE || op->p[i].kind == K_CAP)) n++;
    return n;
}

static void gen_op_tests(FILE *o, const struct idl_iface *it, const struct idl_op *op)
{
    const char *n = it->name;
    bool direct = has_cap(op);
    /* build: marshals the test inputs into the client's UTCB */
    fprintf(o, "static word_t build_%s(void)\n{\n", op->name);
    client_locals(o, op);
    fprintf(o, "    word_t tag = 0;\n    assert_int_equal(%s_%s_marshal(actor_utcb(C), &tag", n,
            op->name);
    marshal_args(o, op);
    fprintf(o, "), 0);\n    return tag;\n}\n\n");

    /* one good round trip */
    fprintf(o, "/* One call of %s with the test values%s. */\n", op->name,
            direct ? " (copied, not through the kernel: backend none carries no capabilities)"
                   : " through the kernel");
    fprintf(o, "static void call_%s(void)\n{\n", op->name);
    client_locals(o, op);
    fprintf(o, "    unsigned before = calls_%s;\n    word_t tag = 0;\n", op->name);
    fprintf(o, "    assert_int_equal(%s_%s_marshal(actor_utcb(C), &tag", n, op->name);
    marshal_args(o, op);
    fprintf(o, "), 0);\n");
    fprintf(o, "    word_t rtag = serve_once(tag, %s, %s);\n", op->oneway ? "false" : "true",
            direct ? "true" : "false");
    fprintf(o, "    assert_int_equal(calls_%s, before + 1);\n", op->name);
    if (op->oneway) {
        fprintf(o, "    assert_true(rtag == IDL_NO_REPLY);\n}\n\n");
    } else {
        fprintf(o, "    assert_int_equal(%s_%s_unmarshal(actor_utcb(C), rtag", n, op->name);
        unmarshal_args(o, op);
        fprintf(o, "), 0);\n");
        for (unsigned j = 0; j < op->np; j++) {
            const struct idl_param *p = &op->p[j];
            if (!idl_is_out(p)) continue;
            char v[IDL_NAME_MAX + 4];
            snprintf(v, sizeof(v), "a_%s", p->name);
            check_value(o, op, j, true, v, "client_window");
        }
        fprintf(o, "}\n\n");
    }
    fprintf(o, "/* Proves: %s round-trips every parameter at its bound%s. */\n", op->name,
            direct ? " (capabilities copied directly)" : " through the host IPC path");
    fprintf(o, "HOST_TEST(%s_%s_roundtrip)\n{\n    cast();\n    call_%s();\n    call_%s();\n}\n\n",
            n, op->name, op->name, op->name);

    /* malformed requests */
    fprintf(
        o,
        "/* Proves: every malformed %s request is answered with its error, nothing reaches the\n"
        " * server's function, and the server serves the next good one. */\n",
        op->name);
    fprintf(o,
            "HOST_TEST(%s_%s_malformed)\n{\n    cast();\n    struct utcb *u = actor_utcb(C);\n"
            "    word_t tag;\n    (void)u;\n",
            n, op->name);
    const char *d = direct ? "true" : "false";
    fprintf(o,
            "    tag = build_%s();\n    tag = MSGTAG(%s_PROTO ^ 0x100, MSGTAG_WORDS(tag), "
            "MSGTAG_ITEMS(tag), 0);\n    expect_error(serve_once(tag, true, %s), E_WRONGTYPE);\n",
            op->name, n, d);
    if (it->oplabel) { /* an opcode no operation has, in the label */
        unsigned unused = 0;
        for (bool used = true; used; unused += used) {
            used = false;
            for (unsigned i = 0; i < it->nops; i++)
                used |= it->op[i].opcode == unused;
        }
        fprintf(o,
                "    tag = build_%s();\n    tag = MSGTAG(%s_PROTO + %u, MSGTAG_WORDS(tag), "
                "MSGTAG_ITEMS(tag), 0);\n    expect_error(serve_once(tag, true, %s), E_NOSYS);\n",
                op->name, n, unused, d);
    } else {
        fprintf(o,
                "    tag = build_%s();\n    u->mr[0] = 0x10000;\n    expect_error(serve_once(tag, "
                "true, %s), "
                "E_NOSYS);\n",
                op->name, d);
    }
    if (idl_request_words(op) > 0) /* else nothing can be missing */
        fprintf(o,
                "    tag = build_%s();\n    tag = MSGTAG_ITEMS(tag) ? tag - (1u << 7) : tag - 1;\n"
                "    expect_error(serve_once(tag, true, %s), E_RANGE); /* too short */\n",
                op->name, d);
    fprintf(o,
            "    tag = build_%s();\n    expect_error(serve_once(longer(tag), true, %s), E_INVAL); "
            "/* too long */\n",
            op->name, d);
    for (unsigned j = 0; j < op->np; j++) {
        const struct idl_param *p = &op->p[j];
        if (!idl_is_in(p)) continue;
        unsigned pos = in_pos(op, j);
        switch (p->kind) {
        case K_INT:
            if (p->is_size) {
                fprintf(o,
                        "    tag = build_%s(); /* %s does not match the array's length */\n"
                        "    u->mr[%u] = %uu - 1;\n    expect_error(serve_once(tag, true, %s), "
                        "E_RANGE);\n",
                        op->name, p->name, pos, p->count, d);
            }
            if (p->type->size < 8) {
                fprintf(o,
                        "    tag = build_%s(); /* %s outside %s */\n    u->mr[%u] = %s;\n"
                        "    expect_error(serve_once(tag, true, %s), E_RANGE);\n",
                        op->name, p->name, p->type->idl, pos,
                        p->type->is_signed ? "1UL << 62" : "~0UL", d);
            }
            break;
        case K_FIXED:
        case K_VAR:
        case K_STRING:
            fprintf(o,
                    "    tag = build_%s(); /* %s's length over its bound */\n"
                    "    u->mr[%u] = sizeof(%s) * %uu + 1;\n"
                    "    expect_error(serve_once(tag, true, %s), E_RANGE);\n",
                    op->name, p->name, pos, p->type->c, p->count, d);
            if (p->kind == K_STRING)
                fprintf(o,
                        "    tag = build_%s(); /* a NUL inside %s */\n"
                        "    ((char *)&u->mr[%u])[0] = 0;\n"
                        "    expect_error(serve_once(tag, true, %s), E_INVAL);\n",
                        op->name, p->name, pos + 1, d);
            break;
        case K_FPAGE:
        case K_CAP:
            fprintf(o,
                    "    tag = build_%s(); /* %s as an item of the wrong kind */\n"
                    "    u->mr[MSGTAG_WORDS(tag) + %u] = ITEM_MAP_HDR(ITEM_MAP, %s, 0);\n"
                    "    expect_error(serve_once(tag, true, true), E_INVAL);\n",
                    op->name, p->name, 2 * in_item(op, j),
                    p->kind == K_FPAGE ? "FPAGE_KIND_BACKEND" : "FPAGE_KIND_MEM");
            fprintf(o,
                    "    tag = build_%s(); /* %s as a string item */\n"
                    "    u->mr[MSGTAG_WORDS(tag) + %u] = ITEM_STRING_HDR(8);\n"
                    "    expect_error(serve_once(tag, true, true), E_INVAL);\n",
                    op->name, p->name, 2 * in_item(op, j));
            break;
        }
    }
    fprintf(o, "    assert_int_equal(calls_%s, 0);\n    call_%s(); /* still serving */\n}\n\n",
            op->name, op->name);

    if (op->oneway) return;
    /* malformed replies, refused by the client's parser */
    fprintf(o,
            "/* Proves: the client refuses %s replies of another label, too long, too short, or "
            "with a\n * status that is no error code. */\n",
            op->name);
    fprintf(o, "HOST_TEST(%s_%s_bad_reply)\n{\n    cast();\n    struct utcb *u = actor_utcb(C);\n",
            n, op->name);
    client_locals(o, op);
    fprintf(o, "    word_t good = serve_once(build_%s(), true, true);\n", op->name);
    fprintf(o, "    word_t keep[UTCB_MRS];\n    memcpy(keep, u->mr, sizeof(keep));\n");
    fprintf(o,
            "    assert_int_equal(%s_%s_unmarshal(u, MSGTAG(%s_REPLY ^ 0x100, MSGTAG_WORDS(good), "
            "MSGTAG_ITEMS(good), 0)",
            n, op->name, n);
    unmarshal_args(o, op);
    fprintf(o, "), -E_WRONGTYPE);\n");
    fprintf(o, "    assert_int_equal(%s_%s_unmarshal(u, longer(good)", n, op->name);
    unmarshal_args(o, op);
    fprintf(o, "), -E_INVAL);\n    memcpy(u->mr, keep, sizeof(keep));\n");
    if (idl_reply_words(op) > 1) {
        fprintf(o,
                "    assert_int_equal(%s_%s_unmarshal(u, MSGTAG_ITEMS(good) ? good - (1u << 7) : "
                "good - 1",
                n, op->name);
        unmarshal_args(o, op);
        fprintf(o, "), -E_RANGE);\n");
    }
    fprintf(o, "    u->mr[0] = 5;\n    assert_int_equal(%s_%s_unmarshal(u, good", n, op->name);
    unmarshal_args(o, op);
    fprintf(o, "), -E_INVAL);\n");
    fprintf(
        o,
        "    u->mr[0] = (word_t)-E_PERM;\n    assert_int_equal(%s_%s_unmarshal(u, MSGTAG(%s_REPLY, "
        "1, 0, 0)",
        n, op->name, n);
    unmarshal_args(o, op);
    fprintf(o, "), -E_PERM);\n}\n\n");
}

void idl_gen_test(FILE *o, const struct idl_file *f, const struct idl_iface *it0)
{
    struct idl_iface *it = malloc(sizeof(*it));
    if (!it) return;
    *it = *it0;
    for (unsigned i = 0; i < it->nops; i++)
        fix_sizes(&it->op[i]);
    const char *n = it->name;
    fprintf(o,
            "/* SPDX-License-Identifier: MIT */\n/* The generated stubs of interface %s over the "
            "host IPC path; generated by ipcidl from %s: do not edit. */\n",
            n, f->path);
    fprintf(o,
            "#include <setjmp.h>\n#include <stdarg.h>\n#include <stddef.h>\n#include <stdlib.h>\n"
            "#include <string.h>\n#include <cmocka.h>\n\n#include \"host_kernel.h\"\n"
            "#define IDL_NO_CALLS\n#include \"%s_idl.h\"\n\n",
            n);
    fprintf(o, "#define PRIO 10\n#define NEVER IPC_TIMEOUTS(TIMEOUT_NEVER, TIMEOUT_NEVER)\n"
               "#define SAMPLE(j, k) (0x0123456789abcdefULL * ((j) + 1) + (k))\n"
               "#define CAP_SAMPLE FPAGE(5UL << 12, 0, FPAGE_R)\n\n");
    fprintf(o,
            "static struct host_actor *C, *S; /* client, server */\nstatic bool direct;\n"
            "static word_t client_window;\nstatic unsigned windows;\n"
            "static struct %s_server srv;\n\n",
            n);
    for (unsigned i = 0; i < it->nops; i++)
        gen_impl(o, it, &it->op[i]);
    fprintf(o, "static void cast(void)\n{\n    C = actor_new(\"client\", PRIO);\n"
               "    S = actor_new(\"server\", PRIO);\n");
    for (unsigned i = 0; i < it->nops; i++)
        fprintf(o, "    srv.%s = impl_%s;\n", it->op[i].name, it->op[i].name);
    fprintf(o, "}\n\n");
    fprintf(o,
            "/*\n * The client's message (tag, in C's UTCB) to the server: through the kernel (a "
            "call, or a send),\n * or copied (direct). The server dispatches; its reply tag comes "
            "back (IDL_NO_REPLY: none).\n * Each delivery opens fresh map windows, so a flexpage "
            "never lands on an earlier one.\n */\n");
    fprintf(o,
            "static word_t serve_once(word_t tag, bool call, bool copy)\n{\n"
            "    windows++;\n    srv.map_window = FPAGE(0x800000UL + windows * 0x10000UL, 16, "
            "FPAGE_RWX);\n"
            "    client_window = FPAGE(0x2000000UL + windows * 0x10000UL, 16, FPAGE_RWX);\n"
            "    direct = copy;\n    struct utcb *cu = actor_utcb(C), *su = actor_utcb(S);\n"
            "    ipc_buffers_clear(cu);\n    cu->br[BR_MAP_WINDOW] = client_window;\n"
            "    if (copy) {\n        memcpy(su->mr, cu->mr, sizeof(su->mr));\n"
            "        word_t reply = %s_dispatch(&srv, NULL, su, tag, 0x77);\n"
            "        if (reply != IDL_NO_REPLY) memcpy(cu->mr, su->mr, sizeof(cu->mr));\n"
            "        return reply;\n    }\n"
            "    %s_prepare(&srv, su);\n    actor_ipc(S, IPC_WAIT, 0, 0, NEVER);\n"
            "    assert_true(actor_blocked_in(S, IPC_RECEIVING));\n"
            "    actor_ipc(C, call ? IPC_CALL : IPC_SEND, S->id, tag, NEVER);\n"
            "    assert_false(S->busy);\n    assert_int_equal(S->result, 0);\n"
            "    word_t reply = %s_dispatch(&srv, NULL, su, S->rcv_tag, S->rcv_label);\n"
            "    if (!call) {\n        assert_false(C->busy);\n        assert_int_equal(C->result, "
            "0);\n"
            "        return reply;\n    }\n"
            "    assert_true(reply != IDL_NO_REPLY);\n    assert_true(C->busy);\n"
            "    actor_ipc(S, IPC_REPLY, 0, reply, NEVER);\n    assert_int_equal(S->result, 0);\n"
            "    assert_false(C->busy);\n    assert_int_equal(C->result, 0);\n"
            "    return C->rcv_tag;\n}\n\n",
            n, n, n);
    fprintf(o,
            "/* The reply is exactly an error: label %s_REPLY, one word, -status. */\n"
            "static void expect_error(word_t rtag, enum status s)\n{\n"
            "    assert_int_equal(MSGTAG_LABEL(rtag), %s_REPLY);\n"
            "    assert_int_equal(MSGTAG_WORDS(rtag), 1);\n    "
            "assert_int_equal(MSGTAG_ITEMS(rtag), 0);\n"
            "    assert_int_equal((long)actor_utcb(C)->mr[0], -(long)s);\n}\n\n",
            n, n);
    fprintf(o,
            "/* The message one word longer: a junk word after the words, the items moved up. */\n"
            "static word_t longer(word_t tag)\n{\n    struct utcb *u = actor_utcb(C);\n"
            "    unsigned w = MSGTAG_WORDS(tag), it = MSGTAG_ITEMS(tag);\n"
            "    assert_true(w + 1 + 2 * it <= UTCB_MRS);\n"
            "    memmove(&u->mr[w + 1], &u->mr[w], 2 * it * sizeof(word_t));\n"
            "    u->mr[w] = 0x5e5e5e5e;\n"
            "    return MSGTAG(MSGTAG_LABEL(tag), w + 1, it, 0);\n}\n\n");
    for (unsigned i = 0; i < it->nops; i++)
        gen_op_tests(o, it, &it->op[i]);
    fprintf(o, "int main(int argc, char **argv)\n{\n    const struct CMUnitTest tests[] = {\n");
    for (unsigned i = 0; i < it->nops; i++) {
        fprintf(o, "        HOST_RUN(%s_%s_roundtrip),\n        HOST_RUN(%s_%s_malformed),\n", n,
                it->op[i].name, n, it->op[i].name);
        if (!it->op[i].oneway)
            fprintf(o, "        HOST_RUN(%s_%s_bad_reply),\n", n, it->op[i].name);
    }
    fprintf(o, "    };\n    if (argc > 1) cmocka_set_test_filter(argv[1]);\n"
               "    return cmocka_run_group_tests(tests, NULL, NULL);\n}\n");
    free(it);
}
