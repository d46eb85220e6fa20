/* SPDX-License-Identifier: MIT */
/*
 * Between the scenario loader (monitor/scnroot/) and a scenario task's runtime (scn.c): the
 * task calls the name it got as main's argument with SCN_SETUP_GET, mr[0] = offset; the reply
 * (label 0) has mr[0] = the setup text's total length and the text from that offset in mr[1..].
 *
 * The text is "key=value;" pairs: self=<task> policy=<backend> naming=flat|hierarchical
 * ns=<name of the flat name server> ch:<channel>=<name> svc:<service>=<name>
 * from:<label>=<channel> (what the receiver sees for each of its incoming channels).
 */
#ifndef ULIB_SCN_PROTO_H
#define ULIB_SCN_PROTO_H

#define SCN_SETUP_GET 0x5c01
#define SCN_SETUP_MAX 2048

/*
 * The declared creation tree: a declared parent starts its own children. The loader starts a
 * parent with SCN_ARG_PARENT or'ed into main's argument; the parent's runtime (scn_init) then
 * serves the loader's requests on its children before it fetches its own setup, one call each
 * (the loader's name for the parent's thread, label SCN_PARENT_LABEL; reply mr[0] = the result
 * or -status):
 *   SCN_OP_SPAWN  mr[0] = module, mr[1] = the child's task quota -> mr[0] = the child's task
 *                 name (the parent's), and a name for its first thread (scn_put_name, full)
 *   SCN_OP_GIVE   mr[0] = child, mr[1] = rights, a name (scn_put_name) -> the child's name for it
 *   SCN_OP_HANDLERS mr[0] = child, mr[1] = its pager as the child names it, optionally its
 *                 reference monitor (scn_put_name) -> 0
 *   SCN_OP_START  mr[0] = child, mr[1] = main's argument -> 0
 *   SCN_OP_DONE   -> 0; the runtime goes on with its own setup. At exit it waits for every
 *                 child it spawned, so its own end means its subtree ended.
 */
#define SCN_ARG_PARENT (1UL << 62)
#define SCN_PARENT_LABEL 0x5d00
#define SCN_OP_SPAWN 0x5d01
#define SCN_OP_GIVE 0x5d02
#define SCN_OP_HANDLERS 0x5d03
#define SCN_OP_START 0x5d04
#define SCN_OP_DONE 0x5d05
#define SCN_MAX_CHILDREN 16

#endif
