/* SPDX-License-Identifier: MIT */
/* ipcidl: the IDL compiler's command line (one interface file in, stubs, contract, docs out). */
#define _POSIX_C_SOURCE 200809L
#include "idl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: ipcidl [-o DIR] [-c] FILE.idl\n"
    "\n"
    "Compiles an interface file (grammar: tools/idl/README.md). For each interface NAME it writes\n"
    "into DIR (default .):\n"
    "  NAME_idl.h        opcodes, bounds, the server's function table, every prototype\n"
    "  NAME_idl.c        marshalling, reply parsing and the server dispatch (host and guest)\n"
    "  NAME_idl_user.c   the client calls NAME_OP_call(dest, ...) and the server loop (ring 3)\n"
    "  NAME.contract     the contract in the scenario language (scenarios/README.md)\n"
    "  NAME.md           the documentation\n"
    "  test_NAME_idl.c   a CMocka test: every operation round-trips through the host IPC path,\n"
    "                    and every malformed message is answered with its error\n"
    "\n"
    "options:\n"
    "  -o DIR      output directory\n"
    "  -c          check the file only, write nothing\n"
    "  -h, --help  this text\n"
    "\n"
    "exit status: 0 fine, 2 bad input (file:line:col: error: ...) or usage\n";

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (size_t n; buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0;) {
        len += n;
        if (len + 1 == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (buf) buf[len] = 0;
    if (buf && strlen(buf) != len) { /* a NUL byte: not a text file */
        free(buf);
        errno = EINVAL;
        return NULL;
    }
    return buf;
}

typedef void (*gen_fn)(FILE *, const struct idl_file *, const struct idl_iface *);

static bool emit(const char *dir, const char *pre, const char *name, const char *suffix, gen_fn fn,
                 const struct idl_file *f, const struct idl_iface *it)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s%s%s", dir, pre, name, suffix);
    FILE *o = fopen(path, "w");
    if (!o) {
        fprintf(stderr, "ipcidl: error: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    fn(o, f, it);
    if (fclose(o) != 0) {
        fprintf(stderr, "ipcidl: error: writing %s: %s\n", path, strerror(errno));
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    const char *dir = ".", *file = NULL;
    bool check_only = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return IDL_EXIT_OK;
        } else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            dir = argv[++i];
        } else if (!strcmp(argv[i], "-c")) {
            check_only = true;
        } else if (argv[i][0] == '-' || file) {
            fprintf(stderr, "ipcidl: error: unexpected argument '%s'\n(ipcidl -h for usage)\n",
                    argv[i]);
            return IDL_EXIT_BAD_INPUT;
        } else {
            file = argv[i];
        }
    }
    if (!file) {
        fprintf(stderr, "ipcidl: error: no interface file given\n(ipcidl -h for usage)\n");
        return IDL_EXIT_BAD_INPUT;
    }
    char *text = read_all(file);
    if (!text) {
        fprintf(stderr, "ipcidl: error: cannot read %s: %s\n", file, strerror(errno));
        return IDL_EXIT_BAD_INPUT;
    }
    struct idl_file f;
    if (!idl_parse(file, text, &f)) return IDL_EXIT_BAD_INPUT;
    if (check_only) return IDL_EXIT_OK;
    for (unsigned i = 0; i < f.nifaces; i++) {
        const struct idl_iface *it = &f.iface[i];
        if (!emit(dir, "", it->name, "_idl.h", idl_gen_header, &f, it) ||
            !emit(dir, "", it->name, "_idl.c", idl_gen_stubs, &f, it) ||
            !emit(dir, "", it->name, "_idl_user.c", idl_gen_user, &f, it) ||
            !emit(dir, "", it->name, ".contract", idl_gen_contract, &f, it) ||
            !emit(dir, "", it->name, ".md", idl_gen_doc, &f, it) ||
            !emit(dir, "test_", it->name, "_idl.c", idl_gen_test, &f, it))
            return IDL_EXIT_BAD_INPUT;
    }
    free(text);
    free(f.iface);
    return IDL_EXIT_OK;
}
