/* SPDX-License-Identifier: MIT */
/* `contract NAME from idl "FILE"`: a contract generated from an interface file by ipcidl's code. */
#ifndef SCN_IDL_H
#define SCN_IDL_H

#include <stddef.h>

/*
 * The contract text of interface `iface` in the IDL file `idl_path` (relative to the directory of
 * `scn_file`), exactly as `ipcidl` writes NAME.contract; malloc'd, or NULL with a reason in why
 * (the IDL's own errors also go to stderr as file:line:col).
 */
char *scn_idl_contract(const char *scn_file, const char *idl_path, const char *iface, char *why,
                       size_t why_len);

#endif
