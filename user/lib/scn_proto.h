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

#endif
