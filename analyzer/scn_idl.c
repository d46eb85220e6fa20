/* SPDX-License-Identifier: MIT */
/* The analyzer's bridge to the IDL compiler: an interface file's contract as scenario text. */
#define _POSIX_C_SOURCE 200809L
#include "scn_idl.h"
#include "../tools/idl/idl.h"
#include "an_util.h"

#include <stdlib.h>
#include <string.h>

#define SCN_IDL_MAX_FILE (1u << 20)

char *scn_idl_contract(const char *scn_file, const char *idl_path, const char *iface, char *why,
                       size_t why_len)
{
    char path[4096];
    const char *slash = strrchr(scn_file, '/');
    if (idl_path[0] == '/' || !slash)
        snprintf(path, sizeof(path), "%s", idl_path);
    else
        snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - scn_file), scn_file, idl_path);
    size_t len;
    const char *rwhy;
    char *text = an_read_file(path, SCN_IDL_MAX_FILE, &len, &rwhy);
    if (!text) {
        snprintf(why, why_len, "cannot read %s: %s", path, rwhy);
        return NULL;
    }
    struct idl_file f;
    bool ok = idl_parse(path, text, &f);
    free(text);
    if (!ok) {
        free(f.iface);
        snprintf(why, why_len, "%s is not a valid interface file (errors above)", path);
        return NULL;
    }
    char *out = NULL;
    for (unsigned i = 0; i < f.nifaces; i++) {
        if (strcmp(f.iface[i].name, iface) != 0) continue;
        size_t n;
        FILE *o = open_memstream(&out, &n);
        if (!o) break;
        idl_gen_contract(o, &f, &f.iface[i]);
        fclose(o);
    }
    if (!out) snprintf(why, why_len, "%s declares no interface '%s'", path, iface);
    free(f.iface);
    return out;
}
